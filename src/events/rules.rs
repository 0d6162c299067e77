//! Event rule files: TOML, loaded and validated at start-up (format: `rules/README.md`).

use crate::error::{ConfigError, Problem};
use regex_automata::meta::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Event types of the taxonomy and their roles.
pub const TAXONOMY: &[(&str, &[&str])] = &[
    ("license.signed", &["licensor", "licensee", "parties"]),
    ("license.extended", &["licensor", "licensee", "parties"]),
    ("royalty.collected", &["collector", "payer"]),
    ("sanction.imposed", &["imposer", "target"]),
    ("sanction.lifted", &["imposer", "target"]),
    ("tariff.imposed", &["imposer", "target"]),
    ("agreement.signed", &["parties"]),
    ("acquisition.announced", &["acquirer", "acquired", "seller"]),
    ("acquisition.completed", &["acquirer", "acquired", "seller"]),
    ("merger.announced", &["parties"]),
    ("merger.completed", &["parties"]),
    ("lawsuit.filed", &["plaintiff", "defendant"]),
    ("lawsuit.settled", &["parties", "plaintiff", "defendant"]),
    ("fine.imposed", &["authority", "target"]),
    ("investigation.opened", &["authority", "target"]),
    ("investment.made", &["investor", "investee"]),
    ("product.recalled", &["company"]),
    ("product.launched", &["company"]),
    ("jobs.cut", &["company"]),
    ("executive.appointed", &["company", "person"]),
    ("executive.departed", &["company", "person"]),
    ("revenue.declined", &["company"]),
    ("revenue.increased", &["company"]),
    ("profit.declined", &["company"]),
    ("profit.increased", &["company"]),
];

/// Syntactic slots a rule can map to roles (besides prepositions).
pub const SLOTS: &[&str] = &["subject", "object", "premod", "inside", "passive"];

/// An example a rule must (or must not) produce.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    /// Sentence(s) of news text.
    pub text: String,
    /// Expected `role=Entity Name` arguments (names as the gazetteer or context gives them).
    #[serde(default)]
    pub args: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    #[serde(rename = "type")]
    event_type: String,
    keywords: Vec<String>,
    trigger: String,
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    excludes: Option<String>,
    #[serde(default)]
    roles: BTreeMap<String, String>,
    #[serde(default)]
    confidence: Option<f32>,
    #[serde(default)]
    measure: Option<String>,
    #[serde(default)]
    object: Option<String>,
    #[serde(default = "default_min_args")]
    min_args: usize,
    #[serde(default)]
    fallback: Vec<String>,
    #[serde(default)]
    presupposed: bool,
    #[serde(default)]
    examples: Vec<Example>,
    #[serde(default)]
    counter_examples: Vec<String>,
}

fn default_min_args() -> usize {
    1
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

/// A compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Unique id, reported on every event it produces.
    pub id: String,
    /// Event type.
    pub event_type: String,
    /// Lower-case literals; the rule is tried only in sentences containing one.
    pub keywords: Vec<String>,
    /// Trigger pattern (case-insensitive).
    pub trigger: Regex,
    /// Must also match somewhere in the sentence.
    pub requires: Option<Regex>,
    /// Must not match anywhere in the sentence.
    pub excludes: Option<Regex>,
    /// Slot or preposition → role.
    pub roles: Vec<(String, String)>,
    /// Compiled preposition patterns with their roles.
    pub preps: Vec<(String, Regex, String)>,
    /// Base confidence.
    pub confidence: f32,
    /// `measure` attribute (sanctions, export_ban, entity_list...).
    pub measure: Option<String>,
    /// `object` attribute.
    pub object: Option<String>,
    /// Fewest arguments for the event to be emitted (default 1).
    pub min_args: usize,
    /// Roles filled, when no slot filled them, from the nearest group of the sentence whose
    /// entity types the role accepts (then from an anaphoric "The deal ..." sentence's
    /// predecessor).
    pub fallback: Vec<String>,
    /// The trigger names an event the sentence takes for granted ("lift the ban" presupposes a
    /// ban; "failed to complete the announced acquisition" presupposes its announcement): the
    /// clause's negation and modals do not apply to it.
    pub presupposed: bool,
    /// Positive examples.
    pub examples: Vec<Example>,
    /// Texts that must not yield a counted event of this type from this rule.
    pub counter_examples: Vec<String>,
    /// File and line, for messages.
    pub origin: String,
}

