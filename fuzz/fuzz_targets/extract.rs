//! Any text (and title, and publication date) through the whole extractor.
#![no_main]
use gazette::{Article, Extractor};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static X: OnceLock<Extractor> = OnceLock::new();
    X.get_or_init(|| Extractor::embedded().expect("embedded data loads"))
}

fuzz_target!(|data: &[u8]| {
    let s = String::from_utf8_lossy(data);
    // Byte 0x01 splits the input into text \x01 title \x01 published.
    let mut parts = s.splitn(3, '\u{1}');
    let text = parts.next().unwrap_or("").to_string();
    let title = parts.next().map(str::to_string);
    let published = parts.next().map(str::to_string);
    let article = Article { title, published, ..Article::from_text(text) };
    let out = extractor().extract(&article);
    let _ = serde_json::to_string(&out);
});
