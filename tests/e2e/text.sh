#!/usr/bin/env bash
# End-to-end tests of `itareport text`: shaping against hb-shape, text extraction,
# fonts, structure, renderers, pagination, options and every error path.
. "$(dirname "$0")/lib.sh"
DATA=$E2E_ROOT/tests/data
TOOLS=$E2E_ROOT/tests/tools
FONT=$E2E_ROOT/fonts/Sarabun-Regular.ttf

# --- help, version, usage -------------------------------------------------------------
check "help lists text" bash -c 'run --help | grep -q "^  text "'
check "help text has an example" bash -c 'run help text | grep -q "Example:"'
check "text --help works" bash -c 'run text --help | grep -q "^Usage: itareport text"'
check "version" bash -c 'run --version | grep -Eq "^itareport [0-9]+\.[0-9]+\.[0-9]+$"'
expect_status "no command is a usage error" 2 run
expect_status "unknown command is a usage error" 2 run frobnicate
expect_status "no input is a usage error" 2 run text
expect_status "bad --align is a usage error" 2 run text "$DATA/hard-thai.txt" --align diagonal
expect_status "bad --size is a usage error" 2 run text "$DATA/hard-thai.txt" --size huge
msg=$(run text "$DATA/hard-thai.txt" --align diagonal 2>&1 >/dev/null | head -1)
expect_eq "usage message" "itareport: error: --align wants left, right, center, justify or thai-distributed, not 'diagonal'" "$msg"

# --- hard strings: glyphs equal hb-shape's, text extracts exactly ------------------------
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s\n' "$line" > "$WORK/h$n.txt"
  if ! run text "$WORK/h$n.txt" -o "$WORK/h$n.pdf"; then fail "render hard line $n"; continue; fi
  mutool trace "$WORK/h$n.pdf" > "$WORK/h$n.xml" 2>/dev/null
  check "glyphs of hard line $n equal hb-shape's" python3 "$TOOLS/glyphcheck.py" "$FONT" 16 "$line" "$WORK/h$n.xml" "$WORK/h$n.pdf"
  expect_eq "pdftotext of hard line $n" "$line" "$(pdftotext "$WORK/h$n.pdf" - | head -1)"
  expect_eq "mutool draw -F txt of hard line $n" "$line" "$(mutool draw -q -F txt "$WORK/h$n.pdf" 2>/dev/null | head -1)"
done < "$DATA/hard-thai.txt"

# --- a whole document -----------------------------------------------------------------
run text "$DATA/hard-thai.txt" -o "$WORK/all.pdf"
expect_eq "pdftotext of the whole file" "$(cat "$DATA/hard-thai.txt")" "$(pdftotext "$WORK/all.pdf" - | sed '/^\f*$/d')"
expect_eq "mutool text of the whole file" "$(cat "$DATA/hard-thai.txt")" "$(mutool draw -q -F txt "$WORK/all.pdf" 2>/dev/null | sed '/^\f*$/d')"
fonts=$(pdffonts "$WORK/all.pdf" | tail -n +3)
check "fonts are listed" test -n "$fonts"
check "every font embedded, subset, with ToUnicode" bash -c "! printf '%s\n' \"\$1\" | awk '\$(NF-4) != \"yes\" || \$(NF-3) != \"yes\" || \$(NF-2) != \"yes\"' | grep -q ." _ "$fonts"
check "fonts are CID TrueType, Identity-H" bash -c "printf '%s\n' \"\$1\" | grep -q 'CID TrueType *Identity-H'" _ "$fonts"
check "qpdf --check is clean" bash -c "qpdf --check '$WORK/all.pdf' | grep -q 'No syntax or stream encoding errors'"
check "A4 page" bash -c "pdfinfo '$WORK/all.pdf' | grep -q 'Page size: *595.276 x 841.89 pts (A4)'"
run text "$DATA/hard-thai.txt" -o "$WORK/again.pdf"
check "same input gives the same bytes" cmp -s "$WORK/all.pdf" "$WORK/again.pdf"

