//! Compiled gazetteers: a checked, loaded [`Gazetteer`] written to one binary file and read
//! back without parsing TSV, tokenising names or laying out the trie again.
//!
//! A million-name gazetteer takes ~0.7 s to load from TSV, most of it parsing and building the
//! matcher; the compiled file loads in a fraction of that (`BENCHMARKS.md`). It is a cache of
//! the sources, not a new source format: `gazette gazetteer compile DIR -o FILE` writes it after
//! every check of the TSV files has passed, and it must be rebuilt when they change or gazette
//! is upgraded (a file from another version is refused with that advice).
//!
//! Layout: a header, then sections read one at a time, so loading never holds the whole file
//! in memory. The large tables of numbers (id index, matcher tables, vocabulary keys) are
//! arrays of fixed-size little-endian records ([`Record`]), decoded in one pass into a vector
//! sized from the section's length; everything else is encoded with `postcard` (serde's
//! compact binary encoding).
//!
//! | bytes | content |
//! |---|---|
//! | 16 | magic `gazette:compiled` |
//! | 4 | format number, little endian |
//! | 1 + n | length and text of the gazette version that wrote it |
//! | per section: 8 + 4 + n | length and CRC-32 of the section (little endian), the section |
//!
//! The sections, in order: the source files (path and entry count, in load order), the id
//! index, the first names, the common words, the matcher's tables
//! ([`Matcher::write_sections`]), then the entries in chunks of [`CHUNK`] (the last one the
//! rest), each chunk's entries encoded one after another.
//!
//! Loading checks the header, every section's length and checksum before decoding it, that
//! nothing follows the last section, and every table index after decoding
//! ([`Matcher::check_structure`]), so a damaged file is an error naming the file, never a panic
//! later. The entries are checked on load and decoded one by one on first use ([`Encoded`]).

use super::{EntityType, Entries, Entry, Gazetteer, Matcher};
use crate::error::ConfigError;
use rustc_hash::FxHashSet;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};

const MAGIC: &[u8; 16] = b"gazette:compiled";
/// Bump when the sections' layout or the meaning of any table changes.
const FORMAT: u32 = 5;
const VERSION: &str = env!("CARGO_PKG_VERSION");
/// Entries per section (a handful in unit tests, so that they see many entry sections).
#[cfg(not(test))]
const CHUNK: usize = 1 << 16;
#[cfg(test)]
const CHUNK: usize = 2;

/// Writes length-and-checksum framed sections.
pub(super) struct SectionWriter<W: Write> {
    out: W,
    buf: Vec<u8>,
}

impl<W: Write> SectionWriter<W> {
    pub(super) fn put<T: Serialize + ?Sized>(&mut self, value: &T) -> std::io::Result<()> {
        self.buf.clear();
        let buf = std::mem::take(&mut self.buf);
        // Encoding plain vectors, maps and strings into memory cannot fail.
        self.buf = postcard::to_extend(value, buf).map_err(std::io::Error::other)?;
        self.frame()
    }

    /// Writes `values` as one section, each encoded after the one before (no count first).
    pub(super) fn put_each<'a, T: Serialize + 'a>(&mut self, values: impl IntoIterator<Item = &'a T>) -> std::io::Result<()> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        for v in values {
            buf = postcard::to_extend(v, buf).map_err(std::io::Error::other)?;
        }
        self.buf = buf;
        self.frame()
    }

    /// Writes `records` as one section of raw little-endian bytes, [`Record::SIZE`] each: a
    /// large table then loads with one pass over its bytes, no varint decoding.
    pub(super) fn put_raw<'a, T: Record + 'a>(&mut self, records: impl IntoIterator<Item = &'a T>) -> std::io::Result<()> {
        self.buf.clear();
        for r in records {
            r.put(&mut self.buf);
        }
        self.frame()
    }

    /// Writes the buffer as the next section: its length, its CRC-32, its bytes.
    fn frame(&mut self) -> std::io::Result<()> {
        self.out.write_all(&(self.buf.len() as u64).to_le_bytes())?;
        self.out.write_all(&crc32fast::hash(&self.buf).to_le_bytes())?;
        self.out.write_all(&self.buf)
    }
}

