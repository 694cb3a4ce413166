#!/usr/bin/env python3
"""Words cut across lines, in a layout dump or in pdftotext's text of a report.

Usage:
  wordcheck.py dump DUMP WORDS PLACES    lines from `--dump-layout` (text items of one line
                                         joined; a line follows another when it is the next
                                         one down in the same column)
  wordcheck.py text TXT WORDS PLACES     consecutive lines of pdftotext's output
  wordcheck.py count DUMP|TXT WORD       how often WORD is cut (A|B at a line end), one number

WORDS is dict/words.txt (never split), PLACES dict/places.txt (stay with the name after
them: a line may not end with one when the next line starts with a Thai letter). Also
fails when a line that continues another starts with a dash followed by a space (a
mid-sentence "ติดต่อ - สอบถาม" cut before the dash). Prints each finding as
"WHERE: A|B" and a closing count; exits 1 when there is any."""
import sys

import dlistdump

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def read_list(path):
    with open(path, encoding="utf-8") as f:
        return [w.strip() for w in f if w.strip() and not w.startswith("#")]


def is_thai_letter(ch):
    return "\u0e01" <= ch <= "\u0e2e" or "\u0e40" <= ch <= "\u0e44"


def dump_pairs(path):
    """(where, line above, line below) for each line that continues the one above it."""
    pages, _ = dlistdump.read(path)
    for page in pages:
        lines = []  # [y, x, right, size, text]
        for item in page.texts():
            last = lines[-1] if lines else None
            if last and abs(last[0] - item.y) < 0.01 and abs(last[2] - item.x) < item.size:
                last[2], last[4] = item.right, last[4] + item.text
            else:
                lines.append([item.y, item.x, item.right, item.size, item.text])
        for a, b in zip(lines, lines[1:]):
            # The next line down, in the same column (starting within the line above).
            if 0 < a[0] - b[0] < 2.5 * a[3] and a[1] - a[3] <= b[1] <= a[2]:
                yield "page %d y=%.2f" % (page.number, b[0]), a[4], b[4]


def text_pairs(path):
    with open(path, encoding="utf-8") as f:
        lines = [l.rstrip("\n\f") for l in f]
    for n, (a, b) in enumerate(zip(lines, lines[1:]), 2):
        if a.strip() and b.strip():
            yield "line %d" % n, a, b


def cuts(a, b, word):
    """Whether word runs from the end of a into the start of b."""
    a, b = a.rstrip(), b.lstrip()
    for k in range(1, len(word)):
        if a.endswith(word[:k]) and b.startswith(word[k:]):
            return word[:k] + "|" + word[k:]
    return None


def findings(pairs, words, places):
    for where, a, b in pairs:
        for w in words:
            cut = cuts(a, b, w)
            if cut:
                yield where, cut
        tail = a.rstrip()
        for p in places:
            if tail.endswith(p) and b.lstrip() and is_thai_letter(b.lstrip()[0]):
                yield where, p + "|" + b.lstrip()[:12]
        head = b.lstrip()
        if len(head) > 1 and head[0] in DASHES and head[1] == " ":
            yield where, tail[-12:] + "|" + head[:12]


def main(argv):
    if len(argv) == 4 and argv[1] == "count":
        pairs = dump_pairs(argv[2]) if argv[2].endswith(".dump") else text_pairs(argv[2])
        print(sum(1 for _, a, b in pairs if cuts(a, b, argv[3])))
        return 0
    if len(argv) != 5 or argv[1] not in ("dump", "text"):
        sys.stderr.write(__doc__)
        return 2
    pairs = dump_pairs(argv[2]) if argv[1] == "dump" else text_pairs(argv[2])
    found = list(findings(pairs, read_list(argv[3]), read_list(argv[4])))
    for where, cut in found:
        print("%s: %s: %s" % (argv[2], where, cut))
    print("%s: %d words cut" % (argv[2], len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
