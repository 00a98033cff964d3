#!/usr/bin/env bash
# Measures a bamqp runtime image: its size, the node's start-up time to its start line (median of
# N runs) with the image's AppCDS archive, with only the JDK's base archive and with no CDS, and
# its idle RSS 5 s after the start line. Loopback only (ephemeral ports, mDNS off), the service's
# JVM flags (-Xmx128m -XX:+UseSerialGC).
#   distribution/measure-image.sh [IMAGE_DIR] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
images=("$here"/target/bamqp-*/)
image="$(cd "${1:-${images[0]}}" && pwd)"
runs="${2:-5}"
work="$(mktemp -d "${TMPDIR:-/tmp}/bamqp-measure.XXXXXX")"
pid=
cleanup() {
  if [[ -n "$pid" ]]; then kill -9 "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/bamqp.yaml" <<YAML
proxy:
  listen: 127.0.0.1:0
peer:
  listen: 127.0.0.1:0
discovery:
  mdns: false
stats:
  listen: 127.0.0.1:0
state:
  dir: '$work/state'
YAML
"$image/bin/bamqp" keygen --config "$work/bamqp.yaml" >/dev/null

# One start: prints "<ms from exec to the start line> <VmRSS kB 5 s later>".
start_once() {
  local log="$work/run.log" t0 line stamp t1 rss
  : >"$log"
  t0=$(date +%s%3N)
  BAMQP_JAVA_OPTS="-Xmx128m -XX:+UseSerialGC $1" "$image/bin/bamqp" run --config "$work/bamqp.yaml" >"$log" 2>&1 &
  pid=$!
  until line=$(grep -m1 ' started as peer ID ' "$log"); do
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; exit 1; }
    sleep 0.05
  done
  stamp=${line%% *}
  t1=$(date -d "$stamp" +%s%3N)
  sleep 5
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
  kill -TERM "$pid"
  wait "$pid" || true
  pid=
  echo "$((t1 - t0)) $rss"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "image $image: $(du -sh "$image" | cut -f1) (runtime $(du -sh "$image/runtime" | cut -f1), lib/bamqp.jar $(du -sh "$image/lib/bamqp.jar" | cut -f1), lib/bamqp.jsa $(du -sh "$image/lib/bamqp.jsa" 2>/dev/null | cut -f1 || echo none))"
echo "runtime: $("$image/runtime/bin/java" -version 2>&1 | sed -n 2p)"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for mode in appcds base off; do
  case $mode in
  appcds) opts="" ;;
  base) opts="-XX:SharedArchiveFile=$image/runtime/lib/server/classes.jsa" ;;
  off) opts="-Xshare:off" ;;
  esac
  results=()
  for _ in $(seq "$runs"); do results+=("$(start_once "$opts")"); done
  ms=$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | median)
  kb=$(printf '%s\n' "${results[@]}" | cut -d' ' -f2 | median)
  printf '%-7s start-up median %5d ms (%s), idle RSS median %d MiB\n' "$mode" "$ms" \
    "$(printf '%s\n' "${results[@]}" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')" $((kb / 1024))
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
