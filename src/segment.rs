//! Segmentation: tokens and sentences with byte offsets into the original text.
//!
//! Tokens are words (letters and digits, with dotted abbreviations such as `U.S.` kept
//! whole), numbers (`1,010`, `4.5bn`), possessive markers (`'s`) and single punctuation
//! characters. ASCII text takes a hand-written byte loop; other text goes through the
//! Unicode word boundaries of `unicode-segmentation` (UAX #29) and the same post-processing,
//! so both paths give the same tokens on ASCII input.
//!
//! Sentences end at `.`, `!`, `?` (with closing quotes) before a capitalised word, except
//! after abbreviations ("Mr.", "Inc.", "Dec.", "No.", initials), and at paragraph breaks. A
//! leading dateline ("JAKARTA -", "SHENZHEN (Reuters) -") is recognised and kept out of the
//! first sentence.

use crate::swar;
use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (and digits after a letter), e.g. `Huawei`, `U.S.`, `G20`.
    Word,
    /// Starts with a digit: `2017`, `1,010`, `4.5bn`.
    Number,
    /// The possessive `'s` / `’s` split off a word.
    Possessive,
    /// Any other non-space character.
    Punct,
}

/// A token: byte span into the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Token class.
    pub kind: TokenKind,
}

impl Token {
    /// The token's text.
    pub fn text<'a>(&self, text: &'a str) -> &'a str {
        &text[self.start..self.end]
    }
}

/// A sentence: byte span and the range of its tokens in [`Segmentation::tokens`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// Byte offset of the sentence's first token.
    pub start: usize,
    /// Byte offset one past its last token.
    pub end: usize,
    /// Index of the first token.
    pub first_token: usize,
    /// Index one past the last token.
    pub last_token: usize,
}

/// A dateline at the head of an article ("JAKARTA -", "SHENZHEN (Reuters) -").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dateline {
    /// Byte span of the whole dateline including the dash.
    pub start: usize,
    /// End of the dateline (after the dash and spaces).
    pub end: usize,
    /// Byte span of the place name(s).
    pub place: (usize, usize),
    /// Byte span of the agency in parentheses, if any.
    pub agency: Option<(usize, usize)>,
}

/// The segmented text.
#[derive(Debug, Clone, Default)]
pub struct Segmentation {
    /// All tokens in text order.
    pub tokens: Vec<Token>,
    /// Sentences in text order; the dateline, if any, is not part of any sentence.
    pub sentences: Vec<Sentence>,
    /// The dateline, if the text starts with one.
    pub dateline: Option<Dateline>,
}

/// Splits `text` into tokens and sentences.
pub fn segment(text: &str) -> Segmentation {
    let tokens = tokenize(text);
    let dateline = find_dateline_anywhere_at_head(text);
    let sentences = match &dateline {
        None => split_sentences(text, &tokens, 0, tokens.len()),
        Some(d) => {
            let a = tokens.partition_point(|t| t.start < d.start);
            let b = tokens.partition_point(|t| t.start < d.end);
            let mut s = split_sentences(text, &tokens, 0, a);
            s.extend(split_sentences(text, &tokens, b, tokens.len()));
            s
        }
    };
    Segmentation { tokens, sentences, dateline }
}

/// A dateline at the very start, or at the start of the second line when the first line is a
/// headline (no sentence-final punctuation).
fn find_dateline_anywhere_at_head(text: &str) -> Option<Dateline> {
    if let Some(d) = find_dateline(text) {
        return Some(d);
    }
    let nl = text.find('\n')?;
    let first = text[..nl].trim_end();
    if first.is_empty() || first.len() > 200 || first.ends_with(['.', '!', '?', '"', '”', ':']) {
        return None;
    }
    let rest_start = nl + 1 + (text[nl + 1..].len() - text[nl + 1..].trim_start().len());
    let d = find_dateline(&text[rest_start..])?;
    Some(Dateline {
        start: d.start + rest_start,
        end: d.end + rest_start,
        place: (d.place.0 + rest_start, d.place.1 + rest_start),
        agency: d.agency.map(|(a, b)| (a + rest_start, b + rest_start)),
    })
}

/// Tokenizes `text` (see the module docs).
pub fn tokenize(text: &str) -> Vec<Token> {
    // News text averages a token per 5.4 bytes, so a fifth of its length fell short for about
    // half of the articles, and each grew its vector once (a copy of every token); a quarter
    // seldom does.
    let mut out = Vec::with_capacity(text.len() / 4 + 8);
    tokenize_into(text, &mut out);
    out
}

