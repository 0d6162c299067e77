//! Entities: gazetteer matches and context cues → document-level entities with every mention,
//! and coreference anchors ("the company", "the Chinese giant", "it") for the event stage.
//!
//! Steps, in order:
//! 1. gazetteer matches in the dateline, title and text (leftmost-longest, case rules);
//! 2. choosing among entries that share a surface form by document evidence (an entry also
//!    named unambiguously elsewhere, its parent or children present), then by load order;
//! 3. ordinary-word names ("Apple", "Shell") at the start of a sentence kept only with other
//!    evidence in the article;
//! 4. company mentions extended over legal suffixes ("Co., Ltd.", "Inc.", "PT … Tbk") and
//!    unknown companies found from such suffixes;
//! 5. people from context: titles, reporting verbs, appositions, first names; later surnames
//!    ("Biden") linked to the full name;
//! 6. nominal and pronoun references resolved to entities by salience, type and country.

use crate::gazetteer::{CasePolicy, EntityType, Form, Gazetteer};
use crate::input::Article;
use crate::segment::{segment, Segmentation, TokenKind};
use regex::Regex;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::OnceLock;

/// Which field of the article a span is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// The headline.
    Title,
    /// The body text.
    Text,
}

/// How a mention names its entity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MentionForm {
    /// Canonical name or alias from a gazetteer.
    Name,
    /// A demonym ("Chinese").
    Demonym,
    /// A short form linked to a fuller name in the article ("Biden").
    Short,
    /// Found from context (people, unknown companies).
    Context,
}

/// One mention: byte span in a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mention {
    /// Title or text.
    pub field: Field,
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// How it names the entity.
    pub form: MentionForm,
}

/// A document-level entity.
#[derive(Debug, Clone)]
pub struct DocEntity {
    /// Gazetteer entry index, if linked.
    pub entry: Option<u32>,
    /// Canonical id.
    pub id: String,
    /// Canonical name.
    pub name: String,
    /// Type.
    pub kind: EntityType,
    /// Subtype.
    pub subtype: Option<String>,
    /// Country (ISO alpha-2).
    pub country: Option<String>,
    /// Parent id.
    pub parent: Option<String>,
    /// Mentions in text order (title first).
    pub mentions: Vec<Mention>,
}

/// What an anchor is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorKind {
    /// A name mention.
    Name,
    /// A nominal reference ("the company", "the two makers").
    Nominal,
    /// A pronoun ("it", "its").
    Pronoun,
    /// A demonym used as an adjective ("Chinese companies"): weaker than a name.
    Demonym,
}

/// A span of the body text that refers to one or more entities: the event stage's arguments.
#[derive(Debug, Clone)]
pub struct Anchor {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Entities referred to (indices into [`Analysis::entities`]).
    pub entities: Vec<usize>,
    /// Name, nominal or pronoun.
    pub kind: AnchorKind,
    /// Sentence index.
    pub sentence: usize,
}

/// The analysed article: segmentation, entities, anchors.
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Body segmentation.
    pub seg: Segmentation,
    /// Title segmentation.
    pub title_seg: Segmentation,
    /// Entities in order of first mention.
    pub entities: Vec<DocEntity>,
    /// Body-text anchors sorted by start.
    pub anchors: Vec<Anchor>,
}

struct Candidate {
    field: Field,
    start: usize,
    end: usize,
    first_token: usize,
    last_token: usize,
    sentence_initial: bool,
    targets: Vec<(u32, Form, bool)>,
}

const LEGAL_SUFFIXES: &[&str] = &[
    "Inc", "Incorporated", "Corp", "Corporation", "Co", "Ltd", "Limited", "LLC", "plc", "PLC", "Plc",
    "AG", "SE", "SA", "S.A.", "NV", "N.V.", "BV", "GmbH", "SpA", "S.p.A.", "KK", "Oyj", "ASA", "AB",
    "LP", "L.P.", "Tbk", "Bhd", "Berhad", "Pte", "Pty", "SAS", "S.A.S.", "KGaA", "Cie",
];

const TITLES: &[&str] = &[
    "President", "president", "CEO", "Chairman", "chairman", "Chairwoman", "chairwoman", "Mr", "Mrs", "Ms",
    "Dr", "Sir", "Dame", "Senator", "Sen", "Rep", "Representative", "Secretary", "Minister", "minister",
    "Premier", "Governor", "governor", "Chancellor", "Mayor", "mayor", "Judge", "judge", "Justice", "King", "Queen",
    "Prince", "Princess", "Pope", "spokesman", "spokeswoman", "spokesperson", "analyst", "Analyst", "executive",
    "Executive", "Director", "director", "founder", "Founder", "chief", "Chief", "head", "Head", "boss", "CFO",
    "COO", "CTO", "Professor", "Prof", "General", "Gen", "Commissioner", "commissioner", "economist",
    "Economist", "lawyer", "attorney", "Attorney", "Ambassador", "ambassador", "Vice", "Deputy", "deputy",
    "Officer", "officer", "manager", "Manager", "leader", "Leader", "chairperson", "Chair", "chair",
    "candidate", "Senior", "senior", "Rev", "Lord", "Lady", "Baroness", "Baron", "Captain", "Capt",
    "Colonel", "Col", "Lieutenant", "Lt", "Sgt", "Sergeant", "Admiral", "Adm", "Dean", "Coach", "coach",
    "partner", "Partner", "owner", "Owner", "President-elect", "Treasurer", "Administrator", "Inspector",
    "Counsel", "counsel", "writer", "Writer", "reporter", "correspondent", "Sheikh", "Emir", "Crown", "Spokesman",
    "Spokeswoman", "Analyst", "Strategist", "strategist", "Minister", "Republican", "Democrat", "Democratic",
];

/// The word lists of this module, each one variant of `List`, and for `LIST: NAME`
/// `fn NAME(w: &str) -> bool` telling whether `w` is in the list `LIST` (lists asked about
/// only for tokens go through [`TokenLists`] and need none).
macro_rules! word_lists {
    ($($list:ident $(: $name:ident)?),* $(,)?) => {
        /// A word list; a word's lists are a bit set of these ([`lists_of`]).
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        #[derive(Clone, Copy)]
        enum List {
            $($list),*
        }
        const ALL_LISTS: &[(List, &[&str])] = &[$((List::$list, $list)),*];
        $($(
            fn $name(w: &str) -> bool {
                lists_of(w).has(List::$list)
            }
        )?)*
    };
}

word_lists! {
    NOT_NAME: is_not_name,
    TITLES: is_title,
    STOP_LEAD: is_stop_lead,
    COMPANY_HEADS,
    ORG_HEADS,
    PLACE_HEADS,
    PARTICLES: is_particle,
    STRONG_TITLES: is_strong_title,
    REPORTING,
    PERSON_NOUNS,
    LEGAL_SUFFIXES: is_legal_suffix,
}

/// The word lists a word is in.
#[derive(Clone, Copy)]
struct Lists(u32);

impl Lists {
    fn has(self, list: List) -> bool {
        self.0 & (1 << list as u32) != 0
    }
}

/// The lists of each token of one field, each looked up once, on first use: the run, head,
/// person and evidence tests ask about the same capitalised words in turn.
struct TokenLists<'a> {
    text: &'a str,
    toks: &'a [crate::segment::Token],
    /// [`Lists`] bits, or [`TokenLists::UNKNOWN`] before the first look-up.
    lists: Vec<std::cell::Cell<u32>>,
}

impl<'a> TokenLists<'a> {
    const UNKNOWN: u32 = u32::MAX;

    fn new(text: &'a str, toks: &'a [crate::segment::Token]) -> Self {
        TokenLists { text, toks, lists: vec![std::cell::Cell::new(Self::UNKNOWN); toks.len()] }
    }

    /// The lists token `k` is in.
    fn of(&self, k: usize) -> Lists {
        let c = &self.lists[k];
        if c.get() == Self::UNKNOWN {
            c.set(lists_of(self.toks[k].text(self.text)).0);
        }
        Lists(c.get())
    }

    /// Whether token `k` is in `list`.
    fn has(&self, k: usize, list: List) -> bool {
        self.of(k).has(list)
    }
}

/// The lists `w` is in, from one table of all their words built once: one hash look-up
/// answers for every list (capitalised words are checked against several in a row).
fn lists_of(w: &str) -> Lists {
    /// The table, and the sketches of its words: most words looked up are in no list, and
    /// most of those are told by one bit test, without packing or hashing.
    struct Table {
        lists: FxHashMap<PackedWord, u32>,
        sketches: Sketches,
    }
    static TABLE: OnceLock<Table> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut lists: FxHashMap<PackedWord, u32> = FxHashMap::default();
        for &(list, words) in ALL_LISTS {
            for &w in words {
                *lists.entry(packed(w).expect("list words have at most 16 bytes")).or_default() |= 1 << list as u32;
            }
        }
        let sketches = Sketches::of(ALL_LISTS.iter().flat_map(|&(_, words)| words.iter().copied()));
        Table { lists, sketches }
    });
    if !table.sketches.may_hold(sketch(w)) {
        return Lists(0);
    }
    Lists(packed(w).and_then(|k| table.lists.get(&k)).copied().unwrap_or(0))
}

/// A bit per [`sketch`] of a set of words: a word whose sketch's bit is clear is not in it.
struct Sketches(Vec<u64>);

impl Sketches {
    fn of<'a>(words: impl IntoIterator<Item = &'a str>) -> Sketches {
        let mut bits = vec![0u64; SKETCH_BITS / 64];
        for w in words {
            let k = sketch(w);
            bits[k / 64] |= 1 << (k % 64);
        }
        Sketches(bits)
    }

    /// Whether a word of sketch `k` may be in the set.
    fn may_hold(&self, k: usize) -> bool {
        self.0[k / 64] & 1 << (k % 64) != 0
    }
}

const SKETCH_BITS: usize = 4096;

/// A number below [`SKETCH_BITS`] from a word's length, first and last bytes: words with
/// different sketches differ.
fn sketch(w: &str) -> usize {
    let b = w.as_bytes();
    sketch_of(b.len(), b.first().copied().unwrap_or(0), b.last().copied().unwrap_or(0))
}

/// The [`sketch`] of a word of `len` bytes from its first and last bytes.
fn sketch_of(len: usize, first: u8, last: u8) -> usize {
    let key = u32::from(first) | u32::from(last) << 8 | (len.min(255) as u32) << 16;
    (key.wrapping_mul(0x9E37_79B1) >> 20) as usize
}

/// A word of at most 16 bytes as one number (its bytes, zero-padded) and its length.
type PackedWord = (u128, u8);

/// `w` as a [`PackedWord`], hashed and compared in a few instructions (a string key costs a
/// loop over its bytes and a `memcmp`); `None` for longer words, which are in no list.
fn packed(w: &str) -> Option<PackedWord> {
    if w.len() > 16 {
        return None;
    }
    // A byte loop: words are short, and a `copy_from_slice` of unknown length calls `memmove`.
    let bytes = w.bytes().rev().fold(0u128, |acc, b| acc << 8 | u128::from(b));
    Some((bytes, w.len() as u8))
}

const NOT_NAME: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We", "I", "You",
    "His", "Her", "Their", "Our", "My", "In", "On", "At", "For", "From", "With", "By", "Of", "To", "And",
    "But", "Or", "As", "If", "When", "While", "After", "Before", "Since", "Until", "Although", "However",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec", "Now", "Then",
    "Today", "Yesterday", "Tomorrow", "Unfortunately", "For", "Mr", "Mrs", "Ms", "Dr", "Inc", "Corp", "Ltd",
    "Co", "Group", "Bank", "University", "Ministry", "Department", "Association", "Council", "Party",
    "Court", "Agency", "Office", "Commission", "Airlines", "Airways", "Motors", "Motor", "Company",
    "Corporation", "Institute", "Foundation", "Committee", "Board", "Authority", "Union", "Federation",
    "Organisation", "Organization", "Holdings", "International", "Technologies", "Systems", "Services",
    "Capital", "Partners", "News", "Times", "Post", "Journal", "Street", "Avenue", "Road", "River",
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central", "New",
    "Act", "Law", "Bill", "Plan", "Program", "Programme", "Project", "Award", "Prize", "Cup", "League",
    "Club", "Team", "Hospital", "School", "College", "Church", "Airport", "Station", "Centre", "Center",
    "Police", "Army", "Navy", "Force", "Forces", "Senate", "House", "Congress", "Parliament", "Government",
    "Federal", "National", "State", "States", "Republic", "Kingdom", "Royal", "General", "Global", "World",
    "Chapter", "Section", "Article", "Series", "Model", "Edition", "Version", "Day", "Week", "Year",
    "According", "Despite", "During", "Under", "Over", "Also", "Yet", "So", "Not", "No", "Yes", "All",
    "Some", "Many", "Most", "Other", "Another", "Each", "Every", "Both", "Either", "Neither", "Such",
    "What", "Which", "Who", "Whom", "Whose", "Why", "How", "Where", "There", "Here", "Meanwhile",
    "Continuing", "Intellectual", "VOIR", "Reuters", "Bloomberg", "Christmas", "Easter", "Internet", "Web",
    "Mobile", "Online", "Digital", "Technology", "Electronics", "Energy", "Oil", "Gas", "Power", "Steel",
    "Chief", "Executive", "Officer", "President", "Vice", "Chairman", "Secretary", "Minister", "Director",
    "Senator", "Governor", "Judge", "Prime", "Deputy", "Former", "Acting", "Interim", "Sir", "Lord",
    "Flight", "List", "Entity", "Index", "Prosecutors", "Officials", "Analysts", "Investors", "Shareholders", "Customers",
];

