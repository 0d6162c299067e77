//! The article view: highlighted text, event cards, entity table.
//!
//! Every highlighted span gets a `data-k` key unique within its article; an event card lists
//! the keys of its sentence (`data-s`), trigger (`data-t`) and argument mentions (`data-a`), and
//! the script adds `hl-s`, `hl-t` and `hl-a` to the elements with those keys. An argument whose
//! span is also an entity mention or reference reuses that element.

use super::html::{esc, num, paragraphs, push_esc, safe_url, write_marked, Mark};
use super::{counted, kind, legend, page, Doc, Options};
use crate::output::{EntityRecord, EventRecord, Extraction};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Renders every doc in full: one section per article, with a table of contents when there
/// are several.
pub fn article_page(docs: &[Doc], opts: &Options) -> String {
    let mut body = String::new();
    let n_events: usize = docs.iter().filter_map(|d| d.result.as_ref().ok()).map(|x| x.events.len()).sum();
    let title = opts.title.clone().unwrap_or_else(|| match docs {
        [one] => format!("gazette — {}", one.title.as_deref().unwrap_or(&one.id)),
        _ => format!("gazette — {} articles", docs.len()),
    });
    body.push_str("<header class=\"top\"><h1>");
    push_esc(&mut body, &title);
    let _ = write!(body, "</h1><p class=\"counts\">{} article(s), {} event(s). Click an event card to see its evidence; hover a highlight for its entity.</p>", num(docs.len()), num(n_events));
    legend(&mut body);
    body.push_str("</header>\n");
    if docs.len() > 1 {
        body.push_str("<nav class=\"toc\"><h2>Articles</h2><ol>");
        for (i, d) in docs.iter().enumerate() {
            let _ = write!(body, "<li><a href=\"#a{i}\">");
            push_esc(&mut body, d.title.as_deref().unwrap_or(&d.id));
            body.push_str("</a>");
            match &d.result {
                Ok(x) => {
                    let _ = write!(body, " <span class=\"dim\">{} events</span>", x.events.len());
                }
                Err(_) => body.push_str(" <span class=\"bad\">error</span>"),
            }
            body.push_str("</li>");
        }
        body.push_str("</ol></nav>\n");
    }
    body.push_str("<main>\n");
    for (i, d) in docs.iter().enumerate() {
        article_section(&mut body, i, d, opts);
    }
    body.push_str("</main>\n");
    page(&title, &body)
}

/// One article, in full.
pub(crate) fn article_section(out: &mut String, idx: usize, doc: &Doc, opts: &Options) {
    let x = match &doc.result {
        Ok(x) => x,
        Err(e) => {
            let _ = write!(out, "<section class=\"article error\" id=\"a{idx}\"><h2>");
            push_esc(out, &doc.id);
            out.push_str("</h2><p class=\"bad\">Not processed: ");
            push_esc(out, e);
            if let Some(o) = &doc.origin {
                out.push_str(" <span class=\"dim\">(");
                push_esc(out, o);
                out.push_str(")</span>");
            }
            out.push_str("</p></section>\n");
            return;
        }
    };
    let mut v = View::new(idx, doc, x, opts);
    v.build_marks();
    let _ = write!(out, "<section class=\"article\" id=\"a{idx}\" data-id=\"{}\">", esc(&doc.id));
    out.push_str("<div class=\"art-head\"><h2 class=\"title\">");
    match &doc.title {
        Some(t) => write_marked(out, t, &v.title_marks),
        None => push_esc(out, &doc.id),
    }
    out.push_str("</h2>");
    meta_line(out, doc, x);
    out.push_str("</div><div class=\"art-body\"><div class=\"text\">");
    match &doc.text {
        Some(t) => {
            let mut marks = paragraphs(t);
            marks.append(&mut v.text_marks);
            write_marked(out, t, &marks);
        }
        None => out.push_str(
            "<p class=\"notice\">The article text is not in this record. Render gazette output together with its articles \
             (<code>gazette render --articles ARTICLES.jsonl OUTPUT.jsonl</code>) to see the highlights.</p>",
        ),
    }
    if v.mismatched > 0 {
        let _ = write!(
            out,
            "<p class=\"notice\">{} span(s) did not match the text at their offsets and are not highlighted \
             (was this output extracted from these articles?).</p>",
            v.mismatched
        );
    }
    out.push_str("</div>");
    v.cards(out);
    out.push_str("</div>");
    v.entity_table(out);
    out.push_str("</section>\n");
}

