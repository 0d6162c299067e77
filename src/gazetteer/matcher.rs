//! The compiled name matcher: a trie over normalised *tokens*.
//!
//! Every alias is tokenised exactly as article text is (`segment::tokenize`), each token
//! normalised (lower case, diacritics folded, dots dropped) and interned to a `u32`. The trie
//! is stored breadth-first: the children of a node are consecutive node ids, sorted by token,
//! so a node costs three `u32`s (first child, token of its edge, terminal slot) and no hash
//! table; the root's children are found through a table indexed by token id. Matching an
//! article costs one vocabulary lookup per capitalised word (tokens absent from every name
//! are rejected at once; lower-case words, which start names only under a few lower-case
//! aliases, are checked against a small table of those and looked up in full only when a
//! name's walk reaches them), one array read where a name may start and a binary search over
//! a node's few children per further step, so throughput stays nearly flat as the gazetteer
//! grows to millions of names. The builder only collects each surface form's token ids; `build` sorts
//! the forms and lays the trie out level by level from the sorted list (no per-token hash
//! probes into a table of every edge). This is Aho-Corasick's trie over a token alphabet, run
//! leftmost-longest from each token; failure links are not needed because names are
//! whole-word and walks are a few tokens long.

use crate::segment::{tokenize_into, Token, TokenKind};
use crate::swar;
use rustc_hash::FxHashMap;
use super::compiled::{Record, SectionReader, SectionWriter};
use serde::{Deserialize, Serialize};

/// How the surface form's case must agree with the alias.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CasePolicy {
    /// Tokens capitalised in the alias must be capitalised in the text ("Apple", not "apple").
    Cased,
    /// Letters must be identical (acronyms: "US" but not "us").
    Exact,
}

/// Which kind of surface form matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// The canonical name.
    Name,
    /// An alias.
    Alias,
    /// A demonym or adjective ("Chinese").
    Demonym,
}

/// One entry a key can resolve to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Index of the entry in the gazetteer.
    pub entry: u32,
    /// Name, alias or demonym.
    pub form: Form,
    /// Case rule.
    pub policy: CasePolicy,
    /// The alias is one ordinary English word ("Apple", "Shell"): needs context evidence.
    pub common: bool,
    pattern: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
struct Pattern {
    /// Bit k set: token k of the alias starts with a capital.
    caps: u64,
    /// For `Exact`: the alias tokens without dots.
    exact: Box<[Box<str>]>,
}

/// A match in a text: token range, byte span and the entries it may denote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    /// First token index.
    pub first_token: usize,
    /// One past the last token index.
    pub last_token: usize,
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Candidate entries whose case rule the surface satisfies.
    pub targets: Vec<Target>,
}

/// A short token packed with its length: compared and hashed as two words, no pointer to
/// follow on a probe (a `Box<str>` key costs a cache miss per lookup at 1M names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShortKey(u64, u64);

impl std::hash::Hash for ShortKey {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        h.write_u64(self.0);
        h.write_u64(self.1);
    }
}

/// Up to 8 bytes as a little-endian word, read as at most two overlapping loads: copying them
/// into a zeroed stack buffer first costs a store-to-load stall on every token looked up.
fn le_bytes(b: &[u8]) -> u64 {
    let n = b.len();
    let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]) as u64;
    let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]) as u64;
    match n {
        0 => 0,
        1 => b[0] as u64,
        // Bytes [0, k) and [n - k, n) cover the n < 2k bytes; where they overlap they agree.
        2..=3 => u16_at(0) | (u16_at(n - 2) << (8 * (n - 2))),
        4..=7 => u32_at(0) | (u32_at(n - 4) << (8 * (n - 4))),
        _ => u32_at(0) | (u32_at(4) << 32),
    }
}

/// A vocabulary entry in a compiled gazetteer: the key's two words and the id.
impl Record for (ShortKey, u32) {
    const SIZE: usize = 20;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.0 .0.to_le_bytes());
        out.extend_from_slice(&self.0 .1.to_le_bytes());
        out.extend_from_slice(&self.1.to_le_bytes());
    }
    #[inline]
    fn take(b: &[u8]) -> Option<(ShortKey, u32)> {
        let (k0, b) = b.split_first_chunk::<8>()?;
        let (k1, id) = b.split_first_chunk::<8>()?;
        Some((ShortKey(u64::from_le_bytes(*k0), u64::from_le_bytes(*k1)), u32::from_le_bytes(id.try_into().ok()?)))
    }
}

/// A target in a compiled gazetteer: entry, pattern, then form, policy and `common` in one
/// byte.
impl Record for Target {
    const SIZE: usize = 9;
    fn put(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.entry.to_le_bytes());
        out.extend_from_slice(&self.pattern.to_le_bytes());
        let form = match self.form {
            Form::Name => 0,
            Form::Alias => 1,
            Form::Demonym => 2,
        };
        let policy = match self.policy {
            CasePolicy::Cased => 0,
            CasePolicy::Exact => 4,
        };
        out.push(form | policy | (self.common as u8) << 3);
    }
    #[inline]
    fn take(b: &[u8]) -> Option<Target> {
        let (entry, b) = b.split_first_chunk::<4>()?;
        let (pattern, b) = b.split_first_chunk::<4>()?;
        let flags = *b.first()?;
        let form = match flags & 3 {
            0 => Form::Name,
            1 => Form::Alias,
            2 => Form::Demonym,
            _ => return None,
        };
        if flags >> 4 != 0 {
            return None;
        }
        let policy = if flags & 4 == 0 { CasePolicy::Cased } else { CasePolicy::Exact };
        Some(Target { entry: u32::from_le_bytes(*entry), form, policy, common: flags & 8 != 0, pattern: u32::from_le_bytes(*pattern) })
    }
}

