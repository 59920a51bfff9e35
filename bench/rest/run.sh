#!/usr/bin/env bash
# REST benchmark (DESIGN.md "Performance budgets"; docs/performance.md says what it measures).
#
# 1. Throughput and latency: secpilotd's POST /v1/skills/ThreatIntel.LookupIndicator:invoke, with
#    keep-alive, against a bare Beast "hello" server (bench/rest/hello_server.cpp) loaded the same
#    way in the same run: same wrk, same connections, same duration, rounds interleaved. GET
#    /healthz on secpilotd is measured too, for reference, and, when the test plugin is built
#    (target misbehaving), POST Misbehaving.Echo:invoke: the same path with a skill that does no
#    work, which tells the host's cost from the sample plugin's. Budget: invoke >= 50% of hello's
#    requests/s, invoke p99 <= 10 ms. Each run also reports the CPU time per request of the server
#    and of wrk itself (both share the cores) and the load average.
#    With the test plugin Hostile built (target hostile), `invoke_crashing` is the invoke load again
#    while a second wrk calls Hostile.Segfault, whose runner crashes on every call and is started
#    again: the healthy skill's requests/s beside the crash loop, and how many crashes there were.
# 2. Idle memory: a fresh secpilotd with the sample plugins, after one request and a second of
#    idleness. Budget: VmRSS <= 30 MiB.
#
# usage: bench/rest/run.sh [-c CONNECTIONS] [-d SECONDS] [-r ROUNDS] [-t WRK_THREADS] [--no-build]
#   defaults: 32 connections, 10 s, 3 rounds, one wrk thread per core. PRESET=debug selects another
#   build preset (only "default" measures anything useful); BUILD_DIR=path uses that build folder
#   instead (configured RelWithDebInfo or Release). Installs wrk with apt-get if missing.
# Timings are reported, never asserted: the exit status is 0 whatever the verdicts.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PRESET=${PRESET:-default}
BUILD=${BUILD_DIR:-$ROOT/build/$PRESET}
CONNECTIONS=32
DURATION=10
ROUNDS=3
WRK_THREADS=$(nproc)
WARMUP=3
BUILD_FIRST=1
SKILL=ThreatIntel.LookupIndicator
INVOKE_BODY='{"inputs":{"indicator":"198.51.100.7"}}'
RATIO_BUDGET=0.50
P99_BUDGET_MS=10
RSS_BUDGET_MIB=30

HELP_LINES=2,19
source "$ROOT/bench/common.sh"
parse_options "$@"

# --- wrk -------------------------------------------------------------------------------------
ensure_wrk

# --- build -----------------------------------------------------------------------------------
if (( BUILD_FIRST )); then
  if [[ -n ${BUILD_DIR:-} ]]; then BUILD_ARGS=("$BUILD"); else BUILD_ARGS=(--preset "$PRESET"); fi
  # first-party-list: without a fresh list a rebuilt ThreatIntel is no longer trusted and runs in
  # a secpilot-runner process, which measures the runner instead of the daemon.
  cmake --build "${BUILD_ARGS[@]}" --target secpilotd hello_server threat-intel first-party-list >&2
  # The test plugin exists only when tests are configured (SECPILOT_BUILD_TESTS).
  cmake --build "${BUILD_ARGS[@]}" --target misbehaving >&2 ||
    say "no test plugin (target misbehaving): echo_invoke is skipped"
  cmake --build "${BUILD_ARGS[@]}" --target hostile secpilot-runner >&2 ||
    say "no test plugin (target hostile): invoke_crashing is skipped"
fi
SECPILOTD=$BUILD/bin/secpilotd
HELLO=$BUILD/bench/rest/hello_server
PLUGINS=$BUILD/plugins
MISBEHAVING=$BUILD/test-plugins/misbehaving
HOSTILE=$BUILD/test-plugins/hostile
for f in "$SECPILOTD" "$HELLO" "$PLUGINS/threat-intel/threat-intel.yaml"; do
  [[ -e $f ]] || { say "run.sh: $f is missing: build first"; exit 1; }
done

# --- processes -------------------------------------------------------------------------------
WORK=$(mktemp -d "${TMPDIR:-/tmp}/secpilot-rest-bench.XXXXXX")
# A copy of the plugins, so that a rebuild during the run does not make the daemon reload.
cp -a "$PLUGINS" "$WORK/plugins"
TARGETS=(hello invoke healthz)
EXTRA_PLUGINS=()
if [[ -e $MISBEHAVING ]]; then
  cp -a "$MISBEHAVING" "$WORK/misbehaving"
  EXTRA_PLUGINS+=(--plugins-dir "$WORK/misbehaving")
  TARGETS+=(echo_invoke)
