//! Flat row streams for bulk loads into databases: `--emit articles|entities|mentions|events|arguments`
//! with `--format jsonl|csv|tsv`.
//!
//! Each [`Extraction`] (one article) becomes zero or more rows of one kind. Every row carries
//! `schema_version` and the `article_id` it came from, so a corpus loads into five tables that
//! join on ids (`docs/databases.md` has the DDL). The row structs below are the schema of the
//! rows (`schema/<kind>.schema.json` holds the same as JSON Schema); their field order is the
//! column order of the CSV and TSV header.
//!
//! Encodings:
//! - `jsonl`: one JSON object per line; every column is present, `null` when absent.
//! - `csv`: RFC 4180 — a header row, `,` separators, CRLF line ends, fields quoted with `"` when
//!   they hold `,`, `"`, CR or LF (quotes doubled). An absent value is an empty field.
//! - `tsv`: PostgreSQL's text format (also MySQL's `LOAD DATA` default) with a header row: tab
//!   separators, LF line ends, `\\`, `\t`, `\n`, `\r` escaped with a backslash, `\N` for absent.
//!
//! Primary keys (unique within one run, stable across runs, so reloading upserts):
//! articles `(article_id)`, entities `(article_id, entity_id)`, mentions
//! `(article_id, entity_id, field, start_char, end_char)`, events `(event_id)`, arguments
//! `(event_id, role, entity_id, field, start_char)`.
//!
//! An error record becomes an `articles` row with `error` set (when its id is known) and no
//! other rows.

use crate::output::{ErrorRecord, Extraction, Span, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// Which rows to write. `Records` is the nested JSON record of [`crate::output`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Emit {
    /// One nested record per article (the default output).
    Records,
    /// [`ArticleRow`]s.
    Articles,
    /// [`EntityRow`]s.
    Entities,
    /// [`MentionRow`]s.
    Mentions,
    /// [`EventRow`]s.
    Events,
    /// [`ArgumentRow`]s.
    Arguments,
}

impl Emit {
    /// The name used on the command line and in `schema/<name>.schema.json`.
    pub fn name(self) -> &'static str {
        match self {
            Emit::Records => "records",
            Emit::Articles => "articles",
            Emit::Entities => "entities",
            Emit::Mentions => "mentions",
            Emit::Events => "events",
            Emit::Arguments => "arguments",
        }
    }

    /// Column names in order (empty for `Records`).
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Emit::Records => &[],
            Emit::Articles => ArticleRow::COLUMNS,
            Emit::Entities => EntityRow::COLUMNS,
            Emit::Mentions => MentionRow::COLUMNS,
            Emit::Events => EventRow::COLUMNS,
            Emit::Arguments => ArgumentRow::COLUMNS,
        }
    }
}

/// How rows are encoded.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// One JSON object per line.
    Jsonl,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// PostgreSQL text format with a header row.
    Tsv,
}

/// One article: counts, and the error if it could not be processed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArticleRow {
    /// Schema version (the same as the records').
    pub schema_version: String,
    /// Article id (the input's, or `doc-` + a hash of the text).
    pub article_id: String,
    /// Publication date, passed through from the input.
    pub published: Option<String>,
    /// Dateline place text ("JAKARTA").
    pub dateline: Option<String>,
    /// News agency named in the dateline.
    pub dateline_agency: Option<String>,
    /// Number of entity rows of this article.
    pub entity_count: u64,
    /// Number of event rows of this article.
    pub event_count: u64,
    /// Number of quotations.
    pub quote_count: u64,
    /// Why the article could not be processed; absent for a processed article.
    pub error: Option<String>,
}

/// One entity of one article (the same `entity_id` recurs across articles).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityRow {
    /// Schema version.
    pub schema_version: String,
    /// Article id.
    pub article_id: String,
    /// Stable entity id: gazetteer id, or `type:slug-of-name` for context entities.
    pub entity_id: String,
    /// Canonical name.
    pub name: String,
    /// company, country, location, government, organization or person.
    pub entity_type: String,
    /// `automaker`, `media`, `city`, ...
    pub subtype: Option<String>,
    /// Parent entity id (brand → group).
    pub parent: Option<String>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<String>,
    /// Wikidata QID.
    pub wikidata: Option<String>,
    /// Ticker.
    pub ticker: Option<String>,
    /// ISIN.
    pub isin: Option<String>,
    /// SEC CIK.
    pub cik: Option<String>,
    /// `gazetteer` or `context`.
    pub source: String,
    /// Number of name mentions.
    pub mention_count: u64,
    /// Number of nominal and pronoun references.
    pub reference_count: u64,
}

