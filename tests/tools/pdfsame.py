#!/usr/bin/env python3
"""Compares two PDFs with every stream inflated: they are the same when they differ at most
inside deflated streams (how the bytes were compressed), different when any object or any
stream's inflated bytes differ. Each file is rewritten by qpdf in QDF form (objects one by
one, object streams taken apart, every stream decoded, content left as it is), and the two
rewrites are compared byte for byte.
Usage: pdfsame.py A.pdf B.pdf. Exit 0: the same; 1: different (the first differing object
and line printed); 2: a file qpdf cannot read."""
import re
import subprocess
import sys
import tempfile


def inflated(path, out):
    r = subprocess.run(["qpdf", "--qdf", "--object-streams=disable", "--normalize-content=n",
                        "--decode-level=generalized", "--compress-streams=n", "--deterministic-id", path, out],
                       capture_output=True, text=True)
    # 3: warnings only (qpdf still wrote the file)
    if r.returncode not in (0, 3):
        sys.stderr.write("pdfsame: %s: %s" % (path, r.stderr))
        sys.exit(2)
    return open(out, "rb").read()


def objects(data):
    """The QDF file cut at each object: [(number or None for the header, bytes)]."""
    parts = re.split(rb"\n(?=\d+ 0 obj\n)", data)
    out = []
    for p in parts:
        m = re.match(rb"(\d+) 0 obj\n", p)
        out.append((int(m[1]) if m else None, p))
    return out


def main():
    if len(sys.argv) != 3:
        sys.stderr.write("usage: pdfsame.py A.pdf B.pdf\n")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        a = inflated(sys.argv[1], tmp + "/a.qdf")
        b = inflated(sys.argv[2], tmp + "/b.qdf")
    if a == b:
        print("pdfsame: the same with streams inflated (%d bytes)" % len(a))
        return 0
    oa, ob = objects(a), objects(b)
    for (na, pa), (nb, pb) in zip(oa, ob):
        if pa != pb:
            la, lb = pa.split(b"\n"), pb.split(b"\n")
            line = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y),
                        min(len(la), len(lb)))
            show = lambda ls: (ls[line] if line < len(ls) else b"(end)")[:120]
            print("pdfsame: object %s differs at line %d:\n  %s\n  %s"
                  % (na if na is not None else "(header)", line + 1,
                     show(la).decode("latin-1"), show(lb).decode("latin-1")))
            return 1
    print("pdfsame: %d objects against %d" % (len(oa), len(ob)))
    return 1


sys.exit(main())
