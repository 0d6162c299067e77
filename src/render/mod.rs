//! Rendering: extraction results as one self-contained HTML page, for people to check what
//! the extractor found.
//!
//! Two views:
//!
//! - [`article_page`]: every article's text with entity mentions highlighted and coloured by
//!   type (automakers have their own colour), each linked to its entity (id, parent, country);
//!   event cards beside the text; selecting a card highlights its trigger, its sentence and its
//!   argument mentions.
//! - [`summary_page`]: the corpus — counts by type, the most-mentioned entities, a
//!   who-did-what-to-whom table whose cells link to the articles, and a compact entry per
//!   article with each event's evidence sentence.
//!
//! A page is one file with no external assets: the style sheet and a small script are inline,
//! and a Content-Security-Policy forbids every network request and any script but gazette's own
//! (by hash). All article text goes through [`html::esc`]. Offsets are checked against the
//! text before a span is highlighted: a span that does not match (output rendered with the
//! wrong articles file) is skipped and counted, never trusted.
//!
//! Input is a list of [`Doc`]s: an article with its [`Extraction`] (freshly extracted, or
//! re-read from gazette's JSON Lines output with [`doc_from_output`]), or an error record.
//! The output record does not carry the article text; [`Doc::attach`] joins it from the
//! articles by id.
//!
//! ```
//! use gazette::{Article, Extractor, render};
//!
//! let x = Extractor::embedded().unwrap();
//! let article = Article::from_text("Huawei has extended a patent license agreement with Nokia.");
//! let doc = render::Doc::extracted(&article, x.extract(&article));
//! let page = render::article_page(&[doc], &render::Options::default());
//! assert!(page.contains("license.extended"));
//! ```

mod article;
pub mod html;
mod summary;

pub use article::article_page;
pub use summary::summary_page;

use crate::input::Article;
use crate::output::Extraction;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write as _;

/// One article to render: its text (when known) and its extraction, or an error.
#[derive(Debug, Clone)]
pub struct Doc {
    /// Article id.
    pub id: String,
    /// Headline.
    pub title: Option<String>,
    /// Body text; `None` when rendering output records without their articles.
    pub text: Option<String>,
    /// Link to the original (shown only if it is an http(s) URL).
    pub url: Option<String>,
    /// Publisher or feed.
    pub source: Option<String>,
    /// Where the record was read (`FILE:LINE`).
    pub origin: Option<String>,
    /// The extraction, or why there is none.
    pub result: Result<Extraction, String>,
}

impl Doc {
    /// An article and its extraction.
    pub fn extracted(article: &Article, x: Extraction) -> Doc {
        Doc {
            id: x.id.clone(),
            title: article.title.clone(),
            text: Some(article.text.clone()),
            url: article.url.clone(),
            source: article.source.clone(),
            origin: None,
            result: Ok(x),
        }
    }

    /// A record that could not be read or processed.
    pub fn error(id: Option<String>, message: impl Into<String>, origin: Option<String>) -> Doc {
        Doc {
            id: id.unwrap_or_else(|| "(no id)".into()),
            title: None,
            text: None,
            url: None,
            source: None,
            origin,
            result: Err(message.into()),
        }
    }

    /// Fills in the text, title, URL and source from the article this record was extracted
    /// from (fields already set are kept).
    pub fn attach(&mut self, article: &Article) {
        self.text.get_or_insert_with(|| article.text.clone());
        if self.title.is_none() {
            self.title = article.title.clone();
        }
        if self.url.is_none() {
            self.url = article.url.clone();
        }
        if self.source.is_none() {
            self.source = article.source.clone();
        }
    }
}

/// What a JSON Lines record is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    /// gazette output: has `entities` or `events`.
    Output,
    /// gazette error record: has `error` and no `text`.
    Error,
    /// An input article (anything else; it must have the text field).
    Article,
}

/// Classifies a parsed JSON Lines record.
pub fn classify(v: &Value) -> RecordKind {
    let has = |k: &str| v.get(k).is_some();
    if v.get("entities").is_some_and(Value::is_array) || v.get("events").is_some_and(Value::is_array) {
        RecordKind::Output
    } else if has("error") && !has("text") {
        RecordKind::Error
    } else {
        RecordKind::Article
    }
}

/// Reads one gazette output record. Article fields that the output does not define (`text`,
/// `title`, `url`, `source`) may be present — a record merged with its article — and are kept.
pub fn doc_from_output(v: Value, origin: Option<String>) -> Doc {
    let Value::Object(mut obj) = v else {
        return Doc::error(None, "record is not a JSON object", origin);
    };
    let mut take = |k: &str| match obj.remove(k) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let (text, title, url, source) = (take("text"), take("title"), take("url"), take("source"));
    let id = obj.get("id").and_then(Value::as_str).map(str::to_string);
    match serde_json::from_value::<Extraction>(Value::Object(obj)) {
        Ok(x) => Doc { id: x.id.clone(), title, text, url, source, origin, result: Ok(x) },
        Err(e) => Doc::error(id, format!("not a gazette output record: {e}"), origin),
    }
}

/// Reads one gazette error record (`{"id":…,"error":…}`).
pub fn doc_from_error(v: &Value, origin: Option<String>) -> Doc {
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
    Doc::error(s("id"), s("error").unwrap_or_else(|| "error record".into()), s("source").or(origin))
}

/// Rendering options.
#[derive(Debug, Clone)]
pub struct Options {
    /// Page title (default: "gazette — N articles").
    pub title: Option<String>,
    /// Names of entities by id, for parents that are not entities of the article
    /// (brand → group); typically from the gazetteer.
    pub names: HashMap<String, String>,
    /// How many entities to list per type in the summary.
    pub top: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options { title: None, names: HashMap::new(), top: 10 }
    }
}

