#!/usr/bin/env python3
"""Measures coord-migrate's system map against the hand-drawn maps of the real-world corpus.

For every maps/<owner>__<name>.json (drawn from the code by a reader who had not seen the
tool's output), runs `coord-migrate map TREE --format json --no-database` and the analysis,
then prints per system:

- channels: recall (hand channels the tool drew) and precision (tool channels that are a
  hand channel), counting channels that carry messages or events (roles `messages`,
  `events`), the ones a migration moves;
- edges: recall (hand edges program -> channel the tool drew, same program and channel,
  the direction agreeing) and precision (tool edges whose program and channel are a hand
  edge's);
- touch points: of the plan's touch points at a line, how many are within 3 lines of an
  I/O line of the hand map (a line that writes, reads, serves or calls a channel) in the
  same program. Touch points at UUID or retry lines cannot be judged this way and are left
  out of the count (the count of them is printed).

A tool channel is a hand channel when its label or path contains one of the hand channel's
`match` strings (case-insensitive). Programs are compared by path.

    scripts/realworld/maps.py TREES_DIR [--binary PATH] [--maps DIR] [--verbose]
"""
import argparse
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MOVED = {"messages", "events"}


def run(binary, args):
    result = subprocess.run([binary] + args, capture_output=True, text=True, timeout=600)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"exit {result.returncode}: {result.stderr.strip()[:300]}")
    return json.loads(result.stdout)


def matches(node, channel):
    text = (node.get("label", "") + " " + node.get("path", "")).lower()
    return any(m.lower() in text for m in channel.get("match", []) if m)


def compatible(tool_kind, tool_channel_kind, hand_op):
    if hand_op == "writes":
        return tool_kind == "writes"
    if hand_op == "reads":
        return tool_kind == "reads"
    # Serving a route and calling one are drawn as reads and writes of the endpoint.
    return tool_channel_kind == "endpoint" or tool_kind in ("writes", "reads")


def score(binary, tree, hand, verbose):
    system_map = run(binary, ["map", tree, "--format", "json", "--no-database"])
    report = run(binary, ["--path", tree, "--format", "json", "--output", "-", "--quiet", "--no-database",
                          "--now", "2026-12-01T00:00:00Z"])
    nodes = {n["id"]: n for n in system_map["nodes"]}
    tool_channels = [n for n in system_map["nodes"] if n["kind"] == "channel"]
    hand_channels = [c for c in hand["channels"] if c.get("role") in MOVED]
    by_id = {c["id"]: c for c in hand["channels"]}

    found = [c for c in hand_channels if any(matches(n, c) for n in tool_channels)]
    right_tool = [n for n in tool_channels if any(matches(n, c) for c in hand["channels"])]
    hand_edges = [e for e in hand["edges"] if by_id.get(e["channel"], {}).get("role") in MOVED]
    tool_edges = [e for e in system_map["edges"] if e["kind"] in ("writes", "reads")]

    def edge_found(edge):
        channel = by_id[edge["channel"]]
        return any(t["path"] == edge["program"] and matches(nodes.get(t["to"], {}), channel)
                   and compatible(t["kind"], nodes.get(t["to"], {}).get("channel_kind"), edge["op"]) for t in tool_edges)

    def edge_right(edge):
        target = nodes.get(edge["to"], {})
        return any(h["program"] == edge["path"] and matches(target, by_id[h["channel"]]) for h in hand["edges"] if h["channel"] in by_id)

    recalled = [e for e in hand_edges if edge_found(e)]
    right = [e for e in tool_edges if edge_right(e)]
    io_lines = {}
    for e in hand["edges"]:
        if e.get("line"):
            io_lines.setdefault(e["program"], []).append(e["line"])
    judged, good, unjudged = 0, 0, 0
    for step in report["plan"]["steps"]:
        for point in step.get("touch_points") or []:
            if not point.get("line"):
                continue
            if any(word in point["why"] for word in ("UUID", "digest", "never retries", "calls ")):
                unjudged += 1
                continue
            judged += 1
            if any(abs(point["line"] - line) <= 3 for line in io_lines.get(point["path"], [])):
                good += 1
    if verbose:
        for c in hand_channels:
            if c not in found:
                print(f"    missed channel {c['id']} {c['where']} (match {c['match']})")
        for n in tool_channels:
            if n not in right_tool:
                print(f"    extra channel {n['label']} ({n.get('channel_kind')}, {n['path']})")
        for e in hand_edges:
            if e not in recalled:
                print(f"    missed edge {e['program']}:{e.get('line')} {e['op']} {by_id[e['channel']]['where']}")
        for e in tool_edges:
            if e not in right:
                print(f"    extra edge {e['path']}:{e.get('line')} {e['kind']} {nodes.get(e['to'], {}).get('label')}")
    return (len(found), len(hand_channels), len(right_tool), len(tool_channels),
            len(recalled), len(hand_edges), len(right), len(tool_edges), good, judged, unjudged)


def pct(a, b):
    return f"{100 * a / b:5.1f}%" if b else "   n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees")
    parser.add_argument("--maps", default=os.path.join(HERE, "maps"))
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "coord-migrate"))
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    totals = [0] * 11
    print(f"{'system':44} {'ch recall':>10} {'ch prec':>10} {'edge recall':>12} {'edge prec':>10} {'touch prec':>11}")
    for path in sorted(glob.glob(os.path.join(args.maps, "*.json"))):
        name = os.path.basename(path)[:-5]
        tree = os.path.join(args.trees, name)
        if not os.path.isdir(tree):
            print(f"{name:44} MISSING tree")
            continue
        hand = json.load(open(path))
        if args.verbose:
            print(name)
        counts = score(args.binary, tree, hand, args.verbose)
        totals = [t + c for t, c in zip(totals, counts)]
        fc, hc, rt, tc, re_, he, ri, te, g, j, u = counts
        print(f"{name:44} {fc:3}/{hc:<3} {pct(fc, hc)} {rt:3}/{tc:<3} {pct(rt, tc)} {re_:3}/{he:<3} {pct(re_, he)} "
              f"{ri:3}/{te:<3} {pct(ri, te)} {g:3}/{j:<3} {pct(g, j)}")
    fc, hc, rt, tc, re_, he, ri, te, g, j, u = totals
    print(f"\nall: channels recall {fc}/{hc} {pct(fc, hc)}, precision {rt}/{tc} {pct(rt, tc)}; "
          f"edges recall {re_}/{he} {pct(re_, he)}, precision {ri}/{te} {pct(ri, te)}; "
          f"touch points {g}/{j} {pct(g, j)} at an I/O line ({u} at UUID, digest or boundary lines not judged)")


if __name__ == "__main__":
    sys.exit(main())
