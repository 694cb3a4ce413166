#!/usr/bin/env bash
# End-to-end tests of `itareport check`: the samples' figures, bad inputs beside their exact
# expected messages (tests/data/bad/NAME.yaml + NAME.expected, exit 1), inputs that only warn
# (tests/data/warn/, exit 0), usage errors, and hostile inputs that must neither crash nor hang.
# BLESS=1 rewrites the .expected files from the program's output (review the diff!).
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
# The data folder is the source tree (an ASan build lives one level deeper, in build/asan/).
export ITAREPORT_DATA="$E2E_ROOT"

# --- the seed: every figure the issue lists -------------------------------------------------
json=$(run check samples/sepholoe-2566.yaml --json); rc=$?
expect_eq "seed: exit 0" 0 "$rc"
field() { printf '%s\n' "$json" | sed -n "s/^  \"$1\": \(.*\),\{0,1\}$/\1/p" | sed 's/,$//'; }
tool() { printf '%s\n' "$json" | sed -n "s/^    \"$1\": \(.*\),\{0,1\}$/\1/p" | sed 's/,$//'; }
expect_eq "seed: overall" 84.14 "$(field overall)"
expect_eq "seed: grade" '"B"' "$(field grade)"
expect_eq "seed: label" '"ต้องปรับปรุง"' "$(field label)"
expect_eq "seed: not passed" false "$(field passed)"
expect_eq "seed: fiscal year" 2566 "$(field fiscal_year)"
expect_eq "seed: agency" '"องค์การบริหารส่วนตำบลเสอเพลอ"' "$(field agency)"
expect_eq "seed: IIT" 84.81 "$(tool iit)"
expect_eq "seed: EIT" 78.16 "$(tool eit)"
expect_eq "seed: EIT part 1" 75.54 "$(tool eit_part1)"
expect_eq "seed: EIT part 2" 80.77 "$(tool eit_part2)"
expect_eq "seed: OIT" 88.13 "$(tool oit)"
scores=$(printf '%s\n' "$json" | sed -n 's/^      "score": \(.*\),$/\1/p' | head -10 | tr '\n' ' ')
expect_eq "seed: indicators" "93.88 81.79 86.50 81.81 80.09 80.11 76.78 77.59 92.50 83.75 " "$scores"
expect_eq "seed: indicator 3 is named การใช้อำนาจ" '"การใช้อำนาจ"' \
  "$(printf '%s\n' "$json" | grep -A1 '"number": 3,' | sed -n 's/^      "name": \(.*\),$/\1/p' | head -1)"
expect_eq "seed: no warnings" '  "warnings": [],' "$(printf '%s\n' "$json" | grep '"warnings"')"
expect_eq "seed: no diagnostics" '  "diagnostics": []' "$(printf '%s\n' "$json" | grep '"diagnostics"')"
check "seed: JSON parses" python3 -c 'import json,sys; json.load(sys.stdin)' <<<"$json"
run check samples/sepholoe-2566.yaml >"$WORK/table" 2>"$WORK/err"; rc=$?
expect_eq "seed table: exit 0, nothing on stderr" "0:" "$rc:$(cat "$WORK/err")"
check "seed table: overall line" grep -q '^Overall     84.14  grade B  ต้องปรับปรุง  not passed' "$WORK/table"
check "seed table: indicator 8 marked published" grep -q '77.59  การปรับปรุงการทำงาน  (published)' "$WORK/table"