/// The name vocabulary: normalised token → id. Tokens of up to 15 bytes (nearly all) are
/// keyed inline, longer ones by their text.
#[derive(Debug, Default, Clone)]
struct Vocab {
    short: FxHashMap<ShortKey, u32>,
    long: FxHashMap<Box<str>, u32>,
    /// A one-hash Bloom filter of the short keys, about 8 bits per key (empty: not built, no
    /// filtering). Most words of running text are in no name; one bit test rejects ~7 in 8 of
    /// them before the hash probe, which costs several times more.
    sketch: Vec<u64>,
    /// For a small vocabulary only (empty otherwise): the first two bytes of every key, one bit
    /// per pair. The lower-case words that can start a name are a few dozen, and two byte
    /// reads and a bit test turn away nearly every word of running text without building its
    /// key.
    pairs: Vec<u64>,
}

/// Vocabularies up to this size get a [`Vocab::pairs`] table.
const PAIRS_UP_TO: usize = 1024;

/// The bit of the key prefix `(a, b)` (`b` is 0 for a one-byte key) in [`Vocab::pairs`].
fn pair_index(a: u8, b: u8) -> usize {
    (a as usize) << 8 | b as usize
}

impl Vocab {
    /// The bytes of `s` (at most 15) in two little-endian words, its length in the top byte.
    #[inline] // Once per token looked up; not inlined, the key went through memory.
    fn short_key(s: &str) -> Option<ShortKey> {
        let b = s.as_bytes();
        match b.len() {
            0..=7 => Some(ShortKey(le_bytes(b), (b.len() as u64) << 56)),
            8..=15 => Some(ShortKey(le_bytes(&b[..8]), le_bytes(&b[8..]) | ((b.len() as u64) << 56))),
            _ => None,
        }
    }

    fn get(&self, s: &str) -> Option<u32> {
        match Vocab::short_key(s) {
            Some(k) => self.get_short(&k),
            None => self.long.get(s).copied(),
        }
    }

    /// The id of `s`, added if new.
    fn intern(&mut self, s: &str) -> u32 {
        let next = self.len() as u32;
        match Vocab::short_key(s) {
            Some(k) => *self.short.entry(k).or_insert(next),
            None => match self.long.get(s) {
                Some(&id) => id,
                None => {
                    self.long.insert(s.into(), next);
                    next
                }
            },
        }
    }

    fn len(&self) -> usize {
        self.short.len() + self.long.len()
    }

    /// Shrinks the tables and builds the sketch: the vocabulary is complete.
    fn seal(&mut self) {
        self.short.shrink_to_fit();
        self.long.shrink_to_fit();
        let bits = (self.short.len() * 8).max(4096).next_multiple_of(64);
        self.sketch = vec![0; bits / 64];
        for k in self.short.keys() {
            let (word, bit) = self.sketch_bit(k);
            self.sketch[word] |= bit;
        }
        self.pairs = Vec::new();
        if self.len() <= PAIRS_UP_TO {
            self.pairs = vec![0; 1 << 10];
            let firsts = self.short.keys().map(|k| (k.0 as u8, (k.0 >> 8) as u8));
            let long_firsts = self.long.keys().map(|k| (k.as_bytes()[0], k.as_bytes()[1]));
            for (a, b) in firsts.chain(long_firsts) {
                let i = pair_index(a, b);
                self.pairs[i / 64] |= 1 << (i % 64);
            }
        }
    }

    /// False when `word` certainly normalises to no key, by its first two bytes: when they
    /// are ASCII and no dot, normalising only lower-cases them.
    #[inline]
    fn may_start(&self, word: &[u8]) -> bool {
        let (a, b) = match *word {
            [a] => (a, 0),
            [a, b, ..] => (a, b),
            [] => return true,
        };
        if self.pairs.is_empty() || !(a | b).is_ascii() || a == b'.' || b == b'.' {
            return true;
        }
        let i = pair_index(a.to_ascii_lowercase(), b.to_ascii_lowercase());
        self.pairs[i / 64] & (1 << (i % 64)) != 0
    }

    /// How many sections [`Vocab::write_sections`] writes.
    const SECTIONS: usize = 4;

    /// Writes the vocabulary to a compiled gazetteer: the short keys as raw records in the
    /// table's own order (a table of the same size is then filled nearly in order), the long
    /// ones, the sketch and the pairs.
    fn write_sections<W: std::io::Write>(&self, w: &mut SectionWriter<W>) -> std::io::Result<()> {
        let short: Vec<(ShortKey, u32)> = self.short.iter().map(|(k, &id)| (*k, id)).collect();
        w.put_raw(&short)?;
        let long: Vec<(&str, u32)> = self.long.iter().map(|(k, &id)| (&**k, id)).collect();
        w.put(&long)?;
        w.put_raw(&self.sketch)?;
        w.put_raw(&self.pairs)
    }