const REPORTING: &[&str] = &[
    "said", "says", "told", "added", "explained", "noted", "stated", "wrote", "announced", "argued",
    "commented", "insisted", "warned", "claimed", "confirmed", "admitted", "replied", "asked", "believes",
    "thinks", "stressed", "acknowledged", "predicted", "estimated", "continued", "concluded", "observed",
];

/// "Campbell", not "CAMPBELL" or "campbell".
fn is_title_case(w: &str) -> bool {
    let mut ch = w.chars();
    ch.next().is_some_and(char::is_uppercase) && ch.clone().any(char::is_lowercase) && !ch.any(char::is_uppercase)
}

fn is_cap_word(w: &str) -> bool {
    // ASCII words (nearly all) byte by byte, where the char tests below are byte tests; the
    // first non-ASCII byte sends the word to them.
    if let Some((&first, rest)) = w.as_bytes().split_first().filter(|(f, _)| f.is_ascii()) {
        if !first.is_ascii_uppercase() {
            return false;
        }
        let mut lower = false;
        for &c in rest {
            match c {
                b'a'..=b'z' => lower = true,
                b'A'..=b'Z' | b'\'' | b'-' => {}
                0x80.. => return is_cap_word_chars(w),
                _ => return false,
            }
        }
        return lower;
    }
    is_cap_word_chars(w)
}

/// [`is_cap_word`] char by char.
fn is_cap_word_chars(w: &str) -> bool {
    let mut cs = w.chars();
    match cs.next() {
        Some(c) if c.is_uppercase() => {}
        _ => return false,
    }
    // "McDonald", "O'Neill" ok; ALL-CAPS words (acronyms) are not name parts.
    let rest = cs.as_str();
    !rest.is_empty() && rest.chars().any(|c| c.is_lowercase()) && rest.chars().all(|c| c.is_alphabetic() || c == '\'' || c == '’' || c == '-')
}

/// A deterministic id slug: lower-case ASCII letters and digits joined by `-`.
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    push_slug(&mut out, name);
    out
}

/// Appends the [`slug`] of `name` to `out` (an id is built in one string, not from copies).
fn push_slug(out: &mut String, name: &str) {
    let start = out.len();
    let mut buf = String::new();
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        // An ASCII word (all letters and digits here) normalises to itself in lower case.
        if word.is_ascii() {
            if out.len() > start {
                out.push('-');
            }
            out.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
            continue;
        }
        crate::gazetteer::matcher::normalize_token(word, &mut buf);
        let mut kept = buf.chars().filter(char::is_ascii_alphanumeric).peekable();
        if kept.peek().is_none() {
            continue;
        }
        if out.len() > start {
            out.push('-');
        }
        out.extend(kept);
    }
    if out.len() == start {
        // Names with no ASCII letters at all: a stable hash keeps ids deterministic.
        out.push_str(&format!("x{:016x}", crate::output::fnv1a(name.as_bytes())));
    }
}

/// The id of an entity found from context: its type and the slug of its name.
fn context_id(kind: EntityType, name: &str) -> String {
    let mut id = String::with_capacity(kind.as_str().len() + 1 + name.len());
    id.push_str(kind.as_str());
    id.push(':');
    push_slug(&mut id, name);
    id
}

fn nominal_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"\b[Tt]he\s+(?P<num>two|three|four|both|three|2|3)?\s*(?P<mods>(?:(?:[A-Z][a-z]+|[a-z]+(?:-[a-z]+)?)\s+){0,3}?)(?P<head>company|firm|group|giant|conglomerate|maker|makers|automaker|automakers|carmaker|carmakers|car\s+maker|manufacturer|manufacturers|companies|firms|retailer|bank|lender|airline|carrier|insurer|operator|supplier|chipmaker|brand|corporation|business)\b",
        )
        .expect("nominal regex")
    })
}

/// Literals one of which every match of [`nominal_regex`] contains (its head words, which it
/// matches case-sensitively): sentences without any skip the capture search.
fn nominal_heads() -> &'static aho_corasick::AhoCorasick {
    static AC: OnceLock<aho_corasick::AhoCorasick> = OnceLock::new();
    AC.get_or_init(|| {
        // Only `is_match` is asked, the same under any match kind; a leftmost kind lets the
        // automaton use its SIMD prefilter (twice as fast over news text as the standard kind).
        aho_corasick::AhoCorasick::builder()
            .match_kind(aho_corasick::MatchKind::LeftmostFirst)
            .build([
                "company", "companies", "firm", "group", "giant", "conglomerate", "maker", "manufacturer", "retailer", "bank", "lender",
                "airline", "carrier", "insurer", "operator", "supplier", "brand", "corporation", "business",
            ])
            .expect("nominal heads")
    })
}

/// A word character for the regex crate's Unicode `\b`; ASCII (most neighbours in news text)
/// without the table search.
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || c == '_'
    } else {
        regex_syntax::is_word_character(c)
    }
}

/// Byte spans of the pronouns "it", "its", "It", "Its" in `s`: what `\b(?:[Ii]ts?)\b` finds
/// (Unicode word boundaries, the ends of `s` counting as non-word), without the regex, which
/// is slow to confirm the many `t`s of English text.
#[cfg(test)]
fn pronoun_spans(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    pronoun_candidates(s).into_iter().filter_map(move |start| pronoun_end(s, start).map(|end| (start, end)))
}