/// A value of fixed size stored as raw little-endian bytes in a section of
/// [`SectionWriter::put_raw`].
pub(super) trait Record: Sized {
    /// Bytes per record.
    const SIZE: usize;
    /// Appends the record's `SIZE` bytes.
    fn put(&self, out: &mut Vec<u8>);
    /// The record in `b` (exactly `SIZE` bytes), or `None` when they hold no valid record.
    fn take(b: &[u8]) -> Option<Self>;
}

/// [`Record`] for unsigned integers: their little-endian bytes.
macro_rules! int_record {
    ($($t:ty),*) => {$(
        impl Record for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            #[inline]
            fn take(b: &[u8]) -> Option<$t> {
                Some(<$t>::from_le_bytes(b.try_into().ok()?))
            }
        }
    )*};
}

int_record!(u32, u64);

/// A reader that can pass over bytes without reading them.
pub(super) trait Input: Read {
    /// Passes over the next `n` bytes (the caller knows they exist).
    fn pass(&mut self, n: u64) -> std::io::Result<()>;
}

impl Input for BufReader<std::fs::File> {
    fn pass(&mut self, n: u64) -> std::io::Result<()> {
        self.seek_relative(i64::try_from(n).map_err(std::io::Error::other)?)
    }
}

impl Input for &[u8] {
    fn pass(&mut self, n: u64) -> std::io::Result<()> {
        let rest = usize::try_from(n).ok().and_then(|n| self.get(n..)).ok_or(std::io::ErrorKind::UnexpectedEof)?;
        *self = rest;
        Ok(())
    }
}

impl<R: Input> SectionReader<R> {
    /// Passes over `n` sections without reading or decoding them (whoever decodes them checks
    /// them).
    fn skip(&mut self, n: usize) -> Result<(), String> {
        for _ in 0..n {
            let (len, _) = self.header()?;
            if len > self.left {
                return Err("truncated or damaged (a section runs past the end of the file)".into());
            }
            self.input.pass(len).map_err(|e| format!("cannot read: {e}"))?;
            self.left -= len;
        }
        Ok(())
    }
}

/// Reads the sections of a [`SectionWriter`], one buffer reused for all of them.
pub(super) struct SectionReader<R: Read> {
    input: R,
    /// Bytes not yet read: a damaged length can never make the reader allocate more.
    left: u64,
    buf: Vec<u8>,
}

impl<R: Read> SectionReader<R> {
    fn bytes(&mut self, n: u64) -> Result<(), String> {
        if n > self.left {
            return Err("truncated or damaged (a section runs past the end of the file)".into());
        }
        // Zeroes only what the buffer grows by: read_exact overwrites the rest.
        self.buf.resize(n as usize, 0);
        self.input.read_exact(&mut self.buf).map_err(|e| format!("cannot read: {e}"))?;
        self.left -= n;
        Ok(())
    }

    /// Reads the next section's length and checksum.
    fn header(&mut self) -> Result<(u64, u32), String> {
        self.bytes(12)?;
        let len = u64::from_le_bytes(self.buf[..8].try_into().unwrap_or_default());
        let crc = u32::from_le_bytes(self.buf[8..12].try_into().unwrap_or_default());
        Ok((len, crc))
    }

    /// Reads the next section into the buffer and checks its checksum.
    fn section(&mut self) -> Result<(), String> {
        let (len, crc) = self.header()?;
        self.bytes(len)?;
        if crc32fast::hash(&self.buf) != crc {
            return Err("damaged (checksum mismatch)".into());
        }
        Ok(())
    }

