//! Quotations: direct quotes with their speaker resolved to an entity.
//!
//! Patterns: `"…," said [the role of Org,] Speaker`, `"…," Speaker said`, `Speaker said: "…"`,
//! and `according to Speaker`. The speaker is the first person named in the attribution, or
//! else the first organisation or company.

use crate::entities::{Analysis, AnchorKind};
use crate::gazetteer::EntityType;
use regex::Regex;
use std::sync::OnceLock;

/// A direct quotation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Byte start of the quoted text (inside the quote marks).
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Speaker entity index, if attributed.
    pub speaker: Option<usize>,
    /// Organisation the speaker speaks for (named in the attribution), if any.
    pub speaker_org: Option<usize>,
}

/// Quoted spans `(whole_start, inner_start, inner_end, whole_end)`: exactly the matches of
/// the regex `["“]([^"“”\n]{12,2000}?)["”]` (leftmost-first, non-overlapping), found by a
/// byte scan. The regex's bounded repetition of a Unicode class ran on the slow PikeVM.
fn quote_spans(text: &str) -> Vec<(usize, usize, usize, usize)> {
    const OPEN_CURLY: &[u8] = "“".as_bytes();
    const CLOSE_CURLY: &[u8] = "”".as_bytes();
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(k) = memchr::memchr2(b'"', OPEN_CURLY[0], &b[pos..]) {
        let p = pos + k;
        let open_len = if b[p] == b'"' {
            1
        } else if b[p..].starts_with(OPEN_CURLY) {
            OPEN_CURLY.len()
        } else {
            pos = p + 1;
            continue;
        };
        let inner_start = p + open_len;
        // The run of characters the class accepts, counted in chars, and what ends it. Only
        // `"`, a newline and a byte 0xE2 (the lead byte of both curly quotes) can end it:
        // memchr skips to the next of them and the chars in between are counted at once
        // (the bytes that do not continue a UTF-8 sequence); most bytes of a text are inside
        // quotes or between them, and a byte-at-a-time loop here was most of this stage's
        // quote cost. 2,001 chars take at most 8,004 bytes, so the search window stays
        // bounded as before.
        let limit = b.len().min(inner_start + 4 * 2001);
        let mut j = inner_start;
        let mut chars = 0usize;
        let mut close_len = 0;
        loop {
            let stop = memchr::memchr3(b'"', b'\n', OPEN_CURLY[0], &b[j..limit]).map_or(limit, |k| j + k);
            chars += b[j..stop].iter().filter(|&&c| c & 0xC0 != 0x80).count();
            j = stop;
            if chars > 2000 || stop == limit {
                break;
            }
            if b[j] == b'"' {
                close_len = 1;
                break;
            }
            if b[j] == b'\n' || b[j..].starts_with(OPEN_CURLY) {
                break;
            }
            if b[j..].starts_with(CLOSE_CURLY) {
                close_len = CLOSE_CURLY.len();
                break;
            }
            // Another character with lead byte 0xE2 (a dash, an ellipsis): part of the run.
            chars += 1;
            j += 1;
        }
        if close_len > 0 && (12..=2000).contains(&chars) {
            out.push((p, inner_start, j, j + close_len));
            pos = j + close_len;
        } else {
            pos = p + 1;
        }
        if pos >= b.len() {
            break;
        }
    }
    out
}

fn verb_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"\b(?:said|says|say|told|added|explained|noted|stated|wrote|commented|insisted|warned|argued|claimed|according to)\b").expect("verb regex")
    })
}

/// Finds quotes in the body text and attributes them.
pub fn find_quotes(text: &str, an: &Analysis) -> Vec<Quote> {
    let mut out = Vec::new();
    for (ws, is, ie, we) in quote_spans(text) {
        let inner = is..ie;
        let whole = ws..we;
        // Attribution window: the rest of the sentence after the quote, else the text before it.
        let si = crate::entities::sentence_of(&an.seg, whole.end.saturating_sub(1));
        let sent_end = an.seg.sentences.get(si).map_or(text.len(), |s| s.end).max(whole.end);
        let after = whole.end..sent_end.min(whole.end + 200);
        let before_start = an.seg.sentences.get(crate::entities::sentence_of(&an.seg, whole.start)).map_or(0, |s| s.start).min(whole.start);
        let before = before_start.max(whole.start.saturating_sub(200))..whole.start;
        let mut speaker = None;
        let mut org = None;
        for window in [after, before] {
            if window.start >= window.end || !text.is_char_boundary(window.start) || !text.is_char_boundary(window.end) {
                continue;
            }
            if !verb_regex().is_match(&text[window.clone()]) {
                continue;
            }
            for a in an.anchors.iter().filter(|a| a.kind == AnchorKind::Name && a.start >= window.start && a.end <= window.end) {
                let e = a.entities[0];
                match an.entities[e].kind {
                    EntityType::Person if speaker.is_none() => speaker = Some(e),
                    EntityType::Company | EntityType::Organization | EntityType::Government if org.is_none() => org = Some(e),
                    _ => {}
                }
            }
            if speaker.is_some() || org.is_some() {
                break;
            }
        }
        out.push(Quote { start: inner.start, end: inner.end, speaker: speaker.or(org), speaker_org: org });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the regex the scanner replaced finds in `s`, as [`quote_spans`] reports it.
    fn regex_spans(s: &str) -> Vec<(usize, usize, usize, usize)> {
        static RE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
        let re = RE.get_or_init(|| regex::Regex::new(r#"["“]([^"“”\n]{12,2000}?)["”]"#).unwrap());
        re.captures_iter(s)
            .map(|c| {
                let (w, i) = (c.get(0).unwrap(), c.get(1).unwrap());
                (w.start(), i.start(), i.end(), w.end())
            })
            .collect()
    }

    /// The scanner finds exactly what the regex it replaced finds.
    #[test]
    fn quote_scan_equals_regex() {
        let long = format!("\"{}\" and \"{}\" end", "é".repeat(2000), "x".repeat(2001));
        let cases = [
            "He said \"we will cut twelve jobs\" today.",
            "“Ça coûte très cher,” dit-il. \"short\" and \"a quote that is long enough”",
            "\"unterminated quote that runs on\nand \"another one that closes here\"",
            "“nested “quote that is long” here” and \"tiny\" \"",
            "\"\"\"\"  \"exactly twelve\" \"eleven char\" \"twelve chars\"",
            long.as_str(),
            "“",
            "",
        ];
        for s in cases {
            assert_eq!(quote_spans(s), regex_spans(s), "{s:?}");
        }
    }

    /// The same on many generated texts of quote marks, newlines, dashes and letters, with
    /// runs around the 12 and 2,000 character bounds.
    #[test]
    fn quote_scan_equals_regex_on_generated_texts() {
        let pieces = ["\"", "“", "”", "\n", "—", "…", "é", "a", " ", "x".repeat(5).leak(), "y".repeat(600).leak(), "€".repeat(700).leak()];
        // xorshift64: the same texts on every run.
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..next() % 24 {
                s.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            assert_eq!(quote_spans(&s), regex_spans(&s), "{s:?}");
        }
    }
}
