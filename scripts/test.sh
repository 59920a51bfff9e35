#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [preset]   (default, debug, asan)
# With the default preset it then runs each libFuzzer target (scripts/fuzz.sh, clang ASan/UBSan
# build) for SECPILOT_FUZZ_SECONDS seconds, 30 unless set; 0 skips that stage.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
fuzz_seconds=${SECPILOT_FUZZ_SECONDS:-30}
"$root/scripts/build.sh" "$preset"
cd "$root"
scripts/check-format.sh
ctest --preset "$preset" -j "$(nproc)"
if [[ $preset == default && $fuzz_seconds -gt 0 ]]; then
  scripts/fuzz.sh "$fuzz_seconds"
fi
