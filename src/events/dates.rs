//! Dates: expressions in a sentence resolved against the publication date.

use regex::Regex;
use std::sync::OnceLock;

/// A calendar date (proleptic Gregorian).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Ymd {
    /// Year.
    pub y: i32,
    /// Month 1..=12.
    pub m: u32,
    /// Day 1..=31.
    pub d: u32,
}

/// Parses `YYYY-MM-DD` (a longer date-time is cut).
pub fn parse_iso(s: &str) -> Option<Ymd> {
    let s = s.get(..10)?;
    let y: i32 = s.get(..4)?.parse().ok()?;
    let m: u32 = s.get(5..7)?.parse().ok()?;
    let d: u32 = s.get(8..10)?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d) && &s[4..5] == "-" && &s[7..8] == "-").then_some(Ymd { y, m, d })
}

fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146097 + doe - 719468
}

fn civil_from_days(z: i64) -> Ymd {
    let z = z + 719468;
    let era = if z >= 0 { z } else { z - 146096 } / 146097;
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    Ymd { y: (if m <= 2 { y + 1 } else { y }) as i32, m, d }
}

/// Day of week, 0 = Monday.
fn weekday(d: Ymd) -> i64 {
    (days_from_civil(d.y, d.m, d.d) + 3).rem_euclid(7)
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn month_of(s: &str) -> Option<u32> {
    let l = s.to_ascii_lowercase();
    MONTHS.iter().position(|m| l.starts_with(m)).map(|i| i as u32 + 1)
}

fn date_regex() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(concat!(
            r"(?i)\b(?:",
            r"(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)?,?\s*(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(?P<year>(?:19|20)\d{2}))?",
            r"|(?P<mon2>january|february|march|april|june|july|august|september|october|november|december)\s+(?P<year2>(?:19|20)\d{2})",
            r"|(?:in|since|during|by|of|from|until|before|after)\s+(?P<year3>(?:19|20)\d{2})\b",
            r"|(?P<rel>last|this|next)\s+(?P<unit>year|month|week)",
            r"|(?P<rel2>yesterday|today|tomorrow)",
            r"|(?:on|last)\s+(?P<wd2>monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
            r")"
        ))
        .expect("date regex")
    })
}

/// A date expression found in text, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    /// Byte start in the searched string.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// ISO 8601 at the precision given: `2017`, `2022-12`, `2022-12-26`.
    pub iso: String,
}

/// `s` with every non-ASCII character replaced, byte for byte, by an ASCII one of the same
/// kind for `date_regex`: white space by spaces, word characters (as Unicode `\w` sees them)
/// by `_`, anything else by `#`. The regex matches the copy exactly where it matches `s`, with
/// the same groups: its `\s` only comes as `\s*` or `\s+`, its `\b` sees the same word
/// characters, and no replaced character can be part of a match (the groups hold ASCII
/// letters and digits). `None` for the characters that could be: a non-ASCII digit, and the
/// Kelvin sign and long s, which case-fold to `k` and `s`.
///
/// Why: the regex's Unicode `\b` makes its lazy DFA give up at the first non-ASCII byte, and
/// the whole sentence then goes to the slower engines, about 50 times the cost of an ASCII
/// sentence (the £ of "£6.7bn" is enough).
fn ascii_copy(s: &str) -> Option<String> {
    let mut t = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii() {
            t.push(c);
            continue;
        }
        if c == '\u{212A}' || c == '\u{17F}' || c.is_numeric() {
            return None;
        }
        let fill = if c.is_whitespace() {
            ' '
        } else if regex_syntax::is_word_character(c) {
            '_'
        } else {
            '#'
        };
        t.extend(std::iter::repeat_n(fill, c.len_utf8()));
    }
    Some(t)
}

