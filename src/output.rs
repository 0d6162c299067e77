//! Output: the JSON Lines record written for each article. **This module's types are the
//! schema** (`schema/` holds the same as JSON Schema).
//!
//! One record per input article, one line each, in input order:
//!
//! ```json
//! {"schema_version":"1","id":"seed","published":"2022-12-27",
//!  "entities":[{"id":"company:huawei","name":"Huawei","type":"company","source":"gazetteer",
//!               "mentions":[{"text":"Huawei","start":10,"end":16}]}],
//!  "events":[{"id":"ev:…","type":"license.extended","polarity":"positive","modality":"reported",
//!             "arguments":[{"role":"parties","entity":"company:huawei","text":"Huawei","start":10,"end":16}],
//!             "trigger":{"text":"extended","start":37,"end":45},"sentence":{…},"rule":"…","confidence":0.8}],
//!  "quotes":[]}
//! ```
//!
//! - All offsets are in Unicode scalar values (characters) of the field they point into
//!   (`text` unless `"field": "title"`), end exclusive: Python's `text[start:end]`.
//! - Optional fields are omitted when empty (`subtype`, `parent`, `country`, external ids,
//!   `date`, `count`, `amount`, `measure`, `object`, `field`, `references`).
//! - An article that cannot be processed gives `{"schema_version":"1","id":…,"error":…}` (and
//!   `source` = `FILE:LINE` when read from a file).
//! - Versioning: every record (and every flat row of [`crate::flat`]) carries
//!   `schema_version` ([`SCHEMA_VERSION`], now `"1"`). Adding an optional field keeps it;
//!   removing or renaming a field, making an optional field required, or changing a field's
//!   meaning or type increments it. The JSON Schemas pin it with `const`.
//!
//! ## Schema files
//!
//! `schema/record.schema.json` ([`Extraction`]), `schema/error.schema.json` ([`ErrorRecord`]),
//! `schema/output.schema.json` (any output line: one of the two), and one file per flat row kind
//! (`schema/{articles,entities,mentions,events,arguments}.schema.json`, see [`crate::flat`]); all
//! JSON Schema draft 2020-12 with `additionalProperties: false`. The tests validate real output
//! against them and read it back into these structs, which all `deny_unknown_fields`.
//!
//! ## Required and optional fields
//!
//! Fields whose type is not `Option`/`Vec`-with-skip are always present. Always present:
//! record `schema_version`, `id`, `entities`, `events`, `quotes` (possibly empty arrays);
//! entity `id`, `name`, `type`, `source`, `mentions` (at least one); event `id`, `type`,
//! `polarity`, `modality`, `arguments`, `trigger`, `sentence`, `rule`, `confidence`; argument
//! `role`, `entity`, `text`, `start`, `end`, `via`; span/quote/dateline `text`, `start`, `end`;
//! error `schema_version`, `id` (`null` when unreadable), `error`. Everything else is omitted when
//! absent.
//!
//! ## Ids
//!
//! - Article: the input's `id`, else `doc-` + 16 hex digits of the 64-bit FNV-1a hash of the text
//!   ([`article_id`]).
//! - Entity: the gazetteer's canonical id (`company:huawei`), the same in every article; an
//!   entity found from context gets `type:slug` of its normalised name
//!   ([`crate::entities::slug`]: `person:alan-fan`).
//! - Event: `ev-` + 16 hex digits of FNV-1a over (article id, type, sorted deduplicated
//!   `role=entity` pairs, trigger field and character start); a second event with the same key
//!   in one record gets `-2`, a third `-3`, in record order ([`disambiguate_event_ids`]). The id
//!   depends only on the article, so re-running a corpus upserts rather than duplicates.

use crate::entities::{Analysis, AnchorKind, Field};
use crate::events::{Event, Modality, Polarity, Quote};
use crate::gazetteer::Gazetteer;
use crate::input::Article;
use crate::segment::CharOffsets;
use serde::{Deserialize, Serialize};

/// The schema version written in every record.
pub const SCHEMA_VERSION: &str = "1";

/// 64-bit FNV-1a: a small, stable hash for deterministic ids.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf29ce484222325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x100000001b3);
    }
    h
}

/// A span of text with character offsets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Span {
    /// The text of the span.
    pub text: String,
    /// Character start.
    pub start: usize,
    /// Character end (exclusive).
    pub end: usize,
    /// `"title"` when the span is in the title; absent for the body text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// A reference to an entity by a nominal or pronoun.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Text ("the Chinese giant").
    pub text: String,
    /// Character start.
    pub start: usize,
    /// Character end.
    pub end: usize,
    /// `nominal` or `pronoun`.
    pub kind: String,
}