/// The byte offsets of "it" and "It" in `text`, in order: where a pronoun may start. One
/// vector search of the whole text per form: far fewer hits than its `t`s, and no search
/// set-up per sentence.
fn pronoun_candidates(text: &str) -> Vec<usize> {
    static FINDERS: OnceLock<[memchr::memmem::Finder<'static>; 2]> = OnceLock::new();
    let [lower, upper] = FINDERS.get_or_init(|| [memchr::memmem::Finder::new("it"), memchr::memmem::Finder::new("It")]);
    let mut starts: Vec<usize> = lower.find_iter(text.as_bytes()).collect();
    let before = starts.len();
    starts.extend(upper.find_iter(text.as_bytes()));
    if starts.len() > before {
        starts.sort_unstable();
    }
    starts
}

/// The end of the pronoun starting at byte `start` of `s` (on "it" or "It"), if it is one:
/// a word boundary before it, and after its `t` or its `s` ("its"); the ends of `s` count
/// as non-word.
fn pronoun_end(s: &str, start: usize) -> Option<usize> {
    let b = s.as_bytes();
    let word_before = |i: usize| s[..i].chars().next_back().is_some_and(is_word_char);
    let word_at = |i: usize| s[i..].chars().next().is_some_and(is_word_char);
    if word_before(start) {
        return None;
    }
    let t = start + 1;
    // "its" when a boundary follows the `s`, else "it" when one follows the `t`.
    if b.get(t + 1) == Some(&b's') && !word_at(t + 2) {
        Some(t + 2)
    } else if !word_at(t + 1) {
        Some(t + 1)
    } else {
        None
    }
}

/// Analyses an article: segmentation, entities and anchors.
pub fn analyze(gaz: &Gazetteer, article: &Article) -> Analysis {
    let text = article.text.as_str();
    let title = article.title.as_deref().unwrap_or("");
    let seg = segment(text);
    let title_seg = crate::segment::Segmentation {
        tokens: crate::segment::tokenize(title),
        sentences: Vec::new(),
        dateline: None,
    };
    let mut cands = Vec::new();
    gather(gaz, title, &title_seg, Field::Title, &mut cands);
    gather(gaz, text, &seg, Field::Text, &mut cands);
    drop_person_surnames(gaz, text, title, &seg, &title_seg, &mut cands);
    drop_non_names(gaz, text, title, &seg, &title_seg, &mut cands);
    link_company_short_forms(gaz, text, title, &mut cands);

    // Evidence: entries named unambiguously, and their families.
    let mut evidence: FxHashMap<u32, u32> = FxHashMap::default();
    for c in &cands {
        if let Some(e) = single_entry(&c.targets).filter(|_| !(c.sentence_initial && c.targets[0].2)) {
            *evidence.entry(e).or_default() += 2;
        }
    }
    let family_bonus: Vec<(u32, u32)> = evidence
        .keys()
        .flat_map(|&e| {
            let entry = gaz.entry(e);
            let mut v = Vec::new();
            if let Some(p) = entry.parent.as_deref().and_then(|p| gaz.index_of(p)) {
                v.push((p, 1));
            }
            v
        })
        .collect();
    for (e, b) in family_bonus {
        *evidence.entry(e).or_default() += b;
    }

    // Lower-case words of the article, for the cue words of colliding names ("BIS" near
    // "central bank" vs near "export controls"): only the forms of those cue words are kept.
    // Built on first use: only colliding names need it.
    let doc_words_cell: std::cell::OnceCell<FxHashSet<String>> = std::cell::OnceCell::new();
    let doc_words = || {
        doc_words_cell.get_or_init(|| {
            let mut colliding: Vec<u32> = cands.iter().filter(|c| c.targets.len() > 1).flat_map(|c| c.targets.iter().map(|t| t.0)).collect();
            colliding.sort_unstable();
            colliding.dedup();
            let wanted = colliding.iter().flat_map(|&e| cue_words(&gaz.entry(e).name)).flat_map(|w| cue_forms(&w).collect::<Vec<_>>()).collect();
            words_among(&[title, text], wanted)
        })
    };
    // How often the article names each country, itself or by anything of it (a place, a
    // party, a ministry; an ambiguous name read as its first entry: "London" is London, UK).
    // Built on first use.
    let place_countries_cell: std::cell::OnceCell<FxHashMap<&str, u32>> = std::cell::OnceCell::new();
    let place_countries = || {
        place_countries_cell.get_or_init(|| {
            let mut m: FxHashMap<&str, u32> = FxHashMap::default();
            for c in &cands {
                let first = c.targets.iter().map(|t| t.0).min();
                let country_of = |x: u32| gaz.entry(x).country.as_deref();
                let place = first.is_some_and(|x| matches!(gaz.entry(x).kind, EntityType::Country | EntityType::Location));
                // Bodies of several countries sharing a name ("Supreme Court") say nothing.
                if !place && c.targets.iter().any(|t| country_of(t.0) != first.and_then(country_of)) {
                    continue;
                }
                if let Some(cc) = first.and_then(country_of) {
                    *m.entry(cc).or_default() += 1;
                }
            }
            m
        })
    };
    // Each colliding entry's document support, computed once: a name repeated in the
    // article asks for the same entries again and again.
    let mut support: FxHashMap<u32, u32> = FxHashMap::default();
    let countries = Countries::new(gaz);
    let mut entities: Vec<DocEntity> = Vec::new();
    let mut by_entry: FxHashMap<u32, usize> = FxHashMap::default();
    let mut by_id: FxHashMap<String, usize> = FxHashMap::default();
    let mut anchors: Vec<Anchor> = Vec::new();
    let mut covered: Vec<(Field, usize, usize)> = Vec::new();

    // End of the last company unit name ("EADS North America"): candidates inside it are
    // part of that name.
    let mut unit_until: Option<(Field, usize)> = None;
    for c in &cands {
        if unit_until.is_some_and(|(f, e)| f == c.field && c.start < e) {
            continue;
        }
        // Choose the best-supported entry; ties go to load order.
        let best = if let Some(e) = single_entry(&c.targets) {
            e
        } else {
            *dedup_entries(&c.targets)
                .iter()
                .max_by_key(|&&e| {
                    let named = c.targets.iter().any(|t| t.0 == e && t.1 == Form::Name);
                    // Ties between bodies ("the Treasury": US or UK) go to the country the
                    // article names most, itself or by its places ("London"); places keep
                    // their load order (largest first).
                    let body = matches!(gaz.entry(e).kind, EntityType::Government | EntityType::Organization);
                    let country_weight: u32 = match gaz.entry(e).country.as_deref().filter(|_| body) {
                        Some(cc) => place_countries().get(cc).copied().unwrap_or(0),
                        None => 0,
                    };
                    // With no country named, the body known under more names (the more
                    // prominent one: the US Supreme Court over Canada's) wins.
                    let prominence = if body { gaz.entry(e).aliases.len() } else { 0 };
                    let support = *support.entry(e).or_insert_with(|| context_support(gaz, &countries, e, &evidence, doc_words()));
                    (evidence.get(&e).copied().unwrap_or(0) + support, named, country_weight, prominence, std::cmp::Reverse(e))
                })
                .expect("non-empty targets")
        };
        let (form, common) = c.targets.iter().find(|t| t.0 == best).map(|t| (t.1, t.2)).unwrap_or((Form::Name, false));
        if common && c.sentence_initial && evidence.get(&best).copied().unwrap_or(0) < 2 {
            let (tokens, txt) = if c.field == Field::Title { (&title_seg.tokens, title) } else { (&seg.tokens, text) };
            if !name_like_continuation(txt, tokens, c.last_token) {
                continue;
            }
        }
        let entry = gaz.entry(best);
        let (start, end) = if entry.kind == EntityType::Company {
            let (tokens, txt) = if c.field == Field::Title { (&title_seg.tokens, title) } else { (&seg.tokens, text) };
            extend_legal(txt, tokens, c.first_token, c.last_token)
        } else {
            (c.start, c.end)
        };
        // A competition, prize or building named after a sponsor ("Heineken Cup", "Barclays
        // Premiership", "Emirates Stadium") is not the company.
        if entry.kind == EntityType::Company && form != Form::Demonym {
            let (tokens, txt) = if c.field == Field::Title { (&title_seg.tokens, title) } else { (&seg.tokens, text) };
            if sponsored_name(txt, tokens, c.last_token) {
                continue;
            }
        }
        // A unit named after its company ("Lockheed Martin Aeronautics", "PepsiCo
        // International", "EADS North America") is an entity of its own, its parent the company.
        if entry.kind == EntityType::Company && form != Form::Demonym && c.field == Field::Text {
            if let Some(end_tok) = unit_tail(text, &seg.tokens, c.last_token) {
                let e = seg.tokens[end_tok - 1].end;
                let name = &text[c.start..e];
                let known = by_id.contains_key(&context_id(EntityType::Company, name));
                let idx = add_context_entity(&mut entities, &mut by_id, EntityType::Company, name, Mention { field: c.field, start, end: e, form: MentionForm::Context });
                if !known {
                    entities[idx].parent = Some(entry.id.clone());
                    entities[idx].subtype = entry.subtype.as_deref().map(str::to_string);
                }
                covered.push((c.field, start, e));
                anchors.push(Anchor { start, end: e, entities: vec![idx], kind: AnchorKind::Name, sentence: sentence_of(&seg, start) });
                unit_until = Some((c.field, e));
                continue;
            }
        }
        let idx = linked_entity(gaz, best, &mut entities, &mut by_entry, &mut by_id);
        let mform = if form == Form::Demonym { MentionForm::Demonym } else { MentionForm::Name };
        entities[idx].mentions.push(Mention { field: c.field, start, end, form: mform });
        covered.push((c.field, c.start, c.end));
        // A body named with its country ("US Treasury", "U.S. Customs", "Bank of Japan")
        // names the country too: record that country mention (no anchor: the body is the
        // argument; the event stage adds the country of a government argument itself).
        if matches!(entry.kind, EntityType::Government | EntityType::Organization) {
            let txt = if c.field == Field::Title { title } else { text };
            if let Some((ci, cs, ce)) = nested_country(gaz, &countries, entry, txt, start, end) {
                let cidx = linked_entity(gaz, ci, &mut entities, &mut by_entry, &mut by_id);
                entities[cidx].mentions.push(Mention { field: c.field, start: cs, end: ce, form: MentionForm::Name });
            }
        }
        if c.field == Field::Text {
            let sentence = sentence_of(&seg, start);
            let kind = if mform == MentionForm::Demonym { AnchorKind::Demonym } else { AnchorKind::Name };
            anchors.push(Anchor { start, end, entities: vec![idx], kind, sentence });
        }
    }

    // Unknown companies named with a legal suffix, and people from context.
    let mut singles = Vec::new();
    for (field, txt, sg) in [(Field::Title, title, &title_seg), (Field::Text, text, &seg)] {
        context_entities(gaz, txt, sg, field, &mut covered, &mut entities, &mut by_id, &mut anchors, &mut singles);
    }
    // One-word names after a title ("Mr Kvasov", "President Bush"): the person already named
    // in full with that last word, else a person of that one name.
    for (field, s, e) in singles {
        let txt = if field == Field::Title { title } else { text };
        let w = &txt[s..e];
        let full: Vec<usize> = (0..entities.len())
            .filter(|&k| entities[k].kind == EntityType::Person && entities[k].name.split_whitespace().last() == Some(w))
            .collect();
        let mention = Mention { field, start: s, end: e, form: MentionForm::Short };
        let idx = if full.len() == 1 {
            entities[full[0]].mentions.push(mention);
            full[0]
        } else {
            add_context_entity(&mut entities, &mut by_id, EntityType::Person, w, Mention { form: MentionForm::Context, ..mention })
        };
        covered.push((field, s, e));
        if field == Field::Text {
            anchors.push(Anchor { start: s, end: e, entities: vec![idx], kind: AnchorKind::Name, sentence: sentence_of(&seg, s) });
        }
    }
    link_short_forms(text, title, &seg, &title_seg, &mut entities, &mut by_id, &mut anchors, &covered);

    anchors.sort_by_key(|a| (a.start, a.end));
    resolve_references(text, &seg, &entities, &mut anchors);
    anchors.sort_by_key(|a| (a.start, a.end));

    for e in &mut entities {
        e.mentions.sort_by_key(|m| (m.field, m.start));
        e.mentions.dedup_by_key(|m| (m.field, m.start));
    }
    // Order entities by first mention (title first), stable.
    entities.iter_mut().for_each(|_| ());
    let mut order: Vec<usize> = (0..entities.len()).collect();
    order.sort_by_key(|&i| entities[i].mentions.first().map(|m| (m.field, m.start)).unwrap_or((Field::Text, usize::MAX)));
    let mut remap = vec![0usize; entities.len()];
    for (new, &old) in order.iter().enumerate() {
        remap[old] = new;
    }
    let mut sorted: Vec<Option<DocEntity>> = entities.into_iter().map(Some).collect();
    let entities: Vec<DocEntity> = order.iter().map(|&i| sorted[i].take().expect("each once")).collect();
    for a in &mut anchors {
        for e in &mut a.entities {
            *e = remap[*e];
        }
    }
    Analysis { seg, title_seg, entities, anchors }
}

/// The words of at least four bytes in `texts`, lower-cased, that are `wanted`. A word is a
/// maximal run of letters and digits.
///
/// A text is lower-cased once in ASCII, and each wanted word of ASCII letters and digits is
/// searched for (`memchr::memmem`) and checked for a letter or digit on either side. An
/// article asks for a handful of words (4.6 on average over the BBC texts at 1M names, 22 at
/// most), and a few vectorised searches cost less than visiting each of its some 450 words.
/// Other wanted words (`société`), and all of them when there are more than
/// [`SEARCHED_WORDS`] (a search per word would make a long article cost its length times
/// their number), are looked for among the text's words.
fn words_among(texts: &[&str], mut wanted: FxHashSet<String>) -> FxHashSet<String> {
    // Shorter words are never wanted (`cue_words`), but a form may be (`cue_forms`).
    wanted.retain(|w| w.len() >= 4);
    let search = wanted.len() <= SEARCHED_WORDS;
    let mut found = FxHashSet::default();
    let (mut lower, mut word) = (Vec::new(), String::new());
    for &t in texts {
        if wanted.is_empty() {
            break;
        }
        let ascii = t.is_ascii();
        // A word lower-cased to ASCII letters and digits is ASCII in the text too, unless it
        // holds a Kelvin sign, the one other character that lower-cases to one of them.
        let searchable = search && (ascii || !t.contains('\u{212A}'));
        if searchable {
            lower.clear();
            lower.extend_from_slice(t.as_bytes());
            lower.make_ascii_lowercase();
            found.extend(wanted.extract_if(|w| w.bytes().all(|b| b.is_ascii_alphanumeric()) && occurs_as_word(t, &lower, w.as_bytes())));
        }
        // What is left is found only as a word with other characters, which ASCII text has not.
        if searchable && (ascii || wanted.iter().all(|w| w.is_ascii())) {
            continue;
        }
        for w in t.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4) {
            let hit = if w.is_ascii() {
                word.clear();
                word.push_str(w);
                word.make_ascii_lowercase();
                wanted.take(word.as_str())
            } else {
                wanted.take(w.to_lowercase().as_str())
            };
            // Moved, not copied: each wanted word is found once.
            if let Some(w) = hit {
                found.insert(w);
                if wanted.is_empty() {
                    break;
                }
            }
        }
    }
    found
}

/// At most this many wanted words are searched for one by one (4.6 an article on average over
/// the BBC texts at 1M names, 22 at most); more are looked for among the text's words.
const SEARCHED_WORDS: usize = 32;

/// Does the ASCII `word` occur in `text` (`lower` is `text` lower-cased in ASCII) with no
/// letter or digit on either side? (The match is ASCII, so both its ends are character
/// boundaries of `text`.)
fn occurs_as_word(text: &str, lower: &[u8], word: &[u8]) -> bool {
    let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    memchr::memmem::find_iter(lower, word).any(|s| edge(text[..s].chars().next_back()) && edge(text[s + word.len()..].chars().next()))
}

/// The cue words of a name: its content words of four bytes or more, lower-cased.
fn cue_words(name: &str) -> impl Iterator<Item = String> + '_ {
    const GENERIC: &[&str] = &["international", "national", "department", "bureau", "office", "agency", "commission", "company", "group", "corporation", "limited", "united", "states", "with", "from"];
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4).map(str::to_lowercase).filter(|w| !GENERIC.contains(&w.as_str()))
}

/// The forms a cue word is found by in the article: itself, its plural, its singular.
fn cue_forms(w: &str) -> impl Iterator<Item = String> + '_ {
    [Some(w.to_string()), Some(format!("{w}s")), w.strip_suffix('s').map(str::to_string)].into_iter().flatten()
}

/// The entry `country:cc` of each country code, looked up once per article:
/// [`Gazetteer::index_of`] is a binary search over every id (some 20 string comparisons at
/// 1M names), and each body of a country asks for the same entry again.
struct Countries<'g> {
    gaz: &'g Gazetteer,
    memo: std::cell::RefCell<FxHashMap<&'g str, Option<u32>>>,
}

impl<'g> Countries<'g> {
    fn new(gaz: &'g Gazetteer) -> Self {
        Countries { gaz, memo: Default::default() }
    }

    /// The entry of country code `cc` (two ASCII capitals: the loader refuses anything else).
    fn of(&self, cc: &'g str) -> Option<u32> {
        if let Some(&i) = self.memo.borrow().get(cc) {
            return i;
        }
        let i = self.gaz.index_of(&format!("country:{}", cc.to_ascii_lowercase()));
        self.memo.borrow_mut().insert(cc, i);
        i
    }
}

/// Document support for one of several entries sharing a surface form ("BIS", "SEC"): its
/// parent named in the article (the Commerce Department for the Bureau of Industry and
/// Security), its country named, and the content words of its full name or its cue words
/// ("bank", "settlements"; "export") present in the text.
fn context_support<'g>(gaz: &'g Gazetteer, countries: &Countries<'g>, e: u32, evidence: &FxHashMap<u32, u32>, doc_words: &FxHashSet<String>) -> u32 {
    let entry = gaz.entry(e);
    let mut score = 0;
    if entry.parent.as_deref().and_then(|p| gaz.index_of(p)).is_some_and(|p| evidence.contains_key(&p)) {
        score += 2;
    }
    if let Some(cc) = entry.country.as_deref() {
        if countries.of(cc).is_some_and(|c| evidence.contains_key(&c)) {
            score += 1;
        }
    }
    let hits = cue_words(&entry.name).filter(|w| cue_forms(w).any(|f| doc_words.contains(&f))).count() as u32;
    score + hits.min(2)
}

