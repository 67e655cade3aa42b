#!/usr/bin/env python3
"""Benchmark coord-migrate against `find` on synthetic coordination systems.

For each N it generates (once, with a fixed seed) a system of about N files:
per-agent inboxes of UUID-named messages of mixed ages, priority and defer
lanes, an event log, agent configuration, scripts, and noise (docs,
node_modules, .git). Then it measures, side by side and alternating:

  ours    coord-migrate --format md,html,junit,json --output-dir OUT
  serial  the same with the walk and the detectors on one thread (--serial-walk)
  find    find DIR -type f -printf '%T@\\n'   (stats every file, as we must)

and prints the median wall times, the ratio to find, our peak RSS, and the
targets of DESIGN §8. Usage:

  scripts/benchmark.py                 # N = 100000 and 1000000
  scripts/benchmark.py 20000 100000    # other sizes
  BENCH_DIR=/var/tmp/cm-bench scripts/benchmark.py

Trees are kept in BENCH_DIR (default /tmp/coord-migrate-bench) and reused.
"""
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.environ.get("BENCH_DIR", "/tmp/coord-migrate-bench")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
NOW = 1_764_057_600  # 2025-11-25T08:00:00Z, the fixed report time


def generate(root, n, seed=42):
    """About n files; returns the exact count of regular files written."""
    rng = random.Random(seed)
    agents = [f"agent-{i:02d}" for i in range(24)]
    written = 0

    def touch(path, age_days, content=b""):
        nonlocal written
        with open(path, "wb") as handle:
            if content:
                handle.write(content)
        stamp = NOW - age_days * 86400
        os.utime(path, (stamp, stamp))
        written += 1

    os.makedirs(root)
    for agent in agents:
        os.makedirs(os.path.join(root, "inbox", agent))
    for lane in ("priority", "defer"):
        os.makedirs(os.path.join(root, "inbox", lane))
    with open(os.path.join(root, "config.yaml"), "w") as handle:
        handle.write("agents:\n")
        for agent in agents:
            handle.write(f"  {agent}:\n    authority_domains: [{agent}-work]\n")
    written += 1
    with open(os.path.join(root, "events.log"), "w") as handle:
        for i in range(2000):
            handle.write(f"2025-11-{1 + i % 24:02d}T00:00:00Z\tmessage.sent\t{uuid.UUID(int=rng.getrandbits(128))}\n")
    written += 1
    os.makedirs(os.path.join(root, "scripts"))
    for i in range(20):
        body = "#!/bin/sh\nfor attempt in 1 2 3; do run && break; sleep $attempt; done\n" if i % 4 == 0 else "#!/bin/sh\necho ok\n"
        touch(os.path.join(root, "scripts", f"tool-{i}.sh"), 30, body.encode())

    # Noise: about 15 % of the files live where a real repository keeps them.
    noise = n * 15 // 100
    for i in range(noise):
        where = ("docs", "node_modules/pkg-%d" % (i % 50), ".git/objects/%02x" % (i % 256))[i % 3]
        folder = os.path.join(root, where)
        os.makedirs(folder, exist_ok=True)
        touch(os.path.join(folder, f"f{i}.txt"), rng.randint(0, 400))

    # Messages: the rest, spread over the inboxes and lanes, ages from today to a year.
    lanes = agents + ["priority", "defer"]
    remaining = max(0, n - written)
    for i in range(remaining):
        lane = lanes[i % len(lanes)]
        age = rng.choice((0, 1, 3, 6, 10, 30, 90, 365))
        name = f"2025-11-{1 + i % 24:02d}T12:00:00Z-{lane}-{uuid.UUID(int=rng.getrandbits(128))}.msg"
        touch(os.path.join(root, "inbox", lane, name), age)
    return written


def tree(n):
    path = os.path.join(BENCH_DIR, f"system-{n}")
    marker = path + ".done"
    if not os.path.exists(marker):
        shutil.rmtree(path, ignore_errors=True)
        started = time.monotonic()
        print(f"generating {n} files in {path} ...", file=sys.stderr, flush=True)
        count = generate(path, n)
        with open(marker, "w") as handle:
            handle.write(str(count))
        print(f"  {count} files in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return path


def measure(command):
    """Wall seconds and peak RSS in KiB of one run of `command`, spawned directly
    (posix_spawn, no shell) and reaped with wait4, which reports that child's own
    resource use."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        started = time.perf_counter()
        pid = os.posix_spawnp(command[0], command, os.environ,
                              file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command[0]} failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def main():
    sizes = [int(arg) for arg in sys.argv[1:]] or [100_000, 1_000_000]
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "coord-migrate"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    print(f"machine: {os.cpu_count()} cores; {RUNS} runs each, medians; page cache warm", flush=True)
    binary = os.path.join(ROOT, ".build", "release", "coord-migrate")
    os.makedirs(BENCH_DIR, exist_ok=True)
    out = tempfile.mkdtemp(prefix="coord-migrate-bench-out-")
    ours_command = lambda path: [binary, "--path", path, "--format", "md,html,junit,json", "--output-dir", out,
                                 "--quiet", "--now", "2025-11-25T08:00:00Z"]

    results = {}
    sample = os.path.join(ROOT, "samples", "agent-bridge")
    measure(ours_command(sample))
    # A run of the sample is short, so take more of them: the median then says more.
    sample_times = [measure(ours_command(sample))[0] for _ in range(max(15, RUNS))]
    sample_ms = median(sample_times) * 1000
    print(f"sample agent-bridge, all four formats: {sample_ms:.1f} ms (median of {len(sample_times)} runs)")

    for n in sizes:
        path = tree(n)
        find_command = ["find", path, "-type", "f", "-printf", "%T@\n"]
        measure(find_command)  # warm the cache for both
        measure(ours_command(path))
        ours, serial, theirs, rss = [], [], [], 0
        for _ in range(RUNS):
            seconds, peak = measure(ours_command(path))
            ours.append(seconds)
            rss = max(rss, peak)
            serial.append(measure(ours_command(path) + ["--serial-walk"])[0])
            theirs.append(measure(find_command)[0])
        results[n] = (median(ours), median(theirs), rss)
        ratio = median(ours) / median(theirs)
        print(f"N={n:>8}: coord-migrate {median(ours):6.3f} s   (one thread {median(serial):6.3f} s)   "
              f"find {median(theirs):6.3f} s   ratio {ratio:4.2f}   peak RSS {rss / 1024:5.1f} MiB", flush=True)

    print()
    print("targets (DESIGN §8):")
    print(f"  bundled sample, all four formats, < 30 ms: {sample_ms:.1f} ms  {'ok' if sample_ms < 30 else 'MISSED'}")
    if 100_000 in results:
        ours, theirs, _ = results[100_000]
        print(f"  ratio at 100k ≤ 1.2: {ours / theirs:.2f}  {'ok' if ours / theirs <= 1.2 else 'MISSED'}")
    if 1_000_000 in results:
        rss = results[1_000_000][2] / 1024
        print(f"  peak RSS at 1M < 64 MiB: {rss:.1f} MiB  {'ok' if rss < 64 else 'MISSED'}")
    if 100_000 in results and 1_000_000 in results:
        scaling = results[1_000_000][0] / results[100_000][0]
        print(f"  1M time ≤ 11 × 100k time: {scaling:.1f}×  {'ok' if scaling <= 11 else 'MISSED'}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
