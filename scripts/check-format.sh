#!/usr/bin/env bash
# Fails when a tracked C/C++ file is not clang-format clean; `--fix` rewrites them instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h' '*.cpp' '*.hpp')
[ ${#files[@]} -gt 0 ] || exit 0
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/secpilot-format.log; then
  grep -E '^[^ ].*: (error|warning):' /tmp/secpilot-format.log | cut -d: -f1 | sort -u |
    sed 's/^/not clang-format clean: /'
  echo "run scripts/check-format.sh --fix" >&2
  exit 1
fi
