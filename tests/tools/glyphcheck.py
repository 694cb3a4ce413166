#!/usr/bin/env python3
"""Compares the glyphs of a one-line PDF (from `mutool trace`) with what the `hb-shape`
command gives for the same font and text: glyph ids in order, and positions within a
tolerance in em. Usage: glyphcheck.py FONT SIZE TEXT TRACE.xml. Prints a reason and
exits 1 on a mismatch."""
import re
import subprocess
import sys


def runs(text):
    """Splits text into script runs: Thai, and everything else (Latin); characters that are
    neither letters of either (digits, spaces, punctuation) join the run before them."""
    out = []
    for ch in text:
        cp = ord(ch)
        if 0x0E00 <= cp <= 0x0E7F:
            kind = "thai"
        elif ch.isalpha():
            kind = "latn"
        else:
            kind = None
        if out and (kind is None or out[-1][0] == kind):
            out[-1][1] += ch
        elif out and out[-1][0] is None:
            out[-1][0] = kind
            out[-1][1] += ch
        else:
            out.append([kind, ch])
    return [(k or "latn", t) for k, t in out]


def shape(font, text):
    glyphs = []
    pen = 0
    for script, part in runs(text):
        res = subprocess.run(["hb-shape", "--no-glyph-names", "--cluster-level=1",
                              "--language=th", "--script=" + script, font, part],
                             capture_output=True, text=True, check=True).stdout.strip()
        for item in res.strip("[]").split("|"):
            m = re.match(r"(\d+)=\d+(?:@(-?\d+),(-?\d+))?\+(-?\d+)", item)
            gid, dx, dy, adv = int(m[1]), int(m[2] or 0), int(m[3] or 0), int(m[4])
            glyphs.append((gid, pen + dx, dy))
            pen += adv
    return glyphs


def upem(font):
    data = open(font, "rb").read()
    num = int.from_bytes(data[4:6], "big")
    for i in range(num):
        rec = data[12 + 16 * i: 28 + 16 * i]
        if rec[:4] == b"head":
            off = int.from_bytes(rec[8:12], "big")
            return int.from_bytes(data[off + 18: off + 20], "big")
    raise SystemExit("no head table")


def main():
    font, size, text, trace = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
    units = upem(font)
    want = shape(font, text)
    got = [(int(m[1]), float(m[2]), float(m[3])) for m in
           re.finditer(r'<g [^>]*glyph="(\d+)" x="([-\d.]+)" y="([-\d.]+)"', open(trace).read())]
    if [g for g, _, _ in got] != [g for g, _, _ in want]:
        print("glyphs differ:\n  pdf      %s\n  hb-shape %s" % ([g for g, _, _ in got],
                                                             [g for g, _, _ in want]))
        return 1
    x0, y0 = got[0][1], got[0][2]
    wx0 = want[0][1]
    tolerance = 0.02
    for (gid, x, y), (_, wx, wy) in zip(got, want):
        dx = (x - x0) / size - (wx - wx0) / units
        dy = (y - y0) / size - wy / units
        if abs(dx) > tolerance or abs(dy) > tolerance:
            print("glyph %d of %r is off by %.3f em, %.3f em" % (gid, text, dx, dy))
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
