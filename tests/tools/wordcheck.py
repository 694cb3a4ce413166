#!/usr/bin/env python3
"""Words cut across lines, in a layout dump or in pdftotext's text of a report.

Usage:
  wordcheck.py dump DUMP WORDS PLACES [SOURCE...]
                                         lines from `--dump-layout` (text items of one line
                                         joined; a line follows another when it is the next
                                         one down in the same column, or the first of the
                                         next page at the same left)
  wordcheck.py text TXT WORDS PLACES [SOURCE...]
                                         consecutive lines of pdftotext's output (footers
                                         and page breaks left out)
  wordcheck.py count DUMP|TXT WORD       how often WORD is cut (A|B at a line end), one number
  wordcheck.py paragraphs YAML...        the long Thai texts of YAML files (40 Thai letters
                                         or more, no placeholder), one per line, to lay out
  wordcheck.py lastline TEXT DUMP BRKWORDS
                                         TEXT (one paragraph per line) laid out by `itareport
                                         text --dump-layout`: every paragraph's last line
                                         holds two words (counted by `BRKWORDS --count`) or
                                         eight characters, unless the paragraph is one line

WORDS is dict/words.txt (never split; words of fewer than four characters, like อบต, are
left to tests/unit/test_brk.c: at a line end they match too often by chance, "รับผิดชอบ" /
"ตอบ..." reading as อบ|ต), PLACES dict/places.txt (stay with the name after
them: a line may not end with one when the next line starts with a Thai letter). With
SOURCE files (the input and the template's wording), also fails when a line starts with a
dash and a space where the text before it and the line's start stand together in a
source, dash after a space: a mid-sentence "ติดต่อ - สอบถาม" cut before the dash (a list
item "- ..." of its own is not). A word cut where the line above holds nothing but its
start is wider than its column: reported as a note, not a finding (no break could help;
the column must fit it). Prints each finding as
"WHERE: A|B" and a closing count; exits 1 when there is any."""
import re
import sys

import dlistdump

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"


def read_list(path, shortest=1):
    with open(path, encoding="utf-8") as f:
        return [w.strip() for w in f
                if w.strip() and not w.startswith("#") and len(w.strip()) >= shortest]


def is_thai_letter(ch):
    return "\u0e01" <= ch <= "\u0e2e" or "\u0e40" <= ch <= "\u0e44"


FOOTER = re.compile(r"^\s*หน้า [0-9๐-๙]+ / [0-9๐-๙]+\s*$")


def dump_pairs(path):
    """(where, line above, line below) for each line that continues the one above it: the
    next line down in the same column, or the first line of the next page at the same left
    as the last line (the footer left out) of the page before."""
    pages, _ = dlistdump.read(path)
    previous = None
    for page in pages:
        lines = []  # [y, x, right, size, text]
        for item in page.texts():
            last = lines[-1] if lines else None
            if last and abs(last[0] - item.y) < 0.01 and abs(last[2] - item.x) < item.size:
                last[2], last[4] = item.right, last[4] + item.text
            else:
                lines.append([item.y, item.x, item.right, item.size, item.text])
        lines = [l for l in lines if not FOOTER.match(l[4])]
        if previous and lines and abs(previous[1] - lines[0][1]) < 3 * previous[3]:
            yield "page %d top" % page.number, previous[4], lines[0][4]
        for a, b in zip(lines, lines[1:]):
            # The next line down, in the same column (starting within the line above, or
            # left of it by a first-line indent).
            if 0 < a[0] - b[0] < 2.5 * a[3] and a[1] - 3 * a[3] <= b[1] <= a[2]:
                yield "page %d y=%.2f" % (page.number, b[0]), a[4], b[4]
        previous = lines[-1] if lines else None


