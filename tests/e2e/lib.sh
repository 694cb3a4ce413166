# Shared helpers for the end-to-end suites. Source it; call `finish` at the end.
# $ITAREPORT is the program; $ITAREPORT_WRAPPER (valgrind ...) is put before it by `run`.
set -u
E2E_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${ITAREPORT:=$E2E_ROOT/build/itareport}"
: "${ITAREPORT_WRAPPER:=}"
export LC_ALL=C.UTF-8
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
e2e_passed=0 e2e_failed=0

# Runs the program (through the wrapper); valgrind errors exit 99.
run() { $ITAREPORT_WRAPPER "$ITAREPORT" "$@"; }
export -f run
export ITAREPORT ITAREPORT_WRAPPER

ok()   { e2e_passed=$((e2e_passed + 1)); echo "ok $*"; }
fail() { e2e_failed=$((e2e_failed + 1)); echo "FAIL $*"; }

# check NAME COMMAND...: passes when the command succeeds.
check() { local name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

# expect_eq NAME EXPECTED ACTUAL
expect_eq() {
  if [ "$2" == "$3" ]; then ok "$1"; else fail "$1"; diff <(printf '%s\n' "$2") <(printf '%s\n' "$3") | head -20; fi
}

# expect_status NAME CODE COMMAND...: passes when the command exits with CODE.
expect_status() {
  local name=$1 code=$2; shift 2
  "$@"; local rc=$?
  if [ $rc -eq "$code" ]; then ok "$name"; else fail "$name (exit $rc, wanted $code)"; fi
}

finish() { echo "$e2e_passed passed, $e2e_failed failed"; [ $e2e_failed -eq 0 ]; }
