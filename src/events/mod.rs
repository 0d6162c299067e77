//! Events: a rule engine over sentences and entity anchors.
//!
//! For each sentence, an Aho-Corasick scan for the rules' keywords selects the few rules worth
//! trying; each selected rule's trigger regex is run on the sentence, and the rule's roles are
//! filled from syntactic slots around the trigger:
//!
//! | slot | where | example |
//! |---|---|---|
//! | `subject` | nearest name group before the trigger in its clause, not after a preposition | **Huawei** has extended |
//! | `passive` | the same group when the trigger is passive | **it** has been punished by |
//! | `object` | first name group after the trigger, before any preposition | fined **Microsoft** |
//! | `premod` | group right before the trigger ("X's", "X (X)") | **United States (US)** sanctions |
//! | `inside` | names inside the trigger match | punished by **US** sanctions |
//! | a preposition (`with`, `from`, `on`, `by`...) | the group after it ("including"/"such as" lists too) | royalties from **Apple and Samsung** |
//!
//! A *group* is a run of names joined by commas, "and", "or", "&" or parentheses, so
//! coordinated lists fill a role together. Anchors include coreference ("the company", "it",
//! "we" inside a quote attributed to a company). Then polarity, modality, date, count and amount
//! are read from the clause.

pub mod dates;
pub mod keywords;
pub mod quotes;
pub mod rules;

use crate::entities::{Analysis, Anchor, AnchorKind, Field};
use crate::gazetteer::EntityType;
use crate::input::Article;
pub use quotes::Quote;
use regex::Regex;
pub use rules::Rule;
use std::sync::OnceLock;

/// Event polarity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    /// Happened.
    Positive,
    /// Negated or denied.
    Negative,
}

/// Event modality (see `TAXONOMY.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Modality {
    /// Stated as fact.
    Asserted,
    /// Attributed to a source or hedged.
    Reported,
    /// Intended, discussed, proposed, not decided.
    Planned,
    /// Possible, conditional, speculative.
    Hypothetical,
}

/// A role argument: an entity and the span that named it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Argument {
    /// Role name.
    pub role: String,
    /// Entity index into the analysis.
    pub entity: usize,
    /// Field of the naming span.
    pub field: Field,
    /// Byte span of the naming span (a name, "the company", "it").
    pub start: usize,
    /// End of it.
    pub end: usize,
    /// Whether it was a name, a nominal or a pronoun.
    pub via: AnchorKind,
}

/// A money amount.
#[derive(Debug, Clone, PartialEq)]
pub struct Amount {
    /// Value in units of the currency.
    pub value: f64,
    /// ISO 4217 code where known (`USD`, `EUR`, `GBP`, `JPY`, `CNY`).
    pub currency: Option<String>,
    /// The text it was read from.
    pub text: String,
}

/// An extracted event.
#[derive(Debug, Clone)]
pub struct Event {
    /// Event type.
    pub event_type: String,
    /// Id of the rule that fired.
    pub rule: String,
    /// Polarity.
    pub polarity: Polarity,
    /// Modality.
    pub modality: Modality,
    /// ISO 8601 date, as precise as the text gives.
    pub date: Option<String>,
    /// Field of the trigger.
    pub field: Field,
    /// Trigger byte span.
    pub trigger: (usize, usize),
    /// Sentence byte span.
    pub sentence: (usize, usize),
    /// Arguments.
    pub arguments: Vec<Argument>,
    /// 0..1.
    pub confidence: f32,
    /// `about 15 automakers` → 15.
    pub count: Option<u64>,
    /// Money amount in the clause.
    pub amount: Option<Amount>,
    /// Kind of measure (sanctions, export_ban, ...).
    pub measure: Option<String>,
    /// What the event is about (patents, 5G...).
    pub object: Option<String>,
}

/// The compiled rule set with its keyword pre-filter.
#[derive(Debug, Clone)]
pub struct EventEngine {
    rules: Vec<Rule>,
    prefilter: keywords::KeywordScanner,
    keyword_rules: Vec<Vec<usize>>,
    /// Per rule, the entity types any of its roles accepts ([`kind_bits`]).
    accepts: Vec<u8>,
}

const ALL_KINDS: [EntityType; 6] =
    [EntityType::Company, EntityType::Country, EntityType::Location, EntityType::Government, EntityType::Organization, EntityType::Person];

/// One bit per entity type (six of them).
fn kind_bit(t: EntityType) -> u8 {
    1 << t as u8
}

/// The entity types of the entities of `anchors`, as [`kind_bit`]s.
fn kind_bits(anchors: &[Anchor], an: &Analysis) -> u8 {
    anchors.iter().flat_map(|a| &a.entities).fold(0, |m, &e| m | kind_bit(an.entities[e].kind))
}

/// The entity types that some role of `rule` (a slot's, a preposition's or a fallback role)
/// accepts: an argument is an entity of one of them.
fn accepted_kinds(rule: &Rule) -> u8 {
    let roles = rule.roles.iter().map(|(_, r)| r).chain(rule.preps.iter().map(|(_, _, r)| r)).chain(&rule.fallback);
    let mut bits = 0;
    for role in roles.flat_map(|r| r.split('|')) {
        for &k in &ALL_KINDS {
            if role_accepts(&rule.event_type, role, k) {
                bits |= kind_bit(k);
            }
        }
    }
    bits
}

/// Built-in patterns are English words: ASCII `\w`/`\b` keep their lazy DFAs small (see
/// `rules::compile`); a pattern that needs Unicode mode keeps it.
fn re(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    cell.get_or_init(|| {
        regex::RegexBuilder::new(pattern)
            .unicode(false)
            .build()
            .or_else(|_| Regex::new(pattern))
            .expect("built-in regex")
    })
}

fn clause_breaker() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)(?:;|:|\s-\s|\bbut\b|\bwhile\b|\bwhereas\b|\balthough\b|\bthough\b|\bbecause\b|\bdespite\b|\bwhen\b|\bafter\b|\bbefore\b|\bsince\b|\bwho\b|\bwhich\b|\bunless\b|\bin response to\b|\bin retaliation for\b)")
}

fn joiner() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"^(?:\s|,|\(|\)|\band\b|&|\bor\b|\bas well as\b|\bplus\b)*$")
}

fn preposition_before() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:with|from|by|of|to|in|on|at|for|against|into|over|than|including|like|about|between|among|through|via|under|toward|towards|as)\s+(?:the\s+|a\s+|an\s+)?$")
}

fn preposition_inside() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:with|from|by|of|to|in|on|at|for|against|into|over|than|about|between|through|via|under|outside|inside|within|across|throughout|during|amid|despite|said|says)\b")
}

/// An auxiliary or reporting verb: a preposition's object has ended before it ("an
/// inquiry into the bank's sales was started on the orders of X").
fn finite_verb() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:is|are|was|were|has|have|had|will|would|can|could|may|might|should|must|said|says)\b")
}

fn passive_before() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:is|was|were|are|been|being|be|got|gets|get|getting)\s+(?:\w+ly\s+)?(?:being\s+)?$")
}

fn negation() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)(?:\bnot\b|\bnever\b|\bno longer\b|n't\b|n’t\b|\bdenied\b|\bdenies\b|\bdeny\b|\brefused to\b|\brefuses to\b|\bdeclined to\b|\bfailed to\b|\bwithout\b|\brather than\b|\binstead of\b|\bno\b|\b(?:banned|barred|prevented|blocked)\s+from\b)")
}

fn hypothetical() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:may|might|could|would|should|if|unless|whether|possible|possibly|potential|potentially|likely|possibility|prospect\s+of|maximum|think|thinks|threat(?:en(?:s|ed|ing)?)?|risk(?:s|ing)?|fac(?:e|es|ing)\s+(?:possible|potential)|rumou?r(?:s|ed)?|speculat\w*|fear(?:s|ed|ing)?)\b")
}

