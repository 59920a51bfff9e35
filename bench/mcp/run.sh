#!/usr/bin/env bash
# MCP benchmark (DESIGN.md "Performance budgets"; docs/performance.md says what it measures):
# tools/call round trips per second against secpilot, beside the same kind of tool served by the
# official TypeScript SDK in both its versions (from tests/mcp/package-lock.json): version 2
# (tests/mcp/peers/sdk-server.mjs, @modelcontextprotocol/server) and version 1, on which most
# servers on npm are written (tests/mcp/peers/sdk1-server.mjs, @modelcontextprotocol/sdk), loaded
# the same way in the same run, rounds interleaved:
#   http   POST /mcp, keep-alive, wrk with bench/rest/request.lua: secpilotd (Misbehaving.Echo, in
#          process, an owner key) in the modern era (MCP-Protocol-Version 2026-07-28, Mcp-Method,
#          Mcp-Name, _meta), against version 2's createMcpHandler on node:http (modern era, its
#          `echo` tool) and version 1's stateless transport (legacy era, 2025-11-25, which is all
#          it speaks; a server and a transport per request, JSON answers);
#   stdio  bench/mcp/stdio_load (secpilot's MCP client, CONCURRENCY requests in flight) against
#          `secpilotd --mcp-stdio` and against each SDK server over stdio.
# Budget (DESIGN.md, Streamable HTTP): secpilot >= 10x each SDK's requests/s; stdio is reported
# beside it. Timings are reported, never asserted.
# usage: bench/mcp/run.sh [-c CONNECTIONS] [-d SECONDS] [-r ROUNDS] [-t WRK_THREADS] [--no-build]
#   defaults: 32 connections (and stdio concurrency 8), 10 s, 3 rounds, one wrk thread per core.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${BUILD_DIR:-$ROOT/build/${PRESET:-default}}
CONNECTIONS=32
STDIO_CONCURRENCY=8
DURATION=10
ROUNDS=3
BUILD_FIRST=1
RATIO_BUDGET=10
WRK_THREADS=$(nproc)
HELP_LINES=2,14
source "$ROOT/bench/common.sh"
parse_options "$@"
ensure_wrk
if [[ ! -d $ROOT/tests/mcp/node_modules ]]; then
  (cd "$ROOT/tests/mcp" && npm ci --no-audit --no-fund >&2)
fi
if (( BUILD_FIRST )); then
  cmake --build "$BUILD" --target secpilotd misbehaving mcp_stdio_load >&2
fi
SECPILOTD=$BUILD/bin/secpilotd
LOAD=$BUILD/bench/mcp/mcp_stdio_load
PEER=$ROOT/tests/mcp/peers/sdk-server.mjs
PEER1=$ROOT/tests/mcp/peers/sdk1-server.mjs

WORK=$(mktemp -d "${TMPDIR:-/tmp}/secpilot-mcp-bench.XXXXXX")
cp -a "$BUILD/test-plugins/misbehaving" "$WORK/misbehaving"
# The test plugin in process (as a trusted plugin would be), no rate limit.
cat >"$WORK/secpilotd.yaml" <<EOF
store: { path: $WORK/secpilot.db }
limits: { rate_limit_per_minute: 0 }
security: { isolation_overrides: { Misbehaving: in_process } }
EOF
KEY=$("$SECPILOTD" --config "$WORK/secpilotd.yaml" --create-key bench --role owner 2>/dev/null)
start secpilotd "$SECPILOTD" --config "$WORK/secpilotd.yaml" --listen 127.0.0.1:0 \
  --plugins-dir "$WORK/misbehaving"
SECPILOT_URL=http://127.0.0.1:$PORT/mcp
start sdk node "$PEER" --http 0 --echo-only
SDK_URL=http://127.0.0.1:$PORT/mcp
start sdk1 node "$PEER1" --http 0
SDK1_URL=http://127.0.0.1:$PORT/mcp

META='"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{}}'
call_body() { printf '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"%s","arguments":{"text":"198.51.100.7"},%s}}' "$1" "$META"; }
headers() { printf 'Accept: application/json, text/event-stream|MCP-Protocol-Version: 2026-07-28|Mcp-Method: tools/call|Mcp-Name: %s' "$1"; }
legacy_call_body() { printf '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"%s","arguments":{"text":"198.51.100.7"}}}' "$1"; }
legacy_headers() { printf 'Accept: application/json, text/event-stream|MCP-Protocol-Version: 2025-11-25'; }

