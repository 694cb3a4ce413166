#!/usr/bin/env bash
# Benchmarks (make bench). Prints figures; never fails on a figure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export LANG=C
unset LANGUAGE LC_ALL LC_MESSAGES
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "== itareport text: 20,000 characters of Thai (tests/data/bench-thai.txt), 16 pt, A4 =="
for align in left justify thai-distributed; do
  echo "-- align $align, one process, fonts and dictionary loaded once:"
  "$BUILD/tools/bench_text" . tests/data/bench-thai.txt 30 $align
  "$BUILD/itareport" text tests/data/bench-thai.txt --align $align -o "$tmp/$align.pdf"
  python3 tests/tools/pdfsize.py "$tmp/$align.pdf"
done
echo "== itareport render: the seed report (samples/sepholoe-2566.yaml) =="
"$BUILD/tools/bench_render" . 60 samples/sepholoe-2566.yaml samples/nongkhai-passing-2566.yaml \
  samples/thasala-history-2566.yaml samples/bankhai-municipality-2566.yaml
"$BUILD/itareport" render samples/sepholoe-2566.yaml -o "$tmp/seed.pdf"
python3 tests/tools/pdfsize.py "$tmp/seed.pdf"
if command -v hyperfine >/dev/null; then
  echo "-- one fresh process:"
  hyperfine -N --warmup 3 --runs 30 --style basic \
    "$BUILD/itareport render samples/sepholoe-2566.yaml -o $tmp/fresh.pdf" 2>/dev/null |
    grep -E "Time|Range"
fi
if [ -x /usr/bin/time ]; then
  /usr/bin/time -f "-- one fresh process: peak memory %M KB" \
    "$BUILD/itareport" render samples/sepholoe-2566.yaml -o "$tmp/fresh.pdf"
fi
if command -v hyperfine >/dev/null; then
  echo "== one fresh process (itareport text, same input, align left) =="
  hyperfine -N --warmup 3 --runs 30 --style basic \
    "$BUILD/itareport text tests/data/bench-thai.txt -o $tmp/fresh.pdf" 2>/dev/null |
    grep -E "Time|Range"
fi
echo "== itareport batch: generated agencies (samples/generate), forked workers =="
# Each run starts from an empty OUTDIR (every report rendered). The batch prints its own
# figures: reports/s and ms/report (rendering; the summary after it is timed apart), the peak
# resident memory of the largest worker, and the mean size of a report.
samples/generate 5000 --seed 1 -o "$tmp/gen5000" >/dev/null
mkdir -p "$tmp/gen1000"
for f in $(ls "$tmp/gen5000" | head -1000); do ln -s "$tmp/gen5000/$f" "$tmp/gen1000/$f"; done
for j in 1 2; do
  echo "-- 1,000 agencies, -j $j:"
  rm -rf "$tmp/out"
  start=$(date +%s.%N)
  "$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j $j | grep '^batch:' | grep -v 'summary in'
  end=$(date +%s.%N)
  echo "   wall time with the summary (CSV and PDF): $(echo "$end - $start" | bc) s"
done
echo "-- memory does not grow with the number of reports (-j 2, peak of the largest worker):"
rm -rf "$tmp/out"
"$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j 2 | sed -n 's/.*\(peak memory per worker [0-9.]* MB\).*/   1,000 reports: \1/p'
rm -rf "$tmp/out"
"$BUILD/itareport" batch "$tmp/gen5000" -o "$tmp/out" -j 2 | sed -n 's/.*\(peak memory per worker [0-9.]* MB\).*/   5,000 reports: \1/p; s/.* \([0-9.]* reports\/s\).*/   5,000 reports: \1/p'
if [ -x /usr/bin/time ]; then
  rm -rf "$tmp/out"
  /usr/bin/time -f "   5,000 reports: the largest process (parent or worker) peaked at %M KB" \
    "$BUILD/itareport" batch "$tmp/gen5000" -o "$tmp/out" -j 2 -q
fi
echo "-- a rerun over the 5,000 (every report up to date):"
"$BUILD/itareport" batch "$tmp/gen5000" -o "$tmp/out" -j 2 | grep '^batch: .*up to date'
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
echo "-- 2 clients (p50 per render wanted under 50 ms):"
python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 2 250 $files
echo "-- 16 clients x 500 renders (no request may fail):"
python3 tests/tools/loadgen.py "http://127.0.0.1:$port" 16 500 $files
echo "-- memory after 8,500 renders: $(rss_kb $server)"
kill -TERM $server; wait $server
rm -rf "$tmp/out"
echo "-- batch -j 2 over the same 1,000 agencies, for comparison:"
"$BUILD/itareport" batch "$tmp/gen1000" -o "$tmp/out" -j 2 | grep '^batch:' | grep -v 'summary in'
