#!/usr/bin/env bash
# Regenerates po/itareport.pot from the sources (every message format and every _() text)
# and merges it into po/th.po (msgmerge keeps the translations; new or changed messages
# come out untranslated or fuzzy, for a translator to finish). Run after changing messages;
# tests/e2e/messages.sh fails while the catalogue is out of date or incomplete.
set -euo pipefail
cd "$(dirname "$0")/.."
keywords=(-k_ -kN_ -kdiag_fail:4 -kdiag_warn:4 -kdiag_note:4 -kdiag_emit:5 -kcmd_usage_error:4
          -kerror_at:4 -kerror_once:4 -kanalyse_add_message:5 -kdiag_record_make:4)
flags=()
for k in diag_fail:4 diag_warn:4 diag_note:4 diag_emit:5 cmd_usage_error:4 error_at:4 \
         error_once:4 analyse_add_message:5 diag_record_make:4; do
  flags+=("--flag=$k:c-format")
done
out=${1:-po/itareport.pot}
xgettext --from-code=UTF-8 --language=C --no-wrap --sort-output --package-name=itareport \
  --msgid-bugs-address=none "${keywords[@]}" "${flags[@]}" -o "$out" src/*.c
# No date (the file changes only when the messages do); the catalogue is UTF-8.
sed -i -e '/^"POT-Creation-Date:/d' -e 's/charset=CHARSET/charset=UTF-8/' "$out"
if [ "$out" = po/itareport.pot ] && [ -f po/th.po ]; then
  msgmerge --quiet --no-wrap --sort-output --no-fuzzy-matching --update --backup=none po/th.po po/itareport.pot
  msgattrib --no-wrap --sort-output --no-obsolete -o po/th.po po/th.po
fi
