//! Helpers: run the binary, parse its output.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// Path of the built `gazette` binary.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_gazette"))
}

/// Path under the repository root.
pub fn repo(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(p)
}

/// Runs gazette with `args`, feeding `stdin`.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn gazette");
    let mut si = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let t = std::thread::spawn(move || {
        let _ = si.write_all(&data);
    });
    let out = child.wait_with_output().expect("wait");
    t.join().unwrap();
    out
}

/// Parses JSON Lines output.
pub fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .expect("utf-8 output")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("bad JSON line {l:?}: {e}")))
        .collect()
}

/// Every mention's offsets slice back to its text (characters, Python semantics).
pub fn assert_offsets(text: &str, title: &str, rec: &serde_json::Value) {
    let chars: Vec<char> = text.chars().collect();
    let tchars: Vec<char> = title.chars().collect();
    let check = |v: &serde_json::Value| {
        let s = v["start"].as_u64().unwrap() as usize;
        let e = v["end"].as_u64().unwrap() as usize;
        let src = if v.get("field").and_then(|f| f.as_str()) == Some("title") { &tchars } else { &chars };
        let got: String = src[s..e].iter().collect();
        assert_eq!(got, v["text"].as_str().unwrap(), "offsets {s}..{e}");
    };
    for e in rec["entities"].as_array().unwrap() {
        for m in e["mentions"].as_array().unwrap() {
            check(m);
        }
        for r in e.get("references").and_then(|r| r.as_array()).into_iter().flatten() {
            check(r);
        }
    }
    for ev in rec["events"].as_array().unwrap() {
        check(&ev["trigger"]);
        check(&ev["sentence"]);
        for a in ev["arguments"].as_array().unwrap() {
            check(a);
        }
    }
    for q in rec["quotes"].as_array().unwrap() {
        check(q);
    }
}
