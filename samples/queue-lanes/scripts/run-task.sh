#!/usr/bin/env bash
# run-task.sh TASK.yaml: runs the task's command and prints a Markdown report.
set -euo pipefail
task=${1:?usage: run-task.sh TASK.yaml}
command=$(sed -n 's/^command: *//p' "$task")
title=$(sed -n 's/^title: *//p' "$task" | tr -d '"')

printf '# %s\n\nStarted %s\n\n```\n' "$title" "$(date -u +%FT%TZ)"
status=0
bash -c "$command" 2>&1 || status=$?
printf '```\n\nExit status: %s\n' "$status"
exit "$status"
