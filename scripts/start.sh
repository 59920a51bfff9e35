#!/usr/bin/env bash
# Sets up, builds, and runs secpilotd in the foreground with the sample plugins on the embedded
# defaults (SQLite under build/default/state, no model needed). Creates an owner API key on first
# run and says where it is. Usage: scripts/start.sh [host:port]   (default 127.0.0.1:8480)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" default
bin="$root/build/default/bin"
state="$root/build/default/state"
listen=${1:-127.0.0.1:8480}
mkdir -p "$state"
chmod 700 "$state"
if [ ! -s "$state/owner.key" ]; then
  (umask 077 && "$bin/secpilotd" --store "$state/secpilot.db" --create-key owner --role owner \
    --user admin >"$state/owner.key")
fi
cat <<MSG

secpilotd is starting on http://$listen (Ctrl-C stops it).
  API key (owner):  $state/owner.key
  Try:  curl -H "Authorization: Bearer \$(cat $state/owner.key)" http://$listen/v1/plugins
        $bin/secpilot --server http://$listen --key "\$(cat $state/owner.key)" \\
          ask --explain "is 198.51.100.23 malicious? which devices talked to it?"
  API:  http://$listen/v1/openapi.json   health: http://$listen/healthz   metrics: http://$listen/metrics

MSG
exec "$bin/secpilotd" --store "$state/secpilot.db" --listen "$listen" \
  --plugins-dir "$root/build/default/plugins"
