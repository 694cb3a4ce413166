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
