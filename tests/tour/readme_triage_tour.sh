#!/usr/bin/env bash
# Runs the README's triage tour exactly as written (its ```sh block under "A triage tour"), with
# its port and /tmp paths moved to a free port and a fresh folder, and checks what a reader would
# look for in the CISO report. Usage: readme_triage_tour.sh SOURCE_DIR BINARY_DIR
set -euo pipefail
source_dir=$1
binary_dir=$2
work=$(mktemp -d)
cleanup() {
  # The tour leaves the fakes and the daemon running in the background, in its process group.
  [ -n "${tour_pid:-}" ] && kill -TERM -- "-$tour_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# A port nobody listens on (a connection to it is refused), below the kernel's ephemeral range
# (32768 and up) so that no other test's outgoing connection or port-0 listener takes it meanwhile.
port=0
for _ in $(seq 50); do
  candidate=$((20000 + RANDOM % 12000))
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then port=$candidate; break; fi
done
[ "$port" != 0 ] || { echo "no free loopback port found"; exit 1; }
sed -n '/^### A triage tour/,/^## /p' "$source_dir/README.md" | sed -n '/^```sh$/,/^```$/p' |
  sed '1d;$d' | sed -e "s|/tmp/|$work/|g" -e "s|127.0.0.1:8490|127.0.0.1:$port|g" \
  -e "s|^B=build/default/bin|B=$binary_dir/bin|" -e "s|build/default/plugins|$binary_dir/plugins|g" \
  >"$work/tour.sh"
grep -q 'Incident.WriteReport' "$work/tour.sh" || { echo "no tour found in README.md"; exit 1; }

cd "$work"
# timeout runs the tour in a process group of its own and ends it, with what it started, when it
# outlasts its time: the failure then says where the tour stood instead of ctest's bare "Timeout".
timeout --kill-after=5 100 bash -e "$work/tour.sh" >"$work/out.txt" 2>"$work/err.txt" &
tour_pid=$!
status=0
wait "$tour_pid" || status=$?
if [ "$status" != 0 ]; then
  [ "$status" = 124 ] && echo "the tour did not finish within 100 s" || echo "the tour failed:"
  cat "$work/err.txt"; tail -40 "$work/out.txt"; exit 1
fi
report=$(sed -n '/^# Security incident briefing/,$p' "$work/out.txt")
fail=0
for expected in "mbp-fin-12" "jchen" "**High.**" "## Decisions needed"; do
  if ! grep -qF -- "$expected" <<<"$report"; then
    echo "the CISO report does not mention: $expected"; fail=1
  fi
done
grep -q '| 4127 |' "$work/out.txt" || { echo "the detection list lacks 4127"; fail=1; }
grep -q 'mbp-fin-12: macOS 13.6.1' "$work/out.txt" || { echo "Jamf.GetComputer's summary lacks macOS 13.6.1"; fail=1; }
# The free-text question was planned: the detection, then the Mac it names, looked up in Jamf.
grep -q '^2\. Jamf\.' "$work/out.txt" || { echo "the plan has no Jamf step after the detection"; fail=1; }
grep -q '^→ Jamf\.[A-Za-z]* {.*mbp-fin-12' "$work/out.txt" ||
  { echo "the planned Jamf step did not get the detection's Mac"; fail=1; }
[ "$fail" = 0 ] || { echo "--- report:"; echo "$report"; exit 1; }
echo "the README's triage tour ran and its CISO report names the Mac, the user and the risk"
