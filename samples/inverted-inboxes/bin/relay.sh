#!/usr/bin/env bash
# relay.sh: releases parked work whose not_before time has passed into the
# recipient's own inbox, and notes the release in today's journal file.
set -euo pipefail
cd "$(dirname "$0")/.."
now=$(date -u +%FT%TZ)

for parked in defer/*.json; do
    [ -e "$parked" ] || continue
    due=$(jq -r '.not_before // empty' "$parked")
    [ -n "$due" ] && [[ "$due" > "$now" ]] && continue
    to=$(jq -r '.to' "$parked")
    mv "$parked" "$to/inbox/"
    jq -c --arg ts "$now" '{ts: $ts, op: "release", to: .to, id: .id}' "$to/inbox/${parked##*/}" \
        >> "journal/$(date -u +%F).jsonl"
done