/// Finds date expressions in `s`, resolved against `published` where needed.
pub fn find_dates(s: &str, published: Option<Ymd>) -> Vec<FoundDate> {
    let mut out = Vec::new();
    // Same matches and groups, at the same offsets (see `ascii_copy`).
    let copy = if s.is_ascii() { None } else { ascii_copy(s) };
    for c in date_regex().captures_iter(copy.as_deref().unwrap_or(s)) {
        let m = c.get(0).expect("match");
        let iso = if let Some(mon) = c.name("mon") {
            let Some(month) = month_of(mon.as_str()) else { continue };
            let day: u32 = c.name("day").and_then(|d| d.as_str().parse().ok()).unwrap_or(0);
            if !(1..=31).contains(&day) {
                continue;
            }
            // "May 5" vs the modal "may": require a capital M for May.
            if mon.as_str().eq_ignore_ascii_case("may") && !mon.as_str().starts_with('M') {
                continue;
            }
            let year = c.name("year").and_then(|y| y.as_str().parse::<i32>().ok()).or_else(|| {
                published.map(|p| if month > p.m + 1 { p.y - 1 } else { p.y })
            });
            match year {
                Some(y) => format!("{y:04}-{month:02}-{day:02}"),
                None => format!("--{month:02}-{day:02}"),
            }
        } else if let Some(mon) = c.name("mon2") {
            let month = month_of(mon.as_str()).unwrap_or(1);
            format!("{}-{month:02}", c.name("year2").map_or("", |y| y.as_str()))
        } else if let Some(y) = c.name("year3") {
            y.as_str().to_string()
        } else if let (Some(rel), Some(unit), Some(p)) = (c.name("rel"), c.name("unit"), published) {
            let delta = match rel.as_str().to_ascii_lowercase().as_str() {
                "last" => -1,
                "next" => 1,
                _ => 0,
            };
            match unit.as_str().to_ascii_lowercase().as_str() {
                "year" => format!("{}", p.y + delta),
                "month" => {
                    let idx = p.y * 12 + p.m as i32 - 1 + delta;
                    format!("{}-{:02}", idx.div_euclid(12), idx.rem_euclid(12) + 1)
                }
                _ => {
                    let d = civil_from_days(days_from_civil(p.y, p.m, p.d) + 7 * delta as i64);
                    format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
                }
            }
        } else if let (Some(rel), Some(p)) = (c.name("rel2"), published) {
            let delta = match rel.as_str().to_ascii_lowercase().as_str() {
                "yesterday" => -1,
                "tomorrow" => 1,
                _ => 0,
            };
            let d = civil_from_days(days_from_civil(p.y, p.m, p.d) + delta);
            format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
        } else if let (Some(wd), Some(p)) = (c.name("wd2"), published) {
            // The most recent such weekday on or before publication.
            let target = WEEKDAYS.iter().position(|w| wd.as_str().eq_ignore_ascii_case(w)).unwrap_or(0) as i64;
            let back = (weekday(p) - target).rem_euclid(7);
            let d = civil_from_days(days_from_civil(p.y, p.m, p.d) - back);
            format!("{:04}-{:02}-{:02}", d.y, d.m, d.d)
        } else {
            continue;
        };
        out.push(FoundDate { start: m.start(), end: m.end(), iso });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(s: &str, p: &str) -> String {
        find_dates(s, parse_iso(p)).into_iter().next().map(|d| d.iso).unwrap_or_default()
    }

    #[test]
    fn resolves_against_publication() {
        assert_eq!(one("signed a deal in 2017.", "2022-12-27"), "2017");
        assert_eq!(one("said on Monday, December 26.", "2022-12-27"), "2022-12-26");
        assert_eq!(one("revenue fell last year", "2022-12-27"), "2021");
        assert_eq!(one("it said on Tuesday", "2022-12-29"), "2022-12-27");
        assert_eq!(one("on Dec. 5, 2019 it", "2022-12-27"), "2019-12-05");
        assert_eq!(one("in March 2009", "2010-01-01"), "2009-03");
        assert_eq!(one("on December 30", "2023-01-02"), "2022-12-30");
        assert_eq!(one("it may rise", "2022-12-27"), "");
    }

    type Groups = Vec<(usize, usize, Vec<Option<(usize, String)>>)>;

    fn groups(hay: &str) -> Groups {
        date_regex()
            .captures_iter(hay)
            .map(|c| {
                let m = c.get(0).expect("match");
                (m.start(), m.end(), c.iter().skip(1).map(|g| g.map(|g| (g.start(), g.as_str().to_string()))).collect())
            })
            .collect()
    }

    /// The date regex matches the ASCII copy of a text where it matches the text, with the
    /// same groups: dates next to non-ASCII characters are found as before.
    #[test]
    fn ascii_copy_gives_the_same_matches() {
        let cases = [
            "A £6.7bn deal signed on Monday, December 26 in café March 5.",
            "Él firmó el 5 de marzo: on\u{a0}Tuesday, and “last year” — since 2019… in\u{2009}2017",
            "façade May 5th, 2020 and ÉMay 5 and May 5é and naïve yesterday",
            "on Dec. 5, 2019 £ ¥ € in 1999é in 2001",
        ];
        for s in cases {
            let copy = ascii_copy(s).expect("no digit-like characters");
            assert_eq!(copy.len(), s.len());
            let direct = groups(s);
            assert!(!direct.is_empty(), "{s:?}");
            assert_eq!(groups(&copy), direct, "{s:?}");
        }
        assert!(ascii_copy("in 2019 or ٢٠١٩").is_none());
        assert!(ascii_copy("wee\u{212A}").is_none());
    }

    #[test]
    fn weekday_is_right() {
        assert_eq!(weekday(Ymd { y: 2022, m: 12, d: 26 }), 0);
    }
}
