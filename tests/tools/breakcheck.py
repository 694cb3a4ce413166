#!/usr/bin/env python3
"""Checks the lines of a laid-out breaks.txt against its forbidden points and the measure.

Usage:
  breakcheck.py text CASES OUT       write the cases as plain text, one paragraph per line
  breakcheck.py join CASES N OUT     write the cases joined N at a time by a space into longer
                                     cases (same format), so narrow measures break more
  breakcheck.py check CASES DUMP RIGHT
                                     read `itareport text --dump-layout` output of that text;
                                     fail when a line ends at a '#' point of its case or an
                                     item's right edge (x + advance * size / 1000) passes RIGHT

CASES is tests/data/breaks.txt (its header describes the format). Line texts are rebuilt
from the dump's text items (one per line and font, in order), mapped back onto the cases
in order; a break consumes the spaces at it, so a line that ends before spaces breaks at
all of them. U+200B never reaches the output and is left out of the mapping. The
command-line program cannot be given names, so '#' points strictly inside a name of an
@names line are not checked here (tests/unit/test_brk.c checks them)."""
import sys

import dlistdump

ZWSP = "\u200b"
SPACES = " \t"


def parse_cases(path):
    """Yields (line number, text, forbidden offsets, names) per case; offsets index text."""
    for lineno, text, marks, names in parse_marks(path):
        yield lineno, text, {i for i, m in marks.items() if m == "#"}, names


def parse_marks(path):
    """Yields (line number, text, {offset: mark}, names) per case."""
    names = []
    with open(path, encoding="utf-8") as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\r\n")
            if not line or line.startswith(";"):
                continue
            if line.startswith("@names"):
                names = line[len("@names"):].split()
                continue
            text, marks, i = [], {}, 0
            while i < len(line):
                ch = line[i]
                if ch in "|#~":
                    marks[len(text)] = ch
                    i += 1
                elif line.startswith("\\u", i):
                    text.append(chr(int(line[i + 2:i + 6], 16)))
                    i += 6
                elif ch == "\\":
                    text.append(line[i + 1])
                    i += 2
                else:
                    text.append(ch)
                    i += 1
            yield lineno, "".join(text), marks, names


def write_case(out, text, marks):
    """Writes one case line: marks, escapes for \\ | # and invisible characters."""
    for i, ch in enumerate(text + "\n"):
        out.write(marks.get(i, ""))
        if ch in "\\|#":
            out.write("\\" + ch)
        elif ch in "\u00a0\u2060\u200b" or "\u0300" <= ch <= "\u036f":
            out.write(f"\\u{ord(ch):04X}")
        else:
            out.write(ch)


def join_cases(path, n, out_path):
    """Joins runs of n cases (with the same names) by a space after which a break is allowed."""
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("; joined from %s\n" % path)
        group, group_names = [], None

        def flush():
            if group:
                text, marks = "", {}
                for k, (t, m) in enumerate(group):
                    if k:
                        text += " "
                        marks[len(text)] = "|"
                    marks.update({len(text) + i: v for i, v in m.items()
                                  if not (k and i == 0) or v == "#"})
                    text += t
                write_case(out, text, marks)
                group.clear()

        for _, text, marks, names in parse_marks(path):
            if names != group_names or len(group) == n:
                flush()
                if names != group_names:
                    out.write("@names " + " ".join(names) + "\n")
                group_names = names
            group.append((text, marks))
        flush()


def checked_points(text, forbidden, names):
    """The case without U+200B and its forbidden points in that text, names' insides left out."""
    inside = set()
    for name in names:
        at = text.find(name)
        while at >= 0:
            inside.update(range(at + 1, at + len(name)))
            at = text.find(name, at + 1)
    clean, where = [], {}
    for i, ch in enumerate(text):
        where[i] = len(clean)
        if ch != ZWSP:
            clean.append(ch)
    where[len(text)] = len(clean)
    points = {where[i] for i in forbidden if i not in inside}
    return "".join(clean), points, len(forbidden & inside)


def dump_lines(path):
    """Lines of the dump as (text, [(x, advance, size)]) in order."""
    lines, key = [], None
    pages, _ = dlistdump.read(path)
    for t in dlistdump.items(pages, "text"):
        if (t.page, t.y) != key:
            lines.append(["", []])
            key = (t.page, t.y)
        lines[-1][0] += t.text
        lines[-1][1].append((t.x, t.advance, t.size))
    return lines


def check(cases_path, dump_path, right):
    lines = dump_lines(dump_path)
    problems, at, breaks, skipped = [], 0, 0, 0
    for lineno, text, forbidden, names in parse_cases(cases_path):
        clean, points, ignored = checked_points(text, forbidden, names)
        skipped += ignored
        pos, shown = 0, []
        while pos < len(clean):
            if at >= len(lines):
                problems.append(f"line {lineno}: the dump ends inside the case")
                break
            line_text, items = lines[at]
            at += 1
            for x, advance, size in items:
                edge = x + advance * size / 1000
                if edge > right + 0.01:
                    problems.append(f"line {lineno}: line '{line_text}' reaches {edge:.2f} pt, "
                                    f"past {right:.2f}")
            if not clean.startswith(line_text, pos) or not line_text:
                problems.append(f"line {lineno}: laid-out line '{line_text}' is not the text at "
                                f"'{clean[pos:]}'")
                pos = len(clean)
                break
            shown.append(line_text)
            end = pos + len(line_text)
            pos = end
            while pos < len(clean) and clean[pos] in SPACES:
                pos += 1
            if pos < len(clean):
                breaks += 1
                hit = sorted(p for p in points if end <= p <= pos)
                if hit:
                    problems.append(f"line {lineno}: a line ends at a forbidden point: "
                                    f"'{clean[:end]}' / '{clean[pos:]}'")
    if at != len(lines):
        problems.append(f"{len(lines) - at} laid-out lines left over after the last case")
    for p in problems:
        print(p)
    print(f"{len(lines)} lines, {breaks} breaks checked, {skipped} name points not checked")
    return not problems


def main(argv):
    if len(argv) == 4 and argv[1] == "text":
        with open(argv[3], "w", encoding="utf-8") as out:
            for _, text, _, _ in parse_cases(argv[2]):
                out.write(text + "\n")
        return 0
    if len(argv) == 5 and argv[1] == "join":
        join_cases(argv[2], int(argv[3]), argv[4])
        return 0
    if len(argv) == 5 and argv[1] == "check":
        return 0 if check(argv[2], argv[3], float(argv[4])) else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
