#!/usr/bin/env bash
# Send a message between agents: message.sh send FROM TO SUBJECT BODY
set -euo pipefail
cd "$(dirname "$0")/.."

with_retry() {
    local tries=0
    until "$@"; do
        tries=$((tries + 1))
        if [ "$tries" -ge 5 ]; then
            echo "giving up after $tries attempts: $*" >&2
            return 1
        fi
        sleep $((2 ** tries))   # exponential backoff
    done
}

send() {
    local from=$1 to=$2 subject=$3 body=$4
    local id
    id="$(date +%Y-%m-%dT%H:%M:%S%z)-${from}-$(uuidgen | tr 'A-Z' 'a-z')"
    local tmp="inbox/${to}/.${id}.tmp"
    printf 'From: %s\nTo: %s\nSubject: %s\n\n%s\n' "$from" "$to" "$subject" "$body" > "$tmp"
    with_retry mv "$tmp" "inbox/${to}/${id}.msg"
    printf '%s\tmessage.sent\t%s→%s\t%s\n' "$(date +%Y-%m-%dT%H:%M:%S%z)" "$from" "$to" "$id" >> events.log
}

case "${1:-}" in
    send) shift; send "$@" ;;
    inbox) ls -1 "inbox/${2:?agent}" ;;
    log) tail -n 20 events.log ;;
    *) echo "usage: message.sh send|inbox|log" >&2; exit 2 ;;
esac
