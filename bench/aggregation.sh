#!/usr/bin/env bash
# Aggregation across neighbors (issue 3): four routers on loopback, each with its own shaped line
# (the test-bed origin shapes each source address 127.0.0.11-14, 20 ms to the origin). Router 1 is
# home and runs as its own JVM (bamqp.jar run), so its CPU time can be read from /proc/PID/stat;
# the origin and the three helpers run in the runner's JVM. For each scenario, RUNS times:
#   efficiency = delivered bytes / wall time / (sum of the lines' single-line goodputs),
# each line's goodput measured alone (curl bound to its address) in the same run. Scenarios:
# 4 equal lines; 8:4:2:1; router 2 closed at 50%; router 2's line halved at 50%; a 1 GiB file;
# and the 4-equal-lines file direct on router 1's line with curl and with aria2c -x4.
# Every download is checked byte for byte against the origin's content.
#
# Usage: bench/aggregation.sh [RUNS=3]
# Needs: java 17+, maven, curl, aria2c   (Debian: apt-get install curl aria2)
set -euo pipefail
runs="${1:-3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn curl aria2c getconf; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the header of $0)" >&2; exit 1; }
done

work="$(mktemp -d /dev/shm/bamqp-aggregation.XXXXXX)"
cleanup() {
  [[ -n "${bench_pid:-}" ]] && kill "$bench_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- build: the node's jar (home) and the runner's classpath (helpers, origin) ----------------
(cd "$here" && ./bamqp --help >/dev/null)
(cd "$here" && mvn -B -q -pl integration-tests -am -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test \
  test-compile dependency:build-classpath)
it="$here/integration-tests/target"
classpath="$it/test-classes:$it/classes:$(cat "$it/bench.classpath")"

# --- run ---------------------------------------------------------------------------------------
echo "bamqp aggregation benchmark, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(java -version 2>&1 | head -1), $(curl --version | head -1 | cut -d' ' -f1-2), $(aria2c --version | head -1)"
java -cp "$classpath" io.bamqp.it.bench.AggregationBench "$runs" "$here/proxy/target/bamqp.jar" "$work" &
bench_pid=$!
wait "$bench_pid" || { status=$?; echo "bench: failed; home node log:" >&2; tail -20 "$work/home.log" >&2 || true; exit "$status"; }
bench_pid=
