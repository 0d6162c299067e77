#!/usr/bin/env python3
"""results.tsv → Markdown tables for BENCHMARKS.md (throughput by wall and by CPU time)."""
import csv, os, sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
startup = open(sys.argv[2]).read().strip() if len(sys.argv) > 2 else ""
# The alternated slowdown runs: measured only when the sizes include 1m.
alternated = open(sys.argv[3]).read().strip() if len(sys.argv) > 3 and os.path.exists(sys.argv[3]) else ""
# The alternated 1 -> N threads runs.
threads = open(sys.argv[4]).read().strip() if len(sys.argv) > 4 and os.path.exists(sys.argv[4]) else ""
SIDE = ("gazette-load-only", "gazette-load-only-compiled", "gazette-compile")
side = {(r["tool"], r["names"]): float(r["wall_s"]) for r in rows if r["tool"] in SIDE}
print("| tool | names | corpus MB | wall s | CPU s | MB/s (wall) | MB/s (CPU) | peak RSS MB | status | output |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---|---|")
tp = {}
for r in rows:
    if r["tool"] in SIDE:
        continue
    mb, wall, cpu = float(r["mb"]), float(r["wall_s"]), float(r["cpu_s"])
    w = mb / wall if wall else 0
    c = mb / cpu if cpu else 0
    tp[(r["tool"], r["names"])] = (w, c)
    print(f"| {r['tool']} | {r['names']} | {mb:.1f} | {wall:.2f} | {cpu:.2f} | {w:.2f} | {c:.2f} | {int(r['rss_kb']) / 1024:.0f} | {r['status']} | {r['info'][:60]} |")
print()
sizes = [n for n in ("5k", "100k", "1m") if ("gazette-load-only", n) in side]
for tool, what in (("gazette-load-only", "TSV directory"), ("gazette-load-only-compiled", "compiled file"), ("gazette-compile", "compiling it once")):
    print(f"Gazette load-only wall seconds, {what}: " + ", ".join(f"{n}: {side[(tool, n)]:.2f}" for n in sizes if (tool, n) in side) + "  ")
for suffix, what in (("", "gazetteer loaded from the TSV directory"), ("-compiled", "gazetteer loaded from the compiled file")):
    one = "gazette-1thread" + suffix
    if not any(t == one for t, _ in tp):
        continue
    print()
    print(f"Ratios (gazette 1 thread, full pipeline, whole process, {what}; CPU-time throughput, then wall):")
    print()
    print("| names | vs spaCy | vs FlashText | vs pyahocorasick | 1→N threads (wall) |")
    print("|---|---:|---:|---:|---:|")
    for n in ("5k", "100k", "1m"):
        g = tp.get((one, n))
        if not g:
            continue
        def ratio(tool):
            t = tp.get((tool, n))
            if not t or not t[1] or not t[0]:
                return "—"
            return f"{g[1] / t[1]:.1f}× / {g[0] / t[0]:.1f}×"
        multi = [v for (t, k), v in tp.items() if k == n and t.startswith("gazette-") and t.endswith("threads" + suffix) and t != one]
        sp = f"{multi[0][0] / g[0]:.2f}×" if multi and g[0] else "—"
        print(f"| {n} | {ratio('spacy-entityruler')} | {ratio('flashtext')} | {ratio('pyahocorasick')} | {sp} |")
    g5, g1 = tp.get((one, "5k")), tp.get((one, "1m"))
    if g5 and g1:
        print()
        print(f"Slowdown 5k → 1M names ({one}, CPU / wall): {g5[1] / g1[1]:.2f}× / {g5[0] / g1[0]:.2f}×")
    gp = tp.get((one, "1m-pad"))
    if g5 and gp:
        print()
        print(f"Slowdown 5k → 1M names with the 5k gazetteer's real entries (gaz-1m-pad: the size alone; {one}, CPU / wall): {g5[1] / gp[1]:.2f}× / {g5[0] / gp[0]:.2f}×")
if alternated:
    print()
    print(alternated)
if threads:
    print()
    print(threads)
if startup:
    print()
    print("Start-up, embedded gazetteers, empty input: " + startup)