    /// Reads what [`Vocab::write_sections`] wrote, each table sized once.
    fn read_sections<R: std::io::Read>(r: &mut SectionReader<R>) -> Result<Vocab, String> {
        let short = r.get_raw_map()?;
        let long: Vec<(Box<str>, u32)> = r.get()?;
        let mut long_map = FxHashMap::with_capacity_and_hasher(long.len(), Default::default());
        for (k, id) in long {
            if Vocab::short_key(&k).is_some() || long_map.insert(k, id).is_some() {
                return Err("damaged (a long vocabulary key that is short, or twice)".into());
            }
        }
        let sketch: Vec<u64> = r.get_raw()?;
        let pairs: Vec<u64> = r.get_raw()?;
        if !pairs.is_empty() && pairs.len() != 1 << 10 {
            return Err("damaged (vocabulary pairs table)".into());
        }
        Ok(Vocab { short, long: long_map, sketch, pairs })
    }

    /// Where `k` sits in the sketch: word index and bit.
    #[inline]
    fn sketch_bit(&self, k: &ShortKey) -> (usize, u64) {
        let h = k.0.rotate_left(23) ^ k.1;
        let h = h.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // Multiply-high maps the hash onto the bit range without a modulo and never past it.
        let i = ((h as u128 * (self.sketch.len() as u128 * 64)) >> 64) as usize;
        (i / 64, 1 << (i % 64))
    }

    /// The id of short key `k`: the sketch first, the table only when the sketch lets it by.
    #[inline]
    fn get_short(&self, k: &ShortKey) -> Option<u32> {
        if self.may_hold(k) {
            self.short.get(k).copied()
        } else {
            None
        }
    }

    /// Can `k` be a key? False only when it certainly is not.
    #[inline]
    fn may_hold(&self, k: &ShortKey) -> bool {
        if self.sketch.is_empty() {
            return true;
        }
        let (word, bit) = self.sketch_bit(k);
        self.sketch[word] & bit != 0
    }

    /// The tokens whose id `keep` accepts, with the same ids.
    fn subset(&self, keep: impl Fn(u32) -> bool) -> Vocab {
        let mut v = Vocab {
            short: self.short.iter().filter(|e| keep(*e.1)).map(|(k, &id)| (*k, id)).collect(),
            long: self.long.iter().filter(|e| keep(*e.1)).map(|(k, &id)| (k.clone(), id)).collect(),
            sketch: Vec::new(),
            pairs: Vec::new(),
        };
        v.seal();
        v
    }

    /// The key of `normalize_token(word)` when that is just the word in ASCII lower case (the
    /// word is ASCII, without dots, at most 15 bytes: nearly every word of news text), built
    /// in registers instead of a string.
    fn ascii_word_key(word: &str) -> Option<ShortKey> {
        let ShortKey(lo, hi) = Vocab::short_key(word)?;
        let len = hi & (0xff << 56);
        let hi = hi & !len;
        if (lo | hi) & swar::splat(0x80) != 0 || swar::has_byte(lo, b'.') || swar::has_byte(hi, b'.') {
            return None;
        }
        Some(ShortKey(swar::to_lower(lo), swar::to_lower(hi) | len))
    }

    /// The id of a token of text (normalised first), or [`NO_ID`].
    #[inline]
    fn id_of(&self, word: &str, buf: &mut String) -> u32 {
        // The rejection inline at the caller, the lookup out of line: most lower-case words
        // stop here, without the lookup's register saves.
        if !self.may_start(word.as_bytes()) {
            return NO_ID;
        }
        self.lookup(word, buf)
    }

    #[inline(never)]
    fn lookup(&self, word: &str, buf: &mut String) -> u32 {
        let id = match Vocab::ascii_word_key(word) {
            Some(k) => self.get_short(&k),
            None => {
                normalize_token(word, buf);
                self.get(buf)
            }
        };
        id.unwrap_or(NO_ID)
    }
}

/// Token id of a token in no name.
const NO_ID: u32 = u32::MAX;
/// Token id of a lower-case word that starts no name: looked up only if a walk reaches it.
const LATER: u32 = u32::MAX - 1;

/// Builds a [`Matcher`].
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    vocab: Vocab,
    /// Token ids of every surface form, concatenated; form `f` is `seq[off[f]..off[f + 1]]`.
    seq: Vec<u32>,
    off: Vec<u32>,
    /// What form `f` resolves to, in insertion order.
    forms: Vec<Target>,
    /// Distinct case patterns (a handful of `caps` masks and the few acronyms), interned.
    patterns: Vec<Pattern>,
    pattern_ids: FxHashMap<Pattern, u32>,
    /// Scratch space reused by every `add`: three allocations per name cost a tenth of the
    /// load of a million names.
    tokens: Vec<Token>,
    buf: String,
}

