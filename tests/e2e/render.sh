#!/usr/bin/env bash
# End-to-end tests of `itareport render`: the seed report from data, its text, fonts,
# structure and layout, the template as data, digits, and the error paths.
. "$(dirname "$0")/lib.sh"
export ITAREPORT_DATA=${RENDER_DATA:-$E2E_ROOT}
TOOLS=$E2E_ROOT/tests/tools
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml

check "render --help has an example" bash -c 'run render --help | grep -q "Example:"'
expect_status "render without input is a usage error" 2 run render
expect_status "render --digits roman is a usage error" 2 run render "$SEED" --digits roman

run render "$SEED" -o "$WORK/seed.pdf"
check "the seed renders" test -s "$WORK/seed.pdf"
pdftotext "$WORK/seed.pdf" "$WORK/seed.txt"
pdftotext -layout "$WORK/seed.pdf" "$WORK/seed.layout.txt"
has() { grep -qF -- "$1" "$WORK/seed.txt"; }
for s in "รายงานการประเมินผลการประเมิน" "คุณธรรมและความโปร่งใสในการดำเนินงาน" "ในปีงบประมาณ พ.ศ. 2566" "องค์การบริหารส่วนตำบลเสอเพลอ" \
         "อำเภอกุมภวาปี จังหวัดอุดรธานี" "84.14" "ระดับ B" "ต้องปรับปรุง" "84.81" "78.16" "75.54" \
         "80.77" "88.13" "ส่วนที่ 1 ข้อมูลรายละเอียดการวิเคราะห์ผลการประเมิน ITA" \
         "ส่วนที่ 2 การนำผลการวิเคราะห์แต่ละประเด็นไปสู่การปฏิบัติ ในปีงบประมาณ พ.ศ. 2567" \
         "ส่วนที่ 3 การวิเคราะห์ข้อจำกัดของหน่วยงาน"; do
  check "text: $s" has "$s"
done
# Every indicator's name and score, from the analysis.
run check "$SEED" --json > "$WORK/seed.json"
python3 - "$WORK/seed.json" > "$WORK/indicators.txt" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for i in d["indicators"]:
    print("%s\t%.2f" % (i["name"], i["score"]))
PY
while IFS=$'\t' read -r name score; do
  check "indicator $name $score on one line" grep -qE "$name +$score" "$WORK/seed.layout.txt"
done < "$WORK/indicators.txt"
check "indicator 3 is named การใช้อำนาจ" has "การใช้อำนาจ"
check "the seed's typing error is not printed" bash -c "! grep -q 'การใช้จ่ายเงิน' '$WORK/seed.txt'"
# Every question score of every area table, as the input gives it.
python3 - "$SEED" > "$WORK/questions.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
block = text.split("questions:", 1)[1].split("\n\n", 1)[0]
for m in re.finditer(r"^\s+([ieo]\d+):\s*(\[[^\]]*\]|[\d.]+)", block, re.M):
    qid, v = m.groups()
    vals = [float(x) for x in re.findall(r"[\d.]+", v)]
    print(qid, " +".join("%.2f" % x for x in vals))
PY
count=$(wc -l < "$WORK/questions.txt")
check "questions read from the sample ($count)" test "$count" -ge 80
missing=0
while read -r qid rest; do
  grep -qE "ข้อ $qid +$rest( |$)" "$WORK/seed.layout.txt" || { missing=$((missing + 1)); echo "missing: ข้อ $qid $rest"; }
done < "$WORK/questions.txt"
expect_eq "every question score is in its area table" 0 "$missing"
# The analysis of each question the seed discusses.
for q in e11 e15 e14 e7 e10 i19 i8 i13 i27 i29; do
  check "analysis of $q" grep -qF "ข้อคำถาม $q (" "$WORK/seed.txt"
done
# The action plan and the limitations, exactly as in the data.
python3 - "$SEED" > "$WORK/plan.txt" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
for key in ("action_plan:", "limitations:"):
    part = text.split("\n" + key, 1)[1]
    part = re.split(r"\n[a-z_]+:", part, 1)[0]
    for m in re.finditer(r"(?:responsible|topic|detail):\s*(.+)", part):
        print(m[1].strip().strip('"'))
PY
check "plan and limitation texts read ($(wc -l < "$WORK/plan.txt"))" test "$(wc -l < "$WORK/plan.txt")" -ge 10
# The plan table's first column: a number keeps with its item's first word ("(1) กระบวนการ").
check "no plan item's number alone on a line" bash -c "grep -q '^(1) กระบวนการ' '$WORK/seed.layout.txt' && ! grep -Eq '^ *\([0-9]+\) *$|^\([0-9]+\)  ' '$WORK/seed.layout.txt'"
pdftotext -raw "$WORK/seed.pdf" - | tr -d ' \n' > "$WORK/seed.flat"
missing=0
while IFS= read -r line; do
  flat=$(printf '%s' "$line" | tr -d ' ')
  grep -qF -- "$flat" "$WORK/seed.flat" || { missing=$((missing + 1)); echo "missing: $line"; }
