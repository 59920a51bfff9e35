#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [preset]   (default, debug, asan)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
"$root/scripts/build.sh" "$preset"
cd "$root"
scripts/check-format.sh
ctest --preset "$preset" -j "$(nproc)"
