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

fn quote_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r#"["“]([^"“”\n]{12,2000}?)["”]"#).expect("quote regex"))
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
    for c in quote_regex().captures_iter(text) {
        let inner = c.get(1).expect("group");
        let whole = c.get(0).expect("match");
        // Attribution window: the rest of the sentence after the quote, else the text before it.
        let si = crate::entities::sentence_of(&an.seg, whole.end().saturating_sub(1));
        let sent_end = an.seg.sentences.get(si).map_or(text.len(), |s| s.end).max(whole.end());
        let after = whole.end()..sent_end.min(whole.end() + 200);
        let before_start = an.seg.sentences.get(crate::entities::sentence_of(&an.seg, whole.start())).map_or(0, |s| s.start).min(whole.start());
        let before = before_start.max(whole.start().saturating_sub(200))..whole.start();
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
                    EntityType::Person => {
                        if speaker.is_none() {
                            speaker = Some(e);
                        }
                    }
                    EntityType::Company | EntityType::Organization | EntityType::Government => {
                        if org.is_none() {
                            org = Some(e);
                        }
                    }
                    _ => {}
                }
            }
            if speaker.is_some() || org.is_some() {
                break;
            }
        }
        out.push(Quote { start: inner.start(), end: inner.end(), speaker: speaker.or(org), speaker_org: org });
    }
    out
}
