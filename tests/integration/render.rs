//! `gazette render`: the page is built by the binary, then loaded in a real browser (Debian's
//! headless `chromium`) whose DOM, after the page's script ran, is checked. Screenshots are
//! written under `target/` for people to look at.
//!
//! Without chromium the browser tests are skipped with a message, unless
//! `GAZETTE_REQUIRE_TOOLS` is set (as `tests/run.sh` does), in which case they fail.

use crate::util::{repo, run};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

// ---------------------------------------------------------------------------------------------
// A tiny reader for the DOM chromium serialises (`--dump-dom`): well-formed, attributes in
// double quotes. Enough to ask "which elements have this class, and what text is inside".

#[derive(Debug)]
struct Node {
    tag: String,
    attrs: String,
    parent: Option<usize>,
    text: String,
}

impl Node {
    fn attr(&self, name: &str) -> Option<String> {
        let re = regex::Regex::new(&format!(r#"(?:^|\s){}="([^"]*)""#, regex::escape(name))).unwrap();
        re.captures(&self.attrs).map(|c| decode(&c[1]))
    }
    fn has_class(&self, c: &str) -> bool {
        self.attr("class").is_some_and(|v| v.split_whitespace().any(|x| x == c))
    }
}

struct Dom {
    nodes: Vec<Node>,
}

fn decode(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

const VOID: &[&str] = &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"];

impl Dom {
    fn parse(html: &str) -> Dom {
        let tag_re = regex::Regex::new(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->|<![^>]*>").unwrap();
        let mut nodes: Vec<Node> = Vec::new();
        let mut stack: Vec<usize> = Vec::new();
        let mut pos = 0;
        let push_text = |nodes: &mut Vec<Node>, stack: &[usize], t: &str| {
            let t = decode(t);
            for &i in stack {
                nodes[i].text.push_str(&t);
            }
        };
        while let Some(m) = tag_re.find_at(html, pos) {
            push_text(&mut nodes, &stack, &html[pos..m.start()]);
            pos = m.end();
            let caps = tag_re.captures(m.as_str()).unwrap();
            let Some(name) = caps.get(2) else { continue };
            let name = name.as_str().to_ascii_lowercase();
            if &caps[1] == "/" {
                if let Some(at) = stack.iter().rposition(|&i| nodes[i].tag == name) {
                    stack.truncate(at);
                }
                continue;
            }
            nodes.push(Node { tag: name.clone(), attrs: caps[3].to_string(), parent: stack.last().copied(), text: String::new() });
            let me = nodes.len() - 1;
            if name == "script" || name == "style" {
                let end = html[pos..].find(&format!("</{name}>")).map_or(html.len(), |e| pos + e);
                nodes[me].text = html[pos..end].to_string();
                pos = end;
                continue;
            }
            if !VOID.contains(&name.as_str()) {
                stack.push(me);
            }
        }
        Dom { nodes }
    }

    fn all(&self, f: impl Fn(&Node) -> bool) -> Vec<usize> {
        (0..self.nodes.len()).filter(|&i| f(&self.nodes[i])).collect()
    }

    fn within(&self, i: usize, ancestor: usize) -> bool {
        let mut p = self.nodes[i].parent;
        while let Some(j) = p {
            if j == ancestor {
                return true;
            }
            p = self.nodes[j].parent;
        }
        false
    }

    fn texts(&self, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|&i| self.nodes[i].text.clone()).collect()
    }

    /// Elements with class `c` inside element `root`.
    fn class_in(&self, root: usize, c: &str) -> Vec<usize> {
        self.all(|n| n.has_class(c)).into_iter().filter(|&i| self.within(i, root)).collect()
    }
}

// ---------------------------------------------------------------------------------------------
// The browser.

fn chromium() -> Option<PathBuf> {
    let found = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.exists());
    if found.is_none() {
        if std::env::var_os("GAZETTE_REQUIRE_TOOLS").is_some() {
            panic!("chromium is required (GAZETTE_REQUIRE_TOOLS is set): apt-get install -y chromium");
        }
        eprintln!("skipping browser test: /usr/bin/chromium not found (apt-get install -y chromium)");
    }
    found
}

fn out_dir() -> PathBuf {
    let d = repo("target/render-test");
    std::fs::create_dir_all(&d).unwrap();
    d
}

static PROFILE: AtomicUsize = AtomicUsize::new(0);

/// Runs headless chromium on `file://page#fragment` with `extra` flags; returns stdout.
fn browse(chrome: &Path, page: &Path, fragment: &str, extra: &[&str]) -> String {
    let profile = std::env::temp_dir().join(format!("gazette-render-{}-{}", std::process::id(), PROFILE.fetch_add(1, Ordering::SeqCst)));
    let url = format!("file://{}{}", page.canonicalize().unwrap().display(), fragment);
    let out = Command::new(chrome)
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"])
        .args(["--disable-component-update", "--disable-sync", "--hide-scrollbars"])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(&url)
        .output()
        .expect("run chromium");
    let _ = std::fs::remove_dir_all(&profile);
    assert!(out.status.success(), "chromium failed on {url}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 DOM")
}

fn dump_dom(chrome: &Path, page: &Path, fragment: &str) -> Dom {
    let html = browse(chrome, page, fragment, &["--dump-dom"]);
    assert!(html.contains("</html>"), "no DOM dumped: {html:.200}");
    Dom::parse(&html)
}

fn screenshot(chrome: &Path, page: &Path, fragment: &str, name: &str, height: u32) {
    let png = repo("target").join(name);
    let _ = std::fs::remove_file(&png);
    browse(chrome, page, fragment, &[&format!("--screenshot={}", png.display()), &format!("--window-size=1400,{height}")]);
    let size = std::fs::metadata(&png).map(|m| m.len()).unwrap_or(0);
    assert!(size > 10_000, "screenshot {} is missing or blank ({size} bytes)", png.display());
}

/// Renders with `args` into target/render-test/NAME.html and returns the path.
fn render(name: &str, args: &[&str]) -> PathBuf {
    let page = out_dir().join(format!("{name}.html"));
    let mut all: Vec<&str> = vec!["render", "-o", page.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = run(&all, b"");
    assert!(out.status.success(), "gazette render failed: {}", String::from_utf8_lossy(&out.stderr));
    page
}

fn path(p: &str) -> String {
    repo(p).display().to_string()
}

// ---------------------------------------------------------------------------------------------
// Browser tests.

#[test]
fn seed_article_in_the_browser() {
    let Some(chrome) = chromium() else { return };
    let page = render("seed", &[&path("fixtures/seed.jsonl")]);
    let dom = dump_dom(&chrome, &page, "");

    // Nine automaker highlights, linked to their entities, with parent and country on hover.
    let autos = dom.all(|n| n.has_class("m") && n.has_class("k-automaker"));
    let mut names = dom.texts(&autos);
    names.sort();
    assert_eq!(names, ["Audi", "BMW", "Bentley", "Lamborghini", "Mercedes Benz", "Porsche", "Renault", "Subaru", "Suzuki"]);
    for &i in &autos {
        let n = &dom.nodes[i];
        let target = n.attr("href").unwrap();
        assert!(target.starts_with("#a0-e"), "{target}");
        let row = dom.all(|r| r.tag == "tr" && r.attr("id").as_deref() == Some(&target[1..]));
        assert_eq!(row.len(), 1, "mention links to its entity row");
        assert!(dom.nodes[row[0]].text.contains(&dom.nodes[i].text[..3]));
        assert!(n.attr("title").unwrap().contains("country: "), "{:?}", n.attr("title"));
    }
    let audi = autos.iter().find(|&&i| dom.nodes[i].text == "Audi").unwrap();
    let tip = dom.nodes[*audi].attr("title").unwrap();
    assert!(tip.contains("id: company:audi") && tip.contains("parent: Volkswagen Group (company:volkswagen-group)") && tip.contains("country: DE"), "{tip}");
    // Huawei is a company, not an automaker: a different colour class.
    assert!(dom.all(|n| n.has_class("m") && n.text == "Huawei").iter().all(|&i| dom.nodes[i].has_class("k-company")));

    // A license.extended card whose arguments are Huawei and Nokia.
    let cards = dom.all(|n| n.has_class("card") && n.attr("data-type").as_deref() == Some("license.extended"));
    assert!(!cards.is_empty());
    let args: Vec<String> = dom.texts(&dom.class_in(cards[0], "chip"));
    assert_eq!(args, ["Huawei", "Nokia"]);
    // Before any selection nothing is highlighted.
    assert!(dom.all(|n| n.has_class("hl-a") || n.has_class("hl-t") || n.has_class("sel")).is_empty());
}

#[test]
fn selecting_a_card_highlights_its_trigger_sentence_and_arguments() {
    let Some(chrome) = chromium() else { return };
    let page = render("seed-select", &[&path("fixtures/seed.jsonl")]);
    let dom = dump_dom(&chrome, &page, "#select=license.extended");
    let sel = dom.all(|n| n.has_class("card") && n.has_class("sel"));
    assert_eq!(sel.len(), 1, "exactly one card selected");
    assert_eq!(dom.nodes[sel[0]].attr("data-type").as_deref(), Some("license.extended"));
    let trig = dom.all(|n| n.has_class("hl-t"));
    assert_eq!(dom.texts(&trig), ["extended"]);
    let sentence: String = dom.texts(&dom.all(|n| n.has_class("hl-s"))).concat();
    assert_eq!(sentence, "Huawei has reportedly extended a patent license agreement with Nokia.");
    let args = dom.all(|n| n.has_class("hl-a"));
    assert_eq!(dom.texts(&args), ["Huawei", "Nokia"]);
    assert!(args.iter().all(|&i| dom.nodes[i].has_class("m")), "arguments reuse the entity mentions");
    screenshot(&chrome, &page, "#select=license.extended", "render-seed.png", 2000);

    // Selecting by event id: the pronoun argument of a passive sanction ("it has been punished").
    let target = dom
        .all(|n| n.has_class("card") && n.attr("data-type").as_deref() == Some("sanction.imposed"))
        .into_iter()
        .find(|&c| dom.nodes[c].text.contains("pronoun"));
    if let Some(c) = target {
        let id = dom.nodes[c].attr("data-ev").unwrap();
        let dom = dump_dom(&chrome, &page, &format!("#select={id}"));
        let args = dom.texts(&dom.all(|n| n.has_class("hl-a")));
        assert!(args.contains(&"it".to_string()), "{args:?}");
        assert!(dom.all(|n| n.has_class("hl-a")).iter().any(|&i| dom.nodes[i].has_class("r")));
    }
}

#[test]
fn multi_article_page_and_summary_in_the_browser() {
    let Some(chrome) = chromium() else { return };
    let multi = path("fixtures/render-multi.jsonl");
    let page = render("multi", &[&multi]);
    let dom = dump_dom(&chrome, &page, "#select=sanction.imposed");
    let arts = dom.all(|n| n.tag == "section" && n.has_class("article"));
    let ids: Vec<String> = arts.iter().map(|&i| dom.nodes[i].attr("data-id").unwrap()).collect();
    assert_eq!(ids, ["seed-huawei-nokia", "wikinews-004", "wikinews-012", "wikinews-027", "wikinews-036", "wikinews-040"]);
    let nav = dom.all(|n| n.tag == "nav")[0];
    let toc: Vec<String> = dom.all(|n| n.tag == "a").into_iter().filter(|&a| dom.within(a, nav)).map(|a| dom.nodes[a].attr("href").unwrap()).collect();
    assert_eq!(toc, ["#a0", "#a1", "#a2", "#a3", "#a4", "#a5"]);
    // Porsche is an automaker in wikinews-027 too; highlights are per article.
    let porsche = dom.class_in(arts[3], "k-automaker").into_iter().filter(|&i| dom.nodes[i].has_class("m")).collect::<Vec<_>>();
    assert!(dom.texts(&porsche).iter().any(|t| t == "Porsche"), "{:?}", dom.texts(&porsche));
    assert!(dom.nodes[porsche[0]].attr("href").unwrap().starts_with("#a3-e"));
    // Selection stays within its article.
    let sel = dom.all(|n| n.has_class("sel"));
    assert_eq!(sel.len(), 1);
    assert!(dom.within(sel[0], arts[0]));
    screenshot(&chrome, &page, "", "render-multi.png", 2400);

    let page = render("summary", &["--summary", &multi]);
    let dom = dump_dom(&chrome, &page, "");
    let tiles = dom.texts(&dom.all(|n| n.has_class("tile")));
    assert!(tiles[0].starts_with("6articles"), "{tiles:?}");
    // Who did what to whom: Brazil → United States (sanction.imposed) links to wikinews-036.
    let rows = dom.all(|n| n.tag == "tr" && n.attr("data-f").as_deref() == Some("sanction.imposed"));
    let brazil = rows.iter().find(|&&r| dom.nodes[r].text.starts_with("Brazil imposer→United States target")).expect("Brazil → United States row");
    let links: Vec<String> = dom.all(|n| n.tag == "a").into_iter().filter(|&a| dom.within(a, *brazil)).map(|a| dom.nodes[a].attr("href").unwrap()).collect();
    assert_eq!(links, ["#a4"]);
    let target = dom.all(|n| n.attr("id").as_deref() == Some("a4"));
    assert_eq!(target.len(), 1);
    assert!(dom.nodes[target[0]].text.contains("wikinews-036"));
    // Huawei and Nokia extended their license: one unordered pair of parties.
    let lic = dom.all(|n| n.tag == "tr" && n.attr("data-f").as_deref() == Some("license.extended"));
    assert!(lic.iter().any(|&r| dom.nodes[r].text.starts_with("Huawei parties→Nokia parties")), "{:?}", dom.texts(&lic));
    // Entities by type: automakers are their own row.
    assert!(dom.all(|n| n.tag == "tr").iter().any(|&r| dom.nodes[r].text.starts_with("automaker")));
    screenshot(&chrome, &page, "", "render-summary.png", 2400);
}

#[test]
fn hostile_text_is_shown_not_run() {
    let Some(chrome) = chromium() else { return };
    let evil = r#"{"id":"\"><img src=x onerror=alert(1)>","title":"<script>document.title='pwned'</script> & \"Huawei\"","url":"javascript:alert(1)","text":"</p></div><script>document.title='pwned'</script> Huawei & Nokia signed a \"patent\" license <b>deal</b> with 'quotes' &amp; <!-- comment --> <img src=x onerror=alert(1)>.\nHuawei has extended a patent license agreement with Nokia."}"#;
    let input = out_dir().join("hostile.jsonl");
    std::fs::write(&input, format!("{evil}\n")).unwrap();
    let page = render("hostile", &[input.to_str().unwrap()]);
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(!html.contains("<img") && !html.contains("<b>") && !html.contains("href=\"javascript"), "raw markup leaked");
    let dom = dump_dom(&chrome, &page, "");
    assert_eq!(dom.all(|n| n.tag == "script").len(), 1, "only gazette's own script");
    assert!(dom.all(|n| n.tag == "img" || n.tag == "b").is_empty());
    // The injected `document.title = 'pwned'` never ran: the title is the escaped headline.
    assert_eq!(dom.texts(&dom.all(|n| n.tag == "title")), ["gazette — <script>document.title='pwned'</script> & \"Huawei\""]);
    let text = dom.all(|n| n.has_class("text"));
    let shown = &dom.nodes[text[0]].text;
    assert!(shown.contains("</p></div><script>document.title='pwned'</script> Huawei & Nokia signed a \"patent\" license <b>deal</b> with 'quotes' &amp; <!-- comment --> <img src=x onerror=alert(1)>."), "{shown}");
    let art = dom.all(|n| n.tag == "section" && n.has_class("article"))[0];
    assert_eq!(dom.nodes[art].attr("data-id").as_deref(), Some("\"><img src=x onerror=alert(1)>"));
    // Highlights still work around the hostile text.
    assert!(dom.all(|n| n.has_class("m") && n.text == "Nokia").len() >= 2);
}

// ---------------------------------------------------------------------------------------------
// Without a browser.

#[test]
fn output_with_articles_renders_the_same_page_as_extracting() {
    let seed = path("fixtures/render-multi.jsonl");
    let extracted = run(&["extract", &seed], b"");
    assert!(extracted.status.success());
    let output = out_dir().join("multi-output.jsonl");
    std::fs::write(&output, &extracted.stdout).unwrap();
    let direct = run(&["render", &seed], b"");
    let reread = run(&["render", "--articles", &seed, output.to_str().unwrap()], b"");
    assert!(direct.status.success() && reread.status.success(), "{}", String::from_utf8_lossy(&reread.stderr));
    assert!(direct.stdout == reread.stdout, "re-reading the output with its articles gives the same page");
    let again = run(&["render", &seed], b"");
    assert!(direct.stdout == again.stdout, "byte-identical on a second run");
    let summary = run(&["render", "--summary", "--articles", &seed, output.to_str().unwrap()], b"");
    let summary2 = run(&["render", "--summary", &seed], b"");
    assert!(summary.stdout == summary2.stdout);

    // Without the articles: cards and entities, a notice instead of the text.
    let bare = run(&["render", output.to_str().unwrap()], b"");
    assert!(bare.status.success());
    let html = String::from_utf8(bare.stdout).unwrap();
    assert!(html.contains("The article text is not in this record"));
    assert!(html.contains("data-type=\"license.extended\""));
    assert!(!html.contains("class=\"m k-"), "no highlights without text");
}

#[test]
fn wrong_articles_are_detected_not_trusted() {
    let seed = path("fixtures/seed.jsonl");
    let extracted = run(&["extract", &seed], b"");
    let output = out_dir().join("seed-output.jsonl");
    std::fs::write(&output, &extracted.stdout).unwrap();
    // Same id, different text: offsets no longer point at the mentions.
    let wrong = out_dir().join("seed-wrong.jsonl");
    std::fs::write(&wrong, "{\"id\":\"seed-huawei-nokia\",\"text\":\"Short text about nothing.\"}\n").unwrap();
    let out = run(&["render", "--articles", wrong.to_str().unwrap(), output.to_str().unwrap()], b"");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.contains("did not match the text at their offsets"));
    assert!(!html.contains("class=\"m k-"));
}

#[test]
fn bad_records_become_error_entries_and_exit_1() {
    let input = out_dir().join("bad.jsonl");
    std::fs::write(&input, "{\"id\":\"ok\",\"text\":\"Nokia sued Huawei.\"}\n{not json\n{\"id\":\"e1\",\"error\":\"boom\"}\n{\"id\":\"x\",\"entities\":[{\"bogus\":1}]}\n").unwrap();
    for mode in [&[][..], &["--summary"][..]] {
        let mut args = vec!["render"];
        args.extend_from_slice(mode);
        args.push(input.to_str().unwrap());
        let out = run(&args, b"");
        assert_eq!(out.status.code(), Some(1), "{}", String::from_utf8_lossy(&out.stderr));
        let html = String::from_utf8(out.stdout).unwrap();
        assert!(html.contains("malformed JSON"));
        assert!(html.contains("boom"));
        assert!(html.contains("not a gazette output record"));
        let entries = if mode.is_empty() { html.matches("<section class=\"article").count() } else { html.matches("<article class=\"compact\"").count() };
        assert_eq!(entries, 4, "every record gets an entry");
    }
}

#[test]
fn plain_text_from_stdin_and_unknown_file() {
    let out = run(&["render"], b"Huawei has extended a patent license agreement with Nokia.");
    assert!(out.status.success());
    let html = String::from_utf8(out.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("default-src 'none'"), "the page forbids network requests");
    assert!(!html.contains(" src=") && !html.contains("<link") && !html.contains("url("), "no external assets");
    assert!(html.contains("data-type=\"license.extended\""));
    let out = run(&["render", "/nonexistent/file.jsonl"], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/file.jsonl"));
}