/// Tokenizes `text` into `out`, cleared first: for callers tokenizing many short texts.
pub fn tokenize_into(text: &str, out: &mut Vec<Token>) {
    out.clear();
    if text.is_ascii() {
        tokenize_ascii(text.as_bytes(), 0, out);
    } else {
        tokenize_mixed(text, out);
    }
}

/// Text with some non-ASCII characters: runs between ASCII whitespace go through the byte
/// loop when they are ASCII and through UAX #29 otherwise. ASCII whitespace is a word boundary
/// on both sides in UAX #29 (and a break in the byte loop), so the pieces are the ones UAX #29
/// gives on the whole text; a non-ASCII run is segmented together with the whitespace before
/// it, which is where UAX #29 attaches a leading combining mark. The ASCII runs between two
/// non-ASCII ones go through the byte loop in one call: most such text has a few `£` or curly
/// quotes, and a call per word costs a third of the tokenizer's time.
fn tokenize_mixed(text: &str, out: &mut Vec<Token>) {
    let b = text.as_bytes();
    let n = b.len();
    // Start of the text not yet tokenized: the end of a run or the start of the text.
    let mut i = 0;
    let mut any_unicode = false;
    while let Some(p) = b[i..].iter().position(|c| !c.is_ascii()).map(|p| i + p) {
        // The run holding byte p, and the whitespace before it.
        let start = b[i..p].iter().rposition(u8::is_ascii_whitespace).map_or(i, |k| i + k + 1);
        let ws_start = b[i..start].iter().rposition(|c| !c.is_ascii_whitespace()).map_or(i, |k| i + k + 1);
        let end = b[p..].iter().position(u8::is_ascii_whitespace).map_or(n, |k| p + k);
        tokenize_ascii(&b[i..ws_start], i, out);
        tokenize_unicode_range(text, ws_start, end, out);
        any_unicode = true;
        i = end;
    }
    tokenize_ascii(&b[i..], i, out);
    if any_unicode {
        out.dedup_by(|b, a| b.start < a.end);
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// Length of a dotted abbreviation (`U.S.`, `J.P.`, `a.m.`) starting at `i`, or 0.
fn dotted_len(b: &[u8], i: usize) -> usize {
    let mut j = i;
    let mut groups = 0;
    while j + 1 < b.len() && b[j].is_ascii_alphabetic() && b[j + 1] == b'.' {
        // The letter must be alone: not preceded by another letter within this group.
        j += 2;
        groups += 1;
        if j < b.len() && b[j].is_ascii_alphabetic() && !(j + 1 < b.len() && b[j + 1] == b'.') {
            // "U.Sx" is not dotted; "U.S.A." continues.
            return if groups >= 2 { j - i } else { 0 };
        }
    }
    if groups >= 2 && (j >= b.len() || !is_word_byte(b[j])) {
        j - i
    } else {
        0
    }
}

/// Tokenizes ASCII bytes `b` found at byte offset `base` of the text.
fn tokenize_ascii(b: &[u8], base: usize, out: &mut Vec<Token>) {
    let n = b.len();
    let mut push = |start: usize, end: usize, kind: TokenKind| out.push(Token { start: base + start, end: base + end, kind });
    let mut i = 0;
    while i < n {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if c.is_ascii_alphabetic() {
            let d = dotted_len(b, i);
            if d > 0 {
                push(i, i + d, TokenKind::Word);
                i += d;
                continue;
            }
            let start = i;
            loop {
                i += alnum_run(&b[i..]);
                if i < n && b[i] == b'\'' && apostrophe_inside(b, i) {
                    i += 1;
                } else {
                    break;
                }
            }
            push(start, i, TokenKind::Word);
            if i + 1 < n && b[i] == b'\'' && (b[i + 1] == b's' || b[i + 1] == b'S') && (i + 2 >= n || !is_word_byte(b[i + 2])) {
                push(i, i + 2, TokenKind::Possessive);
                i += 2;
            }
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < n && (is_word_byte(b[i]) || ((b[i] == b'.' || b[i] == b',') && i + 1 < n && b[i + 1].is_ascii_digit() && b[i - 1].is_ascii_digit())) {
                i += 1;
            }
            push(start, i, TokenKind::Number);
            continue;
        }
        push(i, i + 1, TokenKind::Punct);
        i += 1;
    }
}

/// Length of the run of ASCII letters and digits that `b` (ASCII) starts with. Eight bytes at a
/// time: most words then take one step, and the byte loop's exit at a word's unpredictable end
/// (a branch mispredicted per word) was a third of the tokenizer's time.
fn alnum_run(b: &[u8]) -> usize {
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let v = u64::from_le_bytes(chunk.try_into().unwrap_or_default());
        let other = !swar::alphanumeric(v) & swar::splat(0x80);
        if other != 0 {
            return i + other.trailing_zeros() as usize / 8;
        }
        i += 8;
    }
    i + b[i..].iter().take_while(|&&c| is_word_byte(c)).count()
}

/// Is the apostrophe at `i` inside a word ("doesn't", "O'Neill") rather than a possessive
/// `'s` or a closing quote?
fn apostrophe_inside(b: &[u8], i: usize) -> bool {
    if i + 1 >= b.len() || !b[i + 1].is_ascii_alphabetic() {
        return false;
    }
    // Possessive 's at the end of a word is split off.
    if (b[i + 1] == b's' || b[i + 1] == b'S') && (i + 2 >= b.len() || !is_word_byte(b[i + 2])) {
        return false;
    }
    true
}

#[cfg(test)]
fn tokenize_unicode(text: &str, out: &mut Vec<Token>) {
    tokenize_unicode_range(text, 0, text.len(), out);
    // UAX29 leaves the dot of a dotted abbreviation as its own token after reattachment; drop
    // tokens now covered by the previous one.
    out.dedup_by(|b, a| b.start < a.end);
}

/// UAX #29 word pieces of `text[lo..hi]` (looking past `hi` only to reattach a dot); the
/// caller drops tokens covered by the previous one.
fn tokenize_unicode_range(text: &str, lo: usize, hi: usize, out: &mut Vec<Token>) {
    for (start, piece) in text[lo..hi].split_word_bound_indices() {
        let start = lo + start;
        let first = match piece.chars().next() {
            Some(c) => c,
            None => continue,
        };
        if first.is_whitespace() {
            continue;
        }
        let end = start + piece.len();
        if !first.is_alphanumeric() {
            // Punctuation runs are split into single characters.
            for (k, ch) in piece.char_indices() {
                if !ch.is_whitespace() {
                    out.push(Token { start: start + k, end: start + k + ch.len_utf8(), kind: TokenKind::Punct });
                }
            }
            continue;
        }
        if first.is_numeric() {
            out.push(Token { start, end, kind: TokenKind::Number });
            continue;
        }
        // Possessive: split a trailing 's / ’s.
        let (word_end, poss) = match piece.strip_suffix("'s").or_else(|| piece.strip_suffix("’s")).or_else(|| piece.strip_suffix("'S")) {
            Some(stem) if !stem.is_empty() => (start + stem.len(), true),
            _ => (end, false),
        };
        let word = &text[start..word_end];
        // Dotted abbreviation: UAX29 gives "U.S" and then "."; reattach the final dot.
        if word.contains('.') && is_dotted_word(word) && text[word_end..].starts_with('.') && !poss {
            out.push(Token { start, end: word_end + 1, kind: TokenKind::Word });
            continue;
        }
        if word.contains('.') && !is_dotted_word(word) {
            // "end.Next" joined by UAX29 MidNumLet: split at dots.
            let mut s = start;
            for (k, ch) in word.char_indices() {
                if ch == '.' {
                    if start + k > s {
                        out.push(Token { start: s, end: start + k, kind: TokenKind::Word });
                    }
                    out.push(Token { start: start + k, end: start + k + 1, kind: TokenKind::Punct });
                    s = start + k + 1;
                }
            }
            if word_end > s {
                out.push(Token { start: s, end: word_end, kind: TokenKind::Word });
            }
        } else {
            out.push(Token { start, end: word_end, kind: TokenKind::Word });
        }
        if poss {
            out.push(Token { start: word_end, end, kind: TokenKind::Possessive });
        }
    }
}

fn is_dotted_word(w: &str) -> bool {
    let mut letters = 0;
    let mut expect_letter = true;
    for ch in w.chars() {
        if expect_letter {
            if !ch.is_alphabetic() {
                return false;
            }
            letters += 1;
            expect_letter = false;
        } else {
            if ch != '.' {
                return false;
            }
            expect_letter = true;
        }
    }
    letters >= 2
}

const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Sr", "Jr", "St", "Mt", "Ft", "Gen", "Gov", "Sen", "Rep", "Lt",
    "Col", "Capt", "Sgt", "Rev", "Hon", "Pres", "No", "Nos", "vs", "v", "etc", "al", "approx", "est",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Inc",
    "Corp", "Co", "Ltd", "Bros", "Dept", "Univ", "Ave", "Blvd", "Fig", "ed", "Mass", "Calif",
    "Wash", "Ariz", "Fla", "Penn", "Conn", "Ill", "Mich", "Minn", "Tenn", "Va", "Ky", "Ore",
];

