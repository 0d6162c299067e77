//! Corpus running: every input (files, directories, gzip, stdin) as a stream of records, and
//! an ordered parallel map that keeps memory bounded.
//!
//! - [`Inputs`] expands the command line into files (directories recursively, in sorted
//!   order) and [`RecordReader`] reads them one record at a time: a JSON Lines line, or a whole
//!   plain-text file. A line is never held beyond `max_article_bytes` plus some slack, so one
//!   bad 10 GB line cannot exhaust memory; it becomes an error record like every other problem.
//! - [`decode`] turns a [`Record`] into an [`Article`] or a [`RecordFailure`] (malformed JSON,
//!   missing text, invalid UTF-8, over-long article, unreadable file), each naming its
//!   `FILE:LINE` source.
//! - [`ordered_map`] runs a function over a stream on N threads and hands the results to a
//!   sink in input order. At most `window` items are in flight (read, being processed or
//!   waiting to be written), so a 10 GB corpus runs in the memory of a 10 MB one, and the
//!   output does not depend on the number of threads.

use crate::input::{parse_json_record, Article, Fields};
use flate2::read::MultiGzDecoder;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// Default for `max_article_bytes`: 10 MiB.
pub const DEFAULT_MAX_ARTICLE_BYTES: usize = 10 << 20;

/// A JSON Lines line may exceed the article limit by this much (the other fields, escapes).
const LINE_SLACK: usize = 1 << 16;

/// How an input is read.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// By extension (`.jsonl`/`.ndjson` → JSON Lines, `.txt` → text, after removing `.gz`),
    /// else JSON Lines when the first non-blank byte is `{`, else text.
    Auto,
    /// The whole input is one article.
    Text,
    /// One JSON object per line.
    Jsonl,
}

/// How records are read and decoded.
#[derive(Clone, Debug)]
pub struct ReadOptions {
    /// Format of explicitly named files and stdin (files found in directories go by extension).
    pub format: Format,
    /// Field names in JSON Lines records.
    pub fields: Fields,
    /// Longest article text accepted, in bytes.
    pub max_article_bytes: usize,
    /// Publication date given to plain-text articles.
    pub published: Option<String>,
}

impl Default for ReadOptions {
    fn default() -> ReadOptions {
        ReadOptions { format: Format::Auto, fields: Fields::default(), max_article_bytes: DEFAULT_MAX_ARTICLE_BYTES, published: None }
    }
}

/// One input record, not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// `FILE:LINE` (JSON Lines) or `FILE` (plain text, unreadable file).
    pub source: String,
    /// Id known from outside the record (a text file's path).
    pub id: Option<String>,
    /// What was read.
    pub payload: Payload,
}

/// The bytes of a record, or why there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// One JSON Lines line (without its newline).
    Jsonl(Vec<u8>),
    /// A whole plain-text article.
    Text(Vec<u8>),
    /// The record could not be read (unreadable file, over-long line, read error).
    Failed(String),
}

impl Payload {
    /// Bytes held.
    pub fn len(&self) -> usize {
        match self {
            Payload::Jsonl(b) | Payload::Text(b) => b.len(),
            Payload::Failed(m) => m.len(),
        }
    }

    /// True when no bytes are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A record that gives an error line instead of an extraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordFailure {
    /// The record's id, when it could be read.
    pub id: Option<String>,
    /// What went wrong.
    pub message: String,
    /// `FILE:LINE` or `FILE`.
    pub source: String,
}