/// One mention of an entity: a name, or a nominal or pronoun reference resolved to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MentionRow {
    /// Schema version.
    pub schema_version: String,
    /// Article id.
    pub article_id: String,
    /// Entity id.
    pub entity_id: String,
    /// `text` or `title`: the field the offsets index.
    pub field: String,
    /// Character start.
    pub start_char: u64,
    /// Character end (exclusive).
    pub end_char: u64,
    /// The mention's text.
    pub text: String,
    /// `name`, `nominal` or `pronoun`.
    pub kind: String,
}

/// One event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventRow {
    /// Schema version.
    pub schema_version: String,
    /// Article id.
    pub article_id: String,
    /// Deterministic event id (unique across a corpus with unique article ids).
    pub event_id: String,
    /// Event type (`sanction.imposed`, ...).
    pub event_type: String,
    /// `positive` or `negative`.
    pub polarity: String,
    /// `asserted`, `reported`, `planned` or `hypothetical`.
    pub modality: String,
    /// ISO 8601 date at the precision the text gives (`2022`, `2022-12`, `2022-12-27`).
    pub event_date: Option<String>,
    /// `text` or `title`: the field the trigger and sentence offsets index.
    pub field: String,
    /// Trigger text.
    pub trigger_text: String,
    /// Trigger character start.
    pub trigger_start: u64,
    /// Trigger character end.
    pub trigger_end: u64,
    /// Sentence text.
    pub sentence: String,
    /// Sentence character start.
    pub sentence_start: u64,
    /// Sentence character end.
    pub sentence_end: u64,
    /// Id of the rule that fired.
    pub rule: String,
    /// 0..1.
    pub confidence: f32,
    /// Count ("about 15 automakers" → 15).
    pub count: Option<u64>,
    /// Money amount in currency units.
    pub amount: Option<f64>,
    /// ISO 4217 currency of the amount.
    pub amount_currency: Option<String>,
    /// Source text of the amount.
    pub amount_text: Option<String>,
    /// Measure (sanctions, export_ban, entity_list...).
    pub measure: Option<String>,
    /// Object (patents, 5G...).
    pub object: Option<String>,
    /// Number of argument rows of this event.
    pub argument_count: u64,
}

/// One argument of one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArgumentRow {
    /// Schema version.
    pub schema_version: String,
    /// Article id.
    pub article_id: String,
    /// Event id.
    pub event_id: String,
    /// Role (`imposer`, `target`, `licensee`, ...).
    pub role: String,
    /// Entity id.
    pub entity_id: String,
    /// The text that named the entity in this event ("Huawei", "the company", "it").
    pub text: String,
    /// `text` or `title`.
    pub field: String,
    /// Character start of that text.
    pub start_char: u64,
    /// Character end.
    pub end_char: u64,
    /// `name`, `nominal`, `pronoun` or `demonym`.
    pub via: String,
}

impl ArticleRow {
    /// Columns in order.
    pub const COLUMNS: &'static [&'static str] =
        &["schema_version", "article_id", "published", "dateline", "dateline_agency", "entity_count", "event_count", "quote_count", "error"];
}
impl EntityRow {
    /// Columns in order.
    pub const COLUMNS: &'static [&'static str] = &[
        "schema_version",
        "article_id",
        "entity_id",
        "name",
        "entity_type",
        "subtype",
        "parent",
        "country",
        "wikidata",
        "ticker",
        "isin",
        "cik",
        "source",
        "mention_count",
        "reference_count",
    ];
}
impl MentionRow {
    /// Columns in order.
    pub const COLUMNS: &'static [&'static str] =
        &["schema_version", "article_id", "entity_id", "field", "start_char", "end_char", "text", "kind"];
}
impl EventRow {
    /// Columns in order.
    pub const COLUMNS: &'static [&'static str] = &[
        "schema_version",
        "article_id",
        "event_id",
        "event_type",
        "polarity",
        "modality",
        "event_date",
        "field",
        "trigger_text",
        "trigger_start",
        "trigger_end",
        "sentence",
        "sentence_start",
        "sentence_end",
        "rule",
        "confidence",
        "count",
        "amount",
        "amount_currency",
        "amount_text",
        "measure",
        "object",
        "argument_count",
    ];
}
impl ArgumentRow {
    /// Columns in order.
    pub const COLUMNS: &'static [&'static str] =
        &["schema_version", "article_id", "event_id", "role", "entity_id", "text", "field", "start_char", "end_char", "via"];
}

