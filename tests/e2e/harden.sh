#!/usr/bin/env bash
# End-to-end tests of issue 17's second round: what a clerk's file or a shared folder can do
# to a batch. Output names that exist as links or special files are refused (nothing is
# written through them, nothing hangs); folder walks do not follow links to folders; output
# names are safe on Windows; runs that share OUTDIR keep each other's temporary files and
# take a lock per shard; shard summaries carry the job list's fingerprint and `summary`
# refuses a set that does not make one list; discuss/narrative/OIT values are checked; an
# input named twice is made once; published figures' warnings reach the summary and pass
# --quiet; formula-like CSV cells are guarded; costs stay linear (names, anchors, chart
# axes, the summary of a failed input); exit statuses tell the truth.
# Time limits here are generous (a blocked or quadratic run is caught, a slow machine is not).
. "$(dirname "$0")/lib.sh"
export ITAREPORT_DATA=${HARDEN_DATA:-$E2E_ROOT}
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml
GEN=$E2E_ROOT/samples/generate
LIMIT=60
slow=1
case "${ITAREPORT_WRAPPER}${ITAREPORT_BUILD:-}" in *valgrind* | *asan*) slow=4 ;; esac

# in.yaml without a logo (so that the tests need no image).
plain() { sed '/^  logo:/d' "$SEED"; }
mkdir -p "$WORK/in"
plain > "$WORK/in/a.yaml"

# tbatch ARGS...: a batch within the limit; sets rc, out (stdout) and err (stderr).
tbatch() {
  timeout $((LIMIT * slow)) bash -c 'run batch "$@" >"$0.out" 2>"$0.err"' "$WORK/last" "$@" </dev/null
  rc=$?
  out=$(cat "$WORK/last.out")
  err=$(cat "$WORK/last.err")
}
has() { [[ "$1" == *"$2"* ]]; }

# --- item 2: nothing written through a link or onto a special file -------------------------
O=$WORK/o-links
mkdir -p "$O"
echo "precious" >"$WORK/precious"
ln -s "$WORK/precious" "$O/a.pdf"
tbatch "$WORK/in/a.yaml" -o "$O"
check "an output name that is a link to a file is refused (exit $rc)" test "$rc" -eq 1
check "it says the output is a symbolic link" has "$err" "symbolic link"
expect_eq "the link's target is untouched (a block device in the field)" "precious" "$(cat "$WORK/precious")"
check "the link is still a link" test -L "$O/a.pdf"
check "the log does not call it rendered" bash -c '! grep -q "rendered .*a.yaml" "$1"' _ "$WORK/last.out"

rm -f "$O/a.pdf"; ln -s /dev/null "$O/a.pdf"
tbatch "$WORK/in/a.yaml" -o "$O"
check "a link to /dev/null is refused, not 'rendered' (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && ! grep -q " rendered " "$2"' _ "$rc" "$WORK/last.out"

rm -f "$O/a.pdf"; ln -s /dev/zero "$O/a.pdf"
tbatch "$WORK/in/a.yaml" -o "$O"
check "a link to /dev/zero does not hang the up-to-date check (exit $rc)" test "$rc" -eq 1

rm -f "$O/a.pdf"; mkfifo "$O/a.pdf"
tbatch "$WORK/in/a.yaml" -o "$O"
check "a FIFO under the output name is refused, no hang (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"named pipe"* ]]' _ "$rc" "$err"
rm -f "$O/a.pdf"; mkdir "$O/a.pdf"
tbatch "$WORK/in/a.yaml" -o "$O"
check "a folder under the output name is refused (exit $rc)" test "$rc" -eq 1
rmdir "$O/a.pdf"
rm -f "$O/summary.csv"; ln -s /dev/null "$O/summary.csv"
tbatch "$WORK/in/a.yaml" -o "$O"
check "summary.csv as a link is refused and not claimed written (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [ -L "$2/summary.csv" ] && ! grep -q "summary in" "$3"' _ "$rc" "$O" "$WORK/last.out"
rm -f "$O/summary.csv"

