#!/usr/bin/env python3
"""Compares the glyphs of a one-line PDF (from `mutool trace`) with what the `hb-shape`
command gives for the same font and text: glyph ids in order, and positions within a
tolerance in em. A glyph drawn through a copy (a composite whose only component is the
original, see src/sfnt.h) counts as its original, at the place its component's offset
moves the outline to: the embedded font programs are read back with `mutool extract`. Usage: glyphcheck.py [--clusters] FONT SIZE TEXT TRACE.xml PDF.
With --clusters (justified or multi-line text), positions are compared within each cluster
only. Prints a reason and exits 1 on a mismatch."""
import glob
import os
import re
import subprocess
import sys
import tempfile


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


def shape(font, text, with_clusters=False):
    glyphs = []
    pen = 0
    base = 0
    for script, part in runs(text):
        res = subprocess.run(["hb-shape", "--no-glyph-names", "--cluster-level=1",
                              "--language=th", "--script=" + script, font, part],
                             capture_output=True, text=True, check=True).stdout.strip()
        for item in res.strip("[]").split("|"):
            m = re.match(r"(\d+)=(\d+)(?:@(-?\d+),(-?\d+))?\+(-?\d+)", item)
            gid, cl, dx, dy, adv = (int(m[1]), int(m[2]), int(m[3] or 0), int(m[4] or 0),
                                    int(m[5]))
            glyphs.append((gid, pen + dx, dy, base + cl) if with_clusters else (gid, pen + dx, dy))
            pen += adv
        base += len(part)
    return glyphs


def check_clusters(font, size, text, got, units):
    """Justified or multi-line text: the same glyphs (spaces aside, as breaks drop them), and
    within each cluster the same offsets of every glyph from the cluster's first one."""
    space = shape(font, " ")[0][0]
    want = [g for g in shape(font, text, True) if g[0] != space]
    got = [g for g in got if g[0] != space]
    if [g[0] for g in got] != [g[0] for g in want]:
        print("glyphs differ:\n  pdf      %s\n  hb-shape %s" % ([g[0] for g in got],
                                                             [g[0] for g in want]))
        return 1
    first = {}
    for i, w in enumerate(want):
        first.setdefault(w[3], i)
    for i, ((gid, x, y), (_, wx, wy, cl)) in enumerate(zip(got, want)):
        f = first[cl]
        dx = (x - got[f][1]) / size - (wx - want[f][1]) / units
        dy = (y - got[f][2]) / size - (wy - want[f][2]) / units
        if abs(dx) > 0.02 or abs(dy) > 0.02:
            print("glyph %d (cluster at %d) is off by %.3f em, %.3f em within its cluster"
                  % (gid, cl, dx, dy))
            return 1
    return 0


def upem(font):
    data = open(font, "rb").read()
    num = int.from_bytes(data[4:6], "big")
    for i in range(num):
        rec = data[12 + 16 * i: 28 + 16 * i]
        if rec[:4] == b"head":
            off = int.from_bytes(rec[8:12], "big")
            return int.from_bytes(data[off + 18: off + 20], "big")
    raise SystemExit("no head table")


def tables(data):
    out = {}
    for i in range(int.from_bytes(data[4:6], "big")):
        rec = data[12 + 16 * i: 28 + 16 * i]
        out[rec[:4]] = (int.from_bytes(rec[8:12], "big"), int.from_bytes(rec[12:16], "big"))
    return out


def glyph_bytes(data):
    """Returns a function giving the glyf bytes of a glyph id (b"" when out of range)."""
    t = tables(data)
    head, maxp, loca, glyf = t[b"head"], t[b"maxp"], t[b"loca"], t[b"glyf"]
    long_loca = int.from_bytes(data[head[0] + 50: head[0] + 52], "big")
    count = int.from_bytes(data[maxp[0] + 4: maxp[0] + 6], "big")

    def offset(g):
        if long_loca:
            return int.from_bytes(data[loca[0] + 4 * g: loca[0] + 4 * g + 4], "big")
        return 2 * int.from_bytes(data[loca[0] + 2 * g: loca[0] + 2 * g + 2], "big")

    def get(g):
        if g >= count:
            return b""
        return data[glyf[0] + offset(g): glyf[0] + offset(g + 1)]
    return get, count


def copies(pdf, font_data):
    """Maps every glyph of the embedded fonts that is a single-component composite and not
    the original font's glyph of that id (a copy appended by the writer) to its component
    and the component's x offset (font units)."""
    original, _ = glyph_bytes(font_data)
    mapping = {}
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["mutool", "extract", os.path.abspath(pdf)], cwd=tmp,
                       capture_output=True, check=True)
        for path in glob.glob(os.path.join(tmp, "font-*.ttf")):
            embedded, count = glyph_bytes(open(path, "rb").read())
            for g in range(count):
                b = embedded(g)
                if len(b) < 16 or int.from_bytes(b[0:2], "big", signed=True) != -1:
                    continue
                if int.from_bytes(b[10:12], "big") & 0x20 or b == original(g)[:len(b)]:
                    continue
                mapping[g] = (int.from_bytes(b[12:14], "big"),
                              int.from_bytes(b[14:16], "big", signed=True))
    return mapping


def main():
    clusters = sys.argv[1] == "--clusters"
    args = sys.argv[2:] if clusters else sys.argv[1:]
    font, size, text, trace, pdf = args[0], float(args[1]), args[2], args[3], args[4]
    units = upem(font)
    original = copies(pdf, open(font, "rb").read())
    got = []
    for m in re.finditer(r'<g [^>]*glyph="(\d+)" x="([-\d.]+)" y="([-\d.]+)"', open(trace).read()):
        gid, shift = original.get(int(m[1]), (int(m[1]), 0))
        got.append((gid, float(m[2]) + shift * size / units, float(m[3])))
    if clusters:
        return check_clusters(font, size, text, got, units)
    want = shape(font, text)
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
