//! # gazette
//!
//! Turns English news articles into structured, linked facts: entities linked to curated
//! gazetteers with stable ids and every mention's offsets, and typed events with role
//! arguments, polarity, modality, date, trigger and evidence.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`input`] — articles from plain text or JSON Lines records;
//! 2. [`segment`] — tokens and sentences with byte offsets, abbreviations and datelines;
//! 3. [`gazetteer`] — curated entity lists, checked and compiled into a token-trie matcher;
//! 4. [`entities`] — mentions → document entities, people from context, coreference;
//! 5. [`events`] — rule files and the rule engine, quotations;
//! 6. [`output`] — the JSON Lines record (its rustdoc is the schema);
//! 7. [`flat`] — the same as flat rows (JSON Lines, CSV, TSV) for database loads.
//!
//! ```
//! use gazette::{Article, Extractor};
//!
//! let extractor = Extractor::embedded().unwrap();
//! let article = Article::from_text("Huawei has extended a patent license agreement with Nokia.");
//! let result = extractor.extract(&article);
//! assert!(result.entities.iter().any(|e| e.name == "Nokia"));
//! assert!(result.events.iter().any(|e| e.event_type == "license.extended"));
//! ```
//!
//! An [`Extractor`] is built once and is immutable, `Send` and `Sync`: share one across threads.
#![deny(missing_docs)]

pub mod corpus;
pub mod entities;
pub mod error;
pub mod flat;
pub mod events;
pub mod gazetteer;
pub mod input;
pub mod output;
pub mod render;
pub mod segment;
mod swar;

pub use error::{ConfigError, Problem, RecordError};
pub use gazetteer::Gazetteer;
pub use input::Article;
pub use output::Extraction;

use events::EventEngine;
use std::path::Path;

/// The extractor: gazetteers and event rules, compiled once.
#[derive(Debug, Clone)]
pub struct Extractor {
    gazetteer: Gazetteer,
    engine: EventEngine,
}

/// Where the gazetteers and rules come from.
#[derive(Debug, Clone, Default)]
pub struct ExtractorBuilder {
    gazetteer_dir: Option<std::path::PathBuf>,
    rules_path: Option<std::path::PathBuf>,
    threads: usize,
}

impl ExtractorBuilder {
    /// Loads gazetteers from this directory, or from a compiled gazetteer file
    /// ([`Gazetteer::write_compiled`]), instead of the embedded ones.
    pub fn gazetteers(mut self, dir: impl AsRef<Path>) -> Self {
        self.gazetteer_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Threads the build may use (default 1). With 2 or more, the rules compile while the
    /// gazetteers load, and a compiled gazetteer decodes its entries and its matcher tables
    /// side by side.
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = n;
        self
    }

    /// Loads rules from this file or directory (`*.toml`) instead of the embedded ones.
    pub fn rules(mut self, path: impl AsRef<Path>) -> Self {
        self.rules_path = Some(path.as_ref().to_path_buf());
        self
    }

