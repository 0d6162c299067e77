//! Gazetteers: curated lists of named entities, loaded, checked and compiled into a matcher.
//!
//! The data format is described in `gazetteers/README.md`. The default files are embedded in
//! the binary; [`Gazetteer::from_dir`] loads a user's directory instead.

mod compiled;
mod load;
pub mod matcher;

pub use matcher::{CasePolicy, Form, Match, Matcher, Target};

use crate::error::{ConfigError, Problem};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded.rs"));
}

/// Files built into the binary, `(file name, content)`.
pub(crate) type EmbeddedFiles = &'static [(&'static str, &'static str)];

/// The embedded default gazetteer and rule files.
pub(crate) fn embedded_files() -> (EmbeddedFiles, EmbeddedFiles) {
    (embedded::GAZETTEER_FILES, embedded::RULE_FILES)
}

/// Entity types of the taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityType {
    /// A business.
    Company,
    /// A sovereign state.
    Country,
    /// A city, region, continent or other place.
    Location,
    /// A government body.
    Government,
    /// Any other organisation.
    Organization,
    /// A named human.
    Person,
}

impl EntityType {
    /// Parses the lower-case name.
    pub fn parse(s: &str) -> Option<EntityType> {
        Some(match s {
            "company" => EntityType::Company,
            "country" => EntityType::Country,
            "location" => EntityType::Location,
            "government" => EntityType::Government,
            "organization" => EntityType::Organization,
            "person" => EntityType::Person,
            _ => return None,
        })
    }

    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityType::Company => "company",
            EntityType::Country => "country",
            EntityType::Location => "location",
            EntityType::Government => "government",
            EntityType::Organization => "organization",
            EntityType::Person => "person",
        }
    }
}

/// One gazetteer entry.
///
/// Kept small (80 bytes inline) because a user gazetteer may hold millions: the fields most
/// entries leave empty (subtype, country, parent, aliases, demonyms, external ids) live in one
/// boxed [`EntryExtra`], reached through `Deref` (`entry.parent`, `entry.wikidata`), so an
/// entry without them costs one null pointer instead of ~180 bytes of empty fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Stable canonical id (`company:huawei`).
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// File the entry came from. A compiled gazetteer stores each file once (see
    /// `compiled.rs`), not once per entry.
    #[serde(skip)]
    pub path: std::sync::Arc<str>,
    extra: Option<Box<EntryExtra>>,
    /// Line in that file.
    pub line: u32,
    /// Entity type.
    pub kind: EntityType,
}

/// The optional columns of an [`Entry`], boxed together (see there).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct EntryExtra {
    /// Subtype (`automaker`, `media`, `city`, ...).
    pub subtype: Option<Box<str>>,
    /// ISO 3166-1 alpha-2 country.
    pub country: Option<Box<str>>,
    /// Parent entry id.
    pub parent: Option<Box<str>>,
    /// Other surface forms.
    pub aliases: Vec<Box<str>>,
    /// Demonyms / adjectives.
    pub demonyms: Vec<Box<str>>,
    /// Wikidata QID.
    pub wikidata: Option<String>,
    /// Ticker symbol.
    pub ticker: Option<String>,
    /// ISIN.
    pub isin: Option<String>,
    /// SEC CIK.
    pub cik: Option<String>,
}

impl EntryExtra {
    const EMPTY: EntryExtra = EntryExtra {
        subtype: None,
        country: None,
        parent: None,
        aliases: Vec::new(),
        demonyms: Vec::new(),
        wikidata: None,
        ticker: None,
        isin: None,
        cik: None,
    };

    fn is_empty(&self) -> bool {
        *self == EntryExtra::EMPTY
    }
}

static NO_EXTRA: EntryExtra = EntryExtra::EMPTY;

impl std::ops::Deref for Entry {
    type Target = EntryExtra;
    fn deref(&self) -> &EntryExtra {
        self.extra.as_deref().unwrap_or(&NO_EXTRA)
    }
}

impl Entry {
    /// An entry; `extra` is boxed only when it holds something.
    pub fn new(id: String, name: String, kind: EntityType, extra: EntryExtra, path: std::sync::Arc<str>, line: u32) -> Entry {
        let extra = (!extra.is_empty()).then(|| Box::new(extra));
        Entry { id, name, path, extra, line, kind }
    }
}