done < "$WORK/plan.txt"
expect_eq "action plan and limitations printed" 0 "$missing"

# --- structure and fonts --------------------------------------------------------------
check "qpdf --check is clean" bash -c "qpdf --check '$WORK/seed.pdf' | grep -q 'No syntax or stream encoding errors'"
check "every font embedded, subset, with ToUnicode" bash -c "pdffonts '$WORK/seed.pdf' | tail -n +3 | awk '\$(NF-4) != \"yes\" || \$(NF-3) != \"yes\" || \$(NF-2) != \"yes\" { bad = 1 } END { exit bad }'"
check "regular and bold from their own files" bash -c "pdffonts '$WORK/seed.pdf' | grep -q Sarabun-Regular && pdffonts '$WORK/seed.pdf' | grep -q Sarabun-Bold"
pages=$(pdfinfo "$WORK/seed.pdf" | awk '/^Pages:/ {print $2}')
check "page footer 'หน้า X / Y' on page 2" bash -c "pdftotext -f 2 -l 2 '$WORK/seed.pdf' - | grep -q 'หน้า 2 / $pages'"
check "no footer on the cover" bash -c "! pdftotext -f 1 -l 1 '$WORK/seed.pdf' - | grep -q 'หน้า'"
check "the action plan is on landscape pages" bash -c "pdfinfo -f 1 -l $pages '$WORK/seed.pdf' | grep -q 'size: *841.89 x 595.276'"
run render "$SEED" -o "$WORK/again.pdf"
check "the same input gives the same bytes" cmp -s "$WORK/seed.pdf" "$WORK/again.pdf"
mutool draw -q -F txt "$WORK/seed.pdf" > "$WORK/seed.mupdf" 2>/dev/null
words() { tr -s ' \n\f' '\n\n\n' < "$1" | grep -av '^$' | LC_ALL=C sort; }
check "MuPDF extracts the same words as poppler" diff <(words "$WORK/seed.txt") <(words "$WORK/seed.mupdf")

# --- layout, from the display list ------------------------------------------------------
run render "$SEED" --dump-layout -o "$WORK/seed.dump"
check "text inside the margins on every page (the footer in its margin)" python3 "$TOOLS/margincheck.py" "$WORK/seed.dump" 85.04 56.69 70.87 56.69 "หน้า "
python3 - "$WORK/seed.dump" "$TOOLS" > "$WORK/layout.report" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[2])
import dlistdump
pages = [[(t.y, t.text) for t in p.texts()] for p in dlistdump.read(sys.argv[1])[0]]
bad = 0
for n, items in enumerate(pages, 1):
    body = [t for y, t in items if not t.startswith("หน้า")]
    if body and (body[-1].startswith("ประเด็นที่") or body[-1].startswith("ประเด็น (")):
        print("page %d ends with a heading: %s" % (n, body[-1])); bad += 1
    texts = [t for y, t in items]
    rows = [t for t in texts if re.match(r"ข้อ [ieo]\d+$", t)]
    if rows and "ข้อคำถาม" not in texts:
        print("page %d continues a table without its header row" % n); bad += 1
print("bad", bad)
PY
expect_eq "no heading ends a page, tables repeat their header" "bad 0" "$(tail -1 "$WORK/layout.report")"

# --- charts: on their pages, labels extractable, bars as the data --------------------------
ind=$(python3 -c "import json; print(' '.join('%.2f' % i['score'] for i in json.load(open('$WORK/seed.json'))['indicators']))")
tools=$(python3 -c "import json; d = json.load(open('$WORK/seed.json')); t = d['tools']; print(t['iit'], t['eit_part1'], t['eit_part2'], t['oit'], d['overall'])")
check "indicator chart: 10 bars as the indicator scores" python3 "$TOOLS/barcheck.py" "$WORK/seed.dump" $ind
check "tool chart: IIT, EIT parts, OIT and the overall" python3 "$TOOLS/barcheck.py" "$WORK/seed.dump" $tools
check "the bar check notices a wrong value" bash -c "! python3 '$TOOLS/barcheck.py' '$WORK/seed.dump' 84.81 75.54 80.77 88.13 80.00 >/dev/null"
for label in "EIT ส่วนที่ 1" "EIT ส่วนที่ 2" "เกณฑ์ผ่าน 85.00" "ข้อมูลที่ใช้จัดทำรายงานนี้ไม่มีผลการประเมินของปีงบประมาณก่อนหน้า"; do
  # spaces and line breaks aside (a first-line indent moves where lines break)
  check "chart text: $label" bash -c 'tr -d "\n " <"$2" | grep -qF "${1// /}"' _ "$label" "$WORK/seed.txt"