impl Rule {
    /// The role a slot or preposition maps to.
    pub fn role(&self, slot: &str) -> Option<&str> {
        self.roles.iter().find(|(s, _)| s == slot).map(|(_, r)| r.as_str())
    }
}

fn line_of(content: &str, offset: usize) -> usize {
    content[..offset.min(content.len())].bytes().filter(|&b| b == b'\n').count() + 1
}

/// Compiles a rule pattern, case-insensitive and ASCII-only, searched over a sentence's bytes.
/// Rule patterns describe English words: in ASCII mode `\w`, `\b` and case folding cover
/// them, and `\S` is any byte but ASCII white space, so a non-ASCII character still counts as
/// part of a word token ("Nestlé's"). Unicode mode made the lazy DFAs many times larger, and
/// its word boundary cannot be searched by a DFA at all once the text holds a non-ASCII byte
/// (a slower engine takes over): the trigger searches were most of the event stage. A pattern
/// that needs Unicode mode (a class of non-ASCII characters) keeps it.
///
/// No literal pre-filter: the keyword scan has already chosen the sentence, and extracting
/// literals from the rules' large alternations was most of gazette's start-up.
fn compile(pattern: &str) -> Result<Regex, String> {
    let build = |unicode: bool| {
        Regex::builder()
            .syntax(regex_automata::util::syntax::Config::new().case_insensitive(true).unicode(unicode).utf8(false))
            .configure(Regex::config().auto_prefilter(false).dfa(false).utf8_empty(false).nfa_size_limit(Some(1 << 22)))
            .build(pattern)
            .map_err(|e| e.to_string())
    };
    build(false).or_else(|_| build(true))
}

