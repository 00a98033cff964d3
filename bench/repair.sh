#!/usr/bin/env bash
# T-repair (issue 14): one steady aggregated download on four shaped 20 Mbit/s lines, one helper
# killed once 6 s in, and the time until the delivered rate is back at the survivors' measured sum.
# Two ways to die: "reset" (its link's connections get an RST, new ones are refused, its node is
# closed) and "blackhole" (its link carries nothing more and closes nothing). Runner:
# io.bamqp.it.bench.RepairBench (origin, routers and client in one JVM, as in the demo).
#
# Usage: bench/repair.sh [RUNS=5] [reset|blackhole ...]
# Needs: java 17+, maven
set -euo pipefail
runs="${1:-5}"
shift || true
[[ "$runs" =~ ^[0-9]+$ && "$runs" -ge 1 ]] || { echo "repair: RUNS must be a positive integer, not '$runs'" >&2; exit 2; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "repair: $tool is missing (see the header of $0)" >&2; exit 1; }
done
(cd "$here" && mvn -B -q ${MVN_FLAGS:-} -pl integration-tests -am -DskipTests -Dspotless.check.skip=true \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test \
  test-compile dependency:build-classpath)
it="$here/integration-tests/target"
classpath="$it/test-classes:$it/classes:$(cat "$it/bench.classpath")"
echo "bamqp T-repair, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$here" && git diff --quiet HEAD 2>/dev/null || echo ' (with local changes)')"
echo "machine: $(nproc) CPUs ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -sr), $(java -version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp "$classpath" io.bamqp.it.bench.RepairBench "$runs" "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