/// A document-level entity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRecord {
    /// Stable id: the gazetteer's canonical id, or `type:slug-of-name` for entities found
    /// from context.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// company, country, location, government, organization or person.
    #[serde(rename = "type")]
    pub entity_type: String,
    /// `automaker`, `media`, `city`, ...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtype: Option<String>,
    /// Parent entity id (brand → group).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Wikidata QID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wikidata: Option<String>,
    /// Ticker.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ticker: Option<String>,
    /// ISIN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isin: Option<String>,
    /// SEC CIK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cik: Option<String>,
    /// `gazetteer` or `context`.
    pub source: String,
    /// Every mention, title first, in text order.
    pub mentions: Vec<Span>,
    /// Nominal and pronoun references resolved to this entity.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
}

/// A role argument.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgumentRecord {
    /// Role.
    pub role: String,
    /// Entity id (an `entities[].id` of the same record).
    pub entity: String,
    /// The text that named it in this event ("Huawei", "the company", "it").
    pub text: String,
    /// Character start of that text.
    pub start: usize,
    /// Character end.
    pub end: usize,
    /// `title` when in the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `name`, `nominal`, `pronoun` or `demonym`.
    pub via: String,
}

/// A money amount.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AmountRecord {
    /// Value in currency units.
    pub value: f64,
    /// ISO 4217, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Source text.
    pub text: String,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRecord {
    /// Deterministic id: hash of (article id, type, sorted arguments, trigger offset).
    pub id: String,
    /// Event type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// `positive` or `negative`.
    pub polarity: String,
    /// `asserted`, `reported`, `planned` or `hypothetical`.
    pub modality: String,
    /// ISO 8601 date at the precision the text gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Arguments, sorted by role, character start and entity id.
    pub arguments: Vec<ArgumentRecord>,
    /// The trigger word(s).
    pub trigger: Span,
    /// The sentence holding the trigger (same field as the trigger).
    pub sentence: Span,
    /// Id of the rule that fired.
    pub rule: String,
    /// 0..1.
    pub confidence: f32,
    /// Count ("about 15 automakers" → 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Money amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<AmountRecord>,
    /// Measure (sanctions, export_ban, entity_list...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<String>,
    /// Object (patents, 5G...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
}

/// A direct quotation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuoteRecord {
    /// Quoted text, without the quote marks.
    pub text: String,
    /// Character start.
    pub start: usize,
    /// Character end.
    pub end: usize,
    /// Speaker entity id, when attributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
}

/// The dateline at the head of the article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatelineRecord {
    /// Place text ("JAKARTA").
    pub text: String,
    /// Character start.
    pub start: usize,
    /// Character end.
    pub end: usize,
    /// News agency in parentheses, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agency: Option<String>,
}

/// One output record: the extraction result for one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extraction {
    /// Schema version.
    pub schema_version: String,
    /// Article id (the input's, or `doc-` + a hash of the text).
    pub id: String,
    /// Publication date, passed through.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    /// Dateline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dateline: Option<DatelineRecord>,
    /// Entities in order of first mention.
    pub entities: Vec<EntityRecord>,
    /// Events in text order.
    pub events: Vec<EventRecord>,
    /// Quotations.
    pub quotes: Vec<QuoteRecord>,
}

/// An error record: the article could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorRecord {
    /// Schema version.
    pub schema_version: String,
    /// The record's id if it could be read.
    pub id: Option<String>,
    /// What went wrong.
    pub error: String,
    /// `FILE:LINE` of the input record, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// Makes event ids unique within a record: the second event with the same id (same type,
/// arguments and trigger offset) gets `-2` appended, the third `-3`, in record order, so
/// the ids stay deterministic.
pub fn disambiguate_event_ids(events: &mut [EventRecord]) {
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for ev in events.iter_mut() {
        let n = seen.entry(ev.id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            ev.id = format!("{}-{}", ev.id, n);
        }
    }
}

/// The id of an article: its own, or a hash of its text.
pub fn article_id(article: &Article) -> String {
    match &article.id {
        Some(id) => id.clone(),
        None => format!("doc-{:016x}", fnv1a(article.text.as_bytes())),
    }
}

fn polarity_str(p: Polarity) -> &'static str {
    match p {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    }
}

fn modality_str(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Reported => "reported",
        Modality::Planned => "planned",
        Modality::Hypothetical => "hypothetical",
    }
}

fn via_str(k: AnchorKind) -> &'static str {
    match k {
        AnchorKind::Name => "name",
        AnchorKind::Nominal => "nominal",
        AnchorKind::Pronoun => "pronoun",
        AnchorKind::Demonym => "demonym",
    }
}