fn field_of(s: &Span) -> String {
    s.field.clone().unwrap_or_else(|| "text".to_string())
}

fn v() -> String {
    SCHEMA_VERSION.to_string()
}

/// The article row of a processed article.
pub fn article_row(x: &Extraction) -> ArticleRow {
    ArticleRow {
        schema_version: v(),
        article_id: x.id.clone(),
        published: x.published.clone(),
        dateline: x.dateline.as_ref().map(|d| d.text.clone()),
        dateline_agency: x.dateline.as_ref().and_then(|d| d.agency.clone()),
        entity_count: x.entities.len() as u64,
        event_count: x.events.len() as u64,
        quote_count: x.quotes.len() as u64,
        error: None,
    }
}

/// The article row of an error record; `None` when the record's id is unknown.
pub fn error_row(e: &ErrorRecord) -> Option<ArticleRow> {
    Some(ArticleRow {
        schema_version: v(),
        article_id: e.id.clone()?,
        published: None,
        dateline: None,
        dateline_agency: None,
        entity_count: 0,
        event_count: 0,
        quote_count: 0,
        error: Some(e.error.clone()),
    })
}

/// Entity rows, in the record's order.
pub fn entity_rows(x: &Extraction) -> Vec<EntityRow> {
    x.entities
        .iter()
        .map(|e| EntityRow {
            schema_version: v(),
            article_id: x.id.clone(),
            entity_id: e.id.clone(),
            name: e.name.clone(),
            entity_type: e.entity_type.clone(),
            subtype: e.subtype.clone(),
            parent: e.parent.clone(),
            country: e.country.clone(),
            wikidata: e.wikidata.clone(),
            ticker: e.ticker.clone(),
            isin: e.isin.clone(),
            cik: e.cik.clone(),
            source: e.source.clone(),
            mention_count: e.mentions.len() as u64,
            reference_count: e.references.len() as u64,
        })
        .collect()
}

/// Mention rows: each entity's names, then its references; a span repeated for one entity
/// gives one row.
pub fn mention_rows(x: &Extraction) -> Vec<MentionRow> {
    let mut rows = Vec::new();
    for e in &x.entities {
        let start = rows.len();
        let names = e.mentions.iter().map(|m| (field_of(m), m.start, m.end, m.text.clone(), "name".to_string()));
        let refs = e.references.iter().map(|r| ("text".to_string(), r.start, r.end, r.text.clone(), r.kind.clone()));
        for (field, s, en, text, kind) in names.chain(refs) {
            let dup = rows[start..].iter().any(|r: &MentionRow| r.field == field && r.start_char == s as u64 && r.end_char == en as u64);
            if dup {
                continue;
            }
            rows.push(MentionRow {
                schema_version: v(),
                article_id: x.id.clone(),
                entity_id: e.id.clone(),
                field,
                start_char: s as u64,
                end_char: en as u64,
                text,
                kind,
            });
        }
    }
    rows
}

