#!/usr/bin/env bash
# Slips that would make a wrong report (issue 15 item 3): question ids in capitals, a place
# typed with its prefix, a province that is not one of the 77, an action-plan entry left
# empty, and the skeleton of `new` left as it is in Part 2.
. "$(dirname "$0")/lib.sh"
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml

# --- question ids in any case -------------------------------------------------------------
sed 's/^\(    \)i13: /\1I13: /; s/^\(    \)i19: /\1I19: /; s/^\(    \)e7: /\1E7: /; s/^  3: \[e7, e10\]/  3: [E7, e10]/' "$SEED" > "$WORK/caps.yaml"
check "the input has ids in capitals" grep -q '^    I13: ' "$WORK/caps.yaml"
expect_eq "ids in capitals give the analysis of the lower-case ones" "$(run check "$SEED")" "$(run check "$WORK/caps.yaml")"
sed 's/^\(    \)i13: \(.*\)/\1i13: \2\n\1I13: \2/' "$SEED" > "$WORK/twice.yaml"
line=$(grep -n '^    I13: ' "$WORK/twice.yaml" | cut -d: -f1)
expect_status "i13 and I13 both given is an error" 1 run check "$WORK/twice.yaml"
check "…told at the second" bash -c "run check '$WORK/twice.yaml' 2>&1 | grep -q '^$WORK/twice.yaml:$line:5: error: question i13 is given twice'"

# --- a place typed with its prefix is printed once -------------------------------------------
sed 's/^  district: กุมภวาปี/  district: อำเภอกุมภวาปี/; s/^  province: อุดรธานี/  province: จังหวัดอุดรธานี/; s/^  subdistrict: เสอเพลอ/  subdistrict: ตำบลเสอเพลอ/' "$SEED" > "$WORK/prefix.yaml"
check "the input has the prefixes" grep -q 'district: อำเภอกุมภวาปี' "$WORK/prefix.yaml"
run render "$SEED" -o "$WORK/seed.pdf"
expect_status "an input with prefixes renders" 0 run render "$WORK/prefix.yaml" -o "$WORK/prefix.pdf"
check "no doubled prefix in the report" bash -c "! pdftotext '$WORK/prefix.pdf' - | grep -q 'อำเภออำเภอ\|จังหวัดจังหวัด\|ตำบลตำบล'"
expect_eq "the same report text as without the prefixes" "$(pdftotext "$WORK/seed.pdf" - | grep -v '^$')" "$(pdftotext "$WORK/prefix.pdf" - | grep -v '^$')"