fi
if [[ -e $HOSTILE && -x $BUILD/bin/secpilot-runner ]]; then
  cp -a "$HOSTILE" "$WORK/hostile"
  EXTRA_PLUGINS+=(--plugins-dir "$WORK/hostile")
  TARGETS+=(invoke_crashing)
fi
cat >"$WORK/secpilotd.yaml" <<EOF
# The defaults, except for what a load test needs: no per-key rate limit. (The other limits do
# not bind here: max_concurrent_evaluations counts prompts, not direct invocations, and starts
# that many threads, so it stays at its default for the memory measurement.)
store: { path: $WORK/secpilot.db }
limits:
  rate_limit_per_minute: 0
# Hostile's runner (invoke_crashing) is started again soon after each crash, so that it crashes
# many times a second instead of backing off to 30 s. The test plugin Misbehaving (echo_invoke)
# stays in process, as the sample plugins do (trusted by the first-party list), so that
# echo_invoke measures the host's own path beside invoke.
security:
  runner: { restart_backoff_ms: 5, restart_backoff_max_ms: 20 }
  isolation_overrides: { Misbehaving: in_process }
EOF
KEY=$("$SECPILOTD" --config "$WORK/secpilotd.yaml" --create-key bench --role owner 2>/dev/null)

start hello "$HELLO"
HELLO_PID=$PID HELLO_PORT=$PORT
start secpilotd "$SECPILOTD" --config "$WORK/secpilotd.yaml" --listen 127.0.0.1:0 \
  --plugins-dir "$WORK/plugins" "${EXTRA_PLUGINS[@]}"
DAEMON_PID=$PID DAEMON_PORT=$PORT

HELLO_URL=http://127.0.0.1:$HELLO_PORT/
INVOKE_URL=http://127.0.0.1:$DAEMON_PORT/v1/skills/$SKILL:invoke
HEALTH_URL=http://127.0.0.1:$DAEMON_PORT/healthz
ECHO_URL=http://127.0.0.1:$DAEMON_PORT/v1/skills/Misbehaving.Echo:invoke
ECHO_BODY='{"inputs":{"text":"198.51.100.7"}}'
CRASH_URL=http://127.0.0.1:$DAEMON_PORT/v1/skills/Hostile.Segfault:invoke

# One request each, checked, before any load.
check() {
  local status
  status=$(curl -s -o "$WORK/check.body" -w '%{http_code}' "$@")
  if [[ $status != 200 ]]; then
    say "run.sh: $* answered $status:"; cat "$WORK/check.body" >&2; say ""; exit 1
  fi
}
check "$HELLO_URL"
check -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$INVOKE_BODY" \
  "$INVOKE_URL"
say "invoke answers: $(head -c 200 "$WORK/check.body")..."
# The sample plugin must run in the daemon's process, as shipped: out of process (a stale
# first-party list, an isolation override) this would measure secpilot-runner instead.
check -H "Authorization: Bearer $KEY" "http://127.0.0.1:$DAEMON_PORT/v1/plugins/ThreatIntel"
if ! grep -q '"placement":"in_process"' "$WORK/check.body"; then
  say "run.sh: ThreatIntel does not run in process here (is build/.../share/secpilot/" \
    "first-party.sha256 stale?): $(grep -o '"placement":"[a-z_]*"' "$WORK/check.body")"
  exit 1
fi
check "$HEALTH_URL"
if [[ ${TARGETS[*]} == *echo_invoke* ]]; then
  check -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d "$ECHO_BODY" \
    "$ECHO_URL"
fi

# cpu_ticks PID: user + system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
TICK_US=$((1000000 / $(getconf CLK_TCK)))

