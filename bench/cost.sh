#!/usr/bin/env bash
# What a byte costs (issue 12): CPU seconds per GiB and peak RSS of bamqp beside Squid, on real
# kernel TCP. The loopback benchmarks hand the node big buffers from a user-space shaper; here every
# line is a veth pair shaped by `tc tbf` (MTU 1500), so the node reads what a real line delivers.
#
# Test bed, all in network namespaces this script makes and deletes:
#
#     client ──┐                        ┌── wan (tbf RATE0) ──┐
#              ├── LAN bridge ── home ──┤                     │
#              │   (unshaped)           └── squid (same ns)   ├── origin: nginx, one file
#              ├──────────────── helper 1 ── wan (tbf RATE1) ─┤   (10.79.0.1, reached by each
#              └──────────────── helper 2 ── wan (tbf RATE2) ─┘    router over its own line)
#
# Per run, with warm-up downloads before each measured one (a JVM's first minute pays for its JIT):
#   line       each router's line alone (curl from the router's namespace): the measured sum
#   squid      Squid 5 (no cache) on home, one download over home's line: the baseline
#   plain      bamqp on home with aggregation off, same download
#   aggregated bamqp home + helpers, one download: home CPU per GiB delivered, helpers' CPU per
#              GiB of the download and each helper's per GiB it served (its bytes in the home's
#              record of the download, and by the helper's own ledger, which also counts what it
#              fetched as a checker of the other helpers' bytes), efficiency = goodput / the lines'
#              measured sum
#   8 at once  8 concurrent aggregated downloads of SIZE/4 each (a fresh home, for its peak RSS)
# CPU is user and system time from /proc/PID/stat (the process tree for Squid), peak RSS is
# VmHWM: since the node started (its JIT's first minute included) and during the measured
# download(s) alone (VmHWM reset just before them). Beside the aggregated download's CPU: the
# share of it the JVMs' JIT compiler threads took (C1 and C2, from /proc/PID/task), and each
# helper's figure without them: what the JIT still compiles a few minutes into a node's life, apart
# from what relaying costs; and each helper's event-loop wake-ups per MiB it gave (the voluntary
# context switches of its vert.x-eventloop threads: every wake-up is a pass through the handlers,
# which is what a larger read batch saves). Every download is checked byte for byte (sha256)
# against the file.
# Prints medians.
#
# Usage: sudo bench/cost.sh [--runs N] [--size MiB] [--warmup S] [--rates HOME,H1,H2] [--java-opts "..."]
#                           [--home-aggregation "key: value"] [--jar FILE] [--logs DIR] [--jfr DIR]
#                           [--perf DIR] [--phases squid,plain,aggregated,eight]
#   defaults: 3 runs, 256 MiB, 180 s of warm-up, 100,50,50 Mbit/s;
#   --warmup S: before each measured download the nodes serve downloads of SIZE/4 until the newest
#   node has run S seconds (at least one; Squid gets one, it has no JIT). A router runs for weeks, so
#   its steady state is what a byte costs: in a fresh JVM the JIT compiling the hot paths is about
#   half of the CPU of its first minute, and a helper, which sees a quarter of the traffic, still
#   spends a quarter to a third of its CPU compiling after 60 s (perf on this test bed; 0 measures
#   the start-up instead); nodes start through ./bamqp, so with jvm.options
#   and then BAMQP_JAVA_OPTS (or --java-opts, which replaces it), each winning over the default;
#   --jar runs that bamqp.jar (e.g. an older commit's) instead of building this tree's;
#   --jfr records each node's JVM with JFR (profile settings) into DIR/r<i>-<start>.jfr;
#   --perf records the whole machine with `perf record` during each measured download into
#   DIR/r<run>-<what>.data (the nodes write /tmp/perf-<pid>.map at exit, so Java frames have names:
#   `perf report -i FILE --pid PID --sort dso,sym`);
#   --logs copies the nodes' logs (level info) there at the end;
#   --home-aggregation adds a line to home's aggregation section (e.g. "spotCheckRatio: 0");
#   --phases runs only those measurements (default all; the lines are measured in every run, and
#   the helpers start before the first aggregated phase asked for: with eight alone, they start
#   with its fresh home and share its warm-up); a table row of a phase not run shows -
# Needs: root, iproute2 (ip, tc), nginx, squid, curl, python3, java 17+, maven
#   (Debian: apt-get install iproute2 nginx-light squid curl)
set -euo pipefail
bench=cost
# shellcheck source=lib/testbed.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/testbed.sh"