fn meta_line(out: &mut String, doc: &Doc, x: &Extraction) {
    out.push_str("<p class=\"meta\"><span class=\"id\">");
    push_esc(out, &doc.id);
    out.push_str("</span>");
    for s in [x.published.as_deref(), doc.source.as_deref()].into_iter().flatten() {
        out.push_str(" · ");
        push_esc(out, s);
    }
    if let Some(u) = doc.url.as_deref() {
        out.push_str(" · ");
        match safe_url(u) {
            Some(u) => {
                let _ = write!(out, "<a href=\"{}\" rel=\"noreferrer noopener\" target=\"_blank\">original</a>", esc(u));
            }
            None => push_esc(out, u),
        }
    }
    let _ = write!(out, " · {} entities · {} events</p>", x.entities.len(), x.events.len());
}

/// Which field a span is in.
fn is_title(field: &Option<String>) -> bool {
    field.as_deref() == Some("title")
}

struct View<'a> {
    idx: usize,
    doc: &'a Doc,
    x: &'a Extraction,
    opts: &'a Options,
    text_chars: Vec<char>,
    title_chars: Vec<char>,
    text_marks: Vec<Mark>,
    title_marks: Vec<Mark>,
    /// (in title, start, end) → keys of the entity marks there, with their entity.
    spans: HashMap<(bool, usize, usize), Vec<(usize, usize)>>,
    /// Per event: sentence key, trigger key, argument keys.
    ev_keys: Vec<(Option<usize>, Option<usize>, Vec<usize>)>,
    next_key: usize,
    mismatched: usize,
    entity_index: HashMap<&'a str, usize>,
}

impl<'a> View<'a> {
    fn new(idx: usize, doc: &'a Doc, x: &'a Extraction, opts: &'a Options) -> View<'a> {
        View {
            idx,
            doc,
            x,
            opts,
            text_chars: doc.text.as_deref().unwrap_or("").chars().collect(),
            title_chars: doc.title.as_deref().unwrap_or("").chars().collect(),
            text_marks: Vec::new(),
            title_marks: Vec::new(),
            spans: HashMap::new(),
            ev_keys: Vec::new(),
            next_key: 0,
            mismatched: 0,
            entity_index: x.entities.iter().enumerate().map(|(i, e)| (e.id.as_str(), i)).collect(),
        }
    }

    /// Whether `text` is at `start..end` of the field; counts a mismatch when the field is
    /// present but the text is not there.
    fn check(&mut self, title: bool, start: usize, end: usize, text: &str) -> bool {
        let (chars, present) = if title { (&self.title_chars, self.doc.title.is_some()) } else { (&self.text_chars, self.doc.text.is_some()) };
        if !present {
            return false;
        }
        let ok = start < end && end <= chars.len() && chars[start..end].iter().copied().eq(text.chars());
        if !ok {
            self.mismatched += 1;
        }
        ok
    }

    fn add(&mut self, title: bool, start: usize, end: usize, layer: u8, open: String, close: &'static str) {
        let m = Mark { start, end, layer, open, close };
        if title {
            self.title_marks.push(m);
        } else {
            self.text_marks.push(m);
        }
    }

    fn key(&mut self) -> usize {
        self.next_key += 1;
        self.next_key - 1
    }

    fn entity_anchor(&self, e: usize) -> String {
        format!("a{}-e{e}", self.idx)
    }

    fn build_marks(&mut self) {
        let x = self.x;
        for (ei, e) in x.entities.iter().enumerate() {
            let k = kind(&e.entity_type, e.subtype.as_deref());
            let tip = esc(&self.tooltip(e));
            for m in &e.mentions {
                let t = is_title(&m.field);
                if !self.check(t, m.start, m.end, &m.text) {
                    continue;
                }
                let key = self.key();
                let open = format!("<a class=\"m k-{k}\" href=\"#{}\" data-e=\"{ei}\" data-k=\"k{key}\" title=\"{tip}\">", self.entity_anchor(ei));
                self.add(t, m.start, m.end, 2, open, "</a>");
                self.spans.entry((t, m.start, m.end)).or_default().push((key, ei));
            }
            for r in &e.references {
                if !self.check(false, r.start, r.end, &r.text) {
                    continue;
                }
                let key = self.key();
                let rtip = esc(&format!("“{}” ({}) refers to:\n{}", r.text, r.kind, self.tooltip(e)));
                let open = format!("<a class=\"r k-{k}\" href=\"#{}\" data-e=\"{ei}\" data-k=\"k{key}\" title=\"{rtip}\">", self.entity_anchor(ei));
                self.add(false, r.start, r.end, 2, open, "</a>");
                self.spans.entry((false, r.start, r.end)).or_default().push((key, ei));
            }
        }
        let mut sentences: HashMap<(bool, usize, usize), usize> = HashMap::new();
        let mut triggers: HashMap<(bool, usize, usize), usize> = HashMap::new();
        for ev in &x.events {
            let s = &ev.sentence;
            let st = is_title(&s.field);
            let skey = match sentences.get(&(st, s.start, s.end)) {
                Some(&k) => Some(k),
                None if self.check(st, s.start, s.end, &s.text) => {
                    let k = self.key();
                    sentences.insert((st, s.start, s.end), k);
                    self.add(st, s.start, s.end, 1, format!("<span class=\"s\" data-k=\"k{k}\">"), "</span>");
                    Some(k)
                }
                None => None,
            };
            let t = &ev.trigger;
            let tt = is_title(&t.field);
            let tkey = match triggers.get(&(tt, t.start, t.end)) {
                Some(&k) => Some(k),
                None if self.check(tt, t.start, t.end, &t.text) => {
                    let k = self.key();
                    triggers.insert((tt, t.start, t.end), k);
                    self.add(tt, t.start, t.end, 1, format!("<span class=\"tr\" data-k=\"k{k}\">"), "</span>");
                    Some(k)
                }
                None => None,
            };
            let mut akeys = Vec::new();
            for a in &ev.arguments {
                let at = is_title(&a.field);
                let ei = self.entity_index.get(a.entity.as_str()).copied();
                let found: Vec<usize> = match self.spans.get(&(at, a.start, a.end)) {
                    Some(v) => {
                        let same: Vec<usize> = v.iter().filter(|(_, e)| Some(*e) == ei).map(|(k, _)| *k).collect();
                        if same.is_empty() {
                            v.iter().map(|(k, _)| *k).collect()
                        } else {
                            same
                        }
                    }
                    None => Vec::new(),
                };
                if !found.is_empty() {
                    akeys.extend(found);
                } else if self.check(at, a.start, a.end, &a.text) {
                    let k = self.key();
                    self.add(at, a.start, a.end, 2, format!("<span class=\"x\" data-k=\"k{k}\">"), "</span>");
                    self.spans.entry((at, a.start, a.end)).or_default().push((k, ei.unwrap_or(usize::MAX)));
                    akeys.push(k);
                }
            }
            akeys.sort_unstable();
            akeys.dedup();
            self.ev_keys.push((skey, tkey, akeys));
        }
    }

    fn name_of(&self, id: &str) -> Option<&'a str> {
        match self.entity_index.get(id) {
            Some(&i) => Some(self.x.entities[i].name.as_str()),
            None => self.opts.names.get(id).map(String::as_str),
        }
    }

