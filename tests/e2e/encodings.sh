#!/usr/bin/env bash
# Files as Windows and Excel write them: a Windows-874 (TIS-620) YAML and CSV, a UTF-16 YAML,
# UTF-8 with a byte-order mark, CRLF lines: the same report text and page images as the
# UTF-8 file, with a warning naming the encoding; broken UTF-8 is still refused at its byte.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
export SOURCE_DATE_EPOCH=1700000000
S=samples/sepholoe-2566.yaml
cp "$S" "$WORK/utf8.yaml"
iconv -f UTF-8 -t CP874 "$S" >"$WORK/cp874.yaml"
iconv -f UTF-8 -t UTF-16 "$S" >"$WORK/utf16.yaml"
iconv -f UTF-8 -t UTF-16BE "$S" | { printf '\xfe\xff'; cat; } >"$WORK/utf16be.yaml"
{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$S"; } >"$WORK/bomcrlf.yaml"
run render "$WORK/utf8.yaml" -o "$WORK/utf8.pdf" 2>/dev/null
pdftotext "$WORK/utf8.pdf" "$WORK/utf8.txt"
pdftoppm -png -r 40 -f 3 -l 3 "$WORK/utf8.pdf" "$WORK/utf8"
for f in cp874 utf16 utf16be bomcrlf; do
  run render "$WORK/$f.yaml" -o "$WORK/$f.pdf" 2>"$WORK/$f.err"; rc=$?
  expect_eq "$f YAML renders" 0 "$rc"
  pdftotext "$WORK/$f.pdf" "$WORK/$f.txt"
  check "$f YAML: the same report text" cmp -s "$WORK/$f.txt" "$WORK/utf8.txt"
  pdftoppm -png -r 40 -f 3 -l 3 "$WORK/$f.pdf" "$WORK/$f"
  check "$f YAML: the same page image (p. 3)" cmp -s "$WORK/$f-03.png" "$WORK/utf8-03.png"
done
check "Windows-874: a warning naming it" grep -q "cp874.yaml: warning: the file is in Windows-874 (TIS-620), not UTF-8" "$WORK/cp874.err"
check "UTF-16: a warning naming it" grep -q "utf16.yaml: warning: the file is in UTF-16LE" "$WORK/utf16.err"
check "UTF-16BE: a warning naming it" grep -q "utf16be.yaml: warning: the file is in UTF-16BE" "$WORK/utf16be.err"
expect_eq "UTF-8 with a byte-order mark and CRLF: no message" "" "$(cat "$WORK/bomcrlf.err")"
# A message in a Windows-874 file still points at its line and column, shown in UTF-8.
sed 's/    i8: 60.04/    i8: 140/' "$S" | iconv -f UTF-8 -t CP874 >"$WORK/bad874.yaml"
run check "$WORK/bad874.yaml" >/dev/null 2>"$WORK/err"; rc=$?
expect_eq "Windows-874 with a bad score: exit 1" 1 "$rc"
check "Windows-874 with a bad score: the position and the line" grep -q "bad874.yaml:[0-9]*:[0-9]*: error: score 140 is outside 0-100" "$WORK/err"
# Broken UTF-8 is not taken for Windows-874.
expect_status "broken UTF-8 is refused" 1 run check tests/data/bad/not-utf8.yaml
# CSV: Excel's Windows-874 with CRLF, and UTF-8 with a byte-order mark, give the same reports.
samples/generate 3 --seed 11 -o "$WORK/gen" --csv "$WORK/t.csv" --scores-only >/dev/null
sed 's/$/\r/' "$WORK/t.csv" | iconv -f UTF-8 -t CP874 >"$WORK/t874.csv"
{ printf '\xef\xbb\xbf'; cat "$WORK/t.csv"; } >"$WORK/tbom.csv"
run batch "$WORK/t.csv" -o "$WORK/o8" -q 2>/dev/null
run batch "$WORK/t874.csv" -o "$WORK/o874" >/dev/null 2>"$WORK/csv.err"; rc=$?
expect_eq "Windows-874 CSV: batch exit 0" 0 "$rc"
check "Windows-874 CSV: a warning naming it" grep -q "t874.csv: warning: the file is in Windows-874" "$WORK/csv.err"
run batch "$WORK/tbom.csv" -o "$WORK/obom" -q 2>/dev/null
for p in "$WORK"/o8/*.pdf; do
  b=$(basename "$p")
  [ "$b" = summary.pdf ] && continue
  check "CSV $b: Windows-874 gives the same text" cmp -s <(pdftotext "$p" -) <(pdftotext "$WORK/o874/$b" -)
  check "CSV $b: a byte-order mark gives the same text" cmp -s <(pdftotext "$p" -) <(pdftotext "$WORK/obom/$b" -)
done
finish