/// The compiled, immutable matcher.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    vocab: Vocab,
    /// The tokens that start a name even when written in lower case ("eBay" under a Cased
    /// alias, lower-case acronyms): most words of running text are lower-case and start no
    /// name, so [`Matcher::token_ids`] looks them up in this small table only.
    lower_start: Vocab,
    /// Per token id: the root's child along that token, or `u32::MAX`.
    root: Vec<u32>,
    /// Children of node `n` are the nodes `child_start[n]..child_start[n + 1]`.
    child_start: Vec<u32>,
    /// Per node: the token id of the edge into it (ascending among siblings).
    edge_token: Vec<u32>,
    /// Per node: terminal slot, or `u32::MAX`.
    terminal: Vec<u32>,
    /// Targets of slot `s`: `targets[target_off[s]..target_off[s + 1]]` (one flat array: a
    /// `Vec` per terminal cost ~100 bytes per name).
    targets: Vec<Target>,
    target_off: Vec<u32>,
    patterns: Vec<Pattern>,
    forms: usize,
}

/// Is this token part of a name key? Words, numbers, `&` and `+`.
pub(crate) fn is_key_token(tok: &Token, text: &str) -> bool {
    match tok.kind {
        TokenKind::Word | TokenKind::Number => true,
        TokenKind::Punct => matches!(tok.text(text), "&" | "+"),
        TokenKind::Possessive => false,
    }
}

/// Can the walk step over this token between two name tokens? Hyphens, and the dot of an
/// abbreviation ("St. Louis").
fn is_skippable(tok: &Token, prev: &Token, text: &str) -> bool {
    match tok.text(text) {
        "-" | "–" | "‐" => true,
        "." => {
            let p = prev.text(text);
            prev.end == tok.start && p.len() <= 3 && p.chars().next().is_some_and(char::is_uppercase)
        }
        _ => false,
    }
}

fn fold_char(c: char, out: &mut String) {
    let base = match c {
        'à'..='å' | 'À'..='Å' | 'ā' | 'ă' | 'ą' | 'Ā' | 'Ă' | 'Ą' => 'a',
        'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' | 'ĉ' | 'ċ' => 'c',
        'è'..='ë' | 'È'..='Ë' | 'ē' | 'ė' | 'ę' | 'ě' | 'Ē' | 'Ė' | 'Ę' | 'Ě' => 'e',
        'ì'..='ï' | 'Ì'..='Ï' | 'ī' | 'į' | 'ı' | 'Ī' | 'Į' | 'İ' => 'i',
        'ñ' | 'Ñ' | 'ń' | 'ň' | 'Ń' | 'Ň' => 'n',
        'ò'..='ö' | 'ø' | 'Ò'..='Ö' | 'Ø' | 'ō' | 'ő' | 'Ō' | 'Ő' => 'o',
        'ù'..='ü' | 'Ù'..='Ü' | 'ū' | 'ů' | 'ű' | 'Ū' | 'Ů' | 'Ű' => 'u',
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => 'y',
        'ś' | 'š' | 'ş' | 'Ś' | 'Š' | 'Ş' | 'ș' | 'Ș' => 's',
        'ź' | 'ż' | 'ž' | 'Ź' | 'Ż' | 'Ž' => 'z',
        'ď' | 'đ' | 'Ď' | 'Đ' => 'd',
        'ğ' | 'Ğ' => 'g',
        'ł' | 'Ł' | 'ľ' | 'Ľ' => 'l',
        'ř' | 'Ř' => 'r',
        'ť' | 'Ť' | 'ţ' | 'ț' => 't',
        'ß' => {
            out.push_str("ss");
            return;
        }
        'æ' | 'Æ' => {
            out.push_str("ae");
            return;
        }
        'œ' | 'Œ' => {
            out.push_str("oe");
            return;
        }
        '’' | '‘' => '\'',
        _ => {
            for l in c.to_lowercase() {
                out.push(l);
            }
            return;
        }
    };
    out.push(base);
}

/// Normalises one token for lookup: lower case, diacritics folded, dots removed.
pub fn normalize_token(tok: &str, out: &mut String) {
    out.clear();
    if tok.is_ascii() && !tok.contains('.') {
        // One copy and an in-place lower-casing, not a capacity check per byte.
        out.push_str(tok);
        out.make_ascii_lowercase();
    } else if tok.is_ascii() {
        for b in tok.bytes() {
            if b != b'.' {
                out.push(b.to_ascii_lowercase() as char);
            }
        }
    } else {
        for c in tok.chars() {
            if c != '.' {
                fold_char(c, out);
            }
        }
    }
}

fn strip_dots(s: &str) -> Box<str> {
    s.chars().filter(|&c| c != '.').collect::<String>().into_boxed_str()
}

/// Is the alias an acronym (capitals and digits only, at most 5 letters)?
pub fn is_acronym(alias: &str) -> bool {
    // One pass, no allocation: it runs on every word of every article.
    let mut letters = 0;
    for c in alias.chars() {
        if c.is_alphabetic() {
            letters += 1;
            if letters > 5 || !c.is_uppercase() {
                return false;
            }
        } else if !(c.is_alphanumeric() || matches!(c, '.' | '&' | '-' | ' ')) {
            return false;
        }
    }
    letters > 0
}

/// Can `t` match with its first token written in lower case? Under `Cased`, when that alias
/// token is not capitalised; under `Exact`, when it does not start with a capital.
fn may_start_lower_case(t: &Target, patterns: &[Pattern]) -> bool {
    let p = &patterns[t.pattern as usize];
    match t.policy {
        CasePolicy::Cased => p.caps & 1 == 0,
        CasePolicy::Exact => !p.exact.first().and_then(|e| e.chars().next()).is_some_and(char::is_uppercase),
    }
}

