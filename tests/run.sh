#!/usr/bin/env bash
# Runs the whole test suite: every unit test program (cmocka) in $BUILD/tests and every
# end-to-end suite tests/e2e/*.sh, TEST_JOBS at a time (default: one per core), the longest
# first. Each suite's line is printed with its time as soon as it is done; the counts are
# added up and the last line is "N passed, M failed". Exit status 1 when
# anything failed.
# Environment: BUILD (default build), ITAREPORT_WRAPPER (e.g. valgrind ...), SUITES (globs
# separated by spaces: SUITES='test_brk render.sh'), TEST_JOBS.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export ITAREPORT="$PWD/$BUILD/itareport"
export ITAREPORT_BUILD="$PWD/$BUILD"
export ITAREPORT_WRAPPER=${ITAREPORT_WRAPPER:-}
set -f # the globs in SUITES are patterns, not file names
read -r -a filter <<<"${SUITES:-*}"
set +f
jobs=${TEST_JOBS:-$(nproc 2>/dev/null || echo 1)}
# Messages in English whatever the machine's language (the Thai ones are tested by asking).
export LANG=C
unset LANGUAGE LC_MESSAGES
logs=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; rm -rf "$logs"' EXIT

# selected NAME: whether NAME matches one of the SUITES globs.
selected() {
  local g
  for g in "${filter[@]}"; do
    # shellcheck disable=SC2254
    case "$1" in $g) return 0 ;; esac
  done
  return 1
}

# The suites in the order they are reported: unit programs, then shell suites.
suites=()
for t in "$BUILD"/tests/test_*; do
  [ -x "$t" ] || continue
  selected "$(basename "$t")" && suites+=("$t")
done
for s in tests/e2e/*.sh; do
  [ -f "$s" ] || continue
  [ "$(basename "$s")" = lib.sh ] && continue
  selected "$(basename "$s")" && suites+=("$s")
done

# run_suite I: runs suite I into logs/I.log; its exit status and seconds go to logs/I.done.
run_suite() {
  local s=${suites[$1]} start=$SECONDS rc
  case "$s" in
    *.sh) bash "$s" >"$logs/$1.log" 2>&1 ;;
    *) $ITAREPORT_WRAPPER "$s" >"$logs/$1.log" 2>&1 ;;
  esac
  rc=$?
  echo "$rc $((SECONDS - start))" >"$logs/$1.done.tmp" && mv "$logs/$1.done.tmp" "$logs/$1.done"
}

passed=0 failed=0 reported=0
declare -A done_suites=()
# report_ready: prints every suite finished since the last call, as it finished (a run cut
# short by a time limit still shows what passed).
report_ready() {
  local i rc secs p f line log name
  for i in "${!suites[@]}"; do
    [ -e "$logs/$i.done" ] && [ -z "${done_suites[$i]:-}" ] || continue
    done_suites[$i]=1
    read -r rc secs <"$logs/$i.done"
    log="$logs/$i.log"
    name=$(basename "${suites[$i]}")
    case "$name" in
      *.sh)
        line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
        p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
        f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p') ;;
      *)
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1)
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$log" | tail -1) ;;
    esac
    p=${p:-0}; f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$f" -ne 0 ]; then
      case "$name" in *.sh) grep -v '^ok ' "$log" ;; *) cat "$log" ;; esac
    fi
    printf '%-28s %3d passed, %d failed  (%d s)\n' "$name" "$p" "$f" "$secs"
    passed=$((passed + p)); failed=$((failed + f)); reported=$((reported + 1))
  done
}

# Launch order: the longest suites first (measured: make valgrind's times), the rest as listed,
# so that the last to finish are short ones.
order=()
for long in batch.sh serve.sh render.sh breaks.sh text.sh harden.sh marks.sh pitch.sh faults.sh; do
  for i in "${!suites[@]}"; do
    [ "$(basename "${suites[$i]}")" = "$long" ] && order+=("$i")
  done
done
for i in "${!suites[@]}"; do
  case " ${order[*]} " in *" $i "*) ;; *) order+=("$i") ;; esac
done

running=0
for i in "${order[@]}"; do
  if [ "$running" -ge "$jobs" ]; then
    wait -n; running=$((running - 1))
    report_ready
  fi
  run_suite "$i" &
  running=$((running + 1))
done
while [ "$reported" -lt "${#suites[@]}" ]; do
  wait -n 2>/dev/null || true
  report_ready
  # wait -n returns at once when no job is left; the last .done may be a moment behind.
  [ -z "$(jobs -rp)" ] && [ "$reported" -lt "${#suites[@]}" ] && sleep 0.1
done
trap 'rm -rf "$logs"' EXIT

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