# Left margin 3 cm: the first glyph of a left-aligned line starts at x = 85.04 pt.
x=$(mutool trace "$WORK/all.pdf" 2>/dev/null | grep -m1 '<g ' | sed 's/.* x="\([0-9.]*\)".*/\1/')
check "left margin is 3 cm" python3 -c "import sys; sys.exit(abs($x - 85.039) > 0.01)"

# --- every alignment: extraction exact in poppler and MuPDF over long paragraphs ---------
tr '\n' ' ' < "$DATA/hard-thai.txt" > "$WORK/hardpara.txt"
{ cat "$WORK/hardpara.txt" "$WORK/hardpara.txt"; echo; cat "$E2E_ROOT/tests/data/bench-thai.txt"; } > "$WORK/paras.txt"
for align in left right center justify thai-distributed; do
  run text "$WORK/paras.txt" --align $align -o "$WORK/$align.pdf"
  pdftotext "$WORK/$align.pdf" "$WORK/$align.poppler"
  mutool draw -q -F txt "$WORK/$align.pdf" > "$WORK/$align.mupdf" 2>/dev/null
  check "$align: pdftotext gives the source" python3 "$TOOLS/linecheck.py" "$WORK/paras.txt" "$WORK/$align.poppler"
  check "$align: mutool gives the source" python3 "$TOOLS/linecheck.py" "$WORK/paras.txt" "$WORK/$align.mupdf"
  check "$align: qpdf --check is clean" bash -c "qpdf --check '$WORK/$align.pdf' >/dev/null"
done
# Hard strings in one long paragraph per alignment: glyphs and offsets within each cluster
# equal hb-shape's (justification moves clusters, never a mark against its base).
tr '\n' ' ' < "$DATA/hard-thai.txt" | sed 's/ $//' > "$WORK/onepara.txt"
for align in left justify thai-distributed; do
  run text "$WORK/onepara.txt" --align $align -o "$WORK/one-$align.pdf"
  mutool trace "$WORK/one-$align.pdf" > "$WORK/one-$align.xml" 2>/dev/null
  check "$align: glyphs and in-cluster offsets equal hb-shape's" python3 "$TOOLS/glyphcheck.py" --clusters "$FONT" 16 "$(cat "$WORK/onepara.txt")" "$WORK/one-$align.xml" "$WORK/one-$align.pdf"
  pdftotext "$WORK/one-$align.pdf" "$WORK/one-$align.poppler"
  mutool draw -q -F txt "$WORK/one-$align.pdf" > "$WORK/one-$align.mupdf" 2>/dev/null
  check "$align: pdftotext of the paragraph" python3 "$TOOLS/linecheck.py" "$WORK/onepara.txt" "$WORK/one-$align.poppler"
  check "$align: mutool text of the paragraph" python3 "$TOOLS/linecheck.py" "$WORK/onepara.txt" "$WORK/one-$align.mupdf"
done
check "the line check notices a lost character" bash -c "sed 's/ขึ้น/ขึน/' '$WORK/left.poppler' > '$WORK/lost' && ! python3 '$TOOLS/linecheck.py' '$WORK/paras.txt' '$WORK/lost' >/dev/null"
check "the line check notices an inserted space" bash -c "sed 's/ปั้น/ปั้ น/' '$WORK/left.mupdf' > '$WORK/spaced' && ! python3 '$TOOLS/linecheck.py' '$WORK/paras.txt' '$WORK/spaced' >/dev/null"
# Justified lines end at the right margin; the last line of a paragraph does not.
run text "$WORK/paras.txt" --align thai-distributed --dump-layout > "$WORK/td.dump"
run text "$WORK/paras.txt" --align justify --dump-layout > "$WORK/j.dump"
for d in td j; do
  python3 - "$WORK/$d.dump" "$TOOLS" > "$WORK/$d.ends" <<'PY'
import sys
sys.path.insert(0, sys.argv[2])
import dlistdump
for t in dlistdump.items(dlistdump.read(sys.argv[1])[0], "text"):
    print("%.2f %.2f %d" % (t.y, t.right, " " not in t.text))
