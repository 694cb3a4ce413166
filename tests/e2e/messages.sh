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
  "$ITAREPORT" check --json "$f" 2>/dev/null # (check.sh runs each under the wrapper)
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

# --- Thai messages (gettext): po/th.po complete and up to date, chosen by locale or --lang --
tools/po-update.sh "$WORK/now.pot"
ids() { sed -n '/^msgid/,/^msgstr/p' "$1" | grep -v '^msgstr' | tr -d '\n' | sed 's/msgid /\n/g' | sort; }
expect_eq "po/itareport.pot is up to date with the sources (make po)" "$(ids "$WORK/now.pot")" "$(ids po/itareport.pot)"
stats=$(msgfmt --check --statistics -o /dev/null po/th.po 2>&1)
check "po/th.po: every message translated ($stats)" grep -Eqx '[0-9]+ translated messages\.' <<<"$stats"
check "po/th.po covers the catalogue" test "$(msgcmp po/th.po po/itareport.pot >/dev/null 2>&1; echo $?)" = 0
thai() { grep -qP '[\x{0E01}-\x{0E5B}]' <<<"$1"; }
for f in tests/data/bad/*.yaml; do
  for how in "env LANG=th_TH.UTF-8" "env LANG=C --lang-th"; do
    if [ "$how" = "env LANG=C --lang-th" ]; then
      err=$(env LANG=C "$ITAREPORT" --lang th check "$f" 2>&1 >/dev/null)
    else
      err=$(env LANG=th_TH.UTF-8 LC_ALL= "$ITAREPORT" check "$f" 2>&1 >/dev/null)
    fi
    first=$(grep -m1 ': error: ' <<<"$err")
    if [ -n "$first" ] && thai "${first#*: error: }" && [[ "$first" == tests/data/bad/* ]]; then
      ok "$(basename "$f") in Thai ($how)"
    else
      fail "$(basename "$f") in Thai ($how): $first"
    fi
  done
done
err=$(env LANG=C "$ITAREPORT" check tests/data/bad/score-140.yaml 2>&1)
check "LANG=C: English" grep -q 'error: score 140 is outside 0-100 (question i8)' <<<"$err"
err=$(env LANG=th_TH.UTF-8 LC_ALL= "$ITAREPORT" --lang en check tests/data/bad/score-140.yaml 2>&1)
check "--lang en over a Thai locale: English" grep -q 'error: score 140 is outside' <<<"$err"
check "--lang=th after the command" bash -c "env LANG=C '$ITAREPORT' check --lang=th tests/data/bad/score-140.yaml 2>&1 | grep -q 'คะแนน 140 อยู่นอกช่วง 0-100 (ข้อคำถาม i8)'"
expect_status "--lang of another language: usage error" 2 run --lang fr check samples/sepholoe-2566.yaml
for c in "" render text check new batch summary; do
  th=$(env LANG=C "$ITAREPORT" --lang th ${c:+$c} --help 2>&1)
  en=$(env LANG=C "$ITAREPORT" ${c:+$c} --help 2>&1)
  if grep -q 'ตัวเลือก' <<<"$th"; then ok "help ${c:-overview} in Thai"; else fail "help ${c:-overview} in Thai"; fi
  if grep -q 'Options:' <<<"$en"; then ok "help ${c:-overview} in English"; else fail "help ${c:-overview} in English"; fi
done
json=$(env LANG=C "$ITAREPORT" --lang th check --json tests/data/bad/score-140.yaml 2>/dev/null)
check "check --json: the message in the chosen language, with its id" python3 -c '
import json, sys
[r] = json.load(sys.stdin)["diagnostics"]
assert r["id"] == "load-score-outside" and r["message"].startswith("คะแนน 140"), r' <<<"$json"

finish