fn planned() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:consider(?:s|ed|ing)?|think(?:s|ing)?\s+(?:of|about)|mull(?:s|ed|ing)?|weigh(?:s|ed|ing)?|talks?|negotiat(?:e|es|ing|ions?)|propos\w+|seek(?:s|ing)?|sought|want(?:s|ed)?|hop(?:e|es|ed|ing)|aim(?:s|ed|ing)?|expect(?:s|ed)?|predict(?:s|ed|ing)?|prepar\w+|explor\w+|call(?:s|ed)? for|urg(?:e|es|ed)|discuss\w*|studying|look(?:s|ing)? (?:at|into)|push(?:es|ing|ed)? for|lobb\w+|ask(?:s|ed|ing)?|plead\w*|demand(?:s|ed|ing)?|request(?:s|ed|ing)?)\b")
}

fn reported() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:reportedly|according to|said|says|claimed|claims|is claimed|alleged(?:ly)?|sources|reported|reports)\b")
}

fn count_regex() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:about|around|some|nearly|almost|more than|over|up to|at least|roughly|approximately)?\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?\s*(?:million|billion)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|hundreds|thousands)\s+(?:new\s+|more\s+)?(?P<noun>[a-z]+s)\b")
}

fn amount_regex() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)(?P<pre>US\s?\$|\$|€|£|¥|EUR\s?|USD\s?|GBP\s?)\s?(?P<v>\d[\d,]*(?:\.\d+)?)\s*(?P<mult>bn|billion|bln|m|mn|mln|million|k|thousand|trillion|tn)?\b|(?P<v2>\d[\d,]*(?:\.\d+)?)\s*(?P<mult2>bn|billion|bln|m|mn|mln|million|trillion)?\s+(?P<cur>euros?|dollars|pounds|yen|yuan|won|rupees)\b")
}

/// Entity types allowed in a role (others are skipped when filling it).
fn role_accepts(event_type: &str, role: &str, t: EntityType) -> bool {
    use EntityType::*;
    match role {
        "person" => t == Person,
        // Revenue and profit are a business's ("EU exports rose" is trade, not sales).
        "company" if event_type.starts_with("revenue") || event_type.starts_with("profit") => t == Company,
        "company" => matches!(t, Company | Organization) || (event_type.starts_with("jobs") && t == Government),
        // A company runs its own internal investigation ("RadioShack launched an internal
        // investigation of its chief executive"); people are investigated.
        "authority" if event_type.starts_with("investigation") => matches!(t, Country | Government | Organization | Company),
        "imposer" | "authority" => matches!(t, Country | Government | Organization),
        "target" => t != Person || event_type.starts_with("sanction") || event_type.starts_with("investigation"),
        "licensor" | "licensee" | "collector" | "payer" => matches!(t, Company | Organization),
        "parties" => matches!(t, Company | Organization | Government | Country),
        "acquirer" | "seller" => matches!(t, Company | Organization | Government | Person),
        "investor" => matches!(t, Company | Organization | Government | Country | Person),
        "acquired" | "investee" => matches!(t, Company | Organization),
        "plaintiff" | "defendant" => matches!(t, Company | Organization | Government | Country | Person),
        _ => t != Location,
    }
}

struct Group {
    start: usize,
    end: usize,
    members: Vec<usize>, // anchor indices into the sentence's anchor list
    /// Only demonyms ("Chinese"): adjectives, weak as arguments outside premodifiers.
    demonym_only: bool,
    /// Only possessive determiners ("its", "our"): they qualify the next noun, so they fill
    /// only premodifier slots ("its revenue").
    possessive_only: bool,
}

/// Keywords match at the start of a word: "sue" in "sued" and "suing", not in "issue"; "end" in
/// "ended", not in "spend".
fn word_start(text: &str, at: usize) -> bool {
    at == 0 || !text.as_bytes()[at - 1].is_ascii_alphanumeric()
}

/// Whether the arguments make a business event at all. People alone do not buy or sell
/// companies ("X takes over from Y on the right wing", "to buy light bulbs") nor merge.
fn plausible(ev_type: &str, args: &[Argument], an: &Analysis) -> bool {
    let kind = |a: &Argument| an.entities[a.entity].kind;
    let organised = |a: &Argument| matches!(kind(a), EntityType::Company | EntityType::Organization | EntityType::Government);
    if ev_type.starts_with("acquisition") || ev_type.starts_with("merger") {
        return args.is_empty() || args.iter().any(organised);
    }
    true
}

fn is_possessive(s: &str) -> bool {
    matches!(s, "its" | "Its" | "our" | "Our" | "their" | "Their")
}

fn groups_of(text: &str, anchors: &[Anchor], an: &Analysis) -> Vec<Group> {
    let place = |a: &Anchor| a.entities.first().is_some_and(|&e| matches!(an.entities[e].kind, EntityType::Country | EntityType::Location));
    let mut out: Vec<Group> = Vec::new();
    for (i, a) in anchors.iter().enumerate() {
        if let Some(g) = out.last_mut() {
            let poss = is_possessive(&text[a.start..a.end]);
            let gap = if a.start >= g.end { &text[g.end..a.start] } else { "" };
            // "between Japan and the United States, Japan Airlines has been fined": a bare
            // comma between a place and an organisation is a clause edge, not a list.
            let last = &anchors[*g.members.last().unwrap_or(&i)];
            let comma_only = gap.contains(',') && !gap.contains("and") && !gap.contains('&') && !gap.contains("or") && !gap.contains('(');
            let mixed = comma_only && place(last) != place(a);
            if a.start >= g.end && !poss && !g.possessive_only && !mixed && joiner().is_match(gap) {
                g.end = g.end.max(a.end);
                g.members.push(i);
                g.demonym_only &= a.kind == AnchorKind::Demonym;
                g.possessive_only &= is_possessive(&text[a.start..a.end]);
                continue;
            }
            if a.start < g.end {
                // Nested or overlapping anchor (a reference inside a name): same group. A
                // demonym inside a description ("the Irish carrier" → Ryanair) only describes.
                if a.kind == AnchorKind::Demonym && g.members.iter().any(|&m| anchors[m].kind != AnchorKind::Demonym && anchors[m].start <= a.start && anchors[m].end >= a.end) {
                    continue;
                }
                g.members.push(i);
                continue;
            }
        }
        out.push(Group {
            start: a.start,
            end: a.end,
            members: vec![i],
            demonym_only: a.kind == AnchorKind::Demonym,
            possessive_only: is_possessive(&text[a.start..a.end]),
        });
    }
    out
}

impl EventEngine {
    /// Compiles the rules and their keyword pre-filter.
    pub fn new(rules: Vec<Rule>) -> EventEngine {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (ri, r) in rules.iter().enumerate() {
            for k in &r.keywords {
                match keywords.iter().position(|x| x == k) {
                    Some(p) => keyword_rules[p].push(ri),
                    None => {
                        keywords.push(k.clone());
                        keyword_rules.push(vec![ri]);
                    }
                }
            }
        }
        // A dense DFA (see `keywords`): overlapping search over every byte of every article is
        // the hot loop, and the keyword set is small (a few hundred states).
        let prefilter = keywords::KeywordScanner::new(&keywords);
        let accepts = rules.iter().map(accepted_kinds).collect();
        EventEngine { rules, prefilter, keyword_rules, accepts }
    }

