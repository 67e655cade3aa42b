#!/usr/bin/env bash
# Install coord-migrate: the binary into PREFIX/bin, its man page into PREFIX/share/man/man1,
# and bash, zsh and fish completions where those shells look under PREFIX/share.
#
# Usage: scripts/install.sh [PREFIX]        (default: /usr/local; ~/.local needs no root)
#   COORD_MIGRATE_BINARY=path  install that binary instead of building one
#
# It builds the release binary with the Swift runtime linked in (as scripts/sample.sh
# does); the system libraries it reads with (libcmark, libxml2, libsqlite3, libpq) must
# be present at run time: scripts/deps.sh installs them when missing.
# The man page is docs/coord-migrate.1, generated from the command's own help with
# swift-argument-parser's plugin: swift package generate-manual --date YYYY-MM-DD.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PREFIX="${1:-/usr/local}"
cd "$ROOT"

if [ -n "${COORD_MIGRATE_BINARY:-}" ]; then
    binary="$COORD_MIGRATE_BINARY"
else
    scripts/deps.sh
    swift build -c release --static-swift-stdlib --product coord-migrate >/dev/null
    binary="$ROOT/.build/release/coord-migrate"
fi
[ -x "$binary" ] || { echo "install.sh: no executable at $binary" >&2; exit 2; }

install -D -m 0755 "$binary" "$PREFIX/bin/coord-migrate"
install -D -m 0644 docs/coord-migrate.1 "$PREFIX/share/man/man1/coord-migrate.1"
mkdir -p "$PREFIX/share/bash-completion/completions" "$PREFIX/share/zsh/site-functions" \
    "$PREFIX/share/fish/vendor_completions.d"
"$PREFIX/bin/coord-migrate" --generate-completion-script bash > "$PREFIX/share/bash-completion/completions/coord-migrate"
"$PREFIX/bin/coord-migrate" --generate-completion-script zsh > "$PREFIX/share/zsh/site-functions/_coord-migrate"
"$PREFIX/bin/coord-migrate" --generate-completion-script fish > "$PREFIX/share/fish/vendor_completions.d/coord-migrate.fish"

echo "installed $PREFIX/bin/coord-migrate ($("$PREFIX/bin/coord-migrate" --version)), its man page and completions"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "note: $PREFIX/bin is not on your PATH" ;; esac