/// Abbreviations that often end a sentence too ("... sanctions by the U.S. The company").
const SENTENCE_FINAL_ABBREVIATIONS: &[&str] = &["Inc", "Corp", "Co", "Ltd", "Bros", "etc"];

const SENTENCE_STARTERS: &[&str] = &[
    "The", "It", "He", "She", "They", "We", "I", "This", "That", "These", "Those", "But", "And",
    "In", "On", "At", "A", "An", "Its", "His", "Her", "Their", "However", "Meanwhile", "Analysts",
    "Shares", "There", "If", "As", "For", "According",
];

/// Whether `word` is in `list`, whose words have at most `max` bytes: most words before a
/// full stop are longer and skip the scan of the list.
fn listed(list: &[&str], max: usize, word: &str) -> bool {
    word.len() <= max && list.contains(&word)
}

/// The longest word of a list, at compile time.
const fn longest(list: &[&str]) -> usize {
    let (mut i, mut m) = (0, 0);
    while i < list.len() {
        if list[i].len() > m {
            m = list[i].len();
        }
        i += 1;
    }
    m
}

fn is_abbreviation_token(word: &str) -> bool {
    listed(ABBREVIATIONS, const { longest(ABBREVIATIONS) }, word)
        || (word.chars().count() == 1 && word.chars().all(|c| c.is_uppercase()))
}

