#!/usr/bin/env bash
# sweep-stale.sh: park messages nobody has picked up in time.
# An agent reads its parked messages only once its inbox is empty.
set -euo pipefail
cd "$(dirname "$0")/.."

minutes=$(awk '/stale_after_minutes:/ {print $2}' config.yaml)
minutes=${minutes:-90}
[ -d inbox ] || exit 0

for box in inbox/*/; do
    agent=$(basename "$box")
    mkdir -p "inbox/$agent/defer"
    find "$box" -maxdepth 1 -type f -name '*.msg' -mmin "+$minutes" -print0 |
        while IFS= read -r -d '' stale; do
            mv "$stale" "inbox/$agent/defer/"
            printf '%s\tdeferred\t%s\t%s\n' "$(date -u +%FT%TZ)" "$agent" "${stale##*/}" >> events.log
        done
done
