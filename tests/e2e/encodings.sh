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
# Excel's way with empty cells: "-", with a BOM and CRLF lines.
python3 - "$WORK/t.csv" "$WORK/tdash.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
dashed = [[c if c else "-" for c in r] for r in rows]
assert sum(r.count("-") for r in dashed[1:]) > 0, "no empty cell to dash"
with open(sys.argv[2], "w", encoding="utf-8-sig", newline="") as f:
    csv.writer(f, lineterminator="\r\n").writerows(dashed)
PY
run batch "$WORK/tdash.csv" -o "$WORK/odash" -q 2>/dev/null
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
  check "CSV $b: '-' cells with BOM and CRLF give the same text" cmp -s <(pdftotext "$p" -) <(pdftotext "$WORK/odash/$b" -)
  for v in o874 odash; do
    pdftoppm -png -r 40 -f 3 -l 3 "$p" "$WORK/img-8"
    pdftoppm -png -r 40 -f 3 -l 3 "$WORK/$v/$b" "$WORK/img-v"
    check "CSV $b: $v gives the same page image (p. 3)" cmp -s "$WORK"/img-8-*3.png "$WORK"/img-v-*3.png
    rm -f "$WORK"/img-8-*.png "$WORK"/img-v-*.png
  done
done

# CSV rows fill the input straight from their cells: no cell is read as YAML.
python3 - "$WORK/t.csv" "$WORK/cells.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
h = rows[0]
rows[1][h.index("name")] = "- [อบต.ทดสอบ]: {x} #1"   # YAML would read a list, a mapping, a comment
rows[1][h.index("short_name")] = "-"                  # not given
rows[2][h.index("i1")] = ",5"                         # YAML text would not parse at all
rows[3][h.index("e1_2")] = "-"                        # one part of two not given
rows[3][h.index("district")] = ""                     # a required field left empty
csv.writer(open(sys.argv[2], "w", encoding="utf-8", newline="")).writerows(rows)
PY
run batch "$WORK/cells.csv" -o "$WORK/ocells" -q 2>"$WORK/cells.err"; rc=$?
expect_eq "CSV cells: two rows fail, batch exit 1" 1 "$rc"
pdf=$(ls "$WORK"/ocells/*ทดสอบ*.pdf 2>/dev/null | head -1)
check "a name that YAML would read as a list renders as written" \
  bash -c 'pdftotext "$1" - | tr -d "\n" | grep -qF -- "- [อบต.ทดสอบ]: {x} #1"' _ "$pdf"
cell_at() { # cell_at ROW COLUMN_NAME: "line:column" of that cell, in characters
  python3 - "$WORK/cells.csv" "$1" "$2" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
row, name = int(sys.argv[2]), sys.argv[3]
k = lines[0].split(",").index(name)
print("%d:%d" % (row, 1 + sum(len(c) + 1 for c in lines[row - 1].split(",")[:k])))
PY
}
expect_eq "',5' in a score's cell: told at the cell with its column" \
  "cells.csv:$(cell_at 3 i1): column i1: error: the score of question i1 must be a number, not \",5\"" \
  "$(grep -o 'cells.csv:3:.*' "$WORK/cells.err" | head -1)"
expect_eq "'-' in one part of two: told at its cell" \
  "cells.csv:$(cell_at 4 e1_2): column e1_2: error: the score of question e1 (ส่วนที่ 2) is not given: a question with parts needs a score for each part (or none at all)" \
  "$(grep -o 'cells.csv:4:[0-9]*: column e1_2:.*' "$WORK/cells.err" | head -1)"
expect_eq "an empty district: told at its cell" \
  "cells.csv:$(cell_at 4 district): column district: error: 'district' in agency is empty; it is required" \
  "$(grep -o 'cells.csv:4:[0-9]*: column district:.*' "$WORK/cells.err" | head -1)"
# The report embeds the row as YAML, which gives the same figures as the row.
mkdir -p "$WORK/detached"
pdfdetach -saveall -o "$WORK/detached" "$pdf"
yaml=$(ls "$WORK"/detached/*.yaml | head -1)
expect_eq "the embedded YAML gives the row's overall" \
  "$(grep ทดสอบ "$WORK/ocells/summary.csv" | python3 -c 'import csv,sys; print(next(csv.reader(sys.stdin))[6])')" \
  "$(run check "$yaml" --json 2>/dev/null | python3 -c 'import json,sys; print("%.2f" % json.load(sys.stdin)["overall"])')"
check "and keeps the name as written" grep -qF 'name: "- [อบต.ทดสอบ]: {x} #1"' "$yaml"
finish