fn is_sentence_starter(word: &str) -> bool {
    listed(SENTENCE_STARTERS, const { longest(SENTENCE_STARTERS) }, word)
}

fn starts_sentence(tok: &Token, text: &str) -> bool {
    let t = tok.text(text);
    let c = t.chars().next().unwrap_or(' ');
    c.is_uppercase() || c.is_numeric() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '[')
}

fn split_sentences(text: &str, tokens: &[Token], from: usize, n: usize) -> Vec<Sentence> {
    let mut out = Vec::new();
    let mut first = from;
    let mut i = first;
    let bytes = text.as_bytes();
    while i < n {
        let tok = &tokens[i];
        // The token's bytes: most tokens are only compared, and a `&str` slice would check
        // both ends for a character boundary first (14% of the splitter's instructions).
        let tb = &bytes[tok.start..tok.end];
        let mut boundary_after: Option<usize> = None; // index of last token of the sentence

        // Paragraph or line break before the next token. (The gap is a byte or two: a byte
        // loop, not a memchr call per token.)
        if i + 1 < n {
            let gap = &bytes[tok.end..tokens[i + 1].start];
            if gap.contains(&b'\n') {
                let blank = gap.iter().filter(|&&b| b == b'\n').count() >= 2;
                let next_lower = tokens[i + 1].text(text).chars().next().is_some_and(|c| c.is_lowercase());
                let wraps = (tok.kind == TokenKind::Word || tb == b",") && next_lower;
                if blank || !wraps {
                    boundary_after = Some(i);
                }
            }
        }
        // Only punctuation tokens are ever "." (checked first: the string test on every token
        // was a tenth of the splitter's time).
        if boundary_after.is_none() && tok.kind == TokenKind::Punct && matches!(tb, b"." | b"!" | b"?" | b"\xE2\x80\xA6" /* … */) {
            let t = tok.text(text);
            // Absorb closing quotes/brackets and repeated terminal punctuation.
            let mut j = i;
            while j + 1 < n
                && tokens[j + 1].start == tokens[j].end
                && matches!(tokens[j + 1].text(text), "\"" | "”" | "’" | "'" | ")" | "]" | "." | "!" | "?")
            {
                j += 1;
            }
            let next = tokens.get(j + 1);
            let prev_word = if i > first { Some(tokens[i - 1]) } else { None };
            let abbrev = t == "."
                && prev_word.is_some_and(|p| p.end == tok.start && p.kind == TokenKind::Word && is_abbreviation_token(p.text(text)));
            let next_ok = next.is_none_or(|nt| starts_sentence(nt, text));
            if next_ok {
                // The list look-ups only for an abbreviation (they were a tenth of the splitter).
                let final_abbrev = || prev_word.is_some_and(|p| SENTENCE_FINAL_ABBREVIATIONS.contains(&p.text(text)));
                let starter = || next.is_some_and(|nt| is_sentence_starter(nt.text(text)));
                if !abbrev || (final_abbrev() && starter()) {
                    boundary_after = Some(j);
                }
            }
            if boundary_after.is_none() {
                i = j;
            }
        } else if boundary_after.is_none() && tok.kind == TokenKind::Word && tb.last() == Some(&b'.') {
            // A dotted abbreviation ("U.S.") ends the sentence only before a typical starter.
            if let Some(nt) = tokens.get(i + 1) {
                if is_sentence_starter(nt.text(text)) && text[tok.end..nt.start].chars().all(char::is_whitespace) {
                    boundary_after = Some(i);
                }
            }
        }
        if let Some(last) = boundary_after {
            out.push(Sentence { start: tokens[first].start, end: tokens[last].end, first_token: first, last_token: last + 1 });
            first = last + 1;
            i = last + 1;
        } else {
            i += 1;
        }
    }
    if first < n {
        out.push(Sentence { start: tokens[first].start, end: tokens[n - 1].end, first_token: first, last_token: n });
    }
    out
}

