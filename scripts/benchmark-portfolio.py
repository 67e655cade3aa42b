#!/usr/bin/env python3
"""Benchmark `coord-migrate portfolio` at fleet scale (issue 19's targets).

Two measurements, each the median of BENCH_RUNS runs (default 3), with the wall
time and the peak RSS of the tool itself (wait4 on the spawned process):

  analyse   1,000 generated small systems (12 to 40 files each: inboxes, event
            logs, agent configuration, specs, scripts) analysed with -j 2 and
            rolled up into md, html and json, the reports kept in a folder
            (target: under 60 s on 2 cores)
  rollup    10,000 saved JSON reports (the 1,000 above, each under ten paths)
            rolled up into md, html and json (target: under 10 s, under 200 MiB)

Usage:

  scripts/benchmark-portfolio.py                   # build release, measure both
  BENCH_SYSTEMS=200 BENCH_REPORTS=2000 scripts/benchmark-portfolio.py
  COORD_MIGRATE=.build/debug/coord-migrate scripts/benchmark-portfolio.py   # no build

Trees are generated once (fixed seed) into BENCH_DIR (default
/tmp/coord-migrate-bench/portfolio) and reused.
"""
import json
import os
import random
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from benchmark import measure as measure_run, median  # noqa: E402  (the same spawn-and-wait4 measurement)


def measure(command):
    """One run with stdout and stderr discarded."""
    return measure_run(command, quiet=True)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_DIR = os.path.join(os.environ.get("BENCH_DIR", "/tmp/coord-migrate-bench"), "portfolio")
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SYSTEMS = int(os.environ.get("BENCH_SYSTEMS", "1000"))
REPORTS = int(os.environ.get("BENCH_REPORTS", "10000"))
JOBS = os.environ.get("BENCH_JOBS", "2")
NOW = "2026-11-25T08:00:00Z"


def uuid4(rng):
    return "%08x-%04x-4%03x-%04x-%012x" % (
        rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
        0x8000 | rng.getrandbits(14), rng.getrandbits(48))


def generate_system(root, index, rng):
    """One small system; its index's bits choose what it has."""
    agents = [f"agent-{i}" for i in range(1 + index % 6)]
    for agent in agents:
        folder = os.path.join(root, "inbox", agent)
        os.makedirs(folder)
        for n in range(rng.randint(2, 5)):
            if index & 1:
                name = f"2026-11-{10 + n:02d}T10:00:00Z-{agent}-{uuid4(rng)}.msg"
            else:
                name = f"msg-{n}.txt"
            with open(os.path.join(folder, name), "w") as handle:
                handle.write(f"from {agent}: message {n}\n")
    if index & 2:
        with open(os.path.join(root, "events.log"), "w") as handle:
            handle.write("".join(f"2026-11-2{n}T10:00:00Z sent {agents[0]}\n" for n in range(5)))
    if index & 4:
        with open(os.path.join(root, "config.yaml"), "w") as handle:
            handle.write("agents:\n" + "".join(
                f"  {a}:\n    role: works\n    authority_domains: [area-{a}]\n" for a in agents))
    if index & 8:
        os.makedirs(os.path.join(root, "specs"))
        with open(os.path.join(root, "specs", "Bridge.tla"), "w") as handle:
            handle.write("---- MODULE Bridge ----\nVARIABLES inbox\n====\n")
    if index & 16:
        os.makedirs(os.path.join(root, "scripts"))
        with open(os.path.join(root, "scripts", "send.sh"), "w") as handle:
            handle.write("#!/bin/sh\n# retry with backoff\nfor i in 1 2 3; do cp \"$1\" inbox/$2/ && break; sleep $i; done\n")
    with open(os.path.join(root, "README.md"), "w") as handle:
        handle.write(f"# System {index}\n")


def fleet():
    """The generated systems and the list file naming them."""
    root = os.path.join(BENCH_DIR, f"systems-{SYSTEMS}")
    marker = root + ".done"
    if not os.path.exists(marker):
        shutil.rmtree(root, ignore_errors=True)
        print(f"generating {SYSTEMS} systems in {root} ...", file=sys.stderr, flush=True)
        rng = random.Random(19)
        for index in range(SYSTEMS):
            generate_system(os.path.join(root, f"team-{index // 50:02d}", f"system-{index:04d}"), index, rng)
        with open(os.path.join(BENCH_DIR, f"systems-{SYSTEMS}.txt"), "w") as handle:
            for index in range(SYSTEMS):
                handle.write(os.path.join(root, f"team-{index // 50:02d}", f"system-{index:04d}") + "\n")
        open(marker, "w").close()
    return os.path.join(BENCH_DIR, f"systems-{SYSTEMS}.txt")


def saved_reports(source):
    """REPORTS saved reports made from the analysed ones, each under its own path."""
    folder = os.path.join(BENCH_DIR, f"reports-{REPORTS}")
    marker = folder + ".done"
    if os.path.exists(marker):
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder)
    originals = sorted(os.listdir(source))
    texts = [open(os.path.join(source, name), encoding="utf-8").read() for name in originals]
    for index in range(REPORTS):
        report = json.loads(texts[index % len(texts)])
        report["target_path"] = f"/srv/fleet/copy-{index // len(texts)}" + report["target_path"]
        with open(os.path.join(folder, f"{index:05d}.json"), "w", encoding="utf-8") as handle:
            json.dump(report, handle, indent=2, sort_keys=True)
    open(marker, "w").close()
    return folder


def report(label, runs, seconds_target, rss_target_mib=None):
    seconds = median([s for s, _ in runs])
    rss = max(r for _, r in runs) / 1024
    verdict = "ok" if seconds < seconds_target and (rss_target_mib is None or rss < rss_target_mib) else "MISSED"
    target = f"< {seconds_target} s" + (f", < {rss_target_mib} MiB" if rss_target_mib else "")
    print(f"{label:<48} {seconds:7.2f} s  {rss:7.1f} MiB peak   target {target}: {verdict}")


def main():
    binary = os.environ.get("COORD_MIGRATE")
    if not binary:
        subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--product", "coord-migrate"],
                       cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        binary = os.path.join(ROOT, ".build", "release", "coord-migrate")
    os.makedirs(BENCH_DIR, exist_ok=True)
    listing = fleet()
    out = os.path.join(BENCH_DIR, "out")
    reports = os.path.join(BENCH_DIR, f"analysed-{SYSTEMS}")
    analyse = [binary, "portfolio", "--paths-from", listing, "-j", JOBS, "--now", NOW, "--reports-dir", reports,
               "-f", "md,html,json", "--output-dir", out, "--quiet"]
    runs = []
    for _ in range(RUNS):
        shutil.rmtree(reports, ignore_errors=True)
        runs.append(measure(analyse))
    report(f"analyse {SYSTEMS} systems (-j {JOBS}) + rollup", runs, 60)
    folder = saved_reports(reports)
    rollup = [binary, "portfolio", folder, "-j", JOBS, "-f", "md,html,json", "--output-dir", out, "--quiet"]
    report(f"rollup of {REPORTS} saved reports (-j {JOBS})", [measure(rollup) for _ in range(RUNS)], 10, 200)


if __name__ == "__main__":
    main()
