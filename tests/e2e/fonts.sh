#!/usr/bin/env bash
# The shipped fonts are the ones fonts/README.md names, byte for byte.
. "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT/fonts"
while read -r name sum; do
  expect_eq "checksum of $name" "$sum" "$(sha256sum "$name" | cut -d' ' -f1)"
done < <(sed -n 's/^| \([A-Za-z.-]*\.\(ttf\|txt\)\) | \([0-9a-f]\{64\}\) |$/\1 \3/p' README.md)
check "all five files are listed" test "$e2e_passed" -eq 5
finish
