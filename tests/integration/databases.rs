//! Real databases: the DDL and load commands of docs/databases.md (the README recipes) run
//! against SQLite, DuckDB and PostgreSQL, then the documented questions are asked.
//!
//! A missing tool skips its test with a message, unless GAZETTE_REQUIRE_TOOLS is set (CI, via
//! tests/run.sh, which also installs the tools): then it fails.

use crate::util::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

const TABLES: [&str; 5] = ["articles", "entities", "mentions", "events", "arguments"];

/// The load commands, exactly as in README.md and docs/databases.md.
pub const SQLITE_LOAD: &str = r#"for t in articles entities mentions events arguments; do gazette --emit $t --format csv corpus.jsonl | sqlite3 gazette.db ".import --csv --skip 1 /dev/stdin $t"; done"#;
/// DuckDB.
pub const DUCKDB_LOAD: &str = r#"for t in articles entities mentions events arguments; do gazette --emit $t --format csv corpus.jsonl | duckdb gazette.duckdb -c "INSERT OR IGNORE INTO $t BY NAME SELECT * FROM read_csv('/dev/stdin', header = true, all_varchar = true)"; done"#;
/// PostgreSQL.
pub const PG_LOAD: &str = r#"for t in articles entities mentions events arguments; do gazette --emit $t --format csv corpus.jsonl | psql -q -v ON_ERROR_STOP=1 -c "CREATE TEMP TABLE load (LIKE $t)" -c "\copy load FROM pstdin WITH (FORMAT csv, HEADER true)" -c "INSERT INTO $t SELECT * FROM load ON CONFLICT DO NOTHING"; done"#;
/// Creating the tables from the DDL saved as schema.sql.
pub const SQLITE_DDL: &str = "sqlite3 gazette.db < schema.sql";
/// DuckDB.
pub const DUCKDB_DDL: &str = "duckdb gazette.duckdb < schema.sql";
/// PostgreSQL.
pub const PG_DDL: &str = "psql -q -v ON_ERROR_STOP=1 -f schema.sql";

/// Finds a program on PATH.
pub fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Whether missing tools fail the tests (CI) instead of skipping them.
pub fn require_tools() -> bool {
    std::env::var_os("GAZETTE_REQUIRE_TOOLS").is_some_and(|v| !v.is_empty())
}

/// Prints why a test is skipped, past the test harness's output capture (which only takes
/// `print!`/`eprintln!`), so the message shows in a passing run.
pub fn skip(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "skipping {msg}");
}

/// `Some(())` when every tool is there; otherwise skips (prints why) or, in CI, fails.
pub fn tools(test: &str, names: &[&str]) -> Option<()> {
    let missing: Vec<&str> = names.iter().copied().filter(|n| which(n).is_none()).collect();
    if missing.is_empty() {
        return Some(());
    }
    let msg = format!("{test}: {} not installed (tests/run.sh installs it)", missing.join(", "));
    if require_tools() {
        panic!("{msg}; GAZETTE_REQUIRE_TOOLS is set");
    }
    skip(&msg);
    None
}