    /// The rules.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// Extracts events from an analysed article.
    pub fn extract(&self, article: &Article, an: &Analysis, quotes: &[Quote]) -> Vec<Event> {
        let published = article.published.as_deref().and_then(dates::parse_iso);
        let text = article.text.as_str();
        // The analysis' anchors, borrowed when no quote adds a pronoun and they are in order
        // already (as `entities::analyze` leaves them): no copy of every anchor per article.
        let mut extra = Vec::new();
        add_quote_pronouns(text, an, quotes, &mut extra);
        let anchors: std::borrow::Cow<[Anchor]> = if extra.is_empty() && an.anchors.is_sorted_by_key(|a| (a.start, a.end)) {
            std::borrow::Cow::Borrowed(&an.anchors)
        } else {
            let mut all = an.anchors.clone();
            all.append(&mut extra);
            all.sort_by_key(|a| (a.start, a.end));
            std::borrow::Cow::Owned(all)
        };
        let mut events = Vec::new();

        // Which rules may fire in which sentence.
        let n = an.seg.sentences.len();
        let mut per_sentence: Vec<Vec<usize>> = vec![Vec::new(); n];
        self.prefilter.scan(text.as_bytes(), |k, start| {
            if word_start(text, start) {
                let si = crate::entities::sentence_of(&an.seg, start);
                if si < n {
                    per_sentence[si].extend_from_slice(&self.keyword_rules[k]);
                }
            }
        });
        for (si, rules) in per_sentence.iter_mut().enumerate() {
            if rules.is_empty() {
                continue;
            }
            rules.sort_unstable();
            rules.dedup();
            let s = &an.seg.sentences[si];
            let lo = anchors.partition_point(|a| a.start < s.start);
            let hi = anchors.partition_point(|a| a.start < s.end);
            let prev = match si.checked_sub(1).and_then(|p| an.seg.sentences.get(p)) {
                Some(p) => &anchors[anchors.partition_point(|a| a.start < p.start)..lo],
                None => &anchors[..0],
            };
            self.sentence_events(text, Field::Text, (s.start, s.end), (&anchors[lo..hi], prev), rules, an, published, &mut events);
        }

        // The title, as one more sentence with its own name anchors.
        if let Some(title) = article.title.as_deref() {
            let mut rules: Vec<usize> = Vec::new();
            self.prefilter.scan(title.as_bytes(), |k, start| {
                if word_start(title, start) {
                    rules.extend_from_slice(&self.keyword_rules[k]);
                }
            });
            rules.sort_unstable();
            rules.dedup();
            if !rules.is_empty() {
                let mut ta: Vec<Anchor> = Vec::new();
                for (ei, e) in an.entities.iter().enumerate() {
                    for m in e.mentions.iter().filter(|m| m.field == Field::Title) {
                        let kind = if m.form == crate::entities::MentionForm::Demonym { AnchorKind::Demonym } else { AnchorKind::Name };
                        ta.push(Anchor { start: m.start, end: m.end, entities: vec![ei], kind, sentence: 0 });
                    }
                }
                ta.sort_by_key(|a| (a.start, a.end));
                self.sentence_events(title, Field::Title, (0, title.len()), (&ta, &[]), &rules, an, published, &mut events);
            }
        }
        merge_events(events)
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence_events(
        &self,
        text: &str,
        field: Field,
        (ss, se): (usize, usize),
        (anchors, prev): (&[Anchor], &[Anchor]),
        rule_ids: &[usize],
        an: &Analysis,
        published: Option<dates::Ymd>,
        out: &mut Vec<Event>,
    ) {
        let sentence = &text[ss..se];
        // Built on the first trigger match: most sentences reaching here match none.
        let groups_cell: std::cell::OnceCell<Vec<Group>> = std::cell::OnceCell::new();
        let (here, before) = (kind_bits(anchors, an), kind_bits(prev, an));
        for &ri in rule_ids {
            let rule = &self.rules[ri];
            // Arguments are only entities of name anchors (this sentence's, or the previous
            // one's for a fallback role) of a type one of the rule's roles accepts. Without
            // any, a rule that needs an argument cannot fire, and its trigger is not searched:
            // over half of the keyword-selected pairs in news text.
            let accepts = self.accepts[ri];
            if rule.min_args > 0 && here & accepts == 0 && (rule.fallback.is_empty() || before & accepts == 0) {
                continue;
            }
            // The trigger first: it fails far more often than `requires` (keywords are
            // substrings), so most sentences cost one regex pass per rule, not two.
            // Rule patterns run over bytes (`rules::compile`); a match that would cut a
            // character in two is no trigger.
            let mut triggers = rule.trigger.find_iter(sentence.as_bytes()).filter(|m| sentence.is_char_boundary(m.start()) && sentence.is_char_boundary(m.end())).peekable();
            if triggers.peek().is_none() {
                continue;
            }
            if rule.requires.as_ref().is_some_and(|r| !r.is_match(sentence.as_bytes())) {
                continue;
            }
            if rule.excludes.as_ref().is_some_and(|r| r.is_match(sentence.as_bytes())) {
                continue;
            }
            let groups = groups_cell.get_or_init(|| groups_of(text, anchors, an));
            for m in triggers {
                let (ts, te) = (ss + m.start(), ss + m.end());
                if let Some(ev) = self.fill(rule, text, field, (ss, se), (ts, te), (anchors, prev), groups, an, published) {
                    out.push(ev);
                }
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn fill(
        &self,
        rule: &Rule,
        text: &str,
        field: Field,
        (ss, se): (usize, usize),
        (ts, te): (usize, usize),
        (anchors, prev): (&[Anchor], &[Anchor]),
        groups: &[Group],
        an: &Analysis,
        published: Option<dates::Ymd>,
    ) -> Option<Event> {
        // Clause bounds around the trigger.
        let left = clause_breaks(&text[ss..ts]).last().map_or(ss, |m| ss + m.1);
        let right = clause_breaks(&text[te..se]).next().map_or(se, |m| te + m.0);
        let before = &text[left..ts];
        let passive = passive_before().is_match(before) && is_participle(&text[ts..te]);
        let mut args: Vec<Argument> = Vec::new();
        let ev_type = rule.event_type.as_str();

        // A slot may name several roles (`company|person`): each entity takes the first
        // role that accepts its type.
        let push_group = |g: &Group, roles: &str, args: &mut Vec<Argument>| {
            push_anchors(text, g.members.iter().map(|&ai| &anchors[ai]), roles, ev_type, an, field, args)
        };

        // premod and inside.
        let mut premod_group: Option<usize> = None;
        if let Some(role) = rule.role("premod") {
            if let Some(g) = groups.iter().rev().find(|g| g.end <= ts && g.start >= left) {
                let gap = &text[g.end..ts];
                static PREMOD: OnceLock<Regex> = OnceLock::new();
                // "Microsoft's $7.5bn takeover": an amount may stand between.
                let ok = re(&PREMOD, r"^(?:'s|’s|\)|\s|-)*(?:(?:US)?[$€£¥]\s?\d[\d.,]*\s*(?:bn|m|mn|billion|million|trillion)?(?:\s*\([^)]*\))?\s+)?(?:[a-z][a-z-]*\s+){0,2}$").is_match(gap) && gap.len() <= 45;
                if ok && push_group(g, role, &mut args) {
                    premod_group = Some(g.start);
                }
            }
        }
        if let Some(role) = rule.role("inside") {
            for g in groups.iter().filter(|g| g.start >= ts && g.end <= te) {
                push_group(g, role, &mut args);
            }
        }
        // subject / passive subject.
        let subject_role = if passive { rule.role("passive") } else { rule.role("subject") };
        // Premodifier and subject readings, which an adjacent agent phrase overrides.
        let subject_from = 0;
        if let Some(role) = subject_role {
            // "Sprint accepted a buyout from SoftBank, turning down a richer offer from Verizon": a
            // participial clause after a comma takes the clause's first name as subject.
            static PARTICIPIAL: OnceLock<Regex> = OnceLock::new();
            let participial = re(&PARTICIPIAL, r"^[A-Za-z]+ing\b").is_match(&text[ts..te]) && before.trim_end().ends_with(',');
            let mut candidates: Vec<(usize, &Group)> = groups.iter().enumerate().filter(|(_, g)| g.end <= ts && g.start >= left).collect();
            if !participial {
                candidates.reverse();
            }
            for (gi, g) in candidates {
                // A premodifier of the trigger is not its subject ("US sanctions"), nor is
                // anything before it ("in response to the Hamas takeover").
                if premod_group == Some(g.start) && !passive {
                    break;
                }
                // "a parts maker owned by Honda, another firm now facing a recall": the
                // name an apposition describes is the subject of what the apposition says.
                static APPOS_SUBJ: OnceLock<Regex> = OnceLock::new();
                let apposed = re(&APPOS_SUBJ, r"^,\s+(?:a|an|another|the)\s+[^,;()]*$").is_match(&text[g.end..ts]);
                // "Aeroflot, the subject of an EU ban, has had restrictions lifted": a name inside a
                // parenthetical between commas is not the subject of the verb after it.
                static PAREN: OnceLock<Regex> = OnceLock::new();
                let parenthetical = re(&PAREN, r"^[^,]*,\s*(?:\w+\s+){0,2}$").is_match(&text[g.end..ts]) && text[left..g.start].contains(", ") && groups.iter().any(|h| h.end <= g.start && h.start >= left && text[h.end..g.start].starts_with(','));
                // "The board of Cadbury rejected ...": a company's governing body speaks for it.
                static BODY_OF: OnceLock<Regex> = OnceLock::new();
                let body_of = re(&BODY_OF, r"(?i)\b(?:board|directors|shareholders|management|owners|chairman|chief\s+executive|boss)\s+of\s+(?:the\s+)?$").is_match(&text[left..g.start]);
                if g.demonym_only || g.possessive_only || parenthetical || (!apposed && !body_of && preposition_before().is_match(&text[left..g.start])) {
                    continue;
                }
                if push_group(g, role, &mut args) {
                    let mut k = gi;
                    while let Some(j) = coordinated(text, groups, k, false).filter(|&j| groups[j].start >= left) {
                        push_group(&groups[j], role, &mut args);
                        k = j;
                    }
                    break;
                }
            }
            // "Richard Goodman, 57, currently CFO of PepsiCo, who will become CFO": a
            // non-restrictive relative clause's subject is its antecedent (within 80 bytes).
            static WHO: OnceLock<Regex> = OnceLock::new();
            // "the FAA, which levied the fine": with "which" (that may also refer to a whole
            // clause) only a name right before the comma, and only a verb right after "which".
            static WHICH: OnceLock<Regex> = OnceLock::new();
            let which = re(&WHICH, r",\s*which$").is_match(&text[ss..left]) && text[left..ts].split_whitespace().count() <= 2;
            if !passive && !args.iter().any(|a| role.split('|').any(|r| r == a.role)) && (which || re(&WHO, r",\s*who$").is_match(&text[ss..left])) {
                let comma = text[..left].rfind(',').unwrap_or(left);
                let reach = if which { 2 } else { 80 };
                for g in groups.iter().rev().filter(|g| g.end <= comma && g.start >= ss && comma - g.end <= reach) {
                    if !g.demonym_only && !g.possessive_only && push_group(g, role, &mut args) {
                        break;
                    }
                }
            }
        }
        // object.
        let subject_to = args.len();
        // A trigger after a determiner is a noun ("announcing the fines, the regulator X said"): its object
        // does not run past a comma (a participle, "the blacklisted carriers, X", may).
        static DET: OnceLock<Regex> = OnceLock::new();
        let noun_trigger = re(&DET, r"(?i)\b(?:the|a|an|its|their|his|her|our|these|those)\s+$").is_match(before) && !is_participle(&text[ts..te]);
        // "bought Chile's biggest copper producer - X": a dash after the object's
        // description introduces its name.
        let obj_right = match text[right..se].strip_prefix(" - ") {
            Some(rest) => {
                let after = se - rest.len();
                clause_breaks(rest).next().map_or(se, |m| after + m.0)
            }
            None => right,
        };
        if let Some(role) = rule.role("object") {
            if !passive {
                for (gi, g) in groups.iter().enumerate().filter(|(_, g)| g.start >= te && g.end <= obj_right) {
                    // "to purchase the remaining 40 percent of X", "to buy the rest of
                    // X": a part of a company names the company.
                    static PART: OnceLock<Regex> = OnceLock::new();
                    let gap = &text[te..g.start];
                    let gap = re(&PART, r"(?i)^\s*(?:the\s+|a\s+|an\s+)?(?:remaining\s+)?(?:\S+\s+)?(?:percent|per\s+cent|%|majority|remainder|rest|half|control|bulk|all|most)\s+(?:stake\s+|share\s+|holding\s+)?(?:of|in)\s+").find(gap).map_or(gap, |m| &gap[m.end()..]);
                    if gap.len() > 60 || preposition_inside().is_match(gap) || (noun_trigger && gap.contains(',')) {
                        break;
                    }
                    // "Google must pay a fine, the European Commission said": the speaker of a
                    // reporting clause is no object.
                    static SPEAKER: OnceLock<Regex> = OnceLock::new();
                    if gap.contains(',') && re(&SPEAKER, r"^\s*(?:has\s+|have\s+|had\s+)?(?:said|says|reported|reports|told|added|announced|confirmed|stated)\b").is_match(&text[g.end..]) {
                        break;
                    }
                    static DASH: OnceLock<Regex> = OnceLock::new();
                    if g.start > right && !re(&DASH, r"^\s-\s(?:the\s+)?$").is_match(&text[right..g.start]) {
                        break;
                    }
                    if g.demonym_only || g.possessive_only || genitive_head(text, groups, gi).is_some_and(|h| groups[h].end <= obj_right) {
                        continue;
                    }
                    if push_group(g, role, &mut args) {
                        let mut k = gi;
                        while let Some(j) = coordinated(text, groups, k, true).filter(|&j| groups[j].end <= obj_right) {
                            push_group(&groups[j], role, &mut args);
                            k = j;
                        }
                        break;
                    }
                }
            }
        }
        // prepositions.
        for (slot, prep, role) in &rule.preps {
            let window_end = if slot == "by" { right.max(te) } else { right };
            // From the trigger's start: a trigger may end with its preposition ("tariffs on").
            let hay = &text[ts.min(window_end)..window_end];
            let mut pms = prep.find_iter(hay.as_bytes());
            let Some(mut pm) = pms.next() else { continue };
            // "agreed to pay a fine to the US government": an infinitive "to" gives way to a
            // later prepositional one.
            static INF: OnceLock<Regex> = OnceLock::new();
            static DET_AFTER: OnceLock<Regex> = OnceLock::new();
            while slot == "to" && re(&INF, r"^\s+[a-z]+\b").is_match(&hay[pm.end()..]) && !re(&DET_AFTER, r"^\s+(?:the|a|an|its|their|his|her|our|this|these|those|both|all|some|each|other|rival|state|local|former)\b").is_match(&hay[pm.end()..]) {
                match pms.next() {
                    Some(n) => pm = n,
                    None => break,
                }
            }
            let role = role.as_str();
            let p_end = ts + pm.end();
            let mut found = false;
            // A preposition far past the trigger attaches to something else.
            if ts + pm.start() > te + 60 {
                continue;
            }
            for (gi, g) in groups.iter().enumerate().filter(|(_, g)| g.start >= p_end && g.end <= window_end) {
                let gap = &text[p_end..g.start];
                // Past a parenthesis or a comma the preposition's own object has ended.
                // "to" before a verb marks an infinitive: its object ends at the next preposition
                // ("to share data on the X-1 engine").
                if gap.len() > 90 || gap.contains('(') || gap.contains(", ") || finite_verb().is_match(gap) || (slot == "to" && preposition_inside().is_match(gap)) {
                    break;
                }
                // "by India's Tata": the possessor modifies the head that follows.
                if genitive_head(text, groups, gi).is_some_and(|h| groups[h].end <= window_end) {
                    continue;
                }
                // "tariffs on Chinese tyres": a demonym after the preposition names the target.
                if (g.demonym_only && role != "target") || g.possessive_only {
                    continue;
                }
                if push_group(g, role, &mut args) {
                    let mut k = gi;
                    // "by two US agencies, the FBI and the SEC": a name that
                    // modifies a plural noun, then the names in apposition to that noun.
                    static APPOS: OnceLock<Regex> = OnceLock::new();
                    if let Some(n) = groups.get(gi + 1).filter(|n| n.end <= window_end && n.start >= g.end && re(&APPOS, r"^\s+(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*s\s*,\s*(?:the\s+)?$").is_match(&text[g.end..n.start])) {
                        if push_group(n, role, &mut args) {
                            k = gi + 1;
                        }
                    }
                    while let Some(j) = coordinated(text, groups, k, true).filter(|&j| groups[j].end <= window_end) {
                        push_group(&groups[j], role, &mut args);
                        k = j;
                    }
                    found = true;
                    // "Samsung has won a case brought by Apple against Samsung", "Rio
                    // Tinto rejected a takeover approach from BHP": the trigger's own agent
                    // outranks the clause subject for the same role.
                    if matches!(slot.as_str(), "by" | "from") && role != "parties" && !passive && ts + pm.start() <= te + 12 {
                        let in_by = |e: usize| g.members.iter().any(|&ai| anchors[ai].entities.contains(&e));
                        let mut i = 0;
                        args.retain(|a| {
                            i += 1;
                            !(i > subject_from && i <= subject_to && a.role == role && !in_by(a.entity))
                        });
                    }
                    break;
                }
            }
            if !found {
                // "with about 15 automakers ..., including Audi, BMW and Bentley".
                static LIST: OnceLock<Regex> = OnceLock::new();
                if let Some(lm) = re(&LIST, r"(?i)\b(?:including|such as|among them|like|namely)\b").find(&text[p_end..se]) {
                    let l_end = p_end + lm.end();
                    if let Some(g) = groups.iter().find(|g| g.start >= l_end && g.start - l_end <= 40 && !g.demonym_only && !g.possessive_only) {
                        push_group(g, role, &mut args);
                    }
                }
            }
        }
        // Fallback roles: the nearest group of the sentence the role accepts; else, when the
        // sentence refers back ("The deal ...", "The company ..."), the previous sentence.
        for role in &rule.fallback {
            if args.iter().any(|a| &a.role == role) {
                continue;
            }
            let mut order: Vec<&Group> = groups.iter().filter(|g| !g.demonym_only && (g.end <= ts || g.start >= te)).collect();
            order.sort_by_key(|g| if g.end <= ts { 2 * (ts - g.end) } else { 2 * (g.start - te) + 1 });
            let mut found = false;
            for g in order {
                if push_group(g, role, &mut args) {
                    found = true;
                    break;
                }
            }
            if !found && anaphoric_start().is_match(&text[ss..te]) {
                let pgroups = groups_of(text, prev, an);
                let mut n = 0;
                for g in pgroups.iter().filter(|g| !g.demonym_only && !g.possessive_only) {
                    if push_anchors(text, g.members.iter().map(|&ai| &prev[ai]), role, ev_type, an, field, &mut args) {
                        n += 1;
                        if n >= 2 {
                            break;
                        }
                    }
                }
            }
        }
        if args.len() < rule.min_args || !plausible(ev_type, &args, an) {
            return None;
        }
        add_government_countries(an, &mut args);

        let (mut polarity, mut modality) = polarity_modality(&text[ss..se], &text[left..ts], &text[ts..te], &text[te..right.max(te)]);
        if rule.presupposed {
            polarity = Polarity::Positive;
            modality = if reported().is_match(&text[ss..se]) { Modality::Reported } else { Modality::Asserted };
        }
        let dates = dates::find_dates(&text[ss..se], published);
        let date = dates
            .iter()
            .min_by_key(|d| {
                let (a, b) = (ss + d.start, ss + d.end);
                if b <= ts { ts - b } else { a.saturating_sub(te) }
            })
            .map(|d| d.iso.clone());
        let clause = &text[left..right];
        let count = count_regex().captures_iter(clause).find_map(|c| {
            let n = c.name("n")?.as_str();
            let noun = c.name("noun")?.as_str();
            if matches!(noun, "years" | "months" | "days" | "weeks" | "percent" | "cents" | "points" | "shares" | "dollars" | "euros" | "pounds") {
                return None;
            }
            parse_number(n)
        });
        let amount = parse_amount(clause);
        let via_coref = args.iter().any(|a| a.via != AnchorKind::Name);
        let mut confidence = rule.confidence;
        if via_coref {
            confidence *= 0.9;
        }
        if args.is_empty() {
            confidence *= 0.7;
        }
        Some(Event {
            event_type: rule.event_type.clone(),
            rule: rule.id.clone(),
            polarity,
            modality,
            date,
            field,
            trigger: (ts, te),
            sentence: (ss, se),
            arguments: args,
            confidence: (confidence * 100.0).round() / 100.0,
            count,
            amount,
            measure: rule.measure.clone(),
            object: rule.object.clone(),
        })
    }
}


/// Clause boundaries in `s` as byte ranges; "has since", "ever since" are adverbs, not
/// boundaries.
fn clause_breaks(s: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    static ADV: OnceLock<Regex> = OnceLock::new();
    let adv = re(&ADV, r"(?i)\b(?:has|have|had|ever|long|not)\s+$");
    clause_breaker().find_iter(s).filter(move |m| !(m.as_str().eq_ignore_ascii_case("since") && adv.is_match(&s[..m.start()]))).map(|m| (m.start(), m.end()))
}

/// Whether a trigger starts with a past participle (so "is/was X" before it is passive).
fn is_participle(trigger: &str) -> bool {
    let w = trigger.split(|c: char| !c.is_alphanumeric() && c != '-').find(|w| !w.is_empty()).unwrap_or("").to_ascii_lowercase();
    w.ends_with("ed")
        || w.ends_with("en")
        || matches!(w.as_str(), "bought" | "sold" | "hit" | "cut" | "led" | "held" | "won" | "struck" | "brought" | "sought" | "made" | "laid" | "paid" | "shut" | "set" | "put" | "told" | "barred" | "banned" | "fined" | "sued" | "hurt" | "sent" | "left" | "caught" | "slapped" | "granted" | "awarded" | "named" | "appointed" | "chosen" | "elected" | "ousted" | "dismissed" | "fired" | "replaced" | "removed")
}

/// The group that group `i` modifies as a possessor ("India's steelmaker Tata Steel").
fn genitive_head(text: &str, groups: &[Group], i: usize) -> Option<usize> {
    static GEN: OnceLock<Regex> = OnceLock::new();
    let gen = re(&GEN, r"^(?:'s|’s|')\s+(?:[a-z][\w-]*\s+){0,3}$");
    let j = i + 1;
    let next = groups.get(j)?;
    (next.start >= groups[i].end && gen.is_match(&text[groups[i].end..next.start])).then_some(j)
}

/// Groups coordinated with group `i` by "and its owner", "and rival", ", its parent": an
/// apposition-like conjunct that the joiner did not join.
fn coordinated(text: &str, groups: &[Group], i: usize, forward: bool) -> Option<usize> {
    static CO: OnceLock<Regex> = OnceLock::new();
    let co = re(&CO, r"^\s*,?\s*(?:and|or|as well as|plus)\s+(?:its|their|his|her|the|a|an)?\s*(?:[\w-]+\s+){0,3}$");
    let j = if forward { (i + 1..groups.len()).find(|&j| !groups[j].possessive_only && !groups[j].demonym_only)? } else { (0..i).rev().find(|&j| !groups[j].possessive_only && !groups[j].demonym_only)? };
    let (a, b) = if forward { (&groups[i], groups.get(j)?) } else { (groups.get(j)?, &groups[i]) };
    (b.start >= a.end && co.is_match(&text[a.end..b.start]) && !groups[j].possessive_only).then_some(j)
}

/// The first `n` bytes of `s` (at a char boundary).
fn tail_head(s: &str, n: usize) -> &str {
    let mut e = n.min(s.len());
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    &s[..e]
}

/// The last `n` bytes of `s` (at a char boundary).
fn tail(s: &str, n: usize) -> &str {
    let mut b = s.len().saturating_sub(n);
    while !s.is_char_boundary(b) {
        b += 1;
    }
    &s[b..]
}

/// "Novartis forecast record sales": a forecast right before the trigger.
fn forecast_before() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:forecast|forecasts|forecasting|predicted|predicts)\s+(?:an?\s+|its\s+)?$")
}

fn reported_would() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"(?i)\b(?:said|says|announced|confirmed|stated|added|told\s+\S+|revealed|disclosed)\s+(?:on\s+\w+\s+|last\s+\w+\s+)?(?:that\s+)?(?:\S+\s+){0,4}$")
}

