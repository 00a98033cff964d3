#!/usr/bin/env bash
# Multi-WAN (issue 17): one router aggregating one download across its own lines, on real kernel
# TCP, against the lines' measured sum and against what a flow-level balancer gives one download.
#
# Test bed, in network namespaces this script makes and deletes:
#
#     router ── wan1 (tbf RATE1) ──┐
#      (bamqp,  wan2 (tbf RATE2) ──┼── origin: nginx, one file on 10.79.0.1
#       curl)   wan3 (tbf RATE3) ──┘
#
# Each line has its own address on the router; deploy/multiwan.sh routes each address out of its
# line (a rule and a table per line), wan1 is the primary (the main table's default route).
# Per run, for 2 lines and for 3 lines (a fresh node each):
#   lines      each line alone (curl --interface ADDRESS from the router): the measured sum
#   flow       what a flow-level balancer gives one download: the fastest line alone
#   bamqp      one download through bamqp with wan.lines: efficiency = goodput / measured sum
#   unplug     the same with the last line unplugged (`ip link set wanN down`) at 40% of the
#              expected time: intact?, and T-repair = the time lost against an instant failover,
#              i.e. total - (t_unplug + bytes left at t_unplug / the remaining lines' measured sum)
# Every download is checked byte for byte (sha256) against the file. Prints medians.
#
# Usage: sudo bench/multiwan.sh [--runs N] [--size MiB] [--rates R1,R2,R3] [--lines "2 3"]
#                               [--node-log FILE]
#   defaults: 3 runs, 128 MiB, 40,30,20 Mbit/s, 2 then 3 lines; --node-log keeps the nodes' log
# Needs: root, iproute2 (ip, tc), nginx, curl, python3, java 17+, maven
set -euo pipefail
bench=multiwan
# shellcheck source=lib/testbed.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/testbed.sh"

runs=3
size_mib=128
rates=40,30,20
counts="2 3"
node_log=""
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --size) size_mib="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --lines) counts="$2"; shift 2 ;;
    --node-log) node_log="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "multiwan: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