/// A fresh directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// Creates `gazette-NAME-PID` under the system temp dir.
    pub fn new(name: &str) -> TempDir {
        let p = std::env::temp_dir().join(format!("gazette-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        TempDir(p)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A fenced block of docs/databases.md whose info string is `info`.
fn doc_block(info: &str) -> String {
    let doc = std::fs::read_to_string(repo("docs/databases.md")).unwrap();
    let open = format!("```{info}\n");
    let start = doc.find(&open).unwrap_or_else(|| panic!("no ```{info} block in docs/databases.md")) + open.len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

/// The documented questions, in order.
fn questions() -> Vec<String> {
    doc_block("sql").split(";\n").map(str::trim).filter(|s| !s.is_empty()).map(|s| format!("{s};")).collect()
}

/// Runs a shell command in `dir` with the built gazette first on PATH.
fn sh(dir: &Path, cmd: &str, env: &[(&str, String)]) {
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = std::env::join_paths(std::iter::once(bin_dir).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()))).unwrap();
    let out = Command::new("sh").arg("-c").arg(format!("set -e\n{cmd}")).current_dir(dir).env("PATH", path).envs(env.iter().map(|(k, v)| (k, v))).output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{cmd}\nexit {:?}\nstderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What the nested records say the answers are.
struct Expected {
    rows: BTreeMap<&'static str, usize>,
    us_sanctioned_companies: Vec<String>,
    huawei_automaker_licensees: Vec<String>,
    events_per_type: Vec<(String, usize)>,
    articles_with_us: usize,
    hashed_ids: Vec<String>,
}

fn expected(corpus: &str) -> Expected {
    let recs = lines(&run(&[corpus], b""));
    let mut rows = BTreeMap::new();
    for t in TABLES {
        let out = run(&["--emit", t, corpus], b"");
        assert!(out.status.success());
        rows.insert(t, String::from_utf8(out.stdout).unwrap().lines().count());
    }
    let mut us = Vec::new();
    let mut auto = Vec::new();
    let mut per_type: BTreeMap<String, usize> = BTreeMap::new();
    let mut articles_with_us = 0;
    let mut hashed_ids = Vec::new();
    let mut n_ent = 0;
    let mut n_ev = 0;
    let mut n_arg = 0;
    for r in &recs {
        let id = r["id"].as_str().unwrap();
        if id.starts_with("doc-") {
            hashed_ids.push(id.to_string());
        }
        let ents = r["entities"].as_array().unwrap();
        n_ent += ents.len();
        let ent = |id: &str| ents.iter().find(|e| e["id"] == id).unwrap();
        if ents.iter().any(|e| e["id"] == "country:us") {
            articles_with_us += 1;
        }
        for ev in r["events"].as_array().unwrap() {
            n_ev += 1;
            *per_type.entry(ev["type"].as_str().unwrap().to_string()).or_default() += 1;
            let args = ev["arguments"].as_array().unwrap();
            n_arg += args.len();
            let has = |role: &str, id: &str| args.iter().any(|a| a["role"] == role && a["entity"] == id);
            if ev["type"] == "sanction.imposed" && ev["polarity"] == "positive" && has("imposer", "country:us") {
                for a in args.iter().filter(|a| a["role"] == "target") {
                    if ent(a["entity"].as_str().unwrap())["type"] == "company" {
                        us.push(a["entity"].as_str().unwrap().to_string());
                    }
                }
            }
            if ev["type"] == "license.signed" && args.iter().any(|a| a["entity"] == "company:huawei") {
                for a in args.iter().filter(|a| a["entity"] != "company:huawei") {
                    if ent(a["entity"].as_str().unwrap())["subtype"] == "automaker" {
                        auto.push(a["entity"].as_str().unwrap().to_string());
                    }
                }
            }
        }
    }
    us.sort();
    us.dedup();
    auto.sort();
    auto.dedup();
    // The flat streams agree with the nested records.
    assert_eq!(rows["articles"], recs.len());
    assert_eq!(rows["entities"], n_ent);
    assert_eq!(rows["events"], n_ev);
    assert_eq!(rows["arguments"], n_arg);
    Expected { rows, us_sanctioned_companies: us, huawei_automaker_licensees: auto, events_per_type: per_type.into_iter().collect(), articles_with_us, hashed_ids }
}

/// One database behind its command-line client.
trait Db {
    fn query(&self, sql: &str) -> Vec<Vec<String>>;
}

fn column(db: &dyn Db, sql: &str) -> Vec<String> {
    db.query(sql).into_iter().map(|mut r| r.remove(0)).collect()
}

fn scalar(db: &dyn Db, sql: &str) -> usize {
    let v = column(db, sql);
    assert_eq!(v.len(), 1, "{sql}: {v:?}");
    v[0].parse().unwrap_or_else(|_| panic!("{sql}: {v:?}"))
}

fn row_counts(db: &dyn Db) -> BTreeMap<&'static str, usize> {
    let sql = format!("SELECT {};", TABLES.iter().map(|t| format!("(SELECT COUNT(*) FROM {t})")).collect::<Vec<_>>().join(", "));
    let rows = db.query(&sql);
    assert_eq!(rows.len(), 1, "{sql}: {rows:?}");
    TABLES.iter().zip(&rows[0]).map(|(t, n)| (*t, n.parse().unwrap_or_else(|_| panic!("{sql}: {rows:?}")))).collect()
}

const SEED_AUTOMAKERS: [&str; 9] = [
    "company:audi",
    "company:bentley",
    "company:bmw",
    "company:lamborghini",
    "company:mercedes-benz",
    "company:porsche",
    "company:renault",
    "company:subaru",
    "company:suzuki",
];

/// Loads the seed, then the multi-article corpus (which contains the seed) twice, asking the
/// questions after each load.
fn exercise(dir: &Path, db: &dyn Db, ddl_cmd: &str, dialect: &str, load: &str, env: &[(&str, String)]) {
    std::fs::write(dir.join("schema.sql"), doc_block(&format!("sql {dialect}"))).unwrap();
    sh(dir, ddl_cmd, env);
    let q = questions();
    assert_eq!(q.len(), 3, "{q:?}");
    for (corpus, times) in [("fixtures/seed.jsonl", 1), ("fixtures/multi.jsonl", 2)] {
        let exp = expected(repo(corpus).to_str().unwrap());
        std::fs::copy(repo(corpus), dir.join("corpus.jsonl")).unwrap();
        for n in 0..times {
            sh(dir, load, env);
            let counts = row_counts(db);
            assert_eq!(counts, exp.rows, "{dialect}: row counts after load {} of {corpus}", n + 1);
            assert_eq!(column(db, &q[0]), exp.us_sanctioned_companies, "{dialect}: {}", q[0]);
            assert_eq!(column(db, &q[1]), exp.huawei_automaker_licensees, "{dialect}: {}", q[1]);
            let per_type: Vec<(String, usize)> = db.query(&q[2]).into_iter().map(|r| (r[0].clone(), r[1].parse().unwrap())).collect();
            assert_eq!(per_type, exp.events_per_type, "{dialect}: {}", q[2]);
            // Real answers, not just agreement.
            assert!(column(db, &q[0]).contains(&"company:huawei".to_string()), "{dialect}: the US sanctioned Huawei");
            assert_eq!(column(db, &q[1]), SEED_AUTOMAKERS, "{dialect}: the nine automakers");
            assert!(per_type.iter().any(|(t, n)| t == "sanction.imposed" && *n >= 1));
            // One id per entity across articles; content-hash ids for articles without one.
            assert_eq!(scalar(db, "SELECT COUNT(DISTINCT article_id) FROM entities WHERE entity_id = 'country:us';"), exp.articles_with_us);
            assert_eq!(column(db, "SELECT article_id FROM articles WHERE article_id LIKE 'doc-%';"), exp.hashed_ids);
        }
        if corpus.ends_with("multi.jsonl") {
            assert!(exp.articles_with_us >= 3, "country:us in {} articles", exp.articles_with_us);
            assert_eq!(exp.hashed_ids.len(), 1);
            assert_eq!(exp.us_sanctioned_companies, ["company:huawei"]);
        }
    }
}

struct Sqlite(PathBuf);
impl Db for Sqlite {
    fn query(&self, sql: &str) -> Vec<Vec<String>> {
        let mut child = Command::new("sqlite3")
            .arg("-bail")
            .arg("-separator")
            .arg("|")
            .arg(&self.0)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), sql.as_bytes()).unwrap();
        split(child.wait_with_output().unwrap(), sql)
    }
}