    fn tooltip(&self, e: &EntityRecord) -> String {
        let mut t = format!("{} — {}", e.name, e.entity_type);
        if let Some(s) = &e.subtype {
            let _ = write!(t, " / {s}");
        }
        let _ = write!(t, "\nid: {}", e.id);
        if let Some(p) = &e.parent {
            match self.name_of(p) {
                Some(n) => {
                    let _ = write!(t, "\nparent: {n} ({p})");
                }
                None => {
                    let _ = write!(t, "\nparent: {p}");
                }
            }
        }
        for (label, v) in [("country", &e.country), ("wikidata", &e.wikidata), ("ticker", &e.ticker)] {
            if let Some(v) = v {
                let _ = write!(t, "\n{label}: {v}");
            }
        }
        t
    }

    fn cards(&self, out: &mut String) {
        let _ = write!(out, "<aside class=\"events\"><h3>Events <span class=\"dim\">({})</span></h3>", self.x.events.len());
        if self.x.events.is_empty() {
            out.push_str("<p class=\"dim\">No events found.</p>");
        }
        for (ev, (s, t, a)) in self.x.events.iter().zip(&self.ev_keys) {
            self.card(out, ev, *s, *t, a);
        }
        out.push_str("</aside>");
    }

    fn card(&self, out: &mut String, ev: &EventRecord, s: Option<usize>, t: Option<usize>, a: &[usize]) {
        let keys = |v: &mut dyn Iterator<Item = usize>| v.map(|k| format!("k{k}")).collect::<Vec<_>>().join(" ");
        let is_counted = counted(&ev.polarity, &ev.modality);
        let _ = write!(
            out,
            "<div class=\"card{}\" tabindex=\"0\" role=\"button\" data-ev=\"{}\" data-type=\"{}\" data-s=\"{}\" data-t=\"{}\" data-a=\"{}\">",
            if is_counted { "" } else { " muted" },
            esc(&ev.id),
            esc(&ev.event_type),
            keys(&mut s.into_iter()),
            keys(&mut t.into_iter()),
            keys(&mut a.iter().copied()),
        );
        out.push_str("<div class=\"card-h\"><span class=\"etype\">");
        push_esc(out, &ev.event_type);
        out.push_str("</span>");
        let pol = if ev.polarity == "positive" { "pos" } else { "neg" };
        let _ = write!(out, "<span class=\"badge pol-{pol}\">{}</span>", esc(&ev.polarity));
        let _ = write!(out, "<span class=\"badge mod\">{}</span>", esc(&ev.modality));
        if let Some(d) = &ev.date {
            let _ = write!(out, "<span class=\"badge date\">{}</span>", esc(d));
        }
        if !is_counted {
            out.push_str("<span class=\"badge nc\">not counted</span>");
        }
        out.push_str("</div><p class=\"trig\">“");
        push_esc(out, &ev.trigger.text);
        out.push_str("”</p>");
        if ev.arguments.is_empty() {
            out.push_str("<p class=\"dim\">no named arguments</p>");
        } else {
            out.push_str("<table class=\"args\">");
            for arg in &ev.arguments {
                out.push_str("<tr><th>");
                push_esc(out, &arg.role);
                out.push_str("</th><td>");
                match self.entity_index.get(arg.entity.as_str()) {
                    Some(&ei) => {
                        let e = &self.x.entities[ei];
                        let k = kind(&e.entity_type, e.subtype.as_deref());
                        let _ = write!(out, "<a class=\"chip k-{k}\" href=\"#{}\" data-e=\"{ei}\">", self.entity_anchor(ei));
                        push_esc(out, &e.name);
                        out.push_str("</a>");
                    }
                    None => push_esc(out, &arg.entity),
                }
                if arg.via != "name" || self.entity_index.get(arg.entity.as_str()).is_some_and(|&i| self.x.entities[i].name != arg.text) {
                    out.push_str(" <span class=\"via\">as “");
                    push_esc(out, &arg.text);
                    out.push('”');
                    if arg.via != "name" {
                        out.push_str(" (");
                        push_esc(out, &arg.via);
                        out.push(')');
                    }
                    out.push_str("</span>");
                }
                out.push_str("</td></tr>");
            }
            out.push_str("</table>");
        }
        let mut attrs: Vec<(&str, String)> = Vec::new();
        if let Some(m) = &ev.measure {
            attrs.push(("measure", m.clone()));
        }
        if let Some(o) = &ev.object {
            attrs.push(("object", o.clone()));
        }
        if let Some(c) = ev.count {
            attrs.push(("count", c.to_string()));
        }
        if let Some(am) = &ev.amount {
            attrs.push(("amount", am.text.clone()));
        }
        attrs.push(("confidence", format!("{:.2}", ev.confidence)));
        attrs.push(("rule", ev.rule.clone()));
        out.push_str("<p class=\"attrs\">");
        for (i, (k, v)) in attrs.iter().enumerate() {
            if i > 0 {
                out.push_str(" · ");
            }
            let _ = write!(out, "<span class=\"dim\">{k}</span> ");
            push_esc(out, v);
        }
        out.push_str("</p></div>");
    }

