#!/usr/bin/env python3
"""Checks a display-list dump (`--dump-layout`): every text item's ink (baseline plus the
real extent of its glyphs, marks included) and advance lie inside the page's margins.
Usage: margincheck.py DUMP LEFT RIGHT TOP BOTTOM [SKIP] (margins in points; text items
starting with SKIP, a running footer, are left out). Exits 1 on a breach."""
import sys

import dlistdump

dump, left, right, top, bottom = sys.argv[1], *map(float, sys.argv[2:6])
skip = sys.argv[6] if len(sys.argv) > 6 else None
bad = 0
items = 0
pages, _ = dlistdump.read(dump)
for page in pages:
    for t in page.texts():
        if skip and t.text.startswith(skip):
            continue
        items += 1
        if (t.x < left - 0.01 or t.right > page.width - right + 0.01 or
                t.y + t.ink_high > page.height - top + 0.01 or t.y + t.ink_low < bottom - 0.01):
            bad += 1
            if bad < 5:
                print("page %d: item outside the margins: %s" % (page.number, repr(t)[:120]))
print("%d items, %d outside" % (items, bad))
sys.exit(1 if bad or not items else 0)
