#!/usr/bin/env bash
# Extract every labelled tree of the real-world corpus from fetched git mirrors.
#
# Usage: scripts/realworld/extract.sh [MIRROR_ROOT] [OUT_DIR]
#   MIRROR_ROOT  folder holding the fetched bare mirrors (default: /work/.mirror).
#                A mirror of owner/name is looked for as owner+name/repo,
#                owner+name, owner__name/repo, owner__name, owner/name.git and
#                owner/name, case-insensitively on the folder name.
#   OUT_DIR      where the trees go (default: ./realworld-trees); each truth file
#                truth/<owner>__<name>.json becomes OUT_DIR/<owner>__<name>/.
#
# For each truth file it runs `git archive <commit> -- <paths>` in the mirror and
# unpacks the result. Blobs that the snapshot does not carry (large files, LFS)
# are left out and counted. Trees that cannot be extracted are listed at the end
# and the script exits 1 if there are any.
set -uo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TRUTH_DIR="$HERE/truth"
MIRROR_ROOT="${1:-/work/.mirror}"
OUT_DIR="${2:-./realworld-trees}"

command -v git >/dev/null || { echo "extract.sh: git not found" >&2; exit 2; }
command -v python3 >/dev/null || { echo "extract.sh: python3 not found" >&2; exit 2; }
[ -d "$TRUTH_DIR" ] || { echo "extract.sh: no truth folder at $TRUTH_DIR" >&2; exit 2; }
[ -d "$MIRROR_ROOT" ] || { echo "extract.sh: mirror root $MIRROR_ROOT does not exist" >&2; exit 2; }
mkdir -p "$OUT_DIR"

# Print "repo<TAB>commit<TAB>path1<TAB>path2..." for one truth file.
read_truth() {
    python3 - "$1" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
s = d["source"]
paths = s.get("paths") or ["."]
print("\t".join([s["repo"], s["commit"]] + paths))
PY
}

# Find the git directory of a mirror for owner/name, or print nothing.
find_mirror() {
    local repo="$1" owner="${1%%/*}" name="${1#*/}" cand
    for cand in "$MIRROR_ROOT/$owner+$name/repo" "$MIRROR_ROOT/$owner+$name" \
                "$MIRROR_ROOT/${owner}__$name/repo" "$MIRROR_ROOT/${owner}__$name" \
                "$MIRROR_ROOT/$owner/$name.git" "$MIRROR_ROOT/$owner/$name"; do
        if [ -d "$cand" ] && git -C "$cand" rev-parse --git-dir >/dev/null 2>&1; then
            printf '%s\n' "$cand"; return 0
        fi
    done
    # Case-insensitive match on the owner+name folder name.
    local want lower entry
    want="$(printf '%s+%s' "$owner" "$name" | tr 'A-Z' 'a-z')"
    for entry in "$MIRROR_ROOT"/*; do
        [ -d "$entry" ] || continue
        lower="$(basename "$entry" | tr 'A-Z' 'a-z')"
        if [ "$lower" = "$want" ]; then
            for cand in "$entry/repo" "$entry"; do
                if [ -d "$cand" ] && git -C "$cand" rev-parse --git-dir >/dev/null 2>&1; then
                    printf '%s\n' "$cand"; return 0
                fi
            done
        fi
    done
    return 1
}

ok=0
missing=()
failed=()

for truth in "$TRUTH_DIR"/*.json; do
    [ -e "$truth" ] || continue
    IFS=$'\t' read -r -a fields < <(read_truth "$truth") || { failed+=("$(basename "$truth"): unreadable truth file"); continue; }
    repo="${fields[0]}"; commit="${fields[1]}"; paths=("${fields[@]:2}")
    key="${repo/\//__}"
    dest="$OUT_DIR/$key"

    gitdir="$(find_mirror "$repo")" || { missing+=("$repo (no mirror under $MIRROR_ROOT)"); continue; }
    if ! git -C "$gitdir" cat-file -e "$commit^{commit}" 2>/dev/null; then
        missing+=("$repo (mirror $gitdir lacks commit $commit)")
        continue
    fi

    # Blobs the snapshot does not carry would make git archive fail: exclude them.
    excludes=()
    absent=0
    while IFS=$'\t' read -r meta path; do
        set -- $meta   # mode type sha
        [ "$2" = blob ] || continue
        if ! git -C "$gitdir" cat-file -e "$3" 2>/dev/null; then
            excludes+=(":(exclude,literal)$path")
            absent=$((absent + 1))
        fi
    done < <(git -C "$gitdir" ls-tree -r "$commit" -- "${paths[@]}")

    rm -rf "$dest"
    mkdir -p "$dest"
    errlog="$(mktemp)"
    if git -C "$gitdir" archive --format=tar "$commit" -- "${paths[@]}" "${excludes[@]}" 2>"$errlog" | tar -x -C "$dest"; then
        ok=$((ok + 1))
        note=""
        [ "$absent" -gt 0 ] && note=" ($absent blob(s) absent from the snapshot, skipped)"
        echo "extracted $repo@${commit:0:12} [${paths[*]}] -> $dest$note"
    else
        failed+=("$repo (git archive failed in $gitdir: $(head -c 300 "$errlog"))")
        rm -rf "$dest"
    fi
    rm -f "$errlog"
done

echo
echo "extracted: $ok"
if [ "${#missing[@]}" -gt 0 ]; then
    echo "MISSING (${#missing[@]}): fetch these public repositories first:"
    for m in "${missing[@]}"; do echo "  - $m"; done
fi
if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAILED (${#failed[@]}):"
    for f in "${failed[@]}"; do echo "  - $f"; done
fi
[ "${#missing[@]}" -eq 0 ] && [ "${#failed[@]}" -eq 0 ]
