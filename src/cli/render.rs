//! `gazette render`: articles or gazette output → one self-contained HTML page.

use super::{build_extractor, exit, DataArgs, InputFormat};
use clap::Args;
use gazette::input::{parse_json_record, Fields};
use gazette::render::{self, classify, doc_from_error, doc_from_output, Doc, Options, RecordKind};
use gazette::{Article, Extractor};
use std::collections::HashMap;
use std::io::{self, Read, Write};
use std::path::PathBuf;

/// Inputs are articles (plain text or JSON Lines, extracted now) or gazette's own JSON Lines
/// output (records with `entities`/`events`, rendered as they are). Output records do not carry
/// the article text: give the articles they came from with `--articles` to see the highlights
/// (records that do carry `text` need nothing more).
#[derive(Args, Debug)]
pub(super) struct RenderArgs {
    /// Articles or gazette output; stdin when none is given.
    #[arg(value_name = "FILE")]
    files: Vec<PathBuf>,
    /// Write the page to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The corpus view: counts, most-mentioned entities, who did what to whom, one compact
    /// entry per article.
    #[arg(long)]
    summary: bool,
    /// JSON Lines articles that the output records were extracted from, joined by id.
    #[arg(long, value_name = "FILE")]
    articles: Option<PathBuf>,
    /// How to read the input.
    #[arg(long, value_enum, default_value_t = InputFormat::Auto)]
    input: InputFormat,
    /// Publication date (YYYY-MM-DD) for plain-text input.
    #[arg(long, value_name = "DATE")]
    published: Option<String>,
    /// Page title.
    #[arg(long, value_name = "TEXT")]
    title: Option<String>,
    /// Entities listed per type in the summary.
    #[arg(long, default_value_t = 10, value_name = "N")]
    top: usize,
    #[command(flatten)]
    data: DataArgs,
}

/// Builds the extractor on first use: rendering output records needs none.
struct Lazy<'a> {
    data: &'a DataArgs,
    x: Option<Extractor>,
}

impl Lazy<'_> {
    fn get(&mut self) -> Result<&Extractor, u8> {
        if self.x.is_none() {
            self.x = Some(build_extractor(self.data)?);
        }
        Ok(self.x.as_ref().unwrap())
    }
}

fn read(input: &Option<PathBuf>) -> io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    match input {
        None => io::stdin().lock().read_to_end(&mut bytes)?,
        Some(p) => std::fs::File::open(p)?.read_to_end(&mut bytes)?,
    };
    Ok(bytes)
}

fn is_jsonl(format: InputFormat, input: &Option<PathBuf>, bytes: &[u8]) -> bool {
    match format {
        InputFormat::Jsonl => true,
        InputFormat::Text => false,
        InputFormat::Auto => {
            let by_name = input.as_ref().and_then(|p| p.extension()).and_then(|e| e.to_str()).is_some_and(|e| e == "jsonl" || e == "ndjson");
            by_name || bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
        }
    }
}

/// The articles of `--articles`, by id.
fn load_articles(path: &std::path::Path, failed: &mut bool) -> Result<HashMap<String, Article>, u8> {
    let bytes = read(&Some(path.to_path_buf())).map_err(|e| {
        eprintln!("gazette: {}: {e}", path.display());
        exit::USAGE
    })?;
    let mut map = HashMap::new();
    let text = String::from_utf8_lossy(&bytes);
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_json_record(line, &Fields::default()) {
            Ok(a) => {
                if let Some(id) = a.id.clone() {
                    map.entry(id).or_insert(a);
                }
            }
            Err(e) => {
                *failed = true;
                eprintln!("gazette: {}:{}: {}", path.display(), n + 1, e.message);
            }
        }
    }
    Ok(map)
}

