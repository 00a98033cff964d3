#!/usr/bin/env bash
# Measures a bamqp runtime image: its size, the node's start-up time to its start line (median of
# N runs) with the image's AppCDS archive (appcds), with only the JDK's base archive (base), with
# no CDS (off), and the same jar on the machine's full JDK (jdk-jar, if there is a java), and its
# idle RSS 5 s after the start line. Loopback only (ephemeral ports, mDNS off), the service's
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

# One start of "$2 ..." with extra JVM flags $1: prints "<ms from exec to the start line> <VmRSS
# kB 5 s later>". bin/bamqp takes the flags from BAMQP_JAVA_OPTS, a plain java on its command line.
start_once() {
  local log="$work/run.log" flags="-Xmx128m -XX:+UseSerialGC $1" t0 line stamp t1 rss
  shift
  : >"$log"
  t0=$(date +%s%3N)
  if [[ $1 == */bin/bamqp ]]; then
    BAMQP_JAVA_OPTS="$flags" "$@" run --config "$work/bamqp.yaml" >"$log" 2>&1 &
  else
    # shellcheck disable=SC2086
    "$1" $flags "${@:2}" run --config "$work/bamqp.yaml" >"$log" 2>&1 &
  fi
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
# The modes take turns, run after run, so a change in the machine's load hits them alike.
modes=(appcds base off)
system_java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if command -v "$system_java" >/dev/null; then modes+=(jdk-jar); fi
declare -A results
for _ in $(seq "$runs"); do
  for mode in "${modes[@]}"; do
    case $mode in
    appcds) results[$mode]+="$(start_once "" "$image/bin/bamqp")"$'\n' ;;
    base) results[$mode]+="$(start_once "-XX:SharedArchiveFile=$image/runtime/lib/server/classes.jsa" "$image/bin/bamqp")"$'\n' ;;
    off) results[$mode]+="$(start_once "-Xshare:off" "$image/bin/bamqp")"$'\n' ;;
    jdk-jar) results[$mode]+="$(start_once "" "$system_java" -jar "$image/lib/bamqp.jar")"$'\n' ;;
    esac
  done
done
for mode in "${modes[@]}"; do
  lines=$(printf '%s' "${results[$mode]}")
  ms=$(cut -d' ' -f1 <<<"$lines" | median)
  kb=$(cut -d' ' -f2 <<<"$lines" | median)
  printf '%-7s start-up median %5d ms (%s), idle RSS median %d MiB\n' "$mode" "$ms" \
    "$(cut -d' ' -f1 <<<"$lines" | tr '\n' ' ' | sed 's/ $//')" $((kb / 1024))
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
