#!/usr/bin/env python3
"""Lists every message of the sources as (id, English format, file:line), from the calls that
report: diag_fail/diag_warn/diag_note(dg, pos, ID, FMT, ...), diag_emit(dg, sev, pos, ID, FMT),
cmd_usage_error(dg, command, ID, FMT), and the modules' own wrappers that take an id before the
format (error_at, error_once, analyse_add_message). Usage: msgids.py [--check] SRC_DIR

With --check: exits 1, naming the problem, when an id has two different formats, an id is
not kebab-case, or a format is not a string literal; prints "N messages, M ids" otherwise.
Without: prints one "id<TAB>format" line per id (the catalogue gettext's msgids come from)."""
import re
import sys
from pathlib import Path

# call name -> index of the id argument (the format follows it)
CALLS = {"diag_fail": 2, "diag_warn": 2, "diag_note": 2, "diag_emit": 3, "diag_vemit": 3,
         "cmd_usage_error": 2, "error_at": 2, "error_once": 2, "analyse_add_message": 3}
LITERAL = re.compile(r'"((?:[^"\\]|\\.)*)"')


def split_args(s, i):
    depth, args, start = 0, [], i
    while i < len(s):
        c = s[i]
        if c in "\"'":
            q = c
            i += 1
            while s[i] != q:
                i += 2 if s[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                args.append(s[start:i])
                return args
            depth -= 1
        elif c == "," and depth == 0:
            args.append(s[start:i])
            start = i + 1
        i += 1
    return args


def messages(src):
    pat = re.compile(r"(?<![\w.>])(" + "|".join(CALLS) + r")\(")
    for path in sorted(Path(src).glob("*.c")):
        text = path.read_text(encoding="utf-8")
        for m in pat.finditer(text):
            line_start = text.rfind("\n", 0, m.start()) + 1
            if not text[line_start:m.start()].strip() and m.start() == line_start:
                continue  # a definition or prototype at column 0
            before = text[line_start:m.start()]
            if re.search(r"\b(void|int|static)\b[^=(]*$", before):
                continue  # a declaration
            args = split_args(text, m.end())
            k = CALLS[m.group(1)]
            if len(args) <= k + 1:
                continue
            ident, fmt = args[k].strip(), args[k + 1].strip()
            where = f"{path.name}:{text.count(chr(10), 0, m.start()) + 1}"
            if ident in ("id", "record->id"):
                continue  # a wrapper passing its own id on
            yield ident, fmt, where


def main():
    check = "--check" in sys.argv
    src = [a for a in sys.argv[1:] if a != "--check"][0]
    by_id, problems, count = {}, [], 0
    for ident, fmt, where in messages(src):
        count += 1
        if not LITERAL.fullmatch(ident):
            problems.append(f"{where}: the message id is not a string literal: {ident}")
            continue
        ident = ident[1:-1]
        parts = LITERAL.findall(fmt)
        if not parts or LITERAL.sub("", fmt).strip():
            problems.append(f"{where}: the format of '{ident}' is not a string literal")
            continue
        fmt = "".join(parts)
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ident):
            problems.append(f"{where}: message id '{ident}' is not kebab-case")
        if ident in by_id and by_id[ident][0] != fmt:
            problems.append(f"{where}: message id '{ident}' has two formats: "
                            f"\"{by_id[ident][0]}\" ({by_id[ident][1]}) and \"{fmt}\"")
        by_id.setdefault(ident, (fmt, where))
    if check:
        for p in problems:
            print(p)
        print(f"{count} messages, {len(by_id)} ids")
        return 1 if problems else 0
    for ident, (fmt, _) in sorted(by_id.items()):
        print(f"{ident}\t{fmt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
