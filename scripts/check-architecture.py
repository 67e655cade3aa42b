#!/usr/bin/env python3
"""Prints the stage graph of the package and fails when an edge goes against it.

The pipeline's stages are SwiftPM targets that may depend only on the stages
before them. This reads the targets from `swift package describe` and the
`import` lines of every source file, prints each target with what it depends on
and what it imports, and exits 1 when a target depends on, or imports, a stage
it may not reach (an import of a package target that the manifest does not list
would compile only by accident of build order, so it counts as an edge too).
"""
import json
import os
import re
import subprocess
import sys

# Which stages each stage may reach. C system libraries and external packages are
# checked separately: only the stages listed in ALLOWED_C may use each C library.
ALLOWED = {
    "CoordMigrateModel": set(),
    "CoordMigrateScan": {"CoordMigrateModel"},
    "CoordMigrateDetect": {"CoordMigrateModel", "CoordMigrateScan"},
    "CoordMigrateAnalysis": {"CoordMigrateModel"},
    "CoordMigrateEmit": {"CoordMigrateModel"},
    "CoordMigrateSettings": {"CoordMigrateModel", "CoordMigrateDetect", "CoordMigrateAnalysis"},
    "CoordMigrate": {"CoordMigrateModel", "CoordMigrateScan", "CoordMigrateDetect", "CoordMigrateAnalysis",
                     "CoordMigrateEmit", "CoordMigrateSettings"},
    "coord-migrate": {"CoordMigrate"},
}
ALLOWED_C = {
    "CCmark": {"CoordMigrateEmit"},
    "CLibXML2": {"CoordMigrateEmit"},
    "CSQLite": {"CoordMigrateDetect"},
    "CLibPQ": {"CoordMigrateDetect"},
}
ORDER = ["CoordMigrateModel", "CoordMigrateScan", "CoordMigrateDetect", "CoordMigrateAnalysis", "CoordMigrateEmit",
         "CoordMigrateSettings", "CoordMigrate", "coord-migrate"]


def main() -> int:
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    described = subprocess.run(["swift", "package", "describe", "--type", "json"], cwd=root,
                               capture_output=True, text=True, check=True)
    targets = {t["name"]: t for t in json.loads(described.stdout)["targets"]}
    package_targets = set(targets)
    problems = []
    for name in ORDER:
        target = targets.get(name)
        if target is None:
            problems.append(f"{name}: the target is missing from Package.swift")
            continue
        declared = set(target.get("target_dependencies") or [])
        imported = set()
        folder = os.path.join(root, target["path"])
        for base, _, files in os.walk(folder):
            for file in files:
                if not file.endswith(".swift"):
                    continue
                with open(os.path.join(base, file), encoding="utf-8") as source:
                    for line in source:
                        match = re.match(r"\s*(?:@\w+\s+)*(?:(?:public|package|internal)\s+)?import\s+(\w+)", line)
                        if match and match.group(1) in package_targets:
                            imported.add(match.group(1))
        stages = {d for d in declared | imported if d in ALLOWED}
        c_libraries = {d for d in declared | imported if d in ALLOWED_C}
        print(f"{name:22} -> {', '.join(sorted(stages)) or '(nothing)'}"
              + (f"  [C: {', '.join(sorted(c_libraries))}]" if c_libraries else ""))
        for edge in sorted(stages - ALLOWED[name]):
            problems.append(f"{name} reaches {edge}, which comes after it or beside it in the pipeline")
        for library in sorted(c_libraries):
            if name not in ALLOWED_C[library]:
                problems.append(f"{name} uses {library}, which only {', '.join(sorted(ALLOWED_C[library]))} may use")
        for edge in sorted(imported - declared - {"Foundation"}):
            if edge in package_targets:
                problems.append(f"{name} imports {edge} without depending on it in Package.swift")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    print("architecture: " + ("ok" if not problems else f"{len(problems)} edge(s) against the stage order"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
