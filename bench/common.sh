# Shared by the load benchmarks (bench/rest/run.sh, bench/mcp/run.sh), sourced after each sets
# its defaults (CONNECTIONS, DURATION, ROUNDS, WRK_THREADS, BUILD_FIRST) and HELP_LINES, the
# lines of its header that --help prints: the options they share, wrk, and the servers under
# test, which are stopped (and $WORK removed) when the script exits.

say() { printf '%s\n' "$*" >&2; }

# parse_options "$@": -c CONNECTIONS, -d SECONDS, -r ROUNDS, -t WRK_THREADS, --no-build, --help.
parse_options() {
  while [[ $# -gt 0 ]]; do
    case $1 in
      -c) CONNECTIONS=$2; shift 2 ;;
      -d) DURATION=$2; shift 2 ;;
      -r) ROUNDS=$2; shift 2 ;;
      -t) WRK_THREADS=$2; shift 2 ;;
      --no-build) BUILD_FIRST=0; shift ;;
      -h|--help) sed -n "${HELP_LINES}p" "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
      *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
  done
  if (( WRK_THREADS > CONNECTIONS )); then WRK_THREADS=$CONNECTIONS; fi
}

# Debian's wrk, installed when missing.
ensure_wrk() {
  command -v wrk >/dev/null && return 0
  say "wrk not found: installing it (apt-get install -y wrk)"
  if [[ $(id -u) -eq 0 ]]; then apt-get install -y wrk >/dev/null
  else sudo apt-get install -y wrk >/dev/null; fi
}

PIDS=()
stop_servers() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
trap 'stop_servers; rm -rf "${WORK:-}"' EXIT

# start NAME COMMAND...: runs it in the background with stdout in $WORK/NAME.out and waits for
# its "listening on port N" line; sets PID and PORT.
start() {
  local name=$1; shift
  "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
  PID=$!
  PIDS+=("$PID")
  for _ in $(seq 300); do
    if grep -q 'listening on port' "$WORK/$name.out" 2>/dev/null; then
      PORT=$(grep -o 'port [0-9]*' "$WORK/$name.out" | head -1 | cut -d' ' -f2)
      return 0
    fi
    kill -0 "$PID" 2>/dev/null || break
    sleep 0.1
  done
  say "run.sh: $name did not start:"; cat "$WORK/$name.err" >&2; exit 1
}

# run_rounds WARMUP DESCRIPTION: each function named in TARGETS for WARMUP seconds (results
# discarded), then ROUNDS rounds of all of them in turn for DURATION seconds each, so that a change
# in the machine's load hits every target; their RESULT lines go to $RESULTS ($WORK/results).
run_rounds() {
  local warmup=$1 description=$2 target round
  for target in "${TARGETS[@]}"; do "$target" "$warmup" >/dev/null; done
  RESULTS=$WORK/results
  : >"$RESULTS"
  for round in $(seq "$ROUNDS"); do
    say "round $round/$ROUNDS: $description, ${DURATION} s each"
    for target in "${TARGETS[@]}"; do
      "$target" "$DURATION" | tee -a "$RESULTS" | sed 's/^/  /' >&2
    done
  done
}
