#!/usr/bin/env python3
"""Measures coord-migrate's detection against the labelled real-world corpus.

For every truth file in scripts/realworld/truth/, runs the built tool on the
extracted tree (see extract.sh) and compares the 12 facts: message system type,
event log, inbox structure, agent configuration and the eight patterns. Prints
each tree's agreement, then the total and the misses per fact.

    scripts/realworld/run.py TREES_DIR [--binary PATH] [--verbose]

TREES_DIR holds <owner>__<name>/ folders as extract.sh writes them. Third-party
trees are never committed and this is not run in CI.
"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PATTERNS = ["collision-free-messaging", "event-sourcing", "content-addressed-dag", "authority-domains",
            "priority-queue", "defer-queue", "fault-tolerant-wrappers", "tla-verification"]
FACTS = ["message_system_type", "has_event_log", "has_inbox_structure", "has_agent_config"] + PATTERNS


def detected(binary, tree):
    """The 12 facts the tool reports for `tree` (discovery on, no database connection)."""
    result = subprocess.run(
        [binary, "--path", tree, "--format", "json", "--output", "-", "--quiet", "--no-database",
         "--now", "2026-12-01T00:00:00Z"],
        capture_output=True, text=True, timeout=600)
    if result.returncode not in (0, 1):
        raise RuntimeError(f"{tree}: exit {result.returncode}: {result.stderr.strip()}")
    detection = json.loads(result.stdout)["detection"]
    facts = {key: detection[key] for key in FACTS[:4]}
    present = set(detection["existing_patterns"])
    for pattern in PATTERNS:
        facts[pattern] = pattern in present
    return facts


def expected(truth):
    facts = {key: truth["facts"][key] for key in FACTS[:4]}
    for pattern in PATTERNS:
        facts[pattern] = truth["facts"]["patterns"][pattern]
    return facts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("trees")
    parser.add_argument("--truth", default=os.path.join(HERE, "truth"),
                        help="folder of truth files (default: scripts/realworld/truth)")
    parser.add_argument("--binary", default=os.path.join(ROOT, ".build", "debug", "coord-migrate"))
    parser.add_argument("--verbose", action="store_true", help="print every miss with the label's note")
    args = parser.parse_args()
    misses = collections.Counter()
    right = total = 0
    for path in sorted(glob.glob(os.path.join(args.truth, "*.json"))):
        truth = json.load(open(path))
        name = os.path.basename(path)[:-5]
        tree = os.path.join(args.trees, name)
        if not os.path.isdir(tree):
            print(f"{name:55} missing (run extract.sh)")
            continue
        want, got = expected(truth), detected(args.binary, tree)
        wrong = [fact for fact in FACTS if want[fact] != got[fact]]
        right += len(FACTS) - len(wrong)
        total += len(FACTS)
        misses.update(wrong)
        print(f"{name:55} {len(FACTS) - len(wrong):2}/{len(FACTS)}" + (f"  misses: {', '.join(wrong)}" if wrong else ""))
        if args.verbose:
            for fact in wrong:
                print(f"    {fact}: labelled {want[fact]}, detected {got[fact]} — {truth['notes'].get(fact, '')[:200]}")
    if total:
        print(f"\ntotal: {right}/{total} facts right ({100 * right / total:.1f}%)")
        print("misses by fact: " + ", ".join(f"{fact} {count}" for fact, count in misses.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
