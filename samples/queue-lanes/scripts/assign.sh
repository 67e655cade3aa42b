#!/usr/bin/env bash
# assign.sh AGENT TITLE [high]
# Creates the next numbered task in an agent's queue, or in the shared high lane.
set -euo pipefail
cd "$(dirname "$0")/.."

agent=${1:?usage: assign.sh AGENT TITLE [high]}
title=${2:?usage: assign.sh AGENT TITLE [high]}
lane=${3:-}

last=$(find queue -name 'task-*.yaml' | sed 's/.*task-\([0-9]*\).*/\1/' | sort -n | tail -1)
next=$(printf 'task-%04d' $((10#${last:-0} + 1)))
slug=$(printf '%s' "$title" | tr '[:upper:] ' '[:lower:]-' | tr -cd 'a-z0-9-')

if [ "$lane" = high ]; then
    target="queue/high/$next-$slug.yaml"
else
    target="queue/$agent/tasks/$next-$slug.yaml"
fi

cat > "$target" <<TASK
id: $next
title: "$title"
assignee: $agent
created: $(date -u +%FT%TZ)
status: open
TASK
echo "$target"
