#!/usr/bin/env bash
# Builds coord-migrate and runs it on a bundled sample (default: agent-bridge).
# The plan is written to ./migration-plan.md; extra arguments go to the tool.
#   scripts/sample.sh [SAMPLE] [coord-migrate options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh build
sample=${1:-agent-bridge}
[ $# -gt 0 ] && shift
# --static-swift-stdlib: the runtime and Foundation are linked in, which halves start-up.
swift build -c release --static-swift-stdlib --product coord-migrate >&2
exec .build/release/coord-migrate --path "samples/$sample" "$@"