pub(super) fn run(a: RenderArgs) -> u8 {
    let mut failed = false;
    let articles = match &a.articles {
        Some(p) => match load_articles(p, &mut failed) {
            Ok(m) => Some(m),
            Err(c) => return c,
        },
        None => None,
    };
    let mut lazy = Lazy { data: &a.data, x: None };
    let mut docs: Vec<Doc> = Vec::new();
    let inputs: Vec<Option<PathBuf>> = if a.files.is_empty() { vec![None] } else { a.files.iter().cloned().map(Some).collect() };
    for input in inputs {
        let name = input.as_ref().map_or("<stdin>".to_string(), |p| p.display().to_string());
        let bytes = match read(&input) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("gazette: {name}: {e}");
                failed = true;
                docs.push(Doc::error(None, format!("cannot read input: {e}"), Some(name)));
                continue;
            }
        };
        if is_jsonl(a.input, &input, &bytes) {
            for (n, line) in bytes.split(|&b| b == b'\n').enumerate() {
                if line.iter().all(|b| b.is_ascii_whitespace()) {
                    continue;
                }
                let origin = format!("{name}:{}", n + 1);
                let line = String::from_utf8_lossy(line);
                let value: serde_json::Value = match serde_json::from_str(&line) {
                    Ok(v) => v,
                    Err(e) => {
                        failed = true;
                        eprintln!("gazette: {origin}: malformed JSON: {e}");
                        docs.push(Doc::error(None, format!("malformed JSON: {e}"), Some(origin)));
                        continue;
                    }
                };
                let kind = classify(&value);
                let doc = match kind {
                    RecordKind::Output => doc_from_output(value, Some(origin.clone())),
                    RecordKind::Error => doc_from_error(&value, Some(origin.clone())),
                    RecordKind::Article => match parse_json_record(&line, &Fields::default()) {
                        Ok(article) => match lazy.get() {
                            Ok(x) => Doc::extracted(&article, x.extract(&article)),
                            Err(c) => return c,
                        },
                        Err(e) => Doc::error(e.id, e.message, Some(origin.clone())),
                    },
                };
                if let Err(e) = &doc.result {
                    if kind != RecordKind::Error {
                        failed = true;
                        eprintln!("gazette: {origin}: {e}");
                    }
                }
                docs.push(doc);
            }
        } else {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let mut article = Article::from_text(text);
            article.id = input.as_ref().map(|p| p.display().to_string());
            article.published = a.published.clone();
            match lazy.get() {
                Ok(x) => docs.push(Doc::extracted(&article, x.extract(&article))),
                Err(c) => return c,
            }
        }
    }
    if let Some(map) = &articles {
        let mut missing = 0;
        for d in docs.iter_mut().filter(|d| d.result.is_ok()) {
            match map.get(&d.id) {
                Some(art) => d.attach(art),
                None if d.text.is_none() => missing += 1,
                None => {}
            }
        }
        if missing > 0 {
            eprintln!("gazette: {missing} output record(s) have no article with their id in --articles");
        }
    }
    let mut opts = match &lazy.x {
        Some(x) => Options::with_gazetteer(x.gazetteer()),
        None => {
            let g = match &a.data.gazetteers {
                Some(d) => gazette::Gazetteer::from_dir(d),
                None => gazette::Gazetteer::embedded(),
            };
            g.map(|g| Options::with_gazetteer(&g)).unwrap_or_default()
        }
    };
    opts.title = a.title.clone();
    opts.top = a.top;
    let page = if a.summary { render::summary_page(&docs, &opts) } else { render::article_page(&docs, &opts) };
    let written = match &a.output {
        Some(p) => std::fs::write(p, page.as_bytes()).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            let mut out = io::stdout().lock();
            match out.write_all(page.as_bytes()).and_then(|_| out.flush()) {
                Err(e) if e.kind() != io::ErrorKind::BrokenPipe => Err(format!("cannot write output: {e}")),
                _ => Ok(()),
            }
        }
    };
    if let Err(e) = written {
        eprintln!("gazette: {e}");
        return exit::USAGE;
    }
    if failed {
        exit::RECORD_ERRORS
    } else {
        exit::OK
    }
}