impl MatcherBuilder {
    /// A new, empty builder.
    pub fn new() -> MatcherBuilder {
        MatcherBuilder { off: vec![0], ..MatcherBuilder::default() }
    }

    /// Adds a surface form for `entry`. `is_common` decides whether a one-word alias is an
    /// ordinary English word. Returns false if the alias has no name tokens.
    pub fn add(&mut self, alias: &str, entry: u32, form: Form, is_common: &dyn Fn(&str) -> bool) -> bool {
        let (exact_flag, alias) = match alias.strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, alias),
        };
        let mut key_toks = std::mem::take(&mut self.tokens);
        tokenize_into(alias, &mut key_toks);
        key_toks.retain(|t| is_key_token(t, alias));
        if key_toks.len() > 1 && key_toks[0].text(alias).eq_ignore_ascii_case("the") {
            key_toks.remove(0);
        }
        let added = !key_toks.is_empty() && key_toks.len() <= 64;
        if added {
            self.add_key(alias, &key_toks, exact_flag, entry, form, is_common);
        }
        self.tokens = key_toks;
        added
    }

    /// Adds a surface form given its name tokens (1 to 64).
    fn add_key(&mut self, alias: &str, key_toks: &[Token], exact_flag: bool, entry: u32, form: Form, is_common: &dyn Fn(&str) -> bool) {
        let policy = if exact_flag || is_acronym(alias) { CasePolicy::Exact } else { CasePolicy::Cased };
        let mut caps = 0u64;
        for (k, t) in key_toks.iter().enumerate() {
            if t.text(alias).chars().next().is_some_and(char::is_uppercase) {
                caps |= 1 << k;
            }
        }
        for t in key_toks {
            normalize_token(t.text(alias), &mut self.buf);
            let tid = self.vocab.intern(&self.buf);
            self.seq.push(tid);
        }
        self.off.push(self.seq.len() as u32);
        let common = key_toks.len() == 1 && policy == CasePolicy::Cased && {
            normalize_token(key_toks[0].text(alias), &mut self.buf);
            is_common(&self.buf)
        };
        let p = Pattern {
            caps,
            exact: if policy == CasePolicy::Exact { key_toks.iter().map(|t| strip_dots(t.text(alias))).collect() } else { Box::new([]) },
        };
        let pattern = match self.pattern_ids.get(&p) {
            Some(&id) => id,
            None => {
                let id = self.patterns.len() as u32;
                self.patterns.push(p.clone());
                self.pattern_ids.insert(p, id);
                id
            }
        };
        self.forms.push(Target { entry, form, policy, common, pattern });
    }

    /// Finishes building.
    pub fn build(self) -> Matcher {
        let MatcherBuilder { vocab, seq, off, forms, patterns, .. } = self;
        let n = forms.len();
        let form = |f: u32| &seq[off[f as usize] as usize..off[f as usize + 1] as usize];
        // Forms in lexicographic order of their token ids (a prefix first), equal forms in
        // insertion order. The first two tokens, packed, decide most comparisons.
        let mut keyed: Vec<(u64, u32)> = (0..n as u32)
            .map(|f| {
                let s = form(f);
                (((s[0] as u64) << 32) | s.get(1).map_or(0, |&t| t as u64 + 1), f)
            })
            .collect();
        keyed.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| form(a.1).cmp(form(b.1))).then(a.1.cmp(&b.1)));
        let order: Vec<u32> = keyed.iter().map(|k| k.1).collect();
        drop(keyed);
        // The forms copied out in that order: every pass below then reads memory in sequence.
        let mut sorted_seq: Vec<u32> = Vec::with_capacity(seq.len());
        let mut sorted_off: Vec<u32> = Vec::with_capacity(n + 1);
        sorted_off.push(0);
        for &f in &order {
            sorted_seq.extend_from_slice(form(f));
            sorted_off.push(sorted_seq.len() as u32);
        }
        drop(seq);
        drop(off);
        let sform = |p: usize| &sorted_seq[sorted_off[p] as usize..sorted_off[p + 1] as usize];
        // lcp[p]: tokens shared with the previous form in that order (at most 64).
        let lcp: Vec<u8> = (0..n)
            .map(|p| if p == 0 { 0 } else { sform(p - 1).iter().zip(sform(p)).take_while(|(a, b)| a == b).count() as u8 })
            .collect();
        // Level by level: the form at sorted position p opens a new node at depth d unless
        // it shares d tokens with its predecessor. New nodes come out grouped by parent and
        // sorted by token, so every node's children are consecutive ids.
        let mut cur: Vec<u32> = vec![0; n];
        let mut child_count: Vec<u32> = vec![0];
        let mut edge_token: Vec<u32> = vec![u32::MAX];
        let mut active: Vec<u32> = (0..n as u32).collect();
        let mut d = 1;
        while !active.is_empty() {
            for &p in &active {
                let p = p as usize;
                if lcp[p] as usize >= d {
                    cur[p] = cur[p - 1];
                } else {
                    child_count[cur[p] as usize] += 1;
                    cur[p] = edge_token.len() as u32;
                    edge_token.push(sform(p)[d - 1]);
                    child_count.push(0);
                }
            }
            active.retain(|&p| sform(p as usize).len() > d);
            d += 1;
        }
        drop(active);
        let nodes = edge_token.len();
        let mut child_start: Vec<u32> = Vec::with_capacity(nodes + 1);
        let mut next = 1u32;
        for &c in &child_count {
            child_start.push(next);
            next += c;
        }
        child_start.push(next);
        drop(child_count);
        let mut root = vec![u32::MAX; vocab.len()];
        for node in child_start[0]..child_start[1] {
            root[edge_token[node as usize] as usize] = node;
        }
        // Slots in sorted order; keep one target per (entry, form, policy): the first pattern.
        let mut terminal = vec![u32::MAX; nodes];
        let mut targets: Vec<Target> = Vec::with_capacity(n);
        let mut target_off: Vec<u32> = Vec::new();
        let mut starts_lower = vec![false; vocab.len()];
        for p in 0..n {
            let len = sform(p).len();
            if p == 0 || lcp[p] as usize != len || sform(p - 1).len() != len {
                terminal[cur[p] as usize] = target_off.len() as u32;
                target_off.push(targets.len() as u32);
            }
            let t = forms[order[p] as usize];
            let start = *target_off.last().unwrap_or(&0) as usize;
            if !targets[start..].iter().any(|x| x.entry == t.entry && x.policy == t.policy && x.form == t.form) {
                targets.push(t);
                if may_start_lower_case(&t, &patterns) {
                    starts_lower[sform(p)[0] as usize] = true;
                }
            }
        }
        target_off.push(targets.len() as u32);
        targets.shrink_to_fit();
        let mut vocab = vocab;
        vocab.seal();
        let lower_start = vocab.subset(|id| starts_lower[id as usize]);
        Matcher { vocab, lower_start, root, child_start, edge_token, terminal, targets, target_off, patterns, forms: n }
    }
}

