#!/usr/bin/env bash
# Run what CI runs (tests, the no-GUI build, fmt, clippy both ways, Python interop) before pushing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/run