/// Decodes a record into an article: UTF-8, JSON, required text, size limit.
///
/// Invalid UTF-8 is decoded lossily, only to read the id for the error record: the record is
/// flagged as an error rather than silently extracted from altered text.
pub fn decode(rec: Record, opts: &ReadOptions) -> Result<Article, RecordFailure> {
    let fail = |id: Option<String>, message: String| RecordFailure { id, message, source: rec.source.clone() };
    match rec.payload {
        Payload::Failed(m) => Err(fail(rec.id.clone(), m)),
        Payload::Jsonl(bytes) => {
            let (line, bad_utf8) = match String::from_utf8(bytes) {
                Ok(s) => (s, None),
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    (String::from_utf8_lossy(e.as_bytes()).into_owned(), Some(at))
                }
            };
            let article = parse_json_record(&line, &opts.fields).map_err(|e| fail(e.id, e.message))?;
            if let Some(at) = bad_utf8 {
                return Err(fail(article.id, format!("invalid UTF-8 at byte {at} of the line (decoded lossily; record skipped)")));
            }
            if article.text.len() > opts.max_article_bytes {
                return Err(fail(article.id, over_long(article.text.len(), opts.max_article_bytes)));
            }
            Ok(article)
        }
        Payload::Text(bytes) => {
            if bytes.len() > opts.max_article_bytes {
                return Err(fail(rec.id.clone(), over_long(bytes.len(), opts.max_article_bytes)));
            }
            let text = match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    return Err(fail(rec.id.clone(), format!("invalid UTF-8 at byte {at} (decoded lossily; article skipped)")));
                }
            };
            let mut a = Article::from_text(text);
            a.id = rec.id.clone();
            a.published = opts.published.clone();
            Ok(a)
        }
    }
}

fn over_long(len: usize, max: usize) -> String {
    format!("article is {len} bytes, over the limit of {max} (--max-article-bytes)")
}

/// One input as named on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSpec {
    /// Standard input (no file given, or `-`).
    Stdin,
    /// A file or directory.
    Path(PathBuf),
}

/// One readable unit after directory expansion.
#[derive(Debug, Clone)]
struct Unit {
    spec: InputSpec,
    /// Name used in `source` (the path as given, or joined under its directory).
    name: String,
    /// Id of a plain-text article: the path as given, or the path relative to the directory.
    text_id: Option<String>,
    /// Format forced by where the file was found (directories go by extension).
    format: Format,
    /// An error found while expanding a directory.
    error: Option<String>,
}

/// The inputs of a run, expanded: directories walked recursively in sorted order.
#[derive(Debug)]
pub struct Inputs {
    units: Vec<Unit>,
    total_bytes: Option<u64>,
}

/// True for `.jsonl`, `.ndjson`, `.txt` and those with `.gz` after them.
fn dir_format(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_str()?;
    let name = name.strip_suffix(".gz").unwrap_or(name);
    if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
        Some(Format::Jsonl)
    } else if name.ends_with(".txt") {
        Some(Format::Text)
    } else {
        None
    }
}

fn walk(dir: &Path, root: &Path, out: &mut Vec<Unit>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(rd) => {
            let mut v: Vec<_> = rd.filter_map(|e| e.ok()).collect();
            v.sort_by_key(|e| e.file_name());
            v
        }
        Err(e) => {
            let name = dir.display().to_string();
            out.push(Unit { spec: InputSpec::Path(dir.to_path_buf()), name, text_id: None, format: Format::Text, error: Some(format!("cannot read directory: {e}")) });
            return;
        }
    };
    for e in entries {
        let path = e.path();
        // Symlinked directories are not followed (no loops); symlinked files are read.
        let is_dir = e.file_type().map(|t| t.is_dir()).unwrap_or(false);
        if is_dir {
            walk(&path, root, out);
        } else if let Some(format) = dir_format(&path) {
            let rel = path.strip_prefix(root).unwrap_or(&path).to_string_lossy().replace('\\', "/");
            let rel = rel.strip_suffix(".gz").unwrap_or(&rel).to_string();
            out.push(Unit { spec: InputSpec::Path(path.clone()), name: path.display().to_string(), text_id: Some(rel), format, error: None });
        }
    }
}

impl Inputs {
    /// Expands the inputs; an empty list means stdin.
    pub fn expand(specs: &[InputSpec], format: Format) -> Inputs {
        let mut units = Vec::new();
        let specs = if specs.is_empty() { vec![InputSpec::Stdin] } else { specs.to_vec() };
        for spec in specs {
            match &spec {
                InputSpec::Stdin => units.push(Unit { spec: InputSpec::Stdin, name: "<stdin>".into(), text_id: None, format, error: None }),
                InputSpec::Path(p) if p.is_dir() => walk(p, p, &mut units),
                InputSpec::Path(p) => {
                    let name = p.display().to_string();
                    units.push(Unit { spec: spec.clone(), name: name.clone(), text_id: Some(name), format, error: None })
                }
            }
        }
        let mut total = Some(0u64);
        for u in &units {
            total = match (&u.spec, total) {
                (InputSpec::Path(p), Some(t)) => std::fs::metadata(p).ok().filter(|m| m.is_file()).map(|m| t + m.len()).or(Some(t)),
                _ => None,
            };
        }
        Inputs { units, total_bytes: total }
    }

