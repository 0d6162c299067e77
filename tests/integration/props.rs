//! Property tests: no input makes the extractor or the JSON Lines reader panic, and every
//! reported offset slices back to its text.

use gazette::corpus::{decode, ReadOptions, RecordReader};
use gazette::{Article, Extractor};
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::embedded().unwrap())
}

/// Text that looks like news often enough to reach the deep stages: names from the
/// gazetteers, trigger verbs, quotes, dates, punctuation, non-ASCII and control characters.
fn newsy() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        Just("Apple".to_string()),
        Just("Huawei".to_string()),
        Just("Samsung Electronics".to_string()),
        Just("US".to_string()),
        Just("signed".to_string()),
        Just("sued".to_string()),
        Just("extended".to_string()),
        Just("a licence agreement with".to_string()),
        Just("said".to_string()),
        Just("\u{201c}".to_string()),
        Just("\"".to_string()),
        Just("on Monday".to_string()),
        Just("27 December 2022".to_string()),
        Just("$1.2bn".to_string()),
        Just("Mr.".to_string()),
        Just("JAKARTA (Reuters) -".to_string()),
        Just(".".to_string()),
        Just("\n\n".to_string()),
        Just("Škoda".to_string()),
        Just("İ".to_string()),
        "\\PC{0,12}",
        "[a-zA-Z]{1,10}",
    ];
    prop::collection::vec(word, 0..60).prop_map(|ws| ws.join(" "))
}

fn check(article: &Article) {
    let out = extractor().extract(article);
    let chars: Vec<char> = article.text.chars().collect();
    let tchars: Vec<char> = article.title.as_deref().unwrap_or("").chars().collect();
    let slice = |s: &gazette::output::Span| -> String {
        let src = if s.field.as_deref() == Some("title") { &tchars } else { &chars };
        src[s.start..s.end].iter().collect()
    };
    for e in &out.entities {
        for m in &e.mentions {
            assert_eq!(slice(m), m.text);
        }
    }
    for ev in &out.events {
        assert_eq!(slice(&ev.trigger), ev.trigger.text);
        for a in &ev.arguments {
            let sp = gazette::output::Span { text: a.text.clone(), start: a.start, end: a.end, field: a.field.clone() };
            assert_eq!(slice(&sp), a.text);
        }
    }
    serde_json::to_string(&out).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn extract_never_panics_on_any_string(text in "\\PC*", title in proptest::option::of("\\PC{0,40}")) {
        check(&Article { title, ..Article::from_text(text) });
    }

    #[test]
    fn extract_never_panics_on_newsy_text(text in newsy(), title in proptest::option::of(newsy()), published in proptest::option::of("[0-9-]{0,12}")) {
        check(&Article { title, published, ..Article::from_text(text) });
    }

    #[test]
    fn jsonl_reader_never_panics_and_gives_one_record_per_nonblank_line(bytes in prop::collection::vec(any::<u8>(), 0..2000), jsonish in "(\\{\"text\":\"[^\"\\\\]{0,40}\"(,\"id\":[0-9]{1,3})?\\}\n|[^\n]{0,20}\n|\n){0,10}") {
        let opts = ReadOptions { max_article_bytes: 64, ..ReadOptions::default() };
        for input in [bytes, jsonish.into_bytes()] {
            let nonblank = input.split(|&b| b == b'\n').filter(|l| !l.iter().all(|b| b.is_ascii_whitespace())).count();
            let recs: Vec<_> = RecordReader::from_bytes("p", input, true, &opts).collect();
            prop_assert_eq!(recs.len(), nonblank);
            for r in recs {
                if let Ok(a) = decode(r, &opts) {
                    check(&a);
                }
            }
        }
    }
}
