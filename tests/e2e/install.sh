#!/usr/bin/env bash
# `make install` honours PREFIX and DESTDIR, and the installed program finds its fonts and
# templates under PREFIX/share/itareport without being told.
. "$(dirname "$0")/lib.sh"
BUILD_DIR=${ITAREPORT_BUILD:-$E2E_ROOT/build}
make -s -C "$E2E_ROOT" install BUILD="${BUILD_DIR#$E2E_ROOT/}" DESTDIR="$WORK/root" PREFIX=/opt/ita >/dev/null
BIN=$WORK/root/opt/ita/bin/itareport
SHARE=$WORK/root/opt/ita/share/itareport
check "program installed under DESTDIR/PREFIX/bin" test -x "$BIN"
check "fonts installed with their licence" test -f "$SHARE/fonts/Sarabun-Regular.ttf" -a -f "$SHARE/fonts/OFL.txt"
check "templates installed" test -f "$SHARE/templates/ita-2566/report.yaml" -a -f "$SHARE/templates/ita-2566/wording.yaml"
# Away from the source tree and without ITAREPORT_DATA, it finds its data beside itself.
cp "$E2E_ROOT/samples/sepholoe-2566.yaml" "$WORK/in.yaml"
(cd "$WORK" && env -u ITAREPORT_DATA $ITAREPORT_WRAPPER "$BIN" render in.yaml -o out.pdf)
check "the installed program renders a report" test -s "$WORK/out.pdf"
check "the installed program checks an input" bash -c "cd '$WORK' && env -u ITAREPORT_DATA $ITAREPORT_WRAPPER '$BIN' check in.yaml --json | grep -q '\"overall\": 84.14'"
mkdir -p "$WORK/data/fonts"
msg=$(env ITAREPORT_DATA="$WORK/data" $ITAREPORT_WRAPPER "$BIN" render "$WORK/in.yaml" -o "$WORK/x.pdf" 2>&1)
expect_eq "a wrong ITAREPORT_DATA is reported" "itareport: error: ITAREPORT_DATA='$WORK/data' has no fonts/Sarabun-Regular.ttf" "$msg"
finish