    /// Total size of the input files in bytes (compressed size for gzip), when known (not stdin).
    pub fn total_bytes(&self) -> Option<u64> {
        self.total_bytes
    }

    /// Number of files (or stdin) to read.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// True when there is nothing to read (an empty directory).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// A reader over every record of every input, in order.
    pub fn records(self, opts: &ReadOptions) -> RecordReader {
        RecordReader { units: self.units.into_iter(), current: None, opts: opts.clone(), bytes_read: Arc::new(AtomicU64::new(0)), line: Vec::new() }
    }
}

/// Counts bytes read from the underlying file (compressed bytes for gzip) for progress.
struct Counting<R> {
    inner: R,
    counter: Arc<AtomicU64>,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.counter.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

struct Open {
    name: String,
    text_id: Option<String>,
    reader: Box<dyn BufRead + Send>,
    jsonl: bool,
    line_no: usize,
    done: bool,
}

/// Reads records from every input in turn. An iterator of [`Record`]s; it never fails: read
/// errors become [`Payload::Failed`] records.
pub struct RecordReader {
    units: std::vec::IntoIter<Unit>,
    current: Option<Open>,
    opts: ReadOptions,
    bytes_read: Arc<AtomicU64>,
    line: Vec<u8>,
}

impl RecordReader {
    /// A reader over one in-memory input (for tests and fuzzing): `name` is used in `source`.
    pub fn from_bytes(name: &str, bytes: Vec<u8>, jsonl: bool, opts: &ReadOptions) -> RecordReader {
        let open = Open { name: name.into(), text_id: None, reader: Box::new(io::Cursor::new(bytes)), jsonl, line_no: 0, done: false };
        RecordReader { units: Vec::new().into_iter(), current: Some(open), opts: opts.clone(), bytes_read: Arc::new(AtomicU64::new(0)), line: Vec::new() }
    }

    /// A shared counter of input bytes read so far.
    pub fn bytes_read(&self) -> Arc<AtomicU64> {
        self.bytes_read.clone()
    }

    fn open(&self, u: Unit) -> Result<Open, Record> {
        let failed = |m: String| Record { source: u.name.clone(), id: None, payload: Payload::Failed(m) };
        if let Some(e) = &u.error {
            return Err(failed(e.clone()));
        }
        let (raw, gz): (Box<dyn Read + Send>, bool) = match &u.spec {
            InputSpec::Stdin => (Box::new(Counting { inner: io::stdin(), counter: self.bytes_read.clone() }), false),
            InputSpec::Path(p) => {
                let f = File::open(p).map_err(|e| failed(format!("cannot read input: {e}")))?;
                let gz = p.extension().is_some_and(|e| e == "gz");
                (Box::new(Counting { inner: f, counter: self.bytes_read.clone() }), gz)
            }
        };
        let mut reader: Box<dyn BufRead + Send> =
            if gz { Box::new(BufReader::with_capacity(1 << 16, MultiGzDecoder::new(BufReader::with_capacity(1 << 16, raw)))) } else { Box::new(BufReader::with_capacity(1 << 16, raw)) };
        let by_name = match &u.spec {
            InputSpec::Path(p) => dir_format(p),
            InputSpec::Stdin => None,
        };
        let jsonl = match (u.format, by_name) {
            (Format::Jsonl, _) => true,
            (Format::Text, _) => false,
            (Format::Auto, Some(f)) => f == Format::Jsonl,
            (Format::Auto, None) => {
                let head = reader.fill_buf().map_err(|e| failed(format!("cannot read input: {e}")))?;
                let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
                head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            }
        };
        Ok(Open { name: u.name, text_id: u.text_id, reader, jsonl, line_no: 0, done: false })
    }
}

/// Reads one line into `buf` (without the newline), keeping at most `cap` bytes; returns the
/// line's full length, or `None` at end of input.
fn read_line_capped(r: &mut dyn BufRead, buf: &mut Vec<u8>, cap: usize) -> io::Result<Option<usize>> {
    buf.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let avail = match r.fill_buf() {
            Ok(a) => a,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if avail.is_empty() {
            return Ok(if any { Some(total) } else { None });
        }
        any = true;
        let (chunk, used, end) = match memchr::memchr(b'\n', avail) {
            Some(i) => (&avail[..i], i + 1, true),
            None => (avail, avail.len(), false),
        };
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        total += chunk.len();
        r.consume(used);
        if end {
            return Ok(Some(total));
        }
    }
}

impl Iterator for RecordReader {
    type Item = Record;

