#!/usr/bin/env bash
# Packages every crate of the workspace (`cargo package --workspace`, which
# builds each package on its own), then builds the main example in an empty
# directory against the packaged crates only: the client from its `.crate`
# (the spec it generates from inside it), the test kit for the embedded
# MockDwolla, and what they depend on. Proves that the packages carry what
# they read and that the example compiles and runs outside this tree.
#
# Usage: scripts/packaged-example.sh [WORK_DIR]   (default target/packaged)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=${1:-target/packaged}

rm -rf target/package "$work"
# A package is built as a workspace of its own, without this workspace's
# profile: no debug info, as the workspace gives its dependencies (the
# verification builds would otherwise take gigabytes of the target folder).
export CARGO_PROFILE_DEV_DEBUG=false
# --allow-dirty: the packages are made from the working tree under test.
# `benchmarks` is not published (it measures the others).
cargo package --workspace --exclude benchmarks --quiet --allow-dirty ${PACKAGE_NO_VERIFY:+--no-verify}
mkdir -p "$work/crates" "$work/app/src"
for crate in target/package/*.crate; do
    tar -xzf "$crate" -C "$work/crates"
done

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
{
    cat <<TOML
[package]
name = "packaged-example"
version = "0.0.0"
edition = "2024"
publish = false

[workspace]

[dependencies]
dwolla-exchange-sessions = "$version"
dwolla-testkit = "$version"
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }

[patch.crates-io]
TOML
    for dir in "$work"/crates/*/; do
        name=$(basename "$dir")
        echo "${name%-"$version"} = { path = \"../crates/$name\" }"
    done
} >"$work/app/Cargo.toml"
cp examples/exchange_session_flow.rs "$work/app/src/main.rs"
# The workspace's lock file: the same versions of every dependency.
cp Cargo.lock "$work/app/Cargo.lock"

cd "$work/app"
CARGO_TARGET_DIR="$root/target" cargo run --quiet
