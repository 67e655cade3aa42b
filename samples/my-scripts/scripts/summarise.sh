#!/usr/bin/env bash
# Concatenate today's notes into one summary file.
set -euo pipefail
cd "$(dirname "$0")/.."
cat notes/*.txt > "notes/summary-$(date +%Y%m%d).out"