runs=3
size_mib=256
warmup_seconds=180
rates=100,50,50
java_opts="${BAMQP_JAVA_OPTS:-}"
home_keys=""
given_jar=""
keep_logs=""
jfr_dir=""
perf_dir=""
phases=squid,plain,aggregated,eight
while (($#)); do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --size) size_mib="$2"; shift 2 ;;
    --warmup) warmup_seconds="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --home-aggregation) home_keys="$2"; shift 2 ;;
    --jar) given_jar="$2"; shift 2 ;;
    --logs) keep_logs="$2"; shift 2 ;;
    --jfr) jfr_dir="$2"; shift 2 ;;
    --perf) perf_dir="$2"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "cost: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
need_root
[[ -z $perf_dir ]] || { mkdir -p "$perf_dir" && command -v perf >/dev/null; } || { echo "cost: --perf needs perf (Debian: linux-perf)" >&2; exit 1; }
need_tools ip tc nginx squid curl java mvn sha256sum getconf
IFS=, read -r -a line_rates <<<"$rates"
for p in ${phases//,/ }; do
  [[ $p =~ ^(squid|plain|aggregated|eight)$ ]] || { echo "cost: unknown phase $p (see --help)" >&2; exit 2; }
done
has() { [[ ",$phases," == *",$1,"* ]]; }
((${#line_rates[@]} >= 2)) || { echo "cost: --rates needs home and at least one helper" >&2; exit 2; }
max_jobs=16 # job slots out of the picture

tb_init "bq$$"
tb_keep() { [[ -z $keep_logs ]] || { mkdir -p "$keep_logs" && cp "$work"/*.log "$keep_logs"/ 2>/dev/null; }; }

# --- build, test bed (bench/lib/testbed.sh), origin --------------------------------------------
snapshot_launcher "$given_jar"
tb_lan_bed
start_origin "$size_mib" r0

# --- squid on home (no cache) --------------------------------------------------------------------
mkdir -p "$work/squid"
chown proxy: "$work/squid" 2>/dev/null || true
cat >"$work/squid/squid.conf" <<EOF
http_port $(router_ip 0):3129
acl lan src 10.77.0.0/24
http_access allow lan
http_access deny all
cache deny all
cache_mem 8 MB
access_log none
cache_log $work/squid/cache.log
pid_filename $work/squid/squid.pid
pinger_enable off
shutdown_lifetime 1 seconds
coredump_dir $work/squid
EOF
if has squid; then
  ip netns exec "$(ns r0)" squid -N -f "$work/squid/squid.conf" &
  squid_pid=$!
  pids+=("$squid_pid")
  wait_port squid "$squid_pid" client "$(router_ip 0)" 3129 "$work/squid/cache.log"
fi

# --- bamqp nodes ---------------------------------------------------------------------------------
make_identities

# --- measuring -----------------------------------------------------------------------------------
# Runs a download while counting the CPU of the given processes; prints "Mbit/s cpu-s/GiB".
measured() { # namespace, proxy, path, sha, pid...
  local ns="$1" proxy="$2" path="$3" sha="$4"
  shift 4
  local before after result bytes secs perf_pid=""
  if [[ -n $perf_dir && -n $phase ]]; then
    perf record -a -F 499 -o "$perf_dir/r$run-$phase.data" >/dev/null 2>&1 &
    perf_pid=$!
  fi
  before=$(cpu_ticks "$@")
  result=$(fetch "$ns" "$proxy" "$path" "$sha")
  after=$(cpu_ticks "$@")
  [[ -z $perf_pid ]] || { kill -INT "$perf_pid"; wait "$perf_pid" || true; }
  read -r bytes secs <<<"$result"
  awk -v b="$bytes" -v s="$secs" -v t=$((after - before)) -v hz="$ticks" \
    'BEGIN { printf "%.1f %.2f\n", b * 8 / s / 1e6, t / hz / (b / 1073741824) }'
}

phase="" # the measured download's name for --perf

# The warm-up reads what the measurement reads: each helper's /api/sharing (given_to_neighbors,
# below), as a user's statistics page does. Read for the first time just before the measured
# download, it made the JIT throw away code compiled for the audit log's JSON (Jackson's
# serializers: a compile log showed them "made not entrant" at the moment of that read) and
# compile it again inside the measured download.
warm_up_hook() {
  local i
  for ((i = 1; i < routers; i++)); do
    if [[ -n ${node_pid[$i]:-} ]] && kill -0 "${node_pid[$i]}" 2>/dev/null; then
      given_to_neighbors "$i" >/dev/null
    fi
  done
}

# What a helper fetched for neighbors this month by its own ledger (usedThisMonthBytes in its
# /api/sharing; the home is its only neighbor): its ranges and its check jobs for the home's spot
# checks, which the home's record of the download leaves out. The ledger counts whole seconds:
# read it a second after the traffic stopped.
given_to_neighbors() { # helper's router index
  in_ns "r$1" curl -s http://127.0.0.1:8088/api/sharing |
    python3 -c 'import json, sys; print(json.load(sys.stdin).get("usedThisMonthBytes") or 0)' ||
    echo 0
}

echo "bamqp cost benchmark on kernel-shaped lines, $(date -u +%Y-%m-%d), commit $(cd "$here" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r)," \
  "$(squid -v | head -1), $(nginx -v 2>&1)"
echo "nodes: $(node_jvm), then ${java_opts:-(nothing)}"
echo "lines (Mbit/s, tbf): home ${line_rates[0]}, helpers ${line_rates[*]:1}; file $size_mib MiB; runs $runs; warm-up: downloads of $((size_mib / 4)) MiB until the newest node has run ${warmup_seconds} s"

for ((run = 1; run <= runs; run++)); do
  served_now="" given_now="" jit_now="" wake_now="" # each helper's figures in this run, for its line below
  # The lines alone.
  sum=0
  for ((i = 0; i < routers; i++)); do
    read -r mbps _ <<<"$(measured "r$i" "" quarter.bin "$quarter_sha")"
    sum=$(awk -v a="$sum" -v b="$mbps" 'BEGIN { print a + b }')
  done
  record lines "$sum"

  # Squid and bamqp without aggregation, one after the other on home's line.
  if has squid; then
    fetch client "$(router_ip 0):3129" quarter.bin "$quarter_sha" >/dev/null
    read -r _ cpu <<<"$(measured client "$(router_ip 0):3129" file.bin "$file_sha" "$squid_pid")"
    record squid "$cpu"
  fi

  if has plain; then
    write_configs false
    start_node 0
    warm_up "$(router_ip 0):3128"
    phase=plain
    read -r _ cpu <<<"$(measured client "$(router_ip 0):3128" file.bin "$file_sha" "${node_pid[0]}")"
    phase=""
    record plain "$cpu"
    stop_node 0
  fi

  # Aggregated: home and helpers.
  if has aggregated || has eight; then
    write_configs true
    for ((i = 1; i < routers; i++)); do start_node "$i"; done
  fi
  if has aggregated; then
    start_node 0
    neighbors_online 0
    warm_up "$(router_ip 0):3128"
    helper_before=()
    given_before=()
    sleep 1.5 # the helpers' ledgers settle (whole seconds)
    for ((i = 1; i < routers; i++)); do
      given_before[i]=$(given_to_neighbors "$i")
      helper_before[i]=$(cpu_ticks "${node_pid[$i]}")
      helper_jit_before[i]=$(jit_ticks "${node_pid[$i]}")
      helper_wake_before[i]=$(wakeups "${node_pid[$i]}")
    done
    home_jit_before=$(jit_ticks "${node_pid[0]}")
    phase=aggregated
    hwm_before=$(hwm_mib "${node_pid[0]}")
    reset_hwm "${node_pid[0]}"
    read -r mbps cpu <<<"$(measured client "$(router_ip 0):3128" file.bin "$file_sha" "${node_pid[0]}")"
    phase=""
    home_jit=$(($(jit_ticks "${node_pid[0]}") - home_jit_before))
    helper_ticks=()
    helper_jit=()
    helpers_total=0
    for ((i = 1; i < routers; i++)); do
      helper_ticks[i]=$(($(cpu_ticks "${node_pid[$i]}") - helper_before[i]))
      helper_jit[i]=$(($(jit_ticks "${node_pid[$i]}") - helper_jit_before[i]))
      helper_wake[i]=$(($(wakeups "${node_pid[$i]}") - helper_wake_before[i]))
      helpers_total=$((helpers_total + helper_ticks[i]))
    done
    record home "$cpu"
    # The JIT compiler threads' share of the home's CPU in this download (its CPU per GiB is $cpu).
    record jit_home "$(awk -v j="$home_jit" -v hz="$ticks" -v g="$size_mib" -v c="$cpu" \
      'BEGIN { printf "%.0f", 100 * j / hz / (g / 1024) / c }')"
    # Who carried what: the home's last download, from its statistics API: a line for the reader,
    # then the bytes each helper served (by its peer ID, in router order).
    sleep 1.5 # the record lands just after the client's last byte; the helpers' ledgers settle
    served=$(in_ns r0 curl -s http://127.0.0.1:8088/api/downloads | python3 -c '
import json, sys
d = [x for x in json.load(sys.stdin)["history"] if x["size"] == int(sys.argv[1])]
if not d:
    sys.exit("cost: the home\x27s history has no download of that size")
last = max(d, key=lambda x: x["startedAtMillis"])
print("  sources of the aggregated download:", ", ".join(
    "%s %.1f MiB" % (s["name"].split("-")[0], s["bytes"] / 1048576) for s in last["sources"]),
    "| outcome", last["outcome"], "| reason", last["reason"], "| notes", "; ".join(last["notes"]),
    "| reorder window held at most %.1f MiB" % (last.get("maxBufferedBytes", 0) / 1048576))
print(" ".join(str(sum(s["bytes"] for s in last["sources"] if s["name"].startswith("peer:" + h.split("-")[0])))
               for h in sys.argv[2:]))
' "$((size_mib * 1048576))" "${ids[@]:1}") || served=""
    [[ -z $served ]] || head -n1 <<<"$served"
    read -r -a served_bytes <<<"$(tail -n1 <<<"$served")"
    # The helpers' CPU per GiB of the download, and each one's per GiB it served (issue 12's goal;
    # a helper that served less than 1 MiB is left out of that figure).
    record helpers "$(awk -v t="$helpers_total" -v hz="$ticks" -v g="$size_mib" \
      'BEGIN { printf "%.2f", t / hz / (g / 1024) }')"
    for ((i = 1; i < routers; i++)); do
      given=$(($(given_to_neighbors "$i") - given_before[i]))
      if ((given >= 1048576)); then
        record given "$(awk -v t="${helper_ticks[i]}" -v hz="$ticks" -v b="$given" \
          'BEGIN { printf "%.2f", t / hz / (b / 1073741824) }')"
        given_now+=" $(last given) ($(awk -v b="$given" 'BEGIN { printf "%.1f", b / 1048576 }') MiB)"
        # The same without the helper's JIT compiler threads, and their share of its CPU.
        record given_nojit "$(awk -v t="$((helper_ticks[i] - helper_jit[i]))" -v hz="$ticks" \
          -v b="$given" 'BEGIN { printf "%.2f", t / hz / (b / 1073741824) }')"
        record jit_helper "$(awk -v j="${helper_jit[i]}" -v t="${helper_ticks[i]}" \
          'BEGIN { printf "%.0f", (t > 0 ? 100 * j / t : 0) }')"
        jit_now+=" $(last jit_helper)%"
        # Its event loops' wake-ups per MiB it gave (what a read batch saves).
        record wake_helper "$(awk -v w="${helper_wake[i]}" -v b="$given" \
          'BEGIN { printf "%.0f", w / (b / 1048576) }')"
        wake_now+=" $(last wake_helper)"
      else
        given_now+=" -"
      fi
      ((${served_bytes[i - 1]:-0} >= 1048576)) || { served_now+=" -"; continue; }
      record served "$(awk -v t="${helper_ticks[i]}" -v hz="$ticks" -v b="${served_bytes[i - 1]}" \
        'BEGIN { printf "%.2f", t / hz / (b / 1073741824) }')"
      served_now+=" $(last served)"
    done
    record efficiency "$(awk -v m="$mbps" -v s="$sum" 'BEGIN { printf "%.3f", m / s }')"
    record rss1_download "$(hwm_mib "${node_pid[0]}")"
    record rss1 "$(max_of "$hwm_before" "$(last rss1_download)")"
    stop_node 0
  fi

  # Eight at once, on a fresh home (its peak RSS is this scenario's).
  if has eight; then
    start_node 0
    neighbors_online 0
    warm_up "$(router_ip 0):3128"
    before=$(cpu_ticks "${node_pid[0]}")
    hwm_before=$(hwm_mib "${node_pid[0]}")
    reset_hwm "${node_pid[0]}"
    start=$(date +%s.%N)
    fetchers=()
    for k in 1 2 3 4 5 6 7 8; do
      fetch client "$(router_ip 0):3128" quarter.bin "$quarter_sha" >"$work/eight.$k" &
      fetchers+=($!)
    done
    for pid in "${fetchers[@]}"; do wait "$pid" || { echo "cost: a concurrent download failed" >&2; exit 1; }; done
    end=$(date +%s.%N)
    after=$(cpu_ticks "${node_pid[0]}")
    record eight "$(awk -v t=$((after - before)) -v hz="$ticks" -v g="$size_mib" \
      'BEGIN { printf "%.2f", t / hz / (2 * g / 1024) }')"
    record eight_eff "$(awk -v g="$size_mib" -v a="$start" -v b="$end" -v s="$sum" \
      'BEGIN { printf "%.3f", 2 * g * 8 * 1.048576 / (b - a) / s }')"
    record rss8_download "$(hwm_mib "${node_pid[0]}")"
    record rss8 "$(max_of "$hwm_before" "$(last rss8_download)")"
  fi
  for ((i = 0; i < routers; i++)); do stop_node "$i"; done
  echo "run $run: lines $sum Mbit/s; CPU s/GiB squid $(last squid), plain $(last plain)," \
    "home $(last home), helpers $(last helpers) (per GiB each served:$served_now; by its own ledger:$given_now)," \
    "JIT compiler threads' share of the CPU: home $(last jit_home)%, helpers$jit_now," \
    "helpers' event-loop wake-ups per MiB given:$wake_now," \
    "8 at once $(last eight);" \
    "efficiency $(last efficiency) (8 at once $(last eight_eff));" \
    "peak RSS $(last rss1) MiB, $(last rss1_download) during the download (8 at once $(last rss8), $(last rss8_download))"
done

mx() { [[ -n ${results[$1]:-} ]] || { echo -; return; }; printf '%s' "${results[$1]}" | sort -g | tail -n1; } # the highest value recorded, or - for none
squid=$(m squid)
ratio() { # value: its ratio to Squid's, or - when either was not measured
  if [[ $1 == - || $squid == - ]]; then echo -; else awk -v a="$1" -v b="$squid" 'BEGIN { printf "%.2fx", a / b }'; fi
}
echo
echo "medians of $runs runs (CPU = user + system seconds per GiB delivered):"
printf '| %-52s | %8s | %8s |\n' "what" "value" "vs Squid"
printf '|%s|%s|%s|\n' "------------------------------------------------------" "----------" "----------"
printf '| %-52s | %8s | %8s |\n' "Squid 5, no cache, CPU s/GiB" "$squid" "$(ratio "$squid")"
printf '| %-52s | %8s | %8s |\n' "bamqp plain pass-through, CPU s/GiB" "$(m plain)" "$(ratio "$(m plain)")"
printf '| %-52s | %8s | %8s |\n' "bamqp aggregated home, CPU s/GiB delivered" "$(m home)" "$(ratio "$(m home)")"
printf '| %-52s | %8s | %8s |\n' "bamqp helpers together, CPU s/GiB of the download" "$(m helpers)" "$(ratio "$(m helpers)")"
printf '| %-52s | %8s | %8s |\n' "bamqp each helper, CPU s/GiB it served (median)" "$(m served)" "$(ratio "$(m served)")"
printf '| %-52s | %8s | %8s |\n' "bamqp each helper, CPU s/GiB it served (highest)" "$(mx served)" "$(ratio "$(mx served)")"
printf '| %-52s | %8s | %8s |\n' "bamqp each helper, CPU s/GiB by its ledger (median)" "$(m given)" "$(ratio "$(m given)")"
printf '| %-52s | %8s | %8s |\n' "bamqp each helper, CPU s/GiB by its ledger (highest)" "$(mx given)" "$(ratio "$(mx given)")"
printf '| %-52s | %8s | %8s |\n' "  the same without its JIT compiler threads (median)" "$(m given_nojit)" "$(ratio "$(m given_nojit)")"
printf '| %-52s | %8s | %8s |\n' "  the same without its JIT compiler threads (highest)" "$(mx given_nojit)" "$(ratio "$(mx given_nojit)")"
printf '| %-52s | %8s | %8s |\n' "JIT compiler threads' share of the home's CPU, %" "$(m jit_home)" ""
printf '| %-52s | %8s | %8s |\n' "JIT compiler threads' share of each helper's CPU, %" "$(m jit_helper)" ""
printf '| %-52s | %8s | %8s |\n' "each helper's event-loop wake-ups per MiB it gave" "$(m wake_helper)" ""
printf '| %-52s | %8s | %8s |\n' "bamqp home, 8 concurrent downloads, CPU s/GiB" "$(m eight)" "$(ratio "$(m eight)")"
printf '| %-52s | %8s | %8s |\n' "efficiency, one aggregated download" "$(m efficiency)" ""
printf '| %-52s | %8s | %8s |\n' "efficiency, 8 concurrent downloads" "$(m eight_eff)" ""
printf '| %-52s | %8s | %8s |\n' "home peak RSS (VmHWM) since start, one download, MiB" "$(m rss1)" ""
printf '| %-52s | %8s | %8s |\n' "home peak RSS during the measured download, MiB" "$(m rss1_download)" ""
printf '| %-52s | %8s | %8s |\n' "home peak RSS (VmHWM) since start, 8 concurrent, MiB" "$(m rss8)" ""
printf '| %-52s | %8s | %8s |\n' "home peak RSS during the 8 downloads, MiB" "$(m rss8_download)" ""
printf '| %-52s | %8s | %8s |\n' "lines' measured sum, Mbit/s" "$(m lines)" ""
