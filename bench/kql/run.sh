#!/usr/bin/env bash
# KQL over JSON Lines (LogHunt): builds kql_bench and runs it. It writes a 1-million-row
# DeviceProcessEvents-like JSON Lines file (~550 MB) to a temporary folder, times a filter and a
# summarize through LogHunt's engine, a Boost.JSON full-parse scan and jq on the same file, and
# prints rows/s and ratios. Arguments go to kql_bench (--rows N, --repetitions R, --dir DIR
# --keep to reuse the file, --no-jq). Results: docs/performance.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${BUILD_DIR:-$root/build/default}"
if [ ! -f "$build/build.ninja" ]; then
  cmake --preset default -S "$root"
fi
cmake --build "$build" --target kql_bench
exec "$build/bench/kql_bench" "$@"
