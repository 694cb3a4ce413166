#!/usr/bin/env bash
# End-to-end tests of `itareport batch` and `itareport summary`: generated agencies plus broken
# inputs, PDFs identical to `itareport render`'s, failures named in the output and the summary,
# no stray files, a batch killed halfway and rerun, a crashing worker, shards against an
# unsharded run, the summary's figures against `check --json`, CSV rows against YAML files,
# streams, output names.
# Size: BATCH_AGENCIES agencies (300; 40 in a sanitizer build and 20 under valgrind, where
# every process is many times slower), so the suite stays within a few minutes.
. "$(dirname "$0")/lib.sh"
export ITAREPORT_DATA=${BATCH_DATA:-${RENDER_DATA:-$E2E_ROOT}}
GEN=$E2E_ROOT/samples/generate
N=${BATCH_AGENCIES:-300}
case "${ITAREPORT_WRAPPER}" in *valgrind*) N=${BATCH_AGENCIES:-20} ;; esac
case "${ITAREPORT_BUILD:-}" in *asan*) N=${BATCH_AGENCIES:-40} ;; esac
J=2

check "batch --help has an example" bash -c 'run batch --help | grep -q "Example:"'
check "summary --help has an example" bash -c 'run summary --help | grep -q "Example:"'
expect_status "batch without -o is a usage error" 2 run batch "$E2E_ROOT/samples"
expect_status "batch without input is a usage error" 2 run batch -o "$WORK/x"
expect_status "batch --shard 4/3 is a usage error" 2 run batch "$E2E_ROOT/samples" -o "$WORK/x" --shard 4/3
expect_status "batch -j 0 is a usage error" 2 run batch "$E2E_ROOT/samples" -o "$WORK/x" -j 0

# --- generated agencies and broken files ------------------------------------------------
IN=$WORK/in
"$GEN" "$N" --seed 7 -o "$IN/gen"
check "generate wrote $N agencies" test "$(ls "$IN/gen" | wc -l)" -eq "$N"
"$GEN" "$N" --seed 7 -o "$WORK/again"
check "generate is deterministic" diff -r "$IN/gen" "$WORK/again"
rm -rf "$WORK/again"
mkdir -p "$IN/broken"
SEED=$E2E_ROOT/samples/sepholoe-2566.yaml
printf 'framework: ita-2566\nagency: [unclosed\n' > "$IN/broken/bad-yaml.yaml"
sed 's/^    i8: 60.04$/    i8: 140/' "$SEED" > "$IN/broken/score-140.yaml"
sed 's/^    i8: 60.04$/    i99: 60.04/' "$SEED" > "$IN/broken/unknown-question.yaml"
: > "$IN/broken/empty.yaml"
line140=$(grep -n '^    i8: 140$' "$IN/broken/score-140.yaml" | cut -d: -f1)

OUT=$WORK/out
expect_status "a batch with broken inputs exits 1" 1 run batch "$IN" -o "$OUT" -j $J >"$WORK/log" 2>"$WORK/err"
good=$(ls "$IN/gen" | wc -l)
check "every good agency has its PDF ($good)" test "$(ls "$OUT"/0*.pdf | wc -l)" -eq "$good"
expected_files=$( (ls "$IN/gen" | sed 's/\.yaml$/.pdf/'; echo summary.csv; echo summary.pdf) | sort)
expect_eq "no stray files in OUTDIR" "$expected_files" "$(ls "$OUT" | sort)"
check "bad YAML named with its position" grep -q "broken/bad-yaml.yaml:[0-9]*:[0-9]*: error:" "$WORK/err"
check "score 140 named at its line" grep -q "broken/score-140.yaml:$line140:[0-9]*: error: .*140" "$WORK/err"
check "unknown question named" grep -q "broken/unknown-question.yaml:[0-9]*:[0-9]*: error: .*i99" "$WORK/err"
check "empty file named" grep -q "broken/empty.yaml.*error" "$WORK/err"
check "log lines name the failures" grep -q "FAILED .*broken/empty.yaml" "$WORK/log"
check "the last log line counts them" grep -q "$good rendered, 0 up to date, 4 failed" "$WORK/log"
check "summary.csv starts with a byte-order mark" bash -c "head -c 3 '$OUT/summary.csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "summary.csv header" bash -c "head -1 '$OUT/summary.csv' | grep -q 'file,agency,type,district,province,year,overall,grade,label,passed,IIT,EIT,OIT,status,error'"
for b in bad-yaml score-140 unknown-question empty; do
  check "summary names $b as failed with its reason" grep -q "^$b.pdf,.*failed,.*broken/$b.yaml.*error" "$OUT/summary.csv"
