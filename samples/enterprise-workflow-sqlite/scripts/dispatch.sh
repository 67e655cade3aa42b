#!/usr/bin/env bash
# Hand the next unread message to its recipient, retrying while the database is locked.
set -euo pipefail
db="$(dirname "$0")/../data/workflow.db"
for attempt in 1 2 3 4 5; do
    if sqlite3 -bail "$db" < "$(dirname "$0")/dispatch.sql"; then
        exit 0
    fi
    sleep $((attempt * attempt))   # quadratic backoff
done
echo "dispatch failed after 5 tries" >&2
exit 1
