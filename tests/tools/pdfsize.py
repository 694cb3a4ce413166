#!/usr/bin/env python3
"""Splits a PDF written by itareport into embedded font programs and everything else.
Usage: pdfsize.py FILE.pdf. Prints total bytes, font program bytes (the streams whose
dictionary has /Length1, as stored), pages, and bytes per page beyond the fonts."""
import re
import subprocess
import sys

data = open(sys.argv[1], "rb").read()
objects = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj\s*(.*?)endobj", data, re.S)}


def value(raw):
    m = re.match(rb"(\d+) 0 R", raw)
    return int(objects[int(m[1])].strip()) if m else int(raw)


fonts = 0
for body in objects.values():
    if b"/Length1" in body:
        m = re.search(rb"/Length (\d+ 0 R|\d+)", body)
        fonts += value(m[1])
pages = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
    ["pdfinfo", sys.argv[1]], capture_output=True, text=True).stdout)[1])
print("%d bytes, font programs %d bytes, %d pages, %.0f bytes per page beyond the fonts"
      % (len(data), fonts, pages, (len(data) - fonts) / pages))