# http NAME URL TOOL KEY SECONDS [legacy]
http() {
  local body headers
  if [[ ${6:-} == legacy ]]; then body=$(legacy_call_body "$3") headers=$(legacy_headers)
  else body=$(call_body "$3") headers=$(headers "$3"); fi
  BENCH_METHOD=POST BENCH_BODY=$body BENCH_KEY=$4 BENCH_HEADERS=$headers \
    wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${5}s" --timeout 5s -s "$ROOT/bench/rest/request.lua" \
    "$2" >"$WORK/wrk.out" || { cat "$WORK/wrk.out" >&2; exit 1; }
  echo "$1 $(grep '^RESULT' "$WORK/wrk.out")"
}
http_secpilot() { http http_secpilot "$SECPILOT_URL" Misbehaving.Echo "$KEY" "$1"; }
http_sdk() { http http_sdk "$SDK_URL" echo "" "$1"; }
http_sdk1() { http http_sdk1 "$SDK1_URL" echo "" "$1" legacy; }
stdio_secpilot() {
  echo "stdio_secpilot $("$LOAD" "$1" "$STDIO_CONCURRENCY" Misbehaving.Echo '{"text":"198.51.100.7"}' \
    -- "$SECPILOTD" --mcp-stdio --config "$WORK/secpilotd.yaml" --plugins-dir "$WORK/misbehaving" \
    2>/dev/null)"
}
stdio_sdk() {
  echo "stdio_sdk $("$LOAD" "$1" "$STDIO_CONCURRENCY" echo '{"text":"198.51.100.7"}' -- node "$PEER" --echo-only)"
}
stdio_sdk1() {
  echo "stdio_sdk1 $("$LOAD" "$1" "$STDIO_CONCURRENCY" echo '{"text":"198.51.100.7"}' -- node "$PEER1")"
}
TARGETS=(http_secpilot http_sdk http_sdk1 stdio_secpilot stdio_sdk stdio_sdk1)

say "machine: $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
run_rounds 2 "$CONNECTIONS HTTP connections, $STDIO_CONCURRENCY stdio calls in flight"

python3 - "$RESULTS" "$RATIO_BUDGET" <<'EOF'
import statistics, sys
path, budget = sys.argv[1], float(sys.argv[2])
runs = {}
for line in open(path):
    name, _, *fields = line.split()
    runs.setdefault(name, []).append({k: float(v) for k, v in (f.split("=") for f in fields)})
print(f"\nMCP tools/call benchmark; medians of the rounds")
print(f"{'target':<16} {'requests/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'non-2xx':>8}")
for name, rounds in runs.items():
    med = lambda key: statistics.median(r[key] for r in rounds)
    print(f"{name:<16} {med('rps'):>11.0f} {med('p50_us') / 1e3:>8.2f} {med('p99_us') / 1e3:>8.2f} "
          f"{sum(r['errors'] for r in rounds):>7.0f} {sum(r['non2xx'] for r in rounds):>8.0f}")
for transport in ("http", "stdio"):
  for sdk, label in (("sdk", "SDK v2"), ("sdk1", "SDK v1")):
    ours, theirs = runs[f"{transport}_secpilot"], runs[f"{transport}_{sdk}"]
    ratios = [a["rps"] / b["rps"] for a, b in zip(ours, theirs)]
    ratio = statistics.median(ratios)
    verdict = ("within budget" if ratio >= budget else "OVER BUDGET") if transport == "http" \
        else "(reference: the budget is for Streamable HTTP)"
    print(f"ratio {transport} secpilot/{label} = {ratio:.1f} (per round "
          f"{', '.join(f'{r:.1f}' for r in ratios)}; budget >= {budget:g}) {verdict}")
bad = [n for n, rs in runs.items() if any(r["errors"] or r["non2xx"] for r in rs)]
if bad:
    print(f"WARNING: {', '.join(bad)} had errors: those numbers are not valid")
EOF