/// After a sentence-initial ordinary word ("Apple", "Shell"), does the next token show it is
/// used as a name? A possessive, or a finite verb ("Apple pays", "Shell said", "Apple has").
fn name_like_continuation(text: &str, tokens: &[crate::segment::Token], next: usize) -> bool {
    let Some(t) = tokens.get(next) else { return false };
    if t.kind == TokenKind::Possessive {
        return true;
    }
    let w = t.text(text);
    if t.kind != TokenKind::Word || !w.chars().all(|c| c.is_ascii_lowercase()) {
        return false;
    }
    matches!(w, "has" | "had" | "is" | "was" | "will" | "would" | "said" | "says" | "announced" | "reported" | "plans" | "agreed" | "sued" | "bought" | "sold" | "cut" | "won" | "lost" | "made" | "and")
        || (w.len() > 3 && (w.ends_with("ed") || (w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us"))))
}

/// The country named inside a government or organisation name, as a whole-word, same-case
/// occurrence of the country's name, alias or demonym: `(country entry, byte start, byte end)`.
fn nested_country<'g>(gaz: &'g Gazetteer, countries: &Countries<'g>, body: &'g crate::gazetteer::Entry, text: &str, start: usize, end: usize) -> Option<(u32, usize, usize)> {
    let cc = body.country.as_deref()?;
    let ci = countries.of(cc)?;
    let country = gaz.entry(ci);
    let span = &text[start..end];
    let forms = std::iter::once(&*country.name).chain(country.aliases.iter().map(|a| &**a)).chain(country.demonyms.iter().map(|d| &**d));
    let mut best: Option<(usize, usize)> = None;
    for f in forms {
        let f = f.trim_start_matches('=');
        if f.is_empty() || f.len() > span.len() {
            continue;
        }
        for (k, _) in span.match_indices(f) {
            let before_ok = span[..k].chars().next_back().is_none_or(|ch| !ch.is_alphanumeric());
            let after_ok = span[k + f.len()..].chars().next().is_none_or(|ch| !ch.is_alphanumeric() && ch != '.' || f.ends_with('.'));
            if before_ok && after_ok && best.is_none_or(|(_, l)| f.len() > l) {
                best = Some((k, f.len()));
            }
        }
    }
    best.map(|(k, l)| (ci, start + k, start + k + l))
}

/// The entry of `targets` when they all name one (most candidates): [`dedup_entries`] of
/// length one, without its vector.
fn single_entry(targets: &[(u32, Form, bool)]) -> Option<u32> {
    let (first, rest) = targets.split_first()?;
    rest.iter().all(|t| t.0 == first.0).then_some(first.0)
}

fn dedup_entries(targets: &[(u32, Form, bool)]) -> Vec<u32> {
    let mut v: Vec<u32> = targets.iter().map(|t| t.0).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Index of the sentence containing byte `pos` (or the nearest before it).
pub fn sentence_of(seg: &Segmentation, pos: usize) -> usize {
    match seg.sentences.binary_search_by(|s| if s.end <= pos { std::cmp::Ordering::Less } else if s.start > pos { std::cmp::Ordering::Greater } else { std::cmp::Ordering::Equal }) {
        Ok(i) => i,
        Err(i) => i.saturating_sub(1),
    }
}

/// A one-word gazetteer match right after a capitalised first name is that person's surname
/// ("Fritz Henderson", "Stephen Toulouse", "Ratan Tata"): the match is dropped there, and
/// elsewhere too when nothing longer in the article names its entry (or it is a place).
/// Whether token `p` opens a sentence or a quotation (first token, or after `.`, `:`, a quote…).
fn opens_sentence(tokens: &[crate::segment::Token], text: &str, p: usize) -> bool {
    p == 0 || matches!(tokens[p - 1].text(text), "." | "\"" | "“" | ":" | "?" | "!")
}

/// Whether token `k` of `field` lies inside a gazetteer candidate.
fn in_candidate(cands: &[Candidate], field: Field, k: usize) -> bool {
    cands.iter().any(|o| o.field == field && o.first_token <= k && k < o.last_token)
}

fn drop_person_surnames(gaz: &Gazetteer, text: &str, title: &str, seg: &Segmentation, title_seg: &Segmentation, cands: &mut Vec<Candidate>) {
    let mut surnames: Vec<String> = Vec::new();
    let mut drop = vec![false; cands.len()];
    // Whether a line is a headline in Title Case, by field and line start, judged once per
    // line: body text without line breaks is one long line, read whole by each judgement.
    let headlines: std::cell::RefCell<FxHashMap<(Field, usize), bool>> = Default::default();
    let headline = |field: Field, txt: &str, at: usize| {
        let line = line_of(txt, at);
        let key = (field, line.as_ptr() as usize - txt.as_ptr() as usize);
        *headlines.borrow_mut().entry(key).or_insert_with(|| all_caps_or_title_case(line))
    };
    for (ci, c) in cands.iter().enumerate() {
        if c.last_token != c.first_token + 1 || c.first_token == 0 {
            continue;
        }
        let (tokens, txt) = if c.field == Field::Title { (&title_seg.tokens, title) } else { (&seg.tokens, text) };
        let surname = tokens[c.first_token].text(txt);
        let p = c.first_token - 1;
        let pw = tokens[p].text(txt);
        // After a given name ("Mary Barra"), after a title ("Sir Clive Woodward", "Mr Moody")
        // or after another capitalised word that is no ordinary word ("Alastair Campbell"),
        // a one-word company name in title case is a surname.
        // Evaluated last, and only when the cheap tests pass: the look-ups lower-case the
        // word, and the headline test reads the whole line.
        let person_before = || {
            gaz.is_first_name(pw)
                || (is_strong_title(pw) && is_title_case(surname))
                || (is_title_case(surname)
                    && is_title_case(pw)
                    && c.targets.iter().all(|t| gaz.entry(t.0).kind == EntityType::Company)
                    && !opens_sentence(tokens, txt, p)
                    && !is_not_name(pw)
                    && !gaz.is_common_word(pw)
                    && !headline(c.field, txt, c.start))
        };
        if tokens[p].kind == TokenKind::Word
            && is_cap_word(pw)
            && is_cap_word(surname)
            && !in_candidate(cands, c.field, p)
            && &txt[tokens[p].end..tokens[c.first_token].start] == " "
            && !c.targets.iter().any(|t| gaz.entry(t.0).kind == EntityType::Country)
            && person_before()
        {
            drop[ci] = true;
            surnames.push(surname.to_string());
        }
    }
    let long: Vec<u32> = cands.iter().filter(|c| c.last_token > c.first_token + 1).flat_map(|c| c.targets.iter().map(|t| t.0)).collect();
    for (ci, c) in cands.iter().enumerate() {
        if drop[ci] || c.last_token != c.first_token + 1 {
            continue;
        }
        let txt = if c.field == Field::Title { title } else { text };
        if !surnames.iter().any(|s| s == &txt[c.start..c.end]) {
            continue;
        }
        drop[ci] = c.targets.iter().all(|t| gaz.entry(t.0).kind == EntityType::Location || !long.contains(&t.0));
    }
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        !drop[k - 1]
    });
}

/// Drops matches that are not names of entities in context:
/// - a company name used for its stock index ("the Nikkei average", "the Nasdaq index");
/// - an ordinary-word name right after another capitalised word of a longer proper name
///   ("iPod Mini", "Big Apple");
/// - "The X" names (newspapers, magazines) matched without their article ("New Yorker
///   William Trowbridge" is a resident of New York, "the New Yorker" the magazine).
fn drop_non_names(gaz: &Gazetteer, text: &str, title: &str, seg: &Segmentation, title_seg: &Segmentation, cands: &mut Vec<Candidate>) {
    let mut keep = vec![true; cands.len()];
    for (ci, c) in cands.iter().enumerate() {
        let (tokens, txt) = if c.field == Field::Title { (&title_seg.tokens, title) } else { (&seg.tokens, text) };
        let word = |k: usize| tokens.get(k).map_or("", |t| t.text(txt));
        let companies = c.targets.iter().all(|t| gaz.entry(t.0).kind == EntityType::Company);
        // Stock index: "Nikkei average", "Nasdaq Composite", "Dow Jones Industrial Average".
        let mut k = c.last_token;
        while k < tokens.len() && k < c.last_token + 3 && is_cap_word(word(k)) && !matches!(word(k), "Index" | "Average" | "Composite") {
            k += 1;
        }
        if companies && matches!(word(k), "index" | "Index" | "average" | "Average" | "Composite" | "indices" | "indexes") {
            keep[ci] = false;
            continue;
        }
        // A name particle opening a person's name ("Van Nistelrooy", "De Villiers") is not
        // the town or company of that one word.
        if c.last_token == c.first_token + 1
            && c.last_token < tokens.len()
            && &txt[tokens[c.first_token].end..tokens[c.last_token].start] == " "
            && is_title_case(word(c.last_token))
            && is_particle(&txt[c.start..c.end].to_lowercase())
        {
            keep[ci] = false;
            continue;
        }
        // Ordinary word glued to a preceding capitalised word ("iPod Mini").
        if c.targets.iter().all(|t| t.2) && c.first_token > 0 {
            let p = c.first_token - 1;
            let pw = word(p);
            let glued = &txt[tokens[p].end..tokens[c.first_token].start] == " ";
            let proper = tokens[p].kind == TokenKind::Word
                && pw.chars().any(char::is_uppercase)
                && !is_not_name(pw)
                && !is_title(pw)
                && !in_candidate(cands, c.field, p);
            let sentence_start = opens_sentence(tokens, txt, p);
            if glued && proper && !(sentence_start && is_cap_word(pw) && !pw.chars().skip(1).any(char::is_uppercase)) {
                keep[ci] = false;
                continue;
            }
        }
        // "The X" without its article.
        let the_names = c.targets.iter().all(|t| {
            let e = gaz.entry(t.0);
            e.name.starts_with("The ") && txt[c.start..c.end].len() + 4 == e.name.len() && t.1 != Form::Demonym
        });
        if the_names && c.field == Field::Text && !(c.first_token > 0 && word(c.first_token - 1).eq_ignore_ascii_case("the")) {
            keep[ci] = false;
        }
    }
    let mut k = 0;
    cands.retain(|_| {
        k += 1;
        keep[k - 1]
    });
}

/// A one-word company match that is the first word of a longer company name in the article
/// ("Samsung" after "Samsung Electronics", "Alcatel" with "Alcatel-Lucent", "Tata" with "Tata
/// Steel") names that company: the nearest such name before it, else the first after it.
fn link_company_short_forms(gaz: &Gazetteer, text: &str, title: &str, cands: &mut [Candidate]) {
    let src = |c: &Candidate| if c.field == Field::Title { title } else { text };
    let is_company = |c: &Candidate| c.targets.iter().all(|t| gaz.entry(t.0).kind == EntityType::Company);
    /// A company name of several words: where it is, its first word, its entries.
    struct Long {
        field: Field,
        start: usize,
        first: String,
        targets: Vec<(u32, Form, bool)>,
    }
    let long: Vec<Long> = cands
        .iter()
        .filter(|c| c.last_token > c.first_token + 1 && is_company(c))
        .map(|c| {
            let s = &src(c)[c.start..c.end];
            let first = s.split([' ', '-']).next().unwrap_or("").to_string();
            Long { field: c.field, start: c.start, first, targets: c.targets.clone() }
        })
        .collect();
    if long.is_empty() {
        return;
    }
    for c in cands.iter_mut() {
        if c.last_token != c.first_token + 1 || !is_company(c) {
            continue;
        }
        let w = &src(c)[c.start..c.end];
        // A short form naming the parent of the longer name ("GM" after "GM Europe" in an
        // article that also names General Motors in full) refers to the parent, not the unit.
        let names_parent = |l: &Long| {
            l.targets.iter().any(|t| {
                gaz.entry(t.0)
                    .parent
                    .as_deref()
                    .and_then(|p| gaz.index_of(p))
                    .is_some_and(|p| c.targets.iter().any(|u| u.0 == p) && long.iter().any(|o| o.targets.iter().any(|u| u.0 == p)))
            })
        };
        let same: Vec<&Long> = long
            .iter()
            .filter(|l| l.first == w && !l.targets.iter().any(|t| c.targets.iter().any(|u| u.0 == t.0)) && !names_parent(l))
            .collect();
        let pos = (c.field, c.start);
        let at = |l: &&&Long| (l.field, l.start);
        let pick = same.iter().filter(|l| at(l) < pos).max_by_key(at).or_else(|| same.iter().min_by_key(at));
        if let Some(l) = pick {
            c.targets = l.targets.iter().map(|t| (t.0, Form::Alias, false)).collect();
        }
    }
}

fn gather(gaz: &Gazetteer, text: &str, seg: &Segmentation, field: Field, out: &mut Vec<Candidate>) {
    if seg.tokens.is_empty() {
        return;
    }
    let m = gaz.matcher();
    let ids = m.token_ids(text, &seg.tokens);
    let mut ranges: Vec<std::ops::Range<usize>> = Vec::new();
    if field == Field::Title {
        ranges.push(0..seg.tokens.len());
    } else {
        if let Some(d) = &seg.dateline {
            let a = seg.tokens.partition_point(|t| t.start < d.start);
            let b = seg.tokens.partition_point(|t| t.start < d.end);
            ranges.push(a..b);
        }
        ranges.extend(seg.sentences.iter().map(|s| s.first_token..s.last_token));
    }
    let mut found = Vec::new();
    for r in ranges {
        let first = r.start;
        found.clear();
        m.find(text, &seg.tokens, &ids, r, &mut found);
        for mm in &found {
            // Sentence-initial: first token, or right after an opening quote/bracket.
            let initial = mm.first_token == first
                || (mm.first_token == first + 1 && matches!(seg.tokens[first].text(text), "\"" | "“" | "'" | "‘" | "("));
            out.push(Candidate {
                field,
                start: mm.start,
                end: mm.end,
                first_token: mm.first_token,
                last_token: mm.last_token,
                sentence_initial: initial || field == Field::Title && all_caps_or_title_case(text),
                targets: mm.targets.iter().map(|t| (t.entry, t.form, t.common && t.policy == CasePolicy::Cased)).collect(),
            });
        }
    }
}

/// Words that, right after a company's name, name one of its units ("GE Capital", "PepsiCo
/// International", "Lockheed Martin Aeronautics", "Toyota Motor Europe").
const UNIT_WORDS: &[&str] = &[
    "International", "Global", "Europe", "Asia", "Americas", "Africa", "Aeronautics", "Aerospace", "Capital",
    "Securities", "Ventures", "Research", "Labs", "Financial", "Finance", "Credit", "Leasing", "Insurance",
    "Holdings", "Services", "Pictures", "Studios",
];

/// Heads of names given to competitions, prizes and buildings after a sponsor.
const SPONSORED_HEADS: &[&str] = &[
    "Cup", "Trophy", "Championship", "Championships", "Premiership", "League", "Open", "Masters", "Classic",
    "Marathon", "Run", "Prize", "Award", "Awards", "Festival", "Stadium", "Arena", "Park", "Tower", "Bowl",
    "Theatre", "Theater",
];

/// Whether a sponsored-name head follows the name ending at token `next`.
fn sponsored_name(text: &str, toks: &[crate::segment::Token], next: usize) -> bool {
    next < toks.len() && next > 0 && &text[toks[next - 1].end..toks[next].start] == " " && SPONSORED_HEADS.contains(&toks[next].text(text))
}

/// Two-word units: regions ("North America", "Asia Pacific") and fund names.
const UNIT_PAIRS: &[(&str, &str)] = &[
    ("North", "America"), ("Latin", "America"), ("South", "America"), ("Asia", "Pacific"), ("Middle", "East"),
    ("Mutual", "Fund"), ("Asset", "Management"), ("Investment", "Management"), ("Financial", "Services"),
];

/// The unit words after a company name ending at token `next` (one past its last token), as
/// one past the unit's last token; `None` when no unit word follows.
fn unit_tail(text: &str, toks: &[crate::segment::Token], next: usize) -> Option<usize> {
    let word = |k: usize| toks[k].text(text);
    let spaced = |k: usize| k < toks.len() && k > 0 && &text[toks[k - 1].end..toks[k].start] == " ";
    let mut j = next;
    loop {
        if spaced(j) && spaced(j + 1) && UNIT_PAIRS.contains(&(word(j), word(j + 1))) {
            j += 2;
        } else if spaced(j) && UNIT_WORDS.contains(&word(j)) {
            j += 1;
        } else {
            break;
        }
    }
    // The unit is a name only if it ends there: "Apple International sales" is fine, but not
    // a longer capitalised run we cannot read ("Ford Credit Union Bank").
    if j == next || (j < toks.len() && spaced(j) && is_cap_word(word(j)) && !is_not_name(word(j))) {
        return None;
    }
    Some(j)
}

/// The line of `text` around byte `at` (a headline in plain text is a line of its own).
fn line_of(text: &str, at: usize) -> &str {
    let a = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let b = text[at..].find('\n').map_or(text.len(), |i| at + i);
    &text[a..b]
}

/// Headlines in Title Case give no case evidence for ordinary words.
fn all_caps_or_title_case(title: &str) -> bool {
    let words: Vec<&str> = title.split_whitespace().filter(|w| w.chars().next().is_some_and(char::is_alphabetic)).collect();
    let caps = words.iter().filter(|w| w.chars().next().is_some_and(char::is_uppercase)).count();
    words.len() >= 3 && caps * 10 >= words.len() * 8
}

/// Extends a company mention over a following legal suffix (", Inc.", " Co., Ltd.") and a
/// leading "PT".
fn extend_legal(text: &str, tokens: &[crate::segment::Token], first: usize, last: usize) -> (usize, usize) {
    let mut start = tokens[first].start;
    if first > 0 && tokens[first - 1].text(text) == "PT" && text[tokens[first - 1].end..tokens[first].start] == *" " {
        start = tokens[first - 1].start;
    }
    let mut end = tokens[last - 1].end;
    let mut j = last;
    // The name itself ends in a suffix ("Apple Inc", "Samsung Electronics Co"): keep its dot.
    if is_legal_suffix(tokens[last - 1].text(text)) && j < tokens.len() && tokens[j].text(text) == "." && tokens[j].start == end {
        let after_dot_is_end = j + 1 >= tokens.len() || text[tokens[j].end..tokens[j + 1].start].contains('\n');
        if !after_dot_is_end {
            end = tokens[j].end;
            j += 1;
        }
    }
    loop {
        let mut k = j;
        if k < tokens.len() && tokens[k].text(text) == "," && k + 1 < tokens.len() && is_legal_suffix(tokens[k + 1].text(text)) {
            k += 1;
        }
        if k < tokens.len() && is_legal_suffix(tokens[k].text(text)) && text[tokens[k - 1].end..tokens[k].start].len() <= 1 && !text[tokens[k - 1].end..tokens[k].start].contains('\n') {
            end = tokens[k].end;
            j = k + 1;
            // "Inc." / "Co." keep their dot.
            if j < tokens.len() && tokens[j].text(text) == "." && tokens[j].start == end && tokens[k].text(text).len() <= 4 && !tokens[k].text(text).ends_with('.') {
                let after_dot_is_end = j + 1 >= tokens.len() || text[tokens[j].end..tokens[j + 1].start].contains('\n');
                if !after_dot_is_end {
                    end = tokens[j].end;
                    j += 1;
                }
            }
            continue;
        }
        break;
    }
    (start, end)
}

fn overlaps(covered: &[(Field, usize, usize)], field: Field, s: usize, e: usize) -> bool {
    covered.iter().any(|&(f, a, b)| f == field && a < e && s < b)
}

/// The document entity of gazetteer entry `e`, created on its first mention.
fn linked_entity(gaz: &Gazetteer, e: u32, entities: &mut Vec<DocEntity>, by_entry: &mut FxHashMap<u32, usize>, by_id: &mut FxHashMap<String, usize>) -> usize {
    *by_entry.entry(e).or_insert_with(|| {
        let entry = gaz.entry(e);
        entities.push(DocEntity {
            entry: Some(e),
            id: entry.id.clone(),
            name: entry.name.clone(),
            kind: entry.kind,
            subtype: entry.subtype.as_deref().map(str::to_string),
            country: entry.country.as_deref().map(str::to_string),
            parent: entry.parent.as_deref().map(str::to_string),
            mentions: Vec::new(),
        });
        by_id.insert(entry.id.clone(), entities.len() - 1);
        entities.len() - 1
    })
}

#[allow(clippy::too_many_arguments)]
fn add_context_entity(
    entities: &mut Vec<DocEntity>,
    by_id: &mut FxHashMap<String, usize>,
    kind: EntityType,
    name: &str,
    mention: Mention,
) -> usize {
    let id = context_id(kind, name);
    let idx = match by_id.get(&id) {
        Some(&idx) => idx,
        None => {
            entities.push(DocEntity {
                entry: None,
                id: id.clone(),
                name: name.to_string(),
                kind,
                subtype: None,
                country: None,
                parent: None,
                mentions: Vec::new(),
            });
            by_id.insert(id, entities.len() - 1);
            entities.len() - 1
        }
    };
    entities[idx].mentions.push(mention);
    idx
}

/// Nouns for people in an apposition (", a two-year-old girl,").
const PERSON_NOUNS: &[&str] = &[
    "man", "woman", "girl", "boy", "mother", "father", "son", "daughter", "wife", "husband", "resident",
    "student", "teacher", "professor", "worker", "employee", "engineer", "entrepreneur", "billionaire",
    "businessman", "businesswoman", "veteran", "native", "citizen", "expert", "researcher", "scientist",
    "journalist", "author", "activist", "politician", "lawmaker", "investor", "consultant", "customer",
];

/// Lower-case particles inside personal names ("Lula da Silva", "al-Malki", "van Gogh").
const PARTICLES: &[&str] = &["da", "de", "do", "dos", "das", "di", "del", "della", "van", "von", "der", "den", "du", "la", "le", "al", "el", "bin", "ibn", "ben", "ter", "zu"];

/// Titles strong enough to make one following capitalised word a person ("President Bush",
/// "Mr Kvasov").
const STRONG_TITLES: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "President", "Senator", "Sen", "Rep", "Governor", "Chancellor", "Premier",
    "Judge", "Justice", "King", "Queen", "Prince", "Princess", "Pope", "Sir", "Dame", "Professor", "Prof",
    "Lord", "Lady", "Baroness", "Sheikh", "Secretary", "Minister", "Mayor", "Ambassador", "Commissioner",
];

