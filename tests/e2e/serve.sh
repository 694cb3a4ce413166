#!/usr/bin/env bash
# itareport serve: the API over HTTP on loopback (curl), the failures of workers (a full
# queue, a worker killed mid-request, a time limit), the safety headers and Host check, the
# stop after the requests under way; then the web form in a real browser (Debian's
# chromium driven by puppeteer-core, tests/browser/form.test.js) in the plain run. Under
# ITAREPORT_WRAPPER (valgrind) the server runs under the wrapper for the API part and the
# browser part is left to the plain run, which says so.
source "$(dirname "$0")/lib.sh"
cd "$E2E_ROOT"
export LANG=C
SLOW=1
case "$ITAREPORT_WRAPPER" in *valgrind*) SLOW=10 ;; esac
CURL=(curl -sS -m $((30 * SLOW)))

# start_server ARGS...: the server on a free loopback port; sets SERVER (pid), PORT, BASE, SLOG.
start_server() {
  SLOG=$WORK/server.$RANDOM.log
  ( exec $ITAREPORT_WRAPPER "$ITAREPORT" serve --listen 127.0.0.1:0 "$@" ) 2>"$SLOG" &
  SERVER=$!
  PORT=
  for _ in $(seq $((100 * SLOW))); do
    PORT=$(sed -n 's/.*serving on http:\/\/127.0.0.1:\([0-9]*\)\/.*/\1/p' "$SLOG")
    [ -n "$PORT" ] && break
    kill -0 $SERVER 2>/dev/null || break
    sleep 0.1
  done
  BASE=http://127.0.0.1:$PORT
  [ -n "$PORT" ]
}

# stop_server: SIGTERM, and its exit status into STOPPED.
stop_server() {
  kill -TERM $SERVER 2>/dev/null
  wait $SERVER; STOPPED=$?
}

# The one worker of a server started with --workers 1 (after a first request started it).
worker_pid() { pgrep -P $SERVER | head -1; }

mkdir -p "$WORK/cli"
check "the server starts on a free port and says where" start_server --workers 2
echo "server on $BASE"

# ---- plain requests, headers, the Host check -----------------------------------------------
"${CURL[@]}" -D "$WORK/h" -o "$WORK/b" "$BASE/healthz"
expect_eq "GET /healthz answers ok" "ok" "$(cat "$WORK/b")"
check "responses carry a CSP allowing only the server itself" grep -qi "^Content-Security-Policy: default-src 'self';" "$WORK/h"
check "responses carry X-Content-Type-Options: nosniff" grep -qi '^X-Content-Type-Options: nosniff' "$WORK/h"
"${CURL[@]}" -D "$WORK/h" -o "$WORK/page" "$BASE/"
check "GET / is the Thai page" grep -q '<html lang="th">' "$WORK/page"
check "no response sets a cookie" bash -c "! grep -qi '^Set-Cookie' '$WORK/h'"
expect_eq "the script is served as JavaScript" "text/javascript; charset=utf-8" \
  "$("${CURL[@]}" -o /dev/null -w '%{content_type}' "$BASE/app.js")"
expect_eq "the page's font comes from the server" "$(wc -c <fonts/Sarabun-Regular.ttf)" \
  "$("${CURL[@]}" -o /dev/null -w '%{size_download}' "$BASE/fonts/Sarabun-Regular.ttf")"
check "the page fetches nothing from elsewhere" bash -c "! grep -Eq '(src|href)=\"(https?:)?//' web/index.html && ! grep -Eq 'https?://' web/app.js web/style.css"
expect_eq "a rebinding Host (another name) is refused" 403 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Host: ita.example.com:$PORT" "$BASE/healthz")"
expect_eq "a Host without the port is refused" 403 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Host: 127.0.0.1" "$BASE/healthz")"
expect_eq "Host localhost with the port is served" 200 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H "Host: localhost:$PORT" "$BASE/healthz")"
expect_eq "an unknown path is 404" 404 "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/etc/passwd")"
expect_eq "GET /api/check is 405" 405 "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/api/check")"

# ---- the catalogue --------------------------------------------------------------------------
"${CURL[@]}" -o "$WORK/fw.json" "$BASE/api/frameworks"
expect_eq "GET /api/frameworks lists the installed frameworks, newest first" \
  "$(ls templates | grep '^ita-' | sort -r | tr '\n' ' ')" \
  "$(python3 -c 'import json,sys; print(" ".join(f["id"] for f in json.load(open(sys.argv[1]))["frameworks"]), end=" ")' "$WORK/fw.json")"