/// Event rows, in the record's order.
pub fn event_rows(x: &Extraction) -> Vec<EventRow> {
    x.events
        .iter()
        .map(|e| EventRow {
            schema_version: v(),
            article_id: x.id.clone(),
            event_id: e.id.clone(),
            event_type: e.event_type.clone(),
            polarity: e.polarity.clone(),
            modality: e.modality.clone(),
            event_date: e.date.clone(),
            field: field_of(&e.trigger),
            trigger_text: e.trigger.text.clone(),
            trigger_start: e.trigger.start as u64,
            trigger_end: e.trigger.end as u64,
            sentence: e.sentence.text.clone(),
            sentence_start: e.sentence.start as u64,
            sentence_end: e.sentence.end as u64,
            rule: e.rule.clone(),
            confidence: e.confidence,
            count: e.count,
            amount: e.amount.as_ref().map(|a| a.value),
            amount_currency: e.amount.as_ref().and_then(|a| a.currency.clone()),
            amount_text: e.amount.as_ref().map(|a| a.text.clone()),
            measure: e.measure.clone(),
            object: e.object.clone(),
            argument_count: e.arguments.len() as u64,
        })
        .collect()
}

/// Argument rows, event by event.
pub fn argument_rows(x: &Extraction) -> Vec<ArgumentRow> {
    let mut rows = Vec::new();
    for e in &x.events {
        for a in &e.arguments {
            rows.push(ArgumentRow {
                schema_version: v(),
                article_id: x.id.clone(),
                event_id: e.id.clone(),
                role: a.role.clone(),
                entity_id: a.entity.clone(),
                text: a.text.clone(),
                field: a.field.clone().unwrap_or_else(|| "text".to_string()),
                start_char: a.start as u64,
                end_char: a.end as u64,
                via: a.via.clone(),
            });
        }
    }
    rows
}

/// Writes one kind of row (or whole records) in one encoding. The header row (CSV, TSV) is
/// written before the first row, or by [`RowWriter::finish`] when there was none.
///
/// ```
/// use gazette::flat::{Emit, Format, RowWriter};
/// let x = gazette::Extractor::embedded().unwrap().extract(&gazette::Article::from_text("Huawei said so."));
/// let mut w = RowWriter::new(Vec::new(), Emit::Entities, Format::Csv);
/// w.write_extraction(&x).unwrap();
/// let out = String::from_utf8(w.finish().unwrap()).unwrap();
/// assert!(out.starts_with("schema_version,article_id,entity_id,"));
/// assert!(out.contains(",company:huawei,Huawei,company,"));
/// ```
pub struct RowWriter<W: Write> {
    w: W,
    emit: Emit,
    format: Format,
    header_done: bool,
    line: Vec<u8>,
    csv: csv::WriterBuilder,
}

impl<W: Write> RowWriter<W> {
    /// A writer of `emit` rows encoded as `format` (`Records` are always JSON Lines).
    pub fn new(w: W, emit: Emit, format: Format) -> Self {
        let mut csv = csv::WriterBuilder::new();
        csv.terminator(csv::Terminator::CRLF).buffer_capacity(1024);
        RowWriter { w, emit, format, header_done: false, line: Vec::new(), csv }
    }

    /// This writer never writes the header row: for workers that encode records into buffers in
    /// parallel, while one writer with a header (or [`RowWriter::header_bytes`]) starts the output.
    pub fn without_header(mut self) -> Self {
        self.header_done = true;
        self
    }

    /// The header row alone (empty for JSON Lines and records).
    pub fn header_bytes(emit: Emit, format: Format) -> Vec<u8> {
        RowWriter::new(Vec::new(), emit, format).finish().unwrap_or_default()
    }

    /// Writes the rows of one processed article.
    pub fn write_extraction(&mut self, x: &Extraction) -> io::Result<()> {
        match self.emit {
            Emit::Records => self.row(x),
            Emit::Articles => self.row(&article_row(x)),
            Emit::Entities => self.rows(&entity_rows(x)),
            Emit::Mentions => self.rows(&mention_rows(x)),
            Emit::Events => self.rows(&event_rows(x)),
            Emit::Arguments => self.rows(&argument_rows(x)),
        }
    }

    /// Writes the rows of an article that could not be processed: the error record itself for
    /// `Records`, an articles row with `error` set (when the id is known), nothing otherwise.
    pub fn write_error(&mut self, e: &ErrorRecord) -> io::Result<()> {
        match self.emit {
            Emit::Records => self.row(e),
            Emit::Articles => match error_row(e) {
                Some(r) => self.row(&r),
                None => self.header(),
            },
            _ => self.header(),
        }
    }

