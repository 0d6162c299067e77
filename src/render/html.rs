//! HTML building blocks: escaping, nesting overlapping spans, and the script hash for the
//! page's Content-Security-Policy.
//!
//! Everything that comes from an article or a record goes through [`esc`] (text and attribute
//! values alike: `&`, `<`, `>`, `"` and `'` are escaped), so no input can open a tag, close an
//! attribute or start a script.

use std::cmp::Reverse;
use std::fmt::Write as _;

/// Appends `s` to `out`, escaped for HTML text and quoted attribute values.
pub fn push_esc(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab/newline are not valid in HTML text.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

/// `s` escaped for HTML text and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_esc(&mut out, s);
    out
}

/// A URL safe to put in `href`: only `http:` and `https:` links are kept.
pub fn safe_url(u: &str) -> Option<&str> {
    let t = u.trim();
    let lower = t.get(..8).unwrap_or(t).to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://")).then_some(t)
}

/// A highlighted span of text: character offsets and the tags that wrap it.
#[derive(Debug, Clone)]
pub struct Mark {
    /// Character start.
    pub start: usize,
    /// Character end (exclusive).
    pub end: usize,
    /// Nesting layer: lower layers always enclose higher ones (paragraphs are layer 0).
    pub layer: u8,
    /// The opening tag, already escaped.
    pub open: String,
    /// The closing tag.
    pub close: &'static str,
}

/// Writes `text` with `marks` as properly nested HTML.
///
/// Marks may overlap arbitrarily. The text is cut at every mark boundary; on each piece the
/// covering marks are opened outermost first (lower layer, then earlier start, then longer),
/// reusing the tags already open. A mark that crosses the end of an enclosing one is closed
/// and reopened, so one mark can become several elements with the same attributes (scripts
/// find them all by their `data-k`). Marks outside the text or empty are ignored.
pub fn write_marked(out: &mut String, text: &str, marks: &[Mark]) {
    let bytes: Vec<usize> = text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect();
    let n = bytes.len() - 1;
    let mut valid: Vec<usize> = (0..marks.len()).filter(|&i| marks[i].start < marks[i].end && marks[i].end <= n).collect();
    valid.sort_by_key(|&i| (marks[i].layer, marks[i].start, Reverse(marks[i].end), i));
    // rank[i]: position of mark i in the nesting order.
    let mut rank = vec![usize::MAX; marks.len()];
    for (r, &i) in valid.iter().enumerate() {
        rank[i] = r;
    }
    let mut cuts: Vec<usize> = valid.iter().flat_map(|&i| [marks[i].start, marks[i].end]).chain([0, n]).collect();
    cuts.sort_unstable();
    cuts.dedup();
    let mut by_start: Vec<usize> = valid.clone();
    by_start.sort_by_key(|&i| marks[i].start);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new(); // kept sorted by rank
    let mut stack: Vec<usize> = Vec::new();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        active.retain(|&i| marks[i].end > a);
        while next < by_start.len() && marks[by_start[next]].start <= a {
            let i = by_start[next];
            if marks[i].end > a {
                let pos = active.partition_point(|&j| rank[j] < rank[i]);
                active.insert(pos, i);
            }
            next += 1;
        }
        let common = stack.iter().zip(&active).take_while(|(x, y)| x == y).count();
        while stack.len() > common {
            out.push_str(marks[stack.pop().unwrap()].close);
        }
        for &i in &active[common..] {
            out.push_str(&marks[i].open);
            stack.push(i);
        }
        push_esc(out, &text[bytes[a]..bytes[b]]);
    }
    while let Some(i) = stack.pop() {
        out.push_str(marks[i].close);
    }
}

