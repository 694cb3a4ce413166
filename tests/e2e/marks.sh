#!/usr/bin/env bash
# End-to-end tests of issue 14 items 5-7 as rules of the analysis and the templates:
# marks that agree with the text (a score is marked exactly when the analysis calls it weak;
# the overall keeps its bold when marked; lists joined as Thai does; an OIT item described
# as not disclosed; a paragraph not repeated area after area; an EIT question's figures are
# the table's; a failing agency never reads as without limitations; check warns when Part 2
# holds only default measures), the charts (marks.sh checks the indicator chart's names,
# label sizes, colours, the pass-mark line clear of values) and the conventions of Thai
# official documents.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
export ITAREPORT_DATA="$E2E_ROOT"
export SOURCE_DATE_EPOCH=1700000000
DUMP="python3 tests/tools/dlistdump.py"

# flat PDF: the text without line breaks and spaces; has NEEDLE FLAT.
flat() { pdftotext "$1" - 2>/dev/null | grep -Ev '^หน้า ([0-9]|๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)+ / ([0-9]|๐|๑|๒|๓|๔|๕|๖|๗|๘|๙)+$' | tr -d '\f\n '; }
has() { local n=${1// /}; [[ $2 == *"$n"* ]]; }
hasnt() { ! has "$@"; }
# count NEEDLE FLAT: how many times the needle (spaces removed) occurs.
count() { local n=${1// /}; python3 -c 'import sys; print(sys.argv[2].count(sys.argv[1]))' "$n" "$2"; }
# font FILE TEXT: the font (0 regular, 1 bold) of the first text item that is TEXT.
font() { $DUMP get font "$1" "$2" | sed 's/\..*//'; }

BANKHAI=samples/bankhai-municipality-2566.yaml SEED=samples/sepholoe-2566.yaml
HIST=samples/thasala-history-2566.yaml
for s in bankhai:$BANKHAI seed:$SEED hist:$HIST; do
  n=${s%%:*} f=${s#*:}
  run render "$f" -o "$WORK/$n.pdf" 2>/dev/null
  run render "$f" --dump-layout -o "$WORK/$n.dump" 2>/dev/null
done

# ---- item 5: marks that agree with the text ----
# bankhai's e5 is [86.25, 84.66]: its mean 85.46 passes, so no part of it is marked, and
# the area's paragraph says no question is below the pass mark.
expect_eq "a part of a question that is not weak is not marked (bankhai e5 part 2, 84.66)" 0 "$(font "$WORK/bankhai.dump" 84.66)"
expect_eq "…nor bankhai e10 part 1 (83.88 of a mean 87.10)" 0 "$(font "$WORK/bankhai.dump" 83.88)"
# thasala's e4 is [83.37, 85.32], mean 84.35, weak: its part under the mark is marked.
expect_eq "a weak question's part under the mark is marked (thasala e4, 83.37)" 1 "$(font "$WORK/hist.dump" 83.37)"
expect_eq "…its part over the mark is not (85.32)" 0 "$(font "$WORK/hist.dump" 85.32)"
expect_eq "a weak surveyed question is marked (thasala i3, 82.65)" 1 "$(font "$WORK/hist.dump" 82.65)"
# The overall cell is bold, marked or not (the seed's 84.14 is below the pass mark).
seed_overall=$($DUMP items "$WORK/seed.dump" text | grep -c '"84.14"$')
check "the seed's overall is printed" test "$seed_overall" -ge 1
expect_eq "the marked overall keeps its bold (every 84.14 of the seed)" "" \
  "$($DUMP items "$WORK/seed.dump" text | grep '"84.14"$' | grep -v 'size=12 ' | grep -v 'font=1')"
expect_eq "the passing overall is bold too (bankhai 93.99 in the table)" 1 "$(font "$WORK/bankhai.dump" 93.99)"

t=$(flat "$WORK/bankhai.pdf")
expect_eq "bankhai: the paragraph of an area with nothing weak is printed once" 1 \
  "$(count "แสดงให้เห็นว่าหน่วยงานมีการดำเนินงานในประเด็นนี้ได้เป็นอย่างดี" "$t")"
expect_eq "…the five other such areas refer to it" 5 "$(count "เช่นเดียวกับประเด็นที่ 1" "$t")"
check "bankhai: an OIT item at 0 is one not disclosed" has "ข้อ o24 (การดำเนินการตามนโยบายหรือแผนการบริหารทรัพยากรบุคคล) ยังไม่ได้เปิดเผยข้อมูลตามหลักเกณฑ์การประเมิน" "$t"
check "…never a question with 0.00 points" hasnt "o24 (การดำเนินการตามนโยบายหรือแผนการบริหารทรัพยากรบุคคล) ได้คะแนน" "$t"
check "…nor 'ข้อคำถาม o24'" hasnt "ข้อคำถาม o24" "$t"

t=$(flat "$WORK/seed.pdf")
check "seed: an EIT question's figures are the table's two parts" has "ข้อคำถาม e10 (ช่องทางการร้องเรียนการทุจริต) ได้คะแนนส่วนที่ 1 64.49 คะแนน และส่วนที่ 2 76.19 คะแนน มีค่าคะแนนน้อย" "$t"
check "…not their mean (70.34), which no table shows" hasnt "70.34" "$t"

t=$(flat "$WORK/hist.pdf")
check "thasala: questions and an item in one sentence" has "พบว่า ข้อคำถาม i3 และ e4 มีค่าคะแนนน้อย ข้อ o14 ยังไม่ได้เปิดเผยข้อมูลตามหลักเกณฑ์การประเมิน ดังรายละเอียดต่อไปนี้" "$t"

# A list of three joins as Thai does: "a, b และ c".
sed 's/^discuss:.*$/discuss:\n  1: [i1, i3, e4]/' "$HIST" >"$WORK/three.yaml"
grep -q '^discuss:' "$WORK/three.yaml" || printf 'discuss:\n  1: [i1, i3, e4]\n' >>"$WORK/three.yaml"
run render "$WORK/three.yaml" -o "$WORK/three.pdf" 2>"$WORK/err"
t=$(flat "$WORK/three.pdf")
check "three questions: 'i1, i3 และ e4'" has "พบว่า ข้อคำถาม i1, i3 และ e4 มีค่าคะแนนน้อย" "$t"

# Limitations: a failing agency without them is told to state them.
python3 - "$SEED" "$WORK/nolim.yaml" <<'EOF'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i = s.index("limitations:")
j = s.find("\n", s.find("\n  - topic: ข้อจำกัดด้านสภาพพื้นที่"))
rest = s[j:] if j >= 0 else ""
# drop the whole limitations list (its items are indented)
lines = s[i:].split("\n")[1:]
k = 0
while k < len(lines) and (lines[k].startswith(" ") or not lines[k]):
    k += 1
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + "\n".join(lines[k:]))
EOF
run render "$WORK/nolim.yaml" -o "$WORK/nolim.pdf" 2>"$WORK/err"
t=$(flat "$WORK/nolim.pdf")
check "a failing agency without limitations: asked to state them" has "ยังไม่ได้ระบุข้อจำกัดของหน่วยงาน ซึ่งผลการประเมินยังไม่ผ่านเกณฑ์ (85.00 คะแนน)" "$t"
check "…not told its data gives none, as a passing one is" hasnt "ไม่ได้ระบุข้อจำกัดของหน่วยงานในการดำเนินการประเมิน" "$t"

# check warns when Part 2 would hold only the template's default measures.
python3 - "$BANKHAI" "$WORK/noplan.yaml" <<'EOF'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i, j = s.index("action_plan:"), s.index("limitations:")
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + s[j:])
EOF
ids() { python3 -c 'import json,sys; print(" ".join(d["id"] for d in json.load(sys.stdin)["diagnostics"]))'; }
expect_eq "check: no action_plan, a warning that Part 2 is the defaults" "check-plan-only-defaults" "$(run check --json "$WORK/noplan.yaml" 2>/dev/null | ids)"
expect_eq "…exit 0 (a warning)" 0 "$(run check "$WORK/noplan.yaml" >/dev/null 2>&1; echo $?)"
expect_eq "check: with an action_plan, no such warning" "" "$(run check --json "$BANKHAI" 2>/dev/null | ids)"
expect_eq "render says nothing of it (a CSV row cannot give a plan)" "" "$(run render "$WORK/noplan.yaml" -o "$WORK/noplan.pdf" 2>&1)"

# ---- item 6: charts people read without the table ----
CHART="python3 tests/tools/chartcheck.py"
for n in bankhai seed hist; do
  check "$n: no value label is crossed by the pass-mark line" $CHART clear "$WORK/$n.dump"
done
for f in samples/kranuan-2568.yaml samples/nongbua-2569.yaml samples/yala-2567.yaml; do
  run render "$f" --dump-layout -o "$WORK/y.dump" 2>/dev/null
  check "$(basename "$f" .yaml): no value label is crossed by the pass-mark line" $CHART clear "$WORK/y.dump"
done
# The seed's indicator chart (page 3): horizontal bars, each with the indicator's name at its
# left; the bars under 85 (2, 4-8, 10) in the below-pass colour, the others in the series'.
names=("1. การปฏิบัติหน้าที่" "2. การใช้งบประมาณ" "3. การใช้อำนาจ" "4. การใช้ทรัพย์สินของราชการ"
  "5. การแก้ไขปัญหาการทุจริต" "6. คุณภาพการดำเนินงาน" "7. ประสิทธิภาพการสื่อสาร" "8. การปรับปรุงการทำงาน"
  "9. การเปิดเผยข้อมูล" "10. การป้องกันการทุจริต")
colors=$($CHART names "$WORK/seed.dump" 3 "${names[@]}" | cut -d' ' -f1 | tr '\n' ' ')
expect_eq "seed: the indicator chart names every indicator beside its bar, red under 85" \
  "4472C4 C00000 4472C4 C00000 C00000 C00000 C00000 C00000 4472C4 C00000 " "$colors"
# The tool chart's bars: IIT 84.81, EIT parts 75.54 and 80.77, OIT 88.13, ITA 84.14.
bars=$($DUMP items "$WORK/seed.dump" rect | awk '$1 == 2 && / rgb=/ && !/rgb=E6EDF7/' | grep -o 'rgb=[0-9A-F]*' | tr '\n' ' ')
expect_eq "seed: the tool chart's bars under the pass mark are red, OIT blue" \
  "rgb=C00000 rgb=C00000 rgb=C00000 rgb=4472C4 rgb=C00000 rgb=C00000 " "$bars"
check "…and the legend has a key for the red" has "ต่ำกว่าเกณฑ์ผ่าน" "$(flat "$WORK/seed.pdf")"
# One label size across the charts, at least 10 pt: every text of the chart pages that is
# not body, heading or table text (14 pt and more) is 12 pt (the footer is 12 pt too).
for n in bankhai seed hist; do
  expect_eq "$n: every small text is 12 pt (chart labels, footer)" "" \
    "$($DUMP items "$WORK/$n.dump" text | grep -o 'size=[0-9.]*' | sort -u | awk -F= '$2 < 13 && $2 != 12')"
done
# Many categories thin out, never shrink: eight years of history in the history chart.
python3 - "$HIST" "$WORK/years8.yaml" <<'PY'
import sys
s = open(sys.argv[1], encoding="utf-8").read()
i, j = s.index("history:"), s.index("action_plan:")
years = "".join("  - {fiscal_year: %d, overall: %.2f, iit: 80.00, eit: 81.00, oit: 82.00}\n" % (y, 70 + y - 2556)
                for y in range(2556, 2566))
open(sys.argv[2], "w", encoding="utf-8").write(s[:i] + "history:\n" + years + s[j:])
PY
run render "$WORK/years8.yaml" --dump-layout -o "$WORK/years8.dump" 2>"$WORK/err"
labels=$($DUMP items "$WORK/years8.dump" text | grep '"พ.ศ. 25[56][0-9]"' | awk '$1 == 3' | grep -v 'size=14 ')
sizes=$(printf '%s\n' "$labels" | grep -o 'size=[0-9.]*' | sort -u | tr '\n' ' ')
expect_eq "eleven years: the year labels under the chart keep their 12 pt" "size=12 " "$sizes"
shown=$(printf '%s\n' "$labels" | grep -c 'size=12')
check "…and thin out ($shown of 11 shown)" test "$shown" -ge 3 -a "$shown" -lt 11

# The summary's histogram: equal bands 5 points wide, from the lowest score's to 100
# (bankhai 93.99, the seed 84.14, thasala 90.89).
run batch "$BANKHAI" "$SEED" "$HIST" -o "$WORK/batch" -j 1 --quiet 2>"$WORK/err"
t=$(pdftotext -layout "$WORK/batch/summary.pdf" - | tr -s ' ')
check "summary: equal bands 80–85, 85–90, 90–95, 95–100" bash -c '[[ $1 == *"80–85 85–90 90–95 95–100"* ]]' _ "$t"
check "…one agency in 80–85, two in 90–95 (33.3 and 66.7 %)" bash -c '[[ $1 == *"33.3"* && $1 == *"66.7"* ]]' _ "$t"
check "…and no band of another width" bash -c '! [[ $1 == *"< "* || $1 == *"95+"* ]]' _ "$t"

# No chart alone on a summary page: each chart shares its page with the table it is drawn
# from (20 generated agencies put both charts on a page of their own before).
charts_with_tables() {
  python3 - "$1" <<'PY'
import subprocess, sys
pdf = sys.argv[1]
pages = int([l.split()[-1] for l in subprocess.run(["pdfinfo", pdf], capture_output=True,
             text=True).stdout.splitlines() if l.startswith("Pages:")][0])
pairs = [("ร้อยละของหน่วยงานในแต่ละระดับ", "จำนวนหน่วยงานตามระดับผลการประเมิน"),
         ("การกระจายของคะแนนรวม", "จำนวนหน่วยงานตามผลการประเมิน")]
seen = 0
for n in range(1, pages + 1):
    t = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True,
                       text=True).stdout
    for chart, table in pairs:
        if chart in t:
            seen += 1
            if table not in t or t.index(table) > t.index(chart):
                print("page %d: the chart '%s' without its table" % (n, chart))
print("charts seen: %d" % seen)
PY
}
out=$(charts_with_tables "$WORK/batch/summary.pdf")
expect_eq "summary of 3: each chart on the page of its table" "charts seen: 2" "$out"
"$E2E_ROOT/samples/generate" 20 --seed 7 -o "$WORK/gen20" >/dev/null
run batch "$WORK/gen20" -o "$WORK/batch20" -j 2 --quiet 2>"$WORK/err"
out=$(charts_with_tables "$WORK/batch20/summary.pdf")
expect_eq "summary of 20: each chart on the page of its table" "charts seen: 2" "$out"

# ---- item 7: the conventions of Thai official documents ----
# The cover: its block balanced on the page (ink above equals ink below, to 0.5 pt),
# whatever it holds: with and without a logo, a date, the 2569 title of four lines.
balance() {
  python3 - "$1" <<'PY'
import sys
sys.path.insert(0, "tests/tools")
import dlistdump
pages, _ = dlistdump.read(sys.argv[1])
p = pages[0]
tops, bottoms = [], []
for i in p.items:
    if i.kind == "text":
        tops.append(i.y + i.ink_high); bottoms.append(i.y + i.ink_low)
    elif i.kind == "image":
        tops.append(i.y + i.h); bottoms.append(i.y)
above = p.height - max(tops)
below = min(bottoms)
print("ok" if abs(above - below) <= 0.5 else "above %.1f below %.1f" % (above, below))
PY
}
expect_eq "the seed's cover is balanced on the page" ok "$(balance "$WORK/seed.dump")"
run render samples/nongkhai-passing-2566.yaml --dump-layout -o "$WORK/logo.dump" 2>/dev/null
expect_eq "…and a cover with a logo" ok "$(balance "$WORK/logo.dump")"
(unset SOURCE_DATE_EPOCH; run render samples/sepholoe-2566.yaml --dump-layout -o "$WORK/nodate.dump" 2>/dev/null)
expect_eq "…and one without a date" ok "$(balance "$WORK/nodate.dump")"
run render samples/nongbua-2569.yaml --dump-layout -o "$WORK/2569.dump" 2>/dev/null
expect_eq "…and 2569's, whose title has four lines" ok "$(balance "$WORK/2569.dump")"
# The month and year: SOURCE_DATE_EPOCH 1700000000 is 14 November 2023, พ.ศ. 2566.
cover() { pdftotext -f 1 -l 1 "$1" - | tr -d ' \n'; }
check "cover: the month and year of SOURCE_DATE_EPOCH, in พ.ศ." has "พฤศจิกายน 2566" "$(cover "$WORK/seed.pdf")"
(unset SOURCE_DATE_EPOCH; run render "$SEED" -o "$WORK/noepoch.pdf" 2>/dev/null)
check "…none without it (never the clock)" bash -c '! [[ $1 =~ (มกราคม|กุมภาพันธ์|มีนาคม|เมษายน|พฤษภาคม|มิถุนายน|กรกฎาคม|สิงหาคม|กันยายน|ตุลาคม|พฤศจิกายน|ธันวาคม) ]]' _ "$(cover "$WORK/noepoch.pdf")"
signoff='report:
  office: สำนักปลัด
  date: 2567-03
  prepared_by: {name: นางสาวสมใจ ใจดี, position: นักวิเคราะห์นโยบายและแผน, date: 2567-03-15}
  approved_by: {name: นายสมชาย รักดี, position: นายกองค์การบริหารส่วนตำบลเสอเพลอ}'
{ cat "$SEED"; printf '%s\n' "$signoff"; } >"$WORK/signed.yaml"
run render "$WORK/signed.yaml" -o "$WORK/signed.pdf" 2>"$WORK/err"
c=$(cover "$WORK/signed.pdf")
check "cover: the issuing office above the agency" has "สำนักปลัดองค์การบริหารส่วนตำบลเสอเพลอ" "$c"
check "…and the input's month and year (not SOURCE_DATE_EPOCH's)" has "มีนาคม 2567" "$c"
t=$(flat "$WORK/signed.pdf")
check "sign-off: prepared by, name, position, date" has "ผู้จัดทำรายงาน (ลงชื่อ) ........................................ (นางสาวสมใจ ใจดี) ตำแหน่ง นักวิเคราะห์นโยบายและแผน วันที่ 15 มีนาคม 2567" "$t"
check "sign-off: approved by, without a date" has "ผู้อนุมัติรายงาน (ลงชื่อ) ........................................ (นายสมชาย รักดี) ตำแหน่ง นายกองค์การบริหารส่วนตำบลเสอเพลอ" "$t"
check "…the report ends with it" bash -c '[[ $1 == *"นายกองค์การบริหารส่วนตำบลเสอเพลอ" ]]' _ "$t"
check "no sign-off block without the input's" hasnt "ผู้จัดทำรายงาน" "$(flat "$WORK/seed.pdf")"
# A date that is not one: an error at the value, no PDF.
{ cat "$SEED"; printf 'report:\n  date: 2567-02-30\n'; } >"$WORK/baddate.yaml"
line=$(grep -n '  date: 2567-02-30' "$WORK/baddate.yaml" | cut -d: -f1)
msg=$(run render "$WORK/baddate.yaml" -o "$WORK/baddate.pdf" 2>&1); rc=$?
expect_eq "report.date 2567-02-30: an error at its line and column" \
  "$WORK/baddate.yaml:$line:9: error: date: '2567-02-30' is not a date YYYY-MM or YYYY-MM-DD with the year in พ.ศ. (2567-03 or 2567-03-15)" \
  "$(printf '%s\n' "$msg" | head -1)"
expect_eq "…exit 1 and no PDF" "1 no" "$rc $([ -e "$WORK/baddate.pdf" ] && echo yes || echo no)"
# `new` writes the sign-off, and the CSV header has its columns; a CSV row fills them.
run new -o "$WORK/skeleton.yaml" 2>/dev/null
check "new: the skeleton has the report's sign-off" grep -q '^  approved_by:' "$WORK/skeleton.yaml"
header=$(run new --csv)
check "new --csv: the sign-off's columns" bash -c '[[ $1 == *",report_office,report_date,prepared_by_name,prepared_by_position,prepared_by_date,approved_by_name,approved_by_position,approved_by_date"* ]]' _ "$header"
printf 'framework,fiscal_year,name,type,district,province,overall,report_date,prepared_by_name,approved_by_position\n' >"$WORK/signed.csv"
printf 'ita-2566,2566,องค์การบริหารส่วนตำบลทดสอบ,อบต.,เมือง,ขอนแก่น,90.10,2567-04,นางสาวสมใจ ใจดี,ปลัดองค์การบริหารส่วนตำบล\n' >>"$WORK/signed.csv"
run batch "$WORK/signed.csv" -o "$WORK/csvout" -j 1 --quiet 2>"$WORK/err"
pdf=$(ls "$WORK"/csvout/*.pdf | grep -v summary | head -1)
t=$(flat "$pdf")
check "CSV: the report's date on the cover" has "เมษายน 2567" "$(cover "$pdf")"
check "CSV: the sign-off from its columns" has "(นางสาวสมใจ ใจดี)" "$t"
check "…and the approver's position" has "ตำแหน่ง ปลัดองค์การบริหารส่วนตำบล" "$t"

# Column widths that fit: the question table's "เครื่องมือการประเมิน" header in two lines.
run render "$SEED" --dump-layout -o "$WORK/seed.dump" 2>/dev/null
# The first page of the seed's dump with a text item of exactly $1 (pages move with the layout).
page_of() { $DUMP items "$WORK/seed.dump" text | grep -m1 -F "$1" | awk '{print $1}'; }
expect_eq "the tool column's header takes two lines (เครื่องมือ / การประเมิน)" \
  "เครื่องมือ การประเมิน " "$($DUMP items "$WORK/seed.dump" text | awk -v p="$(page_of '"เครื่องมือ"')" '$1 == p' | grep -o '"เครื่องมือ"\|"การประเมิน"\|"การ"\|"ประเมิน"' | tr -d '"' | tr '\n' ' ')"
# One text size per table: the plan's pages (landscape) hold 13 pt cells and headers, the
# 18 pt heading and the 12 pt footer only; Part 1's pages 14 pt table text.
landscape=" $(awk '$1 == "page" && $3 > $4 {printf "%s ", $2}' "$WORK/seed.dump")"
check "the plan is on landscape pages" test "$landscape" != " "
sizes=$($DUMP items "$WORK/seed.dump" text | awk -v l="$landscape" 'index(l, " " $1 " ")' | grep -o 'size=[0-9.]*' | sort -u | tr '\n' ' ')
expect_eq "the plan table: one text size (13) besides the heading and footer" "size=12 size=13 size=18 " "$sizes"

# First-line indents of body paragraphs (1.25 cm), hanging indents of list items (the
# lines under an item at 1.1 cm, its number or dash hanging left of them by its own width):
# x of the lines read from the dump, and of the words from the PDF.
xs() { $DUMP items "$WORK/seed.dump" text | awk -v p="$1" '$1 == p' | grep -F "$2" | head -1 | grep -o ' x=[0-9.]*' | cut -c4-; }
left=85.04
expect_eq "a body paragraph's first line is indented 1.25 cm (35.43 pt)" "120.47" "$(xs 2 '"การวิเคราะห์ผลการประเมินระดับ')"
expect_eq "…its next line starts at the margin" "$left" "$(xs 2 '"(ITA) ขององค์การบริหารส่วนตำบลเสอเพลอ')"
limits_page=$(page_of '"1. ข้อจำกัดด้านบุคลากร')
expect_eq "a numbered item's second line is 1.1 cm in" "116.22" "$(xs "$limits_page" '"ทักษะ ทักษะ ความรับผิดชอบ"')"
# hangs PDF PAGE MARKER NEXT: whether the word after MARKER on its line starts where the
# line below, which starts with NEXT, does (to 0.3 pt).
hangs() {
  pdftotext -bbox -f "$2" -l "$2" "$1" - | python3 -c '
import re, sys
marker, below = sys.argv[1], sys.argv[2]
words = [(float(m[0]), float(m[1]), m[2]) for m in re.findall(r"<word xMin=\"([\d.]+)\" yMin=\"([\d.]+)\"[^>]*>([^<]*)</word>", sys.stdin.read())]
for i, (x, y, w) in enumerate(words[:-1]):
    if w == marker:
        text_x, text_y = words[i + 1][0], y
        under = [wx for wx, wy, ww in words if ww == below and wy > text_y + 5]
        print("ok" if under and abs(under[0] - text_x) <= 0.3 else "text at %.2f, line below at %s" % (text_x, under[:1]))
        break
else:
    print("no %s" % marker)' "$3" "$4"
}
expect_eq "…under the text after its number" ok "$(hangs "$WORK/seed.pdf" "$limits_page" "1." "ทักษะ")"
run render samples/thasala-history-2566.yaml -o "$WORK/thasala.pdf" 2>/dev/null
expect_eq "a dash item's second line is under the text after its dash" ok "$(hangs "$WORK/thasala.pdf" 3 "-" "คะแนน")"

# --digits thai: every digit the template (and the framework, and the wording) writes is
# Thai; only question ids and the input's own texts keep theirs.
arabic() { pdftotext "$1" - | LC_ALL=C grep -o '[a-z]*[0-9][0-9.]*' | LC_ALL=C grep -v '^[ieo][0-9]*$' | sort -u | tr '\n' ' '; }
run render "$WORK/noplan.yaml" --digits thai -o "$WORK/thai.pdf" 2>/dev/null
expect_eq "--digits thai: no Arabic digit but question ids (bankhai, default measures)" "" "$(arabic "$WORK/thai.pdf")"
t=$(flat "$WORK/thai.pdf")
check "…'ส่วนที่ ๑' of the template, 'รอบ ๖ เดือน' of the wording" bash -c '[[ $1 == *"ส่วนที่๑"* && $1 == *"รอบ๖เดือน"* ]]' _ "$t"
check "…the framework's part names in the table (EIT ส่วนที่ ๒)" has "- ส่วนที่ ๒" "$t"
check "…the question ids as they are" has "ข้อ o24 (การดำเนินการตาม" "$t"
run render "$SEED" --digits thai -o "$WORK/thai-seed.pdf" 2>/dev/null
left=$(pdftotext "$WORK/thai-seed.pdf" - | LC_ALL=C grep '[0-9]' | LC_ALL=C grep -v '[ieo][0-9]' | sed 's/^- //' | sort -u)
check "seed --digits thai: the Arabic digits left are the input's own text" bash -c '
  while IFS= read -r l; do grep -qF -- "$l" "$2" || { echo "not the input'"'"'s: $l"; exit 1; }; done <<<"$1"' _ "$left" "$SEED"

finish