/// Extends a capitalised run from token `i`: capitalised words separated by one space, middle
/// initials ("George W. Bush"), hyphenated parts ("Hans-Peter", "al-Malki") and particles
/// ("Lula da Silva"). Returns one past the last token.
fn capitalised_run(tl: &TokenLists, i: usize, field: Field, covered: &[(Field, usize, usize)]) -> usize {
    let (text, toks) = (tl.text, tl.toks);
    let n = toks.len();
    let free = |k: usize| !overlaps(covered, field, toks[k].start, toks[k].end);
    let cap = |k: usize| k < n && toks[k].kind == TokenKind::Word && is_cap_word(toks[k].text(text)) && !tl.has(k, List::LEGAL_SUFFIXES) && free(k);
    let gap = |k: usize| &text[toks[k - 1].end..toks[k].start];
    let mut j = i + 1;
    while j < n {
        let w = toks[j].text(text);
        // Hyphenated part: "Hans-Peter", "al-Malki".
        if gap(j).is_empty() && matches!(w, "-" | "‐") && j + 1 < n && gap(j + 1).is_empty() && cap(j + 1) {
            j += 2;
            continue;
        }
        if gap(j) != " " {
            break;
        }
        let initial = w.len() == 1 && w.chars().all(char::is_uppercase) && j + 1 < n && toks[j + 1].text(text) == "." && toks[j + 1].start == toks[j].end;
        if initial {
            j += 2;
            continue;
        }
        if tl.has(j, List::PARTICLES) && j + 1 < n {
            // "da Silva", "al-Malki"
            if gap(j + 1) == " " && cap(j + 1) {
                j += 2;
                continue;
            }
            if gap(j + 1).is_empty() && toks[j + 1].text(text) == "-" && j + 2 < n && gap(j + 2).is_empty() && cap(j + 2) {
                j += 3;
                continue;
            }
            break;
        }
        if cap(j) {
            j += 1;
        } else {
            break;
        }
    }
    j
}

#[allow(clippy::too_many_arguments)]
fn context_entities(
    gaz: &Gazetteer,
    text: &str,
    seg: &Segmentation,
    field: Field,
    covered: &mut Vec<(Field, usize, usize)>,
    entities: &mut Vec<DocEntity>,
    by_id: &mut FxHashMap<String, usize>,
    anchors: &mut Vec<Anchor>,
    singles: &mut Vec<(Field, usize, usize)>,
) {
    let toks = &seg.tokens;
    let n = toks.len();
    let tl = TokenLists::new(text, toks);
    let mut i = 0;
    while i < n {
        // Most tokens: not a word, or a word opening with a lower-case ASCII letter, which is
        // neither a capitalised word nor an acronym.
        if toks[i].kind != TokenKind::Word || text.as_bytes()[toks[i].start].is_ascii_lowercase() {
            i += 1;
            continue;
        }
        // A lower-case ASCII second byte ("The", "In") makes no acronym: no need to ask.
        let lower_second = toks[i].end > toks[i].start + 1 && text.as_bytes()[toks[i].start + 1].is_ascii_lowercase();
        let acronym_start = toks[i].kind == TokenKind::Word
            && !lower_second
            && crate::gazetteer::matcher::is_acronym(toks[i].text(text))
            && toks[i].text(text).len() >= 2
            && i + 1 < n
            && &text[toks[i].end..toks[i + 1].start] == " "
            && is_cap_word(toks[i + 1].text(text));
        if toks[i].kind != TokenKind::Word || !(is_cap_word(toks[i].text(text)) || acronym_start) || overlaps(covered, field, toks[i].start, toks[i].end) {
            i += 1;
            continue;
        }
        let run_end = capitalised_run(&tl, i, field, covered);
        // Unknown organisation, company or place named by its head word ("Janco Partners",
        // "National Cotton Council", "Luxembourg Chamber of Commerce", "Changi Airport").
        if let Some((kind, s, e, j)) = headed_name(&tl, i, run_end, field, covered) {
            let name = text[s..e].trim_start_matches("The ").to_string();
            let idx = add_context_entity(entities, by_id, kind, &name, Mention { field, start: s, end: e, form: MentionForm::Context });
            covered.push((field, s, e));
            if field == Field::Text {
                anchors.push(Anchor { start: s, end: e, entities: vec![idx], kind: AnchorKind::Name, sentence: sentence_of(seg, s) });
            }
            i = j;
            continue;
        }
        if acronym_start {
            i += 1;
            continue;
        }
        // Unknown company: capitalised run followed by a legal suffix.
        if run_end < n {
            let k = if toks[run_end].text(text) == "," { run_end + 1 } else { run_end };
            if k < n && tl.has(k, List::LEGAL_SUFFIXES) && k > i && !tl.has(i, List::NOT_NAME) {
                let (s, e) = extend_legal(text, toks, i, run_end);
                let name = &text[toks[i].start..toks[run_end - 1].end];
                let idx = add_context_entity(entities, by_id, EntityType::Company, name, Mention { field, start: s, end: e, form: MentionForm::Context });
                covered.push((field, s, e));
                if field == Field::Text {
                    anchors.push(Anchor { start: s, end: e, entities: vec![idx], kind: AnchorKind::Name, sentence: sentence_of(seg, s) });
                }
                i = run_end;
                continue;
            }
        }
        if let Some((a, b)) = person_span(gaz, &tl, i, run_end) {
            let s = toks[a].start;
            let e = toks[b - 1].end;
            if b == a + 1 {
                singles.push((field, s, e));
                i = run_end.max(i + 1);
                continue;
            }
            let name = &text[s..e];
            let idx = add_context_entity(entities, by_id, EntityType::Person, name, Mention { field, start: s, end: e, form: MentionForm::Context });
            covered.push((field, s, e));
            if field == Field::Text {
                anchors.push(Anchor { start: s, end: e, entities: vec![idx], kind: AnchorKind::Name, sentence: sentence_of(seg, s) });
            }
        }
        i = run_end.max(i + 1);
    }
}