    /// Loads, validates and compiles everything; reports every problem found.
    pub fn build(self) -> Result<Extractor, ConfigError> {
        let load_gazetteers = || match &self.gazetteer_dir {
            Some(d) => Gazetteer::from_path_threads(d, self.threads),
            None => Gazetteer::embedded(),
        };
        let load_rules = || match &self.rules_path {
            Some(p) => read_rule_sources(p).and_then(|s| events::rules::load(&s)),
            None => events::rules::load(&embedded_rule_sources()),
        };
        // Compiling the rules' regexes takes about as long as loading the embedded gazetteers:
        // with a second thread, start-up costs the longer of the two, not their sum. The rules
        // stay on this thread: with glibc's malloc they compiled ~35% slower on a new thread
        // (a new arena).
        let (gaz, rules) = if self.threads >= 2 {
            std::thread::scope(|s| {
                let gaz = s.spawn(load_gazetteers);
                let rules = load_rules();
                (gaz.join().unwrap_or_else(|p| std::panic::resume_unwind(p)), rules)
            })
        } else {
            (load_gazetteers(), load_rules())
        };
        match (gaz, rules) {
            (Ok(gazetteer), Ok(rules)) => Ok(Extractor { gazetteer, engine: EventEngine::new(rules) }),
            (Err(a), Err(b)) => Err(ConfigError::new(a.problems().iter().chain(b.problems()).cloned().collect())),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

/// The embedded rule files as `(path, content)`.
pub fn embedded_rule_sources() -> Vec<(String, String)> {
    gazetteer::embedded_files().1.iter().map(|(n, c)| (format!("<embedded>/rules/{n}"), c.to_string())).collect()
}

fn read_rule_sources(path: &Path) -> Result<Vec<(String, String)>, ConfigError> {
    let err = |m: String| ConfigError::single(path.display().to_string(), 0, m);
    let files = if path.is_dir() {
        let mut v: Vec<_> = std::fs::read_dir(path)
            .map_err(|e| err(format!("cannot read rules directory: {e}")))?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        v.sort();
        if v.is_empty() {
            return Err(err("no *.toml rule files in directory".into()));
        }
        v
    } else {
        vec![path.to_path_buf()]
    };
    files
        .into_iter()
        .map(|p| {
            std::fs::read_to_string(&p)
                .map(|c| (p.display().to_string(), c))
                .map_err(|e| ConfigError::single(p.display().to_string(), 0, format!("cannot read: {e}")))
        })
        .collect()
}

impl Extractor {
    /// A builder for custom gazetteers or rules.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// The extractor on the embedded default gazetteers and rules.
    pub fn embedded() -> Result<Extractor, ConfigError> {
        ExtractorBuilder::default().build()
    }

    /// The compiled gazetteer.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// The event rules.
    pub fn rules(&self) -> &[events::Rule] {
        self.engine.rules()
    }

    /// The event engine (stage benchmarks time it separately).
    #[doc(hidden)]
    pub fn event_engine(&self) -> &EventEngine {
        &self.engine
    }

    /// Extracts entities, events and quotes from one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        let an = entities::analyze(&self.gazetteer, article);
        let quotes = events::quotes::find_quotes(&article.text, &an);
        let events = self.engine.extract(article, &an, &quotes);
        output::build(&self.gazetteer, article, &an, &events, &quotes)
    }
}

/// Runs every rule's examples and counter-examples through the full pipeline; returns one
/// message per failure (`origin: rule id: what went wrong`).
pub fn check_rule_examples(x: &Extractor) -> Vec<String> {
    let mut failures = Vec::new();
    for rule in x.rules() {
        for ex in &rule.examples {
            let out = x.extract(&Article::from_text(ex.text.clone()));
            let fired: Vec<&output::EventRecord> = out.events.iter().filter(|e| e.rule == rule.id || e.event_type == rule.event_type).collect();
            let counted = fired.iter().any(|e| e.polarity == "positive" && (e.modality == "asserted" || e.modality == "reported"));
            if !counted {
                failures.push(format!("{}: rule `{}`: example did not yield a counted {}: {:?}", rule.origin, rule.id, rule.event_type, ex.text));
                continue;
            }
            for want in &ex.args {
                let Some((role, name)) = want.split_once('=') else {
                    failures.push(format!("{}: rule `{}`: bad expected argument {want:?} (role=Name)", rule.origin, rule.id));
                    continue;
                };
                let ok = fired.iter().any(|e| {
                    e.arguments.iter().any(|a| {
                        a.role == role && out.entities.iter().any(|en| en.id == a.entity && (en.name == name || en.mentions.iter().any(|m| m.text == name)))
                    })
                });
                if !ok {
                    failures.push(format!("{}: rule `{}`: expected {role}={name} in {:?}", rule.origin, rule.id, ex.text));
                }
            }
        }
        for text in &rule.counter_examples {
            let out = x.extract(&Article::from_text(text.clone()));
            let bad = out.events.iter().any(|e| e.rule == rule.id && e.polarity == "positive" && (e.modality == "asserted" || e.modality == "reported"));
            if bad {
                failures.push(format!("{}: rule `{}`: counter-example yielded a counted event: {text:?}", rule.origin, rule.id));
            }
        }
    }
    failures
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Extractor>();
    }

    /// A directory holding one file `name` with `content`.
    fn dir_with(tag: &str, name: &str, content: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("gazette-lib-{tag}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join(name), content).unwrap();
        d
    }

    #[test]
    fn threaded_build_reports_and_extracts_as_the_serial_one() {
        let problems = |threads: usize, gaz: &Path, rules: &Path| -> Vec<String> {
            let b = Extractor::builder().threads(threads).gazetteers(gaz).rules(rules);
            b.build().err().map(|e| e.problems().iter().map(|p| p.to_string()).collect()).unwrap_or_default()
        };
        let bad_gaz = dir_with("gaz", "companies.tsv", "id\tname\nnot-enough-columns\n");
        let bad_rules = dir_with("rules", "r.toml", "[[rule]]\nid = \"a\"\ntype = \"license.bogus\"\n");
        let serial = problems(1, &bad_gaz, &bad_rules);
        // Problems from both halves of the build, gazetteers first, whichever thread ran them.
        assert!(serial.iter().any(|p| p.contains("companies.tsv")), "{serial:?}");
        assert!(serial.iter().any(|p| p.contains("r.toml")), "{serial:?}");
        assert!(serial.iter().position(|p| p.contains("companies.tsv")) < serial.iter().position(|p| p.contains("r.toml")));
        assert_eq!(problems(2, &bad_gaz, &bad_rules), serial);
        let article = Article { id: Some("t".into()), text: "Huawei said the United States imposed sanctions on Huawei.".into(), ..Article::default() };
        let one = Extractor::builder().threads(1).build().unwrap().extract(&article);
        let two = Extractor::builder().threads(2).build().unwrap().extract(&article);
        assert!(!one.entities.is_empty());
        assert_eq!(serde_json::to_string(&one).unwrap(), serde_json::to_string(&two).unwrap());
        for d in [bad_gaz, bad_rules] {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}