/// The dateline pattern: PLACE[, PLACE][, Mon DD] [(Agency)] - ; the place in capitals, or
/// title case before an agency.
const DATELINE: &str = r"^\s*(?P<place>[\p{Lu}][\p{Lu}\p{M}.'’ ]{1,40}?(?:,\s*[\p{Lu}][\p{L}\p{M}.'’ ]{1,30}?)*)(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?:--?|–|—)\s+";

/// [`DATELINE`] for heads of ASCII text only, compiled in ASCII mode: the same groups and
/// alternatives in the same order, each class cut to its ASCII members (`\p{Lu}` is `A-Z`,
/// `\p{L}` is `A-Za-z`, `\p{M}`, `’` and the long dashes have none; `\s`, `\d` and
/// `[^()\n]` keep theirs), so on ASCII text it matches what `DATELINE` matches. Its bounded
/// repeats of Unicode classes are what make `DATELINE` slow to compile (~70M instructions,
/// 17% of a one-article run); this one is small.
const DATELINE_ASCII: &str = r"^\s*(?P<place>[A-Z][A-Z.' ]{1,40}?(?:,\s*[A-Z][A-Za-z.' ]{1,30}?)*)(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2})?\s*(?:\((?P<agency>[^()\n]{1,40})\))?\s*(?:--?)\s+";

fn dateline_regex(ascii: bool) -> &'static regex_automata::meta::Regex {
    static RE: OnceLock<regex_automata::meta::Regex> = OnceLock::new();
    static RE_ASCII: OnceLock<regex_automata::meta::Regex> = OnceLock::new();
    let (cell, pattern) = if ascii { (&RE_ASCII, DATELINE_ASCII) } else { (&RE, DATELINE) };
    cell.get_or_init(|| {
        // It runs once per article, anchored, on at most 200 bytes: the backtracker and the
        // PikeVM search it fast enough, and without the lazy DFA's forward and reverse
        // automata and the one-pass DFA it compiles in a third of the time (~6 ms, not ~19 ms:
        // the first article with a possible dateline waits for it). Same matches either way.
        let config = regex_automata::meta::Regex::config().hybrid(false).dfa(false).onepass(false);
        let syntax = regex_automata::util::syntax::Config::new().unicode(!ascii).utf8(!ascii);
        regex_automata::meta::Regex::builder().configure(config).syntax(syntax).build(pattern).expect("dateline regex")
    })
}

/// What every dateline the regex accepts has: after leading spaces, a capital and then a
/// capital, mark, `.`, `'`, `’` or space (the place's first two characters, "JAKARTA",
/// "U.S."), and a dash followed by a space. Most articles have no dateline and fail this
/// test: most open with a title-case word ("Huawei"), whose second letter no place allows.
/// A run over them never builds the regex (~6 ms to compile, for its Unicode classes) nor
/// searches it (~34,000 instructions). Of the 2,225 BBC texts, 128 had a capital first and a
/// dash and a space in their first 200 bytes; 17 also have a second letter a place allows.
fn may_hold_dateline(head: &str) -> bool {
    let mut chars = head.trim_start().chars();
    let (Some(first), Some(second)) = (chars.next(), chars.next()) else {
        return false;
    };
    // Non-ASCII second characters are let through: marks, `’` and capitals beyond ASCII.
    // `is_uppercase` holds for every `\p{Lu}` letter (and a few more).
    if !first.is_uppercase() || (second.is_ascii() && !matches!(second, 'A'..='Z' | '.' | '\'' | ' ')) {
        return false;
    }
    // The dashes are found by their bytes (`–` and `—` are E2 80 93 and E2 80 94): a search
    // for three chars decoded every char of the head, ~3,100 instructions an article more.
    let b = head.as_bytes();
    (0..b.len()).any(|i| {
        let dash = match b[i] {
            b'-' => 1,
            0xE2 if b.get(i + 1) == Some(&0x80) && matches!(b.get(i + 2), Some(0x93 | 0x94)) => 3,
            _ => return false,
        };
        head[i + dash..].starts_with(char::is_whitespace)
    })
}

