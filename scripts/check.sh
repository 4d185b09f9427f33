#!/usr/bin/env bash
# Run the checks CI runs, plus formatting and clippy, before pushing.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo clippy --no-default-features --all-targets -- -D warnings
bash .ci/run
