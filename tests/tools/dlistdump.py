#!/usr/bin/env python3
"""The one reader of display-list dumps (`itareport render|text --dump-layout`, written by
src/dlist.c's dlist_dump), used by every suite and tool that looks at a layout.

As a module: `pages, outlines = dlistdump.read(path)`; each page has number, width, height
and items; each item has kind ("text", "rect", "image", "line"), page, its fields as floats
(x, y, w, h, size, advance, ink_low, ink_high, font, glyphs, fill, stroke, x1, y1, x2, y2,
width; a rect's rgb, "RRGGBB" when filled) and, for text, text and right (x + advance * size / 1000).

As a command:
  dlistdump.py items FILE [KIND]         one line per item: page kind field=value... "text"
  dlistdump.py get FIELD FILE TEXT       FIELD of the first text item whose text is TEXT
  dlistdump.py count KIND FILE           how many items of a kind (rect: filled ones only
                                         with KIND rect-filled)
"""
import re
import sys

_PAGE = re.compile(r"^page (\d+) ([\d.]+) ([\d.]+)$")
_OUTLINE = re.compile(r'^outline level=(\d+) page=(\d+) y=(-?[\d.]+) "(.*)"$')
_TEXT = re.compile(r'^  text font=(\d+) size=([\d.]+) x=(-?[\d.]+) y=(-?[\d.]+) glyphs=(\d+) '
                   r'advance=(-?\d+) ink=(-?[\d.]+)\.\.(-?[\d.]+) "(.*)"$')
_RECT = re.compile(r"^  rect x=(-?[\d.]+) y=(-?[\d.]+) w=(-?[\d.]+) h=(-?[\d.]+) "
                   r"fill=(\d) stroke=(\d)(?: rgb=([0-9A-F]{6}))?")
_IMAGE = re.compile(r"^  image x=(-?[\d.]+) y=(-?[\d.]+) w=(-?[\d.]+) h=(-?[\d.]+)")
_LINE = re.compile(r"^  line (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) width=([\d.]+)")


class Item:
    def __init__(self, kind, page, **fields):
        self.kind, self.page, self.text = kind, page, fields.pop("text", None)
        self.__dict__.update(fields)
        if kind == "text":
            self.right = self.x + self.advance * self.size / 1000

    def __repr__(self):
        fields = " ".join("%s=%g" % (k, v) for k, v in sorted(self.__dict__.items())
                          if k not in ("kind", "page", "text", "rgb"))
        if getattr(self, "rgb", None):
            fields += " rgb=%s" % self.rgb
        return "%d %s %s%s" % (self.page, self.kind, fields,
                               ' "%s"' % self.text if self.text is not None else "")


class Page:
    def __init__(self, number, width, height):
        self.number, self.width, self.height, self.items = number, width, height, []

    def texts(self):
        return [i for i in self.items if i.kind == "text"]


class Outline:
    def __init__(self, level, page, y, text):
        self.level, self.page, self.y, self.text = level, page, y, text


def parse(lines):
    """Pages and outlines of a dump given as lines; an unknown line is an error."""
    pages, outlines = [], []
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip("\n")
        if not line:
            continue
        m = _PAGE.match(line)
        if m:
            pages.append(Page(int(m[1]), float(m[2]), float(m[3])))
            continue
        m = _OUTLINE.match(line)
        if m:
            outlines.append(Outline(int(m[1]), int(m[2]), float(m[3]), m[4]))
            continue
        page = pages[-1].number if pages else 0
        if (m := _TEXT.match(line)):
            item = Item("text", page, font=int(m[1]), size=float(m[2]), x=float(m[3]),
                        y=float(m[4]), glyphs=int(m[5]), advance=int(m[6]),
                        ink_low=float(m[7]), ink_high=float(m[8]), text=m[9])
        elif (m := _RECT.match(line)):
            item = Item("rect", page, x=float(m[1]), y=float(m[2]), w=float(m[3]),
                        h=float(m[4]), fill=int(m[5]), stroke=int(m[6]))
            item.rgb = m[7]  # a filled rectangle's colour, RRGGBB
        elif (m := _IMAGE.match(line)):
            item = Item("image", page, x=float(m[1]), y=float(m[2]), w=float(m[3]),
                        h=float(m[4]))
        elif (m := _LINE.match(line)):
            item = Item("line", page, x1=float(m[1]), y1=float(m[2]), x2=float(m[3]),
                        y2=float(m[4]), width=float(m[5]))
        else:
            raise ValueError("line %d is not a display-list dump line: %r" % (n, line[:80]))
        if not pages:
            raise ValueError("line %d: an item before the first page" % n)
        pages[-1].items.append(item)
    return pages, outlines


def read(path):
    with open(path, encoding="utf-8") as f:
        return parse(f)


def items(pages, kind=None):
    return [i for p in pages for i in p.items if kind is None or i.kind == kind]


def main(argv):
    if len(argv) >= 3 and argv[1] == "items":
        pages, _ = read(argv[2])
        for item in items(pages, argv[3] if len(argv) > 3 else None):
            print(item)
        return 0
    if len(argv) == 5 and argv[1] == "get":
        pages, _ = read(argv[3])
        for item in items(pages, "text"):
            if item.text == argv[4]:
                print("%.2f" % getattr(item, argv[2]) if argv[2] != "advance" else item.advance)
                return 0
        print("no text item %r" % argv[4], file=sys.stderr)
        return 1
    if len(argv) == 4 and argv[1] == "count":
        pages, _ = read(argv[3])
        kind = argv[2]
        found = items(pages, "rect" if kind == "rect-filled" else kind)
        if kind == "rect-filled":
            found = [r for r in found if r.fill and not r.stroke]
        print(len(found))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