/// Paragraph marks (`<p>`, layer 0) for every run of text between newlines.
pub fn paragraphs(text: &str) -> Vec<Mark> {
    let mut marks = Vec::new();
    let mut start = None;
    let mut n = 0;
    for (i, c) in text.chars().enumerate() {
        n = i + 1;
        match (c == '\n', start) {
            (true, Some(s)) => {
                marks.push(Mark { start: s, end: i, layer: 0, open: "<p>".into(), close: "</p>" });
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        marks.push(Mark { start: s, end: n, layer: 0, open: "<p>".into(), close: "</p>" });
    }
    marks
}

/// SHA-256 of `data` (FIPS 180-4), for the page's `script-src 'sha256-…'` policy.
pub fn sha256(data: &[u8]) -> [u8; 32] {
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
        0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
        0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
        0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
        0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
        0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
        0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    let mut h: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    let mut msg = data.to_vec();
    msg.push(0x80);
    while msg.len() % 64 != 56 {
        msg.push(0);
    }
    msg.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in msg.chunks(64) {
        let mut w = [0u32; 64];
        for (i, c) in block.chunks(4).enumerate() {
            w[i] = u32::from_be_bytes([c[0], c[1], c[2], c[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = h;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            hh = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (x, y) in h.iter_mut().zip([a, b, c, d, e, f, g, hh]) {
            *x = x.wrapping_add(y);
        }
    }
    let mut out = [0u8; 32];
    for (i, x) in h.iter().enumerate() {
        out[i * 4..i * 4 + 4].copy_from_slice(&x.to_be_bytes());
    }
    out
}

/// Standard base64 with padding.
pub fn base64(data: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for c in data.chunks(3) {
        let n = (c[0] as u32) << 16 | (*c.get(1).unwrap_or(&0) as u32) << 8 | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                out.push(A[(n >> (18 - 6 * k) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Formats an integer with thin thousands separators (12 345).
pub fn num(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push('\u{202F}');
        }
        out.push(c);
    }
    out
}

/// Writes `<a href="#anchor">label</a>`.
pub fn link(out: &mut String, anchor: &str, class: &str, label: &str) {
    let _ = write!(out, "<a class=\"{}\" href=\"#{}\">", esc(class), esc(anchor));
    push_esc(out, label);
    out.push_str("</a>");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(start: usize, end: usize, layer: u8, name: &str) -> Mark {
        Mark { start, end, layer, open: format!("<{name}>"), close: Box::leak(format!("</{name}>").into_boxed_str()) }
    }

    #[test]
    fn escapes_everything_that_could_open_markup() {
        assert_eq!(esc(r#"<script>alert("x" & 'y')</script>"#), "&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;");
        assert_eq!(esc("a\u{0}b"), "a\u{FFFD}b");
    }

    #[test]
    fn only_http_urls_are_links() {
        assert_eq!(safe_url(" https://en.wikinews.org/wiki/X "), Some("https://en.wikinews.org/wiki/X"));
        assert_eq!(safe_url("javascript:alert(1)"), None);
        assert_eq!(safe_url("JaVaScRiPt:alert(1)"), None);
        assert_eq!(safe_url("data:text/html,x"), None);
    }

    #[test]
    fn nested_marks_stay_nested() {
        let mut out = String::new();
        write_marked(&mut out, "Huawei and Nokia.", &[m(0, 17, 1, "s"), m(0, 6, 1, "a"), m(11, 16, 1, "b")]);
        assert_eq!(out, "<s><a>Huawei</a> and <b>Nokia</b>.</s>");
    }

    #[test]
    fn crossing_marks_are_split_and_reopened() {
        let mut out = String::new();
        // "punished by United States" trigger [0,25) and mention "United States" [12,25), plus a
        // mark [20,30) crossing the trigger's end.
        write_marked(&mut out, "punished by United States sanctions", &[m(0, 25, 1, "t"), m(12, 25, 1, "e"), m(19, 30, 1, "x")]);
        assert_eq!(out, "<t>punished by <e>United <x>States</x></e></t><x> sanc</x>tions");
    }

    #[test]
    fn paragraphs_enclose_everything_and_offsets_are_characters() {
        let text = "Zürich – Nokia\nsigned.";
        let mut marks = paragraphs(text);
        assert_eq!(marks.len(), 2);
        marks.push(m(9, 21, 1, "s")); // crosses the paragraph break
        marks.push(m(0, 6, 1, "e"));
        marks.push(m(3, 99, 1, "bad")); // outside the text: ignored
        let mut out = String::new();
        write_marked(&mut out, text, &marks);
        assert_eq!(out, "<p><e>Zürich</e> – <s>Nokia</s></p><s>\n</s><p><s>signed</s>.</p>");
    }

    #[test]
    fn sha256_and_base64_match_known_vectors() {
        assert_eq!(base64(&sha256(b"")), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
        assert_eq!(base64(&sha256(b"abc")), "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
        let long = vec![b'a'; 1000];
        assert_eq!(base64(&sha256(&long)), "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM=");
        assert_eq!(base64(b"ab"), "YWI=");
    }

    #[test]
    fn thousands() {
        assert_eq!(num(0), "0");
        assert_eq!(num(12345), "12\u{202F}345");
    }
}
