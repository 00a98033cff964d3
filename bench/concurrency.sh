#!/usr/bin/env bash
# Many downloads at once, many homes per helper (issue 13), on real kernel TCP: how much of the
# lines' measured sum concurrent aggregated downloads get, how fairly two homes share two helpers,
# and what small requests pay while large downloads run.
#
# Test bed (bench/lib/testbed.sh), all in network namespaces this script makes and deletes:
#
#     client ──┐                       ┌── wan (tbf RATE0) ──┐
#       (curl, ├── LAN bridge ── home 1┘                     │
#        wrk)  ├──────────────── home 2 ─── wan (tbf RATE1) ─┤   origin: nginx on 10.79.0.1,
#              ├──────────────── helper 1 ─ wan (tbf RATE2) ─┤   reached by each router over
#              └──────────────── helper 2 ─ wan (tbf RATE3) ─┘   its own line
#
# Homes have sharing off and the helpers as static peers; helpers share with the node's default
# job slots (sharing.maxConcurrentJobs, unless --helper-jobs). The homes allow 1024 connections
# from one client address (proxy.maxConnectionsPerClient, default 64), for wrk's 200; every other
# setting is the node's default. Per run, fresh nodes, warmed up
# (--warmup S: downloads of SIZE/4 through each home until the newest node has run S seconds, so
# the JIT's start-up is not measured), then the phases asked for, in this order:
#   lines      each router's line alone (curl from its namespace); "the lines' sum" is home 1's
#              line plus the helpers' (home 2's line takes part in two-homes only)
#   one        one download of SIZE through home 1 alone: efficiency = goodput / the lines' sum
#   eight      8 downloads of SIZE/2 through home 1, started together: aggregate efficiency =
#              all bytes / wall time / the lines' sum; max/min of their times; how many of the 8
#              had bytes from a neighbor (home 1's /api/downloads history)
#   two-homes  home 1 and home 2 each run K (--per-home) downloads of SIZE/2 at the same time:
#              each home's goodput (its bytes / the time of its slowest download), the ratio of the
#              larger to the smaller (equal home lines: fair within 15% is <= 1.15) and each home's
#              share of the bytes the helpers carried (from each home's history)
#   small      while 4 downloads of SIZE/2 run through home 1 (each restarted as it ends), wrk with
#              200 connections, each asking again 200 ms after its answer (pages' small requests,
#              not a flood that fills the line by itself), for a 1 KiB file for S seconds
#              (--small-seconds): through home 1's proxy from the client, then direct from home
#              1's namespace (same line, same load): p50 and p99 latency of each, added = proxied
#              - direct, and errors (socket errors and responses >= 400 over both; 0 is the goal)
# Every large download is checked byte for byte (sha256) against the file; a mismatch or a failed
# download fails the script. Prints each run's figures, then medians as a markdown table.
#
# Usage: sudo bench/concurrency.sh [--phases one,eight,two-homes,small] [--runs N] [--size MiB]
#                                  [--rates HOME1,HOME2,HELPER1,HELPER2] [--warmup S] [--per-home K]
#                                  [--small-seconds S] [--helper-jobs N] [--home-proxy "key: value"]
#                                  [--java-opts "..."] [--jar FILE] [--logs DIR]
#   defaults: all phases, 3 runs, 128 MiB, 50,50,50,50 Mbit/s, 60 s of warm-up, 3 per home, 20 s;
#   --rates: two homes then one or more helpers; --jar runs that bamqp.jar instead of building this
#   tree's; --logs copies the nodes' logs (level info) there at the end; --home-proxy adds a line to
#   the homes' proxy section (e.g. "maxConnectionsPerOrigin: 256")
# Needs: root, iproute2 (ip, tc), nginx, curl, wrk, python3, java 17+, maven
#   (Debian: apt-get install iproute2 nginx-light curl wrk python3)
set -euo pipefail
bench=concurrency
# shellcheck source=lib/testbed.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/testbed.sh"

