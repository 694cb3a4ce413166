#!/usr/bin/env bash
# Faults during a batch: SIGTERM and SIGINT (the batch ends with an exit status that says
# so, leaving only complete PDFs and no temporary file), and an input deleted while the
# batch runs (reported and skipped, the rest completes, exit 1).
. "$(dirname "$0")/lib.sh"
export ITAREPORT_DATA=$E2E_ROOT
N=120
[ -n "$ITAREPORT_WRAPPER" ] && N=30
python3 "$E2E_ROOT/samples/generate" $N --seed 21 -o "$WORK/in" >/dev/null

# Waits until DIR holds at least K PDFs (or 30 s).
wait_for_pdfs() {
  for _ in $(seq 1 600); do
    [ "$(ls "$1" 2>/dev/null | grep '\.pdf$' | grep -vc '^summary\.pdf$')" -ge "$2" ] && return 0
    sleep 0.05
  done
  return 1
}

# Every PDF complete, no temporary file, no summary of an interrupted run.
clean_outdir() {
  local bad=0
  for f in "$1"/*.pdf; do
    [ -e "$f" ] || continue
    tail -c 1024 "$f" | grep -q '%%EOF' || bad=$((bad + 1))
  done
  local stray
  stray=$(ls "$1" | grep -v '\.pdf$' | grep -v '^summary\.')
  [ -n "$stray" ] && echo "stray: $stray"
  [ $bad -eq 0 ] && [ -z "$stray" ]
}

# Reports in a folder (the summary left out).
reports() { ls "$1" | grep '\.pdf$' | grep -vc '^summary\.pdf$'; }

for sig in TERM INT; do
  out=$WORK/out-$sig
  ( exec $ITAREPORT_WRAPPER "$ITAREPORT" batch "$WORK/in" -o "$out" -j 2 -q ) &
  pid=$!
  wait_for_pdfs "$out" 3
  kill -$sig $pid
  wait $pid; rc=$?
  case $sig in TERM) want=143 ;; INT) want=130 ;; esac
  done_count=$(reports "$out")
  if [ "$done_count" -lt "$N" ]; then
    expect_eq "SIG$sig: the exit status says so ($done_count of $N made)" $want $rc
  else
    expect_eq "SIG$sig: the batch had finished" 0 $rc
  fi
  sleep 0.5 # workers end with their parent
  check "SIG$sig: only complete PDFs, no temporary file" clean_outdir "$out"
  run batch "$WORK/in" -o "$out" -j 2 -q
  check "SIG$sig: a rerun completes the set" test "$(reports "$out")" -eq "$N"
done

# An input deleted while the batch runs: the last one in sorted order, once the first
# report is out (one worker, so the batch is still far from it).
cp -r "$WORK/in" "$WORK/in2"
victim=$(ls "$WORK/in2" | sort | tail -1)
( exec $ITAREPORT_WRAPPER "$ITAREPORT" batch "$WORK/in2" -o "$WORK/out2" -j 1 -q 2>"$WORK/err2" ) &
pid=$!
wait_for_pdfs "$WORK/out2" 1
rm -f "$WORK/in2/$victim"
wait $pid; rc=$?
expect_eq "a deleted input makes the batch exit 1" 1 $rc
check "the deleted input is named with its reason" grep -q "$victim.*No such file or directory" "$WORK/err2"
check "the others are made" test "$(reports "$WORK/out2")" -eq $((N - 1))
check "the deleted input is a failed row of the summary" grep -q "failed" "$WORK/out2/summary.csv"
check "no partial file for it" clean_outdir "$WORK/out2"
finish
