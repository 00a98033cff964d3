#!/usr/bin/env bash
# Own clients first (issue 4): router 2 is a helper whose line (20 Mbit/s, 20 ms, shaped by the
# test-bed origin per source address) also serves its own client. For each of RUNS runs, the own
# client's curl download through router 2's proxy (a file of about 8 s on that line) is timed
# alone, then again while router 1's client runs an aggregated download that router 2 helps with
# over the same line. Reports the with-neighbor throughput as a ratio of the solo figure (goal
# >= 0.90), medians of RUNS, and what the neighbor still got on router 2's line meanwhile (its
# floor, sharing.yieldFloorMbps). Both routers run in the runner's JVM. Every own download is
# checked byte for byte against the origin's content.
#
# Usage: bench/fairness.sh [RUNS=5]
# Needs: java 17+, maven, curl   (Debian: apt-get install curl)
set -euo pipefail
runs="${1:-5}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the header of $0)" >&2; exit 1; }
done

work="$(mktemp -d /dev/shm/bamqp-fairness.XXXXXX)"
cleanup() {
  [[ -n "${bench_pid:-}" ]] && kill "$bench_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- build: the runner's classpath (both routers, the origin) ---------------------------------
(cd "$here" && mvn -B -q -pl integration-tests -am -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test \
  test-compile dependency:build-classpath)
it="$here/integration-tests/target"
classpath="$it/test-classes:$it/classes:$(cat "$it/bench.classpath")"

# --- run ---------------------------------------------------------------------------------------
echo "bamqp fairness benchmark, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)," \
  "$(java -version 2>&1 | head -1), $(curl --version | head -1 | cut -d' ' -f1-2)"
java -cp "$classpath" io.bamqp.it.bench.FairnessBench "$runs" "$work" &
bench_pid=$!
wait "$bench_pid" || { status=$?; echo "bench: failed" >&2; exit "$status"; }
bench_pid=