done
HIST=$E2E_ROOT/samples/thasala-history-2566.yaml
run render "$HIST" --dump-layout -o "$WORK/hist.dump"
run check "$HIST" --json > "$WORK/hist.json"
hist=$(python3 - "$HIST" "$WORK/hist.json" <<'PY'
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
years = []
for m in re.finditer(r"\{fiscal_year: (\d+), overall: ([\d.]+), iit: ([\d.]+), eit: ([\d.]+), oit: ([\d.]+)\}", text):
    y, overall, iit, eit, oit = m.groups()
    years.append((int(y), [iit, eit, oit, overall]))
d = json.load(open(sys.argv[2]))
years.sort()
values = [v for _, vs in years for v in vs]
values += ["%.2f" % d["tools"]["iit"], "%.2f" % d["tools"]["eit"], "%.2f" % d["tools"]["oit"], "%.2f" % d["overall"]]
print(" ".join(values))
PY
)
check "history chart: IIT, EIT, OIT and ITA bars per year, oldest first ($hist)" python3 "$TOOLS/barcheck.py" "$WORK/hist.dump" $hist
run render "$HIST" -o "$WORK/hist.pdf"
check "history chart labels" bash -c "pdftotext '$WORK/hist.pdf' - | grep -q 'พ.ศ. 2566' && pdftotext '$WORK/hist.pdf' - | grep -q 'IIT'"

# --- digits -----------------------------------------------------------------------------
run render "$SEED" --digits thai -o "$WORK/thai.pdf"
check "--digits thai prints scores in Thai digits" bash -c "pdftotext '$WORK/thai.pdf' - | grep -q '๘๔.๑๔'"
check "--digits thai keeps question ids" bash -c "pdftotext '$WORK/thai.pdf' - | grep -q 'ข้อ e11'"

# --- the template is data: move a section, change a column -------------------------------
cp -R "$ITAREPORT_DATA/templates/ita-2566" "$WORK/tpl"
python3 - "$WORK/tpl/report.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
head, rest = s.split("\n  - name: part2\n", 1)
part2, part3 = rest.split("\n  - name: part3\n", 1)
s = head + "\n  - name: part3\n" + part3.rstrip("\n") + "\n\n  - name: part2\n" + part2 + "\n"
s = s.replace('"ตัวชี้วัดที่", "รายละเอียดตัวชี้วัด", "คะแนน"', '"ลำดับตัวชี้วัด", "ชื่อตัวชี้วัด", "คะแนนที่ได้"')
open(p, "w", encoding="utf-8").write(s)
PY
run render "$SEED" --template "$WORK/tpl" -o "$WORK/moved.pdf"
pdftotext "$WORK/moved.pdf" "$WORK/moved.txt"
p2=$(grep -n "ส่วนที่ 2 การนำผล" "$WORK/moved.txt" | head -1 | cut -d: -f1)
p3=$(grep -n "ส่วนที่ 3 การวิเคราะห์" "$WORK/moved.txt" | head -1 | cut -d: -f1)
check "a moved section moves in the report ($p3 before $p2)" test "${p3:-0}" -gt 0 -a "${p3:-0}" -lt "${p2:-0}"
check "a changed column header is printed" grep -q "ชื่อตัวชี้วัด" "$WORK/moved.txt"

