#!/usr/bin/env bash
# Benchmarks (make bench). Every figure is measured beside the base commit's (the first word
# of tests/bench-base, or BENCH_BASE=COMMIT), in the same run and interleaved, and printed
# with the ratio head/base (tests/tools/benchcmp.py); then the outputs are compared with the
# base's, sample by sample. The base is built from `git archive` of its commit under
# $BUILD/bench-base/COMMIT and kept there for the next run. Prints figures; never fails on a
# figure. BENCH_ROUNDS, BENCH_BATCH, BENCH_FRESH_RUNS: see benchcmp.py.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export LANG=C
unset LANGUAGE LC_ALL LC_MESSAGES
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

base=${BENCH_BASE:-$(awk 'NR == 1 {print $1}' tests/bench-base)}
commit=$(git rev-parse --verify -q "$base^{commit}" 2>/dev/null) || {
  echo "bench: the base '$base' is not a commit of this repository (tests/bench-base)" >&2
  exit 1
}
case $BUILD in /*) dir=$BUILD/bench-base/$commit ;; *) dir=$PWD/$BUILD/bench-base/$commit ;; esac
if ! [ -x "$dir/build/itareport" ] || ! [ -x "$dir/build/tools/bench_render" ] ||
   ! [ -x "$dir/build/tools/bench_text" ]; then
  echo "bench: building the base $(git log -1 --format='%h %s' "$commit" | cut -c1-70) in $dir"
  rm -rf "$dir" && mkdir -p "$dir" || exit 1
  git archive "$commit" | tar -x -C "$dir" || exit 1
  if ! make -C "$dir" -j2 all build/tools/bench_render build/tools/bench_text \
       >"$dir.log" 2>&1; then
    echo "bench: the base does not build; see $dir.log" >&2
    exit 1
  fi
fi
echo "== itareport against the base $(git log -1 --format='%h (%cs)' "$commit"), head $(git log -1 --format=%h HEAD)$(git diff --quiet HEAD -- src templates 2>/dev/null || echo ' with uncommitted changes')"
echo "   machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) at the start"
python3 tests/tools/benchcmp.py "$dir" "$PWD" "$BUILD" "$tmp"
echo "   load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"

echo "== this build alone"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "-- one fresh itareport render of the seed: peak memory %M KB" \
    "$BUILD/itareport" render samples/sepholoe-2566.yaml -o "$tmp/fresh.pdf"
fi
"$BUILD/itareport" render samples/sepholoe-2566.yaml -o "$tmp/seed.pdf"
echo "-- the seed report: $(python3 tests/tools/pdfsize.py "$tmp/seed.pdf")"
samples/generate 1000 --seed 1 -o "$tmp/gen1000" >/dev/null
"$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j 2 -q
echo "-- a rerun over 1,000 reports, every one up to date:"
"$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j 2 | grep '^batch: .*up to date'
echo "== itareport serve: renders over HTTP on loopback (tests/tools/loadgen.py), --workers 2 =="
rss_kb() { # the server's resident memory and its workers'
  local s; s=$(awk '/VmRSS/ {print $2}' /proc/$1/status)
  echo "server $s KB, workers $(for w in $(pgrep -P $1); do awk '/VmRSS/ {printf "%s ", $2}' /proc/$w/status; done)KB"
}
"$BUILD/itareport" serve --listen 127.0.0.1:0 --workers 2 2>"$tmp/serve.log" &
server=$!
for _ in $(seq 100); do grep -q 'serving on' "$tmp/serve.log" && break; sleep 0.1; done
port=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$tmp/serve.log")
files=$(ls "$tmp"/gen1000/*.yaml)
python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 2 25 $files >/dev/null # warm up the workers
echo "-- memory before: $(rss_kb $server)"
# Issue 18 item 3: one render at a time over HTTP against the same inputs rendered warm in
# one process (bench_render), plus the round trip of GET /healthz.
some=$(ls "$tmp"/gen1000/*.yaml | head -200)
echo "-- 1 client, one request at a time (a render wanted within 1.2 x warm + /healthz):"
one=$(python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 1 200 $some) && echo "$one"
ping=$(python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 1 500 --get /healthz) && echo "$ping"
warm=$("$BUILD/tools/bench_render" . 200 $some | sed -n 's/^repeated in one process: \([0-9.]*\) ms.*/\1/p')
p50() { sed -n 's/.*latency p50 \([0-9.]*\) ms.*/\1/p'; }
awk -v s="$(echo "$one" | p50)" -v w="$warm" -v h="$(echo "$ping" | p50)" 'BEGIN {
  printf "   warm in one process %.2f ms per report; render over HTTP %.2f ms = %.2f x (1.2 x warm + /healthz %.2f ms)\n", w, s, s / (1.2 * w + h), h }'
echo "-- 2 clients (p50 per render wanted under 50 ms):"
python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 2 250 $files
echo "-- 16 clients x 500 renders (no request may fail):"
python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 16 500 $files
echo "-- memory after 8,500 renders: $(rss_kb $server)"
kill -TERM $server; wait $server
rm -rf "$tmp/out"
echo "-- batch -j 2 over the same 1,000 agencies, for comparison:"
"$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j 2 | grep '^batch:' | grep -v 'summary in'

echo "== costs that must grow linearly (issue 17 item 7) =="
# 40,000 CSV rows of one agency name: naming the whole list (only shard 1 of 40,000 is made).
{
  echo "framework,fiscal_year,name,type,district,province,overall"
  for _ in $(seq 1 40000); do echo "ita-2566,2566,อบต.ซ้ำ,อบต.,เมือง,อุดรธานี,84.14"; done
} >"$tmp/same.csv"
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "   40,000 equal output names: %e s, %M KB" \
    "$BUILD/itareport" batch "$tmp/same.csv" -o "$tmp/same" -q --shard 1/40000
  python3 - "$tmp/anchors.yaml" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("framework: ita-2566\nanchors:\n")
    f.writelines(f"  - &a{i} {i}\n" for i in range(40000))
    f.write("aliases:\n")
    f.writelines(f"  - *a{i % 50}\n" for i in range(40000))
PY
  /usr/bin/time -o "$tmp/time" -f "   40,000 aliases over 40,000 anchors (check): %e s, %M KB" \
    "$BUILD/itareport" check "$tmp/anchors.yaml" >/dev/null 2>&1
  grep -v '^Command exited' "$tmp/time"
fi