/// A loaded, checked and compiled set of gazetteers. Immutable and shareable across threads.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    entries: Entries,
    /// Entry indices sorted by id (ids are unique): binary search, no second copy of the ids.
    by_id: Vec<u32>,
    matcher: Matcher,
    first_names: FxHashSet<String>,
    common_words: FxHashSet<String>,
}

/// The entries of a [`Gazetteer`]: decoded (built from TSV files), or as a compiled file
/// holds them, checked on load and each decoded on its first use ([`compiled::Encoded`]).
#[derive(Debug, Clone)]
enum Entries {
    Decoded(Vec<Entry>),
    Encoded(compiled::Encoded),
}

impl Entries {
    fn len(&self) -> usize {
        match self {
            Entries::Decoded(v) => v.len(),
            Entries::Encoded(e) => e.len(),
        }
    }

    fn get(&self, i: usize) -> &Entry {
        match self {
            Entries::Decoded(v) => &v[i],
            Entries::Encoded(e) => e.get(i),
        }
    }

    /// Entry `i`'s id, as bytes (ids compare as their bytes do).
    fn id(&self, i: usize) -> &[u8] {
        match self {
            Entries::Decoded(v) => v[i].id.as_bytes(),
            Entries::Encoded(e) => e.id(i),
        }
    }
}

/// Counts and non-fatal notes from checking a gazetteer.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    /// Entries per type.
    pub counts: Vec<(String, usize)>,
    /// Aliases shared by several entries (decided by context at run time).
    pub collisions: Vec<Problem>,
}

fn plural(demonym: &str) -> Option<String> {
    let lower = demonym.to_lowercase();
    if lower.ends_with("ese") || lower.ends_with('s') || lower.ends_with("sh") || lower.ends_with("ch") || lower.ends_with('i') && !lower.ends_with("ni") {
        None
    } else {
        Some(format!("{demonym}s"))
    }
}

impl Gazetteer {
    /// The embedded default gazetteers.
    pub fn embedded() -> Result<Gazetteer, ConfigError> {
        let (files, _) = embedded_files();
        let sources: Vec<(String, String)> =
            files.iter().map(|(n, c)| (format!("<embedded>/gazetteers/{n}"), c.to_string())).collect();
        Gazetteer::from_sources(&sources)
    }

    /// Loads a directory of gazetteer files ([`Gazetteer::from_dir`]) or a compiled gazetteer
    /// file ([`Gazetteer::write_compiled`]).
    pub fn from_path(path: &Path) -> Result<Gazetteer, ConfigError> {
        Gazetteer::from_path_threads(path, 1)
    }

    /// [`Gazetteer::from_path`], decoding a compiled file on up to `threads` threads (two are
    /// used: the entries and the matcher tables).
    pub fn from_path_threads(path: &Path, threads: usize) -> Result<Gazetteer, ConfigError> {
        if path.is_dir() {
            Gazetteer::from_dir(path)
        } else if compiled::is_compiled(path) {
            compiled::read(path, threads)
        } else if path.exists() {
            let msg = "neither a directory of gazetteer files nor a compiled gazetteer (`gazette gazetteer compile`)";
            Err(ConfigError::single(path.display().to_string(), 0, msg))
        } else {
            Err(ConfigError::single(path.display().to_string(), 0, "no such gazetteer directory or file"))
        }
    }

    /// Writes the gazetteer as one binary file that [`Gazetteer::from_path`] loads without
    /// parsing or compiling anything (format: `src/gazetteer/compiled.rs`). The same sources
    /// always give the same bytes.
    pub fn write_compiled(&self, out: impl std::io::Write) -> std::io::Result<()> {
        compiled::write(self, out)
    }

