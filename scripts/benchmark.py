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
  BENCH_MONOREPO=0 scripts/benchmark.py  # without the source-heavy monorepo case
  BENCH_BASELINE=/old/coord-migrate scripts/benchmark.py
                                       # also time another build, alternating, and print
                                       # our time over its time (what a change costs)

Besides the N-file systems it generates a product monorepo of 20,000 programs in
shell, Python, TypeScript and Go (about 150 MB, BENCH_MONOREPO_FILES to change)
with a small system nested in it, and measures the whole analysis there beside
`rg -c --no-ignore -e uuid -e retry -e inbox` on the same tree, and beside rg
searching, in any case, the same phrases every program is searched for
(`rg -c --no-ignore -i -F -f scripts/benchmark-anchors.txt`).

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


WORDS = ("user", "order", "cart", "price", "token", "session", "report", "invoice", "account", "widget",
         "payload", "record", "config", "cache", "client", "stream", "buffer", "entry", "item", "value")


def source_file(rng, language, size):
    """One plausible product source file of about `size` bytes: functions, comments,
    strings, loops, now and then an HTTP call with a retry, a UUID, a queue: the
    words a coordination detector looks for, in code that is not a coordination system."""
    comment = {"sh": "#", "py": "#", "ts": "//", "go": "//"}[language]
    parts = []
    if language == "sh":
        parts.append("#!/usr/bin/env bash\nset -euo pipefail\n")
    elif language == "py":
        parts.append("import json\nimport os\nimport uuid\nimport time\n\n")
    elif language == "ts":
        parts.append("import { readFileSync } from 'node:fs';\nimport { randomUUID } from 'node:crypto';\n\n")
    else:
        parts.append("package service\n\nimport (\n\t\"encoding/json\"\n\t\"net/http\"\n\t\"time\"\n)\n\n")
    length = sum(len(p) for p in parts)
    index = 0
    while length < size:
        a, b = rng.choice(WORDS), rng.choice(WORDS)
        name = f"{a}_{b}_{index}"
        flavour = rng.random()
        if language == "py":
            body = (f"{comment} Load the {a} for a {b}; retry later when the cache is cold.\n"
                    f"def {name}(path, limit={index % 7 + 1}):\n"
                    f"    \"\"\"Return the {a} records under path, at most limit of them.\"\"\"\n"
                    f"    with open(os.path.join(path, \"{a}.json\")) as handle:\n"
                    f"        data = json.load(handle)\n"
                    f"    result = [row for row in data if row.get(\"{b}\")][:limit]\n")
            if flavour < 0.05:
                body += f"    request_id = str(uuid.uuid4())\n"
            if flavour > 0.95:
                body += f"    for attempt in range(3):\n        time.sleep(0.1 * attempt)\n"
            body += "    return result\n\n"
        elif language == "ts":
            body = (f"{comment} Render the {a} panel for the {b} view.\n"
                    f"export function {name}(input: string, count = {index % 9}): string[] {{\n"
                    f"  const rows = JSON.parse(readFileSync(input, 'utf8')) as string[];\n"
                    f"  return rows.filter((row) => row.includes(\"{b}\")).slice(0, count);\n}}\n\n")
            if flavour < 0.05:
                body += f"export const {name}Id = () => randomUUID();\n\n"
        elif language == "go":
            body = (f"{comment} {name} serves the {a} endpoint of the {b} service.\n"
                    f"func {name.title().replace('_', '')}(w http.ResponseWriter, r *http.Request) {{\n"
                    f"\tvar out map[string]any\n"
                    f"\tif err := json.NewDecoder(r.Body).Decode(&out); err != nil {{\n"
                    f"\t\thttp.Error(w, \"bad {a}\", http.StatusBadRequest)\n\t\treturn\n\t}}\n"
                    f"\ttime.Sleep(time.Duration({index % 5}) * time.Millisecond)\n"
                    f"\tjson.NewEncoder(w).Encode(out)\n}}\n\n")
        else:
            body = (f"{comment} {name}: copy the {a} files for {b}\n"
                    f"{name}() {{\n  local src=\"$1\" dest=\"${{2:-/tmp/{a}}}\"\n"
                    f"  mkdir -p \"$dest\"\n  cp -r \"$src\"/*.{b} \"$dest\"/ 2>/dev/null || true\n}}\n\n")
        parts.append(body)
        length += len(body)
        index += 1
    return "".join(parts).encode()


