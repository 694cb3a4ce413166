#!/usr/bin/env bash
# End-to-end tests of the fiscal years 2567, 2568 and 2569: inputs at every level (overall
# only, tools with EIT parts, indicators) check and render with every section of the year's
# template, in Thai, extracted exactly; published figures are the official ones (85.00 over
# a recomputed 84.99, an error 0.70 away and no PDF, the seed's 84.1 printed as 84.14); the
# per-tool label rule (FY2568 94.64 with EIT 84.80 is ผ่าน); no claim about questions without
# question scores; a three-year history's changes with their signs; a new year made by
# copying a folder renders without a rebuild; templates that extend others.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
export ITAREPORT_DATA="$E2E_ROOT"

# flat PDF: the text without line breaks, spaces and footers (a line break between Thai
# words adds no space, one at a space consumes it; a paragraph may continue past a footer); has NEEDLE FLAT: the needle, spaces removed, is in it.
flat() { pdftotext "$1" - 2>/dev/null | grep -v '^หน้า [0-9]* / [0-9]*$' | tr -d '\f\n '; }
has() { local n=${1// /}; [[ $2 == *"$n"* ]]; }
export -f has

agency='agency: {name: องค์การบริหารส่วนตำบลทดสอบ, type: อบต., district: เมือง, province: ขอนแก่น}'
indicators='  indicators: {1: 95.10, 2: 92.40, 3: 93.00, 4: 91.25, 5: 94.30, 6: 90.05, 7: 88.40, 8: 86.10, 9: 96.25, 10: 93.75}'
for year in 2567 2568 2569; do
  fw=ita-$year
  printf 'framework: %s\nfiscal_year: %s\n%s\nscores:\n  overall: 92.40\n  label: ผ่านดี\n' "$fw" "$year" "$agency" >"$WORK/$year-overall.yaml"
  printf 'framework: %s\nfiscal_year: %s\n%s\nscores:\n  tools: {iit: 93.10, eit: 88.20, eit_part1: 87.40, eit_part2: 89.00, oit: 95.00}\n' "$fw" "$year" "$agency" >"$WORK/$year-tools.yaml"
  printf 'framework: %s\nfiscal_year: %s\n%s\nscores:\n%s\nhistory:\n  - {fiscal_year: %s, overall: 90.00, iit: 92.00, eit: 89.50, oit: 89.00, indicators: {1: 94.00, 8: 87.00}}\n' \
    "$fw" "$year" "$agency" "$indicators" $((year - 1)) >"$WORK/$year-indicators.yaml"
  for level in overall tools indicators; do
    in="$WORK/$year-$level.yaml"
    run check "$in" --json >"$WORK/$year-$level.json" 2>"$WORK/err"; rc=$?
    expect_eq "$year $level: check exit 0" 0 "$rc"
    run render "$in" -o "$WORK/$year-$level.pdf" 2>"$WORK/err"; rc=$?
    expect_eq "$year $level: render exit 0" 0 "$rc"
    t=$(flat "$WORK/$year-$level.pdf")
    check "$year $level: no placeholder left" bash -c "! has '{{' \"\$1\"" _ "$t"
    check "$year $level: the cover names the year" has "ในปีงบประมาณ พ.ศ. $year" "$t"
    check "$year $level: the results" has "ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงาน" "$t"
    check "$year $level: Part 3, the limitations" has "ส่วนที่ 3 การวิเคราะห์ข้อจำกัดของหน่วยงาน" "$t"
    if [ "$year" = 2567 ]; then
      check "$year $level: Part 1, the analysis (the 2566 structure)" has "ส่วนที่ 1 ข้อมูลรายละเอียดการวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. 2567" "$t"
      check "$year $level: Part 2, putting it into practice" has "ส่วนที่ 2 การนำผลการวิเคราะห์ไปสู่การปฏิบัติ ในปีงบประมาณ พ.ศ. 2568" "$t"
    else
      check "$year $level: Part 1, every indicator (O25)" has "ส่วนที่ 1 การวิเคราะห์ผลการประเมิน ITA ประจำปีงบประมาณ พ.ศ. $year รายตัวชี้วัด" "$t"
      check "$year $level: Part 2, the indicator chosen and its measures" has "ส่วนที่ 2 ตัวชี้วัดที่เลือกและมาตรการเพื่อพัฒนาองค์กร ในปีงบประมาณ พ.ศ. $((year + 1))" "$t"
    fi
    check "$year $level: no claim about questions" bash -c "! has 'ไม่มีข้อคำถามใด' \"\$1\"" _ "$t"
  done
  t=$(flat "$WORK/$year-overall.pdf")
  check "$year overall only: the overall and the published label" has "มีคะแนน 92.40 คะแนน ระดับ A อยู่ในระดับ ผ่านดี" "$t"
  check "$year overall only: nothing said of indicators" has "ข้อมูลที่ใช้จัดทำรายงานนี้ไม่มีคะแนนรายตัวชี้วัด" "$t"
  t=$(flat "$WORK/$year-tools.pdf")
  # 0.3 x 93.10 + 0.3 x 88.20 + 0.4 x 95.00 = 92.39; every tool at 85 or more: ผ่านดี.
  check "$year tools: the overall from the tools, label ผ่านดี" has "มีคะแนน 92.39 คะแนน ระดับ A อยู่ในระดับ ผ่านดี" "$t"
  check "$year tools: EIT parts printed" has "ส่วนที่ 187.40" "$t"
  t=$(flat "$WORK/$year-indicators.pdf")
  check "$year indicators: each indicator analysed" has "ตัวชี้วัดที่ 8 การปรับปรุงการทำงาน (EIT) ได้คะแนน 86.10 คะแนน ผ่านเกณฑ์" "$t"
  check "$year indicators: against last year, up" has "เพิ่มขึ้น 1.10 คะแนนจากปีงบประมาณ พ.ศ. $((year - 1)) (94.00 คะแนน)" "$t"
  check "$year indicators: against last year, down" has "ได้คะแนน 86.10 คะแนน ผ่านเกณฑ์ (85.00 คะแนนขึ้นไป) ลดลง 0.90 คะแนนจากปีงบประมาณ" "$t"
done
# The O25 years choose the lowest indicator; without indicator scores check warns.
t=$(flat "$WORK/2568-indicators.pdf")
check "2568: the lowest indicator is chosen" has "หน่วยงานเลือกตัวชี้วัดที่ 8 การปรับปรุงการทำงาน ซึ่งได้คะแนน 86.10 คะแนน และเป็นตัวชี้วัดที่มีคะแนนต่ำที่สุด" "$t"
run check "$WORK/2569-tools.yaml" >/dev/null 2>"$WORK/err"
expect_eq "2569 tools only: check warns that no indicator can be chosen" \
  "$WORK/2569-tools.yaml: warning: no indicator scores and no focus.indicator: the report cannot name the indicator chosen for measures" \
  "$(cat "$WORK/err")"
check "2569 tools only: the report says so" has "ไม่สามารถระบุตัวชี้วัดที่จะกำหนดมาตรการได้" "$(flat "$WORK/2569-tools.pdf")"
check "2569: the cover names O25" has "การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร" "$(flat "$WORK/2569-tools.pdf")"
check "2568: the cover does not name O25" bash -c "! has 'การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร' \"\$1\"" _ "$(flat "$WORK/2568-tools.pdf")"

# --- the label rule and what cannot be determined -----------------------------------------
printf 'framework: ita-2568\nfiscal_year: 2568\n%s\nscores:\n  tools: {iit: 97.50, eit: 84.80, oit: 99.88}\n  overall: 94.64\n' "$agency" >"$WORK/sao.yaml"
json=$(run check "$WORK/sao.yaml" --json 2>/dev/null)
field() { printf '%s\n' "$json" | sed -n "s/^  \"$1\": \(.*\),\{0,1\}$/\1/p" | sed 's/,$//'; }
expect_eq "FY2568 94.64, EIT 84.80, IIT and OIT above 97: ผ่าน" '94.64 "A" "ผ่าน" true' \
  "$(field overall) $(field grade) $(field label) $(field passed)"
run render "$WORK/sao.yaml" -o "$WORK/sao.pdf" 2>/dev/null
check "…and the report says ผ่าน" has "มีคะแนน 94.64 คะแนน ระดับ A อยู่ในระดับ ผ่าน ซึ่ง" "$(flat "$WORK/sao.pdf")"
printf 'framework: ita-2568\nfiscal_year: 2568\n%s\nscores:\n  overall: 94.64\n' "$agency" >"$WORK/only.yaml"
json=$(run check "$WORK/only.yaml" --json 2>/dev/null)
expect_eq "overall only, no label given: the label is undetermined" 'null true' "$(field label) $(field label_undetermined)"
run render "$WORK/only.yaml" -o "$WORK/only.pdf" 2>/dev/null
check "…the report says it cannot be determined" has "ไม่สามารถระบุได้จากข้อมูลที่ได้รับ เนื่องจากต้องใช้คะแนนของทุกเครื่องมือการประเมิน" "$(flat "$WORK/only.pdf")"

# --- published figures are the official ones ---------------------------------------------
# (an action plan given: without one check warns that Part 2 holds only default measures)
printf 'framework: ita-2566\nfiscal_year: 2566\n%s\nscores:\n  tools: {iit: 84.99, eit: 84.99, oit: 84.99}\n  overall: 85.00\naction_plan:\n  - {area: 1, responsible: สำนักปลัด}\n' "$agency" >"$WORK/85.yaml"
run check "$WORK/85.yaml" --json >"$WORK/85.json" 2>"$WORK/err"; rc=$?
json=$(cat "$WORK/85.json")
expect_eq "published 85.00 over a recomputed 84.99: silent" "0:" "$rc:$(cat "$WORK/err")"
expect_eq "…85.00, A, passed" '85.00 "A" true 84.99' "$(field overall) $(field grade) $(field passed) $(field overall_computed)"
run render "$WORK/85.yaml" -o "$WORK/85.pdf"
t=$(flat "$WORK/85.pdf")
check "…the report prints 85.00, A, passed" has "มีคะแนน 85.00 คะแนน ระดับ A อยู่ในระดับ ผ่าน ซึ่งผ่านเกณฑ์การประเมิน" "$t"
check "…and not 84.99" bash -c "! has '84.99 คะแนน ระดับ' \"\$1\"" _ "$t"

sed 's/^  overall: 84.1 .*/  overall: 84.84/' samples/sepholoe-2566.yaml >"$WORK/far.yaml"
line=$(grep -n '^  overall: 84.84' "$WORK/far.yaml" | cut -d: -f1)
run check "$WORK/far.yaml" >/dev/null 2>"$WORK/err"; rc=$?
expect_eq "published overall 0.70 away: an error naming both figures" \
  "1:$WORK/far.yaml:$line:12: error: published overall 84.84 differs from 84.14, computed from the tools iit, eit and oit, by 0.70: one of them is mistyped" \
  "$rc:$(head -1 "$WORK/err")"
run render "$WORK/far.yaml" -o "$WORK/far.pdf" 2>/dev/null; rc=$?
expect_eq "…render exits 1" 1 "$rc"
check "…and writes no PDF" test ! -e "$WORK/far.pdf"
run render samples/sepholoe-2566.yaml -o "$WORK/seed.pdf"
check "the seed (published 84.1) still prints 84.14" has "มีคะแนน 84.14 คะแนน ระดับ B อยู่ในระดับ ต้องปรับปรุง" "$(flat "$WORK/seed.pdf")"

# --- only what the data shows ------------------------------------------------------------
sed -n '1,/^scores:/p' samples/sepholoe-2566.yaml >"$WORK/ind66.yaml"
sed -n '/^  indicators:/,/^    10:/p' samples/sepholoe-2566.yaml >>"$WORK/ind66.yaml"
run render "$WORK/ind66.yaml" -o "$WORK/ind66.pdf"
t=$(flat "$WORK/ind66.pdf")
check "2566 indicator level: no sentence says no question is below the pass mark" \
  bash -c "! has 'ไม่มีข้อคำถามใดที่มีค่าคะแนนต่ำกว่าเกณฑ์ผ่าน' \"\$1\"" _ "$t"
expect_eq "…each of the seven areas says its question scores are not given" 7 \
  "$(grep -o 'ไม่มีคะแนนรายข้อคำถามของประเด็นนี้' <<<"$t" | wc -l)"
check "…and no claim that the agency has no earlier years" has "ข้อมูลที่ใช้จัดทำรายงานนี้ไม่มีผลการประเมินของปีงบประมาณก่อนหน้า" "$t"

# --- change against earlier years, with signs --------------------------------------------
run render samples/nongbua-2569.yaml -o "$WORK/nb.pdf"
t=$(flat "$WORK/nb.pdf")
check "three-year history: the overall fell" has "คะแนนรวมลดลง 0.51 คะแนน (จาก 91.32 เป็น 90.81 คะแนน)" "$t"
check "…IIT rose, with its sign" has "(IIT) เพิ่มขึ้น 0.64 คะแนน (+0.64) จาก 92.10 เป็น 92.74 คะแนน" "$t"
check "…EIT fell, with its sign" has "(EIT) ลดลง 1.12 คะแนน (-1.12) จาก 87.45 เป็น 86.33 คะแนน" "$t"
check "…OIT fell, with its sign" has "(OIT) ลดลง 0.92 คะแนน (-0.92) จาก 93.63 เป็น 92.71 คะแนน" "$t"
check "…the history chart prints its values" bash -c "pdftotext -f 3 -l 3 '$WORK/nb.pdf' - | grep -q '^84.55$'"
check "…every year in the table" has "พ.ศ. 256688.3080.1285.0084.55พ.ศ. 256790.0584.9090.5588.71" "$t"
json=$(run check samples/nongbua-2569.yaml --json)
expect_eq "…check gives the changes against 2568 with their signs" "-0.51 0.64 -1.12 -0.92" \
  "$(python3 -c 'import json,sys; c=json.load(sys.stdin)["history"][0]["change"]; print("%.2f %.2f %.2f %.2f" % (c["overall"], c["iit"], c["eit"], c["oit"]))' <<<"$json")"

# --- a new year by copying a folder, no rebuild ------------------------------------------
D=$WORK/data
mkdir -p "$D/templates"
ln -s "$E2E_ROOT/fonts" "$D/fonts"
cp -r templates/ita-2566 templates/ita-2567 templates/ita-2568 templates/ita-2569 "$D/templates/"
cp -r templates/ita-2569 "$D/templates/ita-2570"
sed -i 's/^id: ita-2569/id: ita-2570/; s/^fiscal_year: 2569/fiscal_year: 2570/; s/ประจำปีงบประมาณ พ.ศ. 2569$/ประจำปีงบประมาณ พ.ศ. 2570/' "$D/templates/ita-2570/framework.yaml"
sed 's/^framework: ita-2569/framework: ita-2570/; s/^fiscal_year: 2569/fiscal_year: 2570/' samples/nongbua-2569.yaml >"$WORK/2570.yaml"
ITAREPORT_DATA=$D run render "$WORK/2570.yaml" -o "$WORK/2570.pdf" 2>"$WORK/err"; rc=$?
expect_eq "FY2570 copied from ita-2569 renders" "0:" "$rc:$(cat "$WORK/err")"
t=$(flat "$WORK/2570.pdf")
check "…its cover names 2570" has "ในปีงบประมาณ พ.ศ. 2570" "$t"
check "…Part 2 is for 2571" has "มาตรการเพื่อพัฒนาองค์กร ในปีงบประมาณ พ.ศ. 2571" "$t"
ITAREPORT_DATA=$D run new -o "$WORK/new2570.yaml"
check "…and new defaults to it" grep -q '^framework: ita-2570' "$WORK/new2570.yaml"

# --- templates that extend others ---------------------------------------------------------
T=$D/templates/ita-2566x
mkdir -p "$T"
cp templates/ita-2566/framework.yaml "$T/"
sed -i 's/^id: ita-2566/id: ita-2566x/' "$T/framework.yaml"
cat >"$T/report.yaml" <<'EOF'
extends: ita-2566
blocks:
  indicator_table:
    table:
      columns: [{width: 3cm}, {width: auto}, {width: 3cm}]
sections:
  - name: part2
    remove: true
  - name: note
    after: summary
    blocks:
      - paragraph: "หมายเหตุทดสอบของปีที่ขยายแม่แบบ"
EOF
sed 's/^framework: ita-2566/framework: ita-2566x/' samples/sepholoe-2566.yaml >"$WORK/x.yaml"
ITAREPORT_DATA=$D run render "$WORK/x.yaml" -o "$WORK/x.pdf" 2>"$WORK/err"; rc=$?
expect_eq "a template extending ita-2566 renders" "0:" "$rc:$(cat "$WORK/err")"
t=$(flat "$WORK/x.pdf")
check "…with its own section" has "หมายเหตุทดสอบของปีที่ขยายแม่แบบ" "$t"
check "…without the section it removes" bash -c "! has 'ส่วนที่ 2 การนำผลการวิเคราะห์แต่ละประเด็น' \"\$1\"" _ "$t"
check "…and the base's other sections" has "ส่วนที่ 3 การวิเคราะห์ข้อจำกัดของหน่วยงาน" "$t"
sed -i 's/^  indicator_table:/  indicator_tabel:/' "$T/report.yaml"
ITAREPORT_DATA=$D run render "$WORK/x.yaml" -o "$WORK/x2.pdf" 2>"$WORK/err"; rc=$?
expect_eq "an unknown block id is an error at its place" \
  "1:$T/report.yaml:3:3: error: the base template has no block with id 'indicator_tabel'" "$rc:$(head -1 "$WORK/err")"
check "…and no PDF" test ! -e "$WORK/x2.pdf"
printf 'extends: ita-2599\nsections: []\n' >"$T/report.yaml"
ITAREPORT_DATA=$D run render "$WORK/x.yaml" -o "$WORK/x3.pdf" 2>"$WORK/err"; rc=$?
check "extending an unknown folder: exit 1" test "$rc" -eq 1
check "…names the folder at its place" grep -qF "$T/report.yaml:1:10: error: cannot use the template 'ita-2599' that this one extends" "$WORK/err"
printf 'extends: ita-2566x\n' >"$T/report.yaml"
ITAREPORT_DATA=$D run render "$WORK/x.yaml" -o "$WORK/x4.pdf" 2>"$WORK/err"; rc=$?
check "a template extending itself: exit 1, no hang" test "$rc" -eq 1
check "…said" grep -qF "templates extend each other more than 8 deep (a loop?)" "$WORK/err"

# An EIT given as one figure (no part scores) still has its bar in the tools chart.
run render samples/nongbua-2569.yaml -o "$WORK/nb.pdf" 2>/dev/null
expect_eq "EIT without parts: its figure in the table and on its bar" 2 \
  "$(pdftotext -f 2 -l 2 "$WORK/nb.pdf" - | grep -c '^86\.33$')"

finish