struct Duck(PathBuf);
impl Db for Duck {
    fn query(&self, sql: &str) -> Vec<Vec<String>> {
        split(Command::new("duckdb").args(["-list", "-noheader", "-separator", "|"]).arg(&self.0).arg("-c").arg(sql).output().unwrap(), sql)
    }
}

struct Pg {
    env: Vec<(&'static str, String)>,
}
impl Db for Pg {
    fn query(&self, sql: &str) -> Vec<Vec<String>> {
        let out = Command::new("psql").args(["-X", "-A", "-t", "-F", "|", "-v", "ON_ERROR_STOP=1", "-c", sql]).envs(self.env.iter().map(|(k, v)| (k, v))).output().unwrap();
        split(out, sql)
    }
}

fn split(out: std::process::Output, sql: &str) -> Vec<Vec<String>> {
    assert!(out.status.success(), "{sql}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().filter(|l| !l.is_empty()).map(|l| l.split('|').map(str::to_string).collect()).collect()
}

#[test]
fn sqlite_loads_and_answers() {
    if tools("sqlite_loads_and_answers", &["sqlite3", "sh"]).is_none() {
        return;
    }
    let dir = TempDir::new("sqlite");
    exercise(&dir.0, &Sqlite(dir.0.join("gazette.db")), SQLITE_DDL, "sqlite", SQLITE_LOAD, &[]);
}

#[test]
fn duckdb_loads_and_answers() {
    if tools("duckdb_loads_and_answers", &["duckdb", "sh"]).is_none() {
        return;
    }
    let dir = TempDir::new("duckdb");
    exercise(&dir.0, &Duck(dir.0.join("gazette.duckdb")), DUCKDB_DDL, "duckdb", DUCKDB_LOAD, &[]);
}

/// A PostgreSQL server on loopback in a temporary directory, stopped on drop.
struct PgServer {
    dir: TempDir,
    bin: PathBuf,
    as_root: bool,
    port: u16,
}

fn pg_bin() -> Option<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql").ok()?.filter_map(|e| e.ok()).map(|e| e.path().join("bin")).filter(|p| p.join("initdb").is_file()).collect();
    dirs.sort_by_key(|p| p.parent().and_then(|v| v.file_name()).and_then(|v| v.to_str()).and_then(|v| v.parse::<u32>().ok()));
    dirs.pop().or_else(|| which("initdb").map(|p| p.parent().unwrap().to_path_buf()))
}

impl PgServer {
    fn cmd(&self, prog: &str) -> Command {
        let exe = self.bin.join(prog);
        if self.as_root {
            // PostgreSQL refuses to run as root: run it as the `postgres` user.
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn start() -> PgServer {
        let bin = pg_bin().expect("PostgreSQL server binaries (initdb) under /usr/lib/postgresql/*/bin");
        let uid = Command::new("id").arg("-u").output().unwrap();
        let as_root = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let dir = TempDir::new("postgres");
        if as_root {
            let st = Command::new("chown").arg("postgres").arg(&dir.0).status().unwrap();
            assert!(st.success(), "chown postgres {}", dir.0.display());
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let s = PgServer { dir, bin, as_root, port };
        let data = s.dir.0.join("data");
        let out = s.cmd("initdb").arg("-D").arg(&data).args(["-U", "gazette", "--auth=trust", "-E", "UTF8", "--locale=C"]).output().unwrap();
        assert!(out.status.success(), "initdb: {}", String::from_utf8_lossy(&out.stderr));
        let opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", s.dir.0.display());
        let out = s.cmd("pg_ctl").arg("-D").arg(&data).arg("-l").arg(s.dir.0.join("log")).args(["-o", &opts, "-w", "-t", "60", "start"]).output().unwrap();
        assert!(out.status.success(), "pg_ctl start: {}\n{}", String::from_utf8_lossy(&out.stderr), std::fs::read_to_string(s.dir.0.join("log")).unwrap_or_default());
        s
    }

    fn env(&self) -> Vec<(&'static str, String)> {
        vec![("PGHOST", "127.0.0.1".into()), ("PGPORT", self.port.to_string()), ("PGUSER", "gazette".into()), ("PGDATABASE", "postgres".into())]
    }
}

impl Drop for PgServer {
    fn drop(&mut self) {
        let _ = self.cmd("pg_ctl").arg("-D").arg(self.dir.0.join("data")).args(["-m", "immediate", "-w", "stop"]).output();
    }
}

#[test]
fn postgres_loads_and_answers() {
    if tools("postgres_loads_and_answers", &["psql", "sh", "id"]).is_none() {
        return;
    }
    if pg_bin().is_none() {
        let msg = "postgres_loads_and_answers: PostgreSQL server (initdb, pg_ctl) not installed (tests/run.sh installs it)";
        assert!(!require_tools(), "{msg}; GAZETTE_REQUIRE_TOOLS is set");
        skip(msg);
        return;
    }
    let server = PgServer::start();
    let env = server.env();
    let dir = TempDir::new("postgres-load");
    let db = Pg { env: env.clone() };
    exercise(&dir.0, &db, PG_DDL, "postgresql", PG_LOAD, &env);
    // The TSV stream is PostgreSQL's text format: it loads and equals the CSV load.
    std::fs::write(dir.0.join("corpus.jsonl"), std::fs::read(repo("fixtures/multi.jsonl")).unwrap()).unwrap();
    for t in TABLES {
        let cmd = format!(
            "gazette --emit {t} --format tsv corpus.jsonl | psql -q -v ON_ERROR_STOP=1 -c \"CREATE TEMP TABLE load (LIKE {t})\" -c \"\\copy load FROM pstdin WITH (FORMAT text, HEADER true)\" -c \"CREATE TABLE tsv_{t} AS SELECT * FROM load\""
        );
        sh(&dir.0, &cmd, &env);
        let diff = format!("SELECT COUNT(*) FROM ((SELECT * FROM tsv_{t} EXCEPT SELECT * FROM {t}) UNION ALL (SELECT * FROM {t} EXCEPT SELECT * FROM tsv_{t})) d;");
        assert_eq!(scalar(&db, &diff), 0, "{t}: TSV and CSV loads differ");
        assert!(scalar(&db, &format!("SELECT COUNT(*) FROM tsv_{t};")) > 0);
    }
    drop(server);
}

#[test]
fn readme_recipes_are_the_tested_commands() {
    let readme = std::fs::read_to_string(repo("README.md")).unwrap();
    let doc = std::fs::read_to_string(repo("docs/databases.md")).unwrap();
    for cmd in [SQLITE_LOAD, DUCKDB_LOAD, PG_LOAD] {
        assert!(readme.contains(cmd), "README.md lacks the tested command:\n{cmd}");
        assert!(doc.contains(cmd), "docs/databases.md lacks the tested command:\n{cmd}");
    }
    for cmd in [SQLITE_DDL, DUCKDB_DDL, PG_DDL] {
        assert!(readme.contains(cmd), "README.md lacks the tested command:\n{cmd}");
    }
    // Every DDL statement declares the primary key that makes reloading idempotent.
    for dialect in ["sqlite", "duckdb", "postgresql"] {
        let ddl = doc_block(&format!("sql {dialect}"));
        assert_eq!(ddl.matches("CREATE TABLE").count(), 5, "{dialect}");
        assert_eq!(ddl.matches("PRIMARY KEY").count(), 5, "{dialect}");
    }
}
