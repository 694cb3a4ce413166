#!/usr/bin/env bash
# Benchmarks (make bench). Prints figures; never fails on a figure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
echo "== itareport text: 20,000 characters of Thai, 16 pt, A4 =="
for align in left; do
  "$BUILD/tools/bench_text" . tests/data/bench-thai.txt 30 $align
done
if command -v hyperfine >/dev/null; then
  echo "== one fresh process (itareport text, same input) =="
  hyperfine -N --warmup 3 --runs 30 --style basic \
    "$BUILD/itareport text tests/data/bench-thai.txt -o /tmp/itareport-bench.pdf" 2>/dev/null |
    grep -E "Time|Range"
  echo "file: $(stat -c %s /tmp/itareport-bench.pdf) bytes, $(pdfinfo /tmp/itareport-bench.pdf | awk '/^Pages:/ {print $2}') pages"
  rm -f /tmp/itareport-bench.pdf
fi
