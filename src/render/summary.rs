//! The corpus view: counts, most-mentioned entities, who did what to whom, and a compact entry
//! per article that the tables link to (`#a<index>`).
//!
//! Entities are merged across articles by id (gazetteer ids are canonical; context entities
//! have `type:slug` ids, so the same name of the same type merges too). The who-did-what-to-whom
//! table only uses counted events (positive, asserted or reported).

use super::html::{esc, num, push_esc, write_marked, Mark};
use super::{counted, kind, legend, page, Doc, Options, KINDS};
use crate::output::{EventRecord, Extraction};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Directed role pairs: (who, whom). Roles not listed are shown alone; `parties` pair up
/// with each other, unordered.
const PAIRS: &[(&str, &str)] = &[
    ("licensor", "licensee"),
    ("collector", "payer"),
    ("imposer", "target"),
    ("authority", "target"),
    ("acquirer", "acquired"),
    ("seller", "acquired"),
    ("plaintiff", "defendant"),
    ("investor", "investee"),
    ("company", "person"),
];

/// How many article links a cell shows before folding the rest.
const INLINE_LINKS: usize = 3;
/// How many article links a folded cell holds at most.
const MAX_LINKS: usize = 200;

#[derive(Default)]
struct EntityAgg<'a> {
    name: &'a str,
    kind: &'static str,
    tip: String,
    articles: Vec<usize>,
    mentions: usize,
}

#[derive(Default)]
struct TypeAgg {
    in_articles: usize,
    distinct: usize,
    mentions: usize,
}

#[derive(Default)]
struct EventAgg {
    counted: usize,
    negative: usize,
    not_asserted: usize,
    articles: Vec<usize>,
}

/// One side of a who-did-what-to-whom row: entity id and role.
type Side<'a> = Option<(&'a str, &'a str)>;
/// A who-did-what-to-whom row: event type, who, whom.
type Row<'a> = (&'a str, Side<'a>, Side<'a>);

