#!/usr/bin/env python3
"""Counts the library's public symbols per module.

Run `swift package dump-symbol-graph --minimum-access-level public` first (it exits 1
on the test module after writing the library's graphs); then `scripts/public-surface.py`
prints, per module, the symbols of `<Module>.symbols.json` and, apart, those of its
`<Module>@<Other>.symbols.json` extension files, leaving out synthesized symbols and
the test-support and test modules. `--dir` names another symbol-graph folder.
"""
import argparse
import glob
import json
import os
import sys


def count(path):
    with open(path) as file:
        symbols = json.load(file)["symbols"]
    return sum(1 for s in symbols if "::SYNTHESIZED::" not in s["identifier"]["precise"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", help="the symbolgraph folder (default: .build/*/symbolgraph)")
    args = parser.parse_args()
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    folders = [args.dir] if args.dir else glob.glob(os.path.join(root, ".build", "*", "symbolgraph"))
    if not folders:
        sys.exit("no symbol graphs: run swift package dump-symbol-graph --minimum-access-level public")
    folder = folders[0]
    own, extensions = {}, {}
    for path in sorted(glob.glob(os.path.join(folder, "*.symbols.json"))):
        name = os.path.basename(path)[: -len(".symbols.json")]
        module = name.split("@")[0]
        # The library's modules only: not the test support, nor the test bundles a
        # built test target adds.
        if not module.startswith("CoordMigrate") or module == "CoordMigrateTestSupport":
            continue
        table = extensions if "@" in name else own
        table[module] = table.get(module, 0) + count(path)
    modules = sorted(set(own) | set(extensions), key=lambda m: -own.get(m, 0))
    print(f"{'module':24} {'symbols':>8} {'extension files':>16}")
    for module in modules:
        print(f"{module:24} {own.get(module, 0):8} {extensions.get(module, 0):16}")
    print(f"{'total':24} {sum(own.values()):8} {sum(extensions.values()):16}")


if __name__ == "__main__":
    main()
