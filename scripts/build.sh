#!/usr/bin/env bash
# Sets up (scripts/setup.sh), configures and builds one preset (default: "default").
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
preset=${1:-default}
"$root/scripts/setup.sh"
cd "$root"
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