    /// Reads a section of [`SectionWriter::put_raw`]: its records' bytes.
    fn raw<T: Record>(&mut self) -> Result<std::slice::ChunksExact<'_, u8>, String> {
        self.section()?;
        if !self.buf.len().is_multiple_of(T::SIZE) {
            return Err(format!("damaged (a table of {}-byte records holds {} bytes)", T::SIZE, self.buf.len()));
        }
        Ok(self.buf.chunks_exact(T::SIZE))
    }

    /// Reads a section of [`SectionWriter::put_raw`] into a vector, sized by the section's
    /// bytes (so never larger than what was read).
    pub(super) fn get_raw<T: Record>(&mut self) -> Result<Vec<T>, String> {
        let records = self.raw::<T>()?;
        let mut v = Vec::with_capacity(records.len());
        for b in records {
            v.push(T::take(b).ok_or("damaged (an invalid record)")?);
        }
        Ok(v)
    }

    /// Reads a section of [`SectionWriter::put_raw`] into a map, sized before the first insert.
    pub(super) fn get_raw_map<K: Eq + std::hash::Hash, V>(&mut self) -> Result<rustc_hash::FxHashMap<K, V>, String>
    where
        (K, V): Record,
    {
        let records = self.raw::<(K, V)>()?;
        let mut m = rustc_hash::FxHashMap::with_capacity_and_hasher(records.len(), Default::default());
        for b in records {
            let (k, v) = <(K, V)>::take(b).ok_or("damaged (an invalid record)")?;
            if m.insert(k, v).is_some() {
                return Err("damaged (a key twice in a table)".into());
            }
        }
        Ok(m)
    }

    /// Decodes the next section as one `T`.
    pub(super) fn get<T: DeserializeOwned>(&mut self) -> Result<T, String> {
        self.section()?;
        let mut de = postcard::Deserializer::from_bytes(&self.buf);
        match T::deserialize(&mut de).map(|v| (v, de.finalize())) {
            Ok((value, Ok([]))) => Ok(value),
            Ok(_) => Err("damaged (a section holds more than its value)".into()),
            Err(e) => Err(format!("cannot decode a section: {e}")),
        }
    }
}

fn sorted(set: &FxHashSet<String>) -> Vec<&str> {
    let mut v: Vec<&str> = set.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// Writes the compiled form of `g`. The same sources always give the same bytes.
pub fn write(g: &Gazetteer, out: impl Write) -> std::io::Result<()> {
    let mut out = BufWriter::new(out);
    out.write_all(MAGIC)?;
    out.write_all(&FORMAT.to_le_bytes())?;
    out.write_all(&[VERSION.len() as u8])?;
    out.write_all(VERSION.as_bytes())?;
    let entries: Vec<&Entry> = g.entries().collect();
    let mut files: Vec<(&str, u32)> = Vec::new();
    for e in &entries {
        match files.last_mut() {
            Some((p, n)) if *p == &*e.path => *n += 1,
            _ => files.push((&e.path, 1)),
        }
    }
    let mut w = SectionWriter { out, buf: Vec::new() };
    w.put(&files)?;
    w.put_raw(&g.by_id)?;
    w.put(&sorted(&g.first_names))?;
    w.put(&sorted(&g.common_words))?;
    g.matcher.write_sections(&mut w)?;
    for chunk in entries.chunks(CHUNK) {
        w.put_each(chunk)?;
    }
    w.out.flush()
}

/// Does the file start like a compiled gazetteer?
pub fn is_compiled(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut head)).is_ok() && &head == MAGIC
}