impl Matcher {
    /// Checks that every index of a matcher read from a compiled file is in bounds, so that
    /// matching can never index out of range: a file with a valid checksum but inconsistent
    /// tables is refused at load time with the first inconsistency found.
    pub(crate) fn check_structure(&self, entries: usize) -> Result<(), String> {
        let words = self.vocab.len();
        let nodes = self.edge_token.len();
        let ids_ok = |v: &Vocab| v.short.values().chain(v.long.values()).all(|&id| (id as usize) < words);
        let slots = self.target_off.len().saturating_sub(1);
        let fail = |what: &str| Err(format!("inconsistent matcher tables: {what}"));
        if words >= LATER as usize || !ids_ok(&self.vocab) || !ids_ok(&self.lower_start) {
            return fail("token id out of range");
        }
        if self.root.len() != words || self.root.iter().any(|&n| n != u32::MAX && n as usize >= nodes) {
            return fail("root table");
        }
        if self.child_start.len() != nodes + 1
            || self.child_start.windows(2).any(|w| w[0] > w[1])
            || self.child_start.last().is_some_and(|&c| c as usize > nodes)
        {
            return fail("child table");
        }
        if self.terminal.len() != nodes || self.terminal.iter().any(|&t| t != u32::MAX && t as usize >= slots) {
            return fail("terminal slots");
        }
        if self.target_off.is_empty()
            || self.target_off.windows(2).any(|w| w[0] > w[1])
            || self.target_off.last().is_some_and(|&o| o as usize != self.targets.len())
        {
            return fail("target offsets");
        }
        if self.targets.iter().any(|t| t.entry as usize >= entries || t.pattern as usize >= self.patterns.len()) {
            return fail("target entry or pattern out of range");
        }
        Ok(())
    }

    /// How many sections [`Matcher::write_sections`] writes.
    pub(super) const SECTIONS: usize = 2 * Vocab::SECTIONS + 8;

    /// Writes the tables to a compiled gazetteer, one section each (the index tables as raw
    /// little-endian `u32`s): the reader then never holds more than one table's bytes besides
    /// what it has decoded.
    pub(super) fn write_sections<W: std::io::Write>(&self, w: &mut SectionWriter<W>) -> std::io::Result<()> {
        self.vocab.write_sections(w)?;
        self.lower_start.write_sections(w)?;
        w.put_raw(&self.root)?;
        w.put_raw(&self.child_start)?;
        w.put_raw(&self.edge_token)?;
        w.put_raw(&self.terminal)?;
        w.put_raw(&self.targets)?;
        w.put_raw(&self.target_off)?;
        w.put(&self.patterns)?;
        w.put(&(self.forms as u64))
    }

    /// Reads what [`Matcher::write_sections`] wrote; indices are checked by the caller with
    /// [`Matcher::check_structure`].
    pub(super) fn read_sections<R: std::io::Read>(r: &mut SectionReader<R>) -> Result<Matcher, String> {
        Ok(Matcher {
            vocab: Vocab::read_sections(r)?,
            lower_start: Vocab::read_sections(r)?,
            root: r.get_raw()?,
            child_start: r.get_raw()?,
            edge_token: r.get_raw()?,
            terminal: r.get_raw()?,
            targets: r.get_raw()?,
            target_off: r.get_raw()?,
            patterns: r.get()?,
            forms: r.get::<u64>()? as usize,
        })
    }

    /// Number of distinct normalised tokens.
    pub fn vocabulary_size(&self) -> usize {
        self.vocab.len()
    }

    /// Number of surface forms compiled.
    pub fn pattern_count(&self) -> usize {
        self.forms
    }

