#!/usr/bin/env bash
# What one bamqp node adds on loopback, measured against going direct in the same run:
#   1. latency of small requests: wrk, one connection, one request at a time (median);
#   2. single-stream throughput: curl downloading one large file (median of RUNS), on the raw
#      loopback and on a line shaped to 800 Mbit/s (nginx limit_rate, far above a home line);
#   3. the node's CPU seconds per GiB moved (from /proc/PID/stat around the proxied downloads).
# Origin: nginx serving from tmpfs, so the origin is not the JVM under test. As a yardstick, the
# same downloads also go through nginx as a streaming reverse proxy (proxy_buffering off).
#
# Usage: bench/proxy-overhead.sh [RUNS=5] [SIZE_MIB=1024]
# Needs: java 17+, maven (first build), nginx, wrk, curl, python3
#   (Debian: apt-get install nginx-light wrk curl python3)
set -euo pipefail
runs="${1:-5}"
size_mib="${2:-1024}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
for tool in nginx wrk curl python3 java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (see the header of $0)" >&2; exit 1; }
done

work="$(mktemp -d /dev/shm/bamqp-bench.XXXXXX)"
origin_port=18481
proxy_port=18482
nginx_proxy_port=18483
shaped_port=18484
cleanup() {
  [[ -n "${proxy_pid:-}" ]] && kill "$proxy_pid" 2>/dev/null || true
  [[ -f "$work/nginx.pid" ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- origin -----------------------------------------------------------------------------------
mkdir -p "$work/www" "$work/tmp"
head -c 100 /dev/urandom >"$work/www/small"
dd if=/dev/urandom of="$work/www/big" bs=1M count="$size_mib" status=none
cat >"$work/nginx.conf" <<CONF
daemon on;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  sendfile on; keepalive_requests 1000000;
  server { listen 127.0.0.1:$origin_port; root $work/www; }
  server { listen 127.0.0.1:$shaped_port; root $work/www; limit_rate 100m; }
  upstream origin { server 127.0.0.1:$origin_port; keepalive 8; }
  server {
    listen 127.0.0.1:$nginx_proxy_port;
    location / { proxy_pass http://origin; proxy_http_version 1.1; proxy_set_header Connection "";
                 proxy_buffering off; }
  }
}
CONF
chmod -R a+rX "$work"
nginx -c "$work/nginx.conf"
curl -sf -o /dev/null "http://127.0.0.1:$origin_port/small" || { echo "bench: nginx does not serve" >&2; exit 1; }

# --- bamqp node -------------------------------------------------------------------------------
[[ -f "$here/proxy/target/bamqp.jar" ]] || (cd "$here" && ./bamqp --help >/dev/null)
cat >"$work/bamqp.yaml" <<CONF
proxy:
  listen: 127.0.0.1:$proxy_port
security:
  allowDestinations: [127.0.0.0/8]   # the origin is nginx on this machine's loopback
log:
  level: warn
CONF
java -jar "$here/proxy/target/bamqp.jar" run --config "$work/bamqp.yaml" 2>"$work/bamqp.log" &
proxy_pid=$!
for _ in $(seq 100); do
  curl -sf -o /dev/null "http://127.0.0.1:$proxy_port/small" -H "Host: 127.0.0.1:$origin_port" && break
  sleep 0.1
done
curl -sf -o /dev/null -x "127.0.0.1:$proxy_port" "http://127.0.0.1:$origin_port/small" \
  || { echo "bench: bamqp does not answer (see $work/bamqp.log)" >&2; exit 1; }

cpu_seconds() { # utime + stime of the JVM, in seconds
  awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$proxy_pid/stat"
}

# Warm up the JIT on both paths before anything is timed.
wrk -t1 -c1 -d3s "http://127.0.0.1:$proxy_port/small" -H "Host: 127.0.0.1:$origin_port" >/dev/null
curl -s -o /dev/null -x "127.0.0.1:$proxy_port" "http://127.0.0.1:$origin_port/big"

# --- 1. latency -------------------------------------------------------------------------------
median_latency_us() { # wrk --latency prints e.g. "50%   41.00us"
  wrk -t1 -c1 -d5s --latency "$@" | awk '$1 == "50%" {
    v = $2; u = v; gsub(/[0-9.]/, "", u); gsub(/[a-z]/, "", v);
    print (u == "ms") ? v * 1000 : (u == "s") ? v * 1000000 : v }'
}
lat_direct=(); lat_proxy=()
for _ in $(seq "$runs"); do
  lat_direct+=("$(median_latency_us "http://127.0.0.1:$origin_port/small")")
  lat_proxy+=("$(median_latency_us "http://127.0.0.1:$proxy_port/small" -H "Host: 127.0.0.1:$origin_port")")
done

# --- 2. throughput and 3. CPU -----------------------------------------------------------------
speed() { curl -sf -o /dev/null -w '%{speed_download}' "$@"; }
tp_direct=(); tp_proxy=(); tp_nginx=(); sh_direct=(); sh_proxy=()
cpu_proxied=0
for _ in $(seq "$runs"); do
  tp_direct+=("$(speed "http://127.0.0.1:$origin_port/big")")
  before="$(cpu_seconds)"
  tp_proxy+=("$(speed -x "127.0.0.1:$proxy_port" "http://127.0.0.1:$origin_port/big")")
  cpu_proxied="$(python3 -c "print($cpu_proxied + $(cpu_seconds) - $before)")"
  tp_nginx+=("$(speed "http://127.0.0.1:$nginx_proxy_port/big")")
  sh_direct+=("$(speed "http://127.0.0.1:$shaped_port/big")")
  sh_proxy+=("$(speed -x "127.0.0.1:$proxy_port" "http://127.0.0.1:$shaped_port/big")")
done

python3 - "$runs" "$size_mib" "$cpu_proxied" \
  "${lat_direct[*]}" "${lat_proxy[*]}" "${tp_direct[*]}" "${tp_proxy[*]}" "${tp_nginx[*]}" \
  "${sh_direct[*]}" "${sh_proxy[*]}" <<'PY'
import statistics as st, sys
runs, size_mib, cpu = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
ld, lp, td, tp, tn, sd, sp = ([float(x) for x in a.split()] for a in sys.argv[4:11])
mbit = lambda xs: st.median(xs) * 8 / 1e6
mld, mlp = st.median(ld), st.median(lp)
gib = runs * size_mib / 1024
print(f"runs={runs} file={size_mib} MiB")
print(f"small-request latency (median of {runs} wrk medians): direct {mld:.0f} us, "
      f"through bamqp {mlp:.0f} us, added {mlp - mld:.0f} us")
print(f"raw loopback, single stream (median of {runs}): direct {mbit(td):.0f} Mbit/s, "
      f"bamqp {mbit(tp):.0f} Mbit/s ({mbit(tp) / mbit(td):.2f} of direct), "
      f"nginx proxy {mbit(tn):.0f} Mbit/s ({mbit(tn) / mbit(td):.2f} of direct)")
print(f"800 Mbit/s line, single stream (median of {runs}): direct {mbit(sd):.0f} Mbit/s, "
      f"bamqp {mbit(sp):.0f} Mbit/s ({mbit(sp) / mbit(sd):.3f} of direct)")
print(f"bamqp CPU on the raw-loopback downloads: {cpu:.2f} s for {gib:.1f} GiB = {cpu / gib:.2f} CPU s/GiB")
print("raw latency us: direct", ld, "bamqp", lp)
for name, xs in (("direct", td), ("bamqp", tp), ("nginx", tn), ("shaped direct", sd), ("shaped bamqp", sp)):
    print(f"raw Mbit/s {name}:", [round(x * 8 / 1e6) for x in xs])
PY
