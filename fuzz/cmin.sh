#!/usr/bin/env bash
# Minimizes the committed corpora after a fuzzing session:
#
#   fuzz/cmin.sh [MAX_FILES]   # default 300 files per target
#
# 1. `cargo fuzz cmin` with edge coverage only (-use_counters=0) and greedy set
#    cover, which keeps far fewer files than the default feature-preserving merge;
# 2. then, where a target still keeps more than MAX_FILES (origin and builder do:
#    the psl crate's per-TLD lookup code makes thousands of inputs "new coverage"),
#    keeps the first MAX_FILES by name (libFuzzer names are content hashes, so this
#    is a deterministic pseudo-random sample).
# Hand-written seeds (files named seed-*) are always kept.
set -euo pipefail
cd "$(dirname "$0")"
max="${1:-300}"
export RUSTC_BOOTSTRAP=1

seeds=$(mktemp -d)
trap 'rm -rf "$seeds"' EXIT
for target in $(cargo fuzz list); do
    mkdir -p "$seeds/$target"
    find "corpus/$target" -type f -name 'seed-*' -exec cp {} "$seeds/$target/" \;
    cargo fuzz cmin "$target" -- -use_counters=0 -set_cover_merge=1 >/dev/null 2>&1
    find "corpus/$target" -type f | sort | tail -n +"$((max + 1))" | xargs -r rm --
    cp "$seeds/$target"/. "corpus/$target/" -r
    echo "cmin: $target: $(find "corpus/$target" -type f | wc -l) files, $(cat "corpus/$target"/* | wc -c) bytes"
done
