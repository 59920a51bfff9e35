#!/usr/bin/env bash
# Sets up, builds and runs every test. Usage: scripts/test.sh [preset]   (default, debug, asan)
# With the default preset it then runs the sanitizer stage on the clang ASan/UBSan build
# (build/fuzz): each libFuzzer target for SECPILOT_FUZZ_SECONDS seconds (30 unless set; 0 skips
# the fuzzers), then the suites that face untrusted input (scripts/sanitize.sh ci;
# SECPILOT_SANITIZE=0 skips them).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
fuzz_seconds=${SECPILOT_FUZZ_SECONDS:-30}
"$root/scripts/build.sh" "$preset"
cd "$root"
scripts/check-format.sh
ctest --preset "$preset" -j "$(nproc)"
[[ $preset == default ]] || exit 0
if [[ $fuzz_seconds -gt 0 ]]; then
  scripts/fuzz.sh "$fuzz_seconds"
fi
if [[ ${SECPILOT_SANITIZE:-1} != 0 ]]; then
  scripts/sanitize.sh ci
fi
