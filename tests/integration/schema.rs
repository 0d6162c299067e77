//! The output schema from the consumer's side: real CLI output validated against schema/*.json
//! (Python's `jsonschema`, draft 2020-12), read back into the structs with
//! `deny_unknown_fields`, and the stable-id guarantees.

use crate::databases::{skip, tools};
use crate::util::*;
use gazette::flat::{ArgumentRow, ArticleRow, EntityRow, EventRow, MentionRow};
use gazette::output::{fnv1a, ErrorRecord, Extraction};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::collections::HashSet;
use std::io::Write;
use std::process::{Command, Stdio};

const KINDS: [&str; 5] = ["articles", "entities", "mentions", "events", "arguments"];

fn stdout(args: &[&str]) -> String {
    let out = run(args, b"");
    String::from_utf8(out.stdout).unwrap()
}

/// Output with an error record in it: the corpus plus a record without text and a bad line.
fn records_with_errors() -> String {
    let mut input = std::fs::read_to_string(repo("fixtures/multi.jsonl")).unwrap();
    input.push_str("{\"id\":\"no-text\"}\nnot json\n");
    let out = run(&["--input", "jsonl"], input.as_bytes());
    assert_eq!(out.status.code(), Some(1));
    String::from_utf8(out.stdout).unwrap()
}