expect_eq "ita-2566 has its 73 questions and 15 EIT ones with two parts" "88 2" \
  "$(python3 -c 'import json,sys
f=[f for f in json.load(open(sys.argv[1]))["frameworks"] if f["id"]=="ita-2566"][0]
print(sum(len(i["questions"]) for t in f["tools"] for i in t["indicators"]), [len(t["parts"]) for t in f["tools"] if t["id"]=="eit"][0])' "$WORK/fw.json")"
expect_eq "GET /api/provinces gives the 77 provinces" 77 \
  "$("${CURL[@]}" "$BASE/api/provinces" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["provinces"]))')"

# ---- render: the CLI's bytes ------------------------------------------------------------------
for s in sepholoe-2566 thasala-history-2566 yala-2567 nongbua-2569; do
  cp "samples/$s.yaml" "$WORK/cli/$s.yaml"
  run render "$WORK/cli/$s.yaml" -o "$WORK/cli/$s.pdf" 2>/dev/null
  code=$("${CURL[@]}" -o "$WORK/$s.pdf" -w '%{http_code} %{content_type}' --data-binary "@samples/$s.yaml" \
    "$BASE/api/render?name=$s.yaml")
  expect_eq "POST /api/render of $s answers a PDF" "200 application/pdf" "$code"
  check "POST /api/render of $s is byte-identical to itareport render" cmp -s "$WORK/$s.pdf" "$WORK/cli/$s.pdf"
done
cp samples/sepholoe-2566.yaml "$WORK/cli/input.yaml"
run render "$WORK/cli/input.yaml" -o "$WORK/cli/input.pdf" --digits arabic 2>/dev/null
"${CURL[@]}" -o "$WORK/input.pdf" --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?digits=arabic"
check "without name the input is input.yaml (and digits=arabic is --digits arabic)" cmp -s "$WORK/input.pdf" "$WORK/cli/input.pdf"
check "the PDF carries the input as input.yaml" bash -c "pdfdetach -list '$WORK/input.pdf' | grep -q 'input.yaml'"
"${CURL[@]}" -D "$WORK/h" -o /dev/null --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?name=sepholoe-2566.yaml"
check "the PDF comes as an attachment named after the input" grep -qi "^Content-Disposition: attachment.*sepholoe-2566.pdf" "$WORK/h"
# A logo travels before the input (logo_size); the server reads no file the input names.
mkdir -p "$WORK/cli/logos"
cp samples/nongkhai-passing-2566.yaml "$WORK/cli/"
cp samples/logos/emblem.png "$WORK/cli/logos/"
run render "$WORK/cli/nongkhai-passing-2566.yaml" -o "$WORK/cli/nongkhai.pdf" 2>/dev/null
cat samples/logos/emblem.png samples/nongkhai-passing-2566.yaml >"$WORK/logo-body"
"${CURL[@]}" -o "$WORK/nongkhai.pdf" --data-binary @"$WORK/logo-body" \
  "$BASE/api/render?name=nongkhai-passing-2566.yaml&logo_size=$(wc -c <samples/logos/emblem.png)"
check "a render with its logo uploaded is byte-identical to itareport render" cmp -s "$WORK/nongkhai.pdf" "$WORK/cli/nongkhai.pdf"
code=$("${CURL[@]}" -o "$WORK/nologo.json" -w '%{http_code}' --data-binary @samples/nongkhai-passing-2566.yaml "$BASE/api/render?lang=en")
expect_eq "an input naming a logo that was not uploaded is 422, no file read" \
  "422 serve-logo-not-uploaded" "$code $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["diagnostics"][0]["id"])' "$WORK/nologo.json")"
expect_eq "a name with a folder is refused" 400 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?name=../x.yaml")"
code=$("${CURL[@]}" -o "$WORK/bad.json" -w '%{http_code}' --data-binary @tests/data/bad/score-140.yaml "$BASE/api/render?lang=en")
expect_eq "a render of a bad input is 422 with its records" "422 False" \
  "$code $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["valid"])' "$WORK/bad.json")"