# --- the other samples ----------------------------------------------------------------------
for s in samples/*.yaml; do
  expect_status "sample $(basename "$s") is valid" 0 run check "$s" --json >/dev/null 2>&1
done

# Expected figures computed independently (Python fractions, half-up) when the samples were made.
sample_is() { # FILE OVERALL GRADE LABEL PASSED IIT EIT OIT
  json=$(run check "$1" --json)
  expect_eq "$(basename "$1"): overall grade label passed" "$2 \"$3\" \"$4\" $5" \
    "$(field overall) $(field grade) $(field label) $(field passed)"
  expect_eq "$(basename "$1"): tools" "$6 $7 $8" "$(tool iit) $(tool eit) $(tool oit)"
}
sample_is samples/nongkhai-passing-2566.yaml 96.67 AA ผ่านดี true 94.54 94.35 100.00
sample_is samples/bankhai-municipality-2566.yaml 93.99 A ผ่านดี true 92.53 90.77 97.50
sample_is samples/thasala-history-2566.yaml 90.89 A ผ่านดี true 89.50 85.96 95.63
sample_is samples/kranuan-2568.yaml 94.77 A ผ่านดี true 94.52 90.53 98.13
expect_eq "provisional framework is said" true "$(field provisional)"
json=$(run check samples/thasala-history-2566.yaml --json)
expect_eq "history: three years, most recent first" "2565 2564 2563" \
  "$(printf '%s\n' "$json" | sed -n 's/^      "fiscal_year": \([0-9]*\),$/\1/p' | tr '\n' ' ' | sed 's/ $//')"
expect_eq "history: change in the overall against 2565" 3.97 \
  "$(printf '%s\n' "$json" | grep -A3 '"change"' | sed -n 's/^        "overall": \(.*\),$/\1/p' | head -1)"
expect_eq "municipality: agency type" '"เทศบาล"' \
  "$(run check samples/bankhai-municipality-2566.yaml --json | sed -n 's/^  "agency_type": \(.*\),$/\1/p')"

# --- indicator-level input reproduces a published overall to the cent -----------------------
# The seed's published indicators only (no questions, no totals): the NACC published 84.14.
sed -n '1,/^scores:/p' samples/sepholoe-2566.yaml >"$WORK/ind.yaml"
sed -n '/^  indicators:/,/^    10:/p' samples/sepholoe-2566.yaml >>"$WORK/ind.yaml"
json=$(run check "$WORK/ind.yaml" --json)
expect_eq "indicator-level: overall 84.14" 84.14 "$(field overall)"
expect_eq "indicator-level: IIT 84.81" 84.81 "$(tool iit)"
expect_eq "indicator-level: OIT 88.13" 88.13 "$(tool oit)"
expect_eq "indicator-level: grade B" '"B"' "$(field grade)"

# --- bad inputs: exact messages, exit 1 -----------------------------------------------------
for input in tests/data/bad/*.yaml tests/data/warn/*.yaml; do
  want=${input%.yaml}.expected
  code=1; case $input in tests/data/warn/*) code=0 ;; esac
  timeout 20 $ITAREPORT_WRAPPER "$ITAREPORT" check "$input" >/dev/null 2>"$WORK/stderr"; rc=$?
  if [ "${BLESS:-}" = 1 ]; then cp "$WORK/stderr" "$want"; fi
  expect_eq "$(basename "$input"): exit $code" "$code" "$rc"
  expect_eq "$(basename "$input"): messages" "$(cat "$want" 2>/dev/null)" "$(cat "$WORK/stderr")"
done

# --- diagnostics as records: the error limit over every kind, JSON records with paths ------
# 45,000 unknown keys: 20 positioned errors, then one line saying it stopped.
{ head -8 tests/data/bad/score-140.yaml; for i in $(seq 1 45000); do echo "    x$i: 1"; done; } >"$WORK/keys.yaml"
timeout 60 $ITAREPORT_WRAPPER "$ITAREPORT" check "$WORK/keys.yaml" >/dev/null 2>"$WORK/err"; rc=$?
expect_eq "45,000 unknown keys: exit 1" 1 "$rc"
expect_eq "45,000 unknown keys: 20 errors shown" 20 "$(grep -c ': error: ' "$WORK/err")"
expect_eq "45,000 unknown keys: then one line saying it stopped" \
  "itareport: note: too many errors; stopped after the first 20" "$(tail -1 "$WORK/err")"
# check --json on a bad input: each message as a record, with its id and input path.
json=$(run check --json tests/data/bad/score-140.yaml 2>/dev/null); rc=$?
expect_eq "--json of a bad input: exit 1" 1 "$rc"
check "--json of a bad input: record with id, position and path" python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["valid"] is False, d
[r] = d["diagnostics"]
assert r["severity"] == "error" and r["id"] == "load-score-outside", r
assert (r["line"], r["column"], r["path"]) == (10, 9, "scores.questions.i8"), r
assert r["message"] == "score 140 is outside 0-100 (question i8)", r' <<<"$json"
json=$(run check --json tests/data/bad/history-bad.yaml 2>/dev/null)
check "--json: paths into lists" python3 -c '
import json, sys
paths = [r["path"] for r in json.load(sys.stdin)["diagnostics"]]
assert any(p.startswith("history[") for p in paths), paths' <<<"$json"

# --- the data folder -----------------------------------------------------------------------
expect_status "--data-dir the source tree" 0 env -u ITAREPORT_DATA \
  "$ITAREPORT" check samples/sepholoe-2566.yaml --data-dir "$E2E_ROOT" >/dev/null
env -u ITAREPORT_DATA "$ITAREPORT" check samples/sepholoe-2566.yaml --data-dir "$WORK" \
  >/dev/null 2>"$WORK/err"; rc=$?
expect_eq "--data-dir without templates: exit 1" 1 "$rc"
expect_eq "--data-dir without templates: message" \
  "itareport: error: data folder '$WORK' has no fonts/Sarabun-Regular.ttf" "$(cat "$WORK/err")"

# --- usage errors: exit 2 -------------------------------------------------------------------
expect_status "usage: no input" 2 run check 2>/dev/null
expect_status "usage: unknown option" 2 run check --frobnicate x.yaml 2>/dev/null
expect_status "usage: two inputs" 2 run check a.yaml b.yaml 2>/dev/null
expect_status "usage: --template without folder" 2 run check x.yaml --template 2>/dev/null
expect_status "missing file: exit 1" 1 run check "$WORK/none.yaml" 2>/dev/null
check "help has an example" sh -c "\"$ITAREPORT\" help check | grep -q 'itareport check samples/'"
expect_status "--template with the input's framework" 0 \
  run check samples/sepholoe-2566.yaml --template templates/ita-2566 >/dev/null
run check samples/sepholoe-2566.yaml --template templates/ita-2568 >/dev/null 2>"$WORK/err"
expect_eq "--template of another framework" \
  "samples/sepholoe-2566.yaml:5:12: error: the input is for framework 'ita-2566', but templates/ita-2568 is 'ita-2568'" \
  "$(head -1 "$WORK/err")"

# --- hostile inputs made on the fly: no crash (exit 1, not a signal), no hang ---------------
hostile() { # NAME FILE
  timeout 20 $ITAREPORT_WRAPPER "$ITAREPORT" check "$2" >/dev/null 2>"$WORK/err"; local rc=$?
  if [ $rc -eq 1 ] && [ -s "$WORK/err" ]; then ok "hostile: $1"; else fail "hostile: $1 (exit $rc)"; fi
}
head -c 5000000 /dev/zero | tr '\0' 'a' >"$WORK/huge.yaml"
hostile "5 MB file" "$WORK/huge.yaml"
expect_eq "hostile: huge file message" \
  "$WORK/huge.yaml: error: the file is too large (5000000 bytes; the limit is 4194304)" "$(cat "$WORK/err")"
head -c 20000 /dev/urandom >"$WORK/random.yaml"
hostile "random bytes" "$WORK/random.yaml"
python3 -c 'print("a:" + " [" * 100000)' >"$WORK/deep.yaml"
hostile "100,000 nested lists" "$WORK/deep.yaml"
python3 -c 'print("\n".join("k%d: 1" % i for i in range(200000)))' >"$WORK/wide.yaml"
hostile "200,000 keys" "$WORK/wide.yaml"
python3 -c 'print("a: &a [x]\n" + "\n".join("b%d: &b%d [*%s, *%s, *%s, *%s]" % (i, i, "a" if i == 0 else "b%d" % (i-1), "a" if i == 0 else "b%d" % (i-1), "a" if i == 0 else "b%d" % (i-1), "a" if i == 0 else "b%d" % (i-1)) for i in range(40)))' >"$WORK/laughs4.yaml"
hostile "alias fan-out 4^40" "$WORK/laughs4.yaml"
mkdir -p "$WORK/dir.yaml"
hostile "a folder" "$WORK/dir.yaml"

finish
