#!/usr/bin/env bash
# Runs the benchmark suite, then writes BENCHMARKS.md and benches/scaling.svg.
#
#   benches/run.sh                 every target: engine tower actix scaling hostile
#   benches/run.sh tower actix     only these targets (to re-run key comparisons);
#                                  the report takes the latest estimate of each benchmark
#
# Extra criterion arguments go after `--`, e.g. `benches/run.sh tower -- 'preflight'`.
# After criterion, the instruction counts the report's verdicts are taken on are
# re-counted under valgrind for the same targets (`target/release/callgrind TARGET...`,
# whose names contain them: `tower` also counts `scaling/tower/...` and the hostile
# values through tower); without valgrind the report keeps the earlier counts.
# The commit, and the load average before and after each target, are logged to
# target/criterion/corsair-bench-runs.txt (a full run starts a new log) and reported.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

criterion_args=(--warm-up-time 1 --measurement-time 3 --sample-size 50)
targets=()
while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then
        shift
        criterion_args+=("$@")
        break
    fi
    targets+=("$1")
    shift
done
full=0
if [ ${#targets[@]} -eq 0 ]; then
    targets=(engine tower actix scaling hostile)
    full=1
fi

criterion="${CARGO_TARGET_DIR:-$root/target}/criterion"
mkdir -p "$criterion"
log="$criterion/corsair-bench-runs.txt"
if [ "$full" = 1 ]; then
    : >"$log"
fi

# Build everything first, so compiling does not overlap a measurement.
cargo bench -p corsair-bench --no-run
cargo build -p corsair-bench --release --bin report --bin callgrind

load() { cut -d' ' -f1-3 /proc/loadavg; }
commit="$(git rev-parse --short HEAD)"
if ! git diff --quiet HEAD -- . ':!BENCHMARKS.md' ':!benches/scaling.svg'; then
    commit="$commit+uncommitted"
fi
for target in "${targets[@]}"; do
    before="$(load)"
    start="$(date -u +%FT%TZ)"
    cargo bench -p corsair-bench --bench "$target" -- "${criterion_args[@]}"
    printf '%s  commit %s  %-8s load before: %s  after: %s  (cargo bench -p corsair-bench --bench %s -- %s)\n' \
        "$start" "$commit" "$target" "$before" "$(load)" "$target" "${criterion_args[*]}" >>"$log"
done

if command -v valgrind >/dev/null; then
    "${CARGO_TARGET_DIR:-$root/target}/release/callgrind" "${targets[@]}"
else
    echo "valgrind not found: the report uses the instruction counts already in target/callgrind" >&2
fi

cargo run -p corsair-bench --release --bin report -- --criterion "$criterion"
