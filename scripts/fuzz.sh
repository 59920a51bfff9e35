#!/usr/bin/env bash
# Builds the libFuzzer targets (the fuzz preset, clang) and runs each for a bounded time on a copy
# of its seed corpus. Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
#   SECONDS  per target, default 60; TARGET: manifest runner_frames http_request entities kql
#            (default: all). Prints one line per target; exits 1 when one crashed, leaked, timed
#            out or ran out of memory, naming the input that did it (docs/fuzzing.md).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[[ $# -gt 0 ]] && shift
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=(manifest runner_frames http_request entities kql)
build="$root/build/fuzz"

"$root/scripts/install-clang.sh"
cd "$root"
[[ -f "$build/build.ninja" ]] || cmake --preset fuzz >/dev/null
cmake --build "$build" --target "${targets[@]/#/fuzz_}"

runs="$build/fuzz-runs"
failed=0
for target in "${targets[@]}"; do
  work="$runs/$target"
  rm -rf "$work"
  mkdir -p "$work/corpus" "$work/artifacts"
  cp -R "$root/tests/fuzz/corpus/$target/." "$work/corpus/"
  status=0
  # Leaks are checked (libFuzzer's default with ASan); UBSan stops at the first report.
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$build/tests/fuzz/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
    >"$work/log.txt" 2>&1 || status=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log.txt" | tail -1)
  added=$(sed -n 's/^stat::new_units_added: *//p' "$work/log.txt" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$work/log.txt" | tail -1 | cut -d' ' -f2)
  artifact=$(find "$work/artifacts" -type f | head -1)
  line="$target: ${execs:-0} executions ($(( ${execs:-0} / (seconds > 0 ? seconds : 1) ))/s)"
  line+=", ${added:-0} new inputs, coverage ${cov:-?} edges"
  if [[ $status -ne 0 || -n "$artifact" ]]; then
    failed=1
    echo "$line, FAILED (exit $status): ${artifact:-no input saved}; log: $work/log.txt"
  else
    echo "$line, no crash"
  fi
done
exit $failed
