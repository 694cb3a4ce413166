#!/usr/bin/env python3
"""Checks text extracted from a PDF against its source: the extracted lines, in order,
must be exact consecutive pieces of the source with only whitespace (a consumed space or a
line break) between them, and nothing may be left over. Usage: linecheck.py SOURCE EXTRACTED.
Prints the first mismatch and exits 1."""
import sys

source = open(sys.argv[1], encoding="utf-8").read().lstrip("\ufeff")
lines = [l.rstrip("\n") for l in open(sys.argv[2], encoding="utf-8").read().replace("\f", "\n").split("\n")]
pos = 0
for number, line in enumerate(lines, 1):
    if not line.strip():
        continue
    while pos < len(source) and source[pos] in " \n\r\t":
        pos += 1
    if not source.startswith(line, pos):
        print("extracted line %d differs from the source:\n  got  %r\n  want %r"
              % (number, line, source[pos:pos + len(line) + 10]))
        sys.exit(1)
    pos += len(line)
if source[pos:].strip():
    print("source text not extracted: %r" % source[pos:pos + 60])
    sys.exit(1)
