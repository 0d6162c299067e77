//! Corpus running end to end: directories, gzip, stdin, threads, errors, closed pipes.

use crate::util::*;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("gazette-it-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

/// Many small articles written by hand (no corpus text in the repository).
fn many_records(n: usize) -> String {
    let names = ["Apple", "Nokia", "Huawei", "Samsung Electronics", "Toyota", "Renault", "Volkswagen"];
    let mut s = String::new();
    for i in 0..n {
        let a = names[i % names.len()];
        let b = names[(i * 3 + 1) % names.len()];
        let text = format!("{a} signed a licence agreement with {b} on Monday, the companies said. {a} shares rose {i}%.");
        s.push_str(&serde_json::json!({"id": format!("r{i}"), "text": text}).to_string());
        s.push('\n');
    }
    s
}

#[test]
fn output_is_byte_identical_and_in_order_for_any_jobs() {
    let input = many_records(700);
    let one = run(&["--jobs", "1", "--input", "jsonl"], input.as_bytes());
    assert!(one.status.success());
    let recs = lines(&one);
    assert_eq!(recs.len(), 700);
    for (i, r) in recs.iter().enumerate() {
        assert_eq!(r["id"], format!("r{i}"));
    }
    assert!(recs.iter().any(|r| !r["entities"].as_array().unwrap().is_empty()));
    for j in ["2", "3", "8"] {
        let many = run(&["-j", j, "--input", "jsonl"], input.as_bytes());
        assert!(many.status.success());
        assert!(one.stdout == many.stdout, "--jobs {j} differs from --jobs 1");
    }
}

#[test]
fn directory_tree_with_text_jsonl_and_gzip() {
    let d = tmpdir("tree");
    std::fs::create_dir_all(d.join("2024/jan")).unwrap();
    std::fs::write(d.join("2024/jan/one.txt"), "Nokia sued Apple in Germany.").unwrap();
    std::fs::write(d.join("2024/two.txt.gz"), gz(b"Toyota recalled cars in Japan.")).unwrap();
    std::fs::write(d.join("a.ndjson"), "{\"body\":\"Apple\",\"key\":\"n1\",\"headline\":\"H\"}\n").unwrap();
    std::fs::write(d.join("b.jsonl.gz"), gz(b"{\"body\":\"Renault\",\"key\":\"g1\"}\n{\"body\":\"Nissan\",\"key\":\"g2\"}\n")).unwrap();
    std::fs::write(d.join("notes.md"), "not an input").unwrap();
    let out = run(&["--text-field", "body", "--id-field", "key", "--title-field", "headline", d.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let ids: Vec<String> = lines(&out).iter().map(|r| r["id"].as_str().unwrap().to_string()).collect();
    assert_eq!(ids, vec!["2024/jan/one.txt", "2024/two.txt", "n1", "g1", "g2"]);
    let recs = lines(&out);
    assert!(recs[1]["entities"].as_array().unwrap().iter().any(|e| e["name"] == "Toyota"));
    // Off a terminal, stderr carries only real errors: here none.
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn every_bad_record_gives_one_error_line_and_the_run_goes_on() {
    let d = tmpdir("bad");
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\":\"ok1\",\"text\":\"Apple sued Samsung.\"}\n");
    input.extend_from_slice(b"{\"id\":\"bad-json\",\n");
    input.extend_from_slice(b"{\"id\":\"no-text\"}\n");
    input.extend_from_slice(b"{\"id\":\"latin1\",\"text\":\"Citro\xebn\"}\n");
    input.extend_from_slice(format!("{{\"id\":\"long\",\"text\":\"{}\"}}\n", "a ".repeat(600)).as_bytes());
    input.extend_from_slice(b"{\"id\":\"ok2\",\"text\":\"Nokia\"}\n");
    let f = d.join("in.jsonl");
    std::fs::write(&f, &input).unwrap();
    let missing = d.join("missing.jsonl");
    let out = run(&["--max-article-bytes", "1000", f.to_str().unwrap(), missing.to_str().unwrap()], b"");
    assert_eq!(out.status.code(), Some(1));
    let recs = lines(&out);
    assert_eq!(recs.len(), 7, "{recs:?}");
    let fname = f.display().to_string();
    assert_eq!(recs[0]["id"], "ok1");
    assert!(recs[1]["error"].as_str().unwrap().contains("malformed JSON"));
    assert_eq!(recs[1]["source"], format!("{fname}:2"));
    assert_eq!((recs[2]["id"].as_str(), recs[2]["source"].as_str()), (Some("no-text"), Some(format!("{fname}:3").as_str())));
    assert!(recs[3]["error"].as_str().unwrap().contains("invalid UTF-8"));
    assert_eq!(recs[3]["id"], "latin1");
    assert!(recs[4]["error"].as_str().unwrap().contains("over the limit"));
    assert_eq!(recs[4]["id"], "long");
    assert_eq!(recs[5]["id"], "ok2");
    assert!(recs[5].get("error").is_none());
    assert!(recs[6]["error"].as_str().unwrap().contains("cannot read input"));
    assert_eq!(recs[6]["source"], missing.display().to_string());
    for r in &recs[1..5] {
        assert_eq!(r["schema_version"], "1");
    }
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 5, "{err}");
    assert!(err.contains(&format!("{fname}:4: invalid UTF-8")), "{err}");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn invalid_utf8_text_file_is_an_error_record() {
    let out = run(&["--input", "text"], b"Caf\xe9 owner sued Nokia.");
    assert_eq!(out.status.code(), Some(1));
    let recs = lines(&out);
    assert_eq!(recs.len(), 1);
    assert!(recs[0]["error"].as_str().unwrap().contains("invalid UTF-8 at byte 3"));
}

#[test]
fn stdin_as_dash_between_files() {
    let d = tmpdir("dash");
    let f = d.join("x.txt");
    std::fs::write(&f, "Nokia").unwrap();
    let out = run(&[f.to_str().unwrap(), "-"], b"{\"id\":\"from-stdin\",\"text\":\"Apple\"}\n");
    assert!(out.status.success());
    let recs = lines(&out);
    assert_eq!(recs[0]["id"], f.display().to_string());
    assert_eq!(recs[1]["id"], "from-stdin");
    std::fs::remove_dir_all(&d).unwrap();
}

#[test]
fn closed_stdout_ends_quietly() {
    // Like `gazette ... | head -n 1`: the reader goes away after one line.
    let input = many_records(3000);
    for jobs in ["1", "2"] {
        let mut child = Command::new(bin())
            .args(["--input", "jsonl", "-j", jobs])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut si = child.stdin.take().unwrap();
        let data = input.clone();
        let t = std::thread::spawn(move || {
            let _ = si.write_all(data.as_bytes());
        });
        let mut so = child.stdout.take().unwrap();
        let mut first = [0u8; 10];
        so.read_exact(&mut first).unwrap();
        drop(so);
        let out = child.wait_with_output().unwrap();
        t.join().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!err.contains("panic"), "{err}");
        assert!(err.is_empty(), "{err}");
        assert_eq!(out.status.code(), Some(0));
    }
}

#[test]
fn closed_stdout_through_a_real_head() {
    let Ok(sh) = which("sh") else { return };
    let input = repo("fixtures/seed.jsonl");
    let cmd = format!("for i in $(seq 400); do cat '{}'; done | '{}' -j 2 | head -n 2 >/dev/null", input.display(), bin().display());
    let out = Command::new(sh).arg("-c").arg(cmd).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panick"), "{err}");
    assert!(err.is_empty(), "{err}");
}

fn which(name: &str) -> Result<PathBuf, ()> {
    for dir in std::env::var("PATH").unwrap_or_default().split(':') {
        let p = PathBuf::from(dir).join(name);
        if p.is_file() {
            return Ok(p);
        }
    }
    if std::env::var("GAZETTE_REQUIRE_TOOLS").is_ok() {
        panic!("{name} not found");
    }
    Err(())
}

#[test]
fn quiet_off_a_terminal_writes_nothing_to_stderr() {
    let out = run(&["--input", "jsonl"], many_records(5).as_bytes());
    assert!(out.status.success());
    assert!(out.stderr.is_empty());
    let q = run(&["--quiet", "--input", "jsonl"], many_records(5).as_bytes());
    assert_eq!(out.stdout, q.stdout);
}

#[test]
fn json_lines_saved_with_a_byte_order_mark_are_detected_and_read() {
    let out = run(&[], b"\xef\xbb\xbf{\"id\": \"a\", \"text\": \"Nokia sued Apple.\"}\n{\"id\": \"b\", \"text\": \"Apple rose.\"}\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = lines(&out);
    assert_eq!(recs.iter().map(|r| r["id"].as_str().unwrap_or("")).collect::<Vec<_>>(), ["a", "b"]);
}