    fn next(&mut self) -> Option<Record> {
        loop {
            if self.current.as_ref().is_none_or(|c| c.done) {
                let u = self.units.next()?;
                match self.open(u) {
                    Ok(o) => self.current = Some(o),
                    Err(rec) => {
                        self.current = None;
                        return Some(rec);
                    }
                }
            }
            let cur = self.current.as_mut()?;
            if !cur.jsonl {
                cur.done = true;
                let cap = self.opts.max_article_bytes.saturating_add(1);
                let mut bytes = Vec::new();
                let id = cur.text_id.clone();
                let res = (&mut cur.reader).take(cap as u64).read_to_end(&mut bytes);
                let payload = match res {
                    Ok(_) if bytes.len() > self.opts.max_article_bytes => {
                        Payload::Failed(format!("article is over the limit of {} bytes (--max-article-bytes)", self.opts.max_article_bytes))
                    }
                    Ok(_) => Payload::Text(bytes),
                    Err(e) => Payload::Failed(format!("cannot read input: {e}")),
                };
                return Some(Record { source: cur.name.clone(), id, payload });
            }
            let cap = self.opts.max_article_bytes.saturating_add(LINE_SLACK);
            match read_line_capped(&mut *cur.reader, &mut self.line, cap) {
                Ok(None) => {
                    cur.done = true;
                    continue;
                }
                Ok(Some(total)) => {
                    cur.line_no += 1;
                    let source = format!("{}:{}", cur.name, cur.line_no);
                    if total > cap {
                        let m = format!("record line is {total} bytes, over the limit of {cap} (--max-article-bytes plus {LINE_SLACK})");
                        return Some(Record { source, id: None, payload: Payload::Failed(m) });
                    }
                    let mut line = std::mem::take(&mut self.line);
                    if line.last() == Some(&b'\r') {
                        line.pop();
                    }
                    if line.iter().all(|b| b.is_ascii_whitespace()) {
                        self.line = line;
                        continue;
                    }
                    return Some(Record { source, id: None, payload: Payload::Jsonl(line) });
                }
                Err(e) => {
                    cur.done = true;
                    cur.line_no += 1;
                    let source = format!("{}:{}", cur.name, cur.line_no);
                    return Some(Record { source, id: None, payload: Payload::Failed(format!("cannot read input: {e}")) });
                }
            }
        }
    }
}

/// Groups an iterator into batches of at most `max_items` items or about `max_bytes` bytes.
pub struct Batches<I> {
    inner: I,
    max_items: usize,
    max_bytes: usize,
}

/// Batches records so that threads exchange work in chunks, not one article at a time.
pub fn batches<I: Iterator<Item = Record>>(inner: I, max_items: usize, max_bytes: usize) -> Batches<I> {
    Batches { inner, max_items: max_items.max(1), max_bytes }
}

impl<I: Iterator<Item = Record>> Iterator for Batches<I> {
    type Item = Vec<Record>;

