//! Time of each pipeline stage over a JSON Lines corpus, through the library.
//!
//! `cargo bench --bench stages -- CORPUS.jsonl [GAZETTEER_DIR]` (bench/run.sh runs it).
//! Stages, each run over the whole corpus on one thread: reading + JSON parsing, segmentation
//! (tokens, sentences, dateline), gazetteer matching (token ids + trie walk), the rest of entity
//! analysis (resolution, people, anchors), events (quotes + rules), record building, and JSON
//! serialisation. It checks its work: the counts of tokens, matches, entities and events must
//! agree between the stage-by-stage run and `Extractor::extract`, or it fails loudly.

use gazette::input::{parse_json_record, Fields};
use gazette::{entities, events, output, segment, Article, Extractor};
use std::time::Instant;

/// The allocator of the `gazette` binary, so that the stages cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| a != "--bench").collect();
    let Some(corpus) = args.first() else {
        eprintln!("usage: stages CORPUS.jsonl [GAZETTEER_DIR]");
        std::process::exit(2);
    };
    let t = Instant::now();
    let x = match args.get(1) {
        Some(d) => Extractor::builder().gazetteers(d).build(),
        None => Extractor::embedded(),
    }
    .unwrap_or_else(|e| panic!("{e}"));
    let load = t.elapsed().as_secs_f64();
    let gaz = x.gazetteer();

    let t = Instant::now();
    let raw = std::fs::read_to_string(corpus).expect("read corpus");
    let read = t.elapsed().as_secs_f64();
    let mb = raw.len() as f64 / 1e6;
    let t = Instant::now();
    let fields = Fields::default();
    let articles: Vec<Article> = raw.lines().filter(|l| !l.trim().is_empty()).map(|l| parse_json_record(l, &fields).expect("valid record")).collect();
    let parse = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let segs: Vec<segment::Segmentation> = articles.iter().map(|a| segment::segment(&a.text)).collect();
    let seg = t.elapsed().as_secs_f64();
    let tokens: usize = segs.iter().map(|s| s.tokens.len()).sum();

    let t = Instant::now();
    let mut matches = 0usize;
    let mut found = Vec::new();
    for (a, s) in articles.iter().zip(&segs) {
        let ids = gaz.matcher().token_ids(&a.text, &s.tokens);
        found.clear();
        gaz.matcher().find(&a.text, &s.tokens, &ids, 0..s.tokens.len(), &mut found);
        matches += found.len();
    }
    let matching = t.elapsed().as_secs_f64();
    drop(segs);

    let t = Instant::now();
    let analyses: Vec<entities::Analysis> = articles.iter().map(|a| entities::analyze(gaz, a)).collect();
    let analyze = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let evs: Vec<(Vec<events::Quote>, Vec<events::Event>)> = articles
        .iter()
        .zip(&analyses)
        .map(|(a, an)| {
            let q = events::quotes::find_quotes(&a.text, an);
            let e = x.event_engine().extract(a, an, &q);
            (q, e)
        })
        .collect();
    let event_time = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let recs: Vec<output::Extraction> = articles.iter().zip(&analyses).zip(&evs).map(|((a, an), (q, e))| output::build(gaz, a, an, e, q)).collect();
    let build = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let mut out = Vec::with_capacity(raw.len() * 2);
    for r in &recs {
        serde_json::to_writer(&mut out, r).unwrap();
        out.push(b'\n');
    }
    let ser = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let whole: Vec<output::Extraction> = articles.iter().map(|a| x.extract(a)).collect();
    let full = t.elapsed().as_secs_f64();

    let n_ent: usize = recs.iter().map(|r| r.entities.len()).sum();
    let n_ev: usize = recs.iter().map(|r| r.events.len()).sum();
    assert_eq!(n_ent, whole.iter().map(|r| r.entities.len()).sum::<usize>(), "entity count differs from extract()");
    assert_eq!(n_ev, whole.iter().map(|r| r.events.len()).sum::<usize>(), "event count differs from extract()");
    assert!(matches > 0 && n_ent > 0, "no matches: wrong corpus or gazetteer?");

    let entity_rest = (analyze - seg - matching).max(0.0);
    println!("corpus {corpus}: {mb:.1} MB, {} articles, {tokens} tokens, {matches} raw matches, {n_ent} entities, {n_ev} events", articles.len());
    println!("gazetteer load {:.3} s ({} entries, {} surface forms)", load, gaz.len(), gaz.matcher().pattern_count());
    println!("| stage | seconds | MB/s | share |");
    println!("|---|---:|---:|---:|");
    let total = read + parse + analyze + event_time + build + ser;
    for (name, s) in [
        ("read file", read),
        ("JSON parse", parse),
        ("segmentation", seg),
        ("gazetteer matching", matching),
        ("entity resolution (rest of analyze)", entity_rest),
        ("events + quotes", event_time),
        ("record building", build),
        ("JSON serialisation", ser),
    ] {
        println!("| {name} | {s:.3} | {:.1} | {:.0}% |", mb / s.max(1e-9), 100.0 * s / total);
    }
    println!("| **sum** | {total:.3} | {:.1} | |", mb / total);
    println!("| Extractor::extract alone (check) | {full:.3} | {:.1} | |", mb / full);
}
