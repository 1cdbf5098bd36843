#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Enhanced IPoIB: with vhca_ib's default ipoib_enhanced=1, stock ib_ipoib
# drives vhca's rdma_netdev: ethtool -i names vhca_core (legacy mode says
# ib_ipoib) and each port has an uplink netdev under its IPoIB interface.
# Between the two default HCAs, each netdev in its own namespace, in each
# tx_meta_storage mode (cb, header, metadata; devlink param, run time,
# both devices): ping both ways over IPv4 and IPv6, pings up to 64 KiB,
# iperf3 both ways, a random file over TCP with equal sha256 (64 MiB in
# the first mode, 16 MiB in the others). Then the mode is switched back
# and forth under a running 64 MiB TCP stream, which arrives whole (sha256
# equal).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MIB=${VHCA_ENH_MIB:-64}
MODE_MIB=${VHCA_ENH_MODE_MIB:-16}

ipoib_require iperf3 sha256sum ss timeout ethtool devlink
require_tcp_copy

if ! ipoib_start ib_ipoib; then
	echo "1..$num"
	exit 1
fi

rc=0
p=$(cat /sys/module/vhca_ib/parameters/ipoib_enhanced 2> /dev/null) || rc=1
[[ "$p" =~ ^(1|Y)$ ]] || rc=1
log_result $rc "vhca_ib parameter ipoib_enhanced defaults to on (${p:-?})"

rc=0
for ifc in "$IF0" "$IF1"; do
	ipoib_is_enhanced - "$ifc" || rc=1
	echo "# $ifc: driver $(ethtool_info - "$ifc" driver), bus-info $(ethtool_info - "$ifc" bus-info)"
done
[ "$(ethtool_info - "$IF0" bus-info)" = vhca0 ] || rc=1
[ "$(ethtool_info - "$IF1" bus-info)" = vhca1 ] || rc=1
log_result $rc "ethtool -i: $IF0 and $IF1 are vhca_core's (enhanced mode), bus-info vhca0/vhca1"

ipoib_uplinks || true

rc=0
[ "$(ethtool_info - "$UP0" driver)" = vhca_core ] || rc=1
[ -n "$UP0" ] && [ -n "$UP1" ] || rc=1
[ "$(ethtool_info - "$UP1" bus-info)" = vhca1 ] || rc=1
ip -o link show dev "$UP0" 2> /dev/null | grep '[<,]UP[,>]' > /dev/null || rc=1
log_result $rc "the uplinks ${UP0:-?} and ${UP1:-?} are vhca_core's (bus-info vhca0/vhca1), ${UP0:-?} up"

rc=0
if ! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi
mtu=$(ip netns exec "$NS1" cat "/sys/class/net/$IF0/mtu")
[[ "$mtu" =~ ^(2044|4092)$ ]] || rc=1
log_result $rc "datagram mode, MTU $mtu"

for m in "${META_MODES[@]}"; do
	echo "# --- tx_meta_storage $m ---"
	rc=0
	meta_mode_set "$m" || rc=1
	log_result $rc "devlink tx_meta_storage $m on vhca0 and vhca1"
	ipoib_traffic_checks "$MIB"
	MIB=$MODE_MIB
done
MIB=${VHCA_ENH_MIB:-64}

# Switch modes under a running TCP stream: whatever is in flight when the
# mode changes is either sent under the old mode or dropped and counted;
# TCP recovers the latter, so the file arrives whole.
rc=0
switches=0
meta_mode_set header || rc=1
random_file "$ipoib_tmp/src" "$MIB"
tcp_copy_bg sw "$NS1" "$NS2" "$ADDR2" 5302 "$ipoib_tmp/src" "$ipoib_tmp/dst"
sleep 0.5
while tcp_copy_running sw; do
	for m in cb metadata header; do
		meta_mode_set "$m" || rc=1
		switches=$((switches + 1))
		sleep 0.1
	done
done
tcp_copy_wait sw || rc=1
same_file "$ipoib_tmp/src" "$ipoib_tmp/dst" || rc=1
[ "$switches" -ge 3 ] || rc=1
log_result $rc "$MIB MiB over TCP while tx_meta_storage switched $switches times: sha256 equal"
rm -f "$ipoib_tmp/src" "$ipoib_tmp/dst"

rc=0
meta_mode_set header || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS2" "$ADDR6_1" 4000 || rc=1
log_result $rc "after the switches: ping both ways"

ipoib_finish
