#!/usr/bin/env python3
"""Checks the charts of a display-list dump (`--dump-layout`) against issue 14's rules.

  chartcheck.py clear DUMP      no number label's ink is crossed by a reference line (the
                                pass mark: lines 1.2 pt wide and longer than 30 pt); prints
                                how many labels were looked at beside such lines
  chartcheck.py names DUMP PAGE NAME...
                                a horizontal chart on PAGE: each NAME is a label at the left
                                of the bars (its right edge at most the bars' left edge) on
                                the height of one bar, in the order given, top to bottom;
                                prints each bar's colour (RRGGBB), one line per name
Exits 1 (saying why) when a rule does not hold."""
import re
import sys

import dlistdump

NUMBER = re.compile(r"^[0-9๐-๙]+([.][0-9๐-๙]+)?$")


def reference_lines(page):
    return [i for i in page.items if i.kind == "line" and abs(i.width - 1.2) < 0.01 and
            max(abs(i.x2 - i.x1), abs(i.y2 - i.y1)) > 30]


def crosses(line, t):
    low, high = t.y + t.ink_low, t.y + t.ink_high
    if abs(line.x1 - line.x2) < 0.01:  # vertical: x within the label, y span overlapping
        return (t.x < line.x1 < t.right and min(line.y1, line.y2) < high and
                max(line.y1, line.y2) > low)
    y = line.y1  # horizontal
    return low < y < high and min(line.x1, line.x2) < t.right and max(line.x1, line.x2) > t.x


def clear(path):
    pages, _ = dlistdump.read(path)
    looked, bad = 0, []
    for page in pages:
        lines = reference_lines(page)
        if not lines:
            continue
        for t in page.texts():
            if not NUMBER.match(t.text):
                continue
            looked += 1
            for line in lines:
                if crosses(line, t):
                    bad.append("page %d: %r crossed by the line at %.2f,%.2f-%.2f,%.2f" %
                               (page.number, t.text, line.x1, line.y1, line.x2, line.y2))
    for b in bad:
        print(b)
    print("%d number labels beside reference lines, %d crossed" % (looked, len(bad)))
    return 1 if bad or not looked else 0


def names(path, number, wanted):
    pages, _ = dlistdump.read(path)
    page = next((p for p in pages if p.number == number), None)
    if not page:
        print("no page %d" % number)
        return 1
    bars = [r for r in page.items if r.kind == "rect" and r.fill and not r.stroke and r.h < 40]
    status, last_y = 0, None
    for name in wanted:
        label = next((t for t in page.texts() if t.text == name), None)
        if not label:
            print("no label %r on page %d" % (name, number))
            status = 1
            continue
        mid = label.y + (label.ink_low + label.ink_high) / 2
        bar = next((b for b in bars if b.y - 2 <= mid <= b.y + b.h + 2 and b.x >= label.right - 0.01),
                   None)
        if not bar:
            print("%r: no bar at its height, right of it" % name)
            status = 1
            continue
        if last_y is not None and label.y >= last_y:
            print("%r: not below the name before it" % name)
            status = 1
        last_y = label.y
        print("%s %s" % (bar.rgb, name))
    return status


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "clear":
        sys.exit(clear(sys.argv[2]))
    if len(sys.argv) >= 5 and sys.argv[1] == "names":
        sys.exit(names(sys.argv[2], int(sys.argv[3]), sys.argv[4:]))
    print(__doc__)
    sys.exit(2)
