#!/usr/bin/env bash
# Messages are records with stable ids: every message id of the sources has exactly one
# English format string (its gettext msgid), ids are kebab-case literals, no module writes
# to standard error but diag, and the program's own messages carry their ids through
# `check --json`.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"

out=$(python3 tests/tools/msgids.py --check src); rc=$?
expect_eq "one format per message id" 0 "$rc"
[ $rc -eq 0 ] || printf '%s\n' "$out"
check "the sources hold many messages" test "$(python3 tests/tools/msgids.py src | wc -l)" -gt 150
expect_eq "no old-style diag calls" "" \
  "$(grep -nE '\bdiag_(error|warning|error_at|warning_at|report|vreport)\(' src/*.c src/*.h)"
expect_eq "only diag writes to standard error" "" \
  "$(grep -nE 'fprintf\(stderr|fputs\([^;]*stderr\)|perror\(' src/*.c | grep -v '^src/diag.c:')"

# Every id that check --json reports for the bad inputs is one of the catalogue's.
python3 tests/tools/msgids.py src | cut -f1 >"$WORK/ids"
echo too-many-errors >>"$WORK/ids"
for f in tests/data/bad/*.yaml; do
  run check --json "$f" 2>/dev/null
done | python3 -c '
import json, sys
text = sys.stdin.read()
dec = json.JSONDecoder(); i = 0; ids = set()
while i < len(text):
    while i < len(text) and text[i].isspace(): i += 1
    if i >= len(text): break
    obj, i = dec.raw_decode(text, i)
    ids.update(r["id"] for r in obj["diagnostics"])
print("\n".join(sorted(ids)))' >"$WORK/used"
check "the bad inputs report known ids" test -s "$WORK/used"
expect_eq "every reported id is in the catalogue" "" "$(grep -vxFf "$WORK/ids" "$WORK/used")"

finish
