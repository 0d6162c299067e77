//! Command-line options (their doc comments are the `--help` text) and the commands.

use clap::{Args, Parser, Subcommand, ValueEnum};
use gazette::corpus::{Format, InputSpec, Inputs, ReadOptions};
use gazette::flat;
use gazette::input::Fields;
use gazette::output::{ErrorRecord, SCHEMA_VERSION};
use gazette::Extractor;
use std::io::{self, BufWriter, IsTerminal, Write};
use std::ops::ControlFlow;
use std::path::PathBuf;
use std::process::ExitCode;

mod render;

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
  gazette extract -j 2 corpus/ > out.jsonl       a directory tree (*.jsonl, *.txt, *.gz), 2 threads
  gazette --emit events --format csv a.jsonl     flat rows for databases (docs/databases.md)
  gazette gazetteer check gazetteers/            check data files: path:line: problem
  gazette gazetteer compile big/ -o big.gzc       compile a large gazetteer once; load it with
                                                 --gazetteers big.gzc (several times faster)
  gazette gazetteer lookup \"Mercedes Benz\"       which entries a surface form hits
  gazette rules check                            run every rule's examples
  gazette render -o page.html articles.jsonl     articles with highlights and event cards
  gazette render --summary -o corpus.html --articles articles.jsonl output.jsonl

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
    /// Render articles or gazette output as one self-contained HTML page.
    Render(render::RenderArgs),
}