    fn entity_table(&self, out: &mut String) {
        let _ = write!(
            out,
            "<details class=\"entities\" open><summary>Entities <span class=\"dim\">({})</span></summary>\
             <table class=\"etable\"><thead><tr><th>entity</th><th>type</th><th>id</th><th>parent</th><th>country</th><th>ids</th><th>mentions</th></tr></thead><tbody>",
            self.x.entities.len()
        );
        for (ei, e) in self.x.entities.iter().enumerate() {
            let k = kind(&e.entity_type, e.subtype.as_deref());
            let _ = write!(out, "<tr id=\"{}\" data-e=\"{ei}\"><td><span class=\"chip k-{k}\">", self.entity_anchor(ei));
            push_esc(out, &e.name);
            out.push_str("</span></td><td>");
            push_esc(out, &e.entity_type);
            if let Some(s) = &e.subtype {
                out.push_str(" / ");
                push_esc(out, s);
            }
            out.push_str("</td><td><code>");
            push_esc(out, &e.id);
            out.push_str("</code></td><td>");
            if let Some(p) = &e.parent {
                match (self.entity_index.get(p.as_str()), self.name_of(p)) {
                    (Some(&pi), Some(n)) => {
                        let _ = write!(out, "<a href=\"#{}\">{}</a>", self.entity_anchor(pi), esc(n));
                    }
                    (_, Some(n)) => push_esc(out, n),
                    _ => {}
                }
                out.push_str(" <code>");
                push_esc(out, p);
                out.push_str("</code>");
            }
            out.push_str("</td><td>");
            push_esc(out, e.country.as_deref().unwrap_or(""));
            out.push_str("</td><td>");
            let ids: Vec<String> = [&e.wikidata, &e.ticker, &e.isin, &e.cik].into_iter().flatten().cloned().collect();
            push_esc(out, &ids.join(" · "));
            let _ = write!(out, "</td><td class=\"n\">{}", e.mentions.len());
            if !e.references.is_empty() {
                let _ = write!(out, " <span class=\"dim\">+{} ref</span>", e.references.len());
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table></details>");
    }
}
