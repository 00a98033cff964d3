#!/usr/bin/env bash
# Soak (issue 14): three nodes on loopback for a bounded time under a mix of downloads and faults.
# Home (127.0.0.11) and two helpers (.12, .13) each run as their own JVM (bamqp.jar run); the
# test-bed origin (in the runner's JVM) shapes each address's line. The home reaches each helper
# through a TCP relay, its "LAN link". Four download workers loop over files of 10-500 MB, reading
# fast, slowly or hanging up part-way, and one worker sends small requests; every byte received is
# compared with the origin's content. Every 40 s after a 30 s warm-up one fault, alternating: a
# helper killed (SIGKILL) and restarted 12 s later, or the other helper's LAN link cut for 12 s;
# 25 s into each cycle the origin resets responses on one line for 2 s. The report: downloads
# completed byte-exact / hung up by us / failed unexpectedly, OutOfMemoryError lines in the nodes'
# logs, the home's fds, threads and RSS in the first vs the last window (10 min, or a third of a
# shorter run), and T-repair after each kill and cut. Exits 1 if an invariant failed.
#
# Usage: bench/soak.sh [--minutes N] [--seed S]     (default 30 minutes, a random seed)
# Needs: java 17+, maven, getconf. MVN_FLAGS (e.g. -o for offline) is passed to the build.
set -euo pipefail
minutes=30
seed=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
    --seed) seed="${2:?--seed needs a number}"; shift 2 ;;
    *) echo "usage: $0 [--minutes N] [--seed S]" >&2; exit 2 ;;
  esac
done
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "soak: --minutes must be a number, not '$minutes'" >&2; exit 2; }
[[ -z "$seed" || "$seed" =~ ^-?[0-9]+$ ]] || { echo "soak: --seed must be an integer, not '$seed'" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn getconf; do
  command -v "$tool" >/dev/null || { echo "soak: $tool is missing (see the header of $0)" >&2; exit 1; }
done

work="$(mktemp -d /dev/shm/bamqp-soak.XXXXXX)"
cleanup() {
  # the runner stops its nodes on the way out; a node it could not stop is ended by its pid
  if [[ -n "${bench_pid:-}" ]]; then
    kill "$bench_pid" 2>/dev/null || true
    wait "$bench_pid" 2>/dev/null || true
  fi
  for file in "$work"/*.pid; do
    [[ -f "$file" ]] || continue
    pid="$(cat "$file")"
    if grep -qF "$work" "/proc/$pid/cmdline" 2>/dev/null; then kill -9 "$pid" 2>/dev/null || true; fi
  done
  [[ -n "${keep:-}" ]] && echo "soak: logs kept in $keep" >&2
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- build: the node's jar (the three nodes) and the runner's classpath (origin, clients) ------
(cd "$here" && ./bamqp --help >/dev/null)
(cd "$here" && mvn -B -q ${MVN_FLAGS:-} -pl integration-tests -am -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test \
  test-compile dependency:build-classpath)
it="$here/integration-tests/target"
classpath="$it/test-classes:$it/classes:$(cat "$it/bench.classpath")"

# --- run ---------------------------------------------------------------------------------------
echo "bamqp soak, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$here" && git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1)"
java -cp "$classpath" io.bamqp.it.bench.SoakBench "$minutes" "$here/proxy/target/bamqp.jar" "$work" $seed &
bench_pid=$!
status=0
wait "$bench_pid" || status=$?
if [[ $status -ne 0 ]]; then
  keep="$here/target/soak-logs-$(date -u +%Y%m%dT%H%M%S)"
  mkdir -p "$keep" && cp "$work"/*.log "$keep"/ 2>/dev/null || true
  echo "soak: exit $status; home log tail:" >&2
  tail -20 "$work/home.log" >&2 || true
fi
bench_pid=
exit "$status"