/// Reads a compiled gazetteer. With `threads` > 1 a second thread, from a second handle on
/// the file, reads and checks the first three quarters of the entry sections while this one
/// decodes the tables and then reads the rest, and the two runs of sections are joined.
/// (Measured on a million names, empty input, wall, medians of ten: 79–94 ms, against
/// 94–104 ms with half the sections on each thread, 88–89 ms with all of them on the second,
/// and 120 ms on one thread. Decoding the tables takes longer than checking the entries.)
pub fn read(path: &Path, threads: usize) -> Result<Gazetteer, ConfigError> {
    let name = path.display().to_string();
    let open = || -> Result<SectionReader<BufReader<std::fs::File>>, ConfigError> {
        let file = std::fs::File::open(path).map_err(|e| ConfigError::single(name.clone(), 0, format!("cannot read gazetteers: {e}")))?;
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        Ok(SectionReader { input: BufReader::with_capacity(1 << 16, file), left: size, buf: Vec::new() })
    };
    let fail = |m: String| ConfigError::single(name.clone(), 0, format!("{m}; rebuild it with `gazette gazetteer compile`"));
    if threads < 2 {
        return decode(&mut open()?).map_err(fail);
    }
    let (mut a, mut b) = (open()?, open()?);
    let (tables, entries) = std::thread::scope(|s| {
        let first = s.spawn(move || -> Result<Sections, String> {
            let files = read_head(&mut b)?;
            b.skip(TABLE_SECTIONS)?;
            read_entries(&mut b, &files, 0..split(&files))
        });
        let rest = read_head(&mut a).and_then(|files| {
            let tables = read_tables(&mut a, &files)?;
            let k = split(&files);
            a.skip(k)?;
            let rest = read_entries(&mut a, &files, k..usize::MAX)?;
            at_end(&a)?;
            Ok((tables, files, rest))
        });
        let first = first.join().unwrap_or_else(|_| Err("reading the entries failed".into()));
        (rest, first)
    });
    let ((tables, files, rest), mut entries) = (tables.map_err(fail)?, entries.map_err(fail)?);
    entries.bytes.extend(rest.bytes);
    entries.starts.extend(rest.starts);
    Ok(assemble(tables, &files, entries))
}

/// The entry sections the second thread of [`read`] reads: the first three quarters.
fn split(files: &Files) -> usize {
    (total(files).div_ceil(CHUNK) * 3).div_ceil(4)
}

/// Sections between the file table and the entries: id index, two word lists, the matcher.
const TABLE_SECTIONS: usize = 3 + Matcher::SECTIONS;

type Files = Vec<(String, u32)>;

struct Tables {
    by_id: Vec<u32>,
    first_names: FxHashSet<String>,
    common_words: FxHashSet<String>,
    matcher: Matcher,
}

/// Decodes a whole compiled gazetteer from one reader.
fn decode<R: Read>(r: &mut SectionReader<R>) -> Result<Gazetteer, String> {
    let files = read_head(r)?;
    let tables = read_tables(r, &files)?;
    let entries = read_entries(r, &files, 0..usize::MAX)?;
    at_end(r)?;
    Ok(assemble(tables, &files, entries))
}

/// The header and the file table.
fn read_head<R: Read>(r: &mut SectionReader<R>) -> Result<Files, String> {
    r.bytes(21)?;
    if &r.buf[..16] != MAGIC {
        return Err("not a compiled gazetteer (bad magic bytes)".into());
    }
    let format = u32::from_le_bytes(r.buf[16..20].try_into().unwrap_or_default());
    let vlen = r.buf[20] as u64;
    r.bytes(vlen)?;
    let version = String::from_utf8_lossy(&r.buf).into_owned();
    if format != FORMAT || version != VERSION {
        return Err(format!("compiled by gazette {version} (format {format}); this is gazette {VERSION} (format {FORMAT})"));
    }
    r.get()
}

fn total(files: &Files) -> usize {
    files.iter().map(|f| f.1 as usize).sum()
}

/// The id index, the word lists and the matcher, checked against the number of entries.
fn read_tables<R: Read>(r: &mut SectionReader<R>, files: &Files) -> Result<Tables, String> {
    let by_id: Vec<u32> = r.get_raw()?;
    let first_names = r.get()?;
    let common_words = r.get()?;
    let matcher = Matcher::read_sections(r)?;
    let total = total(files);
    if by_id.len() != total || by_id.iter().any(|&i| i as usize >= total) {
        return Err("inconsistent id index".into());
    }
    matcher.check_structure(total)?;
    Ok(Tables { by_id, first_names, common_words, matcher })
}

/// Entry sections as read: each one's bytes, and each entry's start in its section.
struct Sections {
    bytes: Vec<Vec<u8>>,
    starts: Vec<u32>,
}

