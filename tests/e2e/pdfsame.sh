#!/usr/bin/env bash
# tests/tools/pdfsame.py (make bench's check that a change of compression left the PDF the
# same): two PDFs whose streams are compressed differently are the same; a change inside a
# deflated stream, or of another document, is a difference.
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
same() { python3 tests/tools/pdfsame.py "$@" >"$WORK/out" 2>&1; }
export SOURCE_DATE_EPOCH=1700000000
run render samples/sepholoe-2566.yaml -o "$WORK/seed.pdf"
run render samples/yala-2567.yaml -o "$WORK/yala.pdf"
# rewrite.py IN OUT [MOVE]: every stream deflated again by zlib at level 9, objects and
# their numbers kept (the lengths, indirect objects, and the cross-reference table
# rewritten); with MOVE, the first line placed (Td) in the first page's content also moved by 1.
cat >"$WORK/rewrite.py" <<'PY'
import re, sys, zlib
data = open(sys.argv[1], "rb").read()
move = len(sys.argv) > 3
body = dict((int(n), b) for n, b in re.findall(rb"(\d+) 0 obj\n(.*?)\nendobj\n", data, re.S))
for n, b in sorted(body.items()):
    m = re.match(rb"(<<.*?/Length (\d+) 0 R.*?>>)\nstream\r?\n", b, re.S)
    if not m or b"/FlateDecode" not in m[1]:
        continue
    start, length = m.end(), int(body[int(m[2])])
    plain = zlib.decompress(b[start:start + length])
    tm = re.search(rb"\n(\d+)(?:\.\d+)? -?[\d.]+ Td\n", plain)
    if move and tm:
        plain = plain[:tm.start(1)] + str(int(tm[1]) + 1).encode() + plain[tm.end(1):]
        move = False
    packed = zlib.compress(plain, 9)
    body[n] = b[:start] + packed + b[start + length:]
    body[int(m[2])] = str(len(packed)).encode()
out = bytearray(data[:data.index(b"\n") + 1] + b"%\xe2\xe3\xcf\xd3\n")
offsets = {}
for n in sorted(body):
    offsets[n] = len(out)
    out += b"%d 0 obj\n%s\nendobj\n" % (n, body[n])
xref, size = len(out), max(body) + 1
out += b"xref\n0 %d\n0000000000 65535 f\r\n" % size
for n in range(1, size):
    out += b"%010d 00000 n\r\n" % offsets[n] if n in offsets else b"0000000000 00000 f\r\n"
trailer = re.search(rb"trailer\s*(<<.*?>>)\s*startxref", data, re.S)[1]
out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
open(sys.argv[2], "wb").write(out)
PY
python3 "$WORK/rewrite.py" "$WORK/seed.pdf" "$WORK/seed9.pdf"
python3 "$WORK/rewrite.py" "$WORK/seed.pdf" "$WORK/moved.pdf" move
check "recompressing changed the file's bytes" bash -c "! cmp -s '$WORK/seed.pdf' '$WORK/seed9.pdf'"
check "the recompressed file is a sound PDF" bash -c "qpdf --check '$WORK/seed9.pdf' >/dev/null"
check "the moved file is a sound PDF" bash -c "qpdf --check '$WORK/moved.pdf' >/dev/null"
expect_status "the recompressed document is the same" 0 same "$WORK/seed.pdf" "$WORK/seed9.pdf"
expect_status "a document is the same as itself" 0 same "$WORK/seed.pdf" "$WORK/seed.pdf"
expect_status "another agency's report differs" 1 same "$WORK/seed.pdf" "$WORK/yala.pdf"
expect_status "a text position moved inside a deflated stream differs" 1 \
  same "$WORK/seed.pdf" "$WORK/moved.pdf"
check "the difference is shown as the content's line" grep -q '^  [0-9.]* [0-9.]* Td$' "$WORK/out"
expect_status "a file that is not a PDF cannot be compared" 2 same "$WORK/seed.pdf" README.md
finish
