#!/usr/bin/env bash
# Start each helper script in the background and wait for all of them.
set -euo pipefail
cd "$(dirname "$0")"
./summarise.sh &
python3 notify.py &
wait