/// Polarity and modality of an event from its sentence and the clause text before its
/// trigger (`before`). A decision announced in reported speech ("said it would cut") is
/// counted; modal verbs, conditionals, threats and risks are hypothetical; talks,
/// considerations, proposals and hopes are planned.
pub fn polarity_modality(sentence: &str, before: &str, trigger: &str, after: &str) -> (Polarity, Modality) {
    static AFTER: OnceLock<Regex> = OnceLock::new();
    let modal_after = re(&AFTER, r"(?i)^\W*(?:\S+\s+){0,2}?(?:could|may|might|would)\s+(?:\w+\s+)?(?:follow|come|be|go|happen|result)\b");
    // "Apple stopped paying royalties": what stopped no longer happens.
    static CEASE: OnceLock<Regex> = OnceLock::new();
    let ceased = re(&CEASE, r"(?i)\b(?:stop(?:s|ped|ping)?|ceas(?:e|es|ed|ing)|halt(?:s|ed|ing)?|quit(?:s|ting)?)\s+$").is_match(before);
    let polarity = if ceased || negation().is_match(tail(before, 40)) || negation().is_match(trigger) { Polarity::Negative } else { Polarity::Positive };
    let near = tail(before, 45);
    let hypo = hypothetical().find_iter(near).any(|m| {
        let w = m.as_str().to_ascii_lowercase();
        !(w == "would" || w == "will") || !reported_would().is_match(&near[..m.start()])
    });
    let hypo = hypo || modal_after.is_match(tail_head(after, 40)) || hypothetical().find_iter(trigger).any(|m| !m.as_str().eq_ignore_ascii_case("will"));
    let modality = if hypo {
        Modality::Hypothetical
    } else if planned().is_match(tail(before, 50)) || forecast_before().is_match(before) {
        Modality::Planned
    } else if reported().is_match(sentence) {
        Modality::Reported
    } else {
        Modality::Asserted
    };
    (polarity, modality)
}

