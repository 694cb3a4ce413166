#!/usr/bin/env python3
"""Checks a display-list dump (`--dump-layout`): every text item's ink (baseline plus the
real extent of its glyphs, marks included) and advance lie inside the page's margins.
Usage: margincheck.py DUMP LEFT RIGHT TOP BOTTOM [SKIP] (margins in points; text items
starting with SKIP, a running footer, are left out). Exits 1 on a breach."""
import re
import sys

dump, left, right, top, bottom = sys.argv[1], *map(float, sys.argv[2:6])
skip = sys.argv[6] if len(sys.argv) > 6 else None
width = height = 0
bad = 0
items = 0
for line in open(dump, encoding="utf-8"):
    m = re.match(r"page (\d+) ([\d.]+) ([\d.]+)", line)
    if m:
        page, width, height = int(m[1]), float(m[2]), float(m[3])
        continue
    m = re.search(r"size=([\d.]+) x=([-\d.]+) y=([-\d.]+) glyphs=\d+ advance=(-?\d+) "
                  r"ink=(-?[\d.]+)\.\.(-?[\d.]+)", line)
    if not m or (skip and ('"' + skip) in line):
        continue
    items += 1
    size, x, y, adv, ink_low, ink_high = map(float, m.groups())
    right_edge = x + adv * size / 1000
    if (x < left - 0.01 or right_edge > width - right + 0.01 or
            y + ink_high > height - top + 0.01 or y + ink_low < bottom - 0.01):
        bad += 1
        if bad < 5:
            print("page %d: item outside the margins: %s" % (page, line.strip()[:120]))
print("%d items, %d outside" % (items, bad))
sys.exit(1 if bad or not items else 0)
