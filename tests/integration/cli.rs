//! The CLI end to end on fixtures.

use crate::util::*;
use serde_json::Value;

fn entity<'a>(rec: &'a Value, name: &str) -> Option<&'a Value> {
    rec["entities"].as_array().unwrap().iter().find(|e| e["name"] == name || e["mentions"].as_array().unwrap().iter().any(|m| m["text"] == name))
}

fn has_event(rec: &Value, ty: &str, args: &[(&str, &str)]) -> bool {
    rec["events"].as_array().unwrap().iter().any(|ev| {
        ev["type"] == ty
            && args.iter().all(|(role, id)| ev["arguments"].as_array().unwrap().iter().any(|a| a["role"] == *role && a["entity"] == *id))
    })
}

fn seed_checks(rec: &Value, text: &str, title: &str) {
    for name in ["Huawei", "Nokia", "Apple", "Samsung Electronics", "Bloomberg", "Jakarta", "Europe", "Alan Fan", "Donald Trump", "Joe Biden"] {
        assert!(entity(rec, name).is_some(), "missing entity {name}");
    }
    let automakers: Vec<&str> = rec["entities"].as_array().unwrap().iter().filter(|e| e["subtype"] == "automaker").map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(automakers.len(), 9, "{automakers:?}");
    assert_eq!(entity(rec, "US").unwrap()["id"], "country:us");
    assert_eq!(entity(rec, "United States").unwrap()["id"], "country:us");
    assert_eq!(entity(rec, "Chinese").unwrap()["id"], "country:cn");
    assert_eq!(entity(rec, "Audi").unwrap()["parent"], "company:volkswagen-group");
    assert!(has_event(rec, "license.extended", &[("parties", "company:huawei"), ("parties", "company:nokia")]));
    assert!(has_event(rec, "license.signed", &[("licensor", "company:huawei"), ("licensee", "company:audi")]));
    assert!(has_event(rec, "royalty.collected", &[("collector", "company:huawei"), ("payer", "company:apple"), ("payer", "company:samsung-electronics")]));
    assert!(has_event(rec, "sanction.imposed", &[("imposer", "country:us"), ("target", "company:huawei")]));
    assert!(has_event(rec, "revenue.declined", &[("company", "company:huawei")]));
    for ev in rec["events"].as_array().unwrap() {
        assert!(ev["trigger"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(ev["rule"].as_str().is_some());
    }
    assert_offsets(text, title, rec);
}

#[test]
fn seed_plain_text_on_stdin() {
    let text = std::fs::read_to_string(repo("fixtures/seed.txt")).unwrap();
    let out = run(&[], text.as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let recs = lines(&out);
    assert_eq!(recs.len(), 1);
    seed_checks(&recs[0], &text, "");
    // The dateline is recognised, not part of the first sentence.
    assert_eq!(recs[0]["dateline"]["text"], "JAKARTA");
}

#[test]
fn seed_jsonl_file() {
    let out = run(&["extract", "--input", "jsonl", repo("fixtures/seed.jsonl").to_str().unwrap()], b"");
    assert!(out.status.success());
    let recs = lines(&out);
    let src: Value = serde_json::from_str(std::fs::read_to_string(repo("fixtures/seed.jsonl")).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(recs[0]["id"], "seed-huawei-nokia");
    seed_checks(&recs[0], src["text"].as_str().unwrap(), src["title"].as_str().unwrap());
    let ext = recs[0]["events"].as_array().unwrap().iter().find(|e| e["type"] == "license.extended").unwrap();
    assert_eq!(ext["modality"], "reported");
}

#[test]
fn non_ascii_text_without_dateline_keeps_offsets() {
    let text = "Le constructeur Citroën et Škoda: „Volkswagen“ a signé un accord. Renault’s chief, Luca de Meo, said Renault sued Nissan.";
    let out = run(&["--input", "text"], text.as_bytes());
    let recs = lines(&out);
    assert!(recs[0].get("dateline").is_none());
    assert!(entity(&recs[0], "Škoda").is_some() || entity(&recs[0], "Skoda").is_some());
    assert!(entity(&recs[0], "Citroën").is_some());
    assert_offsets(text, "", &recs[0]);
}

#[test]
fn bad_records_get_error_lines_in_order_and_exit_1() {
    let input = "{\"id\":\"a\",\"text\":\"Apple sued Samsung.\"}\n{not json\n{\"id\":\"c\"}\n{\"id\":\"d\",\"text\":\"Nokia\"}\n";
    let out = run(&["--input", "jsonl"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    let recs = lines(&out);
    assert_eq!(recs.len(), 4);
    assert_eq!(recs[0]["id"], "a");
    assert!(recs[1]["error"].as_str().unwrap().contains("malformed JSON"));
    assert_eq!(recs[1]["source"], "<stdin>:2");
    assert_eq!(recs[2]["id"], "c");
    assert!(recs[2]["error"].is_string());
    assert_eq!(recs[3]["id"], "d");
}

#[test]
fn bad_gazetteer_dir_is_a_configuration_error_naming_file_and_line() {
    let dir = std::env::temp_dir().join(format!("gazette-bad-gaz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("x.tsv"), "id\tname\ttype\tsubtype\tcountry\tparent\taliases\tdemonyms\twikidata\tticker\tisin\tcik\ncompany:a\tA\tplanet\t\t\t\t\t\t\t\t\t\n").unwrap();
    let out = run(&["--gazetteers", dir.to_str().unwrap()], b"text");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("x.tsv:2:") && err.contains("unknown type"), "{err}");
}

#[test]
fn help_has_examples() {
    let out = run(&["--help"], b"");
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Examples:"));
}

#[test]
fn same_input_gives_byte_identical_output() {
    let input = std::fs::read(repo("fixtures/seed.jsonl")).unwrap();
    let a = run(&["--input", "jsonl"], &input);
    let b = run(&["--input", "jsonl"], &input);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn every_rule_example_passes() {
    let out = run(&["rules", "check"], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn embedded_gazetteers_check_clean() {
    let out = run(&["gazetteer", "check"], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn gazetteer_check_reports_every_problem_notes_and_counts() {
    let dir = std::env::temp_dir().join(format!("gazette-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let h = "id\tname\ttype\tsubtype\tcountry\tparent\taliases\tdemonyms\twikidata\tticker\tisin\tcik\n";
    std::fs::write(
        dir.join("a.tsv"),
        format!("{h}company:a\tAcme\tcompany\t\tUS\t\tACM\t\t\t\t\t\nBad Id\tB\tcompany\t\t\t\t\t\t\t\t\t\ncompany:c\tC\tcompany\t\t\tcompany:nope\t\t\t\t\t\t\ncompany:a\tAcme Again\tcompany\t\t\t\t\t\t\t\t\t\n"),
    )
    .unwrap();
    std::fs::write(dir.join("b.tsv"), format!("{h}organization:acm\tAssociation for Computing Machinery\torganization\t\tUS\t\tACM\t\t\t\t\t\n")).unwrap();
    let out = run(&["gazetteer", "check", dir.to_str().unwrap()], b"");
    let s = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{s}");
    assert!(s.contains("a.tsv:3: bad id"), "{s}");
    assert!(s.contains("a.tsv:4:") && s.contains("unknown parent `company:nope`"), "{s}");
    assert!(s.contains("a.tsv:5: duplicate id `company:a`"), "{s}");
    assert!(s.contains("note: alias `acm`"), "{s}");
    assert!(s.lines().any(|l| l.trim_start().starts_with("company") && l.trim_end().ends_with('3')), "{s}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn gazetteer_lookup_explains_hits() {
    let out = run(&["gazetteer", "lookup", "MERCEDES BENZ's"], b"");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{s}");
    assert!(s.contains("normalised key `mercedes benz`") && s.contains("company:mercedes-benz"), "{s}");
    let out = run(&["gazetteer", "lookup", "BIS"], b"");
    let s = String::from_utf8_lossy(&out.stdout);
    assert!(s.contains("government:us-bureau-of-industry-and-security") && s.contains("organization:bis") && s.contains("Exact"), "{s}");
    let out = run(&["gazetteer", "lookup", "zzqx"], b"");
    assert!(!out.status.success());
}

#[test]
fn a_country_named_inside_a_government_body_is_a_country_mention() {
    let text = "The US Treasury said the fund would be wound down.";
    let out = run(&["--input", "text"], text.as_bytes());
    let recs = lines(&out);
    let us = entity(&recs[0], "US").expect("country named inside the body's name");
    assert_eq!(us["id"], "country:us");
    assert!(recs[0]["entities"].as_array().unwrap().iter().any(|e| e["type"] == "government"));
    assert_offsets(text, "", &recs[0]);
}

#[test]
fn compiled_gazetteer_gives_the_same_output_and_damage_is_a_configuration_error() {
    let dir = std::env::temp_dir().join(format!("gazette-compiled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("default.gzc");
    let out = run(&["gazetteer", "compile", repo("gazetteers").to_str().unwrap(), "-o", file.to_str().unwrap()], b"");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("compiled"));
    let input = std::fs::read(repo("fixtures/multi.jsonl")).unwrap();
    let from_tsv = run(&["--input", "jsonl", "--gazetteers", repo("gazetteers").to_str().unwrap()], &input);
    let from_compiled = run(&["--input", "jsonl", "--gazetteers", file.to_str().unwrap()], &input);
    assert!(from_compiled.status.success(), "{}", String::from_utf8_lossy(&from_compiled.stderr));
    assert!(!from_tsv.stdout.is_empty());
    assert_eq!(from_tsv.stdout, from_compiled.stdout);
    let seed = std::fs::read_to_string(repo("fixtures/seed.txt")).unwrap();
    seed_checks(&lines(&run(&["--gazetteers", file.to_str().unwrap()], seed.as_bytes()))[0], &seed, "");
    // A truncated copy, and a file that is neither a directory nor compiled: exit 2, the file
    // named, nothing on stdout.
    let bytes = std::fs::read(&file).unwrap();
    let cut = dir.join("cut.gzc");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let other = dir.join("notes.txt");
    std::fs::write(&other, "hello").unwrap();
    for (path, says) in [(&cut, "truncated"), (&other, "neither a directory")] {
        let out = run(&["--gazetteers", path.to_str().unwrap()], b"Nokia");
        assert_eq!(out.status.code(), Some(2));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(path.to_str().unwrap()) && err.contains(says), "{err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
