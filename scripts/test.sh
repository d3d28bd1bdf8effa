#!/usr/bin/env bash
# Installs what is needed, builds, and runs every test tier (unit, component, replay,
# integration). Usage: scripts/test.sh [preset]   (default: dev; also asan, tsan, release)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-dev}

scripts/install-deps.sh chromium  # chromium: the dashboard's browser tests
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset" -j2 --timeout 300
