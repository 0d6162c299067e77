#!/usr/bin/env python3
"""Check the gazette gazetteer files: format, alias collisions, and a precision/recall probe.

Usage (from the repository root):

    python3 tools/check_gazetteers.py --gaz gazetteers --eval ../shared/eval [-v]

(a) Format: 12 tab-separated columns, header, unique ids `<type>:<slug>`, known types, parents
    exist, ISO 3166-1 alpha-2 country codes (from countries.tsv), non-empty names, no empty or
    duplicate aliases.
(b) Alias collisions: the same normalised alias (or demonym) on entries with different ids.
(c) Probe: for every article of eval/dev and eval/seed, find whole-word occurrences of all names,
    aliases and demonyms (case rules of gazetteers/README.md, roughly), then compare with the
    gold entities (persons and optional entities excluded from recall): gold entities no surface
    form covers (recall gaps) and gazetteer hits whose surface form is no gold name (false hits).
Python 3 standard library only.
"""

import argparse
import glob
import json
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict

COLUMNS = ["id", "name", "type", "subtype", "country", "parent", "aliases", "demonyms",
           "wikidata", "ticker", "isin", "cik"]
TYPES = {"company", "country", "location", "government", "organization"}


def fold(s):
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


def norm(s):
    s = fold(s).lower().replace("&", " and ")
    s = re.sub(r"['’]s\b", "", s)
    s = re.sub(r"[^a-z0-9]+", " ", s)
    return " ".join(s.split())


def is_caps(a):
    letters = re.sub(r"[^A-Za-z]", "", a)
    return a.upper() == a and 0 < len(letters) <= 5 and re.fullmatch(r"[A-Z0-9&.\- ]+", a) is not None


def raw_tokens(s):
    s = re.sub(r"['’]s\b", "", fold(s))
    return [m.group(0) for m in re.finditer(r"[A-Za-z0-9]+|&", s)]


def load(gaz):
    entries, problems = {}, []
    for path in sorted(glob.glob(os.path.join(gaz, "*.tsv"))):
        header = None
        for ln, line in enumerate(open(path, encoding="utf-8"), 1):
            where = f"{path}:{ln}"
            if "\r" in line:
                problems.append(f"{where}: CR line ending")
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            if header is None:
                header = cells
                if cells != COLUMNS:
                    problems.append(f"{where}: bad header")
                continue
            if len(cells) != 12:
                problems.append(f"{where}: {len(cells)} columns")
                continue
            e = dict(zip(COLUMNS, cells))
            e["where"] = where
            i = e["id"]
            if not re.fullmatch(r"(company|country|location|government|organization):[a-z0-9][a-z0-9.\-]*", i):
                problems.append(f"{where}: bad id {i!r}")
            if e["type"] not in TYPES or not i.startswith(e["type"] + ":"):
                problems.append(f"{where}: bad type {e['type']!r} for {i}")
            if not e["name"].strip():
                problems.append(f"{where}: empty name")
            if i in entries:
                problems.append(f"{where}: duplicate id {i} (first at {entries[i]['where']})")
            for f in ("aliases", "demonyms"):
                vals = e[f].split("|") if e[f] else []
                if any(not v.strip() for v in vals):
                    problems.append(f"{where}: empty {f[:-1]}")
                if len(vals) != len(set(vals)):
                    problems.append(f"{where}: duplicate {f[:-1]}")
            if e["wikidata"] and not re.fullmatch(r"Q[0-9]+", e["wikidata"]):
                problems.append(f"{where}: bad wikidata {e['wikidata']}")
            if e["isin"] and not re.fullmatch(r"[A-Z]{2}[A-Z0-9]{9}[0-9]", e["isin"]):
                problems.append(f"{where}: bad isin {e['isin']}")
            if e["cik"] and not e["cik"].isdigit():
                problems.append(f"{where}: bad cik {e['cik']}")
            entries[i] = e
    iso = {e["country"] for e in entries.values() if e["type"] == "country"}
    for e in entries.values():
        if e["parent"] and e["parent"] not in entries:
            problems.append(f"{e['where']}: parent {e['parent']} does not exist")
        if e["parent"] == e["id"]:
            problems.append(f"{e['where']}: own parent")
        if e["country"] and e["country"] not in iso:
            problems.append(f"{e['where']}: country {e['country']!r} not an ISO alpha-2 code")
    return entries, problems


def surface_forms(e, common):
    """(form, mode, kind) for name, aliases, demonyms. mode: exact / cap / any."""
    out = []
    forms = [(e["name"], "name")] + [(a, "alias") for a in e["aliases"].split("|") if a] + \
            [(d, "demonym") for d in e["demonyms"].split("|") if d]
    for f, kind in forms:
        if f.startswith("="):
            out.append((f[1:], "exact", kind))
        elif is_caps(f):
            out.append((f, "exact", kind))
        elif kind == "demonym" or norm(f) in common:
            out.append((f, "cap", kind))
        else:
            out.append((f, "any", kind))
    return out


def collisions(entries, common):
    by = defaultdict(set)
    for e in entries.values():
        for f, mode, kind in surface_forms(e, common):
            key = ("C:" + f) if mode == "exact" else norm(f)
            by[key].add(e["id"])
    return {k: v for k, v in by.items() if len(v) > 1}


def build_index(entries, common):
    idx = defaultdict(list)   # first norm token -> [(norm tokens, raw tokens, mode, id, form)]
    for e in entries.values():
        for f, mode, kind in surface_forms(e, common):
            rt = raw_tokens(f)
            nt = [t.lower() if t != "&" else "and" for t in rt]
            if not nt:
                continue
            idx[nt[0]].append((tuple(nt), tuple(rt), mode, e["id"], f, kind))
    return idx