    /// The child of `node` along token `tid`.
    fn step(&self, node: u32, tid: u32) -> Option<u32> {
        if node == 0 {
            return self.root.get(tid as usize).copied().filter(|&c| c != u32::MAX);
        }
        let (a, b) = (self.child_start[node as usize], self.child_start[node as usize + 1]);
        self.edge_token[a as usize..b as usize].binary_search(&tid).ok().map(|k| a + k as u32)
    }

    /// The id of every token of `text` in the name vocabulary, for [`Matcher::find`]. A token in
    /// no name gets `u32::MAX`; a lower-case word that starts no name gets `u32::MAX - 1` and is
    /// looked up only if a name reaches it.
    pub fn token_ids(&self, text: &str, tokens: &[Token]) -> Vec<u32> {
        let mut buf = String::new();
        tokens
            .iter()
            .map(|t| {
                if !is_key_token(t, text) {
                    return NO_ID;
                }
                let w = t.text(text);
                if w.as_bytes().first().is_some_and(u8::is_ascii_lowercase) {
                    return match self.lower_start.id_of(w, &mut buf) {
                        NO_ID => LATER,
                        id => id,
                    };
                }
                self.vocab.id_of(w, &mut buf)
            })
            .collect()
    }

    fn case_ok(&self, target: &Target, surface: &[usize], tokens: &[Token], text: &str) -> bool {
        let p = &self.patterns[target.pattern as usize];
        match target.policy {
            CasePolicy::Cased => surface.iter().enumerate().all(|(k, &ti)| {
                p.caps & (1 << k) == 0 || tokens[ti].text(text).chars().next().is_some_and(|c| c.is_uppercase())
            }),
            CasePolicy::Exact => {
                surface.len() == p.exact.len()
                    && surface.iter().zip(p.exact.iter()).all(|(&ti, e)| {
                        let s = tokens[ti].text(text);
                        if s.contains('.') {
                            *strip_dots(s) == **e
                        } else {
                            s == &**e
                        }
                    })
            }
        }
    }