/// Data options shared by commands.
#[derive(Args, Debug, Clone, Default)]
pub struct DataArgs {
    /// Load gazetteers from this directory (every *.tsv), or from a file written by `gazette
    /// gazetteer compile`, instead of the embedded defaults.
    #[arg(long, value_name = "DIR|FILE")]
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

#[derive(Args, Debug)]
struct ExtractArgs {
    /// Input files or directories (read recursively: *.jsonl, *.ndjson, *.txt, and *.gz of
    /// them); stdin when none is given or for `-`.
    #[arg(value_name = "PATH")]
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
    /// Worker threads (default: all cores). Output is identical for any number.
    #[arg(long, short = 'j', value_name = "N")]
    jobs: Option<usize>,
    /// No progress bar and no summary (both appear only when stderr is a terminal).
    #[arg(long, short = 'q')]
    quiet: bool,
    /// Longest article accepted, in bytes; longer ones give an error record.
    #[arg(long, value_name = "BYTES", default_value_t = gazette::corpus::DEFAULT_MAX_ARTICLE_BYTES)]
    max_article_bytes: usize,
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
    /// JSON Lines.
    Jsonl,
    /// CSV (RFC 4180) with a header row.
    Csv,
    /// Tab-separated, PostgreSQL text format, with a header row.
    Tsv,
}

impl ExtractArgs {
    /// The row kind and encoding the flags ask for, or a usage error.
    fn rows(&self) -> Result<(flat::Emit, flat::Format), String> {
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
        Ok((emit, format))
    }
}

#[derive(Subcommand, Debug)]
enum GazetteerCmd {
    /// Report every problem as path:line: message, then counts per type.
    Check {
        /// Directory of gazetteer files, or a compiled gazetteer (default: the embedded ones).
        dir: Option<PathBuf>,
        /// Accepted for compatibility: shared aliases are always listed as notes.
        #[arg(long, hide = true)]
        collisions: bool,
    },
    /// Check gazetteer files and write them as one compiled file, which `--gazetteers FILE`
    /// loads several times faster than the TSV files (rebuild it when they change).
    Compile {
        /// Directory of gazetteer files (default: the embedded ones).
        dir: Option<PathBuf>,
        /// The compiled file to write.
        #[arg(short, long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Show which entries a surface form hits, and why.
    Lookup {
        /// The text to look up.
        text: String,
        /// Directory of gazetteer files or compiled gazetteer (default: the embedded ones).
        #[arg(long, value_name = "DIR|FILE")]
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

const SUBCOMMANDS: &[&str] = &["extract", "gazetteer", "rules", "render", "help", "-h", "--help", "-V", "--version"];

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
        Command::Gazetteer(GazetteerCmd::Compile { dir, output }) => gazetteer_compile(dir, &output),
        Command::Gazetteer(GazetteerCmd::Lookup { text, gazetteers }) => gazetteer_lookup(&text, gazetteers),
        Command::Rules(RulesCmd::Check { path }) => rules_check(path),
        Command::Render(a) => render::run(a),
    };
    ExitCode::from(code)
}

fn build_extractor(data: &DataArgs) -> Result<Extractor, u8> {
    build_extractor_threads(data, 1)
}

fn build_extractor_threads(data: &DataArgs, threads: usize) -> Result<Extractor, u8> {
    let mut b = Extractor::builder().threads(threads);
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

/// What one input record produces. Every output line goes through [`emit`].
pub enum Emit<'a> {
    /// The extraction of an article.
    Extraction(&'a gazette::Extraction),
    /// An error record (the article could not be processed).
    Error(&'a ErrorRecord),
}

/// How records are written (flags of `extract`).
#[derive(Debug, Clone)]
pub struct EmitConfig {
    /// Pretty-printed JSON (several lines per record).
    pub pretty: bool,
    /// Nested records, or flat rows of one kind (`--emit`).
    pub rows: flat::Emit,
    /// Encoding of flat rows (`--format`).
    pub format: flat::Format,
}

/// Writes one record as output line(s) into `buf`: the ONE place that formats output.
pub fn emit(buf: &mut Vec<u8>, rec: Emit<'_>, cfg: &EmitConfig) {
    let start = buf.len();
    if cfg.rows != flat::Emit::Records {
        // Flat rows; the header row is written once at the start of the run.
        let mut w = flat::RowWriter::new(&mut *buf, cfg.rows, cfg.format).without_header();
        let res = match rec {
            Emit::Extraction(x) => w.write_extraction(x),
            Emit::Error(e) => w.write_error(e),
        };
        if res.is_err() {
            buf.truncate(start);
        }
        return;
    }
    let res = match (rec, cfg.pretty) {
        (Emit::Extraction(x), false) => serde_json::to_writer(&mut *buf, x),
        (Emit::Extraction(x), true) => serde_json::to_writer_pretty(&mut *buf, x),
        (Emit::Error(e), false) => serde_json::to_writer(&mut *buf, e),
        (Emit::Error(e), true) => serde_json::to_writer_pretty(&mut *buf, e),
    };
    if let Err(e) = res {
        // Not expected (the records are plain data), but never lose the line.
        buf.truncate(start);
        let rec = error_record(None, format!("internal error: cannot serialise record: {e}"), None);
        let _ = serde_json::to_writer(&mut *buf, &rec);
    }
    buf.push(b'\n');
}

fn error_record(id: Option<String>, error: String, source: Option<String>) -> ErrorRecord {
    ErrorRecord { schema_version: SCHEMA_VERSION.to_string(), id, error, source }
}

/// The output of one batch of records, written in input order by the main thread.
#[derive(Default)]
struct Done {
    out: Vec<u8>,
    messages: Vec<String>,
    stats: Stats,
}

/// Counts for the end-of-run summary.
#[derive(Default)]
pub struct Stats {
    /// Input records (articles and failed records).
    pub records: u64,
    /// Records that gave an error line.
    pub errors: u64,
    /// Entities by type.
    pub entities: std::collections::BTreeMap<String, u64>,
    /// Events by type.
    pub events: std::collections::BTreeMap<String, u64>,
}

impl Stats {
    fn merge(&mut self, o: Stats) {
        self.records += o.records;
        self.errors += o.errors;
        for (k, v) in o.entities {
            *self.entities.entry(k).or_default() += v;
        }
        for (k, v) in o.events {
            *self.events.entry(k).or_default() += v;
        }
    }
}

/// Adds one to the count of `key`.
fn count(counts: &mut std::collections::BTreeMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_string(), 1);
        }
    }
}

fn process_batch(batch: Vec<gazette::corpus::Record>, x: &Extractor, opts: &ReadOptions, cfg: &EmitConfig) -> Done {
    let mut d = Done::default();
    // About as many bytes out as in (JSON Lines records are 0.7-1.5x their article): one
    // allocation, where growing by doubling copied the batch's output over and over.
    d.out.reserve(batch.iter().map(|r| r.payload.len()).sum::<usize>() + 4096);
    for rec in batch {
        d.stats.records += 1;
        let res = gazette::corpus::decode(rec, opts).and_then(|article| {
            // A panic is a bug; it must not take the rest of the corpus with it.
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| x.extract(&article))).map_err(|_| gazette::corpus::RecordFailure {
                id: article.id.clone(),
                message: "internal error: the extractor panicked on this article (please report it)".into(),
                source: String::new(),
            })
        });
        match res {
            Ok(ex) => {
                // Counted by name, a key copied only the first time a type is seen.
                for e in &ex.entities {
                    count(&mut d.stats.entities, &e.entity_type);
                }
                for e in &ex.events {
                    count(&mut d.stats.events, &e.event_type);
                }
                emit(&mut d.out, Emit::Extraction(&ex), cfg);
            }
            Err(f) => {
                d.stats.errors += 1;
                let source = if f.source.is_empty() { None } else { Some(f.source) };
                d.messages.push(format!("gazette: {}: {}", source.as_deref().unwrap_or("<input>"), f.message));
                emit(&mut d.out, Emit::Error(&error_record(f.id, f.message, source)), cfg);
            }
        }
    }
    d
}