def generate_monorepo(root, files, seed=7):
    """A product monorepo of `files` source files in shell, Python, TypeScript and Go
    (3–12 KB each), with a small file-based coordination system nested in
    tools/agent-bus. Returns the count of regular files and their total bytes."""
    rng = random.Random(seed)
    extension = {"sh": "sh", "py": "py", "ts": "ts", "go": "go"}
    languages = ("sh", "py", "ts", "go")
    total = 0
    for i in range(files):
        language = languages[i % 4]
        folder = os.path.join(root, "packages", f"pkg-{i % 200:03d}", "src", f"mod-{(i // 200) % 10}")
        os.makedirs(folder, exist_ok=True)
        body = source_file(rng, language, rng.randint(3000, 12000))
        with open(os.path.join(folder, f"file-{i}.{extension[language]}"), "wb") as handle:
            handle.write(body)
        total += len(body)
    bus = os.path.join(root, "tools", "agent-bus")
    agents = ("planner", "coder", "reviewer")
    for agent in agents:
        os.makedirs(os.path.join(bus, "inbox", agent))
        for m in range(5):
            name = f"2025-11-20T10:0{m}:00Z-{agent}-{uuid.UUID(int=rng.getrandbits(128))}.msg"
            with open(os.path.join(bus, "inbox", agent, name), "w") as handle:
                handle.write(f"from: planner\nto: {agent}\n\nTask {m}\n")
    with open(os.path.join(bus, "send.sh"), "w") as handle:
        handle.write("#!/usr/bin/env bash\nto=\"$1\"; shift\nid=$(uuidgen)\n"
                     "printf '%s\\n' \"$*\" > \"inbox/$to/$(date -u +%FT%TZ)-$id.msg\"\n"
                     "printf '%s\\tsent\\t%s\\n' \"$(date -u +%FT%TZ)\" \"$id\" >> events.log\n")
    with open(os.path.join(bus, "events.log"), "w") as handle:
        handle.write("2025-11-20T10:00:00Z\tsent\tfirst\n")
    with open(os.path.join(bus, "config.yaml"), "w") as handle:
        handle.write("agents:\n" + "".join(f"  {a}:\n    role: {a}\n" for a in agents))
    return files + 3 * 5 + 3, total


def monorepo(files):
    path = os.path.join(BENCH_DIR, f"monorepo-{files}")
    marker = path + ".done"
    if not os.path.exists(marker):
        shutil.rmtree(path, ignore_errors=True)
        started = time.monotonic()
        print(f"generating a {files}-source-file monorepo in {path} ...", file=sys.stderr, flush=True)
        count, size = generate_monorepo(path, files)
        with open(marker, "w") as handle:
            handle.write(f"{count} {size}")
        print(f"  {count} files, {size / 1e6:.0f} MB in {time.monotonic() - started:.1f} s", file=sys.stderr, flush=True)
    return path


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