PY
  full=$(awk '{ if ($2 > 538.58 - 0.05 && $2 < 538.58 + 0.05) n++ } END { print n + 0 }' "$WORK/$d.ends")
  over=$(awk '$2 > 538.59 { n++ } END { print n + 0 }' "$WORK/$d.ends")
  total=$(wc -l < "$WORK/$d.ends")
  spaceless=$(awk '$3 == 1 && $2 > 538.58 - 0.05 { n++ } END { print n + 0 }' "$WORK/$d.ends")
  check "$d: no line passes the right margin" test "$over" -eq 0
  echo "$d: $full of $total lines flush right, $spaceless of them without a space"
  eval "${d}_full=$full ${d}_total=$total ${d}_spaceless=$spaceless"
done
for d in td j; do
  check "$d: every glyph's ink inside the margins, marks on their line's page" python3 "$TOOLS/margincheck.py" "$WORK/$d.dump" 85.04 56.69 70.87 56.69
done
printf 'ปั้น\n' | run text - --dump-layout > "$WORK/one.dump"
printf 'ปั้น\n' | run text - --dump-layout -o "$WORK/one-o.dump" > "$WORK/one-o.stdout"
check "--dump-layout -o FILE writes the dump there, nothing to standard output" \
  bash -c 'cmp -s "$1" "$2" && ! test -s "$3"' _ "$WORK/one.dump" "$WORK/one-o.dump" "$WORK/one-o.stdout"
sed 's/ y=\([0-9.]*\)/ y=900/' "$WORK/one.dump" > "$WORK/moved.dump"
check "the margin check notices ink outside the page" bash -c "! python3 '$TOOLS/margincheck.py' '$WORK/moved.dump' 85.04 56.69 70.87 56.69 >/dev/null"
paragraphs=$(grep -c . "$WORK/paras.txt")
check "thai-distributed: every line but a paragraph's last is flush right ($td_full of $td_total, $paragraphs paragraphs)" test "$td_full" -ge $((td_total - paragraphs))
check "thai-distributed: lines without spaces are stretched too ($td_spaceless)" test "$td_spaceless" -gt 10
check "justify: only lines with spaces are stretched" test "$j_spaceless" -eq 0
check "justify: lines with spaces are stretched ($j_full of $j_total)" test "$j_full" -gt $((j_total / 3))

# --- the three renderers agree ----------------------------------------------------------
pdftoppm -gray -r 100 -f 1 -l 1 -singlefile "$WORK/all.pdf" "$WORK/poppler"
mutool draw -q -r 100 -c gray -o "$WORK/mupdf.pgm" "$WORK/all.pdf" 1 2>/dev/null
gs -q -dSAFER -dBATCH -dNOPAUSE -sDEVICE=pgmraw -r100 -dTextAlphaBits=4 -dGraphicsAlphaBits=4 \
   -dFirstPage=1 -dLastPage=1 -sOutputFile="$WORK/gs.pgm" "$WORK/all.pdf"
for other in mupdf gs; do
  d=$(python3 "$TOOLS/imgdiff.py" "$WORK/poppler.pgm" "$WORK/$other.pgm" 8 2>&1)
  check "poppler and $other renderings alike ($d)" python3 -c "import sys; sys.exit(not float('$d') < 0.2)"
done
printf 'x\n' > "$WORK/x.txt"
run text "$WORK/x.txt" -o "$WORK/x.pdf"
pdftoppm -gray -r 100 -singlefile "$WORK/x.pdf" "$WORK/x"
d=$(python3 "$TOOLS/imgdiff.py" "$WORK/poppler.pgm" "$WORK/x.pgm" 8 2>&1)
check "the image comparison tells different pages apart ($d)" python3 -c "import sys; sys.exit(not float('$d') > 0.5)"

