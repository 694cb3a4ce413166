#!/usr/bin/env bash
# Cells as Excel users write them (issue 15 item 2, issue 17): "-" for not given, Thai
# digits and stray spaces around a score (CSV and YAML), a decimal comma refused with the
# way to write it, a part named twice, a NUL byte in a cell, and the limits that keep a
# huge CSV from exhausting memory (docs/input-format.md).
. "$(dirname "$0")/lib.sh"
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml
GEN=$E2E_ROOT/samples/generate
"$GEN" 4 --seed 5 -o "$WORK/gen" --csv "$WORK/plain.csv" --scores-only

# summary rows without the file name (a CSV row's PDF is named after the agency either way)
rows() { tail -n +2 "$1/summary.csv" | cut -d, -f2-; }
run batch "$WORK/plain.csv" -o "$WORK/o-plain" -q
check "the plain CSV renders" test "$(rows "$WORK/o-plain" | grep -c ',ok,')" -eq 4

# --- "-" means not given ----------------------------------------------------------------
python3 - "$WORK/plain.csv" "$WORK/empty.csv" "$WORK/dash.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
head = rows[0]
drop = [head.index(c) for c in ("overall_2564", "iit_2564", "eit_2564", "oit_2564",
                                "subdistrict", "short_name")]
for name, mark in ((sys.argv[2], ""), (sys.argv[3], "-")):
    with open(name, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow(head)
        for r in rows[1:]:
            r = list(r)
            for i in drop:
                r[i] = mark if i != drop[-1] else " - "
            w.writerow(r)
PY
run batch "$WORK/empty.csv" -o "$WORK/o-empty" -q
expect_status "a CSV with '-' cells (CRLF) renders" 0 run batch "$WORK/dash.csv" -o "$WORK/o-dash" -q
expect_eq "'-' cells give what empty cells give" "$(rows "$WORK/o-empty")" "$(rows "$WORK/o-dash")"
printf '\xef\xbb\xbf' > "$WORK/bom.csv"; cat "$WORK/dash.csv" >> "$WORK/bom.csv"
run batch "$WORK/bom.csv" -o "$WORK/o-bom" -q
expect_eq "a BOM CRLF CSV with '-' cells: the same" "$(rows "$WORK/o-empty")" "$(rows "$WORK/o-bom")"
for f in "$WORK/o-plain" "$WORK/o-empty" "$WORK/o-dash"; do
  for p in "$f"/*.pdf; do [ "$(basename "$p")" = summary.pdf ] || pdftotext "$p" -; done > "$f.txt"
done
check "…and the same report text" cmp -s "$WORK/o-empty.txt" "$WORK/o-dash.txt"
check "…which the cells left out changed (the check can fail)" bash -c '! cmp -s "$1" "$2"' _ "$WORK/o-plain.txt" "$WORK/o-dash.txt"

# --- Thai digits and spaces around scores --------------------------------------------------
python3 - "$WORK/plain.csv" "$WORK/thai.csv" <<'PY'
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
thai = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    w = csv.writer(f)
    w.writerow(rows[0])
    for r in rows[1:]:
        w.writerow([("  " + c.translate(thai) + " ") if re.fullmatch(r"[0-9.]+", c) and k > 1 else c
                    for k, c in enumerate(r)])
PY
check "the Thai CSV holds Thai digits" grep -q '๘' "$WORK/thai.csv"
expect_status "a CSV with Thai digits and spaces renders" 0 run batch "$WORK/thai.csv" -o "$WORK/o-thai" -q
expect_eq "Thai digits and spaces give the figures of the plain CSV" "$(rows "$WORK/o-plain")" "$(rows "$WORK/o-thai")"
sed 's/^\(    i8:\) 60\.04/\1 ๖๐.๐๔/; s/^\(  overall:\) 84\.1$/\1 ๘๔.๑/' "$SEED" > "$WORK/thai.yaml"
check "the Thai YAML holds Thai digits" grep -q '๖๐.๐๔' "$WORK/thai.yaml"
run check --json "$SEED" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("file",None); print(json.dumps(d.get("overall"), sort_keys=True), json.dumps(d.get("tools"), sort_keys=True))' > "$WORK/a.json"
run check --json "$WORK/thai.yaml" | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("file",None); print(json.dumps(d.get("overall"), sort_keys=True), json.dumps(d.get("tools"), sort_keys=True))' > "$WORK/b.json"
check "check --json gives figures" grep -q '84.14' "$WORK/a.json"
check "a YAML with Thai digits gives the same figures" cmp -s "$WORK/a.json" "$WORK/b.json"

# --- a decimal comma is refused, with the way to write it ----------------------------------
sed 's/^\(    i8:\) 60\.04/\1 60,04/' "$SEED" > "$WORK/comma.yaml"
line=$(grep -n '^    i8: 60,04' "$WORK/comma.yaml" | cut -d: -f1)
msg=$(run check "$WORK/comma.yaml" 2>&1 >/dev/null | head -1); rc=$?
expect_eq "YAML: a decimal comma is an error at the value, saying how to write it" \
  "$WORK/comma.yaml:$line:9: error: the score of question i8 is written with a decimal comma (60,04): write it with a point, 60.04" "$msg"
expect_status "YAML: a decimal comma fails the check" 1 run check "$WORK/comma.yaml"
python3 - "$WORK/plain.csv" "$WORK/semi.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
i = rows[0].index("i8")
rows[2][i] = rows[2][i].replace(".", ",")
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f, delimiter=";").writerows(rows)
PY
run batch "$WORK/semi.csv" -o "$WORK/o-semi" -q 2> "$WORK/semi.err"; rc=$?
expect_eq "CSV: a decimal comma fails its row" 1 "$rc"
check "CSV: told at the cell, with the way to write it" grep -qE "semi.csv:3:[0-9]+: column i8: error: the score of question i8 is written with a decimal comma \([0-9]+,[0-9]+\): write it with a point, [0-9]+\.[0-9]+" "$WORK/semi.err"
check "CSV: the other rows are made" test "$(rows "$WORK/o-semi" | grep -c ',ok,')" -eq 3

# --- a part named twice (issue 17) -----------------------------------------------------------
python3 - "$WORK/plain.csv" "$WORK/twice.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
i = rows[0].index("e1_1")
rows[0].append("e1_01")
for r in rows[1:]:
    r.append("10.00")
with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
    csv.writer(f).writerows(rows)
PY
col=$(head -1 "$WORK/twice.csv" | python3 -c 'import sys; h=sys.stdin.read().rstrip("\r\n"); print(len(h) - len("e1_01") + 1)')
expect_status "a CSV naming part 1 of e1 twice fails" 1 run batch "$WORK/twice.csv" -o "$WORK/o-twice" -q
msg=$(run batch "$WORK/twice.csv" -o "$WORK/o-twice" -q 2>&1 | grep 'error:' | head -1)
expect_eq "…told at the second column's header cell" \
  "$WORK/twice.csv:1:$col: error: column 'e1_01' is part 1 of e1 again (first as 'e1_1' in column $(head -1 "$WORK/twice.csv" | python3 -c 'import sys; h=sys.stdin.read(); print(h.index(",e1_1,") + 2)'))" "$msg"
check "…and no report is made" bash -c '! ls "$1"/*.pdf 2>/dev/null | grep -qv summary' _ "$WORK/o-twice"

# --- a NUL byte in a cell (issue 17: 8<NUL>4.5 was read as 8) ---------------------------------
python3 - "$WORK/plain.csv" "$WORK/nul.csv" <<'PY'
import sys
data = open(sys.argv[1], "rb").read().split(b"\n")
head = data[0].split(b",")
cells = data[2].split(b",")
i = head.index(b"i8")
cells[i] = b"8\x004.5"
data[2] = b",".join(cells)
open(sys.argv[2], "wb").write(b"\n".join(data))
PY
run batch "$WORK/nul.csv" -o "$WORK/o-nul" -q 2> "$WORK/nul.err"; rc=$?
expect_eq "a NUL byte in a cell fails the table" 1 "$rc"
check "…told at the byte with its offset" grep -qE "nul.csv:3:[0-9]+: error: a NUL byte \(at byte offset [0-9]+\) in a cell: the file is damaged or not a CSV text file" "$WORK/nul.err"
check "…and no report is made from it" bash -c '! ls "$1"/*.pdf 2>/dev/null | grep -qv summary' _ "$WORK/o-nul"

# --- limits: a 64 MB CSV is refused in bounded memory; so is a table of too many cells -------
# (memory bounds 4 times higher under AddressSanitizer's shadow memory and valgrind)
mem_scale=1
case "${ITAREPORT_WRAPPER}${ITAREPORT_BUILD:-}" in *valgrind* | *asan*) mem_scale=4 ;; esac
python3 - "$WORK/plain.csv" "$WORK/huge.csv" <<'PY'
import sys
data = open(sys.argv[1], encoding="utf-8").read().splitlines()
body = ("\n".join(data[1:]) + "\n").encode()
with open(sys.argv[2], "wb") as f:
    f.write((data[0] + "\n").encode())
    for _ in range(64 * 1024 * 1024 // len(body) + 1):
        f.write(body)
PY
check "the huge CSV is over 64 MB" test "$(stat -c %s "$WORK/huge.csv")" -gt 67108864
/usr/bin/time -f %M -o "$WORK/huge.rss" "$ITAREPORT" batch "$WORK/huge.csv" -o "$WORK/o-huge" -q 2> "$WORK/huge.err"; rc=$?
expect_eq "a 64 MB CSV is refused" 1 "$rc"
check "…by the documented limit" grep -q "huge.csv' is larger than 32 MiB" "$WORK/huge.err"
check "…in less than 100 MB of memory ($(tail -1 "$WORK/huge.rss") KB)" test "$(tail -1 "$WORK/huge.rss")" -lt $((102400 * mem_scale))
check "the limit is documented" grep -q "at most 32 MiB" "$E2E_ROOT/docs/input-format.md"
python3 - "$WORK/cells.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name," + ",".join("i%d" % k for k in range(1, 900)) + "\n")
    row = "x" + "," * 899 + "\n"
    f.write(row * 3000)
PY
/usr/bin/time -f %M -o "$WORK/cells.rss" "$ITAREPORT" batch "$WORK/cells.csv" -o "$WORK/o-cells" -q 2> "$WORK/cells.err"; rc=$?
expect_eq "a table of 2.7 million cells is refused" 1 "$rc"
check "…saying the limit" grep -q "the CSV table has more than 2000000 cells; split it into several files" "$WORK/cells.err"
check "…in bounded memory ($(tail -1 "$WORK/cells.rss") KB)" test "$(tail -1 "$WORK/cells.rss")" -lt $((204800 * mem_scale))
python3 -c 'print(",".join("c%d" % k for k in range(1001)))' > "$WORK/wide.csv"
run batch "$WORK/wide.csv" -o "$WORK/o-wide" -q 2> "$WORK/wide.err"
check "a header of 1001 columns is refused" grep -q "the header names 1001 columns; a CSV table has at most 1000" "$WORK/wide.err"
finish
