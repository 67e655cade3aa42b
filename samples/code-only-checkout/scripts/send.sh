#!/usr/bin/env bash
# send.sh FROM TO SUBJECT < BODY
# Delivers one message to an agent's inbox and records the send.
set -euo pipefail
cd "$(dirname "$0")/.."

from=${1:?usage: send.sh FROM TO SUBJECT < BODY}
to=${2:?usage: send.sh FROM TO SUBJECT < BODY}
subject=${3:?usage: send.sh FROM TO SUBJECT < BODY}
tries=$(awk '/delivery_tries:/ {print $2}' config.yaml)
tries=${tries:-4}

if ! grep -qE "^  ${to}:" config.yaml; then
    echo "send.sh: no agent called '${to}' in config.yaml" >&2
    exit 64
fi

dest="inbox/$to/$(date -u +%Y%m%dT%H%M%SZ)-$from-$(uuidgen | tr '[:upper:]' '[:lower:]').msg"
mkdir -p "$(dirname "$dest")"
staging=$(mktemp "${dest%/*}/.incoming.XXXXXX")
{
    printf 'from: %s\nto: %s\nsubject: %s\n\n' "$from" "$to" "$subject"
    cat
} > "$staging"

# The inboxes live on a shared volume where a rename fails now and then.
deliver_with_retry() {
    local n=1 delay=1
    until mv "$staging" "$dest"; do
        if [ "$n" -ge "$tries" ]; then
            echo "send.sh: gave up on $dest after $n tries" >&2
            return 1
        fi
        sleep "$delay"
        delay=$((delay * 2))
        n=$((n + 1))
    done
}

deliver_with_retry
printf '%s\tsent\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$from" "$to" "${dest##*/}" >> events.log
echo "$dest"
