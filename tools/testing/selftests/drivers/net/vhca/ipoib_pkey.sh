#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPoIB P_Key child interfaces: with P_Key 0x8001 added to both ports
# through the pkeys knob, children `type ipoib pkey 0x8001` of the two
# IPoIB netdevs, each in its own namespace, pass traffic; a child on
# P_Key 0x8002, which the fabric does not have, gets no carrier while the
# 0x8001 children keep working.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

CADDR1=10.1.0.1
CADDR2=10.1.0.2

# P_Key $2 is in the P_Key table of port 1 of ib_device $1 (sysfs)
# shellcheck disable=SC2317 # called through wait_until
pkey_in_table()
{
	cat "$IB_CLASS/$1/ports/1/pkeys/"* 2> /dev/null | grep -x "$2" > /dev/null
}

ipoib_require ss
if ! ipoib_start ib_ipoib; then
	echo "1..$num"
	exit 1
fi
C0=$IF0.8001
C1=$IF1.8001
BAD=$IF0.8002

rc=0
for i in 0 1; do
	knob_set "$VHCA_DBG/vhca$i/port1/pkeys" "add 0x8001" "del 0x8001" ||
		rc=1
done
wait_until 10 pkey_in_table "$IB0" 0x8001 || rc=1
wait_until 10 pkey_in_table "$IB1" 0x8001 || rc=1
pkey_in_table "$IB0" 0x8002 && rc=1
log_result $rc "P_Key 0x8001 added to both ports: in both P_Key tables (sysfs)"

rc=0
ip link set dev "$IF0" up || rc=1
ip link set dev "$IF1" up || rc=1
ip link add link "$IF0" name "$C0" type ipoib pkey 0x8001 || rc=1
ip link add link "$IF1" name "$C1" type ipoib pkey 0x8001 || rc=1
if [ "$rc" -eq 0 ]; then
	# children made over netlink have no sysfs "pkey" file (only
	# create_child ones do): ask rtnetlink, as a user would
	for c in "$C0" "$C1"; do
		ip -d link show dev "$c" |
			grep 'ipoib pkey  *0x8001 ' > /dev/null || rc=1
	done
fi
[ "$rc" -eq 0 ] || ip -d link show | sed 's/^/# /'
log_result $rc "ip link add ... type ipoib pkey 0x8001 on both: $C0, $C1"

rc=0
ip netns add "$NS1" || rc=1
ip netns add "$NS2" || rc=1
ip link set dev "$C0" netns "$NS1" || rc=1
ip link set dev "$C1" netns "$NS2" || rc=1
ip -n "$NS1" addr add "$CADDR1/24" dev "$C0" || rc=1
ip -n "$NS2" addr add "$CADDR2/24" dev "$C1" || rc=1
ip -n "$NS1" link set dev "$C0" up || rc=1
ip -n "$NS2" link set dev "$C1" up || rc=1
wait_until 30 netdev_has "$NS1" "$C0" LOWER_UP || rc=1
wait_until 30 netdev_has "$NS2" "$C1" LOWER_UP || rc=1
[ "$rc" -eq 0 ] || { ip -n "$NS1" link; ip -n "$NS2" link; } 2>&1 |
	sed 's/^/# /'
log_result $rc "the 0x8001 children, alone in $NS1 and $NS2, get carrier"

rc=0
ns_ping "$NS1" "$CADDR2" 56 || rc=1
ns_ping "$NS2" "$CADDR1" 56 || rc=1
ns_ping "$NS1" "$CADDR2" 8000 || rc=1
log_result $rc "ping over P_Key 0x8001 both ways (and -s 8000)"

rc=0
ip link add link "$IF0" name "$BAD" type ipoib pkey 0x8002 || rc=1
ip link set dev "$BAD" up || rc=1
sleep 5
if [ "$rc" -eq 0 ]; then
	[ "$(cat "/sys/class/net/$BAD/carrier" 2> /dev/null)" != 1 ] || rc=1
	ip -o link show dev "$BAD" | grep "[<,]LOWER_UP[,>]" > /dev/null && rc=1
	[ "$(cat "/sys/class/net/$BAD/operstate")" != up ] || rc=1
fi
[ "$rc" -eq 0 ] || ip link show dev "$BAD" | sed 's/^/# /'
log_result $rc "a child on P_Key 0x8002 (not in the fabric) gets no carrier"

rc=0
ns_ping "$NS1" "$CADDR2" 56 || rc=1
ns_ping "$NS2" "$CADDR1" 56 || rc=1
log_result $rc "the 0x8001 children still pass traffic"

ipoib_finish