# --- pagination and paragraphs ------------------------------------------------------------
for i in $(seq 1 120); do echo "บรรทัดที่ $i การประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของหน่วยงานภาครัฐ"; done > "$WORK/long.txt"
run text "$WORK/long.txt" -o "$WORK/long.pdf"
pages=$(pdfinfo "$WORK/long.pdf" | awk '/^Pages:/ {print $2}')
check "long text paginates ($pages pages)" test "$pages" -ge 5
check "every paragraph is extracted" bash -c "pdftotext '$WORK/long.pdf' - | tr -d '\n' | grep -o 'บรรทัดที่ [0-9]*' | wc -l | grep -qx 120"
check "last paragraph on the last page" bash -c "pdftotext -f $pages -l $pages '$WORK/long.pdf' - | grep -q 'บรรทัดที่ 120'"
printf 'หนึ่ง\n\nสาม\n' > "$WORK/blank.txt"
run text "$WORK/blank.txt" --dump-layout > "$WORK/blank.dump"
y1=$(python3 "$TOOLS/dlistdump.py" get y "$WORK/blank.dump" "หนึ่ง")
y3=$(python3 "$TOOLS/dlistdump.py" get y "$WORK/blank.dump" "สาม")
printf 'หนึ่ง\nสาม\n' | run text - --dump-layout > "$WORK/two.dump"
y2=$(python3 "$TOOLS/dlistdump.py" get y "$WORK/two.dump" "สาม")
check "a blank line is an empty line" python3 -c "import sys; a,b,c=$y1,$y3,$y2; sys.exit(not abs((a-b) - 2*(a-c)) < 0.01)"
printf 'ขวา\n' | run text - --align right --dump-layout > "$WORK/right.dump"
printf 'ขวา\n' | run text - --align center --dump-layout > "$WORK/center.dump"
xr=$(python3 "$TOOLS/dlistdump.py" get x "$WORK/right.dump" "ขวา"); xc=$(python3 "$TOOLS/dlistdump.py" get x "$WORK/center.dump" "ขวา")
adv=$(python3 "$TOOLS/dlistdump.py" get advance "$WORK/right.dump" "ขวา")
check "right alignment ends at the right margin" python3 -c "import sys; sys.exit(abs($xr + $adv*16/1000 - (595.2756 - 56.6929)) > 0.01)"
check "center alignment is centred" python3 -c "import sys; sys.exit(abs($xc + $adv*16/1000/2 - (85.0394 + 538.5827)/2) > 0.01)"
printf 'ปกติ **ตัวหนา** ปกติ\n' > "$WORK/bold.txt"
run text "$WORK/bold.txt" -o "$WORK/bold.pdf"
expect_eq "bold markers are not in the text" "ปกติ ตัวหนา ปกติ" "$(pdftotext "$WORK/bold.pdf" - | head -1)"
check "bold comes from its own font file" bash -c "pdffonts '$WORK/bold.pdf' | grep -q 'Sarabun-Bold'"
run text "$WORK/bold.txt" --size 24 --dump-layout > "$WORK/size.dump"
check "--size sets the size" grep -q 'size=24.00' "$WORK/size.dump"
# Found by fuzzing: a document whose first paragraph is empty (no glyph buffer yet).
check "an empty first line (fuzz: memcpy from NULL)" bash -c "printf '\n\nก\n' | run text - -o '$WORK/empty-first.pdf' && pdftotext '$WORK/empty-first.pdf' - | grep -q 'ก'"
check "an empty input gives one blank page" bash -c "printf '' | run text - -o '$WORK/empty.pdf' && pdfinfo '$WORK/empty.pdf' | grep -q 'Pages: *1'"
crlf=$(printf 'หนึ่ง\r\nสอง\r\n' | run text - -o - | pdftotext - - | sed '/^\f*$/d')
expect_eq "CRLF input" "$(printf 'หนึ่ง\nสอง')" "$crlf"
check "-o - writes the PDF to standard output" bash -c "run text '$DATA/hard-thai.txt' -o - | head -c 5 | grep -q '%PDF-'"
cp "$DATA/hard-thai.txt" "$WORK/default.txt"
run text "$WORK/default.txt"
check "default output name is INPUT.pdf" test -s "$WORK/default.pdf"
check "another font can be chosen" bash -c "run text '$WORK/bold.txt' --font '$E2E_ROOT/fonts/Sarabun-Italic.ttf' -o '$WORK/italic.pdf' && pdffonts '$WORK/italic.pdf' | grep -q 'Sarabun-Italic'"

