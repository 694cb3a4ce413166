#!/usr/bin/env python3
"""Checks of the line pitch and the page breaks of a report (issue 14).

  pitchcheck.py pdf FILE.pdf      from `pdftotext -bbox`: lines of one size (13 pt and up)
                                  in one column follow each other at one distance, the
                                  pitch of that size, to 0.1 pt, or further apart (another
                                  paragraph or table row: at least 1 pt more). Prints the
                                  pitches found.
  pitchcheck.py dump FILE.dump    from a layout dump: no mark ink within 0.04 em of the ink
                                  of the line above in the same column; the cells of a table
                                  row start on one baseline grid (the same baseline, or
                                  whole pitches apart); no page ends with a
                                  heading (a bookmark's text) nor with a paragraph's first
                                  line alone, none begins with a paragraph's last line
                                  alone (body text, thai-distributed: a line is a
                                  paragraph's last when it stops short of the right margin).

Exits 1 after printing the first problems."""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import dlistdump  # noqa: E402

WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">')


def lines_of_pdf(path):
    """Per page: lines as (top, height, x0, x1) from the words pdftotext finds."""
    out = subprocess.run(["pdftotext", "-bbox", path, "-"], check=True, capture_output=True,
                         text=True).stdout
    pages = []
    for chunk in out.split("<page ")[1:]:
        rows = {}
        for m in WORD.finditer(chunk):
            x0, y0, x1, y1 = map(float, m.groups())
            key = (round(y0, 3), round(y1 - y0, 2))
            r = rows.setdefault(key, [x0, x1])
            r[0], r[1] = min(r[0], x0), max(r[1], x1)
        pages.append(sorted((k[0], k[1], v[0], v[1]) for k, v in rows.items()))
    return pages


def check_pdf(path):
    pages = lines_of_pdf(path)
    steps = {}  # height -> distances between consecutive lines of a column
    for lines in pages:
        for i, (top, h, x0, x1) in enumerate(lines):
            if h < 16.8:  # below 13 pt: footers, chart labels
                continue
            # the next line of the same height below whose x range overlaps this one
            for top2, h2, a0, a1 in lines[i + 1:]:
                if abs(h2 - h) < 0.05 and a0 < x1 and a1 > x0 and top2 > top + h / 2:
                    steps.setdefault(round(h, 1), []).append(top2 - top)
                    break
    problems = []
    for h, ds in sorted(steps.items()):
        pitch = min(ds)
        odd = [d for d in ds if abs(d - pitch) > 0.1 and d < pitch + 1.0]
        print("height %.1f: pitch %.2f pt over %d steps, %d off the pitch" %
              (h, pitch, sum(1 for d in ds if abs(d - pitch) <= 0.1), len(odd)))
        if odd:
            problems.append("height %.1f: steps %s are neither the pitch %.2f nor a gap" %
                            (h, ", ".join("%.2f" % d for d in sorted(set(odd))[:5]), pitch))
    return problems


def check_dump(path):
    pages, outlines = dlistdump.read(path)
    problems = []
    pitch = {}  # size -> the least distance between a line and the one above in its column
    for page in pages:
        texts = page.texts()
        # mark clearance: each line against the nearest line above it in its column
        lines = {}
        for t in texts:
            lines.setdefault((round(t.y, 2), t.size), []).append(t)
        rows = sorted(lines.items(), key=lambda kv: -kv[0][0])
        for i, ((y, size), items) in enumerate(rows):
            x0, x1 = min(t.x for t in items), max(t.right for t in items)
            for (y2, size2), items2 in rows[i + 1:]:
                a0, a1 = min(t.x for t in items2), max(t.right for t in items2)
                if size2 != size or not (a0 < x1 and a1 > x0) or y - y2 < 0.5 * size:
                    continue
                if y - y2 > 2.2 * size:
                    break  # not the next line of a paragraph
                pitch[size] = min(pitch.get(size, 1e9), y - y2)
                low = min(y + t.ink_low for t in items)
                high = max(y2 + t.ink_high for t in items2)
                if low - high < 0.04 * size - 0.005:
                    problems.append("page %d: ink of the line at y=%.2f comes within %.2f pt of "
                                    "the line above (y=%.2f)" % (page.number, y2, low - high, y))
                break
        # headings at the bottom of a page
        if texts:
            lowest = min(texts, key=lambda t: t.y)
            for o in outlines:
                if o.page == page.number and o.text.startswith(lowest.text) and \
                        abs(o.y - lowest.y) < 3 * lowest.size:
                    problems.append("page %d ends with the heading %r" % (page.number, o.text))
    # cells of one table row: their first baselines on one grid (the same, or whole
    # pitches apart where a cell is set in the middle of its box)
    for page in pages:
        rows = {}
        for r in page.items:
            if r.kind == "rect" and r.stroke:
                rows.setdefault(round(r.y + r.h, 2), []).append(r)
        texts = page.texts()
        for top, cells in rows.items():
            firsts = {}
            for r in cells:
                inside = [t for t in texts if r.x <= t.x < r.x + r.w and r.y <= t.y <= r.y + r.h]
                if inside:
                    first = max(inside, key=lambda t: t.y)
                    firsts.setdefault(first.size, []).append(top - first.y)
            for size, offsets in firsts.items():
                p = pitch.get(size)
                if not p or len(offsets) < 2:
                    continue
                base = min(offsets)
                for o in offsets:
                    k = round((o - base) / p)
                    if abs(o - base - k * p) > 0.1:
                        problems.append("page %d: cells of the row at y=%.2f start %.2f pt off "
                                        "their neighbours' baseline grid" %
                                        (page.number, top, o - base - k * p))
                        break
    # body paragraphs (16 pt, thai-distributed) at page breaks
    right = lambda page: page.width - 56.69  # noqa: E731
    for a, b in zip(pages, pages[1:]):
        body_a = [t for t in a.texts() if t.size == 16.0 and t.font == 0]
        body_b = [t for t in b.texts() if t.size == 16.0 and t.font == 0]
        if not body_a or not body_b:
            continue
        last_a = min(body_a, key=lambda t: t.y)
        if min(t.y for t in a.texts()) < last_a.y - 0.01:
            continue  # something else ends the page
        above = [t for t in body_a if 0.5 < t.y - last_a.y < 30 and abs(t.x - last_a.x) < 40]
        full = abs(max(t.right for t in body_a if abs(t.y - last_a.y) < 0.01) - right(a)) < 0.3
        if full and not above:
            problems.append("page %d ends with a paragraph's first line alone" % a.number)
        first_b = max(body_b, key=lambda t: t.y)
        if max(t.y for t in b.texts()) > first_b.y + 0.01:
            continue
        below = [t for t in body_b if 0.5 < first_b.y - t.y < 30]
        short = max(t.right for t in body_b if abs(t.y - first_b.y) < 0.01) < right(b) - 0.3
        if full and short and not below:
            problems.append("page %d begins with a paragraph's last line alone" % b.number)
    return problems


def main(argv):
    if len(argv) != 3 or argv[1] not in ("pdf", "dump"):
        print(__doc__, file=sys.stderr)
        return 2
    problems = check_pdf(argv[2]) if argv[1] == "pdf" else check_dump(argv[2])
    for p in problems[:10]:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
