#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Link down on one port while IPoIB traffic flows: the port goes DOWN,
# that IPoIB netdev loses its carrier and pings fail; link up: the port is
# ACTIVE again, IPoIB rejoins its multicast groups, the carrier and the
# traffic come back. The other port is not disturbed.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

# shellcheck disable=SC2317 # called through wait_until
no_carrier()
{
	! netdev_has "$1" "$2" LOWER_UP
}

ipoib_require ss
if ! ipoib_start ib_ipoib || ! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi
LINK=$VHCA_DBG/vhca1/port1/link

rc=0
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS2" "$ADDR1" 56 || rc=1
log_result $rc "ping $NS1 <-> $NS2 before the link goes down"

rc=0
drops0=$(vhca_drops link_down)
knob_set "$LINK" down up || rc=1
wait_until 10 ib_port_is "$IB1" DOWN || rc=1
wait_until 10 no_carrier "$NS2" "$IF1" || rc=1
rdma link show "$IB1/1" | grep -q ' state DOWN ' || rc=1
ip netns exec "$NS2" cat "/sys/class/net/$IF1/carrier" 2> /dev/null |
	grep -qx 1 && rc=1
[ "$rc" -eq 0 ] || { rdma link show; ip -n "$NS2" link; } | sed 's/^/# /'
log_result $rc "link down on vhca1: port DOWN ($(ib_port_state "$IB1")), $IF1 carrier off"

rc=0
ns_ping "$NS1" "$ADDR2" 56 3 && rc=1
ib_port_is "$IB0" ACTIVE || rc=1
netdev_has "$NS1" "$IF0" LOWER_UP || rc=1
drops1=$(vhca_drops link_down)
log_result $rc "ping fails while down; vhca0 stays ACTIVE with carrier (drop_link_down +$((drops1 - drops0)))"

rc=0
knob_set "$LINK" up up || rc=1
wait_until 20 ib_port_is "$IB1" ACTIVE || rc=1
rdma link show "$IB1/1" | grep -q ' state ACTIVE physical_state LINK_UP' ||
	rc=1
wait_until 30 netdev_has "$NS2" "$IF1" LOWER_UP || rc=1
[ "$rc" -eq 0 ] || { rdma link show; ip -n "$NS2" link; } | sed 's/^/# /'
log_result $rc "link up: port ACTIVE, $IF1 carrier back"

rc=0
ns_ping "$NS1" "$ADDR2" 56 30 || rc=1
ns_ping "$NS2" "$ADDR1" 56 || rc=1
ns_ping "$NS1" "$ADDR6_2" 56 || rc=1
ns_ping "$NS1" "$ADDR2" 16384 || rc=1
log_result $rc "traffic resumes: IPv4 both ways, IPv6, -s 16384"

ipoib_finish
