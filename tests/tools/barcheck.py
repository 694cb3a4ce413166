#!/usr/bin/env python3
"""Finds a bar chart in a display-list dump and compares its bars with values: bars are
filled rectangles of one width standing on one baseline; their heights must be
proportional to the values (same height per unit, within 0.5 %), in order.
Usage: barcheck.py DUMP VALUE... Exits 1 when no chart with that many bars matches."""
import sys
from collections import defaultdict

import dlistdump

dump, values = sys.argv[1], [float(v) for v in sys.argv[2:]]
groups = defaultdict(list)
pages, _ = dlistdump.read(dump)
for r in dlistdump.items(pages, "rect"):
    if r.fill and not r.stroke:
        groups[(r.page, r.y, r.w)].append((r.x, r.h))
for (page, y, w), bars in groups.items():
    if len(bars) != len(values):
        continue
    bars.sort()
    per_unit = [h / v for (x, h), v in zip(bars, values) if v > 0]
    if per_unit and max(per_unit) - min(per_unit) <= 0.005 * max(per_unit):
        print("page %d: %d bars match, %.4f pt per unit" % (page, len(bars), per_unit[0]))
        sys.exit(0)
print("no chart with %d bars matching %s" % (len(values), values))
sys.exit(1)