impl Options {
    /// Options with entity names taken from a gazetteer (for parents' names).
    pub fn with_gazetteer(gaz: &crate::Gazetteer) -> Options {
        let names = gaz.entries().map(|e| (e.id.clone(), e.name.clone())).collect();
        Options { names, ..Options::default() }
    }
}

/// The colour class of an entity: its subtype `automaker`, else its type.
pub(crate) fn kind(entity_type: &str, subtype: Option<&str>) -> &'static str {
    if subtype == Some("automaker") {
        return "automaker";
    }
    match entity_type {
        "company" => "company",
        "country" => "country",
        "location" => "location",
        "government" => "government",
        "organization" => "organization",
        "person" => "person",
        _ => "other",
    }
}

/// The kinds in legend order, with their labels.
pub(crate) const KINDS: &[(&str, &str)] = &[
    ("company", "company"),
    ("automaker", "automaker"),
    ("country", "country"),
    ("location", "location"),
    ("government", "government"),
    ("organization", "organization"),
    ("person", "person"),
    ("other", "other"),
];

/// Whether an event counts (the taxonomy's rule): positive and asserted or reported.
pub(crate) fn counted(polarity: &str, modality: &str) -> bool {
    polarity == "positive" && (modality == "asserted" || modality == "reported")
}

const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("script.js");

/// Wraps a body into the full page: inline style and script, and a policy that allows no
/// network request and no script but this one.
pub(crate) fn page(title: &str, body: &str) -> String {
    let hash = html::base64(&html::sha256(SCRIPT.as_bytes()));
    let mut out = String::with_capacity(body.len() + STYLE.len() + SCRIPT.len() + 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; \
         script-src 'sha256-{hash}'; img-src data:; base-uri 'none'; form-action 'none'\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"generator\" content=\"gazette {}\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        html::esc(title)
    );
    out.push_str(body);
    let _ = write!(out, "<script>{SCRIPT}</script>\n</body>\n</html>\n");
    out
}

/// The colour legend.
pub(crate) fn legend(out: &mut String) {
    out.push_str("<div class=\"legend\" aria-label=\"entity colours\">");
    for (k, label) in KINDS {
        let _ = write!(out, "<span class=\"chip k-{k}\">{label}</span>");
    }
    out.push_str("</div>");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn classifies_records() {
        assert_eq!(classify(&json!({"id": "a", "text": "x"})), RecordKind::Article);
        assert_eq!(classify(&json!({"id": "a", "entities": [], "events": []})), RecordKind::Output);
        assert_eq!(classify(&json!({"id": "a", "text": "x", "entities": []})), RecordKind::Output);
        assert_eq!(classify(&json!({"id": "a", "error": "bad"})), RecordKind::Error);
    }

    #[test]
    fn output_record_keeps_merged_article_fields() {
        let v = json!({"schema_version": "1", "id": "a", "entities": [], "events": [], "quotes": [], "text": "Body", "title": "T"});
        let d = doc_from_output(v, None);
        assert_eq!(d.text.as_deref(), Some("Body"));
        assert_eq!(d.title.as_deref(), Some("T"));
        assert!(d.result.is_ok());
    }

    #[test]
    fn malformed_output_record_becomes_an_error_doc() {
        let d = doc_from_output(json!({"id": "a", "entities": [{"bogus": 1}]}), Some("f:3".into()));
        assert_eq!(d.id, "a");
        assert!(d.result.unwrap_err().contains("not a gazette output record"));
    }

    #[test]
    fn inconsistent_offsets_never_panic() {
        // Hand-edited or mismatched output: spans past the text, inverted, inside a
        // sentence whose text is shorter than its offsets say.
        let span = |t: &str, s: usize, e: usize| json!({"text": t, "start": s, "end": e});
        let rec = json!({"schema_version": "1", "id": "x", "text": "Zürich: Nokia sued Huawei.",
            "entities": [{"id": "company:nokia", "name": "Nokia", "type": "company", "source": "gazetteer",
                          "mentions": [span("Nokia", 8, 13), span("Nokia", 500, 505), span("Nokia", 13, 8), span("Nokia", 0, 5)],
                          "references": [{"text": "it", "start": 99, "end": 101, "kind": "pronoun"}]}],
            "events": [{"id": "e", "type": "lawsuit.filed", "polarity": "positive", "modality": "asserted",
                        "arguments": [{"role": "plaintiff", "entity": "company:nokia", "text": "Nokia", "start": 8, "end": 40, "via": "name"},
                                      {"role": "defendant", "entity": "company:ghost", "text": "Huawei", "start": 19, "end": 25, "via": "name"}],
                        "trigger": span("sued", 14, 18), "sentence": span("short", 0, 26), "rule": "r", "confidence": 0.5}],
            "quotes": []});
        let doc = doc_from_output(rec, None);
        assert!(doc.result.is_ok());
        let docs = [doc];
        let page = article_page(&docs, &Options::default());
        assert!(page.contains("did not match the text"));
        assert_eq!(page.matches("class=\"m k-company\"").count(), 1, "only the mention that matches is highlighted");
        let summary = summary_page(&docs, &Options::default());
        assert!(summary.contains("lawsuit.filed"));
    }

    #[test]
    fn page_policy_hash_matches_the_script() {
        let p = page("t", "");
        let hash = html::base64(&html::sha256(SCRIPT.as_bytes()));
        assert!(p.contains(&format!("'sha256-{hash}'")));
        assert!(p.contains(&format!("<script>{SCRIPT}</script>")));
    }
}