# load NAME PID URL METHOD BODY KEY SECONDS: one wrk run against the server PID; prints wrk's
# RESULT line with the server's CPU time per request (user + system, all its threads), wrk's own
# CPU time per request (the load generator shares the cores: what it spends per request counts
# against the server's requests/s) and the 1-minute load average at the end appended.
load() {
  local name=$1 pid=$2 url=$3 method=$4 body=$5 key=$6 seconds=$7 line before after requests
  local wrk_ticks
  before=$(cpu_ticks "$pid")
  # wrk runs in a subshell that reaps it, so the subshell's children's CPU time is wrk's.
  wrk_ticks=$(
    BENCH_METHOD=$method BENCH_BODY=$body BENCH_KEY=$key \
      wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s \
      -s "$ROOT/bench/rest/request.lua" "$url" >"$WORK/wrk.out" || exit 1
    awk '{print $16 + $17}' "/proc/$BASHPID/stat"
  ) && line=$(grep '^RESULT' "$WORK/wrk.out") || {
    say "run.sh: wrk failed against $url"; cat "$WORK/wrk.out" >&2; exit 1; }
  if ! after=$(cpu_ticks "$pid" 2>/dev/null); then
    say "run.sh: the server under test ($name, pid $pid) died during the run; its last words:"
    tail -5 "$WORK"/*.err >&2
    exit 1
  fi
  requests=$(grep -o 'requests=[0-9]*' <<<"$line" | cut -d= -f2)
  (( requests > 0 )) || requests=1
  echo "$name $line server_cpu_us=$(( (after - before) * TICK_US / requests ))" \
    "wrk_cpu_us=$(( wrk_ticks * TICK_US / requests ))" "load1=$(cut -d' ' -f1 /proc/loadavg)"
}
hello() { load hello "$HELLO_PID" "$HELLO_URL" GET "" "" "$1"; }
invoke() { load invoke "$DAEMON_PID" "$INVOKE_URL" POST "$INVOKE_BODY" "$KEY" "$1"; }
healthz() { load healthz "$DAEMON_PID" "$HEALTH_URL" GET "" "" "$1"; }
echo_invoke() { load echo_invoke "$DAEMON_PID" "$ECHO_URL" POST "$ECHO_BODY" "$KEY" "$1"; }
# The daemon logs one warning per runner failure ("...; N failures in a row; next start in...").
crash_count() { grep -c 'failures in a row' "$WORK/secpilotd.err" || true; }
invoke_crashing() {
  local before line crasher
  before=$(crash_count)
  BENCH_METHOD=POST BENCH_BODY='{"inputs":{}}' BENCH_KEY=$KEY \
    wrk -t 1 -c 1 -d "$(( $1 + 1 ))s" --timeout 5s -s "$ROOT/bench/rest/request.lua" \
    "$CRASH_URL" >"$WORK/crasher.out" 2>&1 &
  crasher=$!
  line=$(load invoke_crashing "$DAEMON_PID" "$INVOKE_URL" POST "$INVOKE_BODY" "$KEY" "$1")
  wait "$crasher" || true
  echo "$line crashes=$(( $(crash_count) - before ))"
}

say "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
say "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
say "warm-up: ${WARMUP} s each"
run_rounds "$WARMUP" "$CONNECTIONS connections, $WRK_THREADS wrk threads"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
LOADED_RSS=$(grep -E '^(VmRSS|VmHWM)' "/proc/$DAEMON_PID/status" | tr -s ' \t' ' ' | paste -sd' ')

# --- idle memory -----------------------------------------------------------------------------
kill -TERM "$DAEMON_PID" "$HELLO_PID"
wait "$DAEMON_PID" "$HELLO_PID" 2>/dev/null || true
PIDS=()
start idle "$SECPILOTD" --config "$WORK/secpilotd.yaml" --listen 127.0.0.1:0 \
  --plugins-dir "$WORK/plugins"
IDLE_PID=$PID
curl -s -o /dev/null -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d "$INVOKE_BODY" "http://127.0.0.1:$PORT/v1/skills/$SKILL:invoke"
sleep 1
IDLE_STATUS=$(grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem|Threads)' "/proc/$IDLE_PID/status")

# --- summary ---------------------------------------------------------------------------------
python3 - "$RESULTS" "$RATIO_BUDGET" "$P99_BUDGET_MS" "$RSS_BUDGET_MIB" \
  "$CONNECTIONS" "$DURATION" "$ROUNDS" "$WRK_THREADS" "$LOAD_AFTER" "$LOADED_RSS" \
  "$IDLE_STATUS" <<'EOF'
import statistics, sys
(path, ratio_budget, p99_budget, rss_budget, connections, duration, rounds, wrk_threads,
 load_after, loaded_rss, idle_status) = sys.argv[1:]
ratio_budget, p99_budget, rss_budget = float(ratio_budget), float(p99_budget), float(rss_budget)
runs = {}
for line in open(path):
    name, _, *fields = line.split()
    runs.setdefault(name, []).append({k: float(v) for k, v in (f.split("=") for f in fields)})
med = lambda name, key: statistics.median(r[key] for r in runs[name])
TARGETS = ("hello", "invoke", "healthz", "echo_invoke", "invoke_crashing")
print(f"\nREST benchmark: {connections} connections, {wrk_threads} wrk threads, {duration} s, "
      f"{rounds} interleaved rounds; medians of the rounds (load average after: {load_after})")
print(f"{'target':<15} {'requests/s':>11} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} "
      f"{'errors':>7} {'non-2xx':>8} {'server CPU/req':>15} {'wrk CPU/req':>12}")
for name in [n for n in TARGETS if n in runs]:
    errors = sum(r["errors"] for r in runs[name])
    non2xx = sum(r["non2xx"] for r in runs[name])
    print(f"{name:<15} {med(name, 'rps'):>11.0f} {med(name, 'p50_us') / 1e3:>8.2f} "
          f"{med(name, 'p90_us') / 1e3:>8.2f} {med(name, 'p99_us') / 1e3:>8.2f} "
          f"{errors:>7.0f} {non2xx:>8.0f} {med(name, 'server_cpu_us'):>12.0f} us "
          f"{med(name, 'wrk_cpu_us'):>9.0f} us")
print("per round (requests/s, server / wrk CPU per request in us, load average at the end):")
for name in [n for n in TARGETS if n in runs]:
    print(f"  {name:<15} " + "; ".join(
        f"{r['rps']:.0f} {r['server_cpu_us']:.0f}/{r['wrk_cpu_us']:.0f} load {r['load1']:.1f}"
        for r in runs[name]))
bad = [n for n in runs if any(r["errors"] or r["non2xx"] for r in runs[n])]
if bad:
    print(f"WARNING: {', '.join(bad)} had errors or non-2xx answers: those numbers are not valid")
ratios = [i["rps"] / h["rps"] for h, i in zip(runs["hello"], runs["invoke"])]
health = [i["rps"] / h["rps"] for h, i in zip(runs["hello"], runs["healthz"])]
ratio = statistics.median(ratios)
p99 = max(r["p99_us"] for r in runs["invoke"]) / 1e3
verdict = lambda ok: "within budget" if ok else "OVER BUDGET"
print(f"ratio invoke/hello  = {ratio:.2f} (per round {', '.join(f'{r:.2f}' for r in ratios)}; "
      f"budget >= {ratio_budget:.2f}) {verdict(ratio >= ratio_budget)}")
print(f"ratio healthz/hello = {statistics.median(health):.2f} (reference)")
if "echo_invoke" in runs:
    echo = [i["rps"] / h["rps"] for h, i in zip(runs["hello"], runs["echo_invoke"])]
    print(f"ratio echo_invoke/hello = {statistics.median(echo):.2f} (reference: the invoke path "
          f"with Misbehaving.Echo, a skill that does no work)")
if "invoke_crashing" in runs:
    beside = [c["rps"] / i["rps"] for i, c in zip(runs["invoke"], runs["invoke_crashing"])]
    crashes = [c["crashes"] / c["seconds"] for c in runs["invoke_crashing"]]
    print(f"ratio invoke_crashing/invoke = {statistics.median(beside):.2f} (per round "
          f"{', '.join(f'{r:.2f}' for r in beside)}): ThreatIntel's requests/s while Hostile's "
          f"runner crashes {statistics.median(crashes):.0f} times a second beside it")
print(f"invoke p99          = {p99:.2f} ms, worst round (budget <= {p99_budget:g} ms) "
      f"{verdict(p99 <= p99_budget)}")
print(f"daemon after the load: {loaded_rss}")
fields = dict(l.split(":", 1) for l in idle_status.splitlines())
kib = lambda k: float(fields[k].split()[0])
rss = kib("VmRSS") / 1024
print(f"idle daemon (sample plugins, one request, 1 s idle): VmRSS {rss:.1f} MiB "
      f"(anon {kib('RssAnon') / 1024:.1f}, file {kib('RssFile') / 1024:.1f}, "
      f"shmem {kib('RssShmem') / 1024:.1f}; {fields['Threads'].strip()} threads) "
      f"(budget <= {rss_budget:g} MiB) {verdict(rss <= rss_budget)}")
EOF