def measure(command, failed=lambda code: code != 0, quiet=False):
    """Wall seconds and peak RSS in KiB of one run of `command`, spawned directly
    (posix_spawn, no shell) and reaped with wait4, which reports that child's own
    resource use. `failed` says which exit codes mean the run failed (rg exits 1 when a
    file has no match); `quiet` also sends stderr to /dev/null."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 1)] + ([(os.POSIX_SPAWN_DUP2, devnull, 2)] if quiet else [])
    try:
        started = time.perf_counter()
        pid = os.posix_spawnp(command[0], command, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - started
    finally:
        os.close(devnull)
    if failed(os.waitstatus_to_exitcode(status)):
        raise SystemExit(f"{command[0]} failed: {' '.join(command)}")
    return seconds, usage.ru_maxrss


def measure_rg(command):
    """`measure` for rg, whose exit code 1 only says some file had no match."""
    return measure(command, failed=lambda code: code > 1)


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
    baseline = os.environ.get("BENCH_BASELINE")
    base_command = (lambda path: [baseline] + ours_command(path)[1:]) if baseline else None
    changes = []

    def against_baseline(label, command_of, path, ours_median, extra=()):
        """The baseline build's median on the same tree, runs alternating with ours."""
        if not base_command:
            return
        mine, theirs = [], []
        for _ in range(max(RUNS, 7)):
            mine.append(measure(command_of(path) + list(extra))[0])
            theirs.append(measure(base_command(path) + list(extra))[0])
        change = median(mine) / median(theirs)
        changes.append((label, change))
        print(f"  {label}: baseline {median(theirs):6.3f} s, this build {median(mine):6.3f} s, "
              f"this build / baseline {change:4.2f}", flush=True)

    results = {}
    sample = os.path.join(ROOT, "samples", "agent-bridge")
    measure(ours_command(sample))
    # A run of the sample is short, so take more of them: the median then says more.
    sample_times = [measure(ours_command(sample))[0] for _ in range(max(15, RUNS))]
    sample_ms = median(sample_times) * 1000
    print(f"sample agent-bridge, all four formats: {sample_ms:.1f} ms (median of {len(sample_times)} runs)")
    against_baseline("sample", ours_command, sample, sample_ms)

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
        against_baseline(f"N={n}", ours_command, path, median(ours))

    # A source-heavy tree: a product monorepo of 20k programs with a small system nested in it.
    # Every program is read, lexed when it names something a detector needs, and its facts
    # extracted; `rg` over the same files is the yardstick, counting three words and searching
    # the phrases every program is searched for.
    mono = mono_same = None
    if os.environ.get("BENCH_MONOREPO", "1") != "0":
        files = int(os.environ.get("BENCH_MONOREPO_FILES", "20000"))
        path = monorepo(files)
        rg = shutil.which("rg")
        rg_command = [rg, "-c", "--no-ignore", "-e", "uuid", "-e", "retry", "-e", "inbox", path] if rg else None
        # Like for like: rg searching, in any case, the phrases every program is searched for
        # before it is lexed (the prefilter's; a test keeps the file in step with the code).
        phrases = os.path.join(ROOT, "scripts", "benchmark-anchors.txt")
        with open(phrases) as handle:
            phrase_count = sum(1 for _ in handle)
        rg_same_command = [rg, "-c", "--no-ignore", "-i", "-F", "-f", phrases, path] if rg else None
        mono_command = ours_command(path) + ["--no-database"]
        measure(mono_command)
        if rg_command:
            measure_rg(rg_command)
            measure_rg(rg_same_command)
        ours, theirs, same, rss = [], [], [], 0
        for _ in range(RUNS):
            seconds, peak = measure(mono_command)
            ours.append(seconds)
            rss = max(rss, peak)
            if rg_command:
                theirs.append(measure_rg(rg_command)[0])
                same.append(measure_rg(rg_same_command)[0])
        line = f"monorepo {files} programs: coord-migrate {median(ours):6.3f} s   peak RSS {rss / 1024:5.1f} MiB"
        if theirs:
            line += f"   rg -c --no-ignore -e uuid -e retry -e inbox {median(theirs):6.3f} s   ratio {median(ours) / median(theirs):4.2f}"
            mono = median(ours) / median(theirs)
            mono_same = median(ours) / median(same)
            line += (f"\n  rg -c --no-ignore -i -F -f scripts/benchmark-anchors.txt (the {phrase_count} phrases every"
                     f" program is searched for) {median(same):6.3f} s   ratio {mono_same:4.2f}")
        else:
            line += "   (rg not installed: no ratio)"
        print(line, flush=True)
        against_baseline(f"monorepo {files}", ours_command, path, median(ours), extra=["--no-database"])

    print()
    print("targets (DESIGN §8):")
    print(f"  bundled sample, all four formats, < 30 ms: {sample_ms:.1f} ms  {'ok' if sample_ms < 30 else 'MISSED'}")
    if 100_000 in results:
        ours, theirs, _ = results[100_000]
        print(f"  ratio at 100k ≤ 1.2: {ours / theirs:.2f}  {'ok' if ours / theirs <= 1.2 else 'MISSED'}")
        print(f"  ratio at 100k ≤ 1.0 (the walk's own target): {ours / theirs:.2f}  {'ok' if ours / theirs <= 1.0 else 'MISSED'}")
    if 1_000_000 in results:
        rss = results[1_000_000][2] / 1024
        print(f"  peak RSS at 1M < 64 MiB: {rss:.1f} MiB  {'ok' if rss < 64 else 'MISSED'}")
        print(f"  peak RSS at 1M ≤ 40 MiB (flat): {rss:.1f} MiB  {'ok' if rss <= 40 else 'MISSED'}")
    if mono is not None:
        print(f"  monorepo of 20k programs within 1.5 × rg counting three words: {mono:.2f}  {'ok' if mono <= 1.5 else 'MISSED'}")
        print(f"  monorepo of 20k programs within 1.5 × rg searching the same phrases: {mono_same:.2f}  "
              f"{'ok' if mono_same <= 1.5 else 'MISSED'}")
    for label, change in changes:
        print(f"  {label}: this build within 1.05 × the baseline: {change:.2f}  {'ok' if change <= 1.05 else 'MISSED'}")
    if 100_000 in results and 1_000_000 in results:
        scaling = results[1_000_000][0] / results[100_000][0]
        print(f"  1M time ≤ 11 × 100k time: {scaling:.1f}×  {'ok' if scaling <= 11 else 'MISSED'}")
    shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
