//! Error types of the library.
//!
//! Configuration problems (bad gazetteer or rule files) are collected, not thrown one at a
//! time: a [`ConfigError`] carries every `path:line: message` found while loading, so a
//! maintainer fixes a file in one pass.

use std::fmt;

/// One problem in a data file, located by path and 1-based line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// File the problem is in (as given by the caller or `<embedded>/NAME`).
    pub path: String,
    /// 1-based line number; 0 when the problem concerns the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(f, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

/// Every problem found while loading gazetteers or rules.
#[derive(Debug, Clone)]
pub struct ConfigError {
    problems: Vec<Problem>,
}

impl ConfigError {
    /// Builds an error from a non-empty list of problems.
    pub fn new(problems: Vec<Problem>) -> ConfigError {
        ConfigError { problems }
    }

    /// A single problem.
    pub fn single(path: impl Into<String>, line: usize, message: impl Into<String>) -> ConfigError {
        ConfigError {
            problems: vec![Problem { path: path.into(), line, message: message.into() }],
        }
    }

    /// The problems, in file and line order.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigError {}

/// Why one input record could not be turned into an article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordError {
    /// The record's id, when it could be read.
    pub id: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecordError {}
