#!/usr/bin/env bash
# Benchmarks (make bench). Prints figures; never fails on a figure.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo "== itareport text: 20,000 characters of Thai (tests/data/bench-thai.txt), 16 pt, A4 =="
for align in left justify thai-distributed; do
  echo "-- align $align, one process, fonts and dictionary loaded once:"
  "$BUILD/tools/bench_text" . tests/data/bench-thai.txt 30 $align
  "$BUILD/itareport" text tests/data/bench-thai.txt --align $align -o "$tmp/$align.pdf"
  python3 tests/tools/pdfsize.py "$tmp/$align.pdf"
done
if command -v hyperfine >/dev/null; then
  echo "== one fresh process (itareport text, same input, align left) =="
  hyperfine -N --warmup 3 --runs 30 --style basic \
    "$BUILD/itareport text tests/data/bench-thai.txt -o $tmp/fresh.pdf" 2>/dev/null |
    grep -E "Time|Range"
fi