/// Pushes the anchors' entities under the first of `roles` (`a|b`) that accepts each type.
fn push_anchors<'a>(text: &str, anchors: impl Iterator<Item = &'a Anchor>, roles: &str, ev_type: &str, an: &Analysis, field: Field, args: &mut Vec<Argument>) -> bool {
    let mut added = false;
    for a in anchors {
        // "US$110 million" names a currency; "Lucent (USA)" glosses where a company is.
        let glossed = text[..a.start].ends_with('(') && text[a.end..].starts_with(')');
        if text[a.end..].starts_with('$') {
            continue;
        }
        // "Boeing 777s", "the Airbus A319": a maker's name before a model designation names
        // the product.
        static MODEL: OnceLock<Regex> = OnceLock::new();
        let model = re(&MODEL, r"^\s+(?P<code>[A-Z]{0,2}-?\d{2,4})[a-zA-Z]{0,3}\b(?P<count>\s+(?:jobs|workers|staff|employees|people|million|billion|percent|per|years?|months?|days?)\b)?");
        let is_model = model.captures(&text[a.end..]).is_some_and(|c| {
            let code = &c["code"];
            let year = code.len() == 4 && (code.starts_with("19") || code.starts_with("20"));
            !year && c.name("count").is_none()
        });
        if is_model && a.entities.iter().all(|&e| an.entities[e].kind == EntityType::Company) {
            continue;
        }
        // An analyst's employer comments on the event ("an analyst at X Securities",
        // "Y analyst John Smith"); it takes no part in it.
        static ANALYST_AT: OnceLock<Regex> = OnceLock::new();
        static ANALYST_OF: OnceLock<Regex> = OnceLock::new();
        if re(&ANALYST_AT, r"(?i)\b(?:analysts?|economists?|strategists?)\s+(?:at|with|from)\s+(?:the\s+)?$").is_match(tail(&text[..a.start], 40))
            || re(&ANALYST_OF, r"^(?:'s|’s)?\s+(?:[A-Z][\w&.-]*\s+){0,2}(?:analysts?|economists?|strategists?)\b").is_match(tail_head(&text[a.end..], 60))
        {
            continue;
        }
        // A country naming where a business or a person is from ("the US firm", "a US TV
        // network", "US insurance executives") qualifies them; it takes no part itself.
        // Sanctions and tariffs on "Chinese firms" do target the country.
        static ORIGIN_OF: OnceLock<Regex> = OnceLock::new();
        let place = a.entities.iter().any(|&e| matches!(an.entities[e].kind, EntityType::Country | EntityType::Location));
        let origin = place && !ev_type.starts_with("sanction") && !ev_type.starts_with("tariff") && re(
            &ORIGIN_OF,
            r"^\s+(?:[a-z][\w-]*\s+){0,2}?(?:firms?|compan(?:y|ies)|giants?|makers?|networks?|rappers?|singers?|stars?|executives?|carriers?|airlines?|retailers?|industry|investors?|consumers?|shoppers|insurers?|brokers?|brands?|chains?|operators?|manufacturers?|businesses|bosses|clients|customers)\b",
        )
        .is_match(tail_head(&text[a.end..], 80));
        for &e in &a.entities {
            if (glossed || origin) && matches!(an.entities[e].kind, EntityType::Country | EntityType::Location) {
                continue;
            }
            // A news outlet cited as the source ("according to the Nikkei", "Reuters
            // reported") reports the event; it takes part only as an actor ("Reuters said it").
            // A reference ("the company", "we") resolved to an outlet cited nearby as the
            // source is a resolution error of the same kind.
            if an.entities[e].subtype.as_deref() == Some("media") {
                let cited = if a.kind == AnchorKind::Name {
                    media_source(text, a.start, a.end)
                } else {
                    an.entities[e].mentions.iter().any(|m| {
                        m.field == field && m.start + 400 >= a.start && m.start <= a.end + 200 && media_source(text, m.start, m.end)
                    })
                };
                if cited {
                    continue;
                }
            }
            let Some(role) = roles.split('|').find(|r| role_accepts(ev_type, r, an.entities[e].kind)) else { continue };
            if !args.iter().any(|x| x.entity == e && x.role == role) {
                args.push(Argument { role: role.to_string(), entity: e, field, start: a.start, end: a.end, via: a.kind });
                added = true;
            }
        }
    }
    added
}

