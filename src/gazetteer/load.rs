//! Reading and checking gazetteer files (format: `gazetteers/README.md`).

use super::{Entry, EntryExtra, EntityType};
use crate::error::Problem;

/// The twelve columns, in order.
pub const COLUMNS: [&str; 12] =
    ["id", "name", "type", "subtype", "country", "parent", "aliases", "demonyms", "wikidata", "ticker", "isin", "cik"];

fn valid_id(id: &str) -> bool {
    let Some((ty, slug)) = id.split_once(':') else { return false };
    !ty.is_empty()
        && ty.bytes().all(|b| b.is_ascii_lowercase())
        && !slug.is_empty()
        && slug.bytes().next().is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
}

/// `str::trim`, without its Unicode scan in the usual case of a field that starts and ends
/// with an ASCII character other than white space (12 fields per line of a million lines).
fn trim(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(z)) if a.is_ascii_graphic() && z.is_ascii_graphic() => s,
        (None, _) => s,
        _ => s.trim(),
    }
}

fn opt(s: &str) -> Option<String> {
    let s = trim(s);
    (!s.is_empty()).then(|| s.to_string())
}

fn list(s: &str) -> Vec<Box<str>> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split('|').map(trim).filter(|a| !a.is_empty()).map(Box::from).collect()
}

/// The tab-separated columns of a line, or how many there are when not exactly twelve. An
/// array, not a `Vec`: one allocation less per line of a million-line file.
fn columns(line: &str) -> Result<[&str; COLUMNS.len()], usize> {
    let mut cols = [""; COLUMNS.len()];
    let mut n = 0;
    let mut start = 0;
    let tabs = memchr::memchr_iter(b'\t', line.as_bytes());
    for end in tabs.chain(std::iter::once(line.len())) {
        if let Some(c) = cols.get_mut(n) {
            *c = &line[start..end];
        }
        n += 1;
        start = end + 1;
    }
    if n == COLUMNS.len() {
        Ok(cols)
    } else {
        Err(n)
    }
}

/// Parses one gazetteer file. Entries are appended to `entries`; problems to `problems`.
pub fn parse_file(path: &str, content: &str, entries: &mut Vec<Entry>, problems: &mut Vec<Problem>) {
    let content = content.strip_prefix('\u{feff}').unwrap_or(content);
    let mut header_seen = false;
    let mut report = |line: usize, message: String| problems.push(Problem { path: path.to_string(), line, message });
    let path_arc: std::sync::Arc<str> = std::sync::Arc::from(path);
    // One entry per line at most: sized once, no doubling of a large vector.
    entries.reserve(memchr::memchr_iter(b'\n', content.as_bytes()).count() + 1);
    // `str::lines`, with the memchr crate's vectorised search for the line ends.
    let mut line_start = 0;
    let ends = memchr::memchr_iter(b'\n', content.as_bytes()).chain((!content.ends_with('\n')).then_some(content.len()));
    for (idx, end) in ends.enumerate() {
        let raw = &content[line_start..end];
        line_start = end + 1;
        let line_no = idx + 1;
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols = columns(line);
        if !header_seen {
            header_seen = true;
            if cols != Ok(COLUMNS) {
                report(line_no, format!("header must be the 12 tab-separated columns `{}`", COLUMNS.join(" ")));
                return;
            }
            continue;
        }
        let cols = match cols {
            Ok(c) => c,
            Err(n) => {
                report(line_no, format!("expected {} tab-separated columns, found {n}", COLUMNS.len()));
                continue;
            }
        };
        let id = trim(cols[0]);
        if !valid_id(id) {
            report(line_no, format!("bad id `{id}`: expected `type:slug` with [a-z0-9.-] in the slug"));
            continue;
        }
        let name = trim(cols[1]);
        if name.is_empty() {
            report(line_no, format!("entry `{id}` has an empty name"));
            continue;
        }
        let Some(kind) = EntityType::parse(trim(cols[2])) else {
            report(line_no, format!("entry `{id}` has unknown type `{}` (company, country, location, government, organization)", cols[2].trim()));
            continue;
        };
        let country = opt(cols[4]);
        if let Some(c) = &country {
            if c.len() != 2 || !c.bytes().all(|b| b.is_ascii_uppercase()) {
                report(line_no, format!("entry `{id}` has bad country `{c}` (ISO 3166-1 alpha-2, upper case)"));
            }
        }
        let wikidata = opt(cols[8]);
        if let Some(q) = &wikidata {
            if !(q.starts_with('Q') && q.len() > 1 && q[1..].bytes().all(|b| b.is_ascii_digit())) {
                report(line_no, format!("entry `{id}` has bad wikidata id `{q}`"));
            }
        }
        let isin = opt(cols[10]);
        if let Some(i) = &isin {
            if i.len() != 12 || !i.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
                report(line_no, format!("entry `{id}` has bad ISIN `{i}`"));
            }
        }
        let cik = opt(cols[11]);
        if let Some(c) = &cik {
            if !c.bytes().all(|b| b.is_ascii_digit()) {
                report(line_no, format!("entry `{id}` has bad CIK `{c}`"));
            }
        }
        let extra = EntryExtra {
            subtype: opt(cols[3]).map(String::into_boxed_str),
            country: country.map(String::into_boxed_str),
            parent: opt(cols[5]).map(String::into_boxed_str),
            aliases: list(cols[6]),
            demonyms: list(cols[7]),
            wikidata,
            ticker: opt(cols[9]),
            isin,
            cik,
        };
        entries.push(Entry::new(id.to_string(), name.to_string(), kind, extra, path_arc.clone(), line_no as u32));
    }
    if !header_seen {
        report(0, "file has no header line".to_string());
    }
}