# ---- check: the JSON of check --json ----------------------------------------------------------
(cd "$WORK/cli" && run check --json sepholoe-2566.yaml >"$WORK/cli/check.json" 2>/dev/null)
"${CURL[@]}" -o "$WORK/check.json" --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check?name=sepholoe-2566.yaml&lang=en"
check "POST /api/check?lang=en is check --json, byte for byte" cmp -s "$WORK/check.json" "$WORK/cli/check.json"
msg=$("${CURL[@]}" --data-binary @tests/data/bad/score-140.yaml "$BASE/api/check" | python3 -c 'import json,sys; print(json.load(sys.stdin)["diagnostics"][0]["message"])')
expect_eq "messages are Thai unless asked for English" "คะแนน 140 อยู่นอกช่วง 0-100 (ข้อคำถาม i8)" "$msg"
# Every bad input: the records' positions are those of its .expected, each with severity and path.
bad_ok=0 bad_total=0
for f in tests/data/bad/*.yaml; do
  n=$(basename "$f" .yaml)
  bad_total=$((bad_total + 1))
  "${CURL[@]}" -o "$WORK/b.json" --data-binary @"$f" "$BASE/api/check?name=$n.yaml&lang=en"
  if python3 - "$WORK/b.json" "tests/data/bad/$n.expected" "$n.yaml" <<'EOF'; then bad_ok=$((bad_ok + 1)); else echo "  differs: $n"; fi
import json, re, sys
got = json.load(open(sys.argv[1]))
want = []
for line in open(sys.argv[2], encoding="utf-8", errors="replace"):
    m = re.match(r"^\S*?:(\d+):(\d+): (error|warning|note): ", line)
    m2 = re.match(r"^itareport: (error|warning|note): ", line)
    if m:
        want.append((int(m.group(1)), int(m.group(2)), m.group(3)))
    elif m2:
        pass  # a message without a position (an encoding warning) is not compared
have = [(d["line"], d["column"], d["severity"]) for d in got["diagnostics"] if d["line"]]
ok = got.get("valid") is False and have[:len(want)] == want[:len(have)] and len(got["diagnostics"]) >= 1
ok = ok and all(d["severity"] in ("error", "warning", "note") and "path" in d and d["id"] for d in got["diagnostics"])
if not ok:
    print("  want", want[:5], "have", have[:5])
sys.exit(0 if ok else 1)
EOF
done
expect_eq "POST /api/check gives each file of tests/data/bad its positions, severities and paths" "$bad_total" "$bad_ok"
expect_eq "a path is given with the position" "scores.questions.i8" \
  "$("${CURL[@]}" --data-binary @tests/data/bad/score-140.yaml "$BASE/api/check" | python3 -c 'import json,sys; print(json.load(sys.stdin)["diagnostics"][0]["path"])')"

# ---- the size limit ---------------------------------------------------------------------------
head -c $((4 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$WORK/big"
expect_eq "a body over 4 MiB is 413" 413 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' --data-binary @"$WORK/big" "$BASE/api/check")"
expect_eq "a body over 4 MiB sent chunked is 413" 413 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' -H 'Transfer-Encoding: chunked' --data-binary @"$WORK/big" "$BASE/api/check")"
expect_eq "after the 413s the server still answers" 200 "$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/healthz")"

# ---- the log ----------------------------------------------------------------------------------
check "one log line per request: method, path, status, bytes, milliseconds" \
  grep -Eq '^itareport: note: POST /api/render 200 [0-9]+ bytes [0-9.]+ ms$' "$SLOG"
check "the log never holds the input's content" bash -c "! grep -q 'เสอเพลอ' '$SLOG'"
stop_server
expect_eq "SIGTERM stops the server with status 0" 0 "$STOPPED"

# ---- workers that fail ------------------------------------------------------------------------
# A full queue: one worker, no queue, the worker held (SIGSTOP) with a job.
start_server --workers 1 --queue 0
"${CURL[@]}" -o /dev/null --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check"
W=$(worker_pid)
kill -STOP "$W"
( "${CURL[@]}" -o "$WORK/held.json" -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check" >"$WORK/held.code" ) &
HELD=$!
sleep $((1 * SLOW))
"${CURL[@]}" -D "$WORK/h" -o /dev/null -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check" >"$WORK/full.code"
expect_eq "a full queue is 503" 503 "$(cat "$WORK/full.code")"
check "the 503 says when to retry" grep -qi '^Retry-After: [0-9]' "$WORK/h"
kill -CONT "$W"
wait $HELD
expect_eq "the request held in the worker completes" 200 "$(cat "$WORK/held.code")"

# A worker killed while it holds a request: that request is 500, the next succeeds.
W=$(worker_pid)
kill -STOP "$W"
( "${CURL[@]}" -o "$WORK/killed.json" -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?lang=en" >"$WORK/killed.code" ) &
HELD=$!
sleep $((1 * SLOW))
kill -KILL "$W"
wait $HELD
expect_eq "a request whose worker is killed gets 500 with a message" "500 serve-worker-crashed" \
  "$(cat "$WORK/killed.code") $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["diagnostics"][0]["id"])' "$WORK/killed.json")"
"${CURL[@]}" -o "$WORK/after.pdf" --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?name=sepholoe-2566.yaml"
check "the next request succeeds (a new worker)" cmp -s "$WORK/after.pdf" "$WORK/cli/sepholoe-2566.pdf"
check "the killed worker was replaced by another process" bash -c "[ \"\$(pgrep -P $SERVER | head -1)\" != '$W' ]"
stop_server
expect_eq "the server stops with status 0 after its worker was killed" 0 "$STOPPED"

# A worker past the time limit: the request is 500, the worker replaced.
start_server --workers 1 --timeout 1
"${CURL[@]}" -o /dev/null --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check"
kill -STOP "$(worker_pid)"
code=$("${CURL[@]}" -o "$WORK/slow.json" -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check?lang=en")
expect_eq "a request past the time limit gets 500 with a message" "500 serve-worker-timed-out" \
  "$code $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["diagnostics"][0]["id"])' "$WORK/slow.json")"
expect_eq "the next request succeeds" 200 \
  "$("${CURL[@]}" -o /dev/null -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check")"

stop_server

# SIGTERM while a request is under way: it completes, then the server exits 0.
start_server --workers 1
"${CURL[@]}" -o /dev/null --data-binary @samples/sepholoe-2566.yaml "$BASE/api/check"
kill -STOP "$(worker_pid)"
( "${CURL[@]}" -o "$WORK/inflight.pdf" -w '%{http_code}' --data-binary @samples/sepholoe-2566.yaml "$BASE/api/render?name=sepholoe-2566.yaml" >"$WORK/inflight.code" ) &
HELD=$!
sleep $((1 * SLOW))
kill -TERM $SERVER
kill -CONT "$(pgrep -P $SERVER | head -1)" 2>/dev/null
wait $SERVER; STOPPED=$?
wait $HELD
expect_eq "SIGTERM lets the request under way finish" 200 "$(cat "$WORK/inflight.code")"
expect_eq "then the server exits 0" 0 "$STOPPED"

# Another address than the loopback: a warning that there is no login.
( exec $ITAREPORT_WRAPPER "$ITAREPORT" serve --listen 0.0.0.0:0 --workers 1 ) 2>"$WORK/open.log" &
SERVER=$!
for _ in $(seq $((100 * SLOW))); do grep -q 'serving on' "$WORK/open.log" && break; sleep 0.1; done
check "listening beyond the loopback warns that there is no login" grep -q 'warning: listening on 0.0.0.0:0: the server has no login' "$WORK/open.log"
stop_server
expect_status "a bad --listen is a clear error" 1 run serve --listen nowhere 2>"$WORK/err"
check "  ... naming the option" grep -q -- "--listen wants ADDR:PORT" "$WORK/err"
expect_status "a bad --workers is a usage error" 2 run serve --workers 0 2>/dev/null

# ---- the browser ------------------------------------------------------------------------------
if [ -n "$ITAREPORT_WRAPPER" ]; then
  echo "browser: not run under ITAREPORT_WRAPPER ($ITAREPORT_WRAPPER); the plain make test runs it"
else
  B=tests/browser
  if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    fail "the browser test needs node and npm (make deps installs nodejs and npm)"
  elif [ ! -x /usr/bin/chromium ]; then
    fail "the browser test needs Debian's chromium at /usr/bin/chromium (make deps installs it)"
  else
    # puppeteer-core from the lockfile, once (offline afterwards).
    want=$(python3 -c 'import json; print(json.load(open("tests/browser/package-lock.json"))["packages"]["node_modules/puppeteer-core"]["version"])')
    have=$(python3 -c 'import json; print(json.load(open("tests/browser/node_modules/puppeteer-core/package.json"))["version"])' 2>/dev/null)
    if [ "$want" != "$have" ]; then
      (cd $B && npm ci --no-audit --no-fund --loglevel=error) >"$WORK/npm.log" 2>&1 || cat "$WORK/npm.log"
    fi
    if start_server --workers 2; then
      mkdir -p "$WORK/browser"
      timeout 300 node $B/form.test.js "$BASE/" "$ITAREPORT" "$WORK/browser" >"$WORK/browser.log" 2>&1
      sed 's/^/browser: /' "$WORK/browser.log" | cut -c1-400
      line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$WORK/browser.log" | tail -1)
      bp=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p'); bf=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
      e2e_passed=$((e2e_passed + ${bp:-0}))
      e2e_failed=$((e2e_failed + ${bf:-1}))
      stop_server
    else
      fail "the server for the browser test did not start"
    fi
  fi
fi
finish
