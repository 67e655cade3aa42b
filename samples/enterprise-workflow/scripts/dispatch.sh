#!/usr/bin/env bash
# Hand the next unread message to its recipient, retrying while the database is busy.
set -euo pipefail
for attempt in 1 2 3 4 5; do
    if psql "$WORKFLOW_DATABASE_URL" -v ON_ERROR_STOP=1 -f "$(dirname "$0")/dispatch.sql"; then
        exit 0
    fi
    sleep $((attempt * attempt))   # quadratic backoff
done
echo "dispatch failed after 5 tries" >&2
exit 1
