#!/usr/bin/env python3
"""A bounded HTTP load on itareport serve (make bench): CLIENTS threads, each sending
REQUESTS renders of the input files given (in turn) over one keep-alive connection.
Prints the latency percentiles, the throughput and the number of failed requests.
   loadgen.py URL CLIENTS REQUESTS FILE...
"""
import http.client
import statistics
import sys
import threading
import time
import urllib.parse

url, clients, requests, files = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
u = urllib.parse.urlsplit(url)
bodies = [(f.rsplit("/", 1)[-1], open(f, "rb").read()) for f in files]
times, failures, lock = [], [], threading.Lock()


def client(k):
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=60)
    mine = []
    for i in range(requests):
        name, body = bodies[(k * requests + i) % len(bodies)]
        t0 = time.perf_counter()
        try:
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
print(f"   {clients} clients x {requests} renders: {len(times)} requests in {wall:.1f} s, "
      f"{len(times) / wall:.1f} renders/s; latency p50 {q(0.5):.1f} ms, p90 {q(0.9):.1f} ms, "
      f"p99 {q(0.99):.1f} ms, max {times[-1] * 1000:.1f} ms; failed: {len(failures)}")
sys.exit(1 if failures else 0)
