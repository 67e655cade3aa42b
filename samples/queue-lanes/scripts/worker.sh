#!/usr/bin/env bash
# worker.sh AGENT: takes the next task (shared high lane first) and runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
agent=${1:?usage: worker.sh AGENT}

next_task() {
    ls queue/high/*.yaml 2>/dev/null | head -1 && return
    ls "queue/$agent/tasks/"*.yaml 2>/dev/null | head -1
}

# TODO: a deferred/ lane for tasks blocked on review -> not built yet; blocked tasks stay in tasks/.

task=$(next_task) || { echo "nothing to do"; exit 0; }
id=$(basename "$task" .yaml)
report="queue/$agent/reports/normal/$id-report.md"

for attempt in 1 2 3; do
    if ./scripts/run-task.sh "$task" > "$report.partial"; then
        mv "$report.partial" "$report"
        rm "$task"
        exit 0
    fi
    sleep $((attempt * 30))
done

# Three failures: escalate so the lead sees it first thing.
mv "$report.partial" "queue/$agent/reports/urgent/$id-failed.md"