/// Cross-entry checks: duplicate ids and unknown parents. Returns the entry indices sorted by
/// id (equal ids in load order): the id index, built once for both the checks and lookups, in
/// place of a hash map of every id.
pub fn check_entries(entries: &[Entry], problems: &mut Vec<Problem>) -> Vec<u32> {
    let mut by_id: Vec<u32> = (0..entries.len() as u32).collect();
    // Stable, and files are mostly in id order already: close to one linear pass.
    by_id.sort_by(|&a, &b| entries[a as usize].id.cmp(&entries[b as usize].id));
    let mut dups: Vec<(u32, Problem)> = Vec::new();
    for group in by_id.chunk_by(|&a, &b| entries[a as usize].id == entries[b as usize].id) {
        let first = &entries[group[0] as usize];
        for &i in &group[1..] {
            let e = &entries[i as usize];
            let message = format!("duplicate id `{}` (first defined at {}:{})", e.id, first.path, first.line);
            dups.push((i, Problem { path: e.path.to_string(), line: e.line as usize, message }));
        }
    }
    dups.sort_by_key(|d| d.0);
    problems.extend(dups.into_iter().map(|d| d.1));
    let known = |id: &str| by_id.binary_search_by(|&i| entries[i as usize].id.as_str().cmp(id)).is_ok();
    for e in entries {
        if let Some(p) = &e.parent {
            if !known(p) {
                problems.push(Problem { path: e.path.to_string(), line: e.line as usize, message: format!("entry `{}` has unknown parent `{p}`", e.id) });
            } else if **p == *e.id {
                problems.push(Problem { path: e.path.to_string(), line: e.line as usize, message: format!("entry `{}` is its own parent", e.id) });
            }
        }
    }
    by_id
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id\tname\ttype\tsubtype\tcountry\tparent\taliases\tdemonyms\twikidata\tticker\tisin\tcik\n";

    #[test]
    fn reports_every_problem_with_path_and_line() {
        let text = format!(
            "{HEADER}company:a\tA\tcompany\t\tCN\t\t\t\t\t\t\t\nBad Id\tB\tcompany\t\t\t\t\t\t\t\t\t\ncompany:c\tC\tplanet\t\t\t\t\t\t\t\t\t\ncompany:d\tD\tcompany\t\tchina\tcompany:zz\t\t\t\t\t\t\ncompany:a\tA2\tcompany\t\t\t\t\t\t\t\t\t\nshort\trow\n"
        );
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        parse_file("g.tsv", &text, &mut entries, &mut problems);
        check_entries(&entries, &mut problems);
        let msgs: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:3: bad id")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:4:") && m.contains("unknown type")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:5:") && m.contains("bad country")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:7:") && m.contains("columns")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:6: duplicate id")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("g.tsv:5:") && m.contains("unknown parent")), "{msgs:?}");
    }

    #[test]
    fn crlf_lines_a_missing_final_newline_and_unicode_spaces_around_fields() {
        let text = format!("{}company:a\t Acme\u{a0}\tcompany\t\t\t\t A1 | A2\u{2003}|\t\t\t\t\t\r\n\r\n# note\ncompany:b\tBeta\tcompany\t\t\t\t\t\t\t\t\t", HEADER.replace('\n', "\r\n"));
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        parse_file("t.tsv", &text, &mut entries, &mut problems);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(entries.len(), 2);
        assert_eq!((entries[0].name.as_str(), entries[0].line), ("Acme", 2));
        assert_eq!(entries[0].aliases.iter().map(|a| &**a).collect::<Vec<_>>(), ["A1", "A2"]);
        assert_eq!((entries[1].id.as_str(), entries[1].line), ("company:b", 5));
    }

    #[test]
    fn bad_header_is_reported() {
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        parse_file("h.tsv", "\u{feff}id\tname\n", &mut entries, &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(problems[0].to_string().starts_with("h.tsv:1: header"));
    }
}