/// Recognises a dateline at the start of `text`.
pub fn find_dateline(text: &str) -> Option<Dateline> {
    let mut cut = text.len().min(200);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &text[..cut];
    if !may_hold_dateline(head) {
        return None;
    }
    let re = dateline_regex(head.is_ascii());
    let mut caps = re.create_captures();
    re.captures(head, &mut caps);
    let place = caps.get_group_by_name("place")?;
    let agency = caps.get_group_by_name("agency");
    let place_text = head[place.range()].trim_end();
    // The first place word must be in capitals ("JAKARTA"), unless an agency follows
    // ("London (Reuters) -").
    let first_word: String = place_text.chars().take_while(|c| c.is_alphabetic()).collect();
    let all_caps = first_word.chars().count() >= 2 && first_word.chars().all(|c| !c.is_lowercase());
    if !all_caps && agency.is_none() {
        return None;
    }
    let whole = caps.get_match()?;
    Some(Dateline {
        start: place.start,
        end: whole.end(),
        place: (place.start, place.start + place_text.len()),
        agency: agency.map(|a| (a.start, a.end)),
    })
}

/// Converts byte offsets of one text into character (Unicode scalar value) offsets.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// `None` for ASCII text (offsets are equal); otherwise the byte offset of every UTF-8
    /// continuation byte, in order: a char offset is the byte offset less the continuation
    /// bytes before it. News text is mostly ASCII (a few curly quotes, dashes, accents), so
    /// this list is short, where a char index per byte cost 4 bytes written per text byte.
    map: Option<Vec<u32>>,
}

impl CharOffsets {
    /// Builds the map for `text`.
    pub fn new(text: &str) -> CharOffsets {
        if text.is_ascii() {
            return CharOffsets { map: None };
        }
        let b = text.as_bytes();
        let mut cont = Vec::new();
        let mut i = 0;
        while i < b.len() {
            // Eight ASCII bytes at a time: no continuation byte among them.
            if let Some(w) = b.get(i..i + 8) {
                if u64::from_ne_bytes(w.try_into().expect("8 bytes")) & swar::splat(0x80) == 0 {
                    i += 8;
                    continue;
                }
            }
            if b[i] & 0xC0 == 0x80 {
                cont.push(i as u32);
            }
            i += 1;
        }
        CharOffsets { map: Some(cont) }
    }

