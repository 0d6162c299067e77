//! Any bytes as a JSON Lines input: the reader, the record decoder and the extractor.
#![no_main]
use gazette::corpus::{decode, ReadOptions, RecordReader};
use gazette::Extractor;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::embedded().expect("embedded data loads"))
}

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions { max_article_bytes: 4096, ..ReadOptions::default() };
    let nonblank = data.split(|&b| b == b'\n').filter(|l| !l.iter().all(|b| b.is_ascii_whitespace())).count();
    let mut n = 0;
    for rec in RecordReader::from_bytes("fuzz", data.to_vec(), true, &opts) {
        n += 1;
        if let Ok(a) = decode(rec, &opts) {
            let _ = extractor().extract(&a);
        }
    }
    assert_eq!(n, nonblank, "one record per non-blank line");
});
