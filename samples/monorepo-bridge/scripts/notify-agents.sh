#!/usr/bin/env bash
# notify-agents.sh AREA [COMMIT]
# After a merge, tells every agent whose domains cover AREA what changed,
# by dropping a message into its bridge inbox.
set -euo pipefail
cd "$(dirname "$0")/.."

area=${1:?usage: notify-agents.sh AREA [COMMIT]}
commit=${2:-$(git rev-parse --short HEAD)}

case "$area" in
    web)      agents="frontend qa" ;;
    invoices) agents="backend qa" ;;
    deps)     agents="architect backend frontend" ;;
    *)        agents="architect" ;;
esac

# git may hold index.lock for a moment after a merge: ask again, waiting longer each time.
with_retry() {
    local attempt=1
    until "$@"; do
        [ "$attempt" -lt 5 ] || return 1
        sleep $((attempt * attempt))
        attempt=$((attempt + 1))
    done
}

summary=$(with_retry git log -1 --format=%s "$commit")

for agent in $agents; do
    id=$(uuidgen | tr '[:upper:]' '[:lower:]')
    cat > "bridge/inbox/$agent/$id.md" <<MSG
---
from: ci
to: $agent
sent: $(date -u +%FT%TZ)
---
Merged $commit touches **$area**: $summary
MSG
    printf '{"ts":"%s","type":"message.sent","from":"ci","to":"%s","id":"%s"}\n' \
        "$(date -u +%FT%TZ)" "$agent" "$id" >> bridge/events.jsonl
done