done
check "summary.pdf is valid" bash -c "qpdf --check '$OUT/summary.pdf' | grep -q 'No syntax or stream encoding errors'"
pdftotext -layout "$OUT/summary.pdf" "$WORK/summary.txt"
check "summary.pdf: the overview in Thai" grep -q "จำนวนหน่วยงานทั้งหมด $((good + 4)) หน่วยงาน" "$WORK/summary.txt"
check "summary.pdf: the ranking by province" grep -q "อันดับผลการประเมินรายจังหวัด" "$WORK/summary.txt"
check "summary.pdf: the failures" grep -q "รายการที่จัดทำรายงานไม่สำเร็จ (4 รายการ)" "$WORK/summary.txt"

# Every report equals `itareport render`'s (all of them; bytes compared).
differ=0
for f in "$IN"/gen/*.yaml; do
  b=$(basename "$f" .yaml)
  run render "$f" -o "$WORK/one.pdf" 2>/dev/null
  cmp -s "$WORK/one.pdf" "$OUT/$b.pdf" || { differ=$((differ + 1)); echo "differs: $b"; }
done
expect_eq "every PDF equals itareport render's" 0 "$differ"

# The summary's figures equal check --json for every agency.
for f in "$IN"/gen/*.yaml; do
  printf '%s\t' "$(basename "$f" .yaml).pdf"; run check --json "$f" 2>/dev/null | tr -d '\n'; echo
done > "$WORK/check.tsv"
check "summary figures equal check --json" python3 - "$OUT/summary.csv" "$WORK/check.tsv" <<'PY'
import csv, json, sys
rows = {r["file"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
bad = 0
for line in open(sys.argv[2], encoding="utf-8"):
    name, text = line.rstrip("\n").split("\t", 1)
    d, r = json.loads(text), rows[name]
    fmt = lambda v: "" if v is None else "%.2f" % v
    want = [d["agency"], d["agency_type"], d["district"], d["province"], str(d["fiscal_year"]),
            fmt(d["overall"]), d["grade"], d["label"], "true" if d["passed"] else "false",
            fmt(d["tools"]["iit"]), fmt(d["tools"]["eit"]), fmt(d["tools"]["oit"]), "ok"]
    got = [r[k] for k in ("agency", "type", "district", "province", "year", "overall", "grade",
                          "label", "passed", "IIT", "EIT", "OIT", "status")]
    if want != got:
        bad += 1
        print(name, want, got)
sys.exit(1 if bad else 0)
PY

# Rerun: everything is up to date, nothing is rewritten; --force makes them again.
stat -c '%n %i %Y' "$OUT"/0*.pdf > "$WORK/before"
expect_status "a rerun still exits 1 (the broken files)" 1 run batch "$IN" -o "$OUT" -j $J >"$WORK/log2" 2>/dev/null
check "a rerun skips every up-to-date report" grep -q "0 rendered, $good up to date, 4 failed" "$WORK/log2"
expect_eq "a rerun rewrites no PDF" "$(cat "$WORK/before")" "$(stat -c '%n %i %Y' "$OUT"/0*.pdf)"
cp "$OUT/summary.csv" "$WORK/summary-first.csv"
expect_eq "a rerun gives the same summary" "" "$(cmp "$OUT/summary.csv" "$WORK/summary-first.csv")"
touch -d '2000-01-01' "$OUT"/0*.pdf
run batch "$IN" -o "$OUT" -j $J --force -q >"$WORK/log3" 2>/dev/null
expect_eq "--quiet prints nothing" "" "$(cat "$WORK/log3")"
check "--force makes them again" test -z "$(find "$OUT" -name '0*.pdf' ! -newermt '2001-01-01')"

# A template change makes the report out of date.
TPL=$WORK/tpl
cp -r "$ITAREPORT_DATA/templates/ita-2566" "$TPL"
first=$(ls "$IN/gen" | head -1)
mkdir -p "$WORK/one" && cp "$IN/gen/$first" "$WORK/one/"
run batch "$WORK/one" -o "$WORK/tout" --template "$TPL" -q
echo "# changed" >> "$TPL/report.yaml"
run batch "$WORK/one" -o "$WORK/tout" --template "$TPL" > "$WORK/tlog"
check "a changed template makes the report again" grep -q "1 rendered, 0 up to date" "$WORK/tlog"
echo "# changed" >> "$TPL/wording.yaml"
run batch "$WORK/one" -o "$WORK/tout" --template "$TPL" > "$WORK/tlog"
check "a changed wording file makes the report again" grep -q "1 rendered, 0 up to date" "$WORK/tlog"

# Everything read for a report is in its fingerprint: replacing a logo's bytes or a font
# file makes the report again (the PDF then holds the new logo or font).
mkdir -p "$WORK/logo/in/logos"
cp "$E2E_ROOT/samples/nongkhai-passing-2566.yaml" "$WORK/logo/in/"
cp "$E2E_ROOT/samples/logos/emblem.png" "$WORK/logo/in/logos/"
run batch "$WORK/logo/in" -o "$WORK/logo/out" -q
cp "$WORK/logo/out/nongkhai-passing-2566.pdf" "$WORK/logo/first.pdf"
run batch "$WORK/logo/in" -o "$WORK/logo/out" > "$WORK/llog"
check "with the same logo the report is up to date" grep -q "0 rendered, 1 up to date" "$WORK/llog"
python3 - "$WORK/logo/in/logos/emblem.png" <<'PY'
import struct, sys, zlib
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
rows = b"".join(b"\0" + b"\xc0\x20\x20" * 8 for _ in range(8))
png = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 8, 8, 2, 0, 0, 0))
       + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))
open(sys.argv[1], "wb").write(png)
PY
run batch "$WORK/logo/in" -o "$WORK/logo/out" > "$WORK/llog"
check "a replaced logo makes the report again" grep -q "1 rendered, 0 up to date" "$WORK/llog"
check "and the new PDF holds the new logo (an 8x8 image)" bash -c "pdfimages -list '$WORK/logo/out/nongkhai-passing-2566.pdf' | grep -qE '^ +1 +0 +image +8 +8 '"
mkdir -p "$WORK/font/fonts"
cp -r "$ITAREPORT_DATA/templates/ita-2566" "$WORK/font/tpl"
for f in Regular Bold Italic BoldItalic; do cp "$ITAREPORT_DATA/fonts/Sarabun-$f.ttf" "$WORK/font/fonts/"; done
python3 - "$WORK/font/tpl/report.yaml" "$WORK/font/fonts" <<'PY'
import re, sys
p, d = sys.argv[1], sys.argv[2]
s = open(p, encoding="utf-8").read()
s2 = re.sub(r"fonts/Sarabun-", d + "/Sarabun-", s)
assert s2 != s
open(p, "w", encoding="utf-8").write(s2)
PY
run batch "$WORK/one" -o "$WORK/font/out" --template "$WORK/font/tpl" -q
run batch "$WORK/one" -o "$WORK/font/out" --template "$WORK/font/tpl" > "$WORK/flog"
check "with the same fonts the report is up to date" grep -q "0 rendered, 1 up to date" "$WORK/flog"
cp "$ITAREPORT_DATA/fonts/Sarabun-Italic.ttf" "$WORK/font/fonts/Sarabun-Regular.ttf"
run batch "$WORK/one" -o "$WORK/font/out" --template "$WORK/font/tpl" > "$WORK/flog"
check "a replaced font file makes the report again" grep -q "1 rendered, 0 up to date" "$WORK/flog"

# --- killed halfway, and rerun ------------------------------------------------------------
KOUT=$WORK/killed
# exec: $! is the batch itself (or its wrapper), not a subshell.
( exec $ITAREPORT_WRAPPER "$ITAREPORT" batch "$IN/gen" -o "$KOUT" -j $J -q ) &
pid=$!
for _ in $(seq 1 600); do
  [ "$(ls "$KOUT" 2>/dev/null | grep -c '^0.*\.pdf$')" -ge $((N / 3)) ] && break
  sleep 0.05
done
kill -KILL $pid 2>/dev/null; wait $pid 2>/dev/null
sleep 0.5 # the workers see their parent gone and end, removing what they were writing
done_before=$(ls "$KOUT" | grep -c '^0.*\.pdf$')
check "killed halfway ($done_before of $N done)" test "$done_before" -lt "$N"
truncated=0
for f in "$KOUT"/0*.pdf; do tail -c 1024 "$f" | grep -q '%%EOF' || truncated=$((truncated + 1)); done
expect_eq "no truncated PDF after the kill" 0 "$truncated"
check "no summary from the killed run" test ! -e "$KOUT/summary.csv"
stat -c '%n %i %Y' "$KOUT"/0*.pdf > "$WORK/kbefore"
run batch "$IN/gen" -o "$KOUT" -j $J > "$WORK/klog"
check "the rerun completes the set" test "$(ls "$KOUT" | grep -c '^0.*\.pdf$')" -eq "$N"
check "the rerun does not redo finished reports" grep -q "$((N - done_before)) rendered, $done_before up to date, 0 failed" "$WORK/klog"
expect_eq "finished reports are untouched" "$(cat "$WORK/kbefore")" "$(stat -c '%n %i %Y' $(cut -d' ' -f1 "$WORK/kbefore"))"
expect_eq "no stray files after the rerun" "$( (ls "$IN/gen" | sed 's/\.yaml$/.pdf/'; echo summary.csv; echo summary.pdf) | sort)" "$(ls "$KOUT" | sort)"
check "the rerun's reports equal the first run's" bash -c "for f in '$KOUT'/0*.pdf; do cmp -s \"\$f\" '$OUT'/\$(basename \"\$f\") || exit 1; done"

# A stale temporary file of a run killed outright is removed on the next run.
touch "$KOUT/$(ls "$IN/gen" | head -1 | sed 's/\.yaml$//').pdf.tmp.AbC123"
run batch "$IN/gen" -o "$KOUT" -j $J -q
check "a stale temporary file is removed" test -z "$(ls "$KOUT" | grep '\.tmp\.')"

# --- a crashing worker --------------------------------------------------------------------
# The worker that opens a named pipe blocks reading it; it is killed with SIGKILL while it
# holds that job. The batch reports that job and completes the others.
CIN=$WORK/crash
mkdir -p "$CIN"
for f in $(ls "$IN"/gen/*.yaml | head -6); do cp "$f" "$CIN/"; done
mkfifo "$WORK/stuck.yaml"
( exec $ITAREPORT_WRAPPER "$ITAREPORT" batch "$CIN" "$WORK/stuck.yaml" -o "$WORK/cout" -j $J >"$WORK/clog" 2>"$WORK/cerr" ) &
bpid=$!
( exec 3>"$WORK/stuck.yaml"; sleep 20 ) &
holder=$!
victim=
for _ in $(seq 1 200); do
  for c in $(cat /proc/$bpid/task/*/children 2>/dev/null); do
    # With a wrapper the batch runs one level down.
    for p in $c $(cat /proc/$c/task/*/children 2>/dev/null); do
      ls -l /proc/$p/fd 2>/dev/null | grep -q 'stuck.yaml' && victim=$p
    done
  done
  [ -n "$victim" ] && break
  sleep 0.05
done
check "a worker is blocked on the pipe" test -n "$victim"
[ -n "$victim" ] && kill -KILL "$victim"
wait $bpid; rc=$?
kill $holder 2>/dev/null; wait $holder 2>/dev/null
expect_eq "a crashed worker makes the batch exit 1" 1 "$rc"
check "the crash is reported with its input" grep -q "stuck.yaml: error: the worker rendering it was killed by signal 9" "$WORK/cerr"
check "the crash is in the summary" grep -q "^stuck.pdf,.*failed,.*killed by signal 9" "$WORK/cout/summary.csv"
check "the other reports are made" test "$(ls "$WORK/cout" | grep -c '^0.*\.pdf$')" -eq 6
check "no stray files after the crash" test -z "$(ls "$WORK/cout" | grep -v -e '^0.*\.pdf$' -e '^summary\.')"

# --- shards --------------------------------------------------------------------------------
SOUT=$WORK/sharded
for k in 2 3 1; do run batch "$IN" -o "$SOUT" -j $J --shard $k/3 -q 2>/dev/null; done
check "shard summaries are named for the shard" test -e "$SOUT/summary-2-of-3.csv" -a -e "$SOUT/summary-2-of-3.pdf"
check "a shard's summary says which shard it is (from the template)" bash -c "pdftotext '$SOUT/summary-2-of-3.pdf' - | grep -q 'ส่วนที่ 2 จาก 3 ของชุดงาน' && pdfinfo '$SOUT/summary-2-of-3.pdf' | grep -q '^Subject: *ส่วนที่ 2 จาก 3 ของชุดงาน'"
check "an unsharded summary does not" bash -c "! pdftotext '$OUT/summary.pdf' - | grep -q 'ของชุดงาน' && ! pdfinfo '$OUT/summary.pdf' | grep -q '^Subject:'"
run summary "$SOUT"
expect_eq "shards give exactly the files of one run" "$(ls "$OUT" | sort)" "$(ls "$SOUT" | grep -v 'summary-.-of-3' | sort)"
check "shards give the same reports, byte for byte" bash -c "for f in '$OUT'/0*.pdf; do cmp -s \"\$f\" '$SOUT'/\$(basename \"\$f\") || exit 1; done"
check "the merged summary.csv equals the unsharded one" cmp "$OUT/summary.csv" "$SOUT/summary.csv"
check "the merged summary.pdf equals the unsharded one" cmp "$OUT/summary.pdf" "$SOUT/summary.pdf"
mkdir -p "$WORK/part"; mv "$SOUT/summary-3-of-3.csv" "$WORK/part/"
expect_status "summary over folders from several machines" 0 run summary "$SOUT" "$WORK/part" -o "$WORK/merged"
check "…equals the unsharded one" cmp "$OUT/summary.csv" "$WORK/merged/summary.csv"
rm "$SOUT/summary-2-of-3.csv"
run summary "$SOUT" "$WORK/part" -o "$WORK/merged2" 2>"$WORK/serr"; rc=$?
expect_eq "a missing shard is an error" 1 "$rc"
check "…that names the shard" grep -q "shard 2 of 3 is missing" "$WORK/serr"

# --- CSV rows against the same agencies as YAML files --------------------------------------
"$GEN" 12 --seed 11 -o "$WORK/csvy" --csv "$WORK/agencies.csv" --scores-only
run batch "$WORK/csvy" -o "$WORK/oy" -q
run batch "$WORK/agencies.csv" -o "$WORK/oc" -q
# (but for the file names and so the job list's fingerprint, the last column)
no_list() { tail -n +2 "$1" | cut -d, -f2- | sed 's/,[0-9a-f]\{32\}\r\{0,1\}$//'; }
expect_eq "a CSV gives the summary of the YAML files" "$(no_list "$WORK/oy/summary.csv")" "$(no_list "$WORK/oc/summary.csv")"
same=0
while IFS='|' read -r a b; do
  cmp -s <(pdftotext -layout "$WORK/oy/$a" -) <(pdftotext -layout "$WORK/oc/$b" -) && same=$((same + 1))
done < <(paste -d'|' <(tail -n +2 "$WORK/oy/summary.csv" | cut -d, -f1) <(tail -n +2 "$WORK/oc/summary.csv" | cut -d, -f1))
expect_eq "a CSV row gives the report of its YAML file" 12 "$same"
check "CSV outputs are named for the agency, Thai kept" bash -c "ls '$WORK/oc' | grep -q '^องค์การบริหารส่วนตำบล.*\.pdf$\|^เทศบาล.*\.pdf$'"
# A bad cell is told at its CSV line and column.
python3 - "$WORK/agencies.csv" "$WORK/bad.csv" <<'PY'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
head = lines[0].split(",")
cells = lines[3].split(",")
cells[head.index("i8")] = "140"
lines[3] = ",".join(cells)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines) + "\n")
col = len(",".join(cells[:head.index("i8")])) + 2  # characters, not bytes
print(col, file=open(sys.argv[2] + ".col", "w"))
PY
col=$(python3 -c "
import sys
line = open('$WORK/bad.csv', encoding='utf-8').read().splitlines()[3]
head = open('$WORK/bad.csv', encoding='utf-8').read().splitlines()[0].split(',')
print(len(','.join(line.split(',')[:head.index('i8')])) + 2)")
run batch "$WORK/bad.csv" -o "$WORK/ob" -q 2>"$WORK/berr"; rc=$?
expect_eq "a CSV with a bad cell exits 1" 1 "$rc"
check "the bad cell is told at its CSV line, column and column name" grep -q "bad.csv:4:$col: column i8: error: score 140 is outside 0-100 (question i8)" "$WORK/berr"
check "the other rows are made" test "$(ls "$WORK/ob" | grep -vc '^summary\.')" -eq 11
printf 'name,province,สี\nx,y,z\n' > "$WORK/badhead.csv"
run batch "$WORK/badhead.csv" -o "$WORK/oh" -q 2>"$WORK/herr"; rc=$?
expect_eq "a CSV with an unknown column exits 1" 1 "$rc"
check "the unknown column is told at its header cell" grep -q "badhead.csv:1:15: error: unknown column 'สี'" "$WORK/herr"
check "…and named in the summary" grep -q "^badhead.pdf,.*,failed,.*unknown column" "$WORK/oh/summary.csv"
run new --csv > "$WORK/header.csv"
expect_status "the header of new --csv is accepted" 0 run batch "$WORK/header.csv" -o "$WORK/onew" -q

# --- streams and names -----------------------------------------------------------------------
S=$WORK/stream.yaml
{ cat "$E2E_ROOT/samples/sepholoe-2566.yaml"; echo "---"; cat "$IN/broken/score-140.yaml"; echo "---"
  sed 's/^  name: .*/  name: "อบต.ทด\/สอบ: ชื่อ*แปลก"/' "$E2E_ROOT/samples/sepholoe-2566.yaml"; echo "---"; } > "$S"
sline=$(grep -n '^    i8: 140$' "$S" | cut -d: -f1)
run batch "$S" "$SEED" -o "$WORK/os" -q 2>"$WORK/oserr"; rc=$?
expect_eq "a stream with a bad document exits 1" 1 "$rc"
check "a stream's bad document is told at its line in the stream" grep -q "stream.yaml:$sline:[0-9]*: error: score 140" "$WORK/oserr"
check "stream documents are named for the agency" test -e "$WORK/os/องค์การบริหารส่วนตำบลเสอเพลอ.pdf"
check "collisions are suffixed" grep -q "^องค์การบริหารส่วนตำบลเสอเพลอ-2.pdf,.*,failed," "$WORK/os/summary.csv"
check "unsafe characters are replaced, Thai kept" bash -c "ls '$WORK/os' | grep -qx 'อบต.ทด-สอบ- ชื่อ-แปลก.pdf'"
check "a file is named for its file name" test -e "$WORK/os/sepholoe-2566.pdf"

# A batch over agencies of several years: every report is made, and one summary gives its
# counts and averages per year, its title naming the years.
run batch "$E2E_ROOT"/samples/*.yaml -o "$WORK/oyears" -q 2>"$WORK/eyears"; rc=$?
expect_eq "a batch over the years 2566-2569 succeeds" "0:" "$rc:$(cat "$WORK/eyears")"
check "…the 2568 indicator-level sample is rendered" grep -q "^kranuan-2568.pdf,เทศบาลตำบลกระนวน,.*,2568,94.77,A,ผ่านดี,true,.*,ok," "$WORK/oyears/summary.csv"
pdftotext -layout "$WORK/oyears/summary.pdf" "$WORK/years.txt"
check "…the summary's title names the years" grep -q "พ.ศ. 2566, 2567, 2568 และ 2569" "$WORK/years.txt"
want=$(python3 - "$WORK/oyears/summary.csv" <<'PY'
import csv, sys
from decimal import Decimal, ROUND_HALF_UP
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["status"] == "ok"]
for y in sorted({r["year"] for r in rows}):
    rs = [r for r in rows if r["year"] == y]
    passed = sum(r["passed"] == "true" for r in rs)
    mean = (sum(Decimal(r["overall"]) for r in rs) / len(rs)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    pct = (Decimal(passed * 100) / len(rs)).quantize(Decimal("0.1"), ROUND_HALF_UP)
    print("พ.ศ. %s %d %d %s %d %s" % (y, len(rs), passed, pct, len(rs) - passed, mean))
PY
)
got=$(grep -E '^ +พ\.ศ\. 256[0-9] +[0-9]+ +[0-9]+ ' "$WORK/years.txt" | sed 's/^ *//; s/  */ /g')
expect_eq "…counts and averages per year, as the rows give them" "$want" "$got"
check "…no year counts zero agencies" bash -c "! grep -q 'มีคะแนนรวม 0 หน่วยงาน' '$WORK/years.txt'"

# --- messages holding line breaks, empty lines, control bytes, invalid UTF-8 ---------------
# A YAML block scalar (`type: |`, `framework: |`) puts line breaks and empty lines into a
# message; the parent once read them as the next message's severity (exit 139, or a heap
# overflow on an empty line) and the batch stopped without a summary. Now every message is
# a record on the wire: told once, on one line with its control bytes escaped, at its
# position; 50 generated agencies are made beside the bad inputs.
H=$WORK/hostile
HN=50
[ "$N" -lt "$HN" ] && HN=$N
"$GEN" "$HN" --seed 3 -o "$H/gen" >/dev/null
mkdir -p "$H/bad"
sed 's/^  type: อบต.$/  type: |\n    first line\n\n    third line/' "$SEED" > "$H/bad/type-block.yaml"
sed 's/^framework: ita-2566$/framework: |\n  ita-2566\n\n  x/' "$SEED" > "$H/bad/framework-block.yaml"
sed 's/^  type: อบต.$/  type: "a\\x01b\\e[31mc\\x7fd"/' "$SEED" > "$H/bad/control.yaml"
printf 'framework: ita-2566\nagency:\n  name: "\xff\xfe bad"\n' > "$H/bad/not-utf8.yaml"
{ cat "$SEED"; echo "---"; cat "$H/bad/type-block.yaml"; } > "$H/bad/stream.yaml"
sline=$(( $(wc -l < "$SEED") + 1 + $(grep -n '^  type: |$' "$H/bad/type-block.yaml" | cut -d: -f1) ))
"$GEN" 3 --seed 5 -o "$WORK/hcsvy" --csv "$H/table.csv" --scores-only >/dev/null
python3 - "$H/table.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8-sig")))
rows[2][rows[0].index("type")] = "a\n\nb\x01c"
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline="")).writerows(rows)
PY
tcol=$(python3 -c "
import csv
rows = list(csv.reader(open('$H/table.csv', encoding='utf-8-sig')))
print(len(','.join(rows[2][:rows[0].index('type')])) + 2)")
run batch "$H/gen" "$H/bad" "$H/table.csv" -o "$H/out" -j $J >"$H/log" 2>"$H/err"; rc=$?
expect_eq "hostile messages: the batch exits 1 (not 139)" 1 "$rc"
check "hostile messages: all $HN generated agencies have their PDF" test "$(ls "$H/out" | grep -c '^0.*\.pdf$')" -eq "$HN"
check "hostile messages: the summary is written" test -s "$H/out/summary.csv" -a -s "$H/out/summary.pdf"
check "hostile messages: the last log line counts them" grep -q "$((HN + 3)) rendered, 0 up to date, 6 failed" "$H/log"
check "a block scalar's line breaks arrive, escaped, at its position" grep -qF "bad/type-block.yaml:11:9: error: agency type 'first line\n\nthird line\n' is not one of" "$H/err"
check "a block scalar in framework: named at its position" grep -qF "bad/framework-block.yaml:5:12: error: unknown framework 'ita-2566\n\nx\n'" "$H/err"
check "control bytes arrive, escaped" grep -qF "bad/control.yaml:11:9: error: agency type 'a\x01b\x1b[31mc\x7fd'" "$H/err"
check "invalid UTF-8 named at its position" grep -q "bad/not-utf8.yaml:3:[0-9]*: error: .*not UTF-8" "$H/err"
check "a stream's block scalar at its line in the stream" grep -qF "bad/stream.yaml:$sline:9: error: agency type 'first line\n" "$H/err"
check "a CSV cell's line breaks at its cell" grep -qF "/table.csv:3:$tcol: column type: error: agency type 'a\n\nb\x01c'" "$H/err"
# (A message may be followed by its source line and a caret, indented by four spaces.)
check "every message is one line (no raw line break or control byte)" python3 - "$H/err" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
bad = [l for l in data.rstrip(b"\n").split(b"\n") if not re.match(rb"^([^ ]+:[0-9]+(:[0-9]+)?: (column [^ ]+: )?(error|warning|note): |    )", l)]
ctl = [b for b in data if b < 0x20 and b != 0x0A]
sys.exit(1 if bad or ctl else 0)
PY
for b in bad/type-block bad/framework-block bad/control bad/not-utf8 table; do
  check "summary names $b with its position" grep -q "/$b\.[a-z]*:[0-9]*:[0-9]*:\( column [^:]*:\)\? error" "$H/out/summary.csv"
done
differ=0 count=$HN
[ -n "$ITAREPORT_WRAPPER" ] && count=5
for f in $(ls "$H"/gen/*.yaml | head -$count); do
  run render "$f" -o "$WORK/h1.pdf" 2>/dev/null
  cmp -s "$WORK/h1.pdf" "$H/out/$(basename "$f" .yaml).pdf" || differ=$((differ + 1))
done
expect_eq "hostile messages: the reports equal itareport render's" 0 "$differ"

# --- the time limit -------------------------------------------------------------------------
# A worker that opens a named pipe with no writer blocks; with --timeout 1 it is stopped, its
# job reported, and the rest made (a longer limit where every report is slower).
TO=1
case "${ITAREPORT_BUILD:-}" in *asan*) TO=5 ;; esac
case "${ITAREPORT_WRAPPER}" in *valgrind*) TO=40 ;; esac
TIN=$WORK/slow
mkdir -p "$TIN"
for f in $(ls "$IN"/gen/*.yaml | head -4); do cp "$f" "$TIN/"; done
mkfifo "$WORK/slow.yaml"
start=$(date +%s)
run batch "$TIN" "$WORK/slow.yaml" -o "$WORK/tout2" -j $J --timeout $TO >"$WORK/tlog2" 2>"$WORK/terr"; rc=$?
took=$(( $(date +%s) - start ))
expect_eq "a job over the time limit makes the batch exit 1" 1 "$rc"
check "…is reported with its input and the limit" grep -q "slow.yaml: error: rendering it took longer than $TO s (--timeout)" "$WORK/terr"
check "…is a failed row of the summary" grep -q "^slow.pdf,.*failed,.*took longer than $TO s" "$WORK/tout2/summary.csv"
check "…and the others are made" test "$(ls "$WORK/tout2" | grep -c '^0.*\.pdf$')" -eq 4
check "…without waiting for it (${took} s)" test "$took" -lt $((TO + 30))
expect_status "--timeout needs a number" 2 run batch "$TIN" -o "$WORK/x" --timeout soon
check "batch --help tells the time limit" bash -c 'run batch --help | grep -q -- "--timeout S"'

finish
