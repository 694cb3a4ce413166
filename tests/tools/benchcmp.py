#!/usr/bin/env python3
"""make bench's comparison with a base commit: every figure is measured for the base's
build and for this one in the same run, alternating (base, head, head, base, ...), and
printed side by side with the ratio head/base. Ratios decide; absolute times drift on a
shared machine. Then the outputs are compared: display-list dumps, extracted text
(pdftotext) and the PDFs with their streams inflated (pdfsame.py), sample by sample.

Usage: benchcmp.py BASE_SRC HEAD_SRC HEAD_BUILD TMP
  BASE_SRC   the base's source tree, built (its build/itareport, build/tools/bench_*)
  HEAD_SRC   this tree; HEAD_BUILD its build folder (relative to it or absolute)
Environment: BENCH_ROUNDS (default 5), BENCH_BATCH (agencies in the batch figure, default
5000; 0 skips it), BENCH_FRESH_RUNS (fresh-process runs per side and round, default 10).

CPU figures are user + system time of the processes (os.wait4, children included), which a
loaded machine disturbs less than wall time; the warm figures subtract a run of 1 report
(or document) from a run of 1 + N, so that loading fonts, breaker and template is not in
them. Never fails on a figure; exits 1 only when it cannot run at all."""
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

BASE_SRC, HEAD_SRC, HEAD_BUILD, TMP = sys.argv[1:5]
HEAD_BUILD = os.path.join(HEAD_SRC, HEAD_BUILD)
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
BATCH = int(os.environ.get("BENCH_BATCH", "5000"))
FRESH_RUNS = int(os.environ.get("BENCH_FRESH_RUNS", "10"))
SIDES = {
    "base": {"cwd": BASE_SRC, "build": os.path.join(BASE_SRC, "build")},
    "head": {"cwd": HEAD_SRC, "build": HEAD_BUILD},
}
SAMPLES = [os.path.join(HEAD_SRC, "samples", s) for s in (
    "sepholoe-2566.yaml", "nongkhai-passing-2566.yaml", "thasala-history-2566.yaml",
    "bankhai-municipality-2566.yaml")]
THAI = os.path.join(HEAD_SRC, "tests/data/bench-thai.txt")
env = dict(os.environ, LANG="C", SOURCE_DATE_EPOCH="1700000000")
for k in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "ITAREPORT_DATA"):
    env.pop(k, None)


def prog(side, name):
    return os.path.join(SIDES[side]["build"], name)


