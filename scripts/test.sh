#!/usr/bin/env bash
# Runs the whole test suite: unit tests, end-to-end tests of the built binary on
# the samples and on generated trees, and every format read back by a real consumer.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
# The stages depend one way (README "Architecture"); an edge against the order fails here.
python3 scripts/check-architecture.py
swift build --product coord-migrate
swift test "$@"