# --- a chart's look is data: proportions and line widths from the template --------------
cp -R "$ITAREPORT_DATA/templates/ita-2566" "$WORK/look"
python3 - "$WORK/look/report.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = "          horizontal: true\n"
assert s.count(old) == 1
s = s.replace(old, old + "          look: {bars: 0.35, bar_fill: 1, reference_width: 2.4pt}\n")
open(p, "w", encoding="utf-8").write(s)
PY
run render "$SEED" --template "$WORK/look" --dump-layout -o "$WORK/look.dump"
looks=$(python3 - "$WORK/seed.dump" "$WORK/look.dump" "$TOOLS" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
import dlistdump
def indicator_chart(path):
    # the filled rectangles of the indicator chart (horizontal): 10 bars from one x, one
    # thickness
    pages, _ = dlistdump.read(path)
    groups = {}
    for r in dlistdump.items(pages, "rect"):
        if r.fill and not r.stroke:
            groups.setdefault((r.page, r.x, r.h), []).append(r)
    bars = [g for g in groups.values() if len(g) == 10][0]
    lines = [l.width for l in dlistdump.items(pages, "line") if l.page == bars[0].page]
    return bars[0].h, max(lines)
(w0, l0), (w1, l1) = indicator_chart(sys.argv[1]), indicator_chart(sys.argv[2])
print("%.3f %.2f" % (w1 / w0, l1))
PY
)
expect_eq "a chart's look sets its bars' width (0.35 x 1 of 0.7 x 0.92) and its reference line" "$(python3 -c 'print("%.3f" % (0.35 / (0.7 * 0.92)))') 2.40" "$looks"
printf 'styles: {body: {size: 16}}\nsections:\n  - blocks:\n      - chart: {each: tools, as: t, category: x, series: [{name: a, value: "{{t.score}}"}], look: {bars: 2, grid: 1}}\n' > "$WORK/look/report.yaml"
msg=$(run render "$SEED" --template "$WORK/look" -o "$WORK/out-look.pdf" 2>&1 >/dev/null)
check "a wrong look is an error at its place ($(printf '%s' "$msg" | head -2 | tr '\n' ' '))" bash -c "grep -q \"report.yaml:4:.*unknown key 'grid'\" <<< \"\$1\" && grep -q 'bars must be above 0 and at most 1' <<< \"\$1\"" _ "$msg"

# --- errors -----------------------------------------------------------------------------
mkdir -p "$WORK/out"
sed 's/- "{{agency.name}} "/- "{{agency.nmae}} "/' "$WORK/tpl/report.yaml" > "$WORK/tpl/r2" && mv "$WORK/tpl/r2" "$WORK/tpl/report.yaml"
line=$(grep -n 'agency.nmae' "$WORK/tpl/report.yaml" | head -1 | cut -d: -f1)
msg=$(run render "$SEED" --template "$WORK/tpl" -o "$WORK/out/x.pdf" 2>&1 >/dev/null | head -1); rc=$?
case "$msg" in
  "$WORK/tpl/report.yaml:$line:"*": error: unknown placeholder '{{agency.nmae}}'") ok "unknown placeholder reported at its line" ;;
  *) fail "unknown placeholder reported at its line: $msg" ;;
esac
# Names, filters and "{{" are checked when the template is loaded, in every branch: a typo
# inside a `when: passed` piece fails for the failing seed too, with its position.
cp "$ITAREPORT_DATA/templates/ita-2566/report.yaml" "$WORK/tpl/report.yaml"
python3 - "$WORK/tpl/report.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
old = '" ซึ่งผ่านเกณฑ์การประเมิน ({{pass_mark}} คะแนนขึ้นไป)"'
assert old in s
s = s.replace(old, '" ซึ่งผ่านเกณฑ์การประเมิน ({{pass_mrak}} คะแนนขึ้นไป {{overall|jion:x}} {{grade)"')
open(p, "w", encoding="utf-8").write(s)
PY
where=$(python3 - "$WORK/tpl/report.yaml" <<'PY'
import sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    if "pass_mrak" in line:
        print(n, line.index("{{pass_mrak") + 1, line.index("|jion") + 1, line.index("{{grade)") + 1)
PY
)
set -- $where
msg=$(run render "$SEED" --template "$WORK/tpl" -o "$WORK/out/x.pdf" 2>&1 >/dev/null); rc=$?
expect_eq "a malformed '{{' in a when-passed branch fails at load for a failing agency" "$WORK/tpl/report.yaml:$1:$4: error: '{{' without a closing '}}'" "$(printf '%s\n' "$msg" | grep -m1 "without a closing")"
expect_eq "an unknown filter there too, at its bar" "$WORK/tpl/report.yaml:$1:$3: error: unknown filter 'jion' (join, last, lines, bullet, or)" "$(printf '%s\n' "$msg" | grep -m1 "unknown filter")"
check "the template's errors stop the report (status $rc, no file)" test "$rc" -eq 1 -a ! -e "$WORK/out/x.pdf"
python3 - "$WORK/tpl/report.yaml" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8").read()
s = s.replace(" {{overall|jion:x}} {{grade)", "")
open(p, "w", encoding="utf-8").write(s)
PY
msg=$(run render "$SEED" --template "$WORK/tpl" -o "$WORK/out/x.pdf" 2>&1 >/dev/null); rc=$?
expect_eq "an unknown name in a when-passed branch fails at load for a failing agency" "1 $WORK/tpl/report.yaml:$1:$2: error: unknown placeholder '{{pass_mrak}}'" "$rc $(printf '%s\n' "$msg" | head -1)"
sed -i 's/^\(  *\)when: passed$/\1when: pased/' "$WORK/tpl/report.yaml"
sed -i 's/{{pass_mrak}}/{{pass_mark}}/' "$WORK/tpl/report.yaml"
cline=$(grep -n '^ *when: pased$' "$WORK/tpl/report.yaml" | head -1 | cut -d: -f1)
msg=$(run render "$E2E_ROOT/samples/nongkhai-passing-2566.yaml" --template "$WORK/tpl" -o "$WORK/out/x.pdf" 2>&1 >/dev/null); rc=$?
check "an unknown name in a condition is reported at its line ($msg)" bash -c "[ $rc -eq 1 ] && [[ \"\$1\" == \"$WORK/tpl/report.yaml:$cline:\"*\": error: unknown data 'pased' in a condition\"* ]]" _ "$msg"
printf 'styles: {body: {size: 16}}\nsections:\n  - blocks:\n      - paragrahp: x\n' > "$WORK/tpl/report.yaml"
msg=$(run render "$SEED" --template "$WORK/tpl" -o "$WORK/out/x.pdf" 2>&1 >/dev/null | head -1)
expect_eq "unknown template key" "$WORK/tpl/report.yaml:4:9: error: unknown key 'paragrahp' in a block (did you mean 'paragraph'?)" "$msg"
msg=$(run render "$WORK/none.yaml" -o "$WORK/out/x.pdf" 2>&1 >/dev/null | head -1)
check "missing input is an error ($msg)" bash -c "[[ \"\$1\" == *error*none.yaml* ]]" _ "$msg"
printf 'framework: ita-2566\nfiscal_year: 2566\n' > "$WORK/bad.yaml"
expect_status "an incomplete input fails" 1 run render "$WORK/bad.yaml" -o "$WORK/out/x.pdf"
check "no output file after errors" bash -c "[ -z \"\$(ls -A '$WORK/out')\" ]"
cp "$SEED" "$WORK/default.yaml"
run render "$WORK/default.yaml"
check "default output is INPUT.pdf beside it" test -s "$WORK/default.pdf"

