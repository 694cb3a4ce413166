#!/usr/bin/env bash
# The golden dumps (tests/golden/cases): `tests/golden.sh bless` rewrites every
# tests/golden/NAME.dump with the current program, and the unit tests' dumps
# (tests/golden/unit/, through $BUILD/tests/test_typeset with ITAREPORT_BLESS=1); `tests/golden.sh check DIR` writes the
# current dumps into DIR (the suite tests/e2e/golden.sh compares them). Environment:
# ITAREPORT (the program, default build/itareport), ITAREPORT_WRAPPER.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${ITAREPORT:=$root/build/itareport}"
: "${ITAREPORT_WRAPPER:=}"
export ITAREPORT_DATA=$root
mode=${1:-}
case "$mode" in
  bless) out=tests/golden ;;
  check) out=${2:?usage: tests/golden.sh check DIR} ;;
  *) echo "usage: tests/golden.sh bless | check DIR" >&2; exit 2 ;;
esac
mkdir -p "$out"
status=0
while read -r name command args; do
  case "$name" in ''|'#'*) continue ;; esac
  # shellcheck disable=SC2086
  if ! $ITAREPORT_WRAPPER "$ITAREPORT" "$command" $args --dump-layout -o - > "$out/$name.dump.new"; then
    echo "golden: $name: itareport $command $args failed" >&2
    rm -f "$out/$name.dump.new"
    status=1
    continue
  fi
  mv "$out/$name.dump.new" "$out/$name.dump"
  [ "$mode" = bless ] && echo "golden: wrote tests/golden/$name.dump"
done < tests/golden/cases
if [ "$mode" = bless ]; then
  if ITAREPORT_BLESS=1 "${BUILD:-build}/tests/test_typeset" > /dev/null; then
    echo "golden: wrote tests/golden/unit/*.dump"
  else
    echo "golden: ${BUILD:-build}/tests/test_typeset failed" >&2
    status=1
  fi
fi
exit $status