/// A media mention in a source position: after "according to", "quoted by", "told", or
/// before a reporting verb that is not followed by "it"/"its" (the outlet about itself).
fn media_source(text: &str, start: usize, end: usize) -> bool {
    static B: OnceLock<Regex> = OnceLock::new();
    static A: OnceLock<Regex> = OnceLock::new();
    let before = tail(&text[..start], 60);
    let after = tail_head(&text[end..], 80);
    re(&B, r"(?i)\b(?:according\s+to|quoted\s+by|cited\s+by|reported\s+by|told|interview\s+with|report\s+(?:by|from|in))\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?$").is_match(before)
        || re(&A, r"(?i)^(?:'s|’s)?(?:\s+[\w-]+){0,3}?\s+(?:said|says|reported|reports|quoted|cited|wrote|writes|revealed|learned|learnt|understands)\b(?P<self>\s+(?:that\s+)?(?:it|its)\b)?")
            .captures(after)
            .is_some_and(|c| c.name("self").is_none())
}

/// A sentence that opens by referring back to something just named.
fn anaphoric_start() -> &'static Regex {
    static C: OnceLock<Regex> = OnceLock::new();
    re(&C, r"^\W*(?:(?:The|This|That|Under the|As part of the)\s+(?:\w+\s+){0,2}?(?:deal|agreement|acquisition|merger|takeover|purchase|contract|partnership|sale|bid|offer|transaction|combination|pact|settlement|fine|penalty|ban|sanctions|tariff|dut(?:y|ie)|move|decision|parties|companies|firms|sides)s?\b|(?:It|They|The company|The firm|The group)\b)")
}

/// Government actors: the country behind a named body is given too (ANNOTATION.md).
fn add_government_countries(an: &Analysis, args: &mut Vec<Argument>) {
    let mut extra = Vec::new();
    for a in args.iter() {
        let e = &an.entities[a.entity];
        if e.kind != EntityType::Government {
            continue;
        }
        let Some(code) = e.country.as_deref() else { continue };
        let Some(ci) = an.entities.iter().position(|c| c.kind == EntityType::Country && c.country.as_deref() == Some(code)) else { continue };
        if !args.iter().chain(extra.iter()).any(|x: &Argument| x.entity == ci && x.role == a.role) {
            extra.push(Argument { entity: ci, ..a.clone() });
        }
    }
    args.extend(extra);
}