# --- a self-describing PDF ----------------------------------------------------------------
mkdir -p "$WORK/detach"
(cd "$WORK/detach" && pdfdetach -saveall "$WORK/seed.pdf")
check "pdfdetach gives back the input byte for byte" cmp -s "$WORK/detach/sepholoe-2566.yaml" "$SEED"
check "qpdf --show-attachment gives back the input byte for byte" bash -c "qpdf --show-attachment=sepholoe-2566.yaml '$WORK/seed.pdf' | cmp -s - '$SEED'"
mutool show "$WORK/seed.pdf" outline > "$WORK/outline.txt" 2>/dev/null
for n in 1 2 3 4 5 6 7; do
  check "bookmark for issue area $n" grep -q "ประเด็นที่ $n " "$WORK/outline.txt"
done
for s in "ส่วนที่ 1" "ส่วนที่ 2" "ส่วนที่ 3" "ผลการประเมินรายตัวชี้วัด"; do
  check "bookmark: $s" grep -q "$s" "$WORK/outline.txt"
done
check "Thai document title" bash -c "pdfinfo '$WORK/seed.pdf' | grep -q '^Title: *รายงานการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2566 องค์การบริหารส่วนตำบลเสอเพลอ'"
check "no date without SOURCE_DATE_EPOCH" bash -c "! pdfinfo '$WORK/seed.pdf' | grep -q CreationDate"
# The same bytes from another folder, time zone, clock and path to the input.
mkdir -p "$WORK/elsewhere"; cp "$SEED" "$WORK/elsewhere/"
(cd "$WORK/elsewhere" && TZ=Asia/Bangkok run render sepholoe-2566.yaml -o "$WORK/elsewhere.pdf")
check "identical from another folder, time zone and input path" cmp -s "$WORK/seed.pdf" "$WORK/elsewhere.pdf"
SOURCE_DATE_EPOCH=1700000000 run render "$SEED" -o "$WORK/dated1.pdf"
sleep 1
(cd "$WORK" && TZ=America/New_York SOURCE_DATE_EPOCH=1700000000 run render "$SEED" -o "$WORK/dated2.pdf")
check "identical with SOURCE_DATE_EPOCH at another time and zone" cmp -s "$WORK/dated1.pdf" "$WORK/dated2.pdf"
check "SOURCE_DATE_EPOCH gives the dates" bash -c "pdfinfo '$WORK/dated1.pdf' | grep -q 'CreationDate: .*2023'"

