#!/usr/bin/env bash
# End-to-end line breaking: the hand-written hard cases of tests/data/breaks.txt laid out by
# `itareport text` at the full measure and at table-width measures down to 3 cm. At every
# measure no line may end at a forbidden ('#') point and every line must fit.
# `itareport text` sets A4 with fixed margins (measure 453.54 pt between x = 85.04 and
# x = 538.58), so a measure of M cm for 16 pt text is emulated with a size of
# 16 * 453.54 / (M * 28.35) pt: line breaking depends only on measure / size.
. "$(dirname "$0")/lib.sh"
CASES=$E2E_ROOT/tests/data/breaks.txt
TOOLS=$E2E_ROOT/tests/tools
RIGHT=538.58 # 595.28 - 56.69: the right margin

# The cases one per paragraph, and joined six at a time into paragraphs that break often.
python3 "$TOOLS/breakcheck.py" join "$CASES" 6 "$WORK/joined-cases.txt"
for set in single joined; do
  cases=$CASES; [ $set = joined ] && cases=$WORK/joined-cases.txt
  python3 "$TOOLS/breakcheck.py" text "$cases" "$WORK/$set.txt"
  check "the $set cases make a text" test -s "$WORK/$set.txt"
  for cm in full 12 9 7 5 4 3.5 3; do
    if [ "$cm" = full ]; then size=16; else
      size=$(python3 -c "print(f'{16 * 453.5433 / ($cm * 72 / 2.54):.3f}')"); fi
    if ! run text "$WORK/$set.txt" --size "$size" --dump-layout > "$WORK/dump-$set-$cm.txt"; then
      fail "lay out the $set cases at $cm cm"; continue
    fi
    check "$set cases: no forbidden break, every line fits at $cm cm (size $size)" \
      python3 "$TOOLS/breakcheck.py" check "$cases" "$WORK/dump-$set-$cm.txt" "$RIGHT"
  done
done

# The checker itself: a forbidden point and an overlong line are caught.
printf 'ก#ข\n' > "$WORK/bad-cases.txt"
printf 'page 1 595.28 841.89\n  text font=0 size=16.00 x=85.04 y=700.00 glyphs=1 advance=500 ink=0..1 "ก"\n  text font=0 size=16.00 x=85.04 y=680.00 glyphs=1 advance=500 ink=0..1 "ข"\n' > "$WORK/bad-dump.txt"
check "the checker catches a forbidden break" \
  bash -c "! python3 '$TOOLS/breakcheck.py' check '$WORK/bad-cases.txt' '$WORK/bad-dump.txt' $RIGHT >/dev/null"
printf 'page 1 595.28 841.89\n  text font=0 size=16.00 x=85.04 y=700.00 glyphs=2 advance=28400 ink=0..1 "กข"\n' > "$WORK/wide-dump.txt"
check "the checker catches a line past the margin" \
  bash -c "! python3 '$TOOLS/breakcheck.py' check '$WORK/bad-cases.txt' '$WORK/wide-dump.txt' $RIGHT >/dev/null"
printf 'page 1 595.28 841.89\n  text font=0 size=16.00 x=85.04 y=700.00 glyphs=2 advance=1000 ink=0..1 "กข"\n' > "$WORK/good-dump.txt"
check "the checker passes a good layout" \
  python3 "$TOOLS/breakcheck.py" check "$WORK/bad-cases.txt" "$WORK/good-dump.txt" "$RIGHT"

finish
