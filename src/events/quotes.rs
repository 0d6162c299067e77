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
        // The run of characters the class accepts, counted in chars, and what ends it.
        let mut j = inner_start;
        let mut chars = 0usize;
        let mut close_len = 0;
        while j < b.len() {
            let c = b[j];
            if c == b'"' {
                close_len = 1;
                break;
            }
            if c == b'\n' || b[j..].starts_with(OPEN_CURLY) {
                break;
            }
            if b[j..].starts_with(CLOSE_CURLY) {
                close_len = CLOSE_CURLY.len();
                break;
            }
            if c & 0xC0 != 0x80 {
                chars += 1;
                if chars > 2000 {
                    break;
                }
            }
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
            if verb_regex().find(&text[window.clone()]).is_none() {
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

    /// The scanner finds exactly what the regex it replaced finds.
    #[test]
    fn quote_scan_equals_regex() {
        let re = regex::Regex::new(r#"["“]([^"“”\n]{12,2000}?)["”]"#).unwrap();
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
            let want: Vec<(usize, usize, usize, usize)> = re
                .captures_iter(s)
                .map(|c| {
                    let (w, i) = (c.get(0).unwrap(), c.get(1).unwrap());
                    (w.start(), i.start(), i.end(), w.end())
                })
                .collect();
            assert_eq!(quote_spans(s), want, "{s:?}");
        }
    }
}