fn run_extract(a: ExtractArgs) -> u8 {
    let started = std::time::Instant::now();
    let jobs = match a.jobs {
        Some(n) if n > 0 => n,
        _ => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let extractor = match build_extractor_threads(&a.data, jobs) {
        Ok(x) => x,
        Err(c) => return c,
    };
    // Never freed: the process ends right after the run, and freeing a large gazetteer's
    // millions of small allocations one by one costs ~0.1 s at 1M names for nothing.
    let extractor = std::mem::ManuallyDrop::new(extractor);
    let opts = ReadOptions {
        format: match a.input {
            InputFormat::Auto => Format::Auto,
            InputFormat::Text => Format::Text,
            InputFormat::Jsonl => Format::Jsonl,
        },
        fields: Fields { text: a.text_field.clone(), id: a.id_field.clone(), title: a.title_field.clone() },
        max_article_bytes: a.max_article_bytes,
        published: a.published.clone(),
    };
    let specs: Vec<InputSpec> = a.files.iter().map(|p| if p.as_os_str() == "-" { InputSpec::Stdin } else { InputSpec::Path(p.clone()) }).collect();
    let inputs = Inputs::expand(&specs, opts.format);
    let total = inputs.total_bytes();
    let reader = inputs.records(&opts);
    let bytes_read = reader.bytes_read();
    let (rows, format) = match a.rows() {
        Ok(x) => x,
        Err(e) => {
            eprintln!("gazette: {e}");
            return exit::USAGE;
        }
    };
    let cfg = EmitConfig { pretty: a.pretty, rows, format };
    let show = !a.quiet && io::stderr().is_terminal();
    let progress = crate::progress::Progress::new(show, total, bytes_read.clone());
    let mut out = BufWriter::with_capacity(1 << 16, io::stdout().lock());
    if out.write_all(&flat::RowWriter::<Vec<u8>>::header_bytes(rows, format)).is_err() {
        return exit::OK;
    }
    let mut stats = Stats::default();
    let mut closed = false;
    gazette::corpus::ordered_map(
        gazette::corpus::batches(reader, 64, 1 << 20),
        jobs,
        jobs * 4,
        |batch| process_batch(batch, &extractor, &opts, &cfg),
        |done: Done| {
            for m in &done.messages {
                progress.message(m);
            }
            if let Err(e) = out.write_all(&done.out) {
                if e.kind() != io::ErrorKind::BrokenPipe {
                    progress.message(&format!("gazette: cannot write output: {e}"));
                }
                closed = true;
                return ControlFlow::Break(());
            }
            stats.merge(done.stats);
            progress.update(stats.records);
            ControlFlow::Continue(())
        },
    );
    if !closed {
        if let Err(e) = out.flush() {
            if e.kind() != io::ErrorKind::BrokenPipe {
                progress.message(&format!("gazette: cannot write output: {e}"));
            }
            closed = true;
        }
    }
    progress.finish();
    if closed {
        return exit::OK;
    }
    if show {
        crate::progress::summary(&stats, started.elapsed(), bytes_read.load(std::sync::atomic::Ordering::Relaxed));
    }
    if stats.errors > 0 {
        exit::RECORD_ERRORS
    } else {
        exit::OK
    }
}

fn gazetteer_check(dir: Option<PathBuf>, show_collisions: bool) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    // Every problem at once, then notes (aliases shared by entries: decided by context at run
    // time) and counts per type.
    let (problems, r) = match &dir {
        // A compiled file was checked when it was compiled: check that it loads, and count.
        Some(f) if f.is_file() => match gazette::Gazetteer::from_path(f) {
            Ok(g) => (Vec::new(), g.report()),
            Err(e) => (e.problems().to_vec(), Default::default()),
        },
        _ => gazette::Gazetteer::check(dir.as_deref()),
    };
    for p in &problems {
        let _ = writeln!(out, "{p}");
    }
    let _ = show_collisions;
    for c in &r.collisions {
        let _ = writeln!(out, "{}:{}: note: {}", c.path, c.line, c.message);
    }
    let total: usize = r.counts.iter().map(|(_, n)| n).sum();
    let _ = writeln!(out, "{} entries, {} problem(s), {} shared alias(es)", total, problems.len(), r.collisions.len());
    for (t, n) in &r.counts {
        let _ = writeln!(out, "  {t:<24} {n}");
    }
    if problems.is_empty() {
        exit::OK
    } else {
        eprintln!("gazette: {} problem(s)", problems.len());
        exit::RECORD_ERRORS
    }
}