    /// Loads every `*.tsv` (entries), `common-words.txt` and `first-names.txt` file of `dir`.
    pub fn from_dir(dir: &Path) -> Result<Gazetteer, ConfigError> {
        let rd = std::fs::read_dir(dir)
            .map_err(|e| ConfigError::single(dir.display().to_string(), 0, format!("cannot read gazetteer directory: {e}")))?;
        let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.retain(|p| {
            let n = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            n.ends_with(".tsv") || n == "common-words.txt" || n == "first-names.txt"
        });
        paths.sort();
        if !paths.iter().any(|p| p.extension().is_some_and(|e| e == "tsv")) {
            return Err(ConfigError::single(dir.display().to_string(), 0, "no *.tsv gazetteer files in directory"));
        }
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        for p in paths {
            match std::fs::read(&p) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(s) => sources.push((p.display().to_string(), s)),
                    Err(e) => problems.push(Problem { path: p.display().to_string(), line: 0, message: format!("not UTF-8: {e}") }),
                },
                Err(e) => problems.push(Problem { path: p.display().to_string(), line: 0, message: format!("cannot read: {e}") }),
            }
        }
        if !problems.is_empty() {
            return Err(ConfigError::new(problems));
        }
        // Each file's text is dropped once parsed: at 1M names it is 55 MB of peak memory.
        Gazetteer::build(sources)
    }

    /// Builds from `(path, content)` pairs. `.tsv` files hold entries; `common-words.txt` and
    /// `first-names.txt` are word lists (one lower-case word per line, `#` comments).
    pub fn from_sources(sources: &[(String, String)]) -> Result<Gazetteer, ConfigError> {
        Gazetteer::build(sources.iter().map(|(p, c)| (p.as_str(), c.as_str())))
    }

    fn build<P: AsRef<str>, C: AsRef<str>>(sources: impl IntoIterator<Item = (P, C)>) -> Result<Gazetteer, ConfigError> {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        let mut common: FxHashSet<String> = FxHashSet::default();
        let mut first_names: FxHashSet<String> = FxHashSet::default();
        for (path, content) in sources {
            let (path, content) = (path.as_ref(), content.as_ref());
            if path.ends_with("common-words.txt") || path.ends_with("first-names.txt") {
                let set = if path.ends_with("common-words.txt") { &mut common } else { &mut first_names };
                for l in content.lines() {
                    let w = l.trim();
                    if !w.is_empty() && !w.starts_with('#') {
                        set.insert(w.to_lowercase());
                    }
                }
            } else if path.ends_with(".tsv") {
                load::parse_file(path, content, &mut entries, &mut problems);
            }
        }
        entries.shrink_to_fit();
        let by_id = load::check_entries(&entries, &mut problems);
        if !problems.is_empty() {
            return Err(ConfigError::new(problems));
        }
        let mut b = matcher::MatcherBuilder::new();
        let is_common = |w: &str| common.contains(w);
        for (i, e) in entries.iter().enumerate() {
            let i = i as u32;
            b.add(&e.name, i, Form::Name, &is_common);
            for a in &e.aliases {
                b.add(a, i, Form::Alias, &is_common);
            }
            for d in &e.demonyms {
                b.add(d, i, Form::Demonym, &is_common);
                if let Some(p) = plural(d) {
                    b.add(&p, i, Form::Demonym, &is_common);
                }
            }
        }
        Ok(Gazetteer { entries: Entries::Decoded(entries), by_id, matcher: b.build(), first_names, common_words: common })
    }

    /// All entries, in load order. From a compiled file this decodes every one of them.
    pub fn entries(&self) -> impl ExactSizeIterator<Item = &Entry> + '_ {
        (0..self.entries.len()).map(|i| self.entries.get(i))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Entry by index.
    pub fn entry(&self, i: u32) -> &Entry {
        self.entries.get(i as usize)
    }

    /// Entry index by canonical id.
    pub fn index_of(&self, id: &str) -> Option<u32> {
        self.by_id.binary_search_by(|&i| self.entries.id(i as usize).cmp(id.as_bytes())).ok().map(|k| self.by_id[k])
    }

    /// The compiled matcher.
    pub fn matcher(&self) -> &Matcher {
        &self.matcher
    }

    /// Is `word` (any case) a known first name?
    pub fn is_first_name(&self, word: &str) -> bool {
        self.first_names.contains(&word.to_lowercase())
    }

    /// Is `word` (any case) an ordinary English word of `common-words.txt` ("daily", "team")?
    pub fn is_common_word(&self, word: &str) -> bool {
        self.common_words.contains(&word.to_lowercase())
    }

    /// Counts per type and alias collisions, for `gazette gazetteer check`.
    pub fn report(&self) -> CheckReport {
        report_entries(&self.entries().collect::<Vec<_>>())
    }

    /// Checks gazetteer files without stopping at the first problem: every problem as
    /// `path:line: message`, plus counts per type and alias collisions of the entries that
    /// did load. `dir: None` checks the embedded files.
    pub fn check(dir: Option<&Path>) -> (Vec<Problem>, CheckReport) {
        let sources: Vec<(String, String)> = match dir {
            None => embedded_files().0.iter().map(|(n, c)| (format!("<embedded>/gazetteers/{n}"), c.to_string())).collect(),
            Some(d) => {
                let mut problems = Vec::new();
                let mut sources = Vec::new();
                match std::fs::read_dir(d) {
                    Err(e) => problems.push(Problem { path: d.display().to_string(), line: 0, message: format!("cannot read gazetteer directory: {e}") }),
                    Ok(rd) => {
                        let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "tsv")).collect();
                        paths.sort();
                        if paths.is_empty() {
                            problems.push(Problem { path: d.display().to_string(), line: 0, message: "no *.tsv gazetteer files in directory".into() });
                        }
                        for p in paths {
                            match std::fs::read(&p).map(String::from_utf8) {
                                Ok(Ok(s)) => sources.push((p.display().to_string(), s)),
                                Ok(Err(e)) => problems.push(Problem { path: p.display().to_string(), line: 0, message: format!("not UTF-8: {e}") }),
                                Err(e) => problems.push(Problem { path: p.display().to_string(), line: 0, message: format!("cannot read: {e}") }),
                            }
                        }
                    }
                }
                if !problems.is_empty() {
                    return (problems, CheckReport::default());
                }
                sources
            }
        };
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (path, content) in &sources {
            if path.ends_with(".tsv") {
                load::parse_file(path, content, &mut entries, &mut problems);
            }
        }
        load::check_entries(&entries, &mut problems);
        (problems, report_entries(&entries.iter().collect::<Vec<_>>()))
    }
}