/// Validates JSON Lines against schema/NAME.schema.json; `Err` carries the validator's report.
fn validate(name: &str, jsonl: &str) -> Result<String, String> {
    let mut child = Command::new("python3")
        .arg(repo("tests/integration/validate.py"))
        .arg(repo("schema"))
        .arg(name)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python3");
    child.stdin.take().unwrap().write_all(jsonl.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    if out.status.success() {
        Ok(report)
    } else {
        Err(report)
    }
}

fn jsonschema_available() -> bool {
    if tools("schema validation", &["python3"]).is_none() {
        return false;
    }
    let ok = Command::new("python3").args(["-c", "import jsonschema, referencing"]).status().is_ok_and(|s| s.success());
    if !ok {
        let msg = "schema validation: the Python package jsonschema is not installed (tests/run.sh installs it)";
        assert!(std::env::var_os("GAZETTE_REQUIRE_TOOLS").is_none(), "{msg}; GAZETTE_REQUIRE_TOOLS is set");
        skip(msg);
    }
    ok
}

#[test]
fn cli_output_validates_against_the_schemas() {
    if !jsonschema_available() {
        return;
    }
    let multi = repo("fixtures/multi.jsonl");
    let multi = multi.to_str().unwrap();
    let all = records_with_errors();
    let (errors, records): (Vec<&str>, Vec<&str>) = all.lines().partition(|l| l.contains("\"error\":"));
    assert_eq!(errors.len(), 2);
    let r = validate("output", &all).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.contains(&format!("{} lines, 0 errors", records.len() + 2)), "{r}");
    validate("record", &(records.join("\n") + "\n")).unwrap_or_else(|e| panic!("{e}"));
    validate("error", &(errors.join("\n") + "\n")).unwrap_or_else(|e| panic!("{e}"));
    // Plain-text input (the id is the file name).
    let seed = stdout(&["fixtures/seed.txt"]);
    validate("record", &seed).unwrap_or_else(|e| panic!("{e}"));
    for kind in KINDS {
        let rows = stdout(&["--emit", kind, multi]);
        assert!(rows.lines().count() >= 7, "{kind}: {rows}");
        validate(kind, &rows).unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    // Error rows of the articles stream.
    let mut input = std::fs::read_to_string(repo("fixtures/seed.jsonl")).unwrap();
    input.push_str("{\"id\":\"no-text\"}\n");
    let rows = String::from_utf8(run(&["--emit", "articles", "--input", "jsonl"], input.as_bytes()).stdout).unwrap();
    assert!(rows.lines().any(|l| l.contains("\"article_id\":\"no-text\"") && l.contains("\"error\":\"")), "{rows}");
    validate("articles", &rows).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn the_schemas_reject_what_the_structs_reject() {
    if !jsonschema_available() {
        return;
    }
    let rec: Value = serde_json::from_str(stdout(&["fixtures/seed.jsonl"]).lines().next().unwrap()).unwrap();
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut v = rec.clone();
        f(&mut v);
        v.to_string() + "\n"
    };
    let cases: Vec<(&str, String)> = vec![
        ("unknown field", bad(&|v| v["extra"] = Value::Bool(true))),
        ("no schema_version", bad(&|v| drop(v.as_object_mut().unwrap().remove("schema_version")))),
        ("other schema_version", bad(&|v| v["schema_version"] = "2".into())),
        ("bad entity type", bad(&|v| v["entities"][0]["type"] = "planet".into())),
        ("negative offset", bad(&|v| v["events"][0]["trigger"]["start"] = (-1).into())),
        ("unknown event field", bad(&|v| v["events"][0]["score"] = 1.into())),
        ("bad event id", bad(&|v| v["events"][0]["id"] = "ev-1".into())),
    ];
    for (what, line) in cases {
        assert!(validate("record", &line).is_err(), "schema accepted a record with {what}");
        if what != "negative offset" && what != "bad event id" && what != "bad entity type" && what != "other schema_version" {
            assert!(serde_json::from_str::<Extraction>(&line).is_err(), "struct accepted a record with {what}");
        }
    }
    let row = stdout(&["--emit", "events", "fixtures/seed.jsonl"]);
    let mut v: Value = serde_json::from_str(row.lines().next().unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("measure");
    assert!(validate("events", &(v.to_string() + "\n")).is_err(), "an events row must carry every column");
}

/// Parses every line as `T` (deny_unknown_fields) and checks that writing it back gives the
/// same JSON: no field is lost or renamed on the way.
fn round_trip<T: DeserializeOwned + Serialize>(jsonl: &str) -> Vec<T> {
    jsonl
        .lines()
        .map(|l| {
            let t: T = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            let back: Value = serde_json::from_str(&serde_json::to_string(&t).unwrap()).unwrap();
            let orig: Value = serde_json::from_str(l).unwrap();
            assert_eq!(back, orig, "round trip of {l}");
            assert_eq!(serde_json::to_string(&t).unwrap(), l, "byte-identical re-serialisation");
            t
        })
        .collect()
}

#[test]
fn output_reads_back_into_the_structs() {
    let all = records_with_errors();
    let (errors, records): (Vec<&str>, Vec<&str>) = all.lines().partition(|l| l.contains("\"error\":"));
    let recs: Vec<Extraction> = round_trip(&records.join("\n"));
    assert_eq!(recs.len(), 8);
    let errs: Vec<ErrorRecord> = round_trip(&errors.join("\n"));
    assert_eq!(errs[0].id.as_deref(), Some("no-text"));
    assert_eq!(errs[1].id, None);
    let multi = repo("fixtures/multi.jsonl");
    let multi = multi.to_str().unwrap();
    let articles: Vec<ArticleRow> = round_trip(&stdout(&["--emit", "articles", multi]));
    let entities: Vec<EntityRow> = round_trip(&stdout(&["--emit", "entities", multi]));
    let mentions: Vec<MentionRow> = round_trip(&stdout(&["--emit", "mentions", multi]));
    let events: Vec<EventRow> = round_trip(&stdout(&["--emit", "events", multi]));
    let arguments: Vec<ArgumentRow> = round_trip(&stdout(&["--emit", "arguments", multi]));
    assert_eq!(articles.len(), recs.len());
    assert_eq!(entities.len(), recs.iter().map(|r| r.entities.len()).sum::<usize>());
    assert_eq!(events.len(), recs.iter().map(|r| r.events.len()).sum::<usize>());
    assert_eq!(arguments.len(), recs.iter().map(|r| r.events.iter().map(|e| e.arguments.len()).sum::<usize>()).sum::<usize>());
    assert!(mentions.len() >= recs.iter().map(|r| r.entities.iter().map(|e| e.mentions.len()).sum::<usize>()).sum::<usize>());
    // Every row carries the version and the article id of a record.
    let ids: HashSet<&str> = recs.iter().map(|r| r.id.as_str()).collect();
    assert!(entities.iter().all(|r| r.schema_version == "1" && ids.contains(r.article_id.as_str())));
    assert!(arguments.iter().all(|r| r.schema_version == "1" && ids.contains(r.article_id.as_str())));
    // Primary keys are unique (the DDL's keys; a duplicate would be silently dropped on load).
    fn unique<K: std::hash::Hash + Eq + std::fmt::Debug>(what: &str, keys: impl Iterator<Item = K>) {
        let mut seen = HashSet::new();
        for k in keys {
            assert!(seen.insert(format!("{k:?}")), "{what}: duplicate key {k:?}");
        }
    }
    unique("articles", articles.iter().map(|r| &r.article_id));
    unique("entities", entities.iter().map(|r| (&r.article_id, &r.entity_id)));
    unique("mentions", mentions.iter().map(|r| (&r.article_id, &r.entity_id, &r.field, r.start_char, r.end_char)));
    unique("events", events.iter().map(|r| &r.event_id));
    unique("arguments", arguments.iter().map(|r| (&r.event_id, &r.role, &r.entity_id, &r.field, r.start_char)));
    // Foreign keys hold: arguments → events, arguments → entities of the same article.
    let ev: HashSet<&str> = events.iter().map(|r| r.event_id.as_str()).collect();
    let ent: HashSet<(&str, &str)> = entities.iter().map(|r| (r.article_id.as_str(), r.entity_id.as_str())).collect();
    for a in &arguments {
        assert!(ev.contains(a.event_id.as_str()), "{a:?}");
        assert!(ent.contains(&(a.article_id.as_str(), a.entity_id.as_str())), "{a:?}");
    }
}

#[test]
fn csv_and_tsv_carry_the_same_rows_as_jsonl() {
    let multi = repo("fixtures/multi.jsonl");
    let multi = multi.to_str().unwrap();
    fn check<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(kind: &str, multi: &str, columns: &[&str]) {
        let json: Vec<T> = stdout(&["--emit", kind, multi]).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let csv_text = stdout(&["--emit", kind, "--format", "csv", multi]);
        assert!(csv_text.starts_with(&(columns.join(",") + "\r\n")), "{kind}: CSV header");
        let mut rd = csv::ReaderBuilder::new().from_reader(csv_text.as_bytes());
        let from_csv: Vec<T> = rd.deserialize().collect::<Result<_, _>>().unwrap();
        assert_eq!(from_csv, json, "{kind}: CSV");
        let tsv = stdout(&["--emit", kind, "--format", "tsv", multi]);
        let mut lines = tsv.lines();
        assert_eq!(lines.next().unwrap(), columns.join("\t"));
        let from_tsv: Vec<T> = lines
            .map(|l| {
                let cells: Vec<String> = l.split('\t').map(unescape).collect();
                assert_eq!(cells.len(), columns.len(), "{kind}: {l}");
                let mut obj = serde_json::Map::new();
                for (c, v) in columns.iter().zip(cells) {
                    obj.insert(c.to_string(), tsv_value(json_kind(c), v));
                }
                serde_json::from_value(Value::Object(obj)).unwrap()
            })
            .collect();
        assert_eq!(from_tsv, json, "{kind}: TSV");
    }
    // TSV cells are text: numbers are parsed back by column name.
    fn json_kind(c: &str) -> &'static str {
        let numeric = ["start_char", "end_char", "trigger_start", "trigger_end", "sentence_start", "sentence_end", "confidence", "count", "amount"];
        if numeric.contains(&c) || c.ends_with("_count") {
            "number"
        } else {
            "string"
        }
    }
    fn tsv_value(kind: &str, v: String) -> Value {
        if v == "\u{0}NULL" {
            Value::Null
        } else if kind == "number" {
            serde_json::from_str(&v).unwrap()
        } else {
            Value::String(v)
        }
    }
    fn unescape(s: &str) -> String {
        if s == "\\N" {
            return "\u{0}NULL".into();
        }
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c == '\\' {
                match it.next() {
                    Some('t') => out.push('\t'),
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some(o) => out.push(o),
                    None => panic!("dangling backslash in {s:?}"),
                }
            } else {
                out.push(c);
            }
        }
        out
    }
    check::<ArticleRow>("articles", multi, ArticleRow::COLUMNS);
    check::<EntityRow>("entities", multi, EntityRow::COLUMNS);
    check::<MentionRow>("mentions", multi, MentionRow::COLUMNS);
    check::<EventRow>("events", multi, EventRow::COLUMNS);
    check::<ArgumentRow>("arguments", multi, ArgumentRow::COLUMNS);
}

