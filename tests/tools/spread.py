#!/usr/bin/env python3
"""The space that justification added to each stretched line of a layout dump, in em, and
its spread. A stretched line is a line of text items of one size whose right edge reaches
the right edge of the text frame (within 0.3 pt) while the same text set at its natural
width (shaped again by hb-shape, the reference the other tests use) is shorter or longer
(set tighter): what thai-distributed and justified alignment made of every line but a
paragraph's last.

Usage: spread.py DUMP FONT_REGULAR FONT_BOLD [--size PT] [--right PT]
  --size PT   only lines of this size (default 16)
  --right PT  the frame's right edge from the page's right (default 56.69, 2 cm)
Prints: lines N, min, max, spread (max - min), standard deviation and the 5th and 95th
percentiles, em."""
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlistdump  # noqa: E402


def natural_widths(font, texts):
    """Advance of each text shaped by hb-shape, in 1/1000 em."""
    if not texts:
        return []
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as f:
        f.write("\n".join(texts) + "\n")
        name = f.name
    try:
        out = subprocess.run(["hb-shape", "--font-size=1000", "--no-glyph-names",
                              "--no-clusters", "--language=th", font, "--text-file=" + name],
                             check=True, capture_output=True, text=True).stdout
    finally:
        os.unlink(name)
    widths = []
    for line in out.splitlines():
        total = 0
        for glyph in line.strip("[]").split("|"):
            adv = glyph.split("+", 1)[1] if "+" in glyph else "0"
            total += int(adv.split(",")[0])
        widths.append(total)
    return widths


def main(argv):
    args = argv[1:]
    size, right_margin = 16.0, 56.69
    if "--size" in args:
        i = args.index("--size")
        size = float(args[i + 1])
        del args[i:i + 2]
    if "--right" in args:
        i = args.index("--right")
        right_margin = float(args[i + 1])
        del args[i:i + 2]
    dump, fonts = args[0], args[1:3]
    pages, _ = dlistdump.read(dump)
    lines = []  # (page width, [items])
    for page in pages:
        rows = {}
        for t in page.texts():
            if abs(t.size - size) < 0.01:
                rows.setdefault(round(t.y, 2), []).append(t)
        for y, items in rows.items():
            items.sort(key=lambda t: t.x)
            if abs(items[-1].right - (page.width - right_margin)) <= 0.3:
                lines.append(items)
    # Shape every item's text again, per font, in one hb-shape run each.
    pieces = {0: [], 1: []}
    for items in lines:
        for t in items:
            pieces[1 if t.font in (1, 3) else 0].append(t)
    for f, items in pieces.items():
        for t, w in zip(items, natural_widths(fonts[f], [t.text for t in items])):
            t.natural = w
    added = []
    for items in lines:
        extra = sum(t.advance - t.natural for t in items) / 1000
        if abs(extra) > 0.005:
            added.append(extra)
    if not added:
        print("lines 0")
        return 1
    q = sorted(added)
    p5, p95 = q[int(0.05 * (len(q) - 1))], q[int(0.95 * (len(q) - 1))]
    print("lines %d min %.2f max %.2f spread %.2f sd %.3f em; 5th-95th percentile %.2f-%.2f" %
          (len(added), min(added), max(added), max(added) - min(added),
           statistics.pstdev(added), p5, p95))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