# --- logos ------------------------------------------------------------------------------
LOGO_SAMPLE=$E2E_ROOT/samples/nongkhai-passing-2566.yaml
run render "$LOGO_SAMPLE" -o "$WORK/logo.pdf"
check "a PNG logo is on the cover" bash -c "pdfimages -f 1 -l 1 -list '$WORK/logo.pdf' | grep -q ' 128   128 *rgb'"
mkdir -p "$WORK/logo"; cp "$LOGO_SAMPLE" "$WORK/logo/in.yaml"
cp "$E2E_ROOT/tests/data/logo.jpg" "$WORK/logo/emblem.jpg"
sed -i 's|logo: .*|logo: emblem.jpg|' "$WORK/logo/in.yaml"
run render "$WORK/logo/in.yaml" -o "$WORK/logo/jpeg.pdf"
check "a JPEG logo is embedded as it is" bash -c "pdfimages -list '$WORK/logo/jpeg.pdf' | grep -q 'jpeg'"
head -c 300 "$E2E_ROOT/samples/logos/emblem.png" > "$WORK/logo/emblem.jpg"
sed -i 's|logo: .*|logo: emblem.jpg|' "$WORK/logo/in.yaml"
msg=$(run render "$WORK/logo/in.yaml" -o "$WORK/logo/bad.pdf" 2>&1 >/dev/null); rc=$?
check "a truncated PNG is an error, not a crash ($rc: $msg)" bash -c "[ $rc -eq 1 ] && [[ \"\$1\" == *'is not a valid PNG'* ]]" _ "$msg"
check "no file after a corrupt logo" test ! -e "$WORK/logo/bad.pdf"
python3 - "$WORK/logo/emblem.jpg" <<'PY'
import struct, sys, zlib
def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
ihdr = struct.pack(">IIBBBBB", 100000, 100000, 8, 2, 0, 0, 0)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\\0" * 64)) + chunk(b"IEND", b""))
PY
msg=$(run render "$WORK/logo/in.yaml" -o "$WORK/logo/bad.pdf" 2>&1 >/dev/null); rc=$?
check "a huge PNG is refused before decoding ($msg)" bash -c "[ $rc -eq 1 ] && [[ \"\$1\" == *'4000'* ]]" _ "$msg"
printf 'GIF89a' > "$WORK/logo/emblem.jpg"
msg=$(run render "$WORK/logo/in.yaml" -o "$WORK/logo/bad.pdf" 2>&1 >/dev/null)
check "an unknown image format is an error ($msg)" bash -c "[[ \"\$1\" == *'neither PNG nor JPEG'* ]]" _ "$msg"
check "no file after a bad logo" test ! -e "$WORK/logo/bad.pdf"

# --- faults: output folder missing or not writable, a full disk ----------------------------
msg=$(run render "$SEED" -o "$WORK/nowhere/x.pdf" 2>&1 >/dev/null); rc=$?
expect_eq "a missing output folder" "1 itareport: error: cannot write '$WORK/nowhere/x.pdf': No such file or directory" "$rc $msg"
msg=$(run render "$SEED" -o /proc/itareport-test.pdf 2>&1 >/dev/null); rc=$?
check "an output folder that cannot be written ($msg)" bash -c "[ $rc -eq 1 ] && [[ \"\$1\" == \"itareport: error: cannot write '/proc/itareport-test.pdf': \"* ]]" _ "$msg"
mkdir -p "$WORK/full"
(ulimit -f 16; run render "$SEED" -o "$WORK/full/x.pdf" 2>"$WORK/full.err"); rc=$?
check "a full disk is an error (exit $rc: $(head -1 "$WORK/full.err"))" test $rc -eq 1
check "no partial file after a full disk" bash -c "[ -z \"\$(ls -A '$WORK/full')\" ]"

# --- the input's own text wins ----------------------------------------------------------------
cp "$SEED" "$WORK/narrative.yaml"
printf '\nnarrative:\n  3: ข้อความวิเคราะห์ของหน่วยงานเองสำหรับประเด็นที่สาม\n' >> "$WORK/narrative.yaml"
run render "$WORK/narrative.yaml" -o "$WORK/narrative.pdf"
pdftotext "$WORK/narrative.pdf" "$WORK/narrative.txt"
check "the input's narrative is printed" grep -q "ข้อความวิเคราะห์ของหน่วยงานเองสำหรับประเด็นที่สาม" "$WORK/narrative.txt"
check "instead of the generated one for that area" bash -c "! grep -q 'ข้อคำถาม e7 (' '$WORK/narrative.txt'"
check "other areas keep the generated analysis" grep -q "ข้อคำถาม i19 (" "$WORK/narrative.txt"