def run(side, args, stdout=subprocess.PIPE):
    """Runs a command in the side's tree: (wall s, CPU s, exit status, output)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(args, cwd=SIDES[side]["cwd"], env=env, stdout=stdout,
                         stderr=subprocess.DEVNULL)
    out = p.stdout.read().decode("utf-8", "replace") if stdout == subprocess.PIPE else ""
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    return (time.perf_counter() - t0, usage.ru_utime + usage.ru_stime, p.returncode, out)


def order(r):
    """base first in even rounds, head first in odd ones (ABBA: a drift cancels)."""
    return ("base", "head") if r % 2 == 0 else ("head", "base")


results = []  # (figure, unit, base, head)


def figure(name, unit, values):
    b = statistics.median(values["base"]) if values["base"] else None
    h = statistics.median(values["head"]) if values["head"] else None
    results.append((name, unit, b, h))
    ratio = "%.2f" % (h / b) if b and h is not None else "-"
    fmt = lambda v: "-" if v is None else ("%.0f" % v if v >= 1000 else "%.2f" % v)
    print("%-50s %9s %9s %9s" % (name + " (" + unit + ")", fmt(b), fmt(h), ratio), flush=True)


def warm(args_of, n, pattern):
    """CPU per unit (a run of 1 + n units minus a run of 1, in ms) and the tool's own wall
    figure (pattern's number), side by side, over the rounds."""
    cpu, wall = {"base": [], "head": []}, {"base": [], "head": []}
    for r in range(ROUNDS):
        for side in order(r):
            _, c1, rc1, _ = run(side, args_of(side, 0))
            _, cn, rcn, out = run(side, args_of(side, n))
            if rc1 or rcn:
                continue
            cpu[side].append((cn - c1) / n * 1000)
            m = re.search(pattern, out)
            if m:
                wall[side].append(float(m[1]))
    return cpu, wall


def warm_render():
    # bench_render renders one report, then N more
    cpu, wall = warm(lambda side, n: [prog(side, "tools/bench_render"), ".", str(n)] + SAMPLES,
                     40, r"repeated in one process: ([\d.]+) ms per report")
    figure("warm render (4 samples): CPU per report", "ms", cpu)
    figure("warm render: wall per report, its own figure", "ms", wall)


def warm_text():
    for align in ("left", "justify", "thai-distributed"):
        # bench_text lays out and writes the text N times
        cpu, wall = warm(lambda side, n: [prog(side, "tools/bench_text"), ".", THAI,
                                          str(n + 1), align], 10, r"per page: ([\d.]+) ms")
        figure("warm text %s: CPU per document" % align, "ms", cpu)
        figure("warm text %s: wall per page, its own" % align, "ms", wall)


def fresh(label, args_of):
    """A fresh process: interleaved runs (CPU and wall), then hyperfine -N in alternating
    rounds (its median over all rounds' runs)."""
    cpu, wall = {"base": [], "head": []}, {"base": [], "head": []}
    for r in range(ROUNDS):
        for side in order(r):
            for _ in range(FRESH_RUNS):
                w, c, rc, _ = run(side, args_of(side))
                if rc == 0:
                    wall[side].append(w * 1000)
                    cpu[side].append(c * 1000)
    figure(label + ": CPU", "ms", cpu)
    figure(label + ": wall", "ms", wall)
    if not shutil.which("hyperfine"):
        return
    hf = {"base": [], "head": []}
    for r in range(ROUNDS):
        for side in order(r):
            js = os.path.join(TMP, "hf.json")
            cmd = " ".join("'%s'" % a for a in args_of(side))
            p = subprocess.run(["hyperfine", "-N", "--warmup", "2", "--runs", str(FRESH_RUNS),
                                "--style", "none", "--export-json", js, cmd],
                               cwd=SIDES[side]["cwd"], env=env, capture_output=True)
            if p.returncode == 0:
                hf[side] += [t * 1000 for t in json.load(open(js))["results"][0]["times"]]
    figure(label + ": hyperfine -N median", "ms", hf)


def batch():
    if BATCH <= 0:
        return
    inputs = os.path.join(TMP, "gen%d" % BATCH)
    if not os.path.isdir(inputs):
        subprocess.run([os.path.join(HEAD_SRC, "samples/generate"), str(BATCH), "--seed", "1",
                        "-o", inputs], stdout=subprocess.DEVNULL, check=True)
    rate, cpu, mem, size = ({"base": [], "head": []} for _ in range(4))
    for r in range(max(1, ROUNDS // 3)):
        for side in order(r):
            out_dir = os.path.join(TMP, "batch-" + side)
            shutil.rmtree(out_dir, ignore_errors=True)
            _, c, rc, out = run(side, [prog(side, "itareport"), "batch", inputs, "-o", out_dir,
                                       "-j", "2"])
            m = re.search(r"([\d.]+) reports/s", out)
            if m:
                rate[side].append(float(m[1]))
            cpu[side].append(c / BATCH * 1000)
            m = re.search(r"peak memory per worker ([\d.]+) MB, (\d+) bytes per report", out)
            if m:
                mem[side].append(float(m[1]))
                size[side].append(float(m[2]))
            shutil.rmtree(out_dir, ignore_errors=True)
    figure("batch %d -j 2: reports per second" % BATCH, "1/s", rate)
    figure("batch %d -j 2: CPU per report, all processes" % BATCH, "ms", cpu)
    figure("batch %d -j 2: peak memory per worker" % BATCH, "MB", mem)
    figure("batch %d -j 2: bytes per report" % BATCH, "B", size)


def same_output():
    """Sample by sample: dump, text and PDF of the head against the base's."""
    print("\n-- outputs against the base (SOURCE_DATE_EPOCH fixed):")
    pdfsame = os.path.join(HEAD_SRC, "tests/tools/pdfsame.py")
    sizes = {"base": [], "head": []}
    jobs = [(os.path.basename(s)[:-5], ["render", s], True)
            for s in sorted(glob.glob(os.path.join(HEAD_SRC, "samples/*.yaml")))]
    jobs += [("text, " + a, ["text", THAI, "--align", a], False)
             for a in ("left", "justify", "thai-distributed")]
    for name, args, dump in jobs:
        files, ok = {}, True
        for side in ("base", "head"):
            pdf = os.path.join(TMP, "%s-%s.pdf" % (side, re.sub(r"\W", "_", name)))
            _, _, rc, _ = run(side, [prog(side, "itareport")] + args + ["-o", pdf])
            if rc != 0:
                ok = False
                print("%-32s the %s cannot make it (exit %d)" % (name, side, rc))
                break
            files[side] = pdf
            if dump:
                _, _, _, files[side + "-dump"] = run(
                    side, [prog(side, "itareport")] + args + ["--dump-layout", "-o", "-"])
        if not ok:
            continue
        for side in ("base", "head"):
            sizes[side].append(os.path.getsize(files[side]))
        words = []
        if dump:
            words.append("dump " + ("identical" if files["base-dump"] == files["head-dump"]
                                    else "DIFFERS"))
        text = [subprocess.run(["pdftotext", "-layout", files[s], "-"], capture_output=True)
                .stdout for s in ("base", "head")]
        words.append("text " + ("identical" if text[0] == text[1] else "DIFFERS"))
        p = subprocess.run([sys.executable, pdfsame, files["base"], files["head"]],
                           capture_output=True, text=True)
        words.append("PDF " + ("the same with streams inflated" if p.returncode == 0 else
                               "DIFFERS: " + " ".join(p.stdout.split("\n")[0:2]).strip()
                               [len("pdfsame: "):][:90]))
        words.append("%d -> %d bytes" % (os.path.getsize(files["base"]),
                                         os.path.getsize(files["head"])))
        print("%-32s %s" % (name, ", ".join(words)))
    return sizes


print("%-50s %9s %9s %9s" % ("figure (medians)", "base", "head", "head/base"))
warm_render()
warm_text()
fresh("fresh render of the seed",
      lambda side: [prog(side, "itareport"), "render", SAMPLES[0], "-o",
                    os.path.join(TMP, "fresh-%s.pdf" % side)])
fresh("fresh text (bench-thai.txt)",
      lambda side: [prog(side, "itareport"), "text", THAI, "-o",
                    os.path.join(TMP, "fresh-%s.pdf" % side)])
batch()
sizes = same_output()
if sizes["base"] and len(sizes["base"]) == len(sizes["head"]):
    print("bytes of these outputs, in all: base %d, head %d (%.3f)" % (
        sum(sizes["base"]), sum(sizes["head"]), sum(sizes["head"]) / sum(sizes["base"])))