# Folder walks do not follow links to folders ("." would give every report again, two such
# links would never finish).
W=$WORK/walk
mkdir -p "$W/in/sub"
plain >"$W/in/sub/one.yaml"
ln -s . "$W/in/sub/again"
ln -s .. "$W/in/sub/up"
ln -s "$W/in/sub/one.yaml" "$W/in/link-to-file.yaml"
tbatch "$W/in" -o "$W/out" -q
check "a walk through '.' and '..' links ends (exit $rc)" test "$rc" -le 1
expect_eq "each file once (a link to a file is that file, given twice: 1 row)" 1 \
  "$(($(wc -l <"$W/out/summary.csv") - 1))"

# Output names safe on Windows: control, bidi and invisible characters dropped, device
# names avoided, no trailing dots or spaces.
N=$WORK/names
mkdir -p "$N"
plain >"$N/one.yaml"
# One document per name; the names are written with YAML escapes (\a, \u202E ...).
name_doc() { awk -v n="$1" '/^  name:/ { print "  name: \"" n "\""; next } { print }' "$N/one.yaml"; echo '---'; }
{
  name_doc 'bell\\aname'
  name_doc 'abc\\u202Efdp.exe'
  name_doc 'zero\\u200Bwidth\\u2066iso'
  name_doc 'CON'
  name_doc 'nul.x'
  name_doc 'com1'
  name_doc 'dots...'
} >"$N/stream.yaml"
tbatch "$N/stream.yaml" -o "$N/out" -q
names=$(cd "$N/out" && ls *.pdf | grep -v '^summary' | sort | tr '\n' ' ')
expect_eq "output names: controls, bidi and invisibles dropped, devices avoided" \
  "CON_.pdf abcfdp.exe.pdf bellname.pdf com1_.pdf dots.pdf nul_.x.pdf zerowidthiso.pdf " "$names"

# --- item 3: runs that share a folder --------------------------------------------------------
"$GEN" 12 --seed 5 -o "$WORK/gen" >/dev/null
S=$WORK/shared
mkdir -p "$S"
first=$(ls "$WORK/gen" | head -1 | sed 's/\.yaml$//')
# A temporary file another run is writing (its flock held) is kept; an abandoned one goes.
touch "$S/$first.pdf.tmp.Live01" "$S/$first.pdf.tmp.Dead01"
flock "$S/$first.pdf.tmp.Live01" sleep $((10 * slow)) &
holder=$!
sleep 0.5
tbatch "$WORK/gen" -o "$S" -q
check "a temporary file being written by another run is not deleted" test -e "$S/$first.pdf.tmp.Live01"
check "an abandoned temporary file is removed" test ! -e "$S/$first.pdf.tmp.Dead01"
kill "$holder" 2>/dev/null; wait "$holder" 2>/dev/null
rm -f "$S/$first.pdf.tmp.Live01"

# A second run of the same shard says who holds OUTDIR and waits; both succeed.
mkfifo "$WORK/stuck.yaml"
L=$WORK/locked
( timeout $((LIMIT * slow)) bash -c 'run batch "$@" -q --timeout 3 >/dev/null 2>&1' _ "$WORK/gen" "$WORK/stuck.yaml" -o "$L"; echo $? >"$WORK/a.rc" ) &
apid=$!
for _ in $(seq 1 100); do [ -e "$L/.itareport-lock" ] && break; sleep 0.1; done
sleep 0.5
tbatch "$WORK/gen" -o "$L" -q
wait "$apid"
check "the second run of a shard says who holds the folder" has "$err" "another run of the same shard is writing into"
check "the second run then succeeds (exit $rc)" test "$rc" -eq 0
check "the first run ends as it should (its stuck input failed)" test "$(cat "$WORK/a.rc")" -eq 1
check "the first run's reports are all there" test "$(ls "$L" | grep -c '^0.*\.pdf$')" -eq 12

# Two unsharded runs at once, and shards together, into one OUTDIR.
bad=0
for t in 1 2 3; do
  D=$WORK/twice-$t
  ( run batch "$WORK/gen" -o "$D" -q -j 1 --force >/dev/null 2>&1; echo $? >"$D.1" ) &
  ( run batch "$WORK/gen" -o "$D" -q -j 1 --force >/dev/null 2>&1; echo $? >"$D.2" ) &
  wait
  [ "$(cat "$D.1")" = 0 ] && [ "$(cat "$D.2")" = 0 ] || bad=$((bad + 1))
