#!/usr/bin/env bash
# Sets up, builds, then shows the sample plugins and asks ThreatIntel about an indicator.
# Usage: scripts/demo.sh [indicator]   (default 198.51.100.23, listed in the sample feeds)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" default
cli="$root/build/default/bin/secpilot"
plugins="$root/build/default/plugins"
indicator=${1:-198.51.100.23}
set -x
"$cli" --plugins-dir "$plugins" plugins list
"$cli" --plugins-dir "$plugins" skills list
"$cli" --plugins-dir "$plugins" invoke ThreatIntel.LookupIndicator --input "indicator=$indicator"
