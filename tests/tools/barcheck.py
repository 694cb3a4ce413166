#!/usr/bin/env python3
"""Finds a bar chart in a display-list dump and compares its bars with values: bars are
filled rectangles of one width standing on one baseline (or, in a horizontal chart, of one
thickness starting at one x), their heights (lengths) proportional to the values (same
length per unit, within 0.5 %), in order (left to right, or top to bottom).
Usage: barcheck.py DUMP VALUE... Exits 1 when no chart with that many bars matches."""
import sys
from collections import defaultdict

import dlistdump

dump, values = sys.argv[1], [float(v) for v in sys.argv[2:]]
groups = defaultdict(list)
pages, _ = dlistdump.read(dump)
for r in dlistdump.items(pages, "rect"):
    if r.fill and not r.stroke:
        groups[("up", r.page, r.y, r.w)].append((r.x, r.h))
        groups[("along", r.page, r.x, r.h)].append((-r.y, r.w))
for (_, page, y, w), bars in groups.items():
    if len(bars) != len(values):
        continue
    bars.sort()
    per_unit = [h / v for (x, h), v in zip(bars, values) if v > 0]
    if per_unit and max(per_unit) - min(per_unit) <= 0.005 * max(per_unit):
        print("page %d: %d bars match, %.4f pt per unit" % (page, len(bars), per_unit[0]))
        sys.exit(0)
print("no chart with %d bars matching %s" % (len(values), values))
sys.exit(1)