/// The gazetteers of `dir` (a directory or a compiled file), or the embedded ones; on failure
/// every problem is printed and the exit code returned.
fn load_gazetteer(dir: Option<&std::path::Path>) -> Result<gazette::Gazetteer, u8> {
    let g = match dir {
        Some(d) => gazette::Gazetteer::from_path(d),
        None => gazette::Gazetteer::embedded(),
    };
    g.map_err(|e| {
        eprintln!("{e}");
        eprintln!("gazette: configuration error ({} problem(s))", e.problems().len());
        exit::USAGE
    })
}

fn gazetteer_compile(dir: Option<PathBuf>, output: &std::path::Path) -> u8 {
    let started = std::time::Instant::now();
    let g = match load_gazetteer(dir.as_deref()) {
        Ok(g) => g,
        Err(code) => {
            eprintln!("gazette: nothing written");
            return code;
        }
    };
    if let Err(e) = std::fs::File::create(output).and_then(|f| g.write_compiled(f)) {
        eprintln!("gazette: cannot write {}: {e}", output.display());
        return exit::USAGE;
    }
    let size = std::fs::metadata(output).map(|m| m.len()).unwrap_or(0);
    eprintln!(
        "gazette: compiled {} entries ({} surface forms) into {} ({:.1} MB) in {:.2} s",
        g.len(),
        g.matcher().pattern_count(),
        output.display(),
        size as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    exit::OK
}

fn gazetteer_lookup(text: &str, dir: Option<PathBuf>) -> u8 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let g = match load_gazetteer(dir.as_deref()) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let toks = gazette::segment::tokenize(text);
    let ids = g.matcher().token_ids(text, &toks);
    let mut found = Vec::new();
    g.matcher().find(text, &toks, &ids, 0..toks.len(), &mut found);
    if found.is_empty() {
        let _ = writeln!(out, "no entry matches {text:?}");
        return exit::RECORD_ERRORS;
    }
    for m in found {
        let mut key = String::new();
        let mut buf = String::new();
        for t in &toks[m.first_token..m.last_token] {
            if t.kind == gazette::segment::TokenKind::Word || t.kind == gazette::segment::TokenKind::Number {
                gazette::gazetteer::matcher::normalize_token(t.text(text), &mut buf);
                if !key.is_empty() {
                    key.push(' ');
                }
                key.push_str(&buf);
            }
        }
        let _ = writeln!(out, "{:?} [{}..{}] normalised key `{key}`", &text[m.start..m.end], m.start, m.end);
        for t in &m.targets {
            let e = g.entry(t.entry);
            let _ = writeln!(out, 
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
