#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stock ib_ipoib in datagram mode (UD) between the two default HCAs, each
# netdev in its own network namespace: IPv4 and IPv6 ping both ways (IPv6
# neighbour discovery needs multicast), pings up to 64 KiB (fragments),
# iperf3 both ways, a 64 MiB random file over TCP with equal sha256 and the
# port byte counters covering it.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

ipoib_require iperf3 sha256sum ss timeout
require_tcp_copy

if ! ipoib_start ib_ipoib || ! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi

rc=0
mtu0=$(ip netns exec "$NS1" cat "/sys/class/net/$IF0/mtu")
mtu1=$(ip netns exec "$NS2" cat "/sys/class/net/$IF1/mtu")
[[ "$mtu0" =~ ^(2044|4092)$ ]] || rc=1
[ "$mtu0" = "$mtu1" ] || rc=1
[ "$(ip netns exec "$NS1" cat "/sys/class/net/$IF0/mode")" = datagram ] ||
	rc=1
log_result $rc "datagram mode, MTU from the broadcast group: $mtu0 / $mtu1"

ipoib_traffic_checks 64

ipoib_finish
