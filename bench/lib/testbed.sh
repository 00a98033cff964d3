# shellcheck shell=bash
# shellcheck disable=SC2034,SC2154 # variables shared with the scripts that source this
# The kernel-line test bed shared by bench/cost.sh, bench/concurrency.sh and bench/multiwan.sh:
# network namespaces, veth pairs, a LAN bridge, lines shaped by `tc tbf`, an nginx origin, bamqp
# nodes started through the launcher, downloads checked byte for byte, CPU ticks, medians, and a
# clean-up that runs on exit, on failure and on Ctrl-C. Sourced, not run.
#
# Before sourcing, the script sets:
#   bench       its name, the prefix of its messages ("cost")
# then calls tb_init TAG (a namespace prefix, unique per process: e.g. bq$$), which sets
#   here        the repository, work (a private folder in /dev/shm, removed at exit),
#   pids        processes to end at exit, namespaces (namespaces to delete at exit).
# A script that keeps something at exit defines tb_keep (called after the processes ended,
# before the work folder is removed).
#
# The LAN test bed (tb_lan_bed), as cost.sh draws it: a client and every router on one unshaped
# LAN bridge, each router with its own line (a veth pair shaped by tbf both ways) to the origin.
# Router i is 10.77.0.(10+i) on the LAN; the first $homes routers are homes (sharing off, the
# others as static peers), the rest are helpers (sharing on).

origin_ip=10.79.0.1
client_ip=10.77.0.100

# --- life cycle ----------------------------------------------------------------------------------
tb_init() { # tag
  tag="$1"
  here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  work="$(mktemp -d "/dev/shm/bamqp-$bench.XXXXXX")"
  chmod 755 "$work"
  pids=()
  namespaces=()
  trap tb_cleanup EXIT
  trap 'exit 1' TERM INT
}
tb_cleanup() {
  local pid ns
  trap '' TERM INT # a second failure (another background job's) must not cut the clean-up short
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true; done
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if declare -F tb_keep >/dev/null; then tb_keep || true; fi
  rm -rf "$work"
}
# Fails the whole script, also from a subshell or a background job.
fail() { echo "$bench: $*" >&2; kill -TERM $$; exit 1; }
need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    echo "$bench: skipped: needs root for network namespaces and tc (run it with sudo)"
    exit 0
  fi
}
need_tools() { # tool...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$bench: $tool is missing (see the header of $0)" >&2; exit 1; }
  done
}
commit() { (cd "$here" && git rev-parse --short HEAD 2>/dev/null) || echo unknown; }
machine() {
  echo "$(nproc) CPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(uname -r)"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

# --- namespaces and lines ------------------------------------------------------------------------
ns() { echo "$tag-$1"; }
in_ns() { local n="$1"; shift; ip netns exec "$(ns "$n")" "$@"; }
add_ns() {
  ip netns add "$(ns "$1")"
  namespaces+=("$(ns "$1")")
  in_ns "$1" ip link set lo up
}
# A token bucket as deep as a few milliseconds of the line, so it paces like a modem, not a burst.
shape() { # namespace, device, Mbit/s
  local burst=$(($3 * 1000000 / 8 / 250))
  ((burst >= 16000)) || burst=16000
  in_ns "$1" tc qdisc add dev "$2" root tbf rate "$3mbit" burst "$burst" latency 20ms
}
# A line: a veth pair from the origin to a namespace's device, shaped both ways, on 10.78.N.0/24
# (the origin's end .1, the other .2).
add_line() { # namespace, device there, N, Mbit/s
  ip link add "${tag}w$3" netns "$(ns origin)" type veth peer name "$2" netns "$(ns "$1")"
  in_ns origin ip addr add "10.78.$3.1/24" dev "${tag}w$3"
  in_ns origin ip link set "${tag}w$3" up
  in_ns "$1" ip addr add "10.78.$3.2/24" dev "$2"
  in_ns "$1" ip link set "$2" up
  shape origin "${tag}w$3" "$4" # downloads: origin -> namespace
  shape "$1" "$2" "$4"          # requests and acks: namespace -> origin
}

wait_port() { # what, pid, from namespace, address, port, log file
  for _ in $(seq 300); do
    in_ns "$3" bash -c "echo >/dev/tcp/$4/$5" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  fail "$1 did not start listening on $4:$5; its log: $(cat "$6" 2>/dev/null)"
}

# --- origin: nginx on 10.79.0.1 in namespace "origin" ---------------------------------------------
# Serves file.bin (SIZE MiB of random bytes) and quarter.bin (its first quarter); their sha256 in
# file_sha and quarter_sha. Other files can be added to $work/www before or after. Waits until
# nginx answers from the given namespace.
start_origin() { # size MiB, namespace to wait from
  mkdir -p "$work/www" "$work/nginx"
  head -c "$(($1 * 1048576))" /dev/urandom >"$work/www/file.bin"
  head -c "$(($1 * 1048576 / 4))" "$work/www/file.bin" >"$work/www/quarter.bin"
  file_sha=$(sha256sum "$work/www/file.bin" | cut -d' ' -f1)
  quarter_sha=$(sha256sum "$work/www/quarter.bin" | cut -d' ' -f1)
  cat >"$work/nginx/nginx.conf" <<EOF
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  server {
    listen $origin_ip:80;
    root $work/www;
  }
}
EOF
  in_ns origin ip addr add "$origin_ip/32" dev lo
  ip netns exec "$(ns origin)" nginx -c "$work/nginx/nginx.conf" -e "$work/nginx/error.log" &
  pids+=($!)
  wait_port nginx "${pids[-1]}" "$2" "$origin_ip" 80 "$work/nginx/error.log"
}