/// Last words that make a capitalised run a company name.
const COMPANY_HEADS: &[&str] = &[
    "Partners", "Holdings", "Brothers", "Securities", "Capital", "Research", "Software", "Aviation", "Airlines",
    "Airways", "Media", "Fund", "Investments", "Associates", "Consulting", "Advisors", "Advisers", "Technologies",
    "Industries", "Enterprises", "Pharmaceuticals", "Communications", "Entertainment", "Studios", "Motors",
    "Ventures", "Laboratories", "Solutions", "Insurance", "Telecom", "Bancorp", "Financial", "Resources",
    "Performance", "Logistics", "Shipping", "Mining", "Petroleum", "Chemicals", "Semiconductor", "Steel",
    "Records", "Publishing", "Broadcasting", "Airline", "Economics",
];

/// Last words that make a capitalised run an organisation name.
const ORG_HEADS: &[&str] = &[
    "Union", "Council", "College", "University", "Institute", "Association", "Federation", "Foundation",
    "Society", "Chamber", "Organization", "Organisation", "League", "Alliance", "Coalition", "Academy",
    "Confederation", "Syndicate", "Network", "Forum", "Club", "Party",
    // football and rugby clubs ("Hinckley United", "Blackburn Rovers")
    "United", "Wanderers", "Athletic",
];

/// Last words that make a capitalised run a place.
const PLACE_HEADS: &[&str] = &[
    "Airport", "Stadium", "Arena", "Square", "Bridge", "Island", "Islands", "Valley", "Province", "County",
    "Peninsula", "Strait", "Desert", "Mountains", "Harbour", "Harbor",
];

/// A capitalised run ending in a head word ("Partners", "Council", "Airport"), with an
/// "of/for …" tail for organisations ("Chamber of Commerce") and a place or demonym right
/// before it ("Luxembourg Chamber of Commerce"). Returns type, byte span and the next token.
fn headed_name(tl: &TokenLists, i: usize, run_end: usize, field: Field, covered: &[(Field, usize, usize)]) -> Option<(EntityType, usize, usize, usize)> {
    let (text, toks) = (tl.text, tl.toks);
    let word = |k: usize| toks[k].text(text);
    // The head is the last word of the run, or of its first part before "of".
    let mut a = i;
    while a < run_end && tl.has(a, List::STOP_LEAD) {
        a += 1;
    }
    if a >= run_end {
        return None;
    }
    let head = word(run_end - 1);
    let center = matches!(head, "Center" | "Centre") && run_end - a >= 2 && matches!(word(run_end - 2), "Convention" | "Exhibition" | "Conference" | "Trade" | "Shopping" | "Congress");
    // "Management" heads fund managers ("Solaris Asset Management"), not "Digital Rights
    // Management".
    let manager = head == "Management"
        && run_end - a >= 3
        && matches!(word(run_end - 2), "Asset" | "Fund" | "Investment" | "Capital" | "Wealth" | "Portfolio" | "Property");
    let head_lists = tl.of(run_end - 1);
    let kind = if head_lists.has(List::COMPANY_HEADS) || manager {
        EntityType::Company
    } else if head_lists.has(List::ORG_HEADS) {
        EntityType::Organization
    } else if head_lists.has(List::PLACE_HEADS) || center {
        EntityType::Location
    } else {
        return None;
    };
    let mut end_tok = run_end;
    if kind == EntityType::Organization {
        // "of Commerce", "for Multimedia and Digital Systems", "of São José dos Campos"
        let mut k = run_end;
        if k + 1 < toks.len() && matches!(word(k), "of" | "for") && is_cap_word(word(k + 1)) && !overlaps(covered, field, toks[k + 1].start, toks[k + 1].end) {
            k = capitalised_run(tl, k + 1, field, covered);
            while k + 1 < toks.len() && word(k) == "and" && is_cap_word(word(k + 1)) && !overlaps(covered, field, toks[k + 1].start, toks[k + 1].end) {
                k = capitalised_run(tl, k + 1, field, covered);
            }
            end_tok = k;
        }
    }
    // One head word alone is not a name, unless it has a tail ("Chamber of Commerce").
    let words = (a..end_tok).filter(|&k| toks[k].kind == TokenKind::Word).count();
    if words < 2 || (end_tok == run_end && run_end - a < 2) {
        return None;
    }
    // Every word but the head a stop word? ("The Union")
    if (a..run_end - 1).all(|k| tl.has(k, List::NOT_NAME)) && end_tok == run_end && kind != EntityType::Organization {
        return None;
    }
    let mut start = toks[a].start;
    // A place or demonym right before: "Luxembourg Chamber of Commerce", "Russian Organization".
    if a == i && a > 0 && kind == EntityType::Organization && &text[toks[a - 1].end..toks[a].start] == " " && overlaps(covered, field, toks[a - 1].start, toks[a - 1].end) && is_cap_word(word(a - 1)) {
        start = toks[a - 1].start;
    }
    Some((kind, start, toks[end_tok - 1].end, end_tok))
}

/// Words that open a capitalised run without being part of the name.
const STOP_LEAD: &[&str] = &[
    "The", "A", "An", "This", "That", "These", "Those", "In", "On", "At", "For", "From", "With", "By", "Of", "To",
    "And", "But", "Or", "As", "If", "When", "While", "After", "Before", "Since", "Until", "Although", "However",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Meanwhile", "Both", "Its",
    "Their", "His", "Her", "Our", "Former", "Rival", "Analysts", "Shares", "Investment", "Brokerage",
];

/// The part of the capitalised run `[i, run_end)` that is a person's name, if the context says
/// it is one. Leading titles and other non-name words are dropped ("Republican Senator Bob
/// Corker" → "Bob Corker"), as is a leading word before a first name ("Texan Michael
/// Chicoine"); one word is a name only after a strong title ("President Bush").
fn person_span(gaz: &Gazetteer, tl: &TokenLists, i: usize, run_end: usize) -> Option<(usize, usize)> {
    let (text, toks) = (tl.text, tl.toks);
    let word = |k: usize| toks[k].text(text);
    let is_name_word = |k: usize| toks[k].kind == TokenKind::Word && !tl.has(k, List::PARTICLES) && word(k).len() > 1;
    // Start after the last title or non-name word of the run.
    let mut a = i;
    let mut titled = false;
    for k in i..run_end {
        let lists = tl.of(k);
        if lists.has(List::NOT_NAME) || lists.has(List::TITLES) {
            a = k + 1;
            titled = lists.has(List::TITLES);
        }
    }
    // Skip "." after "Mr." / initials at the start.
    while a < run_end && toks[a].kind != TokenKind::Word {
        a += 1;
    }
    if a >= run_end {
        return None;
    }
    let name_words = |a: usize| (a..run_end).filter(|&k| is_name_word(k)).count();
    let mut words = name_words(a);
    // A word before a first name is not part of the name ("Texan Michael Chicoine"). That
    // first name is followed by another name word: with fewer than two name words there is
    // none, and the first-name look-ups (which lower-case the word) are skipped.
    if words >= 2 && !gaz.is_first_name(word(a)) {
        if let Some(p) = (a + 1..run_end).find(|&p| is_name_word(p) && gaz.is_first_name(word(p)) && (p + 1..run_end).any(is_name_word)) {
            a = p;
            words = name_words(a);
        }
    }
    if words == 1 {
        // One word: only right after a strong title ("President Bush", "Mr. Kvasov").
        // The title is in the run, or right before it on the same line ("Mr. Kvasov").
        let prev = a.checked_sub(1).filter(|&p| p >= i || (p + 1 == i && matches!(&text[toks[p].end..toks[i].start], " " | "")));
        let strong = prev.is_some_and(|p| {
            tl.has(p, List::STRONG_TITLES)
                || (word(p) == "." && p >= 1 && toks[p - 1].end == toks[p].start && matches!(word(p - 1), "Mr" | "Mrs" | "Ms" | "Dr" | "Prof" | "Sen" | "Rep" | "Gov" | "Gen"))
        });
        let w = word(a);
        let lowercase_rest = w.chars().skip(1).all(|c| c.is_lowercase() || c == '\'' || c == '-');
        return (strong && run_end == a + 1 && lowercase_rest && !tl.has(a, List::NOT_NAME)).then_some((a, run_end));
    }
    if !(2..=5).contains(&words) {
        return None;
    }
    (titled || person_evidence(gaz, tl, a, run_end)).then_some((a, run_end))
}

fn person_evidence(gaz: &Gazetteer, tl: &TokenLists, a: usize, b: usize) -> bool {
    let (text, toks) = (tl.text, tl.toks);
    let word = |k: usize| toks[k].text(text);
    if gaz.is_first_name(word(a)) {
        return true;
    }
    // A title right before, possibly after a country/organisation word ("US President").
    for back in 1..=3 {
        if a >= back {
            let w = word(a - back);
            if tl.has(a - back, List::TITLES) || w == "Mr" || w == "Mrs" || w == "Ms" || w == "Dr" {
                return true;
            }
            if w == "." && a > back && matches!(word(a - back - 1), "Mr" | "Mrs" | "Ms" | "Dr") {
                return true;
            }
        }
    }
    // Reporting verb after ("Alan Fan said") or before ("said Alan Fan").
    if b < toks.len() && tl.has(b, List::REPORTING) {
        return true;
    }
    if b + 1 < toks.len() && word(b) == "," && (tl.has(b + 1, List::REPORTING) || matches!(word(b + 1), "who" | "chief" | "CEO" | "chairman" | "president" | "head" | "spokesman" | "spokeswoman" | "director")) {
        return true;
    }
    // ", the chief executive of …", ", a Microsoft security manager": a title in the apposition.
    if b + 1 < toks.len() && word(b) == "," && matches!(word(b + 1), "the" | "a" | "an") && (b + 2..(b + 7).min(toks.len())).any(|k| (tl.has(k, List::TITLES) && word(k).chars().next().is_some_and(char::is_lowercase)) || tl.has(k, List::PERSON_NOUNS)) {
        return true;
    }
    // ", an Indian." / ", a Briton,": a nationality noun alone in apposition.
    if b + 3 < toks.len() && word(b) == "," && matches!(word(b + 1), "a" | "an") && is_cap_word(word(b + 2)) && matches!(word(b + 3), "." | "," | ";") {
        return true;
    }
    if a >= 1 && tl.has(a - 1, List::REPORTING) {
        return true;
    }
    // Apposition after a role: "the head of Huawei global IP, Alan Fan".
    if a >= 2 && word(a - 1) == "," {
        let lo = a.saturating_sub(8);
        if (lo..a - 1).any(|k| tl.has(k, List::TITLES)) {
            return true;
        }
    }
    false
}

