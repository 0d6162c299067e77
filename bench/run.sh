#!/usr/bin/env bash
# THE benchmark command: bench/run.sh   (see BENCHMARKS.md; takes ~5 minutes here)
#
# Builds gazette (release), generates bench/data/ (a >= 50 MB corpus of the BBC articles in
# ../shared/corpus repeated with fresh ids, gazetteers of 5k/100k/1M names), creates
# bench/.venv with spacy, flashtext and pyahocorasick from PyPI, then runs every tool side by
# side with /usr/bin/time (wall, CPU, peak RSS), the start-up time, and the per-stage
# breakdown. Results: bench/data/results.tsv and bench/data/results.md (paste into BENCHMARKS.md).
#
# Slow tools run on a slice of the corpus (MB/s is per MB either way): FlashText and
# pyahocorasick on the first 10 MB, spaCy on the first 5 MB, and spaCy is not run at 1M names
# (set SPACY_1M=1 to try; each tool run is capped at TIMEOUT seconds, default 900).
set -euo pipefail
cd "$(dirname "$0")/.."
D=bench/data
TIMEOUT=${TIMEOUT:-900}
JOBS=$(nproc)
SIZES=${SIZES:-"5k 100k 1m"}

cargo build --release --quiet
[ -f $D/corpus.jsonl ] && [ -d $D/gaz-1m-pad ] || python3 bench/gen.py
if [ ! -x bench/.venv/bin/python ] || ! bench/.venv/bin/python -c "import spacy, flashtext, ahocorasick" 2>/dev/null; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet spacy flashtext pyahocorasick
fi
PY=bench/.venv/bin/python
G=./target/release/gazette
R=$D/results.tsv
echo -e "tool\tnames\tcorpus\tmb\twall_s\tcpu_s\trss_kb\tstatus\tinfo" > $R
rm -f $D/slowdown.result $D/threads.result

# measure TOOL NAMES CORPUS CMD...: RUNS runs under /usr/bin/time (default 3); the run with the
# median wall time is appended to results.tsv.
measure() {
  local tool=$1 names=$2 corpus=$3; shift 3
  local mb; mb=$(python3 -c "import os,sys; print(round(os.path.getsize(sys.argv[1])/1e6,2))" "$corpus")
  local out=$D/last.out tm=$D/last.time status=ok runs=$D/last.runs
  : > $runs
  for _ in $(seq "${RUNS:-3}"); do
    timeout "$TIMEOUT" /usr/bin/time -f "%e %U %S %M" -o $tm "$@" > $out 2> $D/last.err || status="exit $?"
    [ -s $tm ] || echo "0 0 0 0" > $tm
    tail -1 $tm >> $runs
    [ "$status" = ok ] || break
  done
  read -r wall usr sys rss < <(sort -n $runs | sed -n "$(( ($(wc -l < $runs) + 1) / 2 ))p")
  local info; info=$(tail -c 300 $out | tail -1 | tr '\t' ' ')
  [[ "$tool" == gazette* ]] && info="$(wc -l < $out) lines"
  [[ "$tool" == gazette-compile ]] && info="$(tail -1 $D/last.err)"
  echo -e "$tool\t$names\t$(basename $corpus)\t$mb\t$wall\t$(python3 -c "print(round($usr+$sys,2))")\t$rss\t$status\t$info" | tee -a $R
}

echo "== start-up on the embedded gazetteers (20 runs)"
for i in $(seq 20); do /usr/bin/time -f "%e" -a -o $D/startup.txt $G --input text < /dev/null > /dev/null; done
python3 -c "import statistics;v=[float(l) for l in open('$D/startup.txt') if l.strip()];print('startup_median_s', statistics.median(v), 'min', min(v))" | tee $D/startup.result
rm -f $D/startup.txt

for n in $SIZES; do
  echo "== $n names"
  # The TSV directory as users write it, then the same names compiled once with `gazette
  # gazetteer compile` (the route for big gazetteers: no parsing or trie building at start).
  RUNS=1 measure gazette-compile $n /dev/null $G gazetteer compile $D/gaz-$n -o $D/gaz-$n.gzc
  measure gazette-1thread $n $D/corpus.jsonl $G -q -j 1 --gazetteers $D/gaz-$n $D/corpus.jsonl
  measure gazette-${JOBS}threads $n $D/corpus.jsonl $G -q -j $JOBS --gazetteers $D/gaz-$n $D/corpus.jsonl
  measure gazette-load-only $n /dev/null $G -q -j 1 --gazetteers $D/gaz-$n --input text /dev/null
  measure gazette-1thread-compiled $n $D/corpus.jsonl $G -q -j 1 --gazetteers $D/gaz-$n.gzc $D/corpus.jsonl
  measure gazette-${JOBS}threads-compiled $n $D/corpus.jsonl $G -q -j $JOBS --gazetteers $D/gaz-$n.gzc $D/corpus.jsonl
  measure gazette-load-only-compiled $n /dev/null $G -q -j 1 --gazetteers $D/gaz-$n.gzc --input text /dev/null
  measure flashtext $n $D/slice-10mb.jsonl $PY bench/tools.py flashtext $D/names-$n.txt $D/slice-10mb.jsonl
  measure pyahocorasick $n $D/slice-10mb.jsonl $PY bench/tools.py pyahocorasick $D/names-$n.txt $D/slice-10mb.jsonl
  if [ "$n" != 1m ] || [ -n "${SPACY_1M:-}" ]; then
    measure spacy-entityruler $n $D/slice-5mb.jsonl $PY bench/tools.py spacy $D/names-$n.txt $D/slice-5mb.jsonl
  fi
