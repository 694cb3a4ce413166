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
check "the breaker's dictionary installed" test -s "$SHARE/dict/itareport.tri"
check "…and the project's own words beside it" test -s "$SHARE/dict/itareport-words.tri"
# Away from the source tree and without ITAREPORT_DATA, it finds its data beside itself.
cp "$E2E_ROOT/samples/sepholoe-2566.yaml" "$WORK/in.yaml"
(cd "$WORK" && env -u ITAREPORT_DATA $ITAREPORT_WRAPPER "$BIN" render in.yaml -o out.pdf)
check "the installed program renders a report" test -s "$WORK/out.pdf"
check "the installed program checks an input" bash -c "cd '$WORK' && env -u ITAREPORT_DATA $ITAREPORT_WRAPPER '$BIN' check in.yaml --json | grep -q '\"overall\": 84.14'"
# The Thai messages, the manual page and the bash completion are installed and work.
check "Thai messages installed" test -f "$WORK/root/opt/ita/share/locale/th/LC_MESSAGES/itareport.mo"
check "the installed program speaks Thai" bash -c "cd '$WORK' && env -u ITAREPORT_DATA LANG=C '$BIN' --lang th check nothing.yaml 2>&1 | grep -q 'อ่านไฟล์'"
MAN=$WORK/root/opt/ita/share/man/man1/itareport.1
check "manual page installed" test -f "$MAN"
check "the manual page renders (man -l)" bash -c "MANWIDTH=80 man -l '$MAN' 2>&1 | grep -q 'EXIT STATUS'"
check "the manual page has no formatting warnings" bash -c "! MANWIDTH=80 man --warnings -l '$MAN' 2>&1 >/dev/null | grep -q ."
COMP=$WORK/root/opt/ita/share/bash-completion/completions/itareport
check "bash completion installed" test -f "$COMP"
complete_words() {
  bash -c 'source /usr/share/bash-completion/bash_completion; source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _itareport; printf "%s\n" "${COMPREPLY[@]}"' _ "$COMP" "$@"
}
expect_eq "completion: commands" "render" "$(complete_words itareport ren)"
expect_eq "completion: a command's options" "--force" "$(complete_words itareport new --fo)"
expect_eq "completion: --digits values" "thai" "$(complete_words itareport render --digits th)"
mkdir -p "$WORK/data/fonts"
msg=$(env ITAREPORT_DATA="$WORK/data" $ITAREPORT_WRAPPER "$BIN" render "$WORK/in.yaml" -o "$WORK/x.pdf" 2>&1)
expect_eq "a wrong ITAREPORT_DATA is reported" "itareport: error: ITAREPORT_DATA='$WORK/data' has no fonts/Sarabun-Regular.ttf" "$msg"
finish