def find(text, idx):
    rt = raw_tokens(text)
    nt = [t.lower() if t != "&" else "and" for t in rt]
    hits = []
    for i, t in enumerate(nt):
        for cand in idx.get(t, ()):
            n = len(cand[0])
            if tuple(nt[i:i + n]) != cand[0]:
                continue
            mode = cand[2]
            span = rt[i:i + n]
            if mode == "exact" and tuple(span) != cand[1]:
                continue
            if mode == "cap" and not span[0][:1].isupper():
                continue
            hits.append((cand[3], " ".join(span), i, n, cand[5]))
    # drop a hit inside a longer one ("York" in "New York"), except demonyms and countries
    # ("German government", "US Treasury" still name the country); equal spans are all kept
    out = []
    for h in hits:
        inside = any(o[2] <= h[2] and h[2] + h[3] <= o[2] + o[3] and o[3] > h[3] for o in hits)
        if inside and h[4] != "demonym" and not h[0].startswith("country:"):
            continue
        out.append(h[:4])
    return out


def probe(entries, common, evaldir, verbose):
    idx = build_index(entries, common)
    arts = []
    for sub in ("dev", "seed"):
        ap, gp = os.path.join(evaldir, sub, "articles.jsonl"), os.path.join(evaldir, sub, "gold.jsonl")
        if not os.path.exists(ap):
            continue
        gold = {}
        for l in open(gp, encoding="utf-8"):
            d = json.loads(l)
            gold[d["id"]] = d
        for l in open(ap, encoding="utf-8"):
            d = json.loads(l)
            arts.append((d, gold.get(d["id"], {"entities": []})))
    forms_of = {i: {norm(f.lstrip("=")) for f in [e["name"]] + e["aliases"].split("|") + e["demonyms"].split("|") if f}
                for i, e in entries.items()}
    n_gold = n_cov = n_hits = n_false = n_wrongtype = 0
    gaps, falses, wrongtype = Counter(), Counter(), Counter()
    for art, g in arts:
        text = (art.get("title") or "") + "\n" + (art.get("text") or "")
        hits = find(text, idx)
        hit_forms = defaultdict(set)
        for i, form, _, _ in hits:
            hit_forms[norm(form)].add(i)
            for f in forms_of[i]:
                hit_forms[f].add(i)
        gold_forms = {}
        for ge in g["entities"]:
            for n in ge["names"]:
                gold_forms.setdefault(norm(n), ge)
        for ge in g["entities"]:
            if ge["type"] == "person" or ge.get("optional"):
                continue
            n_gold += 1
            names = {norm(n) for n in ge["names"]}
            ids = set()
            for n in names:
                ids |= hit_forms.get(n, set())
            if ids:
                n_cov += 1
                if not any(entries[i]["type"] == ge["type"] for i in ids):
                    n_wrongtype += 1
                    wrongtype[f"{ge['names'][0]} ({ge['type']}) -> {sorted(ids)}"] += 1
            else:
                gaps[f"{ge['type']}: {ge['names'][0]}"] += 1
        seen = set()
        for i, form, _, _ in hits:
            k = (i, norm(form))
            if k in seen:
                continue
            seen.add(k)
            n_hits += 1
            if norm(form) not in gold_forms and not (forms_of[i] & set(gold_forms)):
                n_false += 1
                falses[f"{form} -> {i}"] += 1
    print(f"\n== probe over {len(arts)} articles")
    print(f"recall: {n_cov}/{n_gold} required non-person gold entities covered "
          f"({100.0 * n_cov / max(1, n_gold):.1f}%), {n_wrongtype} of them only by an entry of another type")
    print(f"precision: {n_hits - n_false}/{n_hits} distinct (entry, form) hits per article are gold names "
          f"({100.0 * (n_hits - n_false) / max(1, n_hits):.1f}%)")
    print(f"\n-- recall gaps ({len(gaps)} distinct):")
    for k, v in sorted(gaps.items()):
        print(f"  {k}" + (f"  x{v}" if v > 1 else ""))
    print(f"\n-- covered only by another type ({len(wrongtype)}):")
    for k, v in sorted(wrongtype.items()):
        print(f"  {k}")
    print(f"\n-- false hits ({len(falses)} distinct, most frequent first):")
    for k, v in falses.most_common(None if verbose else 80):
        print(f"  {v:3d}  {k}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gaz", default="gazetteers")
    ap.add_argument("--eval", default="../shared/eval")
    ap.add_argument("-v", "--verbose", action="store_true")
    a = ap.parse_args()
    entries, problems = load(a.gaz)
    cw = os.path.join(a.gaz, "common-words.txt")
    common = {l.strip().lower() for l in open(cw, encoding="utf-8") if l.strip() and not l.startswith("#")} \
        if os.path.exists(cw) else set()
    counts = Counter((os.path.basename(e["where"].split(":")[0]), e["type"], e["subtype"]) for e in entries.values())
    print(f"== {len(entries)} entries")
    for (f, t, s), n in sorted(counts.items()):
        print(f"  {f:20s} {t:13s} {s or '-':14s} {n}")
    print(f"\n== format problems: {len(problems)}")
    for p in problems[:200]:
        print("  " + p)
    col = collisions(entries, common)
    print(f"\n== alias collisions: {len(col)} normalised forms shared by several entries")
    shown = sorted(col.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for k, v in shown[: (None if a.verbose else 60)]:
        print(f"  {k!r}: {', '.join(sorted(v))}")
    probe(entries, common, a.eval, a.verbose)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