/// Links short forms to fuller names: a capitalised word equal to the last (or first) word of
/// a person's name ("Biden", "Barra") becomes a mention of that person.
#[allow(clippy::too_many_arguments)]
fn link_short_forms(
    text: &str,
    title: &str,
    seg: &Segmentation,
    title_seg: &Segmentation,
    entities: &mut [DocEntity],
    _by_id: &mut FxHashMap<String, usize>,
    anchors: &mut Vec<Anchor>,
    covered: &[(Field, usize, usize)],
) {
    let mut surnames: FxHashMap<String, Option<usize>> = FxHashMap::default();
    for (idx, e) in entities.iter().enumerate() {
        if e.kind != EntityType::Person {
            continue;
        }
        if let Some(last) = e.name.split_whitespace().last() {
            surnames
                .entry(last.to_string())
                .and_modify(|v| {
                    if *v != Some(idx) {
                        *v = None;
                    }
                })
                .or_insert(Some(idx));
        }
    }
    // The first word of a company's longer name ("United" after "United Airlines"), if it is
    // no other entity's, and not an ordinary word opening a sentence.
    let mut firsts: FxHashMap<String, Option<usize>> = FxHashMap::default();
    for (idx, e) in entities.iter().enumerate() {
        if e.kind != EntityType::Company {
            continue;
        }
        for m in &e.mentions {
            let s = if m.field == Field::Title { title } else { text };
            let surface = &s[m.start..m.end];
            let Some((first, _)) = surface.split_once(' ') else { continue };
            if !is_cap_word(first) || is_not_name(first) || is_stop_lead(first) || is_title(first) || surnames.contains_key(first) {
                continue;
            }
            firsts
                .entry(first.to_string())
                .and_modify(|v| {
                    if *v != Some(idx) {
                        *v = None;
                    }
                })
                .or_insert(Some(idx));
        }
    }
    // The sketches of those words: most tokens fail this one bit test (length, first and last
    // byte) and need no hashing.
    let sketches = Sketches::of(firsts.keys().chain(surnames.keys()).map(String::as_str));
    for (field, txt, sg) in [(Field::Title, title, title_seg), (Field::Text, text, seg)] {
        if firsts.is_empty() && surnames.is_empty() {
            break;
        }
        for (ti, t) in sg.tokens.iter().enumerate() {
            // The cheap look-ups first: most words are neither a first word nor a surname, and
            // `overlaps` scans every covered span.
            let b = &txt.as_bytes()[t.start..t.end];
            if t.kind != TokenKind::Word || b.is_empty() || !sketches.may_hold(sketch_of(b.len(), b[0], b[b.len() - 1])) {
                continue;
            }
            let w = t.text(txt);
            if !(firsts.contains_key(w) || surnames.contains_key(w))
                || overlaps(covered, field, t.start, t.end)
            {
                continue;
            }
            if let Some(Some(idx)) = firsts.get(t.text(txt)) {
                let initial = ti == 0 || matches!(sg.tokens[ti - 1].text(txt), "." | "\"" | "“" | ":" | "?" | "!");
                let next_cap = sg.tokens.get(ti + 1).is_some_and(|n| is_cap_word(n.text(txt)) && &txt[t.end..n.start] == " ");
                if !initial && !next_cap {
                    entities[*idx].mentions.push(Mention { field, start: t.start, end: t.end, form: MentionForm::Short });
                    if field == Field::Text {
                        anchors.push(Anchor { start: t.start, end: t.end, entities: vec![*idx], kind: AnchorKind::Name, sentence: sentence_of(seg, t.start) });
                    }
                }
                continue;
            }
            if let Some(Some(idx)) = surnames.get(t.text(txt)) {
                entities[*idx].mentions.push(Mention { field, start: t.start, end: t.end, form: MentionForm::Short });
                if field == Field::Text {
                    anchors.push(Anchor { start: t.start, end: t.end, entities: vec![*idx], kind: AnchorKind::Name, sentence: sentence_of(seg, t.start) });
                }
            }
        }
    }
}

/// For each sentence, whether [`nominal_heads`] matches in it, from one search of the whole
/// text: a search per sentence pays the automaton's start-up each time.
fn sentences_with_heads(text: &str, sentences: &[crate::segment::Sentence]) -> Vec<bool> {
    debug_assert!(sentences.windows(2).all(|w| w[0].end <= w[1].start));
    let mut with = vec![false; sentences.len()];
    for m in nominal_heads().find_iter(text) {
        // The last sentence starting at or before the match holds it, if any does.
        let k = sentences.partition_point(|s| s.start <= m.start());
        if k > 0 && m.end() <= sentences[k - 1].end {
            with[k - 1] = true;
        } else if sentences.iter().any(|s| s.start < m.end() && m.start() < s.end) {
            // Across a sentence boundary: it may hide a match of the next sentence, which
            // searches of their own find (never seen in news text).
            return sentences.iter().map(|s| nominal_heads().is_match(&text[s.start..s.end])).collect();
        }
    }
    with
}