    /// Writes the header if no row was written, flushes, and returns the inner writer.
    pub fn finish(mut self) -> io::Result<W> {
        self.header()?;
        self.w.flush()?;
        Ok(self.w)
    }

    /// Writes the header if no row was written yet, and flushes the inner writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.header()?;
        self.w.flush()
    }

    /// The inner writer.
    pub fn get_mut(&mut self) -> &mut W {
        &mut self.w
    }

    /// Writes one output record of either kind: the hook for a run loop.
    pub fn write_record<R: Record>(&mut self, r: &R) -> io::Result<()> {
        r.write_to(self)
    }

    fn rows<T: Serialize>(&mut self, rows: &[T]) -> io::Result<()> {
        self.header()?;
        for r in rows {
            self.row(r)?;
        }
        Ok(())
    }

    fn header(&mut self) -> io::Result<()> {
        if self.header_done {
            return Ok(());
        }
        self.header_done = true;
        let cols = self.emit.columns();
        if cols.is_empty() || self.format == Format::Jsonl {
            return Ok(());
        }
        let cells: Vec<Option<String>> = cols.iter().map(|c| Some(c.to_string())).collect();
        self.cells(&cells)
    }

    fn row<T: Serialize>(&mut self, row: &T) -> io::Result<()> {
        self.header()?;
        if self.format == Format::Jsonl || self.emit == Emit::Records {
            self.line.clear();
            serde_json::to_writer(&mut self.line, row).map_err(io::Error::other)?;
            self.line.push(b'\n');
            return self.w.write_all(&self.line);
        }
        // Through JSON text, so that numbers print as in the JSON Lines (f32 0.8 stays `0.8`).
        let json = serde_json::to_string(row).map_err(io::Error::other)?;
        let value: serde_json::Value = serde_json::from_str(&json).map_err(io::Error::other)?;
        let cells: Vec<Option<String>> = self
            .emit
            .columns()
            .iter()
            .map(|c| match value.get(*c) {
                None | Some(serde_json::Value::Null) => None,
                Some(serde_json::Value::String(s)) => Some(s.clone()),
                Some(other) => Some(other.to_string()),
            })
            .collect();
        self.cells(&cells)
    }

    fn cells(&mut self, cells: &[Option<String>]) -> io::Result<()> {
        self.line.clear();
        match self.format {
            Format::Csv => {
                let mut cw = self.csv.from_writer(&mut self.line);
                cw.write_record(cells.iter().map(|c| c.as_deref().unwrap_or("")))?;
                cw.flush()?;
            }
            Format::Tsv | Format::Jsonl => {
                for (i, c) in cells.iter().enumerate() {
                    if i > 0 {
                        self.line.push(b'\t');
                    }
                    match c {
                        None => self.line.extend_from_slice(b"\\N"),
                        Some(s) => tsv_escape(s, &mut self.line),
                    }
                }
                self.line.push(b'\n');
            }
        }
        self.w.write_all(&self.line)
    }
}

/// An output record: an [`Extraction`] or an [`ErrorRecord`].
pub trait Record: Serialize {
    /// Writes this record's rows.
    fn write_to<W: Write>(&self, w: &mut RowWriter<W>) -> io::Result<()>;
}

impl Record for Extraction {
    fn write_to<W: Write>(&self, w: &mut RowWriter<W>) -> io::Result<()> {
        w.write_extraction(self)
    }
}

impl Record for ErrorRecord {
    fn write_to<W: Write>(&self, w: &mut RowWriter<W>) -> io::Result<()> {
        w.write_error(self)
    }
}

