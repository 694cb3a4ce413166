#!/usr/bin/env bash
# End-to-end tests of logos and fonts that are not what they should be: a logo that is not a
# regular file (a FIFO, a device, a folder, "-") is refused before anything is read; a
# truncated or corrupt JPEG is refused with a positioned message and no PDF, a good one is
# embedded byte for byte; a font whose loca is damaged is refused with its name.
. "$(dirname "$0")/lib.sh"
export ITAREPORT_DATA=$E2E_ROOT
SAMPLE=$E2E_ROOT/samples/nongkhai-passing-2566.yaml
JPEG=$E2E_ROOT/tests/data/logo.jpg
# A generous limit: a run takes about a second; a blocked one would never end.
LIMIT=60

mkdir -p "$WORK/in"
cp "$SAMPLE" "$WORK/in/in.yaml"
logo_line=$(grep -n '^  logo:' "$WORK/in/in.yaml" | cut -d: -f1)
set_logo() { sed -i "s|^  logo: .*|  logo: \"$1\"|" "$WORK/in/in.yaml"; }

# render_logo NAME: renders in/in.yaml to NAME.pdf within the limit; sets rc and msg.
render_logo() {
  msg=$(timeout "$LIMIT" bash -c 'run render "$1" -o "$2" 2>&1 >/dev/null' _ "$WORK/in/in.yaml" "$WORK/$1.pdf" </dev/null)
  rc=$?
}

# --- item 1: only regular files as logos -------------------------------------------------
mkfifo "$WORK/in/fifo.png"
set_logo fifo.png
render_logo fifo
check "a FIFO logo is an error, not a hang (exit $rc: $msg)" test "$rc" -eq 1
check "a FIFO logo: not a regular file, at the logo's line" \
  bash -c '[[ "$1" == *"in.yaml:'"$logo_line"':"*"is not a regular file"* ]]' _ "$msg"
check "no PDF after a FIFO logo" test ! -e "$WORK/fifo.pdf"

# batch too: the job is refused, the batch ends.
msg=$(timeout "$LIMIT" bash -c 'run batch "$1" -o "$2" --quiet 2>&1 >/dev/null' _ "$WORK/in/in.yaml" "$WORK/batch" </dev/null); rc=$?
check "batch with a FIFO logo ends, with an error (exit $rc)" test "$rc" -eq 1
check "batch names the FIFO logo as not a regular file" bash -c '[[ "$1" == *"is not a regular file"* ]]' _ "$msg"
check "batch leaves no PDF for it" bash -c '! ls "$1"/*.pdf 2>/dev/null | grep -v summary' _ "$WORK/batch"

set_logo /dev/null
render_logo devnull
check "/dev/null as logo is an error (exit $rc: $msg)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"/dev/null'"'"' is not a regular file"* ]]' _ "$rc" "$msg"
check "no PDF after a device logo" test ! -e "$WORK/devnull.pdf"

mkdir "$WORK/in/folder.png"
set_logo folder.png
render_logo folder
check "a folder as logo is an error (exit $rc: $msg)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"folder.png'"'"' is not a regular file"* ]]' _ "$rc" "$msg"
check "no PDF after a folder logo" test ! -e "$WORK/folder.pdf"

# "-" would read standard input: refused even when standard input holds a good image. The
# input is named without a folder, so that the logo's path is "-" itself.
set_logo -
msg=$(cd "$WORK/in" && timeout "$LIMIT" bash -c 'run render in.yaml -o "$1" 2>&1 >/dev/null' _ "$WORK/stdin.pdf" <"$JPEG"); rc=$?
check "'-' as logo is an error, standard input is not read (exit $rc: $msg)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"standard input"* ]]' _ "$rc" "$msg"
check "no PDF after a '-' logo" test ! -e "$WORK/stdin.pdf"

# A link to a regular file is a regular file.
ln -s "$JPEG" "$WORK/in/link.jpg"
set_logo link.jpg
render_logo link
check "a symbolic link to a JPEG is a logo (exit $rc)" test "$rc" -eq 0 -a -s "$WORK/link.pdf"