/// Reads the entry sections `sections` (each holds [`CHUNK`] entries, the last one the rest),
/// and checks that every entry in them decodes ([`EntryCheck`]) without decoding it.
fn read_entries<R: Read>(r: &mut SectionReader<R>, files: &Files, sections: std::ops::Range<usize>) -> Result<Sections, String> {
    let total = total(files);
    let from = sections.start.saturating_mul(CHUNK).min(total);
    let to = sections.end.saturating_mul(CHUNK).min(total);
    // Every entry takes at least a byte: a count beyond the bytes left is damage, and must not
    // reach the allocation below.
    if (total - from) as u64 > r.left {
        return Err("inconsistent file table (more entries than bytes)".into());
    }
    let mut read = Sections { bytes: Vec::new(), starts: Vec::with_capacity(to - from) };
    while from + read.starts.len() < to {
        r.section()?;
        let section = std::mem::take(&mut r.buf);
        let first = read.starts.len();
        let mut rest = &section[..];
        while !rest.is_empty() {
            if from + read.starts.len() == to {
                return Err("an entry section holds more entries than the file table".into());
            }
            let at = u32::try_from(section.len() - rest.len()).map_err(|_| "damaged (an entry section of over 4 GiB)")?;
            read.starts.push(at);
            rest = postcard::take_from_bytes::<EntryCheck>(rest).map_err(|e| format!("cannot decode an entry: {e}"))?.1;
        }
        let at = from + read.starts.len();
        if at == from + first || (!at.is_multiple_of(CHUNK) && at != total) {
            return Err("inconsistent entry sections".into());
        }
        read.bytes.push(section);
    }
    Ok(read)
}

/// An entry's encoding read without allocating. The same fields as [`Entry`], in the same
/// order, so that it decodes exactly the bytes an `Entry` does and fails where an `Entry` would
/// (the round-trip tests compare every entry decoded both ways). Its fields are checked, never
/// read.
#[derive(Deserialize)]
#[allow(dead_code)]
struct EntryCheck {
    id: Utf8,
    name: Utf8,
    extra: Option<ExtraCheck>,
    line: u32,
    kind: EntityType,
}

/// [`EntryCheck`] of an [`super::EntryExtra`]. (A `Vec` of [`Utf8`], which has no size, never
/// allocates.)
#[derive(Deserialize)]
#[allow(dead_code)]
struct ExtraCheck {
    subtype: Option<Utf8>,
    country: Option<Utf8>,
    parent: Option<Utf8>,
    aliases: Vec<Utf8>,
    demonyms: Vec<Utf8>,
    wikidata: Option<Utf8>,
    ticker: Option<Utf8>,
    isin: Option<Utf8>,
    cik: Option<Utf8>,
}

/// A string of an entry, checked for valid UTF-8 as decoding it into a `String` checks it, but
/// first for ASCII: `str::from_utf8` cost about a hundred instructions a call on these short
/// strings, a quarter of a 1M-name load. (A string is encoded as bytes are.)
struct Utf8;

impl<'de> Deserialize<'de> for Utf8 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Utf8, D::Error> {
        let b = <&'de [u8]>::deserialize(d)?;
        if b.is_ascii() || std::str::from_utf8(b).is_ok() {
            Ok(Utf8)
        } else {
            Err(serde::de::Error::custom("a string is not valid UTF-8"))
        }
    }
}

/// The entries of a compiled file, checked on load and each decoded on its first use. A run
/// over 52.9 MB of news decodes one or two thousand entries of a million: decoding them all
/// up front took two thirds of the load (an allocation per string, and the pages they fill)
/// and some 75 MB.
#[derive(Clone)]
pub(super) struct Encoded {
    /// The entry sections' bytes, [`CHUNK`] entries to a section.
    bytes: Vec<Vec<u8>>,
    /// Each entry's start in its section.
    starts: Vec<u32>,
    /// Each file's path and the index one past its last entry.
    files: Vec<(Arc<str>, usize)>,
    decoded: Vec<OnceLock<Box<Entry>>>,
}

impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let decoded = self.decoded.iter().filter(|d| d.get().is_some()).count();
        f.debug_struct("Encoded").field("entries", &self.starts.len()).field("decoded", &decoded).finish()
    }
}

impl Encoded {
    pub(super) fn len(&self) -> usize {
        self.starts.len()
    }

    /// The bytes of entry `i` and of the entries after it in its section.
    fn from(&self, i: usize) -> &[u8] {
        &self.bytes[i / CHUNK][self.starts[i] as usize..]
    }

