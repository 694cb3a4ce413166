#!/usr/bin/env bash
# One command-line grammar: every command's options through getopt_long (joined and
# separate values, long options with =, options after the inputs, --), -V, NO_COLOR.
. "$(dirname "$0")/lib.sh"
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml
BAD=$E2E_ROOT/tests/data/bad

expect_eq "-V prints the version" "$(run --version)" "$(run -V)"
check "--help lists -V" bash -c 'run --help | grep -q -- "-V, --version"'

# batch: -j2, -j 2, --jobs=2, --jobs 2 all run two workers; -qj2 clusters short options.
for form in "-j2" "-j 2" "--jobs=2" "--jobs 2" "-qj2"; do
  rm -rf "$WORK/out"
  # shellcheck disable=SC2086
  expect_status "batch $form accepted" 0 run batch "$SEED" -o "$WORK/out" $form --quiet
  check "batch $form made the report" test -f "$WORK/out/sepholoe-2566.pdf"
done
expect_status "batch -oDIR (joined value)" 0 run batch "$SEED" "-o$WORK/joined" -q
check "batch -oDIR wrote into DIR" test -f "$WORK/joined/sepholoe-2566.pdf"
expect_status "batch --output=DIR" 0 run batch "$SEED" "--output=$WORK/eq" -q
check "batch --output=DIR wrote into DIR" test -f "$WORK/eq/summary.csv"
msg=$(run batch "$SEED" -o "$WORK/x" -j 2>&1 | head -1)
expect_eq "batch -j without a value" "itareport: error: option '-j' needs a value" "$msg"
msg=$(run batch "$SEED" -o "$WORK/x" -qz 2>&1 | head -1)
expect_eq "an unknown short option inside a cluster is named" "itareport: error: unknown option '-z'" "$msg"
expect_status "batch --jobs=0 is a usage error" 2 run batch "$SEED" -o "$WORK/x" --jobs=0
msg=$(run batch "$SEED" -o "$WORK/x" --jobs=0 2>&1 | head -1)
expect_eq "batch --jobs=0 message" "itareport: error: -j needs a number of workers from 1 to 1024, not '0'" "$msg"
cp "$SEED" "$WORK/-dash.yaml"
(cd "$WORK" && run batch -o out2 -q -- -dash.yaml)
check "batch: -- ends the options (an input named -dash.yaml, its PDF dash.pdf)" test -f "$WORK/out2/dash.pdf"

# check and summary: options anywhere, = values.
expect_status "check --json after the input" 0 bash -c 'run check "$1" --json > "$2"' _ "$SEED" "$WORK/c.json"
check "check --json after the input gives JSON" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/c.json"
expect_status "check --template=DIR" 0 bash -c 'run check "--template=$1" "$2" > /dev/null' _ "$E2E_ROOT/templates/ita-2566" "$SEED"
expect_status "check with two inputs is a usage error" 2 run check "$SEED" "$SEED"
expect_status "check --bogus is a usage error" 2 run check --bogus "$SEED"
expect_status "summary --output=DIR" 0 bash -c 'run batch "$1" -o "$2/s" --shard 1/1 -q && run summary "$2/s" --output="$2/merged"' _ "$SEED" "$WORK"
check "summary --output=DIR wrote the merged summary" test -f "$WORK/merged/summary.csv"

# render: -oFILE, --output=FILE, options after the input.
expect_status "render -oFILE" 0 run render "$SEED" "-o$WORK/r1.pdf"
check "render -oFILE wrote FILE" test -s "$WORK/r1.pdf"
expect_status "render --digits=thai --output=FILE" 0 run render --digits=thai "--output=$WORK/r2.pdf" "$SEED"
check "render --digits=thai took effect" bash -c "pdftotext '$WORK/r2.pdf' - | grep -q '๘๔.๑๔'"

# NO_COLOR: the severity word is coloured on a terminal, not with NO_COLOR set or in a pipe.
bad=$(ls "$BAD"/*.yaml | head -1)
if command -v script > /dev/null; then
  tty_out=$(TERM=xterm script -qec "$ITAREPORT check '$bad'" /dev/null 2>&1)
  check "colour on a terminal" grep -q $'\033\[1;31m' <<< "$tty_out"
  tty_out=$(NO_COLOR=1 TERM=xterm script -qec "$ITAREPORT check '$bad'" /dev/null 2>&1)
  check "no colour with NO_COLOR=1" bash -c "! grep -q $'\033\\[' <<< \"\$1\"" _ "$tty_out"
  check "but the message itself" grep -q "error:" <<< "$tty_out"
  tty_out=$(TERM=dumb script -qec "$ITAREPORT check '$bad'" /dev/null 2>&1)
  check "no colour with TERM=dumb" bash -c "! grep -q $'\033\\[' <<< \"\$1\"" _ "$tty_out"
else
  fail "script (bsdutils) is missing"
fi
check "no colour in a pipe" bash -c "! run check '$bad' 2>&1 | grep -q $'\033'"
finish