/// Builds the output record.
pub fn build(gaz: &Gazetteer, article: &Article, an: &Analysis, events: &[Event], quotes: &[Quote]) -> Extraction {
    let text = article.text.as_str();
    let title = article.title.as_deref().unwrap_or("");
    let co = CharOffsets::new(text);
    let tco = CharOffsets::new(title);
    let span = |field: Field, s: usize, e: usize| -> Span {
        match field {
            Field::Text => Span { text: text[s..e].to_string(), start: co.char_at(s), end: co.char_at(e), field: None },
            Field::Title => Span { text: title[s..e].to_string(), start: tco.char_at(s), end: tco.char_at(e), field: Some("title".into()) },
        }
    };
    let id = article_id(article);
    let mut entities: Vec<EntityRecord> = an
        .entities
        .iter()
        .map(|e| {
            let entry = e.entry.map(|i| gaz.entry(i));
            EntityRecord {
                id: e.id.clone(),
                name: e.name.clone(),
                entity_type: e.kind.as_str().to_string(),
                subtype: e.subtype.clone(),
                parent: e.parent.clone(),
                country: e.country.clone(),
                wikidata: entry.and_then(|x| x.wikidata.clone()),
                ticker: entry.and_then(|x| x.ticker.clone()),
                isin: entry.and_then(|x| x.isin.clone()),
                cik: entry.and_then(|x| x.cik.clone()),
                source: if entry.is_some() { "gazetteer" } else { "context" }.to_string(),
                mentions: e.mentions.iter().map(|m| span(m.field, m.start, m.end)).collect(),
                references: Vec::new(),
            }
        })
        .collect();
    for a in &an.anchors {
        if matches!(a.kind, AnchorKind::Nominal | AnchorKind::Pronoun) {
            for &e in &a.entities {
                let s = span(Field::Text, a.start, a.end);
                entities[e].references.push(Reference {
                    text: s.text,
                    start: s.start,
                    end: s.end,
                    kind: via_str(a.kind).to_string(),
                });
            }
        }
    }
    let events: Vec<EventRecord> = events
        .iter()
        .map(|ev| {
            let mut arguments: Vec<ArgumentRecord> = ev
                .arguments
                .iter()
                .map(|a| {
                    let s = span(a.field, a.start, a.end);
                    ArgumentRecord {
                        role: a.role.clone(),
                        entity: an.entities[a.entity].id.clone(),
                        text: s.text,
                        start: s.start,
                        end: s.end,
                        field: s.field,
                        via: via_str(a.via).to_string(),
                    }
                })
                .collect();
            arguments.sort_by(|x, y| (&x.role, x.start, &x.entity).cmp(&(&y.role, y.start, &y.entity)));
            let mut key = format!("{id}\u{1f}{}", ev.event_type);
            let mut arg_keys: Vec<String> = arguments.iter().map(|a| format!("{}={}", a.role, a.entity)).collect();
            arg_keys.sort();
            arg_keys.dedup();
            for k in &arg_keys {
                key.push('\u{1f}');
                key.push_str(k);
            }
            let trigger = span(ev.field, ev.trigger.0, ev.trigger.1);
            key.push_str(&format!("\u{1f}{}:{}", trigger.field.as_deref().unwrap_or("text"), trigger.start));
            EventRecord {
                id: format!("ev-{:016x}", fnv1a(key.as_bytes())),
                event_type: ev.event_type.clone(),
                polarity: polarity_str(ev.polarity).to_string(),
                modality: modality_str(ev.modality).to_string(),
                date: ev.date.clone(),
                arguments,
                trigger,
                sentence: span(ev.field, ev.sentence.0, ev.sentence.1),
                rule: ev.rule.clone(),
                confidence: ev.confidence,
                count: ev.count,
                amount: ev.amount.as_ref().map(|a| AmountRecord { value: a.value, currency: a.currency.clone(), text: a.text.clone() }),
                measure: ev.measure.clone(),
                object: ev.object.clone(),
            }
        })
        .collect();
    let mut events: Vec<EventRecord> = events;
    disambiguate_event_ids(&mut events);
    let quotes = quotes
        .iter()
        .map(|q| {
            let s = span(Field::Text, q.start, q.end);
            QuoteRecord { text: s.text, start: s.start, end: s.end, speaker: q.speaker.map(|e| an.entities[e].id.clone()) }
        })
        .collect();
    let dateline = an.seg.dateline.as_ref().map(|d| {
        let s = span(Field::Text, d.place.0, d.place.1);
        DatelineRecord { text: s.text, start: s.start, end: s.end, agency: d.agency.map(|(a, b)| text[a..b].to_string()) }
    });
    Extraction {
        schema_version: SCHEMA_VERSION.to_string(),
        id,
        published: article.published.clone(),
        dateline,
        entities,
        events,
        quotes,
    }
}