/// Resolves nominal ("the company", "the Chinese giant", "the two makers") and pronoun
/// ("it", "its") references to companies, by salience: the first company of the current
/// sentence before the reference, else of the nearest earlier sentence that names one.
fn resolve_references(text: &str, seg: &Segmentation, entities: &[DocEntity], anchors: &mut Vec<Anchor>) {
    /// A reference found in the text: byte span, kind, how many companies it names ("the two
    /// makers"), the country a demonym modifier restricts it to, whether its head names a
    /// carmaker.
    struct Ref {
        start: usize,
        end: usize,
        kind: AnchorKind,
        count: usize,
        country: Option<String>,
        auto: bool,
    }
    let is_company = |i: usize| entities[i].kind == EntityType::Company;
    let mut refs: Vec<Ref> = Vec::new();
    let with_heads = sentences_with_heads(text, &seg.sentences);
    let pronouns = pronoun_candidates(text);
    let mut next_pronoun = 0;
    for (s, &with_head) in seg.sentences.iter().zip(&with_heads) {
        let st = &text[s.start..s.end];
        let heads = if with_head { Some(nominal_regex().captures_iter(st)) } else { None };
        for c in heads.into_iter().flatten() {
            let m = c.get(0).expect("match");
            let head = c.name("head").map_or("", |h| h.as_str());
            let num = c.name("num").map(|n| match n.as_str() {
                "two" | "both" | "2" => 2,
                "three" | "3" => 3,
                "four" => 4,
                _ => 1,
            });
            let plural = head.ends_with('s') && head != "business";
            let count = num.unwrap_or(if plural { 0 } else { 1 });
            if plural && count == 0 {
                continue;
            }
            // A modifier that is a country demonym restricts the country.
            let mut country = None;
            for a in anchors.iter() {
                if a.start >= s.start + m.start() && a.end <= s.start + m.end() {
                    for &e in &a.entities {
                        if entities[e].kind == EntityType::Country {
                            country = entities[e].entry.map(|_| entities[e].id.trim_start_matches("country:").to_uppercase());
                        }
                    }
                }
            }
            // Skip "the company's X" style names already anchored (e.g. "The Coca-Cola Company").
            let inside_name = anchors.iter().any(|a| a.kind == AnchorKind::Name && a.start < s.start + m.end() && s.start + m.start() < a.end && is_company(a.entities[0]));
            if inside_name {
                continue;
            }
            let auto = head.contains("auto") || head.contains("car");
            refs.push(Ref { start: s.start + m.start(), end: s.start + m.end(), kind: AnchorKind::Nominal, count, country, auto });
        }
        // The pronouns of this sentence, judged within it (its ends are word boundaries).
        while pronouns.get(next_pronoun).is_some_and(|&p| p < s.start) {
            next_pronoun += 1;
        }
        while let Some(&p) = pronouns.get(next_pronoun).filter(|&&p| p + 2 <= s.end) {
            next_pronoun += 1;
            let Some(b) = pronoun_end(st, p - s.start) else { continue };
            refs.push(Ref { start: p, end: s.start + b, kind: AnchorKind::Pronoun, count: 1, country: None, auto: false });
        }
    }
    refs.sort_by_key(|r| r.start);
    // Anchors of one sentence, without scanning them all per reference: the name anchors
    // (sorted by start, so by sentence) and the references pushed below (in order of start,
    // so by sentence too) each hold a sentence's anchors in one contiguous run.
    let base = anchors.len();
    debug_assert!(anchors.windows(2).all(|w| w[0].sentence <= w[1].sentence));
    let in_sentence = |anchors: &[Anchor], k: usize| -> (std::ops::Range<usize>, std::ops::Range<usize>) {
        let (named, pushed) = anchors.split_at(base);
        let a = named.partition_point(|x| x.sentence < k)..named.partition_point(|x| x.sentence <= k);
        let b = base + pushed.partition_point(|x| x.sentence < k)..base + pushed.partition_point(|x| x.sentence <= k);
        (a, b)
    };
    for Ref { start, end, kind, count, country, auto } in refs {
        let si = sentence_of(seg, start);
        let ok = |e: usize| {
            is_company(e)
                && country.as_ref().is_none_or(|c| entities[e].country.as_deref() == Some(c.as_str()))
                && (!auto || entities[e].subtype.as_deref() == Some("automaker"))
        };
        let mut chosen: Vec<usize> = Vec::new();
        if count >= 2 {
            // The N most recently mentioned distinct companies.
            for a in anchors.iter().rev().filter(|a| a.end <= start) {
                for &e in &a.entities {
                    if ok(e) && !chosen.contains(&e) && chosen.len() < count {
                        chosen.push(e);
                    }
                }
            }
            if chosen.len() < count {
                continue;
            }
        } else {
            // Same sentence, before the reference: first company.
            let (a, b) = in_sentence(anchors, si);
            let same = anchors[a].iter().chain(&anchors[b]).filter(|a| a.end <= start).flat_map(|a| a.entities.iter().copied()).find(|&e| ok(e));
            if let Some(e) = same {
                chosen.push(e);
            } else {
                let lookback = if kind == AnchorKind::Pronoun { 2 } else { 6 };
                for back in 1..=lookback.min(si) {
                    let (a, b) = in_sentence(anchors, si - back);
                    let prev = anchors[a].iter().chain(&anchors[b]).flat_map(|a| a.entities.iter().copied()).find(|&e| ok(e));
                    if let Some(e) = prev {
                        chosen.push(e);
                        break;
                    }
                }
                if chosen.is_empty() && country.is_some() {
                    // "the Chinese giant": the most mentioned company of that country.
                    let best = (0..entities.len()).filter(|&e| ok(e)).max_by_key(|&e| (entities[e].mentions.len(), std::cmp::Reverse(e)));
                    chosen.extend(best);
                }
            }
        }
        if chosen.is_empty() {
            continue;
        }
        anchors.push(Anchor { start, end, entities: chosen, kind, sentence: si });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::OnceLock;

    fn gaz() -> &'static Gazetteer {
        static G: OnceLock<Gazetteer> = OnceLock::new();
        G.get_or_init(|| Gazetteer::embedded().expect("embedded gazetteers load"))
    }

    fn run(title: &str, text: &str) -> Analysis {
        let a = Article { id: None, title: (!title.is_empty()).then(|| title.to_string()), text: text.to_string(), published: None, url: None, source: None };
        analyze(gaz(), &a)
    }

    /// (id, surfaces in the body text) per entity.
    fn ents(title: &str, text: &str) -> Vec<(String, Vec<String>)> {
        let an = run(title, text);
        an.entities
            .iter()
            .map(|e| (e.id.clone(), e.mentions.iter().map(|m| if m.field == Field::Title { title } else { text }[m.start..m.end].to_string()).collect()))
            .collect()
    }

    fn has(v: &[(String, Vec<String>)], id: &str, surface: &str) -> bool {
        v.iter().any(|(i, s)| i == id && s.iter().any(|x| x == surface))
    }

    #[test]
    fn cap_word_byte_path_agrees_with_char_path() {
        for w in ["", "A", "Ab", "AB", "ab", "McDonald", "O'Neill", "Hans-Peter", "Ab1", "Ab.", "Éric", "Ab’c", "Aé", "AÉ", "A-", "A'b", "Zz", "[Ab", "ÀB"] {
            assert_eq!(is_cap_word(w), is_cap_word_chars(w), "{w:?}");
        }
    }

    #[test]
    fn slugs_of_ascii_and_other_words() {
        assert_eq!(slug("Alan Fan"), "alan-fan");
        assert_eq!(slug("Ütz  A.B. Co-2"), "utz-a-b-co-2");
        assert_eq!(context_id(EntityType::Person, "José  O'Neill"), "person:jose-o-neill");
    }

    #[test]
    fn words_among_ascii_and_other_texts() {
        let wanted = |ws: &[&str]| ws.iter().map(|w| w.to_string()).collect::<FxHashSet<String>>();
        let texts = ["Export-controls: EXPORTS rose", "Société banks’ settlements"];
        let got = words_among(&texts, wanted(&["export", "exports", "banks", "settlements", "société", "rose", "bank"]));
        assert_eq!(got, wanted(&["export", "exports", "banks", "settlements", "société", "rose"]));
    }

    /// In ASCII text the words found are the maximal runs of letters and digits, whatever
    /// stands between them (dots, commas, apostrophes, hyphens).
    #[test]
    fn words_among_ascii_tokens_are_the_alphanumeric_runs() {
        let text = "U.S.A. firms' 1,000.5bn deal: O'Neill's rock'n'roll a.m.5 U.S.Axe X.Y.zed \
                    don't 3.14159 Fund's 2004-05 e-mail co-operation ABCD'efgh wxyz's";
        let runs: FxHashSet<String> = text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| w.len() >= 4).map(|w| w.to_ascii_lowercase()).collect();
        assert!(runs.len() > 10);
        // Every run is wanted, plus words that are not in the text (whole, or as a run).
        let mut wanted = runs.clone();
        wanted.extend(["neills", "rocknroll", "axex", "14159"].map(String::from));
        assert_eq!(words_among(&[text], wanted), runs);
    }

    /// In other text the words are the maximal runs of alphanumeric chars, lower-cased.
    #[test]
    fn words_among_other_texts_are_the_alphanumeric_runs() {
        let text = "Société Générale’s CEO—Frédéric Oudéa—said: «Ça va» in 日本語 text;\u{a0}naïve 3½ co\u{301}operative Œuvre ÉTATS-UNIS don’t X\tDŽungla ﬁnance";
        let runs: FxHashSet<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4).map(str::to_lowercase).collect();
        assert!(runs.len() > 12 && runs.contains("日本語") && runs.contains("société") && runs.contains("said"), "{runs:?}");
        let mut wanted = runs.clone();
        wanted.extend(["generales", "oudea", "etats"].map(String::from));
        assert_eq!(words_among(&[text], wanted), runs);
    }

    /// More wanted words than are searched for one by one: the same words, by splitting.
    #[test]
    fn words_among_many_wanted_words_split_the_text() {
        for text in ["Export-controls: EXPORTS rose at the Bank of Settlements", "Société Générale’s bank rose £5bn"] {
            let runs: FxHashSet<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4).map(str::to_lowercase).collect();
            let mut wanted = runs.clone();
            wanted.extend((0..SEARCHED_WORDS).map(|i| format!("absent{i}")));
            assert!(wanted.len() > SEARCHED_WORDS);
            assert_eq!(words_among(&[text], wanted), runs, "{text:?}");
        }
    }

    /// Texts with other characters (letters, a Kelvin sign, punctuation) give the
    /// alphanumeric runs too, found by search or by splitting.
    #[test]
    fn words_among_mixed_texts_are_the_alphanumeric_runs() {
        for text in [
            "Shares rose £5bn—“EXPORT-controls” don’t… Bank’s\u{a0}deal € 2004–05 «vote» ABCD’efgh wxyz",
            "Â£5bn Âbank bankÂ bank Ébank bankÉ banké Société SOCIÉTÉ naïve naive 3½ 3½x x½3 half½",
            "BAN\u{212a} (a Kelvin sign) rose",
        ] {
            let runs: FxHashSet<String> = text.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4).map(str::to_lowercase).collect();
            assert!(runs.len() > 3, "{runs:?}");
            // Wanted words not in the text: ASCII ones only (the search alone), and others too.
            for extra in [&["banks", "dont", "abcdefgh", "shar", "bankz"][..], &["vote»", "société", "naïv", "2004–05"]] {
                let mut wanted = runs.clone();
                wanted.extend(extra.iter().map(|w| w.to_string()));
                assert_eq!(words_among(&[text], wanted), runs, "{text:?}");
            }
        }
    }

    #[test]
    fn pronoun_spans_are_the_regex_matches() {
        let re = Regex::new(r"\b(?:[Ii]ts?)\b").expect("regex");
        for s in ["it", "Its", "It's its itself bit", "it_ its2 éit itá it² its\u{301} (it) ITS it", "", "t", "is it?", "i t its", "‿it it‿"] {
            let want: Vec<(usize, usize)> = re.find_iter(s).map(|m| (m.start(), m.end())).collect();
            assert_eq!(pronoun_spans(s).collect::<Vec<_>>(), want, "{s:?}");
        }
    }

    #[test]
    fn legal_suffixes_extend_company_mentions() {
        let v = ents("", "Samsung Electronics Co., Ltd. said sales rose. Apple Inc. disagreed. PT Astra International Tbk gained.");
        assert!(v.iter().any(|(i, s)| i.starts_with("company:samsung") && s.iter().any(|x| x == "Samsung Electronics Co., Ltd.")), "{v:?}");
        assert!(v.iter().any(|(i, s)| i.starts_with("company:apple") && s.iter().any(|x| x == "Apple Inc.")), "{v:?}");
        assert!(v.iter().any(|(_, s)| s.iter().any(|x| x == "PT Astra International Tbk")), "{v:?}");
    }

    #[test]
    fn possessives_all_caps_and_acronym_case() {
        let v = ents("HUAWEI SUES NOKIA", "Huawei's lawyers met us in the US on Monday.");
        assert!(has(&v, "company:huawei", "Huawei"), "{v:?}");
        assert!(has(&v, "company:huawei", "HUAWEI"), "{v:?}");
        assert!(has(&v, "country:us", "US"), "{v:?}");
        assert!(!v.iter().any(|(_, s)| s.iter().any(|x| x == "us")), "{v:?}");
    }

    #[test]
    fn ordinary_word_names_need_case_and_context() {
        let v = ents("", "Shoppers bought an apple at the target store. The iPod Mini sold well.");
        assert!(v.is_empty(), "{v:?}");
        let v = ents("", "Analysts said Apple and Shell reported higher profits.");
        assert!(v.iter().any(|(i, _)| i.starts_with("company:apple")), "{v:?}");
        assert!(v.iter().any(|(i, _)| i.contains("shell")), "{v:?}");
    }

    #[test]
    fn colliding_acronym_decided_by_context() {
        let v = ents("", "The BIS added Huawei to the Entity List, the Commerce Department said, tightening export rules.");
        assert!(has(&v, "government:us-bureau-of-industry-and-security", "BIS"), "{v:?}");
        assert!(!v.iter().any(|(i, _)| i.starts_with("person:")), "the Entity List is no person: {v:?}");
        let v = ents("", "The BIS, the central bank for central banks based in Basel, warned about inflation.");
        assert!(has(&v, "organization:bis", "BIS"), "{v:?}");
        // A body named the same in several countries goes to the country the article names.
        let v = ents("", "US officials met in Washington. The Treasury said the US economy grew, as American banks lent more.");
        assert!(has(&v, "government:us-department-of-the-treasury", "Treasury"), "{v:?}");
        let v = ents("", "UK borrowing rose, the Treasury said, as British shoppers spent more in the UK.");
        assert!(has(&v, "government:gb-hm-treasury", "Treasury"), "{v:?}");
        // Named by its places and parties only ("London", "Labour"), the country still counts.
        let v = ents("", "Labour ministers in London said the Treasury would act.");
        assert!(has(&v, "government:gb-hm-treasury", "Treasury"), "{v:?}");
        let v = ents("", "Lawyers in Ottawa and Toronto said the Supreme Court ruled for Canadian farmers.");
        assert!(has(&v, "government:ca-supreme-court", "Supreme Court"), "{v:?}");
        // No country named: the most prominent body of that name.
        let v = ents("", "The Supreme Court ruled on Monday.");
        assert!(has(&v, "government:us-supreme-court", "Supreme Court"), "{v:?}");
    }

    #[test]
    fn sponsored_competitions_and_prizes_are_not_the_company() {
        let v = ents("", "Leinster won the Heineken Cup, and Andrea Levy took the Orange Prize. Heineken said beer sales rose.");
        let heineken = v.iter().find(|(i, _)| i.starts_with("company:heineken")).expect("Heineken");
        assert_eq!(heineken.1, vec!["Heineken".to_string()], "{v:?}");
        assert!(v.iter().all(|(i, _)| !i.starts_with("company:orange")), "{v:?}");
    }

    #[test]
    fn company_names_inside_personal_names_are_people() {
        let text = "Former aide Alastair Campbell said he met Sir Clive Woodward. Campbell said Dell Inspiron sales rose. Later, WorldCom said Intel would help.";
        let v = ents("", text);
        for id in ["person:alastair-campbell", "person:clive-woodward", "company:worldcom", "company:intel", "company:dell"] {
            assert!(v.iter().any(|(i, _)| i == id), "{id}: {v:?}");
        }
        assert!(has(&v, "person:alastair-campbell", "Campbell"), "{v:?}");
        assert!(!v.iter().any(|(i, _)| i == "company:campbells" || i == "company:woodward"), "{v:?}");
        // A name particle opens a person's name, not a town ("Van" in Turkey).
        let v = ents("", "Striker Ruud Van Nistelrooy scored twice.");
        assert!(!v.iter().any(|(i, _)| i == "location:van"), "{v:?}");
        // A headline line in Title Case is no evidence of a person.
        let v = ents("", "US Sanctions Do Not Frighten Huawei\nHuawei said it would grow.");
        assert!(has(&v, "company:huawei", "Huawei"), "{v:?}");
    }

    #[test]
    fn units_named_after_their_company_are_entities_of_their_own() {
        let text = "Rivals said PepsiCo International would grow, and Lockheed Martin Aeronautics' plant in Continental Europe stays open. GE Capital lent money to GM Europe, a unit of General Motors; GM said it agreed.";
        let a = run("", text);
        let unit = |name: &str| a.entities.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name}: {:?}", a.entities.iter().map(|e| &e.name).collect::<Vec<_>>()));
        let pepsi = unit("PepsiCo International");
        assert_eq!((pepsi.id.as_str(), pepsi.parent.as_deref()), ("company:pepsico-international", Some("company:pepsico")));
        assert_eq!(unit("Lockheed Martin Aeronautics").parent.as_deref(), Some("company:lockheed-martin"));
        assert_eq!(unit("GE Capital").kind, EntityType::Company);
        // Not a unit: a region after an ordinary word, and the parent itself is not named.
        assert!(a.entities.iter().all(|e| e.id != "company:pepsico" && e.id != "company:continental"), "{:?}", a.entities.iter().map(|e| &e.id).collect::<Vec<_>>());
        // "GM" names the parent of "GM Europe" when General Motors is named in full.
        let v = ents("", text);
        assert!(has(&v, "company:general-motors", "GM"), "{v:?}");
        assert!(has(&v, "location:europe", "Continental Europe"), "{v:?}");
    }

    #[test]
    fn short_forms_link_to_the_full_name() {
        let v = ents("", "General Motors chief executive Mary Barra said GM would cut jobs. Barra added that Samsung Electronics would supply chips; Samsung declined to comment.");
        assert!(has(&v, "company:general-motors", "GM"), "{v:?}");
        let barra = v.iter().find(|(i, _)| i == "person:mary-barra").expect("Mary Barra");
        assert!(barra.1.iter().any(|s| s == "Barra"), "{v:?}");
        let sam = v.iter().find(|(_, s)| s.iter().any(|x| x == "Samsung Electronics")).expect("Samsung Electronics");
        assert!(sam.1.iter().any(|s| s == "Samsung"), "{v:?}");
    }

    #[test]
    fn people_from_titles_verbs_appositions_and_first_names() {
        let v = ents(
            "",
            "Republican Senator Bob Corker was unhappy. \"No,\" said Alan Fan. Fritz Henderson, the chief executive of the company, spoke. Mr Kvasov argued that Denis Kvasov was right. President Bush agreed.",
        );
        for id in ["person:bob-corker", "person:alan-fan", "person:fritz-henderson", "person:denis-kvasov", "person:bush"] {
            assert!(v.iter().any(|(i, _)| i == id), "{id}: {v:?}");
        }
        assert!(has(&v, "person:denis-kvasov", "Kvasov"), "{v:?}");
        assert!(!v.iter().any(|(i, _)| i.starts_with("location:")), "Henderson is a surname here: {v:?}");
    }

    #[test]
    fn unknown_names_from_head_words_and_stock_indices_skipped() {
        let v = ents("", "An analyst at Janco Partners said the National Cotton Council met at Changi Airport. The Nikkei average fell.");
        assert!(v.iter().any(|(i, _)| i == "company:janco-partners"), "{v:?}");
        assert!(v.iter().any(|(i, _)| i == "organization:national-cotton-council"), "{v:?}");
        assert!(v.iter().any(|(i, _)| i == "location:changi-airport"), "{v:?}");
        assert!(!v.iter().any(|(_, s)| s.iter().any(|x| x == "Nikkei")), "{v:?}");
        let v = ents("", "Tom Price of Solaris Asset Management and Ann Lee of Orvane Economics said Digital Rights Management hurt Hinckley United.");
        for id in ["company:solaris-asset-management", "company:orvane-economics", "organization:hinckley-united", "person:tom-price"] {
            assert!(v.iter().any(|(i, _)| i == id), "{id}: {v:?}");
        }
        assert!(!v.iter().any(|(i, _)| i.contains("digital-rights")), "{v:?}");
    }

    #[test]
    fn nominal_references_resolve_to_companies() {
        let text = "Huawei sued Nokia on Monday. The two network equipment makers have fought for years. The Chinese giant said it would win.";
        let an = run("", text);
        let ids = |a: &Anchor| a.entities.iter().map(|&e| an.entities[e].id.clone()).collect::<Vec<_>>();
        let two = an.anchors.iter().find(|a| text[a.start..a.end].starts_with("The two")).expect("the two makers anchored");
        let mut got = ids(two);
        got.sort();
        assert_eq!(got, vec!["company:huawei".to_string(), "company:nokia".to_string()]);
        let giant = an.anchors.iter().find(|a| text[a.start..a.end].contains("giant")).expect("the Chinese giant anchored");
        assert_eq!(ids(giant), vec!["company:huawei".to_string()]);
    }
}

