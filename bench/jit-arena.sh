#!/usr/bin/env bash
# What the JIT's compilations of Ed25519 cost (issue 12), with and without the -XX:CompileCommand
# lines of jvm.options (read from the file: the variant "calls"). A JVM signs (as a helper signs its
# chunks) or verifies (as a home checks them) one BouncyCastle Ed25519 signature in a loop for
# SECONDS; twice a second this script reads its NMT "Arena Chunk" (the compilers' working memory),
# and at the end its peak RSS (VmHWM), its last time per operation and the CPU seconds its JIT
# compiler threads used. Each variant runs RUNS times, one after the other; compare the variants of
# one run of this script.
#
# Usage: bench/jit-arena.sh [--runs N] [--seconds S] [--load verify|sign] [--try "OPTS"]
#   defaults: 3 runs of 25 s, verify; --try adds a variant "calls+try": jvm.options' lines and OPTS
#   (e.g. "-XX:CompileCommand=dontinline,org.bouncycastle.math.ec.rfc8032.Ed25519::*").
# Needs: java and javac 17+, jcmd, and proxy/target/bamqp.jar (./bamqp builds it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs=3
seconds=25
load=verify
try_opts=
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --seconds) seconds="$2"; shift 2 ;;
    --load) load="$2"; shift 2 ;;
    --try) try_opts="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "jit-arena: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ $load == sign || $load == verify ]] || { echo "jit-arena: --load is sign or verify, not $load" >&2; exit 2; }
jar="$here/proxy/target/bamqp.jar"
[[ -f $jar ]] || { echo "jit-arena: $jar is missing: run ./bamqp --version once to build it" >&2; exit 1; }
for tool in java javac jcmd; do
  command -v "$tool" >/dev/null || { echo "jit-arena: needs $tool (a JDK 17+)" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
javac -d "$work" -cp "$jar" "$here/bench/jit/Ed25519Load.java"
mapfile -t compile_commands < <(grep '^-XX:CompileCommand=' "$here/jvm.options")
((${#compile_commands[@]})) || { echo "jit-arena: jvm.options has no -XX:CompileCommand to compare" >&2; exit 1; }

one() { # prints: arena peak KiB, VmHWM KiB, last time per operation, compiler threads' CPU s
  java -XX:NativeMemoryTracking=summary -XX:+UseSerialGC -Xmx64m "$@" -cp "$jar:$work" \
    Ed25519Load "$seconds" "$load" >"$work/out" 2>&1 &
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
  wait "$pid" || { echo "jit-arena: the JVM running the $load load failed:" >&2; cat "$work/out" >&2; exit 1; }
  # the last line: "N signatures, T us each, compiler threads S s"
  echo "$arena $hwm $(tail -n1 "$work/out" | awk '{ print $3, $(NF - 1) }')"
}

echo "jit-arena on $(java -version 2>&1 | head -1), commit $(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) CPUs, load: $load${try_opts:+, try: $try_opts}"
echo "| variant | run | compiler arena peak, MiB | peak RSS, MiB | us per $load | JIT compiler threads, CPU s |"
echo "|---|---|---|---|---|---|"
variants=(inlined calls)
[[ -n $try_opts ]] && variants+=(calls+try)
read -r -a extra <<<"$try_opts"
for ((run = 1; run <= runs; run++)); do
  for variant in "${variants[@]}"; do
    opts=()
    [[ $variant == calls* ]] && opts=("${compile_commands[@]}")
    [[ $variant == calls+try ]] && opts+=("${extra[@]}")
    read -r arena hwm us jit <<<"$(one "${opts[@]}")"
    echo "| $variant | $run | $((arena / 1024)) | $((hwm / 1024)) | $us | $jit |"
  done
done