# --- item 8: broken JPEGs ----------------------------------------------------------------
cp "$JPEG" "$WORK/in/good.jpg"
set_logo good.jpg
render_logo good
check "a good JPEG renders (exit $rc)" test "$rc" -eq 0
(cd "$WORK" && pdfimages -j good.pdf img >/dev/null 2>&1)
check "a good JPEG is embedded byte for byte" cmp -s "$JPEG" "$WORK/img-000.jpg"

python3 - "$JPEG" "$WORK/in" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
out = sys.argv[2]
# The start of scan: everything before it is the header (tables, frame).
sos = data.index(b"\xff\xda")
scan = sos + 2 + (data[sos + 2] << 8 | data[sos + 3])
open(out + "/truncated.jpg", "wb").write(data[: scan + (len(data) - scan) // 2])
# The header kept whole, the entropy-coded data replaced by garbage of the same length.
garbage = bytes((i * 37 + 11) % 251 for i in range(len(data) - scan - 2))
open(out + "/garbage.jpg", "wb").write(data[:scan] + garbage + b"\xff\xd9")
# Only the header: no scan at all.
open(out + "/header.jpg", "wb").write(data[:sos] + b"\xff\xd9")
PY
for bad in truncated garbage header; do
  set_logo $bad.jpg
  render_logo $bad
  check "a $bad JPEG is refused (exit $rc: $msg)" \
    bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"in.yaml:'"$logo_line"':"*"$3.jpg'"'"' is not a valid JPEG"* ]]' _ "$rc" "$msg" "$bad"
  check "no PDF after a $bad JPEG" test ! -e "$WORK/$bad.pdf"
done

# --- item 8: a font with a damaged loca ---------------------------------------------------
# A data folder of its own: the shipped templates, the fonts copied, Regular then damaged.
python3 - "$E2E_ROOT/fonts/Sarabun-Regular.ttf" "$WORK" <<'PY'
import os, struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
tables = {}
for i in range(struct.unpack(">H", data[4:6])[0]):
    tag, _, off, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
    tables[tag] = (off, length)
long_loca = struct.unpack(">h", data[tables[b"head"][0] + 50 : tables[b"head"][0] + 52])[0] == 1
off, length = tables[b"loca"]
entry = 4 if long_loca else 2
glyf_length = tables[b"glyf"][1]
def write(name, edit):
    d = bytearray(data)
    edit(d)
    os.makedirs(sys.argv[2] + "/" + name + "/fonts")
    open(sys.argv[2] + "/" + name + "/fonts/Sarabun-Regular.ttf", "wb").write(d)
def zero(d):  # every glyph empty: offsets all 0
    d[off : off + length] = bytes(length)
def past(d):  # the offsets of the glyphs from 100 on point past the end of glyf
    for i in range(100, length // entry):
        v = glyf_length + 4 * i
        d[off + entry * i : off + entry * (i + 1)] = v.to_bytes(4, "big") if long_loca else (v // 2 & 0xFFFF).to_bytes(2, "big")
write("zero", zero)
write("past", past)
PY
for kind in zero past; do
  d=$WORK/$kind
  for f in Bold Italic BoldItalic; do cp "$E2E_ROOT/fonts/Sarabun-$f.ttf" "$d/fonts/"; done
  ln -s "$E2E_ROOT/templates" "$d/templates"
  msg=$(ITAREPORT_DATA=$d timeout "$LIMIT" bash -c 'run render "$1" -o "$2" 2>&1 >/dev/null' _ "$SAMPLE" "$WORK/font-$kind.pdf"); rc=$?
  check "a font with loca damaged ($kind) is refused with its name (exit $rc: $msg)" \
    bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"font '"'"'"*"Sarabun-Regular.ttf'"'"' is damaged"* ]]' _ "$rc" "$msg"
  check "no PDF with a damaged font ($kind)" test ! -e "$WORK/font-$kind.pdf"
done
finish
