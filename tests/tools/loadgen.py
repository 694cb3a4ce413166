#!/usr/bin/env python3
"""A bounded HTTP load on itareport serve (make bench): CLIENTS threads, each sending
REQUESTS renders of the input files given (in turn) over one keep-alive connection, or
with --get PATH as the files, REQUESTS GETs of that path (GET /healthz: the round trip
alone). Prints the latency percentiles, the throughput and the number of failed requests.
   loadgen.py URL CLIENTS REQUESTS FILE...
   loadgen.py URL CLIENTS REQUESTS --get PATH
"""
import http.client
import statistics
import sys
import threading
import time
import urllib.parse

url, clients, requests, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
u = urllib.parse.urlsplit(url)
get = files[1] if files[:1] == ["--get"] else None
bodies = [] if get else [(f.rsplit("/", 1)[-1], open(f, "rb").read()) for f in files]
times, failures, lock = [], [], threading.Lock()


def client(k):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    mine = []
    for i in range(requests):
        t0 = time.perf_counter()
        try:
            if get:
                conn.request("GET", get)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            else:
                name, body = bodies[(k * requests + i) % len(bodies)]
                conn.request("POST", "/api/render?name=" + urllib.parse.quote(name), body)
                r = conn.getresponse()
                data = r.read()
                ok = r.status == 200 and data.startswith(b"%PDF")
        except Exception as e:  # a dropped connection is a failure, then a new one
            ok, r = False, None
            conn.close()
            conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
        mine.append(time.perf_counter() - t0)
        if not ok:
            with lock:
                failures.append(r.status if r else "connection")
    with lock:
        times.extend(mine)


start = time.perf_counter()
threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
for t in threads:
    t.start()
for t in threads:
    t.join()
wall = time.perf_counter() - start
times.sort()
q = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
what = "GET " + get if get else "renders"
print(f"   {clients} clients x {requests} {what}: {len(times)} requests in {wall:.1f} s, "
      f"{len(times) / wall:.1f} {'requests' if get else 'renders'}/s; latency p50 {q(0.5):.1f} ms, p90 {q(0.9):.1f} ms, "
      f"p99 {q(0.99):.1f} ms, max {times[-1] * 1000:.1f} ms; failed: {len(failures)}")
sys.exit(1 if failures else 0)