/// Renders the corpus summary with a compact entry per article.
pub fn summary_page(docs: &[Doc], opts: &Options) -> String {
    let ok: Vec<(usize, &Extraction)> = docs.iter().enumerate().filter_map(|(i, d)| d.result.as_ref().ok().map(|x| (i, x))).collect();
    let errors = docs.len() - ok.len();

    // Entities, merged by id.
    let mut ents: HashMap<&str, EntityAgg> = HashMap::new();
    for &(i, x) in &ok {
        for e in &x.entities {
            let a = ents.entry(e.id.as_str()).or_insert_with(|| EntityAgg {
                name: &e.name,
                kind: kind(&e.entity_type, e.subtype.as_deref()),
                tip: entity_tip(e, opts),
                ..EntityAgg::default()
            });
            if a.articles.last() != Some(&i) {
                a.articles.push(i);
            }
            a.mentions += e.mentions.len();
        }
    }
    let mut types: BTreeMap<&str, TypeAgg> = BTreeMap::new();
    for a in ents.values() {
        let t = types.entry(a.kind).or_default();
        t.in_articles += a.articles.len();
        t.distinct += 1;
        t.mentions += a.mentions;
    }

    // Events by type, and who did what to whom.
    let mut evs: BTreeMap<&str, EventAgg> = BTreeMap::new();
    let mut rows: BTreeMap<Row, Vec<usize>> = BTreeMap::new();
    for &(i, x) in &ok {
        for ev in &x.events {
            let a = evs.entry(ev.event_type.as_str()).or_default();
            if counted(&ev.polarity, &ev.modality) {
                a.counted += 1;
                if a.articles.last() != Some(&i) {
                    a.articles.push(i);
                }
                for (who, whom) in pairs(ev) {
                    let v = rows.entry((ev.event_type.as_str(), who, whom)).or_default();
                    if v.last() != Some(&i) {
                        v.push(i);
                    }
                }
            } else if ev.polarity != "positive" {
                a.negative += 1;
            } else {
                a.not_asserted += 1;
            }
        }
    }

    let title = opts.title.clone().unwrap_or_else(|| format!("gazette summary — {} articles", num(docs.len())));
    let mut b = String::new();
    b.push_str("<header class=\"top\"><h1>");
    push_esc(&mut b, &title);
    b.push_str("</h1>");
    legend(&mut b);
    b.push_str("</header>\n<main class=\"summary\">\n");

    // Key numbers.
    let n_mentions: usize = ents.values().map(|a| a.mentions).sum();
    let n_doc_entities: usize = ents.values().map(|a| a.articles.len()).sum();
    let n_events: usize = evs.values().map(|a| a.counted + a.negative + a.not_asserted).sum();
    let n_counted: usize = evs.values().map(|a| a.counted).sum();
    b.push_str("<section class=\"tiles\">");
    tile(&mut b, &num(docs.len()), "articles", &if errors > 0 { format!("{} not processed", num(errors)) } else { "all processed".into() });
    tile(&mut b, &num(ents.len()), "distinct entities", &format!("{} per-article, {} mentions", num(n_doc_entities), num(n_mentions)));
    tile(&mut b, &num(n_counted), "counted events", &format!("{} found in all", num(n_events)));
    tile(&mut b, &num(rows.len()), "who → whom pairs", "from counted events");
    b.push_str("</section>\n");

    // Counts by type.
    b.push_str("<section class=\"two\"><div><h2>Entities by type</h2><table class=\"grid\"><thead><tr><th>type</th><th>distinct</th><th>in articles</th><th>mentions</th></tr></thead><tbody>");
    for (k, label) in KINDS {
        if let Some(t) = types.get(k) {
            let _ = write!(
                b,
                "<tr><td><span class=\"chip k-{k}\">{label}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                num(t.distinct),
                num(t.in_articles),
                num(t.mentions)
            );
        }
    }
    b.push_str("</tbody></table><p class=\"dim\">Automakers are companies with the subtype <code>automaker</code>, counted apart.</p></div>");
    let max_ev = evs.values().map(|a| a.counted).max().unwrap_or(0).max(1);
    b.push_str("<div><h2>Events by type</h2><table class=\"grid\"><thead><tr><th>type</th><th>counted</th><th></th><th>articles</th><th>negated</th><th>planned / hypothetical</th></tr></thead><tbody>");
    for (t, a) in &evs {
        let _ = write!(
            b,
            "<tr><td><span class=\"etype\">{}</span></td><td class=\"n\">{}</td><td class=\"bar\"><span style=\"width:{}%\"></span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(t),
            num(a.counted),
            a.counted * 100 / max_ev,
            num(a.articles.len()),
            num(a.negative),
            num(a.not_asserted)
        );
    }
    if evs.is_empty() {
        b.push_str("<tr><td colspan=\"6\" class=\"dim\">no events</td></tr>");
    }
    b.push_str("</tbody></table></div></section>\n");

    // Most-mentioned entities per type.
    let _ = write!(b, "<section><h2>Most-mentioned entities <span class=\"dim\">(top {} per type, by articles)</span></h2><div class=\"tops\">", opts.top);
    for (k, label) in KINDS {
        let mut list: Vec<(&&str, &EntityAgg)> = ents.iter().filter(|(_, a)| a.kind == *k).collect();
        if list.is_empty() {
            continue;
        }
        list.sort_by(|x, y| y.1.articles.len().cmp(&x.1.articles.len()).then(y.1.mentions.cmp(&x.1.mentions)).then(x.0.cmp(y.0)));
        let _ = write!(b, "<div class=\"top\"><h3><span class=\"chip k-{k}\">{label}</span></h3><table class=\"grid\"><thead><tr><th>entity</th><th>articles</th><th>mentions</th><th>in</th></tr></thead><tbody>");
        for (_, a) in list.iter().take(opts.top) {
            let _ = write!(b, "<tr><td><span class=\"chip k-{}\" title=\"{}\">{}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>", a.kind, esc(&a.tip), esc(a.name), num(a.articles.len()), num(a.mentions));
            article_links(&mut b, docs, &a.articles);
            b.push_str("</td></tr>");
        }
        b.push_str("</tbody></table></div>");
    }
    b.push_str("</div></section>\n");

    // Who did what to whom.
    b.push_str(
        "<section><h2>Who did what to whom</h2><p class=\"dim\">Counted events across the corpus, one row per event type and pair of \
         entities; each cell links to the articles. <label>Filter rows: <input type=\"search\" class=\"filter\" data-target=\"wdww\" \
         placeholder=\"e.g. Huawei, sanction\"></label></p><table class=\"grid wdww\" id=\"wdww\"><thead><tr><th>who</th>\
         <th></th><th>whom</th><th>articles</th></tr></thead>",
    );
    let mut sorted: Vec<(&Row, &Vec<usize>)> = rows.iter().collect();
    sorted.sort_by(|x, y| x.0 .0.cmp(y.0 .0).then(y.1.len().cmp(&x.1.len())).then(x.0.cmp(y.0)));
    let mut current = "";
    for ((t, who, whom), arts) in sorted {
        if *t != current {
            if !current.is_empty() {
                b.push_str("</tbody>");
            }
            current = t;
            let _ = write!(b, "<tbody><tr class=\"group\"><th colspan=\"4\">{}</th></tr>", esc(t));
        }
        let _ = write!(b, "<tr data-f=\"{}\"><td>", esc(t));
        side(&mut b, &ents, *who);
        b.push_str("</td><td class=\"arrow\">→</td><td>");
        side(&mut b, &ents, *whom);
        let _ = write!(b, "</td><td><span class=\"count\">{}</span> ", num(arts.len()));
        article_links(&mut b, docs, arts);
        b.push_str("</td></tr>");
    }
    if current.is_empty() {
        b.push_str("<tbody><tr><td colspan=\"4\" class=\"dim\">no counted events with named arguments</td></tr>");
    }
    b.push_str("</tbody></table></section>\n");

    // Articles.
    let _ = write!(b, "<section class=\"articles\"><h2>Articles <span class=\"dim\">({})</span></h2><p class=\"dim\">Each event with its evidence sentence (trigger underlined, arguments marked). <code>gazette render</code> without <code>--summary</code> shows full articles.</p>", num(docs.len()));
    for (i, d) in docs.iter().enumerate() {
        compact(&mut b, i, d);
    }
    b.push_str("</section>\n</main>\n");
    page(&title, &b)
}

