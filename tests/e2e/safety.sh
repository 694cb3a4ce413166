#!/usr/bin/env bash
# No way to lose work: `new -o` over an existing (filled) file, `render X -o X` (also through
# a link), and `render -` without -o all refuse, leave every file as it was and exit
# non-zero; `check -` reads standard input.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"

run new -o "$WORK/a.yaml" 2>/dev/null
echo "# my filled answers" >>"$WORK/a.yaml"
cp "$WORK/a.yaml" "$WORK/a.before"
run new -o "$WORK/a.yaml" 2>"$WORK/err"; rc=$?
expect_eq "new -o over a filled file: exit 1" 1 "$rc"
check "new -o over a filled file: the file is untouched" cmp -s "$WORK/a.yaml" "$WORK/a.before"
check "new -o over a filled file: says how to overwrite" grep -q -- "--force" "$WORK/err"
expect_status "new -o FILE --force overwrites" 0 run new -o "$WORK/a.yaml" --force
check "new --force: a fresh skeleton" bash -c "! grep -q 'my filled answers' '$WORK/a.yaml'"
expect_status "new --output=FILE (getopt_long)" 0 run new --output="$WORK/b.yaml"
expect_status "new with a stray argument: usage error" 2 run new stray

cp samples/sepholoe-2566.yaml "$WORK/s.yaml"
run render "$WORK/s.yaml" -o "$WORK/s.yaml" 2>"$WORK/err"; rc=$?
expect_eq "render X -o X: exit 1" 1 "$rc"
check "render X -o X: the input is untouched" cmp -s "$WORK/s.yaml" samples/sepholoe-2566.yaml
ln -s s.yaml "$WORK/link.yaml"
run render "$WORK/s.yaml" -o "$WORK/link.yaml" 2>/dev/null; rc=$?
expect_eq "render X -o LINK-TO-X: exit 1" 1 "$rc"
check "render X -o LINK-TO-X: the input is untouched" cmp -s "$WORK/s.yaml" samples/sepholoe-2566.yaml
run render "$WORK/link.yaml" -o "$WORK/./s.yaml" 2>/dev/null; rc=$?
expect_eq "render LINK -o X spelled otherwise: exit 1" 1 "$rc"
(cd "$WORK" && $ITAREPORT_WRAPPER "$ITAREPORT" render - <s.yaml >/dev/null 2>"$WORK/err"); rc=$?
expect_eq "render - without -o: usage error" 2 "$rc"
check "render - without -o: no file named -.pdf" test ! -e "$WORK/-.pdf"
run render - -o "$WORK/stdin.pdf" <"$WORK/s.yaml"; rc=$?
expect_eq "render - -o FILE reads standard input" 0 "$rc"

out=$(run check - <samples/sepholoe-2566.yaml); rc=$?
expect_eq "check - reads standard input" 0 "$rc"
check "check -: the analysis" grep -q 'ต้องปรับปรุง' <<<"$out"
err=$(run check - <tests/data/bad/score-140.yaml 2>&1 >/dev/null)
check "check -: messages name standard input with the position" grep -q '^-:10:9: error: score 140' <<<"$err"

finish
