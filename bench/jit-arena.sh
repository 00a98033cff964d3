#!/usr/bin/env bash
# What the JIT's compilations of Ed25519 verification cost in memory (issue 12), with and without
# the -XX:CompileCommand lines of jvm.options (read from the file: the variant "calls"). A JVM
# verifies one BouncyCastle Ed25519 signature in a loop for SECONDS; twice a second this script
# reads its NMT "Arena Chunk" (the compilers' working memory) and at the end its peak RSS (VmHWM)
# and its last time per verification. Each variant runs RUNS times, one after the other; compare
# the variants of one run of this script.
#
# Usage: bench/jit-arena.sh [--runs N] [--seconds S]     (defaults: 3 runs of 25 s)
# Needs: java and javac 17+, jcmd, and proxy/target/bamqp.jar (./bamqp builds it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
seconds=25
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "jit-arena: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
jar="$here/proxy/target/bamqp.jar"
[[ -f $jar ]] || { echo "jit-arena: $jar is missing: run ./bamqp --version once to build it" >&2; exit 1; }
for tool in java javac jcmd; do
  command -v "$tool" >/dev/null || { echo "jit-arena: needs $tool (a JDK 17+)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" "$here/bench/jit/Ed25519Verify.java"
mapfile -t compile_commands < <(grep '^-XX:CompileCommand=' "$here/jvm.options")
((${#compile_commands[@]})) || { echo "jit-arena: jvm.options has no -XX:CompileCommand to compare" >&2; exit 1; }

one() { # prints: arena peak KiB, VmHWM KiB, last time per verification
  java -XX:NativeMemoryTracking=summary -XX:+UseSerialGC -Xmx64m "$@" -cp "$jar:$work" \
    Ed25519Verify "$seconds" >"$work/out" 2>&1 &
  pid=$!
  local arena=0 hwm=0 now
  while kill -0 "$pid" 2>/dev/null; do
    now=$(jcmd "$pid" VM.native_memory summary 2>/dev/null |
      awk '/Arena Chunk/ { gsub(/[^0-9]+/, " "); split($0, v, " "); print v[2] }') || true
    [[ -n $now ]] && ((now > arena)) && arena=$now
    now=$(awk '/VmHWM/ { print $2 }' /proc/"$pid"/status 2>/dev/null) || true
    [[ -n $now ]] && hwm=$now
    sleep 0.5
  done
  wait "$pid" || { echo "jit-arena: the verifying JVM failed:" >&2; cat "$work/out" >&2; exit 1; }
  echo "$arena $hwm $(tail -n1 "$work/out" | awk '{ print $(NF - 2) }')"
}

echo "jit-arena on $(java -version 2>&1 | head -1), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs"
echo "| variant | run | compiler arena peak, MiB | peak RSS, MiB | us per verification |"
echo "|---|---|---|---|---|"
for ((run = 1; run <= runs; run++)); do
  for variant in inlined calls; do
    opts=()
    [[ $variant == calls ]] && opts=("${compile_commands[@]}")
    read -r arena hwm us <<<"$(one "${opts[@]}")"
    echo "| $variant | $run | $((arena / 1024)) | $((hwm / 1024)) | $us |"
  done
done