done

# The cost of the gazetteer's size alone: 1M names whose real entries are the 5k gazetteer's
# (gaz-1m-pad, bench/gen.py): its extra matches are only the synthetic names the news happens
# to contain, where 1m also holds two and a half times as many real entries.
if [[ " $SIZES " == *" 1m "* ]]; then
  echo "== 1m-pad names"
  RUNS=1 measure gazette-compile 1m-pad /dev/null $G gazetteer compile $D/gaz-1m-pad -o $D/gaz-1m-pad.gzc
  measure gazette-1thread-compiled 1m-pad $D/corpus.jsonl $G -q -j 1 --gazetteers $D/gaz-1m-pad.gzc $D/corpus.jsonl
fi

# The slowdown from its own runs, alternated (5k, 1m-pad, 1m, 5k, ...): on this VM the speed
# drifts by 10-20% over minutes, and the cells above, measured minutes apart, carry that drift
# into their ratio. It needs the 5k compiled file too.
if [[ " $SIZES " == *" 1m "* && " $SIZES " == *" 5k "* ]]; then
  echo "== slowdown, alternated runs (gazette 1 thread, compiled gazetteers)"
  : > $D/alternated.txt
  for _ in $(seq "${RUNS:-3}"); do
    for n in 5k 1m-pad 1m; do
      /usr/bin/time -f "$n %e %U %S" -a -o $D/alternated.txt $G -q -j 1 --gazetteers $D/gaz-$n.gzc $D/corpus.jsonl > /dev/null
    done
  done
  python3 - $D/alternated.txt > $D/slowdown.result <<'PY'
import statistics, sys
cpu = {}
for line in open(sys.argv[1]):
    n, wall, usr, sys_ = line.split()
    cpu.setdefault(n, []).append(float(usr) + float(sys_))
m = {n: statistics.median(v) for n, v in cpu.items()}
# Each round's own ratio too: the runs of a round are seconds apart, so drift between rounds
# cancels out of it.
rounds = [b / a for a, b in zip(cpu['5k'], cpu['1m'])]
print(f"Alternated runs ({len(cpu['5k'])} each), median CPU s: 5k {m['5k']:.2f}, 1m-pad {m['1m-pad']:.2f}, 1m {m['1m']:.2f}; "
      f"slowdown 5k → 1M {m['1m'] / m['5k']:.2f}×, 5k → 1m-pad (size alone) {m['1m-pad'] / m['5k']:.2f}×; "
      f"5k → 1M per round {' '.join(f'{r:.2f}' for r in rounds)} (median {statistics.median(rounds):.2f}×)")
PY
  cat $D/slowdown.result
fi

# 1 -> N threads from its own runs too: a round runs the two back to back, so the VM's drift
# between rounds (10-20% over minutes) cancels out of each round's ratio of wall times.
echo "== 1 -> $JOBS threads, alternated runs (compiled gazetteers)"
: > $D/threads.txt
for _ in $(seq "${RUNS:-3}"); do
  for n in $SIZES; do
    for j in 1 $JOBS; do
      /usr/bin/time -f "$n $j %e %U %S" -a -o $D/threads.txt $G -q -j $j --gazetteers $D/gaz-$n.gzc $D/corpus.jsonl > /dev/null
    done
  done
done
python3 - $D/threads.txt > $D/threads.result <<'PY'
import statistics, sys
wall = {}
for line in open(sys.argv[1]):
    n, j, w, usr, sys_ = line.split()
    wall.setdefault(n, {}).setdefault(j, []).append(float(w))
parts = []
for n, by in wall.items():
    one, many = by["1"], next(v for k, v in by.items() if k != "1")
    rounds = [a / b for a, b in zip(one, many)]
    parts.append(f"{n} {statistics.median(rounds):.2f}× (rounds {' '.join(f'{r:.2f}' for r in rounds)})")
print("1 → N threads, alternated runs, median of each round's wall-time ratio: " + "; ".join(parts))
PY
cat $D/threads.result

echo "== stages (one thread, through the library)"
for n in 5k 1m; do
  cargo bench --quiet --bench stages -- $D/corpus.jsonl $D/gaz-$n | tee $D/stages-$n.md
done
python3 bench/report.py $R $D/startup.result $D/slowdown.result $D/threads.result > $D/results.md
cat $D/results.md