/// The first money amount in `s`: "$4.5bn", "2.4 bln euros", "US$16.4 million", "£6.7 billion".
pub fn parse_amount(s: &str) -> Option<Amount> {
    amount_regex().captures_iter(s).next().and_then(|c| {
            let (v, mult, cur) = if let Some(v) = c.name("v") {
                let pre = c.name("pre").map_or("", |p| p.as_str()).trim().to_uppercase();
                let cur = match pre.as_str() {
                    "$" | "US$" | "US $" | "USD" => "USD",
                    "€" | "EUR" => "EUR",
                    "£" | "GBP" => "GBP",
                    "¥" => "JPY",
                    _ => "",
                };
                (v.as_str(), c.name("mult").map(|m| m.as_str()), cur)
            } else {
                let cur = match c.name("cur").map_or("", |x| x.as_str()).to_lowercase().trim_end_matches('s') {
                    "euro" => "EUR",
                    "dollar" => "USD",
                    "pound" => "GBP",
                    "yen" => "JPY",
                    "yuan" => "CNY",
                    "won" => "KRW",
                    "rupee" => "INR",
                    _ => "",
                };
                (c.name("v2")?.as_str(), c.name("mult2").map(|m| m.as_str()), cur)
            };
            let base: f64 = v.replace(',', "").parse().ok()?;
            let k = match mult.map(|m| m.to_lowercase()) {
                Some(m) if m == "bn" || m == "billion" || m == "bln" => 1e9,
                Some(m) if m == "m" || m == "mn" || m == "mln" || m == "million" => 1e6,
                Some(m) if m == "k" || m == "thousand" => 1e3,
                Some(m) if m == "trillion" || m == "tn" => 1e12,
                _ => 1.0,
            };
            Some(Amount { value: (base * k * 100.0).round() / 100.0, currency: (!cur.is_empty()).then(|| cur.to_string()), text: c.get(0)?.as_str().to_string() })
    })
}

fn parse_number(n: &str) -> Option<u64> {
    let words = [("one", 1), ("two", 2), ("three", 3), ("four", 4), ("five", 5), ("six", 6), ("seven", 7), ("eight", 8), ("nine", 9), ("ten", 10), ("eleven", 11), ("twelve", 12), ("fifteen", 15), ("twenty", 20), ("thirty", 30)];
    let l = n.to_lowercase();
    if let Some((_, v)) = words.iter().find(|(w, _)| *w == l) {
        return Some(*v);
    }
    let mut parts = l.split_whitespace();
    let num: f64 = parts.next()?.replace(',', "").parse().ok()?;
    let mult = match parts.next() {
        Some("million") => 1e6,
        Some("billion") => 1e9,
        _ => 1.0,
    };
    let v = num * mult;
    ((0.0..1e15).contains(&v) && v.fract() == 0.0).then_some(v as u64)
}

/// "we"/"our" inside a quote attributed to an organisation's speaker refer to it.
fn add_quote_pronouns(text: &str, an: &Analysis, quotes: &[Quote], anchors: &mut Vec<Anchor>) {
    static WE: OnceLock<Regex> = OnceLock::new();
    let we = re(&WE, r"\b(?:[Ww]e|[Oo]ur|[Uu]s)\b");
    for q in quotes {
        let Some(org) = q.speaker_org else { continue };
        if an.entities[org].kind != EntityType::Company && an.entities[org].kind != EntityType::Organization {
            continue;
        }
        for m in we.find_iter(&text[q.start..q.end]) {
            let (s, e) = (q.start + m.start(), q.start + m.end());
            if &text[s..e] == "US" {
                continue;
            }
            anchors.push(Anchor { start: s, end: e, entities: vec![org], kind: AnchorKind::Pronoun, sentence: crate::entities::sentence_of(&an.seg, s) });
        }
    }
}

