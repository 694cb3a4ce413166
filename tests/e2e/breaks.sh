#!/usr/bin/env bash
# End-to-end line breaking: the hand-written hard cases of tests/data/breaks.txt laid out by
# `itareport text` at the full measure and at table-width measures down to 3 cm. At every
# measure no line may end at a forbidden ('#') point and every line must fit. Then every
# sample's report: no word of dict/words.txt cut at a line end, no place word of
# dict/places.txt parted from its name, no column narrower than such a word, no line
# starting with a mid-sentence dash (read
# from the layout dump and from pdftotext's text); and the templates' paragraphs laid out
# at three sizes: every last line holds two words or eight characters.
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

# Words that stay whole, in every sample's report (dump and extracted text).
BRKWORDS=$(dirname "$ITAREPORT")/tools/brkwords
WORDS=$E2E_ROOT/dict/words.txt
PLACES=$E2E_ROOT/dict/places.txt
cut_total=0
for s in "$E2E_ROOT"/samples/*.yaml; do
  fw=$(sed -n 's/^framework: *//p' "$s" | head -1)
  [ -f "$E2E_ROOT/templates/$fw/report.yaml" ] || continue
  b=$(basename "$s" .yaml)
  sources=("$s" "$E2E_ROOT/templates/$fw/report.yaml" "$E2E_ROOT"/templates/*/wording.yaml)
  if ! run render "$s" --dump-layout -o "$WORK/$b.dump" 2>/dev/null ||
     ! run render "$s" -o "$WORK/$b.pdf" 2>/dev/null; then
    fail "render $b"; continue
  fi
  pdftotext "$WORK/$b.pdf" "$WORK/$b.txt"
  check "$b: no listed word cut, no place parted from its name, no mid-sentence dash at a line start (layout dump)" \
    python3 "$TOOLS/wordcheck.py" dump "$WORK/$b.dump" "$WORDS" "$PLACES" "${sources[@]}"
  check "$b: the same in pdftotext's text" \
    python3 "$TOOLS/wordcheck.py" text "$WORK/$b.txt" "$WORDS" "$PLACES" "${sources[@]}"
  # A column is never narrower than a word kept whole (นักทรัพยากรบุคคล in the plan's
  # ผู้รับผิดชอบ column was cut so): wordcheck's notes of a word wider than its column.
  check "$b: no listed word wider than its table column" bash -c \
    '! python3 "$1" dump "$2" "$3" "$4" "${@:5}" | grep "note:"' _ \
    "$TOOLS/wordcheck.py" "$WORK/$b.dump" "$WORDS" "$PLACES" "${sources[@]}"
  cut_total=$((cut_total + $(python3 "$TOOLS/wordcheck.py" count "$WORK/$b.dump" ข้อคำถาม)))
done
# Issue 14 counted ข้อคำ|ถาม 13 times in two samples.
expect_eq "ข้อคำถาม is cut nowhere in the samples" 0 "$cut_total"
# Other Thai text: generated agencies (their names, places, plans from samples/generate's
# bank), in one batch.
python3 "$E2E_ROOT/samples/generate" 6 --seed 14 -o "$WORK/gen" >/dev/null
found=0
for s in "$WORK"/gen/*.yaml; do
  b=$(basename "$s" .yaml)
  run render "$s" --dump-layout -o "$WORK/gen/$b.dump" 2>/dev/null || { fail "render $b"; continue; }
  python3 "$TOOLS/wordcheck.py" dump "$WORK/gen/$b.dump" "$WORDS" "$PLACES" "$s" \
    "$E2E_ROOT/templates/ita-2566/report.yaml" "$E2E_ROOT"/templates/*/wording.yaml > "$WORK/gen/$b.cuts" ||
    { cat "$WORK/gen/$b.cuts"; found=$((found + 1)); }
done
expect_eq "six generated agencies: no listed word cut, no place parted from its name" 0 "$found"

# A paragraph's last line holds two words or eight characters: the templates' long texts
# laid out at 16, 24 and 30 pt (30 pt: about 15 Thai words a line).
python3 "$TOOLS/wordcheck.py" paragraphs "$E2E_ROOT"/templates/*/wording.yaml > "$WORK/paragraphs.txt"
check "the templates give paragraphs" test "$(wc -l < "$WORK/paragraphs.txt")" -ge 100
for size in 16 24 30; do
  if ! run text "$WORK/paragraphs.txt" --size $size --dump-layout > "$WORK/paragraphs-$size.dump"; then
    fail "lay out the templates' paragraphs at $size pt"; continue
  fi
  check "every last line holds two words or eight characters at $size pt" \
    python3 "$TOOLS/wordcheck.py" lastline "$WORK/paragraphs.txt" "$WORK/paragraphs-$size.dump" "$BRKWORDS"
done

# The word checker itself: a cut word, a place parted from its name, a mid-sentence dash
# at a line start are caught; a list item of its own is not; a word alone wider than its
# column is a note.
printf 'หน่วยงานควรติดต่อ - สอบถามข้อมูล\n' > "$WORK/source.txt"
# A dump of one page whose lines, 20 pt apart, are the arguments.
page_of_lines() {
  local out=$1 y=700; shift
  { echo 'page 1 595.28 841.89'
    for t in "$@"; do
      printf '  text font=0 size=16.00 x=85.04 y=%d.00 glyphs=5 advance=2000 ink=0..1 "%s"\n' $y "$t"
      y=$((y - 20))
    done; } > "$out"
}
page_of_lines "$WORK/cut.dump" "ผลการประเมินข้อคำ" "ถามของจังหวัด" "หนองคาย หน่วยงานควรติดต่อ" "- สอบถามข้อมูล"
check "the word checker finds three cuts" \
  bash -c "python3 '$TOOLS/wordcheck.py' dump '$WORK/cut.dump' '$WORDS' '$PLACES' '$WORK/source.txt' | grep -q ': 3 words cut'"
page_of_lines "$WORK/fine.dump" "ผลการประเมินข้อคำถาม ตาม" "- สอบถามข้อมูล" "นักทรัพยากร" "บุคคล"
check "the word checker passes a list item and notes a word wider than its column" \
  bash -c "python3 '$TOOLS/wordcheck.py' dump '$WORK/fine.dump' '$WORDS' '$PLACES' '$WORK/source.txt' | grep -q 'note: นักทรัพยากรบุคคล'"

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
