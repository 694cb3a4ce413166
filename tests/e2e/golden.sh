#!/usr/bin/env bash
# Golden display-list dumps of every sample (tests/golden/cases): the layout of each report
# and text must stay what was last blessed, line for line; a change shows as `diff -u`.
# After a change you have looked at (pdftoppm the pages), `make bless` rewrites them.
. "$(dirname "$0")/lib.sh"
check "the current dumps can be made" env ITAREPORT="$ITAREPORT" ITAREPORT_WRAPPER="$ITAREPORT_WRAPPER" \
  "$E2E_ROOT/tests/golden.sh" check "$WORK/now"
while read -r name command args; do
  case "$name" in ''|'#'*) continue ;; esac
  if diff -u "$E2E_ROOT/tests/golden/$name.dump" "$WORK/now/$name.dump" > "$WORK/diff"; then
    ok "golden dump $name ($command $args)"
  else
    fail "golden dump $name ($command $args) differs (make bless after looking):"
    head -40 "$WORK/diff"
  fi
done < "$E2E_ROOT/tests/golden/cases"
# Every sample with a report template has a case, so that a new sample is not forgotten.
for s in "$E2E_ROOT"/samples/*.yaml; do
  fw=$(sed -n 's/^framework: *//p' "$s" | head -1)
  [ -f "$E2E_ROOT/templates/$fw/report.yaml" ] || continue
  check "sample $(basename "$s") has a golden dump" grep -q " samples/$(basename "$s")\$" "$E2E_ROOT/tests/golden/cases"
done
finish