    pub(super) fn get(&self, i: usize) -> &Entry {
        self.decoded[i].get_or_init(|| {
            let mut e: Entry = postcard::take_from_bytes(self.from(i)).expect("an entry checked on load decodes").0;
            e.path = self.files[self.files.partition_point(|f| f.1 <= i)].0.clone();
            Box::new(e)
        })
    }

    /// The bytes of entry `i`'s id, read from its encoding whether or not it has been decoded
    /// (one memory access less in a binary search over the ids): the id is the first field,
    /// and a string is encoded as bytes are. (Its UTF-8 was checked on load; ids compare as
    /// bytes.)
    pub(super) fn id(&self, i: usize) -> &[u8] {
        postcard::take_from_bytes::<&[u8]>(self.from(i)).map_or(&[], |(id, _)| id)
    }
}

/// Checks that nothing follows the last section.
fn at_end<R: Read>(r: &SectionReader<R>) -> Result<(), String> {
    match r.left {
        0 => Ok(()),
        n => Err(format!("{n} unexpected bytes after the last section")),
    }
}

fn assemble(t: Tables, files: &Files, read: Sections) -> Gazetteer {
    let mut end = 0;
    let files = files
        .iter()
        .map(|(path, n)| {
            end += *n as usize;
            (Arc::from(path.as_str()), end)
        })
        .collect();
    let decoded = (0..read.starts.len()).map(|_| OnceLock::new()).collect();
    let entries = Entries::Encoded(Encoded { bytes: read.bytes, starts: read.starts, files, decoded });
    Gazetteer { entries, by_id: t.by_id, matcher: t.matcher, first_names: t.first_names, common_words: t.common_words }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(name: &str, bytes: &[u8], size: u64) -> Result<Gazetteer, ConfigError> {
        let mut r = SectionReader { input: bytes, left: size, buf: Vec::new() };
        super::decode(&mut r).map_err(|m| ConfigError::single(name, 0, m))
    }

    fn entries(g: &Gazetteer) -> Vec<&Entry> {
        g.entries().collect()
    }

    fn compiled(g: &Gazetteer) -> Vec<u8> {
        let mut out = Vec::new();
        write(g, &mut out).unwrap();
        out
    }

    fn found(g: &Gazetteer, text: &str) -> Vec<(usize, usize, Vec<u32>)> {
        let toks = crate::segment::tokenize(text);
        let ids = g.matcher().token_ids(text, &toks);
        let mut out = Vec::new();
        g.matcher().find(text, &toks, &ids, 0..toks.len(), &mut out);
        out.into_iter().map(|m| (m.start, m.end, m.targets.iter().map(|t| t.entry).collect())).collect()
    }

    #[test]
    fn round_trip_keeps_entries_index_lists_and_matches() {
        let g = Gazetteer::embedded().unwrap();
        let bytes = compiled(&g);
        assert_eq!(bytes, compiled(&g), "same gazetteer, same bytes");
        let h = decode("g.gzc", &bytes[..], bytes.len() as u64).unwrap();
        assert!(matches!(h.entries, Entries::Encoded(_)));
        // Ids first, before any entry is decoded (read from the bytes), then again after.
        for _ in 0..2 {
            for e in g.entries() {
                assert_eq!(h.index_of(&e.id).map(|i| &h.entry(i).id), Some(&e.id));
            }
        }
        assert_eq!(h.index_of("company:no-such-entry"), None);
        assert!(g.entries().any(|e| !e.aliases.is_empty() && e.wikidata.is_some()), "entries with extra columns are compared too");
        assert_eq!(entries(&h), entries(&g));
        assert_eq!(h.entries().map(|e| &*e.path).collect::<Vec<_>>(), g.entries().map(|e| &*e.path).collect::<Vec<_>>());
        assert_eq!(h.by_id, g.by_id);
        assert_eq!((h.first_names.len(), h.common_words.len()), (g.first_names.len(), g.common_words.len()));
        assert!(h.is_common_word("Apple") && h.index_of("company:huawei").is_some());
        let text = "Huawei and Nokia met the U.S. Commerce Department; Chinese and German automakers, Mercedes-Benz and eBay.";
        assert!(found(&g, text).len() >= 6);
        assert_eq!(found(&h, text), found(&g, text));
        assert_eq!(h.matcher().vocabulary_size(), g.matcher().vocabulary_size());
        assert_eq!(h.matcher().pattern_count(), g.matcher().pattern_count());
    }

    #[test]
    fn two_threads_read_what_one_reads() {
        let g = Gazetteer::embedded().unwrap();
        // The reader skips exactly the sections the matcher writes.
        let mut buf = Vec::new();
        let mut framed = SectionWriter { out: &mut buf, buf: Vec::new() };
        g.matcher.write_sections(&mut framed).unwrap();
        let mut r = SectionReader { input: &buf[..], left: buf.len() as u64, buf: Vec::new() };
        r.skip(Matcher::SECTIONS).unwrap();
        assert_eq!(r.left, 0, "Matcher::SECTIONS is the number of sections written");
        let path = std::env::temp_dir().join(format!("gazette-two-threads-{}.gzc", std::process::id()));
        std::fs::write(&path, compiled(&g)).unwrap();
        let (one, two) = (read(&path, 1).unwrap(), read(&path, 2).unwrap());
        std::fs::remove_file(&path).unwrap();
        assert_eq!(entries(&one), entries(&two));
        assert_eq!(entries(&two), entries(&g));
        let paths = |g: &Gazetteer| g.entries().map(|e| e.path.to_string()).collect::<Vec<_>>();
        assert_eq!(paths(&one), paths(&g));
        assert_eq!(paths(&two), paths(&g));
        assert!(g.len() > 3 * CHUNK, "the second thread and this one each read several entry sections");
        assert_eq!(one.by_id, two.by_id);
        let cut = std::env::temp_dir().join(format!("gazette-two-threads-cut-{}.gzc", std::process::id()));
        let bytes = compiled(&g);
        std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
        let e = read(&cut, 2).unwrap_err().to_string();
        std::fs::remove_file(&cut).unwrap();
        assert!(e.contains("gazette-two-threads-cut") && e.contains("rebuild"), "{e}");
    }

    #[test]
    fn raw_tables_refuse_a_partial_record_and_invalid_values() {
        let mut buf = Vec::new();
        let mut w = SectionWriter { out: &mut buf, buf: Vec::new() };
        w.put_raw(&[1u32, 70000, u32::MAX]).unwrap();
        w.put_raw::<u32>(&[]).unwrap();
        w.put_raw(&[1u32, 2, 3]).unwrap();
        let mut r = SectionReader { input: &buf[..], left: buf.len() as u64, buf: Vec::new() };
        assert_eq!(r.get_raw::<u32>().unwrap(), vec![1, 70000, u32::MAX]);
        assert_eq!(r.get_raw::<u32>().unwrap(), Vec::<u32>::new());
        assert!(r.get_raw::<u64>().unwrap_err().contains("8-byte records holds 12 bytes"));
        // A section of 6 bytes, checksum valid.
        let six = [1u8, 2, 3, 4, 5, 6];
        let mut framed = (six.len() as u64).to_le_bytes().to_vec();
        framed.extend(crc32fast::hash(&six).to_le_bytes());
        framed.extend(six);
        let mut r = SectionReader { input: &framed[..], left: framed.len() as u64, buf: Vec::new() };
        assert!(r.get_raw::<u32>().unwrap_err().contains("4-byte records holds 6 bytes"));
    }

    /// A small compiled gazetteer and where each section's payload lies in it.
    fn small() -> (Vec<u8>, Vec<std::ops::Range<usize>>) {
        let h = "id\tname\ttype\tsubtype\tcountry\tparent\taliases\tdemonyms\twikidata\tticker\tisin\tcik\n";
        let tsv = format!(
            "{h}company:acme\tAcme Corp\tcompany\t\tUS\t\tACME|=AcMe|eAcme\t\tQ1\t\t\t\ncountry:fr\tFrance\tcountry\t\tFR\t\t\tFrench\t\t\t\t\n\
             company:acme-auto\tAcme Motors\tcompany\tautomaker\tFR\tcompany:acme\tAcme\t\t\t\t\t\n"
        );
        let g = Gazetteer::from_sources(&[("a.tsv".into(), tsv), ("common-words.txt".into(), "acme\n".into())]).unwrap();
        let bytes = compiled(&g);
        let mut sections = Vec::new();
        let mut at = 16 + 4 + 1 + VERSION.len();
        while at < bytes.len() {
            let len = u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap()) as usize;
            sections.push(at + 12..at + 12 + len);
            at += 12 + len;
        }
        (bytes, sections)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, ..Default::default() })]

        /// Damage that keeps the checksums valid (a section's bytes changed and its CRC
        /// recomputed): decoding either fails or gives a gazetteer that matching and entity
        /// resolution run on without a panic, so `check_structure` guards every index.
        #[test]
        fn damage_behind_a_valid_checksum_never_panics(
            section in 0usize..64,
            edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..6),
        ) {
            let (mut bytes, sections) = small();
            let r = sections[section % sections.len()].clone();
            if r.is_empty() {
                return Ok(());
            }
            for (at, v) in edits {
                bytes[r.start + at % r.len()] = v;
            }
            let crc = crc32fast::hash(&bytes[r.clone()]);
            bytes[r.start - 4..r.start].copy_from_slice(&crc.to_le_bytes());
            if let Ok(g) = decode("d.gzc", &bytes[..], bytes.len() as u64) {
                // Every entry that passed the check on load decodes.
                let _ = g.entries().count();
                let text = "Acme Corp and ACME met AcMe, eAcme and Acme Motors; the French in France. acme france";
                let _ = found(&g, text);
                let _ = crate::entities::analyze(&g, &crate::Article::from_text(text));
            }
        }
    }

    /// An entry's string that is not UTF-8, behind a valid checksum, is refused on load; one
    /// that is UTF-8 but not ASCII is accepted and decodes.
    #[test]
    fn entry_strings_are_checked_for_utf8_on_load() {
        let (bytes, sections) = small();
        let edit = |from: &[u8], to: &[u8]| {
            assert_eq!(from.len(), to.len());
            let mut b = bytes.clone();
            let holds = |r: &std::ops::Range<usize>| bytes[r.clone()].windows(from.len()).position(|w| w == from);
            // The entry sections come last.
            let r = sections.iter().rev().find(|r| holds(r).is_some()).expect("the name is in an entry section").clone();
            let at = r.start + holds(&r).unwrap_or_default();
            b[at..at + to.len()].copy_from_slice(to);
            let crc = crc32fast::hash(&b[r.clone()]);
            b[r.start - 4..r.start].copy_from_slice(&crc.to_le_bytes());
            b
        };
        for bad in [&b"Acme M\xFFtors"[..], b"Acme M\xC3tors", b"Acme Moto\xE2\x80"] {
            let b = edit(b"Acme Motors", bad);
            let e = decode("u.gzc", &b[..], b.len() as u64).expect_err("a string that is not UTF-8 is refused").to_string();
            assert!(e.contains("cannot decode an entry"), "{e}");
        }
        let b = edit(b"Acme Motors", "Acme M\u{f6}tor".as_bytes());
        let g = decode("u.gzc", &b[..], b.len() as u64).expect("UTF-8 that is not ASCII is accepted");
        assert!(g.entries().any(|e| &*e.name == "Acme M\u{f6}tor"));
    }

    #[test]
    fn every_damaged_byte_and_every_truncation_is_an_error_not_a_panic() {
        let (bytes, _) = small();
        assert!(decode("a.gzc", &bytes[..], bytes.len() as u64).is_ok());
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x41;
            let e = decode("a.gzc", &bad[..], bad.len() as u64).err().unwrap_or_else(|| panic!("byte {i} flipped was accepted"));
            assert!(e.to_string().starts_with("a.gzc: "), "{e}");
        }
        for n in 0..bytes.len() {
            assert!(decode("a.gzc", &bytes[..n], n as u64).is_err(), "cut at {n} was accepted");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(decode("a.gzc", &longer[..], longer.len() as u64).unwrap_err().to_string().contains("unexpected bytes"));
    }
}
