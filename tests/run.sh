#!/usr/bin/env bash
# Runs the whole test suite: every unit test program (cmocka) in $BUILD/tests and every
# end-to-end suite tests/e2e/*.sh. Each suite's counts are added up; the last line is
# "N passed, M failed". Exit status 1 when anything failed.
# Environment: BUILD (default build), ITAREPORT_WRAPPER (e.g. valgrind ...), SUITES (glob filter).
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export ITAREPORT="$PWD/$BUILD/itareport"
export ITAREPORT_BUILD="$PWD/$BUILD"
export ITAREPORT_WRAPPER=${ITAREPORT_WRAPPER:-}
filter=${SUITES:-*}
# Messages in English whatever the machine's language (the Thai ones are tested by asking).
export LANG=C
unset LANGUAGE LC_MESSAGES
passed=0 failed=0
log=$(mktemp); trap 'rm -f "$log"' EXIT

for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  case "$(basename "$t")" in $filter) ;; *) continue ;; esac
  $ITAREPORT_WRAPPER "$t" >"$log" 2>&1; rc=$?
  p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$f" -ne 0 ] && cat "$log"
  printf '%-28s %3d passed, %d failed\n' "$(basename "$t")" "$p" "$f"
  passed=$((passed + p)); failed=$((failed + f))
done

for s in tests/e2e/*.sh; do
  [ -f "$s" ] || continue
  [ "$(basename "$s")" = lib.sh ] && continue
  case "$(basename "$s")" in $filter) ;; *) continue ;; esac
  bash "$s" >"$log" 2>&1; rc=$?
  line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
  p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); p=${p:-0}
  f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p'); f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  [ "$f" -ne 0 ] && grep -v '^ok ' "$log"
  printf '%-28s %3d passed, %d failed\n' "$(basename "$s")" "$p" "$f"
  passed=$((passed + p)); failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
