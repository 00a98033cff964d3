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
if [[ $(id -u) -ne 0 ]]; then
  echo "multiwan: skipped: needs root for network namespaces and tc (run it with sudo)"
  exit 0
fi
for tool in ip tc nginx curl java mvn sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "multiwan: $tool is missing (see the header of $0)" >&2; exit 1; }
done
IFS=, read -r -a line_rates <<<"$rates"
((${#line_rates[@]} == 3)) || { echo "multiwan: --rates needs three rates" >&2; exit 2; }

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/proxy/target/bamqp.jar"
tag="mw$$"
router="$tag-r"
origin="$tag-o"
origin_ip=10.79.0.1
work="$(mktemp -d /dev/shm/bamqp-multiwan.XXXXXX)"
chmod 755 "$work"
pids=()

cleanup() {
  [[ -z $node_log ]] || cp "$work/node.log" "$node_log" 2>/dev/null || true
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "$router" "$origin"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; done
  for ns in "$router" "$origin"; do ip netns del "$ns" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' TERM INT
fail() { echo "multiwan: $*" >&2; kill -TERM $$; exit 1; }

(cd "$here" && ./bamqp --help >/dev/null)

# --- test bed ----------------------------------------------------------------------------------
in_r() { ip netns exec "$router" "$@"; }
in_o() { ip netns exec "$origin" "$@"; }
addr() { echo "10.78.$1.2"; }
gw() { echo "10.78.$1.1"; }
ip netns add "$router"
ip netns add "$origin"
in_r ip link set lo up
in_o ip link set lo up
in_o ip addr add "$origin_ip/32" dev lo
specs=()
for i in 1 2 3; do
  ip link add "${tag}w$i" netns "$origin" type veth peer name "wan$i" netns "$router"
  in_o ip addr add "$(gw "$i")/24" dev "${tag}w$i"
  in_o ip link set "${tag}w$i" up
  in_r ip addr add "$(addr "$i")/24" dev "wan$i"
  in_r ip link set "wan$i" up
  rate=${line_rates[$((i - 1))]}
  burst=$((rate * 1000000 / 8 / 250))
  ((burst >= 16000)) || burst=16000
  in_o tc qdisc add dev "${tag}w$i" root tbf rate "${rate}mbit" burst "$burst" latency 20ms
  in_r tc qdisc add dev "wan$i" root tbf rate "${rate}mbit" burst "$burst" latency 20ms
  specs+=("$((100 + i)):wan$i:$(addr "$i"):$(gw "$i")")
done
in_r ip route add default via "$(gw 1)"
in_r sh "$here/deploy/multiwan.sh" up "${specs[@]}"

mkdir -p "$work/www" "$work/nginx"
head -c "$((size_mib * 1048576))" /dev/urandom >"$work/www/file.bin"
head -c "$((size_mib * 1048576 / 4))" "$work/www/file.bin" >"$work/www/quarter.bin"
file_sha=$(sha256sum "$work/www/file.bin" | cut -d' ' -f1)
quarter_sha=$(sha256sum "$work/www/quarter.bin" | cut -d' ' -f1)
cat >"$work/nginx/nginx.conf" <<EOF2
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server { listen $origin_ip:80; root $work/www; }
}
EOF2
in_o nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
pids+=($!)
for _ in $(seq 100); do in_r bash -c "echo >/dev/tcp/$origin_ip/80" 2>/dev/null && break; sleep 0.1; done

# One download; prints "bytes seconds"; fails unless the bytes are the file's.
fetch() { # curl options, path, sha
  local id="$BASHPID.$RANDOM"
  # shellcheck disable=SC2086 # the options are a list
  in_r bash -c "set -o pipefail; curl -sS --fail $1 -w '%{stderr}%{size_download} %{time_total}\n' \
    'http://$origin_ip/$2' 2>'$work/w.$id' | sha256sum | cut -d' ' -f1 >'$work/s.$id'" \
    || fail "download of $2 ($1) failed: $(cat "$work/w.$id")"
  [[ $(cat "$work/s.$id") == "$3" ]] || fail "the bytes of $2 ($1) differ from the file's"
  tail -n1 "$work/w.$id"
  rm -f "$work/w.$id" "$work/s.$id"
}
mbps() { awk '{ printf "%.1f", $1 * 8 / $2 / 1e6 }'; }

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
node_pid=""
start_node() { # number of lines
  node_yaml "$1" >"$work/node.yaml"
  [[ -f $work/state/identity.key ]] || java -jar "$jar" keygen --config "$work/node.yaml" >/dev/null
  # Not through in_r: $! must be the JVM itself (ip netns exec execs it), or stop_node misses it.
  ip netns exec "$router" java -jar "$jar" run --config "$work/node.yaml" >>"$work/node.log" 2>&1 &
  node_pid=$!
  pids+=("$node_pid")
  for _ in $(seq 300); do in_r bash -c "echo >/dev/tcp/127.0.0.1/3128" 2>/dev/null && return 0; sleep 0.1; done
  fail "the node did not start: $(tail -5 "$work/node.log")"
}
stop_node() {
  kill "$node_pid" 2>/dev/null || true
  wait "$node_pid" 2>/dev/null || true
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

declare -A results
record() { results[$1]+="$2"$'\n'; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }

echo "bamqp multi-WAN benchmark on kernel-shaped lines, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r), $(java -version 2>&1 | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lines (Mbit/s, tbf): ${line_rates[*]}; file $size_mib MiB; runs $runs"

for ((run = 1; run <= runs; run++)); do
  alone=()
  for i in 1 2 3; do
    fetch "--interface $(addr "$i")" quarter.bin "$quarter_sha" >/dev/null # warm the path
    alone+=("$(fetch "--interface $(addr "$i")" quarter.bin "$quarter_sha" | mbps)")
  done
  for n in $counts; do
    sum=$(printf '%s\n' "${alone[@]:0:n}" | awk '{ s += $1 } END { print s }')
    fastest=$(printf '%s\n' "${alone[@]:0:n}" | sort -g | tail -1)
    start_node "$n"
    fetch "-x http://127.0.0.1:3128" quarter.bin "$quarter_sha" >/dev/null # JIT warm-up
    got=$(fetch "-x http://127.0.0.1:3128" file.bin "$file_sha" | mbps)
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

m() { printf "%s" "${results[$1]:-}" | median; }
echo
echo "medians of $runs runs:"
printf '| %-58s | %8s | %8s |\n' "what" "2 lines" "3 lines"
printf '|%s|%s|%s|\n' "------------------------------------------------------------" "----------" "----------"
printf '| %-58s | %8s | %8s |\n' "lines' measured sum, Mbit/s" "$(m sum2)" "$(m sum3)"
printf '| %-58s | %8s | %8s |\n' "bamqp, one download: efficiency (goodput / sum)" "$(m eff2)" "$(m eff3)"
printf '| %-58s | %8s | %8s |\n' "flow-level balancer, one download (fastest line / sum)" "$(m flow2)" "$(m flow3)"
printf '| %-58s | %8s | %8s |\n' "last line unplugged mid-way: intact, T-repair s" "$(m repair2)" "$(m repair3)"