fn report_entries(entries: &[&Entry]) -> CheckReport {
    {
        let mut counts: FxHashMap<String, usize> = FxHashMap::default();
        for e in entries {
            let key = match &e.subtype {
                Some(s) if &**s == "automaker" || &**s == "media" => format!("{}/{}", e.kind.as_str(), s),
                _ => e.kind.as_str().to_string(),
            };
            *counts.entry(key).or_default() += 1;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort();
        let mut owners: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut buf = String::new();
        for (i, e) in entries.iter().enumerate() {
            for a in std::iter::once(e.name.as_str()).chain(e.aliases.iter().map(|a| &**a)) {
                let toks = crate::segment::tokenize(a.trim_start_matches('='));
                let mut k = String::new();
                for t in toks.iter().filter(|t| matcher::is_key_token(t, a.trim_start_matches('='))) {
                    matcher::normalize_token(t.text(a.trim_start_matches('=')), &mut buf);
                    k.push_str(&buf);
                    k.push(' ');
                }
                let v = owners.entry(k).or_default();
                if !v.contains(&(i as u32)) {
                    v.push(i as u32);
                }
            }
        }
        let mut collisions = Vec::new();
        let mut keys: Vec<_> = owners.into_iter().filter(|(_, v)| v.len() > 1).collect();
        keys.sort();
        for (k, v) in keys {
            let first = &entries[v[0] as usize];
            let others: Vec<String> = v[1..].iter().map(|&i| entries[i as usize].id.clone()).collect();
            collisions.push(Problem {
                path: first.path.to_string(),
                line: first.line as usize,
                message: format!("alias `{}` of `{}` is also an alias of {}", k.trim(), first.id, others.join(", ")),
            });
        }
        CheckReport { counts, collisions }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every id is found at its entry, whether the entries are decoded or read from a compiled
    /// file (ids read from the entries' bytes); ids before the first, after the last and
    /// between two neighbours are not.
    #[test]
    fn index_of_finds_every_id_and_nothing_else() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.len() > 1000);
        let mut bytes = Vec::new();
        g.write_compiled(&mut bytes).unwrap();
        let path = std::env::temp_dir().join(format!("gazette-index-of-{}.gzc", std::process::id()));
        std::fs::write(&path, bytes).unwrap();
        let h = Gazetteer::from_path(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        for gz in [&g, &h] {
            for (i, e) in g.entries().enumerate() {
                assert_eq!(gz.index_of(&e.id), Some(i as u32), "{}", e.id);
                assert_eq!(gz.index_of(&format!("{}\u{0}", e.id)), None);
                assert_eq!(gz.index_of(&e.id[..e.id.len() - 1]).map(|k| &gz.entry(k).id[..]), g.entries().find(|x| x.id == e.id[..e.id.len() - 1]).map(|x| &x.id[..]));
            }
            assert_eq!(gz.index_of(""), None);
            assert_eq!(gz.index_of("\u{10FFFF}"), None);
        }
    }
}