/// Parses and validates rule files `(path, content)`; reports every problem.
pub fn load(sources: &[(String, String)]) -> Result<Vec<Rule>, ConfigError> {
    let mut rules = Vec::new();
    let mut problems = Vec::new();
    // Preposition patterns by slot: the built-in rules name 13 prepositions in 203 roles, and
    // compiling each once (a clone is an `Arc` and a new cache pool) saves ~1.8 ms of start-up.
    let mut prep_patterns: std::collections::HashMap<String, Option<Regex>> = std::collections::HashMap::new();
    for (path, content) in sources {
        let content = content.strip_prefix('\u{feff}').unwrap_or(content);
        let raw: RawFile = match toml::from_str(content) {
            Ok(r) => r,
            Err(e) => {
                let line = e.span().map_or(0, |s| line_of(content, s.start));
                problems.push(Problem { path: path.clone(), line, message: e.message().to_string() });
                continue;
            }
        };
        for r in raw.rule {
            // Locate the rule's `id = "..."` line for messages.
            let needle = format!("\"{}\"", r.id);
            let line = content.find(&needle).map_or(0, |o| line_of(content, o));
            let mut report = |m: String| problems.push(Problem { path: path.clone(), line, message: format!("rule `{}`: {m}", r.id) });
            let Some((_, roles)) = TAXONOMY.iter().find(|(t, _)| *t == r.event_type) else {
                report(format!("unknown event type `{}`", r.event_type));
                continue;
            };
            for (slot, role) in &r.roles {
                for role in role.split('|') {
                    if !roles.contains(&role) {
                        report(format!("role `{role}` is not a role of `{}` ({})", r.event_type, roles.join(", ")));
                    }
                }
                if !SLOTS.contains(&slot.as_str()) && !slot.chars().all(|c| c.is_ascii_lowercase() || c == ' ') {
                    report(format!("slot `{slot}` is neither one of {} nor a preposition", SLOTS.join(", ")));
                }
            }
            for role in &r.fallback {
                if !roles.contains(&role.as_str()) {
                    report(format!("fallback role `{role}` is not a role of `{}`", r.event_type));
                }
            }
            if r.keywords.is_empty() || r.keywords.iter().any(|k| k.trim().is_empty() || k.to_lowercase() != *k) {
                report("`keywords` must be a non-empty list of lower-case literals".into());
            }
            let trigger = match compile(&r.trigger) {
                Ok(t) => Some(t),
                Err(e) => {
                    report(format!("bad trigger regex: {e}"));
                    None
                }
            };
            let mut opt = |p: &Option<String>, what: &str| match p.as_deref().map(compile) {
                Some(Ok(x)) => Some(x),
                Some(Err(e)) => {
                    problems.push(Problem { path: path.clone(), line, message: format!("rule `{}`: bad {what} regex: {e}", r.id) });
                    None
                }
                None => None,
            };
            let requires = opt(&r.requires, "requires");
            let excludes = opt(&r.excludes, "excludes");
            if let Some(c) = r.confidence {
                if !(0.0..=1.0).contains(&c) {
                    problems.push(Problem { path: path.clone(), line, message: format!("rule `{}`: confidence must be within 0..1", r.id) });
                }
            }
            if r.examples.is_empty() {
                problems.push(Problem { path: path.clone(), line, message: format!("rule `{}`: needs at least one example", r.id) });
            }
            let preps: Vec<(String, Regex, String)> = r
                .roles
                .iter()
                .filter(|(slot, _)| !SLOTS.contains(&slot.as_str()))
                .filter_map(|(slot, role)| {
                    let re = prep_patterns.entry(slot.clone()).or_insert_with(|| compile(&format!(r"\b{}\b", regex::escape(slot))).ok());
                    re.clone().map(|re| (slot.clone(), re, role.clone()))
                })
                .collect();
            if let Some(trigger) = trigger {
                rules.push(Rule {
                    preps,
                    id: r.id.clone(),
                    event_type: r.event_type,
                    keywords: r.keywords,
                    trigger,
                    requires,
                    excludes,
                    roles: r.roles.into_iter().collect(),
                    confidence: r.confidence.unwrap_or(0.7),
                    measure: r.measure,
                    object: r.object,
                    min_args: r.min_args,
                    fallback: r.fallback,
                    presupposed: r.presupposed,
                    examples: r.examples,
                    counter_examples: r.counter_examples,
                    origin: format!("{path}:{line}"),
                });
            }
        }
    }
    let mut seen = std::collections::HashMap::new();
    for r in &rules {
        if let Some(first) = seen.insert(r.id.clone(), r.origin.clone()) {
            let (p, l) = r.origin.rsplit_once(':').unwrap_or((&r.origin, "0"));
            problems.push(Problem { path: p.to_string(), line: l.parse().unwrap_or(0), message: format!("duplicate rule id `{}` (also at {first})", r.id) });
        }
    }
    if problems.is_empty() {
        Ok(rules)
    } else {
        Err(ConfigError::new(problems))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_bad_rules_with_lines() {
        let src = r#"
[[rule]]
id = "a"
type = "license.bogus"
keywords = ["x"]
trigger = "x"
examples = [{ text = "x" }]

[[rule]]
id = "b"
type = "sanction.imposed"
keywords = ["Sanction"]
trigger = "("
roles = { subject = "licensor" }
"#;
        let e = load(&[("r.toml".into(), src.into())]).unwrap_err();
        let msgs: Vec<String> = e.problems().iter().map(|p| p.to_string()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("r.toml:3: rule `a`: unknown event type")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("r.toml:10:") && m.contains("not a role")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("bad trigger regex")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("lower-case")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.contains("needs at least one example")), "{msgs:?}");
    }

    #[test]
    fn toml_syntax_errors_have_lines() {
        let e = load(&[("s.toml".into(), "[[rule]]\nid = \n".into())]).unwrap_err();
        assert_eq!(e.problems()[0].line, 2);
    }
}