command_line="bench/concurrency.sh $*"
phases=one,eight,two-homes,small
runs=3
size_mib=128
rates=50,50,50,50
warmup_seconds=60
per_home=3
small_seconds=20
small_pause_ms=200
java_opts="${BAMQP_JAVA_OPTS:-}"
given_jar=""
keep_logs=""
home_proxy=""
while (($#)); do
  case "$1" in
    --phases) phases="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --size) size_mib="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --warmup) warmup_seconds="$2"; shift 2 ;;
    --per-home) per_home="$2"; shift 2 ;;
    --small-seconds) small_seconds="$2"; shift 2 ;;
    --helper-jobs) max_jobs="$2"; shift 2 ;;
    --home-proxy) home_proxy="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --jar) given_jar="$2"; shift 2 ;;
    --logs) keep_logs="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "concurrency: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
declare -A want=()
IFS=, read -r -a asked <<<"$phases"
for p in "${asked[@]}"; do
  case "$p" in
    one | eight | two-homes | small) want[$p]=1 ;;
    *) echo "concurrency: unknown phase $p (one, eight, two-homes, small)" >&2; exit 2 ;;
  esac
done
((${#want[@]} > 0)) || { echo "concurrency: --phases names no phase" >&2; exit 2; }
IFS=, read -r -a line_rates <<<"$rates"
((${#line_rates[@]} >= 3)) || { echo "concurrency: --rates needs two homes and at least one helper" >&2; exit 2; }
for v in "$runs" "$size_mib" "$warmup_seconds" "$per_home" "$small_seconds" "${line_rates[@]}"; do
  [[ $v =~ ^[0-9]+$ ]] || { echo "concurrency: $v is not a whole number" >&2; exit 2; }
done
((size_mib >= 8 && per_home >= 1 && runs >= 1)) || { echo "concurrency: --size needs >= 8 MiB, --per-home and --runs >= 1" >&2; exit 2; }
need_root
need_tools ip tc nginx curl wrk java mvn sha256sum python3 getconf
[[ -z ${want[small]:-} ]] || { wrk --version 2>&1 || true; } | grep -q '^wrk ' \
  || { echo "concurrency: wrk does not run (Debian: apt-get install wrk)" >&2; exit 1; }
homes=2
home_proxy_keys="maxConnectionsPerClient: 1024" # wrk's 200 connections come from one address
[[ -z $home_proxy ]] || home_proxy_keys+=$'\n'"  $home_proxy"

tb_init "cc$$"
tb_keep() { [[ -z $keep_logs ]] || { mkdir -p "$keep_logs" && cp "$work"/*.log "$keep_logs"/ 2>/dev/null; }; }

# --- build, test bed, origin, identities ---------------------------------------------------------
snapshot_launcher "$given_jar"
tb_lan_bed
start_origin "$size_mib" r0
head -c "$((size_mib * 1048576 / 2))" "$work/www/file.bin" >"$work/www/half.bin"
half_sha=$(sha256sum "$work/www/half.bin" | cut -d' ' -f1)
half_bytes=$((size_mib * 1048576 / 2))
head -c 1024 /dev/urandom >"$work/www/small.bin"
make_identities
write_configs true
helpers=()
for ((i = homes; i < routers; i++)); do helpers+=("$i"); done
home1="$(router_ip 0):3128"
home2="$(router_ip 1):3128"

# --- measuring -----------------------------------------------------------------------------------
# From a home's /api/downloads history, the downloads of this size that started at or after a
# time: "records aggregated with-neighbor-bytes neighbor-bytes" (a neighbor's source is "peer:ID").
history_since() { # home index, since (ms since the epoch), size
  sleep 1 # a record lands just after the client's last byte
  in_ns "r$1" curl -s http://127.0.0.1:8088/api/downloads | python3 -c '
import json, sys
since, size = int(sys.argv[1]), int(sys.argv[2])
d = [x for x in json.load(sys.stdin)["history"] if x["size"] == size and x["startedAtMillis"] >= since]
nb = [sum(s["bytes"] for s in x["sources"] if s["name"].startswith("peer:")) for x in d]
print(len(d), sum(1 for x in d if x["outcome"] != "NOT_AGGREGATED"), sum(1 for b in nb if b > 0), sum(nb))
' "$2" "$3" || echo "0 0 0 0"
}
now_ms() { date +%s%3N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

# Concurrent downloads: one fetch per (proxy, path, sha, out file) in the background; waits for all.
together() { # proxy path sha file ...
  local fetchers=() pid
  while (($#)); do
    fetch client "$1" "$2" "$3" >"$4" &
    fetchers+=($!)
    shift 4
  done
  for pid in "${fetchers[@]}"; do wait "$pid" || fail "a concurrent download failed"; done
}

# wrk for S seconds with 200 connections (2 threads, its 2 s timeout); prints "requests errors p50-ms
# p99-ms kinds-of-errors counts".
wrk_run() { # namespace, url to connect to, request target, seconds
  local lua="$work/wrk.$RANDOM.lua"
  cat >"$lua" <<EOF
wrk.path = "$3"
wrk.headers["Host"] = "$origin_ip"
-- Each connection asks again $small_pause_ms ms after its answer: small requests as pages make
-- them, not a flood that would fill the line by itself (and so the direct baseline's queue).
delay = function() return $small_pause_ms end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk-result %d %d %.2f %.2f connect/read/write/timeout/status>=400 %d/%d/%d/%d/%d\n",
    summary.requests, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    e.connect, e.read, e.write, e.timeout, e.status))
end
EOF
  in_ns "$1" wrk -t2 -c200 -d"$4s" -s "$lua" "$2" >"$lua.out" 2>&1 || fail "wrk failed: $(cat "$lua.out")"
  grep '^wrk-result ' "$lua.out" | cut -d' ' -f2- | grep . || fail "wrk printed no result: $(cat "$lua.out")"
}

# Downloads of half.bin through home 1, each restarted as it ends, until $work/stop exists.
download_loop() {
  while [[ ! -e $work/stop ]]; do fetch client "$home1" half.bin "$half_sha" >/dev/null; done
}

echo "bamqp concurrency benchmark on kernel-shaped lines: \`$command_line\`, $(date -u '+%Y-%m-%d %H:%M UTC')," \
  "commit $(commit), machine: $(machine), $(nginx -v 2>&1), $({ wrk --version 2>&1 || true; } | head -1 | cut -d' ' -f1-2); load: $(load)"
echo "lines (Mbit/s, tbf): home 1 ${line_rates[0]}, home 2 ${line_rates[1]}, helpers ${line_rates[*]:2}; file $size_mib MiB; runs $runs;" \
  "phases $phases; helper job slots ${max_jobs:-(default)}; homes' proxy: $(echo "$home_proxy_keys" | xargs); warm-up: downloads of $((size_mib / 4)) MiB until the newest node has run ${warmup_seconds} s;" \
  "nodes: $(node_jvm), then ${java_opts:-(nothing)}"

proxied_errors=0 # the goal: the proxy's own errors
direct_errors=0  # the baseline's, on the same saturated line (wrk's 2 s timeouts), for reference
alone=()
helper_bytes=()
for ((run = 1; run <= runs; run++)); do
  # The lines alone, before any node runs.
  sum=0
  for ((i = 0; i < routers; i++)); do
    alone[i]=$(fetch "r$i" "" quarter.bin "$quarter_sha" | mbps)
    ((i == 1)) || sum=$(awk -v a="$sum" -v b="${alone[i]}" 'BEGIN { print a + b }')
  done
  record lines "$sum"
  line="run $run: lines ${alone[*]} Mbit/s (sum for home 1: $sum)"

  # Fresh nodes, warmed up.
  for i in "${helpers[@]}"; do start_node "$i"; done
  start_node 0
  [[ -z ${want[two-homes]:-} ]] || start_node 1
  neighbors_online 0
  warmer=""
  if [[ -n ${want[two-homes]:-} ]]; then
    neighbors_online 1
    warm_up "$home2" &
    warmer=$!
  fi
  warm_up "$home1"
  [[ -z $warmer ]] || wait "$warmer" || fail "the warm-up of home 2 failed"

  if [[ -n ${want[one]:-} ]]; then
    got=$(fetch client "$home1" file.bin "$file_sha" | mbps)
    record one "$(ratio "$got" "$sum")"
    record one_mbps "$got"
    line+="; one: $got Mbit/s = $(last one)"
  fi

  if [[ -n ${want[eight]:-} ]]; then
    since=$(now_ms)
    start=$(date +%s.%N)
    args=()
    for k in 1 2 3 4 5 6 7 8; do args+=("$home1" half.bin "$half_sha" "$work/eight.$k"); done
    together "${args[@]}"
    end=$(date +%s.%N)
    record eight "$(awk -v n=8 -v b="$half_bytes" -v a="$start" -v e="$end" -v s="$sum" \
      'BEGIN { printf "%.3f", n * b * 8 / (e - a) / 1e6 / s }')"
    record eight_spread "$(cat "$work"/eight.* | awk '{ t = $2; if (NR == 1 || t > hi) hi = t; if (NR == 1 || t < lo) lo = t }
      END { printf "%.2f", hi / lo }')"
    read -r n aggregated with_nb _ <<<"$(history_since 0 "$since" "$half_bytes")"
    record eight_nb "$with_nb"
    line+="; eight: $(last eight) of the sum, times $(awk '{ printf "%s%.1f", (NR > 1 ? "/" : ""), $2 }' "$work"/eight.*) s,"
    line+=" max/min $(last eight_spread), $aggregated of $n aggregated, $with_nb with neighbor bytes"
  fi

  if [[ -n ${want[two-homes]:-} ]]; then
    since=$(now_ms)
    args=()
    for ((k = 1; k <= per_home; k++)); do
      args+=("$home1" half.bin "$half_sha" "$work/home1.$k" "$home2" half.bin "$half_sha" "$work/home2.$k")
    done
    together "${args[@]}"
    for h in 1 2; do
      record "home${h}_mbps" "$(cat "$work"/home$h.* | awk -v n="$per_home" -v b="$half_bytes" \
        '{ if ($2 > t) t = $2 } END { printf "%.1f", n * b * 8 / t / 1e6 }')"
      read -r _ _ _ nb <<<"$(history_since $((h - 1)) "$since" "$half_bytes")"
      helper_bytes[h]=$nb
    done
    g1=$(last home1_mbps)
    g2=$(last home2_mbps)
    record homes_ratio "$(awk -v a="$g1" -v b="$g2" 'BEGIN { printf "%.3f", (a > b ? a / b : b / a) }')"
    nb_total=$((helper_bytes[1] + helper_bytes[2]))
    record home1_share "$(ratio "${helper_bytes[1]}" "$nb_total")"
    record home2_share "$(ratio "${helper_bytes[2]}" "$nb_total")"
    line+="; two homes: $g1 and $g2 Mbit/s (ratio $(last homes_ratio)), helpers' bytes"
    line+=" $(awk -v b="${helper_bytes[1]}" 'BEGIN { printf "%.1f", b / 1048576 }') and $(awk -v b="${helper_bytes[2]}" 'BEGIN { printf "%.1f", b / 1048576 }') MiB"
  fi

  if [[ -n ${want[small]:-} ]]; then
    rm -f "$work/stop"
    loops=()
    for k in 1 2 3 4; do
      download_loop &
      loops+=($!)
    done
    sleep 3 # the 4 downloads under way
    wrk_run client "http://$home1/" "http://$origin_ip/small.bin" 3 >/dev/null # the proxy's small-request path warm
    read -r p_req p_err p_p50 p_p99 _ p_kinds <<<"$(wrk_run client "http://$home1/" "http://$origin_ip/small.bin" "$small_seconds")"
    read -r d_req d_err d_p50 d_p99 _ d_kinds <<<"$(wrk_run r0 "http://$origin_ip/small.bin" /small.bin "$small_seconds")"
    touch "$work/stop"
    for pid in "${loops[@]}"; do wait "$pid" || fail "a download under the small requests failed"; done
    record proxied_p50 "$p_p50"
    record proxied_p99 "$p_p99"
    record direct_p50 "$d_p50"
    record direct_p99 "$d_p99"
    record added_p50 "$(awk -v a="$p_p50" -v b="$d_p50" 'BEGIN { printf "%.2f", a - b }')"
    record added_p99 "$(awk -v a="$p_p99" -v b="$d_p99" 'BEGIN { printf "%.2f", a - b }')"
    proxied_errors=$((proxied_errors + p_err))
    direct_errors=$((direct_errors + d_err))
    line+="; small: proxied p50/p99 $p_p50/$p_p99 ms ($p_req requests, $p_err errors: connect/read/write/timeout/status>=400 $p_kinds), direct $d_p50/$d_p99 ms"
    line+=" ($d_req requests, $d_err errors: $d_kinds)"
  fi

  for ((i = 0; i < routers; i++)); do [[ -z ${node_pid[$i]:-} ]] || stop_node "$i"; done
  node_pid=()
  echo "$line"
done

row() { printf '| %-9s | %-62s | %8s | %-8s |\n' "$@"; }
echo
echo "medians of $runs runs (load at the end: $(load)):"
row phase what median goal
printf '|%s|%s|%s|%s|\n' "-----------" "----------------------------------------------------------------" "----------" "----------"
row lines "home 1's line + the helpers', measured alone, Mbit/s" "$(m lines)" ""
if [[ -n ${want[one]:-} ]]; then
  row one "one download: goodput, Mbit/s" "$(m one_mbps)" ""
  row one "one download: efficiency (goodput / lines' sum)" "$(m one)" ">= 0.95"
fi
if [[ -n ${want[eight]:-} ]]; then
  row eight "8 at once: aggregate efficiency (bytes / wall time / sum)" "$(m eight)" ">= 0.92"
  row eight "8 at once: slowest / fastest download time" "$(m eight_spread)" "<= 1.25"
  row eight "8 at once: downloads with neighbor bytes (of 8)" "$(m eight_nb)" "8"
fi
if [[ -n ${want[two-homes]:-} ]]; then
  row two-homes "home 1, $per_home downloads: goodput, Mbit/s" "$(m home1_mbps)" ""
  row two-homes "home 2, $per_home downloads: goodput, Mbit/s" "$(m home2_mbps)" ""
  row two-homes "larger / smaller home goodput" "$(m homes_ratio)" "<= 1.15"
  row two-homes "home 1's share of the helpers' bytes" "$(m home1_share)" "~0.5"
  row two-homes "home 2's share of the helpers' bytes" "$(m home2_share)" "~0.5"
fi
if [[ -n ${want[small]:-} ]]; then
  row small "1 KiB, 200 conns, direct from home 1: p50 latency, ms" "$(m direct_p50)" ""
  row small "1 KiB, 200 conns, direct from home 1: p99 latency, ms" "$(m direct_p99)" ""
  row small "1 KiB, 200 conns, through home 1: p50 latency, ms" "$(m proxied_p50)" ""
  row small "1 KiB, 200 conns, through home 1: p99 latency, ms" "$(m proxied_p99)" ""
  row small "added latency p50 (through - direct), ms" "$(m added_p50)" "<= 5"
  row small "added latency p99 (through - direct), ms" "$(m added_p99)" "<= 50"
  row small "errors through home 1 (all runs)" "$proxied_errors" "0"
  row small "errors direct, same line (all runs)" "$direct_errors" ""
fi