fn tile(b: &mut String, big: &str, label: &str, small: &str) {
    let _ = write!(b, "<div class=\"tile\"><div class=\"big\">{}</div><div>{}</div><div class=\"dim\">{}</div></div>", esc(big), esc(label), esc(small));
}

fn entity_tip(e: &crate::output::EntityRecord, opts: &Options) -> String {
    let mut t = format!("{} — {}", e.name, e.entity_type);
    if let Some(s) = &e.subtype {
        let _ = write!(t, " / {s}");
    }
    let _ = write!(t, "\nid: {}", e.id);
    if let Some(p) = &e.parent {
        match opts.names.get(p) {
            Some(n) => {
                let _ = write!(t, "\nparent: {n} ({p})");
            }
            None => {
                let _ = write!(t, "\nparent: {p}");
            }
        }
    }
    if let Some(c) = &e.country {
        let _ = write!(t, "\ncountry: {c}");
    }
    t
}

/// The (who, whom) rows of one event.
fn pairs(ev: &EventRecord) -> Vec<(Side<'_>, Side<'_>)> {
    let mut args: Vec<(&str, &str)> = ev.arguments.iter().map(|a| (a.entity.as_str(), a.role.as_str())).collect();
    args.sort_unstable();
    args.dedup();
    let mut used = vec![false; args.len()];
    let mut out = Vec::new();
    for (r1, r2) in PAIRS {
        for (i, a) in args.iter().enumerate().filter(|(_, a)| a.1 == *r1) {
            for (j, b) in args.iter().enumerate().filter(|(_, b)| b.1 == *r2 && b.0 != a.0) {
                out.push((Some(*a), Some(*b)));
                used[i] = true;
                used[j] = true;
            }
        }
    }
    let parties: Vec<usize> = (0..args.len()).filter(|&i| args[i].1 == "parties").collect();
    for (n, &i) in parties.iter().enumerate() {
        for &j in &parties[n + 1..] {
            if args[i].0 != args[j].0 {
                out.push((Some(args[i]), Some(args[j])));
                used[i] = true;
                used[j] = true;
            }
        }
    }
    for (i, a) in args.iter().enumerate() {
        if used[i] {
            continue;
        }
        if PAIRS.iter().any(|(_, r2)| *r2 == a.1) && !PAIRS.iter().any(|(r1, _)| *r1 == a.1) {
            out.push((None, Some(*a)));
        } else {
            out.push((Some(*a), None));
        }
    }
    out
}

fn side(b: &mut String, ents: &HashMap<&str, EntityAgg>, s: Side) {
    let Some((id, role)) = s else {
        b.push_str("<span class=\"dim\">—</span>");
        return;
    };
    match ents.get(id) {
        Some(a) => {
            let _ = write!(b, "<span class=\"chip k-{}\" title=\"{}\">{}</span>", a.kind, esc(&a.tip), esc(a.name));
        }
        None => push_esc(b, id),
    }
    let _ = write!(b, " <span class=\"role\">{}</span>", esc(role));
}