# --- limits: a table row taller than a page, a word longer than a cell ---------------------------
python3 - "$SEED" "$WORK/tall.yaml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
items = "".join("      - ขั้นตอนที่ %d จัดทำมาตรการตรวจสอบการใช้ดุลพินิจและเผยแพร่บนเว็บไซต์หลักของหน่วยงาน\n" % i for i in range(1, 121))
s = s.replace("    approach:\n      - จัดทำมาตรการตรวจสอบการใช้ดุลพินิจ\n", "    approach:\n" + items, 1)
s = s.replace("responsible: สำนักปลัด", "responsible: กองยุทธศาสตร์และงบประมาณองค์การบริหารส่วนตำบลเสอเพลอ", 1)
open(sys.argv[2], "w", encoding="utf-8").write(s)
PY
run render "$WORK/tall.yaml" -o "$WORK/tall.pdf"
check "a row taller than a page renders" test -s "$WORK/tall.pdf"
pdftotext -raw "$WORK/tall.pdf" - | tr -d ' \n' > "$WORK/tall.flat"
check "its first and last lines are there" bash -c "grep -q 'ขั้นตอนที่1จัดทำ' '$WORK/tall.flat' && grep -q 'ขั้นตอนที่120จัดทำ' '$WORK/tall.flat'"
missing=0
for i in $(seq 1 120); do grep -q "ขั้นตอนที่${i}จัดทำ" "$WORK/tall.flat" || missing=$((missing + 1)); done
expect_eq "no line of the tall row is lost" 0 "$missing"
run render "$WORK/tall.yaml" --dump-layout -o "$WORK/tall.dump"
check "the tall row stays inside the margins" python3 "$TOOLS/margincheck.py" "$WORK/tall.dump" 85.04 56.69 70.87 56.69 "หน้า "
python3 - "$WORK/tall.dump" "$TOOLS" > "$WORK/tall.report" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import dlistdump
pages = [[t.text for t in p.texts()] for p in dlistdump.read(sys.argv[1])[0]]
plan = [n for n, p in enumerate(pages, 1) if any(t.startswith("- ขั้นตอนที่") for t in p)]
bad = [n for n in plan if "มาตรการ" not in pages[n - 1]]
heading = [n for n, p in enumerate(pages, 1) if any(t.startswith("ส่วนที่ 2 การนำผล") for t in p)]
print("pages %s, without header %s, heading on %s" % (plan, bad, heading))
print("ok" if plan and not bad and heading and heading[0] == plan[0] else "bad")
PY
check "the split row's pages repeat the header, the heading shares the first ($(head -1 "$WORK/tall.report"))" test "$(tail -1 "$WORK/tall.report")" = ok

# --- limits: 0, 1 and 20 years of history; no plan, no limitations ------------------------------
python3 - "$E2E_ROOT/samples/thasala-history-2566.yaml" "$WORK" <<'PY'
import re, sys
s = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r"(history:\n)((?:  - \{fiscal_year.*\}\n)+)", s)
for n in (1, 20):
    lines = "".join("  - {fiscal_year: %d, overall: %.2f, iit: %.2f, eit: %.2f, oit: %.2f}\n"
                    % (2566 - n + i, 60 + i, 62 + i, 61 + i, min(100, 58 + 2 * i)) for i in range(n))
    open("%s/h%d.yaml" % (sys.argv[2], n), "w", encoding="utf-8").write(s[:m.start(2)] + lines + s[m.end(2):])
bare = re.split(r"\n(?=discuss:|action_plan:|limitations:)", open(sys.argv[1], encoding="utf-8").read())[0]
open("%s/bare.yaml" % sys.argv[2], "w", encoding="utf-8").write(re.sub(r"\nhistory:\n(  - .*\n)+", "\n", bare + "\n"))
PY
for n in 1 20; do
  run render "$WORK/h$n.yaml" --dump-layout -o "$WORK/h$n.dump"
  check "history of $n year(s): the chart has its $((4 * (n + 1))) bars" bash -c "python3 '$TOOLS/dlistdump.py' count rect-filled '$WORK/h$n.dump' | awk '{exit !(\$1 >= $((4 * (n + 1))))}'"
