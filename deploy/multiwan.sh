#!/bin/sh
# Policy routing for a router with several Internet lines, so that a socket bound to a line's
# address leaves through that line: what bamqp's wan.lines need from the OS (README, "Several lines
# in one router"). One routing table per line holds the line's own subnet and its default route;
# one rule sends every packet from the line's address to that table. Everything else keeps using
# the main table (the primary line's default route), exactly as before.
#
# Usage: multiwan.sh up   TABLE:DEVICE:ADDRESS:GATEWAY ...
#        multiwan.sh down TABLE:DEVICE:ADDRESS:GATEWAY ...
#        multiwan.sh show TABLE:DEVICE:ADDRESS:GATEWAY ...
#   TABLE    a free routing table number per line (100-250 are free on most systems)
#   DEVICE   the line's interface (eth1, wwan0, pppoe-wan)
#   ADDRESS  the line's own IPv4 address, as in wan.lines[].bindAddress
#   GATEWAY  the line's next hop (the modem or the ISP's router)
# Example (DSL on eth1, LTE on wwan0):
#   multiwan.sh up 101:eth1:192.168.1.2:192.168.1.1 102:wwan0:10.64.0.2:10.64.0.1
# Idempotent: `up` replaces what an earlier `up` made; `down` removes only what `up` adds.
# Needs root and iproute2. On OpenWrt, mwan3 does the same from its UCI config (see the README).
# Tested by MultiWanIT (integration-tests), which builds a router with two lines in network
# namespaces and routes them with this script.
set -eu

usage() { sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
[ $# -ge 2 ] || usage
action="$1"
shift

for line in "$@"; do
  IFS=: read -r table device address gateway <<EOT
$line
EOT
  case "$table" in '' | *[!0-9]*) echo "multiwan: '$line': TABLE must be a number" >&2; exit 2 ;; esac
  if [ -z "$device" ] || [ -z "$address" ] || [ -z "$gateway" ]; then
    echo "multiwan: '$line' is not TABLE:DEVICE:ADDRESS:GATEWAY" >&2
    exit 2
  fi
  case "$action" in
    up)
      # The line's connected subnet, then its default route, in its own table.
      ip -4 route show table main dev "$device" scope link | while read -r subnet rest; do
        ip route replace "$subnet" dev "$device" src "$address" table "$table"
      done
      ip route replace default via "$gateway" dev "$device" src "$address" table "$table"
      # One rule per line; an earlier one for the same address is replaced, not duplicated.
      while ip rule del from "$address/32" 2>/dev/null; do :; done
      ip rule add from "$address/32" table "$table" priority "$((1000 + table))"
      ;;
    down)
      while ip rule del from "$address/32" table "$table" 2>/dev/null; do :; done
      ip route flush table "$table" 2>/dev/null || true
      ;;
    show)
      echo "== line $device ($address), table $table"
      ip rule show | grep -F "from $address lookup $table" || echo "(no rule)"
      ip route show table "$table" || true
      ;;
    *) usage ;;
  esac
done
