#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Two enhanced IPoIB interfaces on one host reach each other (mlx5 lost
# this for years, see Mellanox/ipoib-cni#9), each in its own namespace:
#  - on two devices: the parents of vhca0 and vhca1, and their P_Key
#    0x8001 children;
#  - on one device: the parents of port 1 and port 2 of a 2-port vhca7,
#    and their 0x8001 children; iperf3 and a file over TCP between them;
#  - a parent and a 0x8001 child of the same port are on different
#    partitions and do not reach each other.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MIB=${VHCA_LOOPBACK_MIB:-16}

ipoib_require iperf3 sha256sum ss timeout ethtool
require_tcp_copy

# port_active IBDEV PORT
# shellcheck disable=SC2317 # called through wait_until
port_active()
{
	[ "$(cat "$IB_CLASS/$1/ports/$2/state" 2> /dev/null)" = "4: ACTIVE" ]
}

# children_up A B: 0x8001 children of A (in NS1) and B (in NS2), moved to
# NS3 and NS4 as 10.1.0.1 and 10.1.0.2
children_up()
{
	local rc=0

	ip -n "$NS1" link add link "$1" name "$1.8001" type ipoib \
		pkey 0x8001 || rc=1
	ip -n "$NS2" link add link "$2" name "$2.8001" type ipoib \
		pkey 0x8001 || rc=1
	ip netns add "$NS3" && ip netns add "$NS4" || rc=1
	ip -n "$NS1" link set dev "$1.8001" netns "$NS3" || rc=1
	ip -n "$NS2" link set dev "$2.8001" netns "$NS4" || rc=1
	ns_setup "$NS3" "$1.8001" 10.1.0.1/24 || rc=1
	ns_setup "$NS4" "$2.8001" 10.1.0.2/24 || rc=1
	return $rc
}

if ! ipoib_start ib_ipoib; then
	echo "1..$num"
	exit 1
fi

# two devices, parents
rc=0
ipoib_is_enhanced - "$IF0" || rc=1
ipoib_netns datagram || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS2" "$ADDR1" 56 || rc=1
ns_ping "$NS1" "$ADDR6_2" 56 || rc=1
log_result $rc "two devices: $IF0 ($NS1) <-> $IF1 ($NS2), IPv4 and IPv6"

# two devices, P_Key children
rc=0
pkey_add_both 0x8001 || rc=1
children_up "$IF0" "$IF1" || rc=1
ipoib_is_enhanced "$NS3" "$IF0.8001" || rc=1
ns_ping "$NS3" 10.1.0.2 56 || rc=1
ns_ping "$NS4" 10.1.0.1 8000 || rc=1
log_result $rc "two devices: 0x8001 children $IF0.8001 ($NS3) <-> $IF1.8001 ($NS4)"

# parent and child of one port: different partitions
rc=0
ip -n "$NS3" addr add 10.0.0.11/24 dev "$IF0.8001" || rc=1
ns_ping "$NS3" "$ADDR2" 56 3 && rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
log_result $rc "a 0x8001 child does not reach a parent (P_Key 0xffff) on the same subnet"
netns_del "$NS1" "$NS2" "$NS3" "$NS4"

# one device, two ports
rc=0
[ "$(try_write /sys/bus/vhca/new_device "7 2")" = ok ] || rc=1
IB7=$(wait_until 10 vhca_ibdev 7) || rc=1
for p in 1 2; do
	wait_until 20 port_active "$IB7" "$p" || rc=1
done
P1=$(wait_until 10 vhca_ipoib_if 7 1) || rc=1
P2=$(wait_until 10 vhca_ipoib_if 7 2) || rc=1
[ "$rc" -ne 0 ] || ipoib_is_enhanced - "$P1" || rc=1
[ "$rc" -ne 0 ] || ipoib_is_enhanced - "$P2" || rc=1
log_result $rc "vhca7 with 2 ports: ${IB7:-?}, IPoIB ${P1:-?} (port 1) and ${P2:-?} (port 2), enhanced"
if [ "$rc" -ne 0 ]; then
	echo "1..$num"
	exit 1
fi

rc=0
ns_setup "$NS1" "$P1" "$ADDR1/24" "$ADDR6_1/64" || rc=1
ns_setup "$NS2" "$P2" "$ADDR2/24" "$ADDR6_2/64" || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS2" "$ADDR1" 56 || rc=1
ns_ping "$NS1" "$ADDR6_2" 56 || rc=1
ns_ping "$NS2" "$ADDR6_1" 65000 || rc=1
log_result $rc "one device: port 1 $P1 ($NS1) <-> port 2 $P2 ($NS2), IPv4, IPv6, 64 KiB"

rc=0
g=''
iperf_server "$NS2" || rc=1
[ "$rc" -ne 0 ] || g=$(iperf_gbps "$NS1" "$ADDR2" 3) || rc=1
random_file "$ipoib_tmp/src" "$MIB"
tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" || rc=1
same_file "$ipoib_tmp/src" "$ipoib_tmp/dst" || rc=1
log_result $rc "one device: iperf3 ${g:-?} Gbit/s, $MIB MiB over TCP port 1 -> port 2, sha256 equal"

rc=0
for p in 1 2; do
	knob_set "$VHCA_DBG/vhca7/port$p/pkeys" "add 0x8001" "del 0x8001" ||
		rc=1
	wait_until 10 pkey_in_port "$IB7" "$p" 0x8001 || rc=1
done
children_up "$P1" "$P2" || rc=1
ns_ping "$NS3" 10.1.0.2 56 || rc=1
ns_ping "$NS4" 10.1.0.1 4000 || rc=1
log_result $rc "one device: 0x8001 children of port 1 ($NS3) and port 2 ($NS4) reach each other"

ipoib_finish