done
expect_eq "two runs of the same list into one OUTDIR at once: both succeed (3 trials)" 0 "$bad"
P=$WORK/parallel
( run batch "$WORK/gen" -o "$P" -q --shard 1/2 >/dev/null 2>&1; echo $? >"$P.1" ) &
( run batch "$WORK/gen" -o "$P" -q --shard 2/2 >/dev/null 2>&1; echo $? >"$P.2" ) &
wait
check "shards of one list still run together into one OUTDIR" \
  bash -c '[ "$(cat "$1.1")" = 0 ] && [ "$(cat "$1.2")" = 0 ] && [ "$(ls "$1" | grep -c "^0.*\.pdf$")" -eq 12 ]' _ "$P"

# --- item 4: shards that belong together -----------------------------------------------------
M=$WORK/merge
mkdir -p "$WORK/gen11"
cp "$WORK"/gen/*.yaml "$WORK/gen11/"
rm "$WORK/gen11/$first.yaml"
for k in 1 3; do run batch "$WORK/gen" -o "$M" -q --shard $k/3 >/dev/null 2>&1; done
run batch "$WORK/gen11" -o "$M" -q --shard 2/3 >/dev/null 2>&1
msg=$(run summary "$M" 2>&1); rc=$?
check "summary refuses shards of different job lists (exit $rc)" test "$rc" -eq 1
check "it names the shard of another job list" has "$msg" "summary-2-of-3.csv' is a shard of another job list"
check "no summary.csv from the refused merge" test ! -e "$M/summary.csv"
# A shard doubled in place of another (same list): 12 inputs must not give 11 rows.
run batch "$WORK/gen" -o "$M" -q --shard 2/3 >/dev/null 2>&1
cp "$M/summary-1-of-3.csv" "$M/summary-2-of-3.csv"
msg=$(run summary "$M" 2>&1); rc=$?
check "summary refuses a shard doubled in place of another (exit $rc)" test "$rc" -eq 1
check "it says which jobs shard 2 should hold" has "$msg" "shard 2 of 3 should hold jobs 5 to 8 of 12"
run batch "$WORK/gen" -o "$M" -q --shard 2/3 >/dev/null 2>&1
expect_status "the right shards merge" 0 run summary "$M"
expect_eq "into one row per input" 12 "$(($(wc -l <"$M/summary.csv") - 1))"

# --- item 5: nothing dropped or repeated without a word -------------------------------------
V=$WORK/values
mkdir -p "$V"
line_of() { grep -n "$1" "$2" | head -1 | cut -d: -f1; }
plain | sed 's/^  3: \[e7, e10\]/  3: [e7, e10]\n  03: [e10]/' >"$V/area-twice.yaml"
msg=$(run check "$V/area-twice.yaml" 2>&1 >/dev/null); rc=$?
check "discuss keys 3 and 03 are the same area: an error (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"area-twice.yaml:$3:3: error: area 3 is given twice in discuss"* ]]' _ "$rc" "$msg" "$(line_of '^  03:' "$V/area-twice.yaml")"
{ plain; printf 'narrative:\n  3: ข้อความแรก\n  03: ข้อความที่สอง\n'; } >"$V/narrative-twice.yaml"
msg=$(run check "$V/narrative-twice.yaml" 2>&1 >/dev/null); rc=$?
check "narrative keys 3 and 03: an error (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"area 3 is given twice in narrative"* ]]' _ "$rc" "$msg"
plain | sed 's/^  3: \[e7, e10\]/  3: [e7, e7, e7]/' >"$V/question-twice.yaml"
msg=$(run check "$V/question-twice.yaml" 2>&1 >/dev/null); rc=$?
check "a question repeated in discuss is an error (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"question e7 is listed twice for area 3"* ]]' _ "$rc" "$msg"
plain | sed 's/^  3: \[e7, e10\]/  3: [e7, e8]/' >"$V/not-weak.yaml"
msg=$(run check "$V/not-weak.yaml" 2>&1 >/dev/null); rc=$?
check "a discussed question at or above the threshold is a warning (exit $rc)" \
  bash -c '[ "$1" -eq 0 ] && [[ "$2" == *"warning: question e8 is discussed for area 3, but it scores 89.87"* ]]' _ "$rc" "$msg"
for v in 1 50; do
  plain | sed "s/^    o2: 100/    o2: $v/" >"$V/oit-$v.yaml"
  msg=$(run check "$V/oit-$v.yaml" 2>&1 >/dev/null); rc=$?
  check "an OIT item of $v is an error (0 or 100 in 2566; exit $rc)" \
    bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"score $3 is not one of the values OIT takes"* ]]' _ "$rc" "$msg" "$v"
done
expect_status "OIT items of 0 and 100 stay valid" 0 bash -c 'run check "$1" >/dev/null' _ "$WORK/in/a.yaml"

# An input named twice in one batch is rendered and counted once.
T=$WORK/twice
tbatch "$WORK/in/a.yaml" "$WORK/in/./a.yaml" "$WORK/in" -o "$T"
check "an input given three ways is made once (exit $rc)" test "$rc" -eq 0
expect_eq "and counted once in the summary" 1 "$(($(wc -l <"$T/summary.csv") - 1))"
check "the log says it was given twice" has "$err" "is the same file as"

# A published figure's warning: in summary.csv and in the log, also with --quiet.
PW=$WORK/published
tbatch "$E2E_ROOT/tests/data/warn/published-differs.yaml" -o "$PW" --quiet
check "--quiet does not hide a published figure's warning" has "$err" "warning: published"
check "summary.csv holds the warning" grep -q "warning: published" "$PW/summary.csv"

# --- item 6: spreadsheet-safe CSV ------------------------------------------------------------
C=$WORK/formula
mkdir -p "$C/in"
plain | sed 's|^  name: .*|  name: "=HYPERLINK(\\"http://x\\")"|; s|^  district: .*|  district: "@SUM(A1)"|' >"$C/in/=cmd.yaml"
tbatch "$C/in" -o "$C/out" -q
row=$(sed -n 2p "$C/out/summary.csv")
check "a file name that starts with = is written after an apostrophe" has "$row" "'=cmd.pdf,"
check "an agency name that starts with = likewise" has "$row" "\"'=HYPERLINK("
check "and a district that starts with @" has "$row" ",'@SUM(A1),"
check "numbers stay numbers" bash -c '[[ "$1" == *",2566,84.14,B,"* ]]' _ "$row"
for k in 1 2; do run batch "$C/in" -o "$C/sharded" -q --shard $k/2 >/dev/null 2>&1; done
run summary "$C/sharded" >/dev/null 2>&1
check "summary reads the apostrophe back: the merge equals the unsharded summary.csv" \
  cmp -s "$C/out/summary.csv" "$C/sharded/summary.csv"

# --- item 7: cost that grows linearly --------------------------------------------------------
# 40,000 rows with one name: the naming is over the whole list (only one report is made).
R=$WORK/rows
mkdir -p "$R"
{
  echo "framework,fiscal_year,name,type,district,province,overall"
  for _ in $(seq 1 40000); do echo "ita-2566,2566,อบต.ซ้ำ,อบต.,เมือง,อุดรธานี,84.14"; done
} >"$R/same.csv"
start=$(date +%s)
tbatch "$R/same.csv" -o "$R/out" -q --shard 1/40000
took=$(($(date +%s) - start))
check "40,000 equal names are resolved in linear time (${took} s, exit $rc)" \
  bash -c '[ "$1" -lt $((20 * $2)) ] && [ "$3" -le 1 ]' _ "$took" "$slow" "$rc"
check "the first keeps the name" test -e "$R/out/อบต.ซ้ำ.pdf"

# Anchors looked up in constant time: 40,000 anchors, 40,000 aliases to the first ones.
python3 - "$WORK/anchors.yaml" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("framework: ita-2566\nanchors:\n")
    for i in range(40000):
        f.write(f"  - &a{i} {i}\n")
    f.write("aliases:\n")
    for i in range(40000):
        f.write(f"  - *a{i % 50}\n")
EOF
start=$(date +%s)
timeout $((LIMIT * slow)) bash -c 'run check "$1" >/dev/null 2>&1' _ "$WORK/anchors.yaml"
rc=$?
took=$(($(date +%s) - start))
check "40,000 aliases over 40,000 anchors take linear time (${took} s, exit $rc)" \
  bash -c '[ "$1" -lt $((10 * $2)) ] && [ "$3" -eq 1 ]' _ "$took" "$slow" "$rc"

# The summary of a failed input is bounded whatever the input quotes.
F=$WORK/failed
mkdir -p "$F"
# 20 unknown keys of 50,000 characters each (explicit keys: libyaml takes no longer simple key).
{ plain; for i in $(seq 1 20); do printf '? k%d%s\n: 1\n' "$i" "$(head -c 50000 /dev/zero | tr '\0' x)"; done; } >"$F/long.yaml"
tbatch "$F/long.yaml" -o "$F/out" -q
size=$(stat -c %s "$F/out/summary.csv" 2>/dev/null || echo 999999)
check "a failed input quoting 1 MB of keys gives a small summary row ($size bytes, exit $rc)" \
  bash -c '[ "$1" -lt 8000 ] && [ "$2" -eq 1 ]' _ "$size" "$rc"

# A template value that would allocate gigabytes is refused at load.
cp -r "$ITAREPORT_DATA/templates/ita-2566" "$WORK/tpl"
sed -i '0,/axis_step: 20/s//axis_step: 0.00001/' "$WORK/tpl/report.yaml"
# (AddressSanitizer reserves terabytes of address space at start: no address-space limit there.)
vlimit=$((2 * 1024 * 1024 * slow))
case "${ITAREPORT_BUILD:-}" in *asan*) vlimit=unlimited ;; esac
msg=$( (ulimit -v $vlimit; timeout $((LIMIT * slow)) bash -c 'run render "$1" --template "$2" -o "$3" 2>&1' _ "$WORK/in/a.yaml" "$WORK/tpl" "$WORK/axis.pdf") ); rc=$?
check "axis_step 0.00001 is refused at load (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"report.yaml:"*"axis_step"*"steps; a chart takes at most 200"* ]]' _ "$rc" "$msg"
check "and no PDF" test ! -e "$WORK/axis.pdf"

# Every limit is in docs/input-format.md.
DOC=$E2E_ROOT/docs/input-format.md
for limit in "4 MiB" "64 levels" "100,000 nodes" "20 errors" "9 digits" "4000 pixels" "8 MiB" \
  "200 steps" "180 bytes" "100,000 shards" "1,000 bytes" "4,000 bytes" "1 GiB"; do
  check "docs/input-format.md lists the limit '$limit'" grep -q "$limit" "$DOC"
done

# --- item 9: exit statuses that tell the truth ----------------------------------------------
# A worker that cannot be started (too few file descriptors for its pipes) fails the batch.
# (Run without the wrapper: valgrind itself cannot start with 9 descriptors.)
msg=$( (ulimit -n 9; "$ITAREPORT" batch "$WORK/gen" -o "$WORK/nofd" -q -j 2 2>&1 >/dev/null) ); rc=$?
check "a worker that cannot be started makes the exit status 1 (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"could not be started"* ]]' _ "$rc" "$msg"
# A full disk (a file size limit: writes fail) is not followed by "summary in ...".
( ulimit -f 16; run batch "$WORK/gen" -o "$WORK/full" -j 1 >"$WORK/full.log" 2>&1 ); rc=$?
check "after failed writes the batch exits 1 (exit $rc)" test "$rc" -eq 1
check "and the log does not say the summary was written" bash -c '! grep -q "summary in" "$1"' _ "$WORK/full.log"
# Integers are range-checked.
expect_status "--shard 1/99999999999 is a usage error" 2 run batch "$WORK/gen" -o "$WORK/x" --shard 1/99999999999
expect_status "--shard 4294967297/4294967298 is a usage error" 2 run batch "$WORK/gen" -o "$WORK/x" --shard 4294967297/4294967298
G=$WORK/big
for k in 1 2; do run batch "$WORK/gen" -o "$G" -q --shard $k/2 >/dev/null 2>&1; done
sed -i '2s/,84\.[0-9]*,\|,[0-9][0-9]\.[0-9][0-9],/,12345678901234567890123,/' "$G/summary-1-of-2.csv"
msg=$(run summary "$G" 2>&1); rc=$?
check "a 23-digit figure in a shard CSV is refused, not overflowed (exit $rc)" \
  bash -c '[ "$1" -eq 1 ] && [[ "$2" == *"12345678901234567890123"*"is not a score"* ]]' _ "$rc" "$msg"

finish