# --- errors: one clear line, exit 1, nothing left behind --------------------------------
mkdir -p "$WORK/out"
err() { run "$@" 2>&1 >/dev/null; }
msg=$(err text "$WORK/missing.txt" -o "$WORK/out/a.pdf"); rc=$?
expect_eq "missing input message" "itareport: error: cannot open '$WORK/missing.txt': No such file or directory" "$msg"
expect_eq "missing input exit status" 1 $rc
printf 'ดี\nกข\xe0\xb8 ค\n' > "$WORK/bad-utf8.txt"
msg=$(err text "$WORK/bad-utf8.txt" -o "$WORK/out/b.pdf"); rc=$?
expect_eq "invalid UTF-8 message" "$WORK/bad-utf8.txt:2:3: error: invalid UTF-8 (byte 0xE0 at byte offset 13)" "$msg"
expect_eq "invalid UTF-8 exit status" 1 $rc
printf '\xff\xfe\x41\x00' > "$WORK/utf16.txt"
msg=$(err text "$WORK/utf16.txt" -o "$WORK/out/c.pdf")
expect_eq "UTF-16 input is refused" "$WORK/utf16.txt:1:1: error: invalid UTF-8 (byte 0xFF at byte offset 0)" "$msg"
msg=$(err text "$DATA/hard-thai.txt" --font "$WORK/nofont.ttf" -o "$WORK/out/d.pdf")
expect_eq "missing font" "itareport: error: cannot open font '$WORK/nofont.ttf': No such file or directory" "$msg"
cp "$DATA/hard-thai.txt" "$WORK/notafont.ttf"
msg=$(err text "$DATA/hard-thai.txt" --font "$WORK/notafont.ttf" -o "$WORK/out/e.pdf")
expect_eq "unreadable font" "itareport: error: '$WORK/notafont.ttf' is not a font FreeType can read" "$msg"
hb-subset --unicodes=20-7E --output-file="$WORK/latin.ttf" "$FONT" 2>/dev/null
msg=$(err text "$DATA/hard-thai.txt" --bold-font "$WORK/latin.ttf" -o "$WORK/out/f.pdf")
expect_eq "font without Thai" "itareport: error: font '$WORK/latin.ttf' has no Thai glyphs (U+0E01 is missing)" "$msg"
msg=$(err text "$DATA/hard-thai.txt" -o "$WORK/all.pdf/x.pdf"); rc=$?
expect_eq "unwritable output" "itareport: error: cannot write '$WORK/all.pdf/x.pdf': Not a directory" "$msg"
expect_eq "unwritable output exit status" 1 $rc
msg=$(err text "$DATA/hard-thai.txt" -o "$WORK/out")
expect_eq "output is a directory" "itareport: error: cannot write '$WORK/out': it is a directory" "$msg"
check "no output file after errors" bash -c "[ -z \"\$(ls -A '$WORK/out')\" ]"
# A full disk: the file size limit makes the write fail; no partial file stays.
(ulimit -f 8; run text "$WORK/long.txt" -o "$WORK/out/full.pdf" 2>"$WORK/full.err"); rc=$?
check "a write that fails is an error (exit $rc)" test $rc -ne 0
check "no partial file after a failed write" bash -c "[ -z \"\$(ls -A '$WORK/out')\" ]"
check "an existing output survives a failed write" bash -c "cp '$WORK/all.pdf' '$WORK/out/keep.pdf' && ! run text '$WORK/bad-utf8.txt' -o '$WORK/out/keep.pdf' 2>/dev/null && cmp -s '$WORK/all.pdf' '$WORK/out/keep.pdf'"
rm -f "$WORK/out/keep.pdf"

finish