done
run render "$WORK/h20.yaml" -o "$WORK/h20.pdf"
check "20 years: first and last year labelled" bash -c "pdftotext '$WORK/h20.pdf' - | grep -q 'พ.ศ. 2546' && pdftotext '$WORK/h20.pdf' - | grep -q 'พ.ศ. 2566'"
check "an input with no history, plan, discussion or limitations renders" run render "$WORK/bare.yaml" -o "$WORK/bare.pdf"
pdftotext "$WORK/bare.pdf" "$WORK/bare.txt"
check "without a plan, the template's default measures fill Part 2" bash -c "grep -q '(1) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ' '$WORK/bare.txt' && grep -q '(7) กลไกและมาตรการ' '$WORK/bare.txt'"
check "without limitations, Part 3 says the input names none" grep -q "ไม่ได้ระบุข้อจำกัดของหน่วยงาน" "$WORK/bare.txt"
check "without history, the history chart is replaced by a sentence that claims nothing of the past" bash -c 'tr -d "\n " <"$1" | grep -q "ข้อมูลที่ใช้จัดทำรายงานนี้ไม่มีผลการประเมินของปีงบประมาณก่อนหน้า"' _ "$WORK/bare.txt"
check "a score of 0.00 and of 100.00 are printed" bash -c "grep -q 'ข้อ o14 *0.00' '$WORK/seed.layout.txt' && grep -q 'ข้อ o11 *100.00' '$WORK/seed.layout.txt'"

# A 70,000-character agency name: never broken by rule, so broken at graphemes; the PDF's
# title (a text string of at most 65,535 bytes in libharu) is cut at a whole character.
python3 - "$SEED" "$WORK/longname.yaml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
open(sys.argv[2], "w", encoding="utf-8").write(s.replace("name: องค์การบริหารส่วนตำบลเสอเพลอ", "name: " + "ก" * 70000, 1))
PY
check "a 70,000-character name renders" run render "$WORK/longname.yaml" -o "$WORK/longname.pdf"
pdftotext "$WORK/longname.pdf" "$WORK/longname.txt"
check "its text is all there (cover, heading, analysis: 3 times)" python3 -c "import sys; sys.exit(open('$WORK/longname.txt', encoding='utf-8').read().count('ก') < 3 * 70000)"

# --- regressions found by fuzzing ----------------------------------------------------------
msg=$(run render "$SEED" --template "$E2E_ROOT/tests/data/templates/cell-unknown" -o "$WORK/out/f.pdf" 2>&1 >/dev/null); rc=$?
expect_eq "an unknown placeholder in a table cell (fuzz: null + 0)" "1 $E2E_ROOT/tests/data/templates/cell-unknown/report.yaml:15:97: error: unknown placeholder '{{i.scoreo}}'" "$rc $(printf '%s\n' "$msg" | grep -m1 'unknown placeholder')"
expect_eq "and its unknown filter, at load too" "$E2E_ROOT/tests/data/templates/cell-unknown/report.yaml:15:107: error: unknown filter 'r' (join, last, lines, bullet, or)" "$(printf '%s\n' "$msg" | grep -m1 'unknown filter')"

msg=$(run render "$SEED" --template "$E2E_ROOT/tests/data/templates/huge-col" -o "$WORK/out/f.pdf" 2>&1 >/dev/null); rc=$?
check "a column number of 4e65 is an error (fuzz: float to size_t)" bash -c "[ $rc -eq 1 ] && grep -q 'report.yaml:134:35: error: col must be a whole number from 0 to 63' <<< \"\$1\"" _ "$msg"
check "no file after template errors" test ! -e "$WORK/out/f.pdf"

# --- every sample renders ---------------------------------------------------------------
for s in "$E2E_ROOT"/samples/*.yaml; do
  name=$(basename "$s" .yaml)
  if grep -q "^framework: ita-2566" "$s"; then
    check "sample $name renders" run render "$s" -o "$WORK/$name.pdf"
    # Chart value labels are measured as shaped, and whether one fits is decided on its
    # Arabic form: with Thai digits every chart shows the same values.
    run render "$s" --dump-layout -o "$WORK/$name-ar.dump"
    run render "$s" --digits thai --dump-layout -o "$WORK/$name-th.dump"
    labels=$(python3 - "$WORK/$name-ar.dump" "$WORK/$name-th.dump" "$TOOLS" <<'PY'
import re, sys
sys.path.insert(0, sys.argv[3])
import dlistdump
def values(path):
    # the values over bars: decimal numbers in the charts' type (12 pt, below the tables' 14)
    pages, _ = dlistdump.read(path)
    to_arabic = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
    return sorted((t.page, t.text.translate(to_arabic)) for t in dlistdump.items(pages, "text")
                  if t.size < 13 and re.fullmatch(r"[0-9๐-๙]+\.[0-9๐-๙]+", t.text))
ar, th = values(sys.argv[1]), values(sys.argv[2])
print(len(ar), "same" if ar == th else "differ: %s" % sorted(set(ar) ^ set(th))[:4])
PY
)
    check "sample $name: --digits thai shows the same chart values ($labels)" \
      bash -c '[[ "$1" =~ ^[1-9][0-9]*\ same$ ]]' _ "$labels"
  fi
done
finish