def text_pairs(path):
    """Consecutive lines of pdftotext's text; a page's footer and the blank lines before
    the next page are left out, so that a paragraph running over a page is one."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines, n = [], 0
    for raw in text.split("\n"):
        n += 1
        if FOOTER.match(raw.replace("\f", "")):
            continue
        if raw.startswith("\f"):
            while lines and not lines[-1][1].strip():
                lines.pop()
            raw = raw.lstrip("\f")
        lines.append((n, raw))
    for (_, a), (m, b) in zip(lines, lines[1:]):
        if a.strip() and b.strip():
            yield "line %d" % m, a, b


def cuts(a, b, word):
    """Whether word runs from the end of a into the start of b."""
    a, b = a.rstrip(), b.lstrip()
    for k in range(1, len(word)):
        if a.endswith(word[:k]) and b.startswith(word[k:]):
            return word[:k] + "|" + word[k:]
    return None


def findings(pairs, words, places, corpus, notes):
    for where, a, b in pairs:
        cut_words = [c for c in (cuts(a, b, w) for w in words) if c]
        # The line above is nothing but the start of a listed word: that word alone is
        # wider than the column, and so every cut at this line end is excused.
        wide = [c for c in cut_words if a.strip() == c.split("|")[0]]
        if wide:
            notes.append((where, max(wide, key=len)))
        else:
            # One finding per cut: ข้อคำ|ถาม, not also คำ|ถาม.
            for cut in cut_words:
                if not any(len(o) > len(cut) and cut in o for o in cut_words):
                    yield where, cut
        tail = a.rstrip()
        for p in places:
            if tail.endswith(p) and b.lstrip() and is_thai_letter(b.lstrip()[0]):
                yield where, p + "|" + b.lstrip()[:12]
        head = b.lstrip()
        if (corpus and len(head) > 1 and head[0] in DASHES and head[1] == " " and
                tail[-6:] + " " + head[:8] in corpus):
            yield where, tail[-12:] + "|" + head[:12]


def spacing(ch):
    """Characters that take space: not Thai marks, not spaces."""
    return not ch.isspace() and not ("\u0e31" == ch or "\u0e34" <= ch <= "\u0e3a" or
                                     "\u0e47" <= ch <= "\u0e4e")


def last_lines(text_path, dump_path, brkwords):
    """Findings for paragraphs whose last line is short; prints a summary line."""
    with open(text_path, encoding="utf-8") as f:
        paragraphs = [l.rstrip("\n") for l in f if l.strip()]
    pages, _ = dlistdump.read(dump_path)
    lines = []
    for page in pages:
        for item in page.texts():
            if lines and lines[-1][0] == (page.number, item.y):
                lines[-1][1] += item.text
            else:
                lines.append([(page.number, item.y), item.text])
    squeeze = lambda t: "".join(t.split())
    tails, k = [], 0
    for p in paragraphs:
        want, got, count = squeeze(p), "", 0
        while k < len(lines) and len(got) < len(want):
            got += squeeze(lines[k][1])
            k += 1
            count += 1
        if got != want:
            return [("paragraph %r" % p[:20], "lines do not match the text")]
        if count > 1:
            tails.append((p, lines[k - 1][1].strip()))
    import subprocess, tempfile
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt") as tmp:
        tmp.write("".join(t + "\n" for _, t in tails))
        tmp.flush()
        words = [int(w) for w in subprocess.run([brkwords, "--count", tmp.name], check=True,
                                                capture_output=True, text=True).stdout.split()]
    short = [(p[:20], t) for (p, t), w in zip(tails, words)
             if w < 2 and sum(map(spacing, t)) < 8]
    print("%s: %d paragraphs of several lines, %d with a short last line"
          % (dump_path, len(tails), len(short)))
    return short


def paragraphs(paths):
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for line in f:
                t = line.strip()
                if t.startswith("#"):
                    continue
                t = re.sub(r"^(- )?", "", t)
                t = re.sub(r"^[A-Za-z_0-9]+: *", "", t).strip("\"'|> ")
                if sum("\u0e01" <= c <= "\u0e5b" for c in t) >= 40 and "{" not in t:
                    print(t)


def main(argv):
    if len(argv) > 2 and argv[1] == "paragraphs":
        paragraphs(argv[2:])
        return 0
    if len(argv) == 5 and argv[1] == "lastline":
        found = last_lines(argv[2], argv[3], argv[4])
        for where, what in found:
            print("%s: %s: last line %r" % (argv[3], where, what))
        return 1 if found else 0
    if len(argv) == 4 and argv[1] == "count":
        pairs = dump_pairs(argv[2]) if argv[2].endswith(".dump") else text_pairs(argv[2])
        print(sum(1 for _, a, b in pairs if cuts(a, b, argv[3])))
        return 0
    if len(argv) < 5 or argv[1] not in ("dump", "text"):
        sys.stderr.write(__doc__)
        return 2
    corpus = ""
    for source in argv[5:]:
        with open(source, encoding="utf-8") as f:
            corpus += re.sub(r"[ \t]+", " ", f.read()) + "\n"
    pairs = dump_pairs(argv[2]) if argv[1] == "dump" else text_pairs(argv[2])
    notes = []
    found = list(findings(pairs, read_list(argv[3], 4), read_list(argv[4]), corpus, notes))
    for where, cut in found:
        print("%s: %s: %s" % (argv[2], where, cut))
    for where, cut in notes:
        print("%s: %s: note: %s is wider than its column" % (argv[2], where, cut.replace("|", "")))
    print("%s: %d words cut" % (argv[2], len(found)))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