/// Appends `s` in PostgreSQL text-format escaping.
fn tsv_escape(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\t' => out.extend_from_slice(b"\\t"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Extraction {
        let x = crate::Extractor::embedded().unwrap();
        let mut a = crate::Article::from_text(
            "The United States imposed sanctions on Huawei in 2019.\nHuawei said \"no\", and\tit sued.",
        );
        a.id = Some("a,\"1\"".into());
        x.extract(&a)
    }

    #[test]
    fn csv_is_rfc4180_and_reads_back() {
        let x = sample();
        let mut w = RowWriter::new(Vec::new(), Emit::Events, Format::Csv);
        w.write_extraction(&x).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        assert!(out.starts_with("schema_version,article_id,event_id,event_type,"));
        assert!(out.contains("\r\n"), "CRLF record ends");
        assert!(out.contains("\"a,\"\"1\"\"\""), "quoted id with doubled quotes: {out}");
        let mut r = csv::Reader::from_reader(out.as_bytes());
        let rows: Vec<EventRow> = r.deserialize().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), x.events.len());
        assert!(!rows.is_empty());
        assert_eq!(rows, event_rows(&x));
        // Numbers print as in the JSON Lines: an f32 confidence is not widened to f64 digits.
        let conf = serde_json::to_string(&x.events[0].confidence).unwrap();
        assert!(out.contains(&format!(",{conf},")), "{conf} in {out}");
    }

    #[test]
    fn parallel_chunks_concatenate_to_the_serial_output() {
        let x = sample();
        let mut serial = RowWriter::new(Vec::new(), Emit::Arguments, Format::Csv);
        serial.write_extraction(&x).unwrap();
        serial.write_extraction(&x).unwrap();
        let serial = serial.finish().unwrap();
        let mut out = RowWriter::<Vec<u8>>::header_bytes(Emit::Arguments, Format::Csv);
        for _ in 0..2 {
            let mut w = RowWriter::new(Vec::new(), Emit::Arguments, Format::Csv).without_header();
            w.write_extraction(&x).unwrap();
            out.extend(w.finish().unwrap());
        }
        assert_eq!(out, serial);
        assert!(RowWriter::<Vec<u8>>::header_bytes(Emit::Events, Format::Jsonl).is_empty());
    }

    #[test]
    fn tsv_escapes_and_marks_null() {
        let mut w = RowWriter::new(Vec::new(), Emit::Articles, Format::Tsv);
        let e = ErrorRecord { schema_version: v(), id: Some("x\ty\\z".into()), error: "bad\nline".into(), source: None };
        w.write_error(&e).unwrap();
        let out = String::from_utf8(w.finish().unwrap()).unwrap();
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0], ArticleRow::COLUMNS.join("\t"));
        assert_eq!(lines[1], "1\tx\\ty\\\\z\t\\N\t\\N\t\\N\t0\t0\t0\tbad\\nline");
    }

    #[test]
    fn header_only_when_no_rows_and_nothing_for_unknown_error_ids() {
        let e = ErrorRecord { schema_version: v(), id: None, error: "bad".into(), source: None };
        let mut w = RowWriter::new(Vec::new(), Emit::Articles, Format::Csv);
        w.write_error(&e).unwrap();
        assert_eq!(String::from_utf8(w.finish().unwrap()).unwrap(), format!("{}\r\n", ArticleRow::COLUMNS.join(",")));
        let mut w = RowWriter::new(Vec::new(), Emit::Articles, Format::Jsonl);
        w.write_error(&e).unwrap();
        assert!(w.finish().unwrap().is_empty());
    }

    #[test]
    fn columns_match_struct_fields() {
        let x = sample();
        fn keys<T: Serialize>(r: &T) -> Vec<String> {
            match serde_json::to_value(r).unwrap() {
                serde_json::Value::Object(m) => {
                    let mut k: Vec<String> = m.keys().cloned().collect();
                    k.sort();
                    k
                }
                _ => unreachable!(),
            }
        }
        fn sorted(c: &[&str]) -> Vec<String> {
            let mut v: Vec<String> = c.iter().map(|s| s.to_string()).collect();
            v.sort();
            v
        }
        assert_eq!(keys(&article_row(&x)), sorted(ArticleRow::COLUMNS));
        assert_eq!(keys(&entity_rows(&x)[0]), sorted(EntityRow::COLUMNS));
        assert_eq!(keys(&mention_rows(&x)[0]), sorted(MentionRow::COLUMNS));
        assert_eq!(keys(&event_rows(&x)[0]), sorted(EventRow::COLUMNS));
        assert_eq!(keys(&argument_rows(&x)[0]), sorted(ArgumentRow::COLUMNS));
    }
}
