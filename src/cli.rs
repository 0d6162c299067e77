//! Command-line options (their doc comments are the `--help` text) and the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use gazette::input::{parse_json_record, Fields};
use gazette::flat;
use gazette::output::{ErrorRecord, SCHEMA_VERSION};
use gazette::{Article, Extractor};
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// Exit codes, set in one place.
pub mod exit {
    /// Every record processed.
    pub const OK: u8 = 0;
    /// Some records failed; each still got an error line.
    pub const RECORD_ERRORS: u8 = 1;
    /// Bad usage or configuration (gazetteers, rules, unreadable input).
    pub const USAGE: u8 = 2;
}

const EXAMPLES: &str = "\
Examples:
  cat article.txt | gazette                      one plain-text article from stdin
  gazette extract --pretty fixtures/seed.txt     readable output
  gazette extract --input jsonl articles.jsonl   one JSON object per line in, per line out
  gazette --emit events --format csv a.jsonl    flat rows for databases (docs/databases.md)
  gazette gazetteer check gazetteers/            check data files: path:line: problem
  gazette gazetteer lookup \"Mercedes Benz\"       which entries a surface form hits
  gazette rules check                            run every rule's examples

Exit status: 0 all records ok, 1 some records failed (each got an error line),
2 usage or configuration error.";

/// gazette: entities and events from English news, as JSON Lines.
#[derive(Parser, Debug)]
#[command(name = "gazette", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Extract entities and events (the default command).
    Extract(ExtractArgs),
    /// Check or query gazetteer files.
    #[command(subcommand)]
    Gazetteer(GazetteerCmd),
    /// Check event rule files.
    #[command(subcommand)]
    Rules(RulesCmd),
}