need_root
need_tools ip tc nginx curl java mvn sha256sum python3
IFS=, read -r -a line_rates <<<"$rates"
((${#line_rates[@]} == 3)) || { echo "multiwan: --rates needs three rates" >&2; exit 2; }

tb_init "mw$$"
router="$tag-r"
tb_keep() { [[ -z $node_log ]] || cp "$work/node.log" "$node_log" 2>/dev/null; }
jar="$here/proxy/target/bamqp.jar"

(cd "$here" && ./bamqp --help >/dev/null)

# --- test bed (bench/lib/testbed.sh) -------------------------------------------------------------
in_r() { in_ns r "$@"; }
addr() { echo "10.78.$1.2"; }
gw() { echo "10.78.$1.1"; }
add_ns r
add_ns origin
specs=()
for i in 1 2 3; do
  add_line r "wan$i" "$i" "${line_rates[$((i - 1))]}"
  specs+=("$((100 + i)):wan$i:$(addr "$i"):$(gw "$i")")
done
in_r ip route add default via "$(gw 1)"
in_r sh "$here/deploy/multiwan.sh" up "${specs[@]}"
start_origin "$size_mib" r

# One download from the router; prints "bytes seconds"; fails unless the bytes are the file's.
fetch_r() { fetch_with r "($1)" "$1" "$2" "$3"; } # curl options, path, sha

node_yaml() { # number of lines
  echo "proxy: {listen: 127.0.0.1:3128, allowedClients: [127.0.0.0/8]}"
  echo "wan:"
  echo "  lines:"
  for ((i = 1; i <= $1; i++)); do
    echo "    - {name: wan$i, bindAddress: $(addr "$i"), rateMbps: ${line_rates[$((i - 1))]}}"
  done
  cat <<EOF2
aggregation: {minBytes: 1MiB}
peer: {listen: 127.0.0.1:7432}
discovery: {mdns: false}
security: {allowDestinations: [$origin_ip/32]}
stats: {listen: 127.0.0.1:8088}
state: {dir: $work/state}
log: {level: info}
EOF2
}
the_node=""
start_node() { # number of lines
  node_yaml "$1" >"$work/node.yaml"
  [[ -f $work/state/identity.key ]] || java -jar "$jar" keygen --config "$work/node.yaml" >/dev/null
  # Not through in_r: $! must be the JVM itself (ip netns exec execs it), or stop_node misses it.
  ip netns exec "$router" java -jar "$jar" run --config "$work/node.yaml" >>"$work/node.log" 2>&1 &
  the_node=$!
  pids+=("$the_node")
  for _ in $(seq 300); do in_r bash -c "echo >/dev/tcp/127.0.0.1/3128" 2>/dev/null && return 0; sleep 0.1; done
  fail "the node did not start: $(tail -5 "$work/node.log")"
}
stop_node() {
  kill "$the_node" 2>/dev/null || true
  wait "$the_node" 2>/dev/null || true
  for _ in $(seq 100); do in_r bash -c "echo >/dev/tcp/127.0.0.1/3128" 2>/dev/null || return 0; sleep 0.1; done
  fail "the node still listens after it was stopped"
}
sources() { # who carried the last download of the file
  sleep 1
  in_r curl -s http://127.0.0.1:8088/api/downloads | python3 -c '
import json, sys
d = [x for x in json.load(sys.stdin)["history"] if x["size"] == int(sys.argv[1])]
if d:
    last = max(d, key=lambda x: x["startedAtMillis"])
    print(", ".join("%s %.1f MiB" % (s["name"], s["bytes"] / 1048576) for s in last["sources"]))
' "$((size_mib * 1048576))" || true
}

echo "bamqp multi-WAN benchmark on kernel-shaped lines, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r), $(java -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lines (Mbit/s, tbf): ${line_rates[*]}; file $size_mib MiB; runs $runs"

for ((run = 1; run <= runs; run++)); do
  alone=()
  for i in 1 2 3; do
    fetch_r "--interface $(addr "$i")" quarter.bin "$quarter_sha" >/dev/null # warm the path
    alone+=("$(fetch_r "--interface $(addr "$i")" quarter.bin "$quarter_sha" | mbps)")
  done
  for n in $counts; do
    sum=$(printf '%s\n' "${alone[@]:0:n}" | awk '{ s += $1 } END { print s }')
    fastest=$(printf '%s\n' "${alone[@]:0:n}" | sort -g | tail -1)
    start_node "$n"
    fetch_r "-x http://127.0.0.1:3128" quarter.bin "$quarter_sha" >/dev/null # JIT warm-up
    got=$(fetch_r "-x http://127.0.0.1:3128" file.bin "$file_sha" | mbps)
    record "sum$n" "$sum"
    record "flow$n" "$(awk -v f="$fastest" -v s="$sum" 'BEGIN { printf "%.3f", f / s }')"
    record "eff$n" "$(awk -v g="$got" -v s="$sum" 'BEGIN { printf "%.3f", g / s }')"
    echo "run $run, $n lines: alone ${alone[*]:0:n} (sum $sum) Mbit/s; bamqp $got Mbit/s; sources: $(sources)"

    # The last line unplugged at 40% of the expected time.
    rest=$(printf '%s\n' "${alone[@]:0:n-1}" | awk '{ s += $1 } END { print s }')
    at=$(awk -v m="$size_mib" -v s="$sum" 'BEGIN { printf "%.2f", 0.4 * m * 8.388608 / s }')
    out="$work/unplug.bin"
    t0=$(date +%s.%N)
    in_r curl -sS --fail -x http://127.0.0.1:3128 -o "$out" "http://$origin_ip/file.bin" &
    curl_pid=$!
    sleep "$at"
    t_unplug=$(date +%s.%N)
    have=$(stat -c %s "$out" 2>/dev/null || echo 0)
    in_r ip link set "wan$n" down
    wait "$curl_pid" || fail "the download with wan$n unplugged failed"
    t1=$(date +%s.%N)
    in_r ip link set "wan$n" up
    in_r sh "$here/deploy/multiwan.sh" up "${specs[$((n - 1))]}" # the link's routes went with it
    [[ $(sha256sum "$out" | cut -d' ' -f1) == "$file_sha" ]] || fail "unplugged: the bytes differ"
    rm -f "$out"
    repair=$(awk -v t0="$t0" -v tu="$t_unplug" -v t1="$t1" -v have="$have" -v size=$((size_mib * 1048576)) -v r="$rest" \
      'BEGIN { ideal = (tu - t0) + (size - have) * 8 / (r * 1e6); printf "%.2f", (t1 - t0) - ideal }')
    record "repair$n" "$repair"
    echo "run $run, $n lines, wan$n unplugged at ${at} s (${have} B in): intact, total $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s, T-repair $repair s; sources: $(sources)"
    stop_node
  done
done

echo
echo "medians of $runs runs:"
printf '| %-58s | %8s | %8s |\n' "what" "2 lines" "3 lines"
printf '|%s|%s|%s|\n' "------------------------------------------------------------" "----------" "----------"
printf '| %-58s | %8s | %8s |\n' "lines' measured sum, Mbit/s" "$(m sum2)" "$(m sum3)"
printf '| %-58s | %8s | %8s |\n' "bamqp, one download: efficiency (goodput / sum)" "$(m eff2)" "$(m eff3)"
printf '| %-58s | %8s | %8s |\n' "flow-level balancer, one download (fastest line / sum)" "$(m flow2)" "$(m flow3)"
printf '| %-58s | %8s | %8s |\n' "last line unplugged mid-way: intact, T-repair s" "$(m repair2)" "$(m repair3)"
