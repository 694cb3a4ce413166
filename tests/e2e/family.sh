#!/usr/bin/env bash
# --font-family (templates/font-families.yaml): a whole report in Laksaman, TH Sarabun New's
# Debian derivative (fonts-tlwg-laksaman-ttf): its faces embedded, 16 pt body, and text
# extraction exact in poppler and MuPDF for the hard strings and for every line of a report.
. "$(dirname "$0")/lib.sh"
DATA=$E2E_ROOT/tests/data
TOOLS=$E2E_ROOT/tests/tools
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml
TLWG=/usr/share/fonts/truetype/tlwg

check "Laksaman is installed (tools/deps.sh: fonts-tlwg-laksaman-ttf)" test -f "$TLWG/Laksaman.ttf"

# --- the hard strings in Laksaman, in every alignment that moves glyphs ----------------------
for align in left justify thai-distributed; do
  run text "$DATA/hard-thai.txt" -o "$WORK/hard-$align.pdf" --align "$align" \
    --font "$TLWG/Laksaman.ttf" --bold-font "$TLWG/Laksaman-Bold.ttf"
  expect_eq "pdftotext of the hard strings in Laksaman ($align)" "$(cat "$DATA/hard-thai.txt")" \
    "$(pdftotext "$WORK/hard-$align.pdf" - | sed '/^\f*$/d')"
  expect_eq "mutool of the hard strings in Laksaman ($align)" "$(cat "$DATA/hard-thai.txt")" \
    "$(mutool draw -q -F txt "$WORK/hard-$align.pdf" 2>/dev/null | sed '/^\f*$/d')"
done
n=0
while IFS= read -r line; do
  n=$((n + 1))
  printf '%s\n' "$line" > "$WORK/h$n.txt"
  run text "$WORK/h$n.txt" -o "$WORK/h$n.pdf" --font "$TLWG/Laksaman.ttf"
  mutool trace "$WORK/h$n.pdf" > "$WORK/h$n.xml" 2>/dev/null
  check "Laksaman glyphs of hard line $n equal hb-shape's" python3 "$TOOLS/glyphcheck.py" "$TLWG/Laksaman.ttf" 16 "$line" "$WORK/h$n.xml" "$WORK/h$n.pdf"
done < "$DATA/hard-thai.txt"

# text --font-family: the family's regular and bold.
run text "$DATA/hard-thai.txt" --font-family laksaman -o "$WORK/tf.pdf"
check "text --font-family laksaman embeds Laksaman" bash -c "pdffonts '$WORK/tf.pdf' | grep -q '+Laksaman '"
expect_eq "text --font-family laksaman extracts exactly" "$(cat "$DATA/hard-thai.txt")" "$(pdftotext "$WORK/tf.pdf" - | sed '/^\f*$/d')"

# --- a whole report -------------------------------------------------------------------------
expect_status "render --font-family laksaman" 0 run render "$SEED" --font-family laksaman -o "$WORK/l.pdf"
run render "$SEED" --font-family laksaman --dump-layout -o "$WORK/l.dump"
fonts=$(pdffonts "$WORK/l.pdf" | tail -n +3)
check "Laksaman regular and bold embedded" bash -c "grep -q '+Laksaman ' <<< \"\$1\" && grep -q '+Laksaman-Bold ' <<< \"\$1\"" _ "$fonts"
check "no Sarabun left in a Laksaman report" bash -c "! grep -q Sarabun <<< \"\$1\"" _ "$fonts"
check "every font embedded, subset, with ToUnicode" bash -c "! awk '\$(NF-4) != \"yes\" || \$(NF-3) != \"yes\" || \$(NF-2) != \"yes\"' <<< \"\$1\" | grep -q ." _ "$fonts"
check "qpdf --check is clean" bash -c "qpdf --check '$WORK/l.pdf' | grep -q 'No syntax or stream encoding errors'"
python3 "$TOOLS/dlistdump.py" items "$WORK/l.dump" text > "$WORK/l.items"
check "body text at 16 pt" grep -q 'size=16 .*ผลการประเมิน' "$WORK/l.items"

# Every line the layout drew is found, whole, in the extracted text of its page.
lines_missing() { # PDF DUMP EXTRACTOR
  python3 - "$1" "$2" "$3" "$TOOLS" <<'PY'
import subprocess, sys
sys.path.insert(0, sys.argv[4])
import dlistdump
pdf, dump, tool = sys.argv[1:4]
pages = dlistdump.read(dump)[0]
flat = lambda s: "".join(s.split())
missing = 0
for p in pages:
    n = str(p.number)
    if tool == "poppler":
        cmd = ["pdftotext", "-raw", "-f", n, "-l", n, pdf, "-"]
    else:
        cmd = ["mutool", "draw", "-q", "-F", "txt", "-o", "-", pdf, n]
    text = flat(subprocess.run(cmd, capture_output=True, text=True).stdout)
    for t in p.texts():
        if flat(t.text) and flat(t.text) not in text:
            missing += 1
            if missing <= 5:
                print(f"page {n}: {t.text}", file=sys.stderr)
print(missing)
PY
}
items=$(python3 "$TOOLS/dlistdump.py" count text "$WORK/l.dump")
check "the report has text lines ($items)" test "$items" -gt 500
expect_eq "every line of the Laksaman report in pdftotext" 0 "$(lines_missing "$WORK/l.pdf" "$WORK/l.dump" poppler)"
expect_eq "every line of the Laksaman report in mutool" 0 "$(lines_missing "$WORK/l.pdf" "$WORK/l.dump" mupdf)"

# --font and --bold-font as text has them, from the current folder.
(cd "$TLWG" && run render "$SEED" --font Laksaman.ttf --bold-font Laksaman-Bold.ttf -o "$WORK/fb.pdf")
fonts=$(pdffonts "$WORK/fb.pdf" | tail -n +3)
check "render --font/--bold-font: Laksaman regular and bold" bash -c "grep -q '+Laksaman ' <<< \"\$1\" && grep -q '+Laksaman-Bold ' <<< \"\$1\"" _ "$fonts"
expect_status "render --font with a missing file fails" 1 run render "$SEED" --font "$WORK/none.ttf" -o "$WORK/none.pdf"
check "and leaves no PDF" test ! -e "$WORK/none.pdf"

# --- errors -----------------------------------------------------------------------------------
msg=$(run render "$SEED" --font-family comic -o "$WORK/c.pdf" 2>&1 | head -1)
expect_eq "an unknown family names the known ones" "itareport: error: unknown font family 'comic' (there are: sarabun, laksaman)" "$msg"
check "and leaves no PDF" test ! -e "$WORK/c.pdf"
mkdir -p "$WORK/data/templates"
ln -s "$E2E_ROOT/fonts" "$WORK/data/fonts"
ln -s "$E2E_ROOT/templates/ita-2566" "$WORK/data/templates/ita-2566"
printf 'gone:\n  regular: /nonexistent/Gone.ttf\n  bold: fonts/Sarabun-Bold.ttf\n  italic: fonts/Sarabun-Italic.ttf\n  bold_italic: fonts/Sarabun-BoldItalic.ttf\n  package: fonts-gone\n' > "$WORK/data/templates/font-families.yaml"
msg=$(run render "$SEED" --data-dir "$WORK/data" --font-family gone -o "$WORK/g.pdf" 2>&1 | head -1)
expect_eq "a family whose files are missing names its package" "itareport: error: the font family 'gone' needs /nonexistent/Gone.ttf, which is not there (install the Debian package fonts-gone: apt-get install fonts-gone)" "$msg"
finish
