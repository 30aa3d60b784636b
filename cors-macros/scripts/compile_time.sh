#!/usr/bin/env bash
# Times `cargo build --release` of a crate whose one `cors!` lists N exact origins
# (default 10,000): the expansion is static data (the builder's hash table), not
# a `match`, whose compile time explodes past a few hundred arms.
#
#   cors-macros/scripts/compile_time.sh [N]
#
# The crate is generated under target/compile-time/ and built with the
# workspace's Cargo.lock and target directory, so dependencies build once.
set -euo pipefail
n="${1:-10000}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="$root/target/compile-time/origins-$n"
mkdir -p "$dir/src"
cp "$root/Cargo.lock" "$dir/Cargo.lock"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "cors-origins-$n"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
corsair = { path = "$root" }

[workspace]
TOML
{
    echo 'static POLICY: corsair::Policy = corsair::cors! {'
    echo '    allow_origins: ['
    for ((i = 0; i < n; i++)); do
        echo "        \"https://tenant$i.example.com\","
    done
    echo '    ],'
    echo '    allow_credentials: true,'
    echo '};'
    echo
    echo 'fn main() {'
    echo "    assert!(POLICY.allows_origin(b\"https://tenant$((n - 1)).example.com\"));"
    echo "    assert!(!POLICY.allows_origin(b\"https://tenant$n.example.com\"));"
    echo '    println!("ok: {} origins", '"$n"');'
    echo '}'
} > "$dir/src/main.rs"
export CARGO_TARGET_DIR="$root/target"
cd "$dir"
echo "dependencies:"
time cargo build --release --quiet
touch src/main.rs
echo "the crate with $n origins (cargo build --release, dependencies built):"
time cargo build --release --quiet
"$CARGO_TARGET_DIR/release/cors-origins-$n"
