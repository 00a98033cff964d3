#!/usr/bin/env bash
# What spot checks cost (issue 14, finding 2b): the demo's four routers (lines of 40, 20, 10 and 10
# Mbit/s, 20 ms to the origin, a 48 MiB file) at each aggregation.spotCheckRatio given: fresh routers
# per run, one direct download, then DOWNLOADS aggregated ones (the first meets new neighbors).
# Prints time, speed-up, efficiency and each line's bytes beside what it carried for the client.
# Runner: io.bamqp.it.bench.SpotCheckBench (origin, routers and client in one JVM, as in the demo).
#
# Usage: bench/spot-checks.sh [RUNS=3] [DOWNLOADS=2] [RATIO...=0 1]
# Needs: java 17+, maven
set -euo pipefail
runs="${1:-3}"
downloads="${2:-2}"
shift 2 || shift $# || true
ratios=("$@")
[[ ${#ratios[@]} -gt 0 ]] || ratios=(0 1)
[[ "$runs" =~ ^[0-9]+$ && "$downloads" =~ ^[0-9]+$ ]] || { echo "spot-checks: RUNS and DOWNLOADS must be integers" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "spot-checks: $tool is missing (see the header of $0)" >&2; exit 1; }
done
(cd "$here" && mvn -B -q ${MVN_FLAGS:-} -pl integration-tests -am -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test \
  test-compile dependency:build-classpath)
it="$here/integration-tests/target"
classpath="$it/test-classes:$it/classes:$(cat "$it/bench.classpath")"
echo "bamqp spot-check cost, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$here" && git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(uname -sr), $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$classpath" io.bamqp.it.bench.SpotCheckBench "$runs" "$downloads" "${ratios[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