/// Links to articles: the first few inline, the rest folded.
fn article_links(b: &mut String, docs: &[Doc], arts: &[usize]) {
    let one = |b: &mut String, i: usize| {
        let d = &docs[i];
        let label: String = d.id.chars().take(32).collect();
        let _ = write!(b, "<a class=\"art\" href=\"#a{i}\" title=\"{}\">{}</a> ", esc(d.title.as_deref().unwrap_or(&d.id)), esc(&label));
    };
    for &i in arts.iter().take(INLINE_LINKS) {
        one(b, i);
    }
    if arts.len() > INLINE_LINKS {
        let _ = write!(b, "<details class=\"more\"><summary>+{} more</summary>", num(arts.len() - INLINE_LINKS));
        for &i in arts.iter().skip(INLINE_LINKS).take(MAX_LINKS) {
            one(b, i);
        }
        if arts.len() > INLINE_LINKS + MAX_LINKS {
            let _ = write!(b, "<span class=\"dim\">and {} more in the list below</span>", num(arts.len() - INLINE_LINKS - MAX_LINKS));
        }
        b.push_str("</details>");
    }
}

/// One article as a compact entry: title, meta, entities, events with evidence.
fn compact(b: &mut String, i: usize, d: &Doc) {
    let _ = write!(b, "<article class=\"compact\" id=\"a{i}\"><h3>");
    push_esc(b, d.title.as_deref().unwrap_or(&d.id));
    b.push_str("</h3><p class=\"meta\"><span class=\"id\">");
    push_esc(b, &d.id);
    b.push_str("</span>");
    let x = match &d.result {
        Ok(x) => x,
        Err(e) => {
            b.push_str(" · <span class=\"bad\">not processed: ");
            push_esc(b, e);
            b.push_str("</span></p></article>\n");
            return;
        }
    };
    if let Some(p) = &x.published {
        b.push_str(" · ");
        push_esc(b, p);
    }
    let _ = write!(b, " · {} entities · {} events</p><p class=\"ents\">", x.entities.len(), x.events.len());
    for e in &x.entities {
        let _ = write!(b, "<span class=\"chip k-{}\">{}</span> ", kind(&e.entity_type, e.subtype.as_deref()), esc(&e.name));
    }
    b.push_str("</p>");
    if !x.events.is_empty() {
        b.push_str("<ul class=\"evlist\">");
        for ev in &x.events {
            evidence(b, x, ev);
        }
        b.push_str("</ul>");
    }
    b.push_str("</article>\n");
}

/// One event in a compact entry: type, badges, arguments, and the sentence with the trigger
/// and arguments marked (spans are checked against the sentence text).
fn evidence(b: &mut String, x: &Extraction, ev: &EventRecord) {
    let c = counted(&ev.polarity, &ev.modality);
    let _ = write!(b, "<li class=\"{}\"><span class=\"etype\">{}</span>", if c { "" } else { "muted" }, esc(&ev.event_type));
    if ev.polarity != "positive" {
        let _ = write!(b, " <span class=\"badge pol-neg\">{}</span>", esc(&ev.polarity));
    }
    if ev.modality != "asserted" {
        let _ = write!(b, " <span class=\"badge mod\">{}</span>", esc(&ev.modality));
    }
    if let Some(d) = &ev.date {
        let _ = write!(b, " <span class=\"badge date\">{}</span>", esc(d));
    }
    for a in &ev.arguments {
        let (name, k) = x
            .entities
            .iter()
            .find(|e| e.id == a.entity)
            .map_or((a.entity.as_str(), "other"), |e| (e.name.as_str(), kind(&e.entity_type, e.subtype.as_deref())));
        let _ = write!(b, " <span class=\"role\">{}</span> <span class=\"chip k-{k}\">{}</span>", esc(&a.role), esc(name));
    }
    b.push_str("<blockquote>");
    let s = &ev.sentence;
    let chars: Vec<char> = s.text.chars().collect();
    let mut marks = Vec::new();
    let mut add = |f: &Option<String>, start: usize, end: usize, text: &str, open: &str, close: &'static str| {
        if *f != s.field || start < s.start || end > s.end || start >= end {
            return;
        }
        let (rs, re) = (start - s.start, end - s.start);
        if re <= chars.len() && chars[rs..re].iter().copied().eq(text.chars()) {
            marks.push(Mark { start: rs, end: re, layer: 1, open: open.to_string(), close });
        }
    };
    add(&ev.trigger.field, ev.trigger.start, ev.trigger.end, &ev.trigger.text, "<span class=\"tr hl-t\">", "</span>");
    for a in &ev.arguments {
        add(&a.field, a.start, a.end, &a.text, "<span class=\"x hl-a\">", "</span>");
    }
    write_marked(b, &s.text, &marks);
    b.push_str("</blockquote></li>");
}