# --- Bangkok: เขต, and no จังหวัด before กรุงเทพมหานคร -------------------------------------------
sed 's/^  district: กุมภวาปี/  district: เขตบางรัก/; s/^  province: อุดรธานี/  province: กรุงเทพมหานคร/; s/^  subdistrict: เสอเพลอ/  subdistrict: แขวงสีลม/' "$SEED" > "$WORK/bkk.yaml"
expect_status "a Bangkok agency renders" 0 run render "$WORK/bkk.yaml" -o "$WORK/bkk.pdf"
pdftotext "$WORK/bkk.pdf" "$WORK/bkk.txt"
check "the cover says เขตบางรัก กรุงเทพมหานคร" grep -qx 'เขตบางรัก กรุงเทพมหานคร' "$WORK/bkk.txt"
check "never อำเภอบางรัก, เขตเขต or จังหวัดกรุงเทพมหานคร" bash -c "! grep -q 'อำเภอบางรัก\|เขตเขต\|จังหวัดกรุงเทพมหานคร' '$WORK/bkk.txt'"
check "the seed's cover still says อำเภอ... จังหวัด..." bash -c "pdftotext '$WORK/seed.pdf' - | grep -qx 'อำเภอกุมภวาปี จังหวัดอุดรธานี'"
for y in 2567 2568 2569; do
  s=$(ls "$E2E_ROOT"/samples/*-$y.yaml | head -1)
  sed 's/^  district: .*/  district: บางรัก/; s/^  province: .*/  province: กรุงเทพมหานคร/' "$s" > "$WORK/bkk-$y.yaml"
  run render "$WORK/bkk-$y.yaml" -o "$WORK/bkk-$y.pdf"
  check "$y (extending 2566): เขตบางรัก กรุงเทพมหานคร" bash -c "pdftotext '$WORK/bkk-$y.pdf' - | grep -q 'เขตบางรัก กรุงเทพมหานคร'"
done

# --- a province that is not one of the 77 -----------------------------------------------------
check "templates/places.yaml lists 77 provinces" test "$(sed -n '/^provinces:/,$p' "$E2E_ROOT/templates/places.yaml" | grep -c '^  - ')" -eq 77
sed 's/^  province: อุดรธานี/  province: ขอนเเก่น/' "$SEED" > "$WORK/ee.yaml"
line=$(grep -n '^  province: ' "$WORK/ee.yaml" | cut -d: -f1)
expect_status "ขอนเเก่น (two SARA E) is an error" 1 run render "$WORK/ee.yaml" -o "$WORK/ee.pdf"
check "…and no PDF" test ! -e "$WORK/ee.pdf"
expect_eq "…with the suggestion" "$WORK/ee.yaml:$line:13: error: 'ขอนเเก่น' is not one of Thailand's 77 provinces: it has เเ (SARA E typed twice) where แ belongs (did you mean 'ขอนแก่น'?)" "$(run check "$WORK/ee.yaml" 2>&1 | head -1)"
sed 's/^  province: อุดรธานี/  province: อุดรธาน/' "$SEED" > "$WORK/near.yaml"
check "a near miss is told the nearest" bash -c "run check '$WORK/near.yaml' 2>&1 | grep -q \"'อุดรธาน' is not one of Thailand's 77 provinces (did you mean 'อุดรธานี'?)\""
sed 's/^  province: อุดรธานี/  province: Atlantis/' "$SEED" > "$WORK/far.yaml"
expect_status "a province far from any is an error too" 1 run check "$WORK/far.yaml"

# --- an action-plan entry left empty; the skeleton's Part 2 ------------------------------------
python3 - "$SEED" "$WORK/noplan.yaml" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
head, rest = text.split("\naction_plan:", 1)
rest = re.split(r"\n(?=[a-z_]+:)", rest, 1)
open(sys.argv[2], "w", encoding="utf-8").write(head + "\n" + (rest[1] if len(rest) > 1 else ""))
PY
check "the seed without its action plan" bash -c "! grep -q '^action_plan:' '$WORK/noplan.yaml'"
run new --framework ita-2566 -o "$WORK/skeleton.yaml"
awk -f "$E2E_ROOT/tests/e2e/fill.awk" "$WORK/noplan.yaml" "$WORK/skeleton.yaml" > "$WORK/filled.yaml"
check "the filled skeleton keeps its 7 empty measures" test "$(grep -c '^  - area: ' "$WORK/filled.yaml")" -ge 7
run check "$WORK/filled.yaml" > /dev/null 2> "$WORK/filled.err"
expect_eq "each empty measure is a warning" 7 "$(grep -c 'warning: measure [0-9] of the action plan is left empty' "$WORK/filled.err")"
run render "$WORK/noplan.yaml" -o "$WORK/noplan.pdf"
expect_status "the filled skeleton renders" 0 run render "$WORK/filled.yaml" -o "$WORK/filled.pdf"
part2() { pdftotext "$1" - | sed -n '/ส่วนที่ 2/,/ส่วนที่ 3/p' | grep -v '^$' | grep -v 'หน้า [0-9]'; }
check "Part 2 of the template's measures is there" test "$(part2 "$WORK/noplan.pdf" | wc -l)" -gt 10
expect_eq "the skeleton left as it is gives the template's Part 2" "$(part2 "$WORK/noplan.pdf")" "$(part2 "$WORK/filled.pdf")"
finish
