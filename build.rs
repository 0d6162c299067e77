//! Embeds every `gazetteers/*.tsv` and `gazetteers/*.txt` file and every `rules/*.toml` file
//! into the binary, so `gazette` works without any data on disk.

use std::env;
use std::fs;
use std::path::Path;

fn embed(dir: &str, exts: &[&str], out: &mut String, name: &str) {
    println!("cargo:rerun-if-changed={dir}");
    let mut files: Vec<_> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().and_then(|e| e.to_str()).is_some_and(|e| exts.contains(&e)));
    files.sort();
    out.push_str(&format!("pub static {name}: &[(&str, &str)] = &[\n"));
    for p in files {
        println!("cargo:rerun-if-changed={}", p.display());
        let abs = fs::canonicalize(&p).unwrap();
        let file = p.file_name().unwrap().to_string_lossy().into_owned();
        out.push_str(&format!("    ({file:?}, include_str!({:?})),\n", abs.display().to_string()));
    }
    out.push_str("];\n");
}

fn main() {
    let mut out = String::new();
    embed("gazetteers", &["tsv", "txt"], &mut out, "GAZETTEER_FILES");
    embed("rules", &["toml"], &mut out, "RULE_FILES");
    let dest = Path::new(&env::var("OUT_DIR").unwrap()).join("embedded.rs");
    fs::write(dest, out).unwrap();
}
