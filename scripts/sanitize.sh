#!/usr/bin/env bash
# Builds and runs the tests under the sanitizers (docs/security.md, "Sanitizers").
# Usage: scripts/sanitize.sh [asan|tsan|all] [ctest arguments...]
#   asan  every test, built with AddressSanitizer + UndefinedBehaviorSanitizer (preset asan)
#   tsan  the suites where threads meet (runner, server, store, skill calls, daemon), built with
#         ThreadSanitizer (preset tsan)
#   all   both (the default)
#   ci    the suites that face untrusted input (runner, plugin ABI, HTTP server, manifests) in the
#         fuzz preset's build (clang, ASan + UBSan; build/fuzz), which scripts/fuzz.sh shares:
#         what scripts/test.sh, and so CI, runs
# Extra arguments go to ctest (e.g. -R Runner). A sanitizer report fails the test that caused it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
which=${1:-all}
[[ $# -gt 0 ]] && shift
cd "$root"
scripts/setup.sh

# A report ends the process with an error, so the test fails and ctest shows the report.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$root/tests/tsan.supp}

# Suites are test executables; each one's tests carry its name as a label.
# The ThreadSanitizer suites: every test binary in which several threads share state.
tsan_suites=(runner_tests server_http_test server_unit_test store_test skills_tests plugin_tests
  daemon_test net_http_client_test)
# The ci stage's suites.
ci_suites=(runner_tests plugin_tests server_unit_test server_http_test manifest_tests)

# The ctest -L expression that selects exactly the suites given.
suite_labels() {
  local IFS='|'
  echo "^($*)\$"
}

run_ci() {
  scripts/install-clang.sh
  cmake --preset fuzz >/dev/null
  cmake --build build/fuzz --target "${ci_suites[@]}"
  ctest --test-dir build/fuzz -L "$(suite_labels "${ci_suites[@]}")" --output-on-failure \
    -j "$(nproc)" "$@"
}

run_asan() {
  cmake --preset asan >/dev/null
  cmake --build --preset asan
  ctest --preset asan "$@"
}

run_tsan() {
  cmake --preset tsan >/dev/null
  cmake --build --preset tsan --target "${tsan_suites[@]}" secpilot-runner secpilotd
  ctest --preset tsan -L "$(suite_labels "${tsan_suites[@]}")" "$@"
}

case $which in
  asan) run_asan "$@" ;;
  tsan) run_tsan "$@" ;;
  all) run_asan "$@" && run_tsan "$@" ;;
  ci) run_ci "$@" ;;
  *) echo "sanitize.sh: unknown sanitizer '$which' (asan, tsan, all or ci)" >&2; exit 2 ;;
esac
