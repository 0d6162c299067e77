//! Event extraction on sentences written for these tests: types, roles, polarity, modality,
//! dates, amounts and quotes, through the CLI (JSON Lines in, JSON Lines out).

use crate::util::{assert_offsets, lines, run};
use serde_json::Value;

fn extract(text: &str, published: &str) -> Value {
    let rec = serde_json::json!({"id": "t", "text": text, "published": published});
    let out = run(&["--input", "jsonl"], format!("{rec}\n").as_bytes());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v = lines(&out).remove(0);
    assert_offsets(text, "", &v);
    v
}

fn name<'a>(rec: &'a Value, id: &str) -> &'a str {
    rec["entities"].as_array().unwrap().iter().find(|e| e["id"] == id).and_then(|e| e["name"].as_str()).unwrap_or("")
}

/// Counted events (positive; asserted or reported) of a type.
fn counted<'a>(rec: &'a Value, ty: &str) -> Vec<&'a Value> {
    rec["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == ty && e["polarity"] == "positive" && (e["modality"] == "asserted" || e["modality"] == "reported"))
        .collect()
}

fn has_arg(rec: &Value, ty: &str, role: &str, who: &str) -> bool {
    counted(rec, ty).iter().any(|e| e["arguments"].as_array().unwrap().iter().any(|a| a["role"] == role && name(rec, a["entity"].as_str().unwrap()) == who))
}

#[test]
fn every_family_yields_events_with_arguments() {
    let cases: &[(&str, &str, &str, &str)] = &[
        ("Siemens agreed to buy Alstom for $4.5bn.", "acquisition.announced", "acquired", "Alstom"),
        ("Renault and Nissan have agreed to merge.", "merger.announced", "parties", "Nissan"),
        ("Oracle sued Google over Java.", "lawsuit.filed", "defendant", "Google"),
        ("The European Commission fined Google 2.4 bln euros.", "fine.imposed", "target", "Google"),
        ("The Securities and Exchange Commission opened an investigation into Tesla.", "investigation.opened", "target", "Tesla"),
        ("SoftBank took a 15% stake in Uber last year.", "investment.made", "investee", "Uber"),
        ("Honda is recalling 300,000 cars.", "product.recalled", "company", "Honda"),
        ("Ford will cut 3,800 jobs in Europe.", "jobs.cut", "company", "Ford"),
        ("The United States imposed tariffs on Chinese steel.", "tariff.imposed", "target", "China"),
        ("Nokia signed a patent license agreement with Samsung.", "license.signed", "parties", "Samsung Electronics"),
        ("Sony's operating profit fell 40% in the quarter.", "profit.declined", "company", "Sony"),
    ];
    for (text, ty, role, who) in cases {
        let rec = extract(text, "2023-05-10");
        assert!(has_arg(&rec, ty, role, who), "{text}: expected {ty} {role}={who} in {}", rec["events"]);
    }
}

#[test]
fn talks_threats_and_negations_are_not_counted() {
    // Each of these still yields its event, with the attribute that says why it is not counted.
    for text in [
        "Renault and Nissan are in talks to merge.",
        "The United States threatened to impose tariffs on China.",
        "Google may be fined by the European Commission.",
        "Honda did not recall any cars.",
        "Siemens is considering a bid for Alstom.",
    ] {
        let rec = extract(text, "2023-05-10");
        for e in rec["events"].as_array().unwrap() {
            let counted = e["polarity"] == "positive" && (e["modality"] == "asserted" || e["modality"] == "reported");
            assert!(!counted, "{text}: counted {e}");
        }
    }
}

#[test]
fn attributes_date_amount_count_measure_and_rule() {
    let rec = extract("On Monday, December 26, the Commerce Department added Huawei to its entity list.", "2022-12-27");
    let e = counted(&rec, "sanction.imposed")[0];
    assert_eq!(e["date"], "2022-12-26");
    // An addition to the entity list is that measure (TAXONOMY.md: sanctions, export_ban, entity_list).
    assert_eq!(e["measure"], "entity_list");
    assert!(e["rule"].as_str().unwrap().starts_with("sanction.imposed."));
    assert!(has_arg(&rec, "sanction.imposed", "imposer", "Commerce Department") || has_arg(&rec, "sanction.imposed", "imposer", "Department of Commerce"), "{}", rec["events"]);

    let rec = extract("Toyota was fined US$16.4 million by the National Highway Traffic Safety Administration last year.", "2010-04-20");
    let e = counted(&rec, "fine.imposed")[0];
    assert_eq!(e["amount"]["value"], 16.4e6);
    assert_eq!(e["amount"]["currency"], "USD");
    assert_eq!(e["date"], "2009");
    assert!(has_arg(&rec, "fine.imposed", "target", "Toyota"));

    let rec = extract("Ford will cut 3,800 jobs.", "2023-05-10");
    assert_eq!(counted(&rec, "jobs.cut")[0]["count"], 3800);
}

#[test]
fn a_sentence_referring_back_takes_arguments_from_the_previous_one() {
    let rec = extract("Amazon sued rival Barnes & Noble in 1999. The two parties then settled their dispute in 2002.", "2010-01-01");
    assert!(has_arg(&rec, "lawsuit.settled", "parties", "Amazon"), "{}", rec["events"]);
    assert!(has_arg(&rec, "lawsuit.settled", "parties", "Barnes & Noble"), "{}", rec["events"]);
    assert_eq!(counted(&rec, "lawsuit.settled")[0]["date"], "2002");
}

#[test]
fn quotes_carry_resolved_speakers() {
    let text = "\"We will keep investing in research,\" said the head of Nokia Technologies, Jenni Lukander. \
                Chief executive Pekka Lundmark said: \"Our licensing business is growing fast.\"";
    let rec = extract(text, "2023-05-10");
    let quotes = rec["quotes"].as_array().unwrap();
    assert_eq!(quotes.len(), 2, "{quotes:?}");
    assert_eq!(name(&rec, quotes[0]["speaker"].as_str().unwrap_or("")), "Jenni Lukander");
    assert_eq!(name(&rec, quotes[1]["speaker"].as_str().unwrap_or("")), "Pekka Lundmark");
}

#[test]
fn people_alone_do_not_make_business_events() {
    // Sport and shopping use the words of deals: no acquisition.
    for text in [
        "Kevin Marsh takes over from the injured Tom Ellery on the right wing.",
        "Shoppers like Jane Doherty were keen to buy new televisions, said Peter Holm.",
    ] {
        let rec = extract(text, "2024-05-06");
        for ty in ["acquisition.completed", "acquisition.announced"] {
            assert!(counted(&rec, ty).is_empty(), "{ty} in {text:?}: {}", rec["events"]);
        }
    }
    // A person buying a company still counts.
    let rec = extract("Investor Carl Rowe agreed to buy Ryanair for $4bn.", "2024-05-06");
    assert!(has_arg(&rec, "acquisition.announced", "acquired", "Ryanair"), "{}", rec["events"]);
}

#[test]
fn a_country_naming_where_a_firm_is_from_is_no_argument() {
    let rec = extract("Parents are suing US retail giant Walmart over a music CD.", "2024-05-06");
    assert!(has_arg(&rec, "lawsuit.filed", "defendant", "Walmart"), "{}", rec["events"]);
    assert!(!has_arg(&rec, "lawsuit.filed", "defendant", "United States"), "{}", rec["events"]);
    // Sanctions on a country's firms do target the country.
    let rec = extract("The United States imposed sanctions on Chinese firms.", "2024-05-06");
    assert!(has_arg(&rec, "sanction.imposed", "target", "China"), "{}", rec["events"]);
}
