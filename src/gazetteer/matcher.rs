//! The compiled name matcher: a trie over normalised *tokens*.
//!
//! Every alias is tokenised exactly as article text is (`segment::tokenize`), each token
//! normalised (lower case, diacritics folded, dots dropped) and interned to a `u32`. The trie
//! maps `(node, token id) → node` in one hash table. Matching an article costs one hash
//! lookup per token (tokens absent from every name are rejected at once) plus a short walk
//! where a name may start, so throughput stays nearly flat as the gazetteer grows to millions
//! of names and building it is linear in the size of the gazetteer. This is Aho-Corasick's
//! trie over a token alphabet, run leftmost-longest from each token; failure links are not
//! needed because names are whole-word and walks are a few tokens long.

use crate::segment::{tokenize, Token, TokenKind};
use rustc_hash::FxHashMap;

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

#[derive(Debug, Clone)]
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

/// Builds a [`Matcher`].
#[derive(Debug, Default)]
pub struct MatcherBuilder {
    m: Matcher,
    /// `(terminal slot, target)` in insertion order; grouped by slot in `build`.
    pending: Vec<(u32, Target)>,
    slots: u32,
}

/// The compiled, immutable matcher.
#[derive(Debug, Default, Clone)]
pub struct Matcher {
    vocab: FxHashMap<Box<str>, u32>,
    edges: FxHashMap<u64, u32>,
    /// Per node: terminal slot, or `u32::MAX`.
    terminal: Vec<u32>,
    /// Targets of slot `s`: `targets[target_off[s]..target_off[s + 1]]` (one flat array: a
    /// `Vec` per terminal cost ~100 bytes per name).
    targets: Vec<Target>,
    target_off: Vec<u32>,
    patterns: Vec<Pattern>,
    nodes: u32,
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
    if tok.is_ascii() {
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

fn key(a: u32, tok: u32) -> u64 {
    ((a as u64) << 32) | tok as u64
}

impl MatcherBuilder {
    /// A new, empty builder.
    pub fn new() -> MatcherBuilder {
        let mut m = Matcher::default();
        m.nodes = 1;
        m.terminal.push(u32::MAX);
        MatcherBuilder { m, pending: Vec::new(), slots: 0 }
    }

    /// Adds a surface form for `entry`. `is_common` decides whether a one-word alias is an
    /// ordinary English word. Returns false if the alias has no name tokens.
    pub fn add(&mut self, alias: &str, entry: u32, form: Form, is_common: &dyn Fn(&str) -> bool) -> bool {
        let (exact_flag, alias) = match alias.strip_prefix('=') {
            Some(rest) => (true, rest),
            None => (false, alias),
        };
        let toks = tokenize(alias);
        let mut key_toks: Vec<&str> = toks.iter().filter(|t| is_key_token(t, alias)).map(|t| t.text(alias)).collect();
        if key_toks.len() > 1 && key_toks[0].eq_ignore_ascii_case("the") {
            key_toks.remove(0);
        }
        if key_toks.is_empty() || key_toks.len() > 64 {
            return false;
        }
        let policy = if exact_flag || is_acronym(alias) { CasePolicy::Exact } else { CasePolicy::Cased };
        let mut caps = 0u64;
        for (k, t) in key_toks.iter().enumerate() {
            if t.chars().next().is_some_and(char::is_uppercase) {
                caps |= 1 << k;
            }
        }
        let mut buf = String::new();
        let mut node = 0u32;
        for t in &key_toks {
            normalize_token(t, &mut buf);
            let next_id = self.m.vocab.len() as u32;
            let tid = *self.m.vocab.entry(buf.as_str().into()).or_insert(next_id);
            let nodes = &mut self.m.nodes;
            let terminal = &mut self.m.terminal;
            node = *self.m.edges.entry(key(node, tid)).or_insert_with(|| {
                let n = *nodes;
                *nodes += 1;
                terminal.push(u32::MAX);
                n
            });
        }
        let common = key_toks.len() == 1 && policy == CasePolicy::Cased && {
            normalize_token(key_toks[0], &mut buf);
            is_common(&buf)
        };
        let pattern = self.m.patterns.len() as u32;
        self.m.patterns.push(Pattern {
            caps,
            exact: if policy == CasePolicy::Exact { key_toks.iter().map(|t| strip_dots(t)).collect() } else { Box::new([]) },
        });
        let slot = &mut self.m.terminal[node as usize];
        if *slot == u32::MAX {
            *slot = self.slots;
            self.slots += 1;
        }
        self.pending.push((*slot, Target { entry, form, policy, common, pattern }));
        true
    }

    /// Finishes building.
    pub fn build(mut self) -> Matcher {
        // Group by slot, keeping insertion order within a slot (stable sort), and keep one
        // target per (entry, form, policy): the first pattern.
        self.pending.sort_by_key(|&(slot, _)| slot);
        let mut targets: Vec<Target> = Vec::with_capacity(self.pending.len());
        let mut off: Vec<u32> = Vec::with_capacity(self.slots as usize + 1);
        let mut k = 0;
        for slot in 0..self.slots {
            let start = targets.len();
            off.push(start as u32);
            while k < self.pending.len() && self.pending[k].0 == slot {
                let t = self.pending[k].1;
                if !targets[start..].iter().any(|x| x.entry == t.entry && x.policy == t.policy && x.form == t.form) {
                    targets.push(t);
                }
                k += 1;
            }
        }
        off.push(targets.len() as u32);
        drop(std::mem::take(&mut self.pending));
        targets.shrink_to_fit();
        self.m.targets = targets;
        self.m.target_off = off;
        self.m.vocab.shrink_to_fit();
        self.m.edges.shrink_to_fit();
        self.m
    }
}

impl Matcher {
    /// Number of distinct normalised tokens.
    pub fn vocabulary_size(&self) -> usize {
        self.vocab.len()
    }

    /// Number of surface forms compiled.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// The id of every token of `text` in the name vocabulary (`u32::MAX`: not in any name).
    pub fn token_ids(&self, text: &str, tokens: &[Token]) -> Vec<u32> {
        let mut buf = String::new();
        tokens
            .iter()
            .map(|t| {
                if !is_key_token(t, text) {
                    return u32::MAX;
                }
                let w = t.text(text);
                // Lower-case ASCII without dots is its own normal form: look it up as is.
                if w.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase() && b != b'.') {
                    return self.vocab.get(w).copied().unwrap_or(u32::MAX);
                }
                normalize_token(w, &mut buf);
                self.vocab.get(buf.as_str()).copied().unwrap_or(u32::MAX)
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
                            &*strip_dots(s) == &**e
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
        while i < range.end {
            if ids[i] == u32::MAX {
                i += 1;
                continue;
            }
            let mut node = 0u32;
            let mut j = i;
            let mut best: Option<(usize, Vec<Target>)> = None;
            surface.clear();
            loop {
                let Some(&next) = self.edges.get(&key(node, ids[j])) else { break };
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
                if k >= range.end || ids[k] == u32::MAX {
                    break;
                }
                let gap = &text[tokens[k - 1].end..tokens[k].start];
                if gap.contains('\n') || gap.len() > 3 {
                    break;
                }
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
    fn names_do_not_cross_lines() {
        let m = matcher(&[("New York", 1)]);
        assert!(find(&m, "New\nYork").is_empty());
    }
}
