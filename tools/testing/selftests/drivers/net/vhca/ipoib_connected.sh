#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stock ib_ipoib in connected mode (RC, MTU 65520) between the two default
# HCAs, each netdev in its own network namespace: the same checks as
# ipoib_datagram.sh (ping v4/v6 both ways and up to 64 KiB, iperf3, a
# 64 MiB random file over TCP with equal sha256, byte counters).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

ipoib_require iperf3 sha256sum ss timeout
require_tcp_copy

if ! VHCA_IB_PARAMS=ipoib_enhanced=0 ipoib_start ib_ipoib ||
   ! ipoib_netns connected; then
	echo "1..$num"
	exit 1
fi

rc=0
for pair in "$NS1 $IF0" "$NS2 $IF1"; do
	read -r ns ifc <<< "$pair"
	[ "$(ip netns exec "$ns" cat "/sys/class/net/$ifc/mode")" = connected ] ||
		rc=1
	[ "$(ip netns exec "$ns" cat "/sys/class/net/$ifc/mtu")" = 65520 ] ||
		rc=1
done
log_result $rc "mode reads connected, MTU 65520 on both"

ipoib_traffic_checks 64

ipoib_finish
