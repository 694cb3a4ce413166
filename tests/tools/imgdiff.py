#!/usr/bin/env python3
"""How different two 8-bit greyscale PGM (P5) renderings of one page are: the summed
absolute pixel difference over the summed ink of both (0 = identical, 1 = no ink in
common), after averaging BLOCK x BLOCK pixel squares so that anti-aliasing differences
between renderers do not count. Usage: imgdiff.py A.pgm B.pgm [BLOCK]. Prints the ratio."""
import sys


def read_pgm(path):
    data = open(path, "rb").read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    if fields[0] != b"P5" or int(fields[3]) != 255:
        raise SystemExit("%s: not an 8-bit P5 image" % path)
    return int(fields[1]), int(fields[2]), data[pos:]


wa, ha, a = read_pgm(sys.argv[1])
wb, hb, b = read_pgm(sys.argv[2])
w, h = min(wa, wb), min(ha, hb)
if abs(wa - wb) > 1 or abs(ha - hb) > 1:
    raise SystemExit("sizes differ: %dx%d and %dx%d" % (wa, ha, wb, hb))
block = int(sys.argv[3]) if len(sys.argv) > 3 else 4


def blocks(img, width):
    out = []
    for by in range(0, h - block + 1, block):
        for bx in range(0, w - block + 1, block):
            out.append(sum(img[(by + dy) * width + bx + dx]
                           for dy in range(block) for dx in range(block)) / (block * block))
    return out


ba, bb = blocks(a, wa), blocks(b, wb)
diff = sum(abs(pa - pb) for pa, pb in zip(ba, bb))
ink = sum(510 - pa - pb for pa, pb in zip(ba, bb))
print("%.3f" % (diff / ink if ink else 0.0))