# --- downloads -----------------------------------------------------------------------------------
# One download; prints "bytes seconds", fails the script unless the bytes are the file's.
fetch_with() { # namespace, what (for messages), curl options, path, expected sha256
  local id="$BASHPID.$RANDOM"
  in_ns "$1" bash -c "set -o pipefail; curl -sS --fail $3 \
    -w '%{stderr}%{size_download} %{time_total}\n' 'http://$origin_ip/$4' 2>'$work/w.$id' \
    | sha256sum | cut -d' ' -f1 >'$work/s.$id'" || fail "download of $4 $2 failed: $(cat "$work/w.$id")"
  [[ $(cat "$work/s.$id") == "$5" ]] || fail "the bytes of $4 $2 differ from the file's"
  tail -n1 "$work/w.$id"
  rm -f "$work/w.$id" "$work/s.$id"
}
# The same through a proxy ("" for none).
fetch() { # namespace, proxy, path, expected sha256
  fetch_with "$1" "via ${2:-no proxy}" "${2:+-x $2}" "$3" "$4"
}
mbps() { awk '{ printf "%.1f", $1 * 8 / $2 / 1e6 }'; } # "bytes seconds" -> Mbit/s

# --- measuring -----------------------------------------------------------------------------------
ticks=$(getconf CLK_TCK)
tree() { # a process and its descendants
  local p="$1" c
  echo "$p"
  for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do tree "$c"; done
}
stat_ticks() { # a /proc .../stat file: its user+system ticks (0 once the task is gone)
  local fields
  read -r -a fields <<<"$(sed 's/.*) //' "$1" 2>/dev/null)" || true
  if ((${#fields[@]} > 12)); then echo $((fields[11] + fields[12])); else echo 0; fi
}
cpu_ticks() { # user+system ticks of these processes' trees
  local total=0 p
  for p in $(for root in "$@"; do tree "$root"; done); do
    total=$((total + $(stat_ticks /proc/"$p"/stat)))
  done
  echo "$total"
}
# User+system ticks of one JVM's JIT compiler threads (HotSpot's "C1/C2 CompilerThre"). A compiler
# thread the JVM stops takes its ticks with it: with two cores there is one of each and they stay;
# on more cores HotSpot adds and stops threads with the load, and a difference of two readings is
# then a lower bound.
jit_ticks() { # pid
  local total=0 t
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == C[12]\ CompilerThre* ]] || continue
    total=$((total + $(stat_ticks "$t/stat")))
  done
  echo "$total"
}
# How often one JVM's event loops gave up the CPU and were woken (their voluntary context switches,
# nearly all of them sleeps in epoll): each wake-up costs a pass through the handlers however few
# bytes it brings.
wakeups() { # pid
  local total=0 t
  for t in /proc/"$1"/task/*; do
    [[ $(cat "$t/comm" 2>/dev/null) == vert.x-eventloo* ]] || continue
    total=$((total + $(awk '/^voluntary_ctxt_switches/ { print $2 }' "$t/status" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
hwm_mib() { awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' /proc/"$1"/status; }
# From now on VmHWM is the peak of what follows: the peak so far becomes the RSS now (proc(5),
# clear_refs "5"; Linux 4.0+).
reset_hwm() { echo 5 >/proc/"$1"/clear_refs; }
max_of() { if (($1 > $2)); then echo "$1"; else echo "$2"; fi; }
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
declare -A results
record() { results[$1]+="$2"$'\n'; }
last() { [[ -n ${results[$1]:-} ]] || { echo -; return; }; tail -n1 <<<"${results[$1]%$'\n'}"; } # the latest value recorded, or - for none
m() { [[ -n ${results[$1]:-} ]] || { echo -; return; }; printf '%s' "${results[$1]}" | median; } # the median of the values recorded, or - for none

# --- the LAN test bed ----------------------------------------------------------------------------
router_ip() { echo "10.77.0.$((10 + $1))"; }
lan_join() { # namespace, address
  ip link add "$tag$1" netns "$(ns lan)" type veth peer name lan netns "$(ns "$1")"
  in_ns lan ip link set "$tag$1" master br0 up
  in_ns "$1" ip addr add "$2/24" dev lan
  in_ns "$1" ip link set lan up
}
# Namespaces lan, origin, client and r0..r(N-1), router i on a line of line_rates[i] Mbit/s.
tb_lan_bed() {
  local i
  routers=${#line_rates[@]}
  add_ns lan
  add_ns origin
  # The origin's congestion control (the kernel's default unless BENCH_ORIGIN_CC names one, e.g.
  # cubic or bbr): it decides how a shallow tbf queue drops when several flows share a line. A
  # namespace may only pick one listed in the host's net.ipv4.tcp_allowed_congestion_control.
  [[ -z ${BENCH_ORIGIN_CC:-} ]] || in_ns origin sysctl -qw "net.ipv4.tcp_congestion_control=$BENCH_ORIGIN_CC"
  add_ns client
  in_ns lan ip link add br0 type bridge
  in_ns lan ip link set br0 up
  lan_join client "$client_ip"
  for ((i = 0; i < routers; i++)); do
    add_ns "r$i"
    lan_join "r$i" "$(router_ip "$i")"
    add_line "r$i" wan "$i" "${line_rates[$i]}"
    in_ns "r$i" ip route add "$origin_ip/32" via "10.78.$i.1"
  done
}

# --- bamqp nodes on the LAN test bed -------------------------------------------------------------
# Settings read by node_yaml: homes (how many of the routers are homes, default 1), home_keys (a
# line for the homes' aggregation section), home_proxy_keys (one for their proxy section), max_jobs (sharing.maxConcurrentJobs of every node, empty
# for the node's default), keep_logs (non-empty: log level info, else warn), java_opts (each node's
# BAMQP_JAVA_OPTS), jfr_dir and perf_dir (cost.sh's --jfr and --perf); BENCH_LOG_LEVEL in the
# environment overrides the nodes' log level (debug: a timeline line per range, for diagnosis with
# bench/timeline.py; it costs CPU, so not for measured figures).
homes=1
home_keys=""
home_proxy_keys=""
max_jobs=""
java_opts="${java_opts:-}"
keep_logs=""
node_yaml() { # router index, aggregation on/off, trusted ids, static peers
  local i="$1" home=false
  ((i < homes)) && home=true
  cat <<EOF
proxy:
  listen: $(router_ip "$i"):3128
  allowedClients: [10.77.0.0/24]
$([[ $home == true && -n $home_proxy_keys ]] && echo "  $home_proxy_keys")
wan:
  lineRateMbps: ${line_rates[$i]}
aggregation:
  enabled: $2
$([[ $home == true && -n $home_keys ]] && echo "  $home_keys")
peer:
  listen: $(router_ip "$i"):7432
  static: [$4]
  trusted: [$3]
sharing:
  enabled: $([[ $home == true ]] && echo false || echo true)
  maxRateMbps: 10000
$([[ -n $max_jobs ]] && echo "  maxConcurrentJobs: $max_jobs")
discovery:
  mdns: false
security:
  allowDestinations: [$origin_ip/32]
stats:
  listen: 127.0.0.1:8088
state:
  dir: $work/state$i
log:
  level: ${BENCH_LOG_LEVEL:-$([[ -n $keep_logs ]] && echo info || echo warn)}
EOF
}
# Builds the jar (unless --jar gave one) and snapshots the launcher, its jvm.options, bamqp-cds and
# the jar, so that editing the sources during a run cannot make the launcher rebuild in the middle
# of it.
snapshot_launcher() { # given jar or ""
  [[ -n $1 ]] || (cd "$here" && ./bamqp --help >/dev/null)
  mkdir -p "$work/launch/proxy/target" "$work/launch/distribution/src/main/sh"
  cp "$here/bamqp" "$here/jvm.options" "$work/launch/"
  cp "$here/distribution/src/main/sh/bamqp-cds" "$work/launch/distribution/src/main/sh/"
  cp "${1:-$here/proxy/target/bamqp.jar}" "$work/launch/proxy/target/bamqp.jar"
  jar="$work/launch/proxy/target/bamqp.jar"
  "$work/launch/bamqp" cds >/dev/null # its class-data archive, made before any node's clock starts
}
# The java ./bamqp starts the nodes with (JAVA_HOME's, else the PATH's) and what jvm.options gives
# it: its options, then its environment lines (each used unless the environment sets it).
node_jvm() {
  echo "$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1);" \
    "JVM options: $(grep -vE '^(#|[A-Z_][A-Z0-9_]*=)' "$here/jvm.options" | xargs);" \
    "JVM environment: $(grep -E '^[A-Z_][A-Z0-9_]*=' "$here/jvm.options" | xargs)"
}
# Every router's identity (ids), trusted (all of them) and statics (the helpers, for the homes).
make_identities() {
  local i
  ids=()
  for ((i = 0; i < routers; i++)); do
    node_yaml "$i" true "" "" >"$work/r$i.yaml"
    java -jar "$jar" keygen --config "$work/r$i.yaml" >/dev/null
    ids+=("$(java -jar "$jar" id --config "$work/r$i.yaml" | grep -oE '[A-Z2-7]{8}(-[A-Z2-7]{8})+' | head -1)")
  done
  trusted="$(IFS=,; echo "${ids[*]}")"
  statics=""
  for ((i = homes; i < routers; i++)); do
    statics+="${statics:+, }{id: ${ids[$i]}, address: \"$(router_ip "$i"):7432\"}"
  done
}
write_configs() { # aggregation on/off for the homes
  local i
  for ((i = 0; i < homes; i++)); do node_yaml "$i" "$1" "$trusted" "$statics" >"$work/r$i.yaml"; done
  for ((i = homes; i < routers; i++)); do node_yaml "$i" true "$trusted" "" >"$work/r$i.yaml"; done
}

declare -A node_pid
newest_start=0
starts=0
start_node() { # router index
  local i="$1" opts="$java_opts"
  starts=$((starts + 1))
  [[ -z ${jfr_dir:-} ]] || opts+=" -XX:StartFlightRecording=filename=$jfr_dir/r$i-$starts.jfr,settings=profile,dumponexit=true"
  [[ -z ${perf_dir:-} ]] || opts+=" -XX:+UnlockDiagnosticVMOptions -XX:+DumpPerfMapAtExit"
  # The launcher: jvm.options, then these options (exec: its pid is the JVM's).
  ip netns exec "$(ns "r$i")" env BAMQP_JAVA_OPTS="$opts" "$work/launch/bamqp" run --config "$work/r$i.yaml" >>"$work/r$i.log" 2>&1 &
  node_pid[$i]=$!
  newest_start=$(date +%s)
  pids+=("${node_pid[$i]}")
  wait_port "node r$i" "${node_pid[$i]}" client "$(router_ip "$i")" 3128 "$work/r$i.log"
}
stop_node() { # router index; skips a router whose node never started (a phase not run)
  [[ -n ${node_pid[$1]:-} ]] || return 0
  kill "${node_pid[$1]}" 2>/dev/null || true
  wait "${node_pid[$1]}" 2>/dev/null || true
}

# Waits until a home sees every helper online (liveness answered), so that no download of the run
# starts before its neighbors can take work.
neighbors_online() { # home index (default 0)
  local want=$((routers - homes)) online
  for _ in $(seq 300); do
    online=$(in_ns "r${1:-0}" curl -s http://127.0.0.1:8088/api/peers | python3 -c '
import json, sys
print(sum(1 for p in json.load(sys.stdin)["peers"] if p["state"] == "online"))' 2>/dev/null || echo 0)
    ((online >= want)) && return 0
    sleep 0.1
  done
  fail "home r${1:-0} did not see its $want helpers online within 30 s"
}

# The warm-up downloads before a measured one (warmup_seconds): until the newest node has run that
# long, at least one.
warm_up_hook() { :; } # run after each warm-up download; a bench may define its own after sourcing
warm_up() { # proxy
  local until=$((newest_start + warmup_seconds))
  fetch client "$1" quarter.bin "$quarter_sha" >/dev/null
  warm_up_hook
  while (($(date +%s) < until)); do
    fetch client "$1" quarter.bin "$quarter_sha" >/dev/null
    warm_up_hook
  done
}