#[test]
fn schema_files_list_the_row_columns() {
    for (kind, cols) in [
        ("articles", ArticleRow::COLUMNS),
        ("entities", EntityRow::COLUMNS),
        ("mentions", MentionRow::COLUMNS),
        ("events", EventRow::COLUMNS),
        ("arguments", ArgumentRow::COLUMNS),
    ] {
        let s: Value = serde_json::from_str(&std::fs::read_to_string(repo(&format!("schema/{kind}.schema.json"))).unwrap()).unwrap();
        let required: Vec<&str> = s["required"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
        assert_eq!(required, cols, "{kind}: required = every column, in order");
        let mut props: Vec<&str> = s["properties"].as_object().unwrap().keys().map(|k| k.as_str()).collect();
        let mut c = cols.to_vec();
        props.sort();
        c.sort();
        assert_eq!(props, c, "{kind}");
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["properties"]["schema_version"]["const"], gazette::output::SCHEMA_VERSION);
    }
}

#[test]
fn ids_are_stable_and_unique() {
    let input = std::fs::read_to_string(repo("fixtures/multi.jsonl")).unwrap();
    let forward = lines(&run(&["--input", "jsonl"], input.as_bytes()));
    // The same articles in reverse order: every record is the same (ids depend on the article only).
    let reversed: String = input.lines().rev().map(|l| format!("{l}\n")).collect();
    let mut backward = lines(&run(&["--input", "jsonl"], reversed.as_bytes()));
    backward.reverse();
    assert_eq!(forward, backward);
    for r in &forward {
        let evs = r["events"].as_array().unwrap();
        let ids: HashSet<&str> = evs.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), evs.len(), "event ids unique in {}", r["id"]);
    }
    // An article without an id gets `doc-` + the FNV-1a hash of its text.
    let last: Value = serde_json::from_str(input.lines().last().unwrap()).unwrap();
    assert!(last.get("id").is_none());
    let want = format!("doc-{:016x}", fnv1a(last["text"].as_str().unwrap().as_bytes()));
    assert_eq!(forward.last().unwrap()["id"], want.as_str());
    // Gazetteer entities keep their id and name in every article; context entities have
    // `type:slug` ids.
    let mut names: std::collections::HashMap<String, String> = Default::default();
    let mut us_articles = 0;
    for r in &forward {
        for e in r["entities"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap().to_string();
            let name = e["name"].as_str().unwrap().to_string();
            if e["source"] == "gazetteer" {
                assert_eq!(names.entry(id.clone()).or_insert(name.clone()), &name, "{id}");
            } else {
                let ty = e["type"].as_str().unwrap();
                assert_eq!(id, format!("{ty}:{}", gazette::entities::slug(&name)), "context entity id");
            }
            if id == "country:us" {
                us_articles += 1;
            }
        }
    }
    assert!(us_articles >= 3);
    // Same text, different surrounding corpus or run: same event ids.
    let seed_alone = lines(&run(&["fixtures/seed.jsonl"], b""));
    assert_eq!(seed_alone[0]["events"], forward[0]["events"]);
}

#[test]
fn event_ids_are_disambiguated_deterministically() {
    let x = gazette::Extractor::embedded().unwrap();
    let mut rec = x.extract(&gazette::Article::from_text("The United States imposed sanctions on Huawei."));
    assert!(!rec.events.is_empty());
    let first = rec.events[0].clone();
    rec.events = vec![first.clone(), first.clone(), first.clone()];
    gazette::output::disambiguate_event_ids(&mut rec.events);
    let ids: Vec<&str> = rec.events.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, [first.id.clone(), format!("{}-2", first.id), format!("{}-3", first.id)]);
}