/// Data options shared by commands.
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Load gazetteers from this directory (every *.tsv) instead of the embedded defaults.
    #[arg(long, value_name = "DIR")]
    pub gazetteers: Option<PathBuf>,
    /// Load event rules from this TOML file or directory instead of the embedded defaults.
    #[arg(long, value_name = "PATH")]
    pub rules: Option<PathBuf>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum InputFormat {
    /// JSON Lines if the file is *.jsonl/*.ndjson or the input starts with `{`, else text.
    Auto,
    /// The whole input is one article.
    Text,
    /// One JSON object per line with at least `text`.
    Jsonl,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum EmitArg {
    /// One nested JSON record per article.
    Records,
    /// One row per article.
    Articles,
    /// One row per entity per article.
    Entities,
    /// One row per mention (names and resolved references).
    Mentions,
    /// One row per event.
    Events,
    /// One row per event argument.
    Arguments,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Jsonl,
    Csv,
    Tsv,
}

impl ExtractArgs {
    /// The row writer the flags ask for, or a usage error.
    fn row_writer<W: Write>(&self, w: W) -> Result<flat::RowWriter<W>, String> {
        let emit = match self.emit {
            EmitArg::Records => flat::Emit::Records,
            EmitArg::Articles => flat::Emit::Articles,
            EmitArg::Entities => flat::Emit::Entities,
            EmitArg::Mentions => flat::Emit::Mentions,
            EmitArg::Events => flat::Emit::Events,
            EmitArg::Arguments => flat::Emit::Arguments,
        };
        let format = match self.format {
            FormatArg::Jsonl => flat::Format::Jsonl,
            FormatArg::Csv => flat::Format::Csv,
            FormatArg::Tsv => flat::Format::Tsv,
        };
        if emit == flat::Emit::Records && format != flat::Format::Jsonl {
            return Err("--format csv/tsv needs --emit articles|entities|mentions|events|arguments".into());
        }
        if emit != flat::Emit::Records && self.pretty {
            return Err("--pretty applies to records, not to --emit rows".into());
        }
        Ok(flat::RowWriter::new(w, emit, format))
    }
}

#[derive(Args, Debug)]
struct ExtractArgs {
    /// Input files; stdin when none is given.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// How to read the input.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input: InputFormat,
    /// Pretty-print each record (several lines per article).
    #[arg(long)]
    pretty: bool,
    /// JSON field holding the article text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    text_field: String,
    /// JSON field holding the article id.
    #[arg(long, default_value = "id", value_name = "NAME")]
    id_field: String,
    /// JSON field holding the title.
    #[arg(long, default_value = "title", value_name = "NAME")]
    title_field: String,
    /// Publication date (YYYY-MM-DD) for plain-text input, to resolve relative dates.
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// What to write: one nested record per article, or flat rows of one kind for database
    /// loads (each row carries its article id; see docs/databases.md).
    #[arg(long, value_enum, default_value_t = EmitArg::Records)]
    emit: EmitArg,
    /// Encoding of --emit rows: JSON Lines, CSV (RFC 4180, header row) or TSV (PostgreSQL text
    /// format, header row). Records are always JSON Lines.
    #[arg(long, value_enum, default_value_t = FormatArg::Jsonl)]
    format: FormatArg,
    #[command(flatten)]
    data: DataArgs,
}

#[derive(Subcommand, Debug)]
enum GazetteerCmd {
    /// Report every problem as path:line: message, then counts per type.
    Check {
        /// Directory of gazetteer files (default: the embedded ones).
        dir: Option<PathBuf>,
        /// Also list aliases shared by several entries.
        #[arg(long)]
        collisions: bool,
    },
    /// Show which entries a surface form hits, and why.
    Lookup {
        /// The text to look up.
        text: String,
        /// Directory of gazetteer files (default: the embedded ones).
        #[arg(long, value_name = "DIR")]
        gazetteers: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
enum RulesCmd {
    /// Load the rules, report every problem, and run every rule's examples.
    Check {
        /// Rule file or directory (default: the embedded rules).
        path: Option<PathBuf>,
    },
}

const SUBCOMMANDS: &[&str] = &["extract", "gazetteer", "rules", "help", "-h", "--help", "-V", "--version"];

/// Parses arguments (with `extract` as the default command), runs, and returns the exit code.
pub fn main() -> ExitCode {
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let first = args.get(1).and_then(|a| a.to_str()).unwrap_or("");
    if args.len() == 1 || !SUBCOMMANDS.contains(&first) {
        args.insert(1, "extract".into());
    }
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { exit::USAGE } else { exit::OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Extract(a) => run_extract(a),
        Command::Gazetteer(GazetteerCmd::Check { dir, collisions }) => gazetteer_check(dir, collisions),
        Command::Gazetteer(GazetteerCmd::Lookup { text, gazetteers }) => gazetteer_lookup(&text, gazetteers),
        Command::Rules(RulesCmd::Check { path }) => rules_check(path),
    };
    ExitCode::from(code)
}

fn build_extractor(data: &DataArgs) -> Result<Extractor, u8> {
    let mut b = Extractor::builder();
    if let Some(d) = &data.gazetteers {
        b = b.gazetteers(d);
    }
    if let Some(r) = &data.rules {
        b = b.rules(r);
    }
    b.build().map_err(|e| {
        eprintln!("{e}");
        eprintln!("gazette: configuration error ({} problem(s))", e.problems().len());
        exit::USAGE
    })
}

/// Writes records (or their flat rows) to stdout; a closed pipe ends the run quietly.
struct Out {
    w: flat::RowWriter<BufWriter<io::StdoutLock<'static>>>,
    pretty: bool,
}

enum WriteResult {
    Ok,
    Closed,
}

impl Out {
    fn write<T: flat::Record>(&mut self, rec: &T) -> WriteResult {
        let res = if self.pretty {
            let s = serde_json::to_string_pretty(rec).expect("records serialise");
            writeln!(self.w.get_mut(), "{s}")
        } else {
            self.w.write_record(rec)
        };
        match res {
            Ok(()) => WriteResult::Ok,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => WriteResult::Closed,
            Err(e) => {
                eprintln!("gazette: cannot write output: {e}");
                WriteResult::Closed
            }
        }
    }
}

fn error_record(id: Option<String>, error: String, source: Option<String>) -> ErrorRecord {
    ErrorRecord { schema_version: SCHEMA_VERSION.to_string(), id, error, source }
}

fn run_extract(a: ExtractArgs) -> u8 {
    let extractor = match build_extractor(&a.data) {
        Ok(x) => x,
        Err(c) => return c,
    };
    let fields = Fields { text: a.text_field.clone(), id: a.id_field.clone(), title: a.title_field.clone() };
    let w = match a.row_writer(BufWriter::new(io::stdout().lock())) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("gazette: {e}");
            return exit::USAGE;
        }
    };
    let mut out = Out { w, pretty: a.pretty };
    let mut failed = false;
    let inputs: Vec<Option<PathBuf>> = if a.files.is_empty() { vec![None] } else { a.files.iter().cloned().map(Some).collect() };
    for input in inputs {
        let name = input.as_ref().map_or("<stdin>".to_string(), |p| p.display().to_string());
        let mut bytes = Vec::new();
        let read = match &input {
            None => io::stdin().lock().read_to_end(&mut bytes),
            Some(p) => std::fs::File::open(p).and_then(|mut f| f.read_to_end(&mut bytes)),
        };
        if let Err(e) = read {
            eprintln!("gazette: {name}: {e}");
            failed = true;
            if let WriteResult::Closed = out.write(&error_record(None, format!("cannot read input: {e}"), Some(name))) {
                return exit::OK;
            }
            continue;
        }
        let jsonl = match a.input {
            InputFormat::Jsonl => true,
            InputFormat::Text => false,
            InputFormat::Auto => {
                let by_name = input.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()).is_some_and(|e| e == "jsonl" || e == "ndjson");
                by_name || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
            }
        };
        if jsonl {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let line = line.strip_suffix(b"\r").unwrap_or(line);
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                let source = format!("{name}:{}", n + 1);
                let (text, lossy) = match std::str::from_utf8(line) {
                    Ok(s) => (std::borrow::Cow::Borrowed(s), false),
                    Err(_) => (String::from_utf8_lossy(line), true),
                };
                let res = match parse_json_record(&text, &fields) {
                    Ok(article) if !lossy => out.write(&extractor.extract(&article)),
                    Ok(article) => {
                        failed = true;
                        eprintln!("gazette: {source}: invalid UTF-8 (decoded lossily)");
                        let _ = article;
                        out.write(&error_record(article_id_opt(&text, &fields), "invalid UTF-8 in record".into(), Some(source)))
                    }
                    Err(e) => {
                        failed = true;
                        eprintln!("gazette: {source}: {}", e.message);
                        out.write(&error_record(e.id, e.message, Some(source)))
                    }
                };
                if let WriteResult::Closed = res {
                    return exit::OK;
                }
            }
        } else {
            let text = match String::from_utf8(bytes) {
                Ok(s) => s,
                Err(e) => {
                    failed = true;
                    eprintln!("gazette: {name}: invalid UTF-8 (decoded lossily)");
                    String::from_utf8_lossy(e.as_bytes()).into_owned()
                }
            };
            let mut article = Article::from_text(text);
            article.id = input.as_ref().map(|p| p.display().to_string());
            article.published = a.published.clone();
            if let WriteResult::Closed = out.write(&extractor.extract(&article)) {
                return exit::OK;
            }
        }
    }
    if out.w.flush().is_err() {
        return exit::OK;
    }
    if failed {
        exit::RECORD_ERRORS
    } else {
        exit::OK
    }
}