    fn next(&mut self) -> Option<Vec<Record>> {
        let mut v = Vec::new();
        let mut bytes = 0;
        while v.len() < self.max_items && bytes < self.max_bytes {
            match self.inner.next() {
                Some(r) => {
                    bytes += r.payload.len();
                    v.push(r);
                }
                None => break,
            }
        }
        if v.is_empty() {
            None
        } else {
            Some(v)
        }
    }
}

/// Maps `f` over `items` on `jobs` threads and gives the results to `sink` in input order.
///
/// At most `window` items are read but not yet given to the sink, so memory stays bounded
/// whatever the input size. When the sink returns `Break` (e.g. stdout closed), reading
/// stops and the function returns once the threads have finished their current item.
/// With `jobs <= 1` everything runs on the calling thread.
pub fn ordered_map<I, T, R, F, S>(items: I, jobs: usize, window: usize, f: F, mut sink: S)
where
    I: Iterator<Item = T> + Send,
    T: Send,
    R: Send,
    F: Fn(T) -> R + Sync,
    S: FnMut(R) -> ControlFlow<()>,
{
    if jobs <= 1 {
        for item in items {
            if sink(f(item)).is_break() {
                return;
            }
        }
        return;
    }
    let window = window.max(jobs);
    let (work_tx, work_rx) = crossbeam_channel::bounded::<(u64, T)>(window);
    let (done_tx, done_rx) = crossbeam_channel::unbounded::<(u64, R)>();
    // Tokens bound the items in flight: the reader takes one per item, the sink returns it.
    let (token_tx, token_rx) = crossbeam_channel::bounded::<()>(window);
    for _ in 0..window {
        let _ = token_tx.send(());
    }
    std::thread::scope(|s| {
        let f = &f;
        s.spawn(move || {
            for (seq, item) in (0u64..).zip(items) {
                if token_rx.recv().is_err() || work_tx.send((seq, item)).is_err() {
                    return;
                }
            }
        });
        for _ in 0..jobs {
            let work_rx = work_rx.clone();
            let done_tx = done_tx.clone();
            s.spawn(move || {
                for (seq, item) in work_rx {
                    if done_tx.send((seq, f(item))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(done_tx);
        drop(work_rx);
        let mut next = 0u64;
        let mut pending: BTreeMap<u64, R> = BTreeMap::new();
        'outer: for (seq, r) in done_rx.iter() {
            pending.insert(seq, r);
            while let Some(r) = pending.remove(&next) {
                next += 1;
                if sink(r).is_break() {
                    break 'outer;
                }
                let _ = token_tx.send(());
            }
        }
        // Stop the reader (no more tokens once drained) and the workers (no receiver).
        drop(token_tx);
        drop(done_rx);
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jsonl_records(input: &[u8]) -> Vec<Record> {
        RecordReader::from_bytes("in", input.to_vec(), true, &ReadOptions::default()).collect()
    }

    #[test]
    fn lines_get_sources_and_blank_lines_are_skipped() {
        let r = jsonl_records(b"{\"text\":\"a\"}\r\n\n  \n{\"text\":\"b\"}");
        assert_eq!(r.len(), 2);
        assert_eq!(r[0].source, "in:1");
        assert_eq!(r[0].payload, Payload::Jsonl(b"{\"text\":\"a\"}".to_vec()));
        assert_eq!(r[1].source, "in:4");
    }

    #[test]
    fn over_long_line_is_one_failed_record_and_reading_goes_on() {
        let opts = ReadOptions { max_article_bytes: 10, ..ReadOptions::default() };
        let mut input = vec![b'x'; LINE_SLACK + 100];
        input.extend_from_slice(b"\n{\"text\":\"ok\"}\n");
        let r: Vec<Record> = RecordReader::from_bytes("in", input, true, &opts).collect();
        assert_eq!(r.len(), 2);
        assert!(matches!(&r[0].payload, Payload::Failed(m) if m.contains("over the limit")));
        assert_eq!(r[1].source, "in:2");
        assert!(decode(r[1].clone(), &opts).is_ok());
    }

    #[test]
    fn decode_flags_invalid_utf8_and_keeps_the_id() {
        let rec = Record { source: "f:3".into(), id: None, payload: Payload::Jsonl(b"{\"id\":\"x\",\"text\":\"caf\xe9\"}".to_vec()) };
        let e = decode(rec, &ReadOptions::default()).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("x"));
        assert_eq!(e.source, "f:3");
        assert!(e.message.contains("invalid UTF-8"), "{}", e.message);
    }

    #[test]
    fn decode_rejects_over_long_text_with_its_id() {
        let opts = ReadOptions { max_article_bytes: 4, ..ReadOptions::default() };
        let rec = Record { source: "f:1".into(), id: None, payload: Payload::Jsonl(br#"{"id":"y","text":"12345"}"#.to_vec()) };
        let e = decode(rec, &opts).unwrap_err();
        assert_eq!(e.id.as_deref(), Some("y"));
        assert!(e.message.contains("over the limit"));
        let rec = Record { source: "f:1".into(), id: None, payload: Payload::Jsonl(br#"{"id":"y","text":"1234"}"#.to_vec()) };
        assert!(decode(rec, &opts).is_ok());
    }

    #[test]
    fn text_input_is_one_record() {
        let r: Vec<Record> = RecordReader::from_bytes("t", b"line one\n\nline two\n".to_vec(), false, &ReadOptions::default()).collect();
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].payload, Payload::Text(b"line one\n\nline two\n".to_vec()));
    }

    #[test]
    fn batches_respect_item_and_byte_limits() {
        let recs: Vec<Record> = (0..10).map(|i| Record { source: format!("s{i}"), id: None, payload: Payload::Text(vec![b'a'; 10]) }).collect();
        let b: Vec<Vec<Record>> = batches(recs.clone().into_iter(), 4, 1000).collect();
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![4, 4, 2]);
        let b: Vec<Vec<Record>> = batches(recs.into_iter(), 100, 25).collect();
        assert_eq!(b.iter().map(Vec::len).collect::<Vec<_>>(), vec![3, 3, 3, 1]);
    }

    #[test]
    fn ordered_map_keeps_input_order_for_any_thread_count() {
        for jobs in [1, 2, 3, 8] {
            let mut got = Vec::new();
            // Uneven work so that results finish out of order.
            ordered_map(
                0..500u64,
                jobs,
                7,
                |i| {
                    let mut x = i;
                    for _ in 0..(i % 13) * 1000 {
                        x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(1));
                    }
                    (i, x)
                },
                |(i, _)| {
                    got.push(i);
                    ControlFlow::Continue(())
                },
            );
            assert_eq!(got, (0..500).collect::<Vec<_>>(), "jobs={jobs}");
        }
    }

    #[test]
    fn ordered_map_bounds_items_in_flight_and_stops_on_break() {
        use std::sync::atomic::AtomicUsize;
        let read = AtomicUsize::new(0);
        let items = (0..1_000_000u64).inspect(|_| {
            read.fetch_add(1, Ordering::SeqCst);
        });
        let mut seen = 0;
        ordered_map(items, 2, 4, |i| i, |_| {
            seen += 1;
            if seen == 10 {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        });
        assert_eq!(seen, 10);
        // Reading stops within the window after the sink stops.
        assert!(read.load(Ordering::SeqCst) <= 10 + 4 + 1, "{}", read.load(Ordering::SeqCst));
    }

    #[test]
    fn directories_are_walked_in_order_with_relative_ids() {
        let dir = std::env::temp_dir().join(format!("gazette-corpus-walk-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("b/c")).unwrap();
        std::fs::write(dir.join("b/c/z.txt"), "Nokia").unwrap();
        std::fs::write(dir.join("a.jsonl"), "{\"id\":\"j1\",\"text\":\"x\"}\n{\"id\":\"j2\",\"text\":\"y\"}\n").unwrap();
        std::fs::write(dir.join("skip.md"), "not an input").unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"Apple").unwrap();
        std::fs::write(dir.join("b/y.txt.gz"), gz.finish().unwrap()).unwrap();
        let inputs = Inputs::expand(&[InputSpec::Path(dir.clone())], Format::Auto);
        assert!(inputs.total_bytes().unwrap() > 0);
        let recs: Vec<Record> = inputs.records(&ReadOptions::default()).collect();
        let arts: Vec<Article> = recs.into_iter().map(|r| decode(r, &ReadOptions::default()).unwrap()).collect();
        let ids: Vec<&str> = arts.iter().map(|a| a.id.as_deref().unwrap()).collect();
        assert_eq!(ids, vec!["j1", "j2", "b/c/z.txt", "b/y.txt"]);
        assert_eq!(arts[3].text, "Apple");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
