#!/usr/bin/env bash
# Fuzz smoke test for CI: installs cargo-fuzz if missing, builds every target,
# runs each for N seconds, and exits non-zero if any target crashes.
#
#   fuzz/smoke.sh [SECONDS]          # default 20 per target (or $FUZZ_SECONDS)
#
# Environment:
#   FUZZ_SECONDS     seconds per target when no argument is given (default 20)
#   FUZZ_SANITIZER   none (default) or address. The targets check logic
#                    invariants and corsair-core is #![deny(unsafe_code)]; without
#                    ASan the build takes half the time and runs 3-5x more inputs.
#   CARGO_BUILD_JOBS limit build parallelism (e.g. 1 on a shared machine)
#   FUZZ_RUNS        run this many inputs per target with a fixed seed instead of
#                    for SECONDS: deterministic, so CI replays exactly the search
#                    that was checked before committing (CI sets it)
#
# The committed corpus (fuzz/corpus/<target>) is read, never written: new
# inputs go to a temporary directory. A crash is saved by libFuzzer under
# fuzz/artifacts/<target>/; commit it (after `cargo fuzz tmin`) so that
# `cargo test --workspace --all-features` replays it (cors-core/tests/fuzz_replay.rs).
set -euo pipefail
cd "$(dirname "$0")"

secs="${1:-${FUZZ_SECONDS:-20}}"
sanitizer="${FUZZ_SANITIZER:-none}"

# cargo-fuzz passes -Z flags (sanitizer coverage, ASan). On a stable toolchain
# RUSTC_BOOTSTRAP=1 lets rustc accept them; on nightly it is harmless.
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "smoke: installing cargo-fuzz"
    start=$(date +%s)
    cargo install cargo-fuzz --locked
    echo "smoke: cargo-fuzz installed in $(($(date +%s) - start)) s"
fi
cargo fuzz --version

start=$(date +%s)
cargo fuzz build --sanitizer "$sanitizer"
echo "smoke: built every target in $(($(date +%s) - start)) s"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -n "${FUZZ_RUNS:-}" ]; then budget="$FUZZ_RUNS inputs (seed 1)"; else budget="$secs s"; fi

failed=()
for target in $(cargo fuzz list); do
    mkdir -p "$work/$target" "corpus/$target"
    echo "smoke: $target for $budget"
    start=$(date +%s)
    # First directory: where new inputs go; second: the committed corpus, read only.
    if [ -n "${FUZZ_RUNS:-}" ]; then
        limit=(-runs="$FUZZ_RUNS" -seed=1)
    else
        limit=(-max_total_time="$secs")
    fi
    if cargo fuzz run --sanitizer "$sanitizer" "$target" "$work/$target" "corpus/$target" -- \
        "${limit[@]}" -timeout=10 -print_final_stats=1 >"$work/$target.log" 2>&1; then
        echo "smoke: $target ok ($(grep -o 'Done [0-9]* runs' "$work/$target.log" | tail -1), $(($(date +%s) - start)) s)"
    else
        echo "smoke: $target FAILED:"
        grep -A3 'panicked at' "$work/$target.log" | cut -c1-2000 || true
        grep -E 'Test unit written|^Base64' "$work/$target.log" || tail -n 30 "$work/$target.log"
        failed+=("$target")
    fi
done

if ((${#failed[@]})); then
    echo "smoke: crashes in: ${failed[*]} (inputs saved under fuzz/artifacts/<target>/)"
    exit 1
fi
echo "smoke: every target ran $budget without a crash"
