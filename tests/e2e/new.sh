#!/usr/bin/env bash
# End-to-end tests of `itareport new`: the skeleton names every question of the framework,
# parses, and once filled with a sample's numbers gives the sample's analysis exactly.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
export ITAREPORT_DATA="$E2E_ROOT"

expect_status "new writes a file" 0 run new --framework ita-2566 -o "$WORK/skeleton.yaml"
for id in i1 i30 e1 e15 o1 o43; do
  check "skeleton lists $id" grep -q "^    $id: " "$WORK/skeleton.yaml"
done
expect_eq "skeleton has all 88 questions" 88 "$(grep -cE '^    [ieo][0-9]+: ' "$WORK/skeleton.yaml")"
check "skeleton is commented in Thai" grep -q '# ชื่อหน่วยงานเต็ม' "$WORK/skeleton.yaml"
check "skeleton carries question texts" grep -q 'i8: .*# การมีส่วนร่วมในกระบวนการงบประมาณ' "$WORK/skeleton.yaml"

# Unfilled, the skeleton parses: the only complaints are the empty required fields.
run check "$WORK/skeleton.yaml" >/dev/null 2>"$WORK/err"; rc=$?
expect_eq "empty skeleton: exit 1" 1 "$rc"
expect_eq "empty skeleton: only the agency's required fields" \
  "name type district province" \
  "$(sed -n "s/.*error: '\([a-z_]*\)' in agency is empty; it is required/\1/p" "$WORK/err" | tr '\n' ' ' | sed 's/ $//')"
expect_eq "empty skeleton: nothing else" 4 "$(grep -c ": error: " "$WORK/err")"
# 4 errors (the agency's required fields) and 7 warnings (the measures left empty)
expect_eq "empty skeleton: every message shows its line" 11 "$(grep -c "^    *^$" "$WORK/err")"

# Filled with the seed's numbers, it gives the seed's analysis.
awk -f tests/e2e/fill.awk samples/sepholoe-2566.yaml "$WORK/skeleton.yaml" >"$WORK/filled.yaml"
run check samples/sepholoe-2566.yaml --json >"$WORK/want.json"
run check "$WORK/filled.yaml" --json >"$WORK/got.json" 2>"$WORK/err"; rc=$?
expect_eq "filled skeleton: exit 0" 0 "$rc"
expect_eq "filled skeleton: no messages" "" "$(cat "$WORK/err")"
expect_eq "filled skeleton: same analysis as the sample" "$(cat "$WORK/want.json")" "$(cat "$WORK/got.json")"
check "filled skeleton: overall 84.14" grep -q '"overall": 84.14,' "$WORK/got.json"

# Every sample round-trips the same way.
for s in samples/*.yaml; do
  fw=$(sed -n 's/^framework: *//p' "$s")
  run new --framework "$fw" -o "$WORK/s.yaml" --force
  awk -f tests/e2e/fill.awk "$s" "$WORK/s.yaml" >"$WORK/s-filled.yaml"
  expect_eq "round trip $(basename "$s")" "$(run check "$s" --json 2>&1)" \
    "$(run check "$WORK/s-filled.yaml" --json 2>&1 | sed "s|$WORK/s-filled.yaml|$s|g")"
done

# Provisional years: no question ids; 2568 and 2569 list their 26 OIT items (outside the
# scoring chain), an unknown name marked as such, never invented.
expect_status "new ita-2568" 0 run new --framework ita-2568 -o "$WORK/2568.yaml"
check "2568 skeleton says provisional" grep -q 'provisional' "$WORK/2568.yaml"
expect_eq "2568 skeleton has no IIT/EIT question ids" 0 "$(grep -cE '^    [ie][0-9]+: ' "$WORK/2568.yaml")"
expect_eq "2568 skeleton lists the 26 OIT items" 26 "$(grep -cE '^    o[0-9]+: ' "$WORK/2568.yaml")"
check "2568 skeleton: o12 named" grep -q '^    o12: .*# รายการการจัดซื้อจัดจ้างหรือการจัดหาพัสดุ และความก้าวหน้า' "$WORK/2568.yaml"
check "2568 skeleton: o25 unnamed" grep -q '^    o25: .*# (ยังไม่ทราบชื่อข้อ)' "$WORK/2568.yaml"
check "2568 skeleton: the focus block" grep -q '^focus:' "$WORK/2568.yaml"
expect_status "new ita-2569" 0 run new --framework ita-2569 -o "$WORK/2569.yaml"
check "2569 skeleton: o25 is the ITA-results item" grep -q '^    o25: .*# การนำผลการประเมิน ITA ไปสู่การพัฒนาองค์กร' "$WORK/2569.yaml"
expect_eq "2567 skeleton has no item ids" 0 \
  "$(run new --framework ita-2567 | grep -cE '^    [ieo][0-9]+: ')"
expect_status "default framework is the newest installed" 0 run new -o "$WORK/default.yaml"
check "default framework is ita-2569" grep -q '^framework: ita-2569' "$WORK/default.yaml"
# A skeleton's items accept scores and check shows them, outside every figure.
sed -e 's/^  name: .*/  name: ทดสอบ/; s/^  type: .*/  type: อบต./; s/^  district: .*/  district: ก/; s/^  province: .*/  province: ขอนแก่น/' \
  -e 's/^    o25: .*/    o25: 100/; s/^  overall: .*/  overall: 92.50/; s/^  label: .*/  label: ผ่าน/' \
  "$WORK/2569.yaml" >"$WORK/2569-filled.yaml"
run check "$WORK/2569-filled.yaml" >"$WORK/out" 2>"$WORK/err"; rc=$?
expect_eq "filled 2569 overall-only skeleton: exit 0" 0 "$rc"
check "filled 2569: item shown outside the chain" grep -q '^  o25 *100.00  การนำผลการประเมิน ITA' "$WORK/out"
check "filled 2569: overall and published label" grep -q '^Overall     92.50  grade A  ผ่าน  passed' "$WORK/out"
check "new to stdout" sh -c "\"$ITAREPORT\" new --framework ita-2567 | grep -q '^framework: ita-2567'"

# Errors.
run new --framework ita-2599 -o "$WORK/x.yaml" 2>"$WORK/err"; rc=$?
expect_eq "unknown framework: exit 1" 1 "$rc"
expect_eq "unknown framework: message" \
  "itareport: error: unknown framework 'ita-2599' (known: ita-2566, ita-2567, ita-2568, ita-2569)" "$(cat "$WORK/err")"
check "unknown framework: no file left" test ! -e "$WORK/x.yaml"
expect_status "new --framework ../x is refused" 1 run new --framework ../ita-2566 -o "$WORK/y.yaml" 2>/dev/null
expect_status "usage: stray argument" 2 run new foo 2>/dev/null
expect_status "usage: -o without file" 2 run new -o 2>/dev/null
expect_status "cannot write into a folder" 1 run new -o "$WORK" --force 2>/dev/null
check "help has an example" sh -c "\"$ITAREPORT\" help new | grep -q 'itareport new --framework ita-2566 -o'"

finish