    /// Character offset of byte offset `b` (a char boundary).
    pub fn char_at(&self, b: usize) -> usize {
        match &self.map {
            None => b,
            Some(cont) => b - cont.partition_point(|&c| (c as usize) < b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    fn sentences(text: &str) -> Vec<&str> {
        segment(text).sentences.iter().map(|s| &text[s.start..s.end]).collect()
    }

    #[test]
    fn tokens_keep_abbreviations_and_split_possessives() {
        assert_eq!(words("The U.S. fined Huawei's unit $4.5bn."), vec!["The", "U.S.", "fined", "Huawei", "'s", "unit", "$", "4.5bn", "."]);
        assert_eq!(words("doesn't once-lucrative"), vec!["doesn't", "once", "-", "lucrative"]);
    }

    #[test]
    fn unicode_path_agrees_with_ascii_path() {
        for s in ["The U.S. fined Huawei's unit $4.5bn.", "doesn't once-lucrative 1,010 jobs", "Mr. Fan said: \"We (P&G) won.\""] {
            let mut a = Vec::new();
            tokenize_ascii(s.as_bytes(), 0, &mut a);
            let mut u = Vec::new();
            tokenize_unicode(s, &mut u);
            assert_eq!(a, u, "{s}");
        }
    }

    /// Mixed text: ASCII runs through the byte loop, the rest through UAX #29, the same tokens
    /// as UAX #29 over the whole text.
    #[test]
    fn mixed_path_agrees_with_unicode_path() {
        for s in [
            "The U.S. fined Huawei's unit £4.5bn (Â£4.5bn) in Zürich.",
            "Citroën and Škoda’s plant, doesn't once-lucrative 1,010 jobs \u{301}x \n\u{301}y",
            "Mr. Fan said: “We (P&G) won.” São Paulo e.g. J.P. Morgan",
            "\t\u{a0}non-breaking\u{a0}space  naïve café's U.S.é end.",
            "é",
            "  é then plain U.S. words don't 1,010 — then “quoted” Acme's £5bn\n\nand \u{301}ASCII to the end.",
        ] {
            let mut m = Vec::new();
            tokenize_mixed(s, &mut m);
            let mut u = Vec::new();
            tokenize_unicode(s, &mut u);
            assert_eq!(m, u, "{s}");
        }
    }

    #[test]
    fn alnum_runs_match_the_byte_test() {
        let all: Vec<u8> = (0u8..128).collect();
        for start in 0..all.len() {
            for len in 0..20.min(all.len() - start) {
                let b = &all[start..start + len];
                assert_eq!(alnum_run(b), b.iter().take_while(|&&c| is_word_byte(c)).count(), "{b:?}");
            }
        }
        assert_eq!(alnum_run(b"Internationalisierung's"), 21);
    }

    #[test]
    fn non_ascii_tokens() {
        assert_eq!(words("Citroën and Škoda’s plant"), vec!["Citroën", "and", "Škoda", "’s", "plant"]);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let t = "Mr. Fan met Apple Inc. executives on Dec. 5 in the U.S. market. No. 2 was Samsung.";
        assert_eq!(sentences(t), vec!["Mr. Fan met Apple Inc. executives on Dec. 5 in the U.S. market.", "No. 2 was Samsung."]);
    }

    #[test]
    fn company_abbreviation_before_a_starter_ends_the_sentence() {
        assert_eq!(sentences("It sued Apple Inc. The company said no."), vec!["It sued Apple Inc.", "The company said no."]);
    }

    #[test]
    fn every_terminal_mark_ends_a_sentence() {
        assert_eq!(sentences("Sales fell… Then they rose! Did they? Yes. U.S. Steel gained."), vec!["Sales fell…", "Then they rose!", "Did they?", "Yes.", "U.S. Steel gained."]);
        assert_eq!(sentences("It rose 5.5 per cent. In 2004, it fell, he said"), vec!["It rose 5.5 per cent.", "In 2004, it fell, he said"]);
    }

    #[test]
    fn paragraphs_and_quotes() {
        let t = "He said \"yes.\" Then left\nNew paragraph here.";
        assert_eq!(sentences(t), vec!["He said \"yes.\"", "Then left", "New paragraph here."]);
    }

    #[test]
    fn datelines() {
        let t = "JAKARTA - Huawei has extended a deal.";
        let s = segment(t);
        let d = s.dateline.unwrap();
        assert_eq!(&t[d.place.0..d.place.1], "JAKARTA");
        assert_eq!(sentences(t), vec!["Huawei has extended a deal."]);
        let t = "SHENZHEN (Reuters) - Huawei said.";
        let d = find_dateline(t).unwrap();
        assert_eq!(&t[d.agency.unwrap().0..d.agency.unwrap().1], "Reuters");
        assert_eq!(sentences(t), vec!["Huawei said."]);
        assert!(find_dateline("Huawei - the company - said.").is_none());
        assert!(find_dateline("The deal - signed today - is big.").is_none());
        assert!(!may_hold_dateline("  lower - case") && !may_hold_dateline("JAKARTA -Huawei") && !may_hold_dateline(""));
        assert!(may_hold_dateline("\u{a0}LONDON —\u{a0}x") && may_hold_dateline("PARIS (AFP) -- x"));
        // A title-case word opens no place; the regex agrees (see below).
        assert!(!may_hold_dateline("Paris (AFP) -- x") && !may_hold_dateline("Ad sales boost profit - x"));
        assert!(may_hold_dateline("ROME –\tx") && may_hold_dateline("ROME -\n") && !may_hold_dateline("ROME ‒ x ‑ y —z -"));
        // The same answer as a search by chars, on heads with every kind of dash.
        for head in ["LONDON — x", "A–b – c", "É - x", "É—x", "Ü ‒ x – y", "X \u{2014}\u{2009}y", "Z –", "Q -\u{3000}"] {
            let by_chars = head.match_indices(['-', '–', '—']).any(|(i, d)| head[i + d.len()..].starts_with(char::is_whitespace));
            assert_eq!(may_hold_dateline(head), by_chars, "{head:?}");
        }
        let t = "Headline About Huawei\nJAKARTA - Huawei said.";
        assert_eq!(sentences(t), vec!["Headline About Huawei", "Huawei said."]);
    }

    /// The ASCII pattern finds on ASCII heads what the Unicode one finds: the same groups at
    /// the same offsets, or no match for both.
    #[test]
    fn ascii_dateline_pattern_matches_as_the_unicode_one_on_ascii_text() {
        let groups = |ascii: bool, head: &str| {
            let re = dateline_regex(ascii);
            let mut caps = re.create_captures();
            re.captures(head, &mut caps);
            (0..caps.group_len()).map(|g| caps.get_group(g).map(|s| s.range())).collect::<Vec<_>>()
        };
        let seed = include_str!("../fixtures/seed.txt");
        let mut heads = vec![
            "JAKARTA - Huawei has extended a deal.",
            "SHENZHEN (Reuters) - Huawei said.",
            "London (Reuters) -- x",
            "NEW YORK, Dec 27 (AP) - The deal",
            "SAN JOSE, Calif., Jan. 5 - a",
            "WASHINGTON, D.C. - x",
            "ST. JOHN'S, Newfoundland - x",
            "  PARIS, France, Lyon, Nice - y",
            "A VERY LONG PLACE NAME THAT GOES ON AND ON AND ON AND ON - x",
            "Huawei - the company - said.",
            "BEIJING (Xinhua, agency with a long name that is long) - x",
            "BERLIN(dpa)-x",
            "TOKYO\t-\tx",
            "OSLO -\nx",
            "Seoul - x",
            seed,
        ];
        heads.extend(seed.lines());
        let mut tried = 0;
        for head in heads {
            let mut cut = head.len().min(200);
            while !head.is_char_boundary(cut) {
                cut -= 1;
            }
            let head = &head[..cut];
            if head.is_ascii() {
                assert_eq!(groups(true, head), groups(false, head), "{head:?}");
                tried += 1;
            }
        }
        assert!(tried >= 20, "{tried}");
        assert!(groups(true, "JAKARTA - x")[1].is_some() && groups(true, "Seoul - x").is_empty());
    }

    /// `may_hold_dateline` turns away no head the regex matches: every combination of leading
    /// space, first and second character and the rest of a dateline or of a sentence.
    #[test]
    fn dateline_prefilter_keeps_every_head_the_regex_matches() {
        let matches = |head: &str| {
            let modes: &[bool] = if head.is_ascii() { &[true, false] } else { &[false] };
            modes.iter().any(|&ascii| dateline_regex(ascii).is_match(head))
        };
        let (mut matched, mut turned_away) = (0, 0);
        for lead in ["", "  ", "\n\t", "\u{a0}"] {
            for first in ["J", "É", "Ω", "a", "1", "\"", "’"] {
                for second in ["A", "Ü", "a", "é", ".", "'", "’", " ", "\u{301}", "-", "5", "\t"] {
                    for rest in ["AKARTA - x", " (AP) - x", ", Calif., Jan. 5 - x", " - x", "-x", "—\u{a0}x", "KYO (Kyodo) -- x", "ondon (Reuters) - x", " is here."] {
                        let head = format!("{lead}{first}{second}{rest}");
                        if matches(&head) {
                            matched += 1;
                            assert!(may_hold_dateline(&head), "{head:?}");
                        } else if !may_hold_dateline(&head) {
                            turned_away += 1;
                        }
                    }
                }
            }
        }
        assert!(matched > 100 && turned_away > 1000, "{matched} {turned_away}");
    }

    #[test]
    fn dateline_search_is_safe_on_multibyte_text() {
        let t = format!("{}£ more text here.", "a".repeat(199));
        assert!(find_dateline(&t).is_none());
        let _ = segment(&t);
    }

    #[test]
    fn char_offsets() {
        let t = "Škoda – BMW";
        let m = CharOffsets::new(t);
        let b = t.find("BMW").unwrap();
        assert_eq!(m.char_at(b), 8);
        assert_eq!(t.chars().skip(8).take(3).collect::<String>(), "BMW");
    }

    #[test]
    fn char_offsets_at_every_boundary() {
        for t in ["", "ascii only", "Škoda – BMW “quoted” text over eight bytes…", "ééééééééééé", "a€b𝄞c long ASCII run here 12345678 and ü"] {
            let m = CharOffsets::new(t);
            for (b, _) in t.char_indices().chain([(t.len(), ' ')]) {
                assert_eq!(m.char_at(b), t[..b].chars().count(), "{t:?} at {b}");
            }
        }
    }
}
