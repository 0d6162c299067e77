//! Input: articles from plain text or JSON Lines records.
//!
//! A JSON Lines record is an object with a required string `text` and optional `id`,
//! `title`, `published` (ISO 8601 date or date-time), `url` and `source`
//! (see `FORMAT.md`). Field names can be remapped with [`Fields`] for other layouts.

use crate::error::RecordError;
use serde_json::Value;

/// One news article, the unit of extraction.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// Caller's id; when absent the output uses a content hash.
    pub id: Option<String>,
    /// Headline, if any. Mentions found in it carry `"field": "title"`.
    pub title: Option<String>,
    /// The body text. All offsets index this string (in characters).
    pub text: String,
    /// Publication date `YYYY-MM-DD` (a date-time is cut to its date); anchors relative dates.
    pub published: Option<String>,
    /// Where the article came from, passed through.
    pub url: Option<String>,
    /// Publisher or feed name, passed through.
    pub source: Option<String>,
}

impl Article {
    /// An article with only a body text.
    pub fn from_text(text: impl Into<String>) -> Article {
        Article { text: text.into(), ..Article::default() }
    }
}

/// Which JSON fields hold the text, id and title.
#[derive(Debug, Clone)]
pub struct Fields {
    /// Field of the body text (default `text`).
    pub text: String,
    /// Field of the id (default `id`).
    pub id: String,
    /// Field of the title (default `title`).
    pub title: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields { text: "text".into(), id: "id".into(), title: "title".into() }
    }
}

fn string_field(obj: &serde_json::Map<String, Value>, key: &str) -> Option<String> {
    match obj.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Parses one JSON Lines record into an article.
///
/// Errors (malformed JSON, not an object, missing or non-string text) keep the record's id
/// when it could be read, so the error line can name it.
pub fn parse_json_record(line: &str, fields: &Fields) -> Result<Article, RecordError> {
    // A UTF-8 byte-order mark (files saved by Windows tools) opens the first line.
    let line = line.strip_prefix('\u{feff}').unwrap_or(line);
    let value: Value = serde_json::from_str(line)
        .map_err(|e| RecordError { id: None, message: format!("malformed JSON: {e}") })?;
    let mut obj = match value {
        Value::Object(obj) => obj,
        _ => return Err(RecordError { id: None, message: "record is not a JSON object".into() }),
    };
    let id = string_field(&obj, &fields.id);
    let title = string_field(&obj, &fields.title);
    let published = string_field(&obj, "published").map(|p| p.chars().take(10).collect());
    let (url, source) = (string_field(&obj, "url"), string_field(&obj, "source"));
    // The text is moved out of the record, not copied: every other field has been read.
    let text = match obj.remove(&fields.text) {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(RecordError { id, message: format!("field `{}` is not a string", fields.text) })
        }
        None => return Err(RecordError { id, message: format!("record has no `{}` field", fields.text) }),
    };
    Ok(Article { id, title, text, published, url, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_record_with_optional_fields() {
        let a = parse_json_record(
            r#"{"id":"a1","title":"T","text":"Body","published":"2022-12-27T10:00:00Z"}"#,
            &Fields::default(),
        )
        .unwrap();
        assert_eq!(a.id.as_deref(), Some("a1"));
        assert_eq!(a.title.as_deref(), Some("T"));
        assert_eq!(a.published.as_deref(), Some("2022-12-27"));
    }

    #[test]
    fn missing_text_is_an_error_that_keeps_the_id() {
        let e = parse_json_record(r#"{"id":"x"}"#, &Fields::default()).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("x"));
        assert!(e.message.contains("text"));
    }

    #[test]
    fn byte_order_mark_before_the_first_record_is_ignored() {
        let a = parse_json_record("\u{feff}{\"id\": \"a\", \"text\": \"Nokia rose.\"}", &Fields::default()).expect("record");
        assert_eq!((a.id.as_deref(), a.text.as_str()), (Some("a"), "Nokia rose."));
    }

    #[test]
    fn malformed_json_is_an_error() {
        assert!(parse_json_record("{not json", &Fields::default()).is_err());
        assert!(parse_json_record("[1,2]", &Fields::default()).is_err());
    }

    #[test]
    fn one_field_can_be_both_text_and_title() {
        let f = Fields { text: "body".into(), id: "body".into(), title: "body".into() };
        let a = parse_json_record(r#"{"body":"B"}"#, &f).unwrap();
        assert_eq!((a.id.as_deref(), a.title.as_deref(), a.text.as_str()), (Some("B"), Some("B"), "B"));
    }

    #[test]
    fn remapped_fields() {
        let f = Fields { text: "body".into(), id: "key".into(), title: "headline".into() };
        let a = parse_json_record(r#"{"key":7,"headline":"H","body":"B"}"#, &f).unwrap();
        assert_eq!((a.id.as_deref(), a.title.as_deref(), a.text.as_str()), (Some("7"), Some("H"), "B"));
    }
}