fn article_id_opt(line: &str, fields: &Fields) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(line).ok()?.get(&fields.id)?.as_str().map(str::to_string)
}

fn gazetteer_check(dir: Option<PathBuf>, show_collisions: bool) -> u8 {
    let g = match &dir {
        Some(d) => gazette::Gazetteer::from_dir(d),
        None => gazette::Gazetteer::embedded(),
    };
    match g {
        Err(e) => {
            for p in e.problems() {
                println!("{p}");
            }
            eprintln!("gazette: {} problem(s)", e.problems().len());
            exit::RECORD_ERRORS
        }
        Ok(g) => {
            let r = g.report();
            println!("ok: {} entries", g.entries().len());
            for (t, n) in &r.counts {
                println!("  {t:<24} {n}");
            }
            println!("  {:<24} {}", "surface forms", g.matcher().pattern_count());
            println!("  {:<24} {}", "shared aliases", r.collisions.len());
            if show_collisions {
                for c in &r.collisions {
                    println!("note: {c}");
                }
            }
            exit::OK
        }
    }
}

fn gazetteer_lookup(text: &str, dir: Option<PathBuf>) -> u8 {
    let g = match &dir {
        Some(d) => gazette::Gazetteer::from_dir(d),
        None => gazette::Gazetteer::embedded(),
    };
    let g = match g {
        Ok(g) => g,
        Err(e) => {
            eprintln!("{e}");
            return exit::USAGE;
        }
    };
    let toks = gazette::segment::tokenize(text);
    let ids = g.matcher().token_ids(text, &toks);
    let mut found = Vec::new();
    g.matcher().find(text, &toks, &ids, 0..toks.len(), &mut found);
    if found.is_empty() {
        println!("no entry matches {text:?}");
        return exit::RECORD_ERRORS;
    }
    for m in found {
        println!("{:?} [{}..{}]", &text[m.start..m.end], m.start, m.end);
        for t in &m.targets {
            let e = g.entry(t.entry);
            println!(
                "  {}  {:?} ({}{})  as {:?}, case rule {:?}{}  [{}:{}]",
                e.id,
                e.name,
                e.kind.as_str(),
                e.subtype.as_deref().map(|s| format!("/{s}")).unwrap_or_default(),
                t.form,
                t.policy,
                if t.common { ", ordinary word: needs context" } else { "" },
                e.path,
                e.line
            );
        }
    }
    exit::OK
}

fn rules_check(path: Option<PathBuf>) -> u8 {
    let data = DataArgs { gazetteers: None, rules: path };
    let x = match build_extractor(&data) {
        Ok(x) => x,
        Err(c) => return c,
    };
    let failures = gazette::check_rule_examples(&x);
    let total: usize = x.rules().iter().map(|r| r.examples.len() + r.counter_examples.len()).sum();
    for f in &failures {
        println!("{f}");
    }
    println!("{} rules, {} examples, {} failed", x.rules().len(), total, failures.len());
    if failures.is_empty() {
        exit::OK
    } else {
        exit::RECORD_ERRORS
    }
}
