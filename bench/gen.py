#!/usr/bin/env python3
"""Builds the benchmark inputs under bench/data/ (git-ignored; never committed):

- corpus.jsonl: the BBC corpus (../shared/corpus) repeated with fresh ids until >= --mb MB;
  slice-5mb.jsonl / slice-10mb.jsonl: the first copies, for the slow tools.
- gaz-N/ (N = 5k, 100k, 1m): a gazetteer directory for `gazette --gazetteers`, and
  names-N.txt: the SAME surface forms (names, aliases, demonyms), one per line, for the
  Python tools. 5k: real entries from gazetteers/*.tsv only. 100k and 1m: every real entry,
  padded with synthetic but realistic company names (made-up proper names + real words such as
  "North", "Pacific", "Holdings", "Mining"), so the vocabulary grows as a real list would.
- gaz-1m-pad: the 5k gazetteer's real entries padded to 1M names with synthetic ones. Its real
  entries are those of 5k, so its extra matches are only the synthetic names that happen to
  occur in the news: against 5k it measures the cost of the gazetteer's size, where 1m also
  holds 2.5 times as many real entries.
"""
import argparse, json, os, random, shutil, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COLS = ["id", "name", "type", "subtype", "country", "parent", "aliases", "demonyms", "wikidata", "ticker", "isin", "cik"]


def corpus(src, out_dir, mb):
    lines = [l for l in open(src, encoding="utf-8") if l.strip()]
    size = sum(len(l.encode()) for l in lines)
    copies = max(1, -(-mb * 1_000_000 // size))
    path = os.path.join(out_dir, "corpus.jsonl")
    slices = {1: "slice-5mb.jsonl", 2: "slice-10mb.jsonl"}
    outs = {k: open(os.path.join(out_dir, v), "w", encoding="utf-8") for k, v in slices.items()}
    with open(path, "w", encoding="utf-8") as f:
        for k in range(copies):
            for l in lines:
                r = json.loads(l)
                r["id"] = f"{r.get('id', '')}-r{k}"
                s = json.dumps(r, ensure_ascii=False) + "\n"
                f.write(s)
                for n, o in outs.items():
                    if k < n:
                        o.write(s)
    for o in outs.values():
        o.close()
    return copies, os.path.getsize(path)


def real_entries():
    d = os.path.join(ROOT, "gazetteers")
    out = []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".tsv"):
            continue
        for line in open(os.path.join(d, name), encoding="utf-8"):
            line = line.rstrip("\n")
            if not line or line.startswith("#") or line.startswith("id\t"):
                continue
            cols = line.split("\t")
            if len(cols) == len(COLS):
                out.append(cols)
    return out


def forms(cols):
    fs = [cols[1]] + [a for a in cols[6].split("|") if a.strip()] + [d for d in cols[7].split("|") if d.strip()]
    return [f.strip() for f in fs]


SYL = ["al", "an", "ar", "bel", "bra", "car", "dan", "del", "dor", "el", "en", "fal", "gar", "hal", "har", "ing", "is",
       "kan", "kel", "lan", "lor", "mar", "mel", "mon", "nor", "or", "par", "quin", "ran", "ros", "sal", "sel", "son",
       "tal", "ten", "tor", "ul", "van", "ver", "vin", "wal", "wen", "yar", "zan", "ton", "ley", "by", "ford", "ham", "wick"]
LEAD = ["North", "South", "East", "West", "First", "United", "Pacific", "Atlantic", "Royal", "National", "General",
        "American", "Global", "Western", "Eastern", "Northern", "Southern", "Great", "New", "Central"]
TAIL = ["Holdings", "Group", "Industries", "Capital", "Logistics", "Foods", "Energy", "Bank", "Partners", "Systems",
        "Pharma", "Mining", "Motors", "Airlines", "Telecom", "Insurance", "Media", "Steel", "Chemicals", "Brewing",
        "Shipping", "Resources", "Technologies", "Retail", "Properties", "Securities", "Semiconductor", "Textiles"]


def synthetic(rng, seen):
    """Yields realistic, unique company names and their entries."""
    i = 0
    while True:
        word = "".join(rng.choice(SYL) for _ in range(rng.choice([2, 2, 3, 3, 4]))).capitalize()
        shape = rng.random()
        if shape < 0.35:
            name = f"{word} {rng.choice(TAIL)}"
        elif shape < 0.55:
            name = f"{rng.choice(LEAD)} {word} {rng.choice(TAIL)}"
        elif shape < 0.7:
            w2 = "".join(rng.choice(SYL) for _ in range(2)).capitalize()
            name = f"{word} & {w2}"
        elif shape < 0.85:
            name = f"{word} {rng.choice(TAIL)} {rng.choice(TAIL)}"
        else:
            name = word
        key = name.lower()
        if key in seen:
            continue
        seen.add(key)
        i += 1
        yield ["company:syn-%07d" % i, name, "company", "", "", "", "", "", "", "", "", ""]


def gazetteer(out_dir, label, n_names, real, real_names=None):
    """Real entries until `real_names` names (default: `n_names`), then synthetic ones."""
    d = os.path.join(out_dir, f"gaz-{label}")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for extra in ("common-words.txt", "first-names.txt"):
        p = os.path.join(ROOT, "gazetteers", extra)
        if os.path.exists(p):
            shutil.copy(p, d)
    chosen, names, seen = [], [], set()
    for cols in real:
        fs = forms(cols)
        if len(names) + len(fs) > (real_names or n_names):
            break
        chosen.append(cols)
        names.extend(fs)
    ids = {c[0] for c in chosen}
    for c in chosen:
        if c[5] and c[5] not in ids:
            c[5] = ""
        seen.update(f.lower() for f in forms(c))
    rng = random.Random(42)
    gen = synthetic(rng, seen)
    while len(names) < n_names:
        c = next(gen)
        chosen.append(c)
        names.append(c[1])
    with open(os.path.join(d, "entries.tsv"), "w", encoding="utf-8") as f:
        f.write("# Benchmark gazetteer: real entries from gazetteers/ plus synthetic company names.\n")
        f.write("\t".join(COLS) + "\n")
        for c in chosen:
            f.write("\t".join(c) + "\n")
    with open(os.path.join(out_dir, f"names-{label}.txt"), "w", encoding="utf-8") as f:
        for n in names:
            f.write(n + "\n")
    return len(chosen), len(names)


def main():
    ap = argparse.ArgumentParser()
    cands = [os.path.join(ROOT, *up, "shared", "corpus", "bbc-news-2004-2005.jsonl") for up in ([".."], ["..", ".."])]
    ap.add_argument("--corpus", default=next((c for c in cands if os.path.exists(c)), cands[0]))
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "data"))
    ap.add_argument("--mb", type=int, default=50)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    copies, size = corpus(a.corpus, a.out, a.mb)
    print(f"corpus: {copies} copies of {a.corpus}, {size / 1e6:.1f} MB", file=sys.stderr)
    real = real_entries()
    for label, n, r in (("5k", 5_000, None), ("100k", 100_000, None), ("1m", 1_000_000, None), ("1m-pad", 1_000_000, 5_000)):
        e, k = gazetteer(a.out, label, n, real, r)
        print(f"gaz-{label}: {e} entries, {k} names", file=sys.stderr)


if __name__ == "__main__":
    main()