/// Merges events of one type fired on the same trigger; orders by position.
fn merge_events(mut events: Vec<Event>) -> Vec<Event> {
    events.sort_by(|a, b| (a.field, a.trigger.0, &a.event_type).cmp(&(b.field, b.trigger.0, &b.event_type)));
    let mut out: Vec<Event> = Vec::new();
    for ev in events {
        if let Some(last) = out.last_mut() {
            let overlap = last.field == ev.field && last.event_type == ev.event_type && ev.trigger.0 < last.trigger.1;
            if overlap {
                for a in ev.arguments {
                    if !last.arguments.iter().any(|x| x.entity == a.entity && x.role == a.role) {
                        last.arguments.push(a);
                    }
                }
                if ev.trigger.1 > last.trigger.1 {
                    last.trigger.1 = ev.trigger.1;
                }
                last.confidence = last.confidence.max(ev.confidence);
                continue;
            }
        }
        out.push(ev);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pm(sentence: &str, trigger: &str) -> (Polarity, Modality) {
        let at = sentence.find(trigger).expect("trigger in sentence");
        polarity_modality(sentence, &sentence[..at], trigger, &sentence[at + trigger.len()..])
    }

    #[test]
    fn decisions_are_counted_and_intentions_are_not() {
        assert_eq!(pm("Ford will cut 3,800 jobs.", "cut"), (Polarity::Positive, Modality::Asserted));
        assert_eq!(pm("Cisco agreed to buy Splunk.", "buy"), (Polarity::Positive, Modality::Asserted));
        assert_eq!(pm("Embraer said it would cut 4,200 jobs.", "cut").1, Modality::Reported);
        assert_eq!(pm("Huawei has reportedly extended a license.", "extended").1, Modality::Reported);
        assert_eq!(pm("Oracle is considering a bid for MCI.", "bid").1, Modality::Planned);
        assert_eq!(pm("The two firms are in talks on a merger.", "merger").1, Modality::Planned);
        assert_eq!(pm("The US threatened to impose tariffs.", "impose tariffs").1, Modality::Hypothetical);
        assert_eq!(pm("Microsoft may be fined.", "fined").1, Modality::Hypothetical);
        assert_eq!(pm("Unions fear layoffs could follow.", "layoffs").1, Modality::Hypothetical);
        assert_eq!(pm("Sony said its sales may fall.", "sales may fall").1, Modality::Hypothetical);
    }

    #[test]
    fn rules_without_a_possible_argument_are_skipped_but_fallbacks_still_reach_back() {
        let x = crate::Extractor::embedded().expect("embedded data");
        let events = |text: &str| -> Vec<(String, Vec<String>)> {
            let out = x.extract(&crate::Article::from_text(text));
            out.events.iter().map(|e| (e.event_type.clone(), e.arguments.iter().map(|a| format!("{}={}", a.role, a.entity)).collect())).collect()
        };
        // The second sentence names nobody; its job cuts take the company of the one before.
        let ev = events("Ford posted a record loss on Monday. The move will cut 3,800 jobs in Europe.");
        assert!(ev.contains(&("jobs.cut".to_string(), vec!["company=company:ford".to_string()])), "{ev:?}");
        // A place is no party to job cuts: the rule is skipped, and nothing is lost by that.
        assert!(events("In London, 3,800 workers lost their jobs on Monday.").is_empty());
        // The types a rule's roles accept, from its slots, prepositions and fallbacks.
        let rule = x.rules().iter().find(|r| r.id == "jobs.cut.verb").expect("rule");
        let bits = accepted_kinds(rule);
        for (kind, accepted) in [(EntityType::Company, true), (EntityType::Organization, true), (EntityType::Location, false), (EntityType::Person, false)] {
            assert_eq!(bits & kind_bit(kind) != 0, accepted, "{kind:?}");
        }
    }

    #[test]
    fn keywords_match_at_the_start_of_a_word() {
        let text = "The issue ended.";
        assert!(!word_start(text, text.find("sue").unwrap()));
        assert!(word_start(text, text.find("end").unwrap()));
        assert!(word_start(text, 0));
        assert!(word_start("cross-licensing", 6));
    }

    #[test]
    fn negation_makes_negative_polarity() {
        assert_eq!(pm("Huawei did not extend its license.", "extend").0, Polarity::Negative);
        assert_eq!(pm("Nokia denied it had signed a deal.", "signed").0, Polarity::Negative);
        assert_eq!(pm("Apple no longer pays royalties.", "pays").0, Polarity::Negative);
        assert_eq!(pm("Apple pays royalties.", "pays").0, Polarity::Positive);
        assert_eq!(pm("Nokia has been barred from suing Apple.", "suing").0, Polarity::Negative);
    }

    #[test]
    fn amounts_with_currencies() {
        let a = parse_amount("a bid of $4.5bn for").unwrap();
        assert_eq!((a.value, a.currency.as_deref()), (4.5e9, Some("USD")));
        let a = parse_amount("fined 2.4 bln euros").unwrap();
        assert_eq!((a.value, a.currency.as_deref()), (2.4e9, Some("EUR")));
        let a = parse_amount("a penalty of US$16.4 million").unwrap();
        assert_eq!((a.value, a.currency.as_deref(), a.text.as_str()), (16.4e6, Some("USD"), "US$16.4 million"));
        let a = parse_amount("for £6.7 billion ($12 billion)").unwrap();
        assert_eq!((a.value, a.currency.as_deref()), (6.7e9, Some("GBP")));
        assert!(parse_amount("about 15 automakers").is_none());
    }

    #[test]
    fn participles_decide_voice() {
        assert!(is_participle("fined"));
        assert!(is_participle("bought by"));
        assert!(is_participle("taken over"));
        assert!(!is_participle("investigating"));
        assert!(!is_participle("to buy"));
    }

    #[test]
    fn adverbial_since_is_not_a_clause_edge() {
        assert_eq!(clause_breaks("Amazon has since licensed").count(), 0);
        assert_eq!(clause_breaks("revenue fell since the sanctions").count(), 1);
        assert_eq!(clause_breaks("Corus, which was created").count(), 1);
    }

    fn slots(text: &str) -> Vec<(String, String, String)> {
        let x = crate::Extractor::embedded().expect("embedded rules");
        let out = x.extract(&Article::from_text(text.to_string()));
        let name = |id: &str| out.entities.iter().find(|e| e.id == id).map(|e| e.name.clone()).unwrap_or_default();
        out.events.iter().flat_map(|e| e.arguments.iter().map(|a| (e.event_type.clone(), a.role.clone(), name(&a.entity))).collect::<Vec<_>>()).collect()
    }

    fn has(v: &[(String, String, String)], t: &str, role: &str, name: &str) -> bool {
        v.iter().any(|(a, b, c)| a == t && b == role && c == name)
    }

    #[test]
    fn active_and_passive_voice_swap_roles() {
        let v = slots("Viacom sued Google.");
        assert!(has(&v, "lawsuit.filed", "plaintiff", "Viacom") && has(&v, "lawsuit.filed", "defendant", "Google"), "{v:?}");
        let v = slots("Google was sued by Viacom.");
        assert!(has(&v, "lawsuit.filed", "plaintiff", "Viacom") && has(&v, "lawsuit.filed", "defendant", "Google"), "{v:?}");
        assert!(!has(&v, "lawsuit.filed", "plaintiff", "Google"), "{v:?}");
    }

    #[test]
    fn coordination_apposition_and_genitives() {
        let v = slots("Viacom filed a lawsuit against YouTube and its owner Google.");
        assert!(has(&v, "lawsuit.filed", "defendant", "YouTube") && has(&v, "lawsuit.filed", "defendant", "Google"), "{v:?}");
        assert!(!has(&v, "lawsuit.filed", "defendant", "Viacom"), "{v:?}");
        let v = slots("Apple sued Taiwanese phone maker HTC.");
        assert!(has(&v, "lawsuit.filed", "defendant", "HTC"), "{v:?}");
        assert!(!v.iter().any(|(_, _, n)| n == "Taiwan"), "{v:?}");
    }

    #[test]
    fn government_actor_brings_its_country() {
        let v = slots("The United States fined Toyota. The National Highway Traffic Safety Administration fined Honda.");
        assert!(has(&v, "fine.imposed", "authority", "National Highway Traffic Safety Administration"), "{v:?}");
        assert!(has(&v, "fine.imposed", "authority", "United States"), "{v:?}");
    }

    #[test]
    fn slot_can_fill_roles_by_type() {
        let v = slots("Chairwoman Patricia Dunn resigned from Hewlett-Packard.");
        assert!(has(&v, "executive.departed", "person", "Patricia Dunn"), "{v:?}");
        assert!(has(&v, "executive.departed", "company", "Hewlett-Packard"), "{v:?}");
    }

    #[test]
    fn prepositions_and_premodifiers_bound_their_slots() {
        // The preposition's object ends at a parenthesis: Arcelor is not the bidder.
        let v = slots("Mittal Steel made a takeover bid for Arcelor, prompting criticism from Luxembourg (a shareholder of Arcelor).");
        assert!(has(&v, "acquisition.announced", "acquirer", "Mittal Steel"), "{v:?}");
        assert!(!has(&v, "acquisition.announced", "acquirer", "Arcelor"), "{v:?}");
        // A nominal trigger inside a prepositional phrase does not take the clause subject.
        let v = slots("Vodafone cut its prices in response to the Orange takeover of the network.");
        assert!(!has(&v, "acquisition.announced", "acquirer", "Vodafone"), "{v:?}");
        // A news outlet cited as source is no argument.
        let v = slots("Ford will cut 3,000 jobs, according to Reuters.");
        assert!(has(&v, "jobs.cut", "company", "Ford") && !has(&v, "jobs.cut", "company", "Reuters"), "{v:?}");
        // "in response to" opens another clause: the subsidy payer is not the imposer.
        let v = slots("Brazil imposed sanctions on US goods in response to subsidies paid by the US government.");
        assert!(has(&v, "sanction.imposed", "imposer", "Brazil") && has(&v, "sanction.imposed", "target", "United States"), "{v:?}");
        assert!(!has(&v, "sanction.imposed", "imposer", "United States"), "{v:?}");
        // A non-restrictive relative clause takes its antecedent as subject.
        let v = slots("The post goes to Mark Hurd, 48, currently president of NCR, who will become chief executive.");
        assert!(has(&v, "executive.appointed", "person", "Mark Hurd"), "{v:?}");
    }

    #[test]
    fn agents_appositions_and_descriptions() {
        // The trigger's own by-agent outranks the clause subject.
        let v = slots("Samsung has won a case brought by Apple against Samsung.");
        assert!(has(&v, "lawsuit.filed", "plaintiff", "Apple") && !has(&v, "lawsuit.filed", "plaintiff", "Samsung Electronics"), "{v:?}");
        // The target of a bid answers it; the bidder comes with "from".
        let v = slots("Rio Tinto rejected a takeover approach from BHP Billiton.");
        assert!(has(&v, "acquisition.announced", "acquired", "Rio Tinto") && !has(&v, "acquisition.announced", "acquirer", "Rio Tinto"), "{v:?}");
        // A demonym inside a description only describes.
        let v = slots("Spain fined the Irish airline Ryanair 2m euros over baggage fees.");
        assert!(has(&v, "fine.imposed", "target", "Ryanair") && !has(&v, "fine.imposed", "target", "Ireland"), "{v:?}");
        // A maker's name before a model designation names a product.
        let v = slots("Lufthansa's fleet of Boeing 747s was banned from Russian airspace.");
        assert!(!v.iter().any(|(_, _, n)| n == "Boeing"), "{v:?}");
        // Names in apposition to a plural noun after a preposition.
        let v = slots("The probe was conducted by two US agencies, the FBI and the Securities and Exchange Commission.");
        assert!(has(&v, "investigation.opened", "authority", "Federal Bureau of Investigation"), "{v:?}");
        // ", which VERB" takes a name right before the comma as subject.
        let v = slots("Boeing criticised the Federal Aviation Administration (FAA), which levied the fine against Boeing.");
        assert!(has(&v, "fine.imposed", "authority", "Federal Aviation Administration") && !has(&v, "fine.imposed", "target", "Federal Aviation Administration"), "{v:?}");
    }

    #[test]
    fn ceasing_negates_and_presupposition_survives_negation() {
        assert_eq!(pm("Apple stopped paying royalties to Qualcomm.", "paying royalties").0, Polarity::Negative);
        let x = crate::Extractor::embedded().expect("embedded rules");
        let out = x.extract(&Article::from_text("The European Union refused to lift its arms embargo on China.".to_string()));
        let counted = |t: &str| out.events.iter().any(|e| e.event_type == t && e.polarity == "positive" && (e.modality == "asserted" || e.modality == "reported"));
        assert!(counted("sanction.imposed"), "{:?}", out.events);
        assert!(!counted("sanction.lifted"), "{:?}", out.events);
    }
}