    /// Finds names in `tokens[range]` (one sentence, say), leftmost-longest, whole tokens.
    /// `ids` comes from [`Matcher::token_ids`] for the same tokens.
    pub fn find(&self, text: &str, tokens: &[Token], ids: &[u32], range: std::ops::Range<usize>, out: &mut Vec<Match>) {
        let mut i = range.start;
        let mut surface: Vec<usize> = Vec::with_capacity(8);
        let mut buf = String::new();
        while i < range.end {
            if ids[i] == NO_ID || ids[i] == LATER {
                i += 1;
                continue;
            }
            let mut node = 0u32;
            let mut j = i;
            let mut tid = ids[i];
            let mut best: Option<(usize, Vec<Target>)> = None;
            surface.clear();
            while let Some(next) = self.step(node, tid) {
                node = next;
                surface.push(j);
                let slot = self.terminal[node as usize];
                if slot != u32::MAX {
                    let (a, b) = (self.target_off[slot as usize] as usize, self.target_off[slot as usize + 1] as usize);
                    let ok: Vec<Target> = self.targets[a..b]
                        .iter()
                        .filter(|t| self.case_ok(t, &surface, tokens, text))
                        .copied()
                        .collect();
                    if !ok.is_empty() {
                        best = Some((j + 1, ok));
                    }
                }
                // Step to the next name token, over hyphens and abbreviation dots, within
                // the line.
                let mut k = j + 1;
                while k < range.end && is_skippable(&tokens[k], &tokens[k - 1], text) {
                    k += 1;
                }
                if k >= range.end || ids[k] == NO_ID {
                    break;
                }
                let gap = &text[tokens[k - 1].end..tokens[k].start];
                if gap.contains('\n') || gap.len() > 3 {
                    break;
                }
                tid = if ids[k] == LATER { self.vocab.id_of(tokens[k].text(text), &mut buf) } else { ids[k] };
                j = k;
            }
            if let Some((end, targets)) = best {
                out.push(Match { first_token: i, last_token: end, start: tokens[i].start, end: tokens[end - 1].end, targets });
                i = end;
            } else {
                i += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tokenize;

    fn matcher(names: &[(&str, u32)]) -> Matcher {
        let mut b = MatcherBuilder::new();
        let common = |w: &str| matches!(w, "apple" | "shell");
        for (n, e) in names {
            b.add(n, *e, Form::Alias, &common);
        }
        b.build()
    }

    fn find(m: &Matcher, text: &str) -> Vec<(String, Vec<u32>)> {
        let toks = tokenize(text);
        let ids = m.token_ids(text, &toks);
        let mut out = Vec::new();
        m.find(text, &toks, &ids, 0..toks.len(), &mut out);
        out.into_iter().map(|mm| (text[mm.start..mm.end].to_string(), mm.targets.iter().map(|t| t.entry).collect())).collect()
    }

    #[test]
    fn leftmost_longest_whole_words() {
        let m = matcher(&[("Samsung", 1), ("Samsung Electronics", 2), ("Electronics Arts", 3), ("Sam", 4)]);
        assert_eq!(find(&m, "Samsung Electronics Arts and Samsungs"), vec![("Samsung Electronics".to_string(), vec![2])]);
    }

    #[test]
    fn hyphen_space_diacritic_and_possessive_variants() {
        let m = matcher(&[("Mercedes-Benz", 1), ("Citroën", 2), ("Huawei", 3)]);
        assert_eq!(find(&m, "Mercedes Benz, Citroen and Huawei's deal").len(), 3);
        assert_eq!(find(&m, "MERCEDES-BENZ")[0].1, vec![1]);
    }

    #[test]
    fn acronyms_are_case_sensitive_and_names_need_capitals() {
        let m = matcher(&[("US", 1), ("U.S.", 1), ("Apple", 2)]);
        assert_eq!(find(&m, "let us eat an apple").len(), 0);
        assert_eq!(find(&m, "the U.S. and the US and Apple").len(), 3);
        let m2 = matcher(&[("Apple", 2)]);
        let toks = tokenize("Apple");
        let ids = m2.token_ids("Apple", &toks);
        let mut out = Vec::new();
        m2.find("Apple", &toks, &ids, 0..1, &mut out);
        assert!(out[0].targets[0].common);
    }

    #[test]
    fn equal_forms_keep_insertion_order_and_one_target_per_entry() {
        let m = matcher(&[("Bank", 5), ("Bank of China", 2), ("Bank", 3), ("bank", 5), ("Bank", 1), ("China", 4)]);
        assert_eq!(
            find(&m, "Bank of China and Bank, China Bank"),
            vec![
                ("Bank of China".to_string(), vec![2]),
                ("Bank".to_string(), vec![5, 3, 1]),
                ("China".to_string(), vec![4]),
                ("Bank".to_string(), vec![5, 3, 1])
            ]
        );
        assert_eq!(m.pattern_count(), 6);
        assert!(find(&MatcherBuilder::new().build(), "Bank").is_empty());
    }

    #[test]
    fn long_tokens_and_tokens_sharing_a_prefix_are_distinct() {
        let m = matcher(&[("Internationalisierung AG", 1), ("Internationalisierungs AG", 2), ("Ab", 3)]);
        assert_eq!(find(&m, "Internationalisierungs AG and Internationalisierung AG"), vec![
            ("Internationalisierungs AG".to_string(), vec![2]),
            ("Internationalisierung AG".to_string(), vec![1])
        ]);
        assert!(find(&m, "Abc, A and Internationalisierun AG").is_empty());
        assert_eq!(m.vocabulary_size(), 4);
    }

    #[test]
    fn lower_case_words_start_only_lower_case_aliases_and_continue_any() {
        let m = matcher(&[("eBay", 1), ("Bank of China", 2), ("Apple", 3), ("=iOS", 4), ("de Beers", 5)]);
        assert_eq!(
            find(&m, "ebay, bank of China, apple, iOS, ios, de Beers and Bank of China"),
            vec![
                ("ebay".to_string(), vec![1]),
                ("iOS".to_string(), vec![4]),
                ("de Beers".to_string(), vec![5]),
                ("Bank of China".to_string(), vec![2])
            ]
        );
    }

    #[test]
    fn short_keys_pack_every_length() {
        for n in 0..=15 {
            let s = &"abcdefghijklmnop"[..n];
            let mut k = [0u8; 16];
            k[..n].copy_from_slice(s.as_bytes());
            k[15] = n as u8;
            let want = ShortKey(u64::from_le_bytes(k[..8].try_into().unwrap()), u64::from_le_bytes(k[8..].try_into().unwrap()));
            assert_eq!(Vocab::short_key(s), Some(want), "{s}");
        }
        assert_eq!(Vocab::short_key("abcdefghijklmnop"), None);
    }

    #[test]
    fn ascii_word_keys_are_keys_of_the_normal_form() {
        let mut buf = String::new();
        for w in ["a", "US", "Huawei", "McDonald", "O'Neill", "3M", "AT&T", "Internationalis", "ABCDEFGHIJKLMNO", "x@[`{Z"] {
            normalize_token(w, &mut buf);
            assert_eq!(Vocab::ascii_word_key(w), Vocab::short_key(&buf), "{w}");
        }
        for w in ["U.S.", "Citroën", "Internationalisierung", "é"] {
            assert_eq!(Vocab::ascii_word_key(w), None, "{w}");
        }
    }

    #[test]
    fn target_records_round_trip_and_refuse_invalid_flags() {
        for (form, policy, common) in [(Form::Name, CasePolicy::Cased, false), (Form::Alias, CasePolicy::Exact, true), (Form::Demonym, CasePolicy::Cased, true)] {
            let t = Target { entry: 123_456, form, policy, common, pattern: 7 };
            let mut b = Vec::new();
            t.put(&mut b);
            assert_eq!(b.len(), Target::SIZE);
            assert_eq!(Target::take(&b), Some(t));
            for bad in [3u8, 0x10, 0x80] {
                b[8] = bad;
                assert_eq!(Target::take(&b), None, "{bad:#x}");
            }
        }
        let k = (Vocab::short_key("huawei").unwrap(), 9u32);
        let mut b = Vec::new();
        k.put(&mut b);
        assert_eq!(<(ShortKey, u32)>::take(&b), Some(k));
    }

    #[test]
    fn names_do_not_cross_lines() {
        let m = matcher(&[("New York", 1)]);
        assert!(find(&m, "New\nYork").is_empty());
    }
}
