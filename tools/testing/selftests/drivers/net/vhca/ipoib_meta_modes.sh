#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The invariants of the three tx_meta_storage modes (cb, header, metadata)
# with two upper devices on one uplink: vhca0's IPoIB parent and its
# P_Key 0x8001 child, both in NS1, send to two peers, vhca1's parent (NS2)
# and its 0x8001 child (NS3). A sniffer on each peer counts what arrives.
#  1. Every mode: UDP datagrams to both peers in turn all arrive at their
#     own peer, TCP to both at once arrives whole, and no peer ever sees a
#     packet addressed to another (misdelivery).
#  2. The 9207f9d45b0a failure: with TSO off on the uplink only, the upper
#     device still hands it TSO skbs and the stack segments them between
#     the two (GSO), where skb->cb does not survive. header and metadata
#     deliver every segment; cb segments in the upper device first or
#     drops and counts (drop_cb_gso); none misdelivers.
#  3. Untrusted metadata: a tc mirred redirect from vhca0's uplink to
#     vhca1's hands vhca1's uplink packets whose metadata names another
#     uplink; they are dropped and counted (drop_meta_*), in every mode.
#  4. Untrusted metadata injected through the driver's debugfs knob
#     meta_fault (wrong cookie, stale handle, wrong lower device, wrong
#     dst type): dropped and counted under its reason.
#  5. A tc mirred redirect from the uplink to a dummy device: metadata is
#     ignored there, header bytes are visible there (their length is
#     printed), nothing crashes.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MIB=${VHCA_META_MIB:-4}
N=${VHCA_META_UDP:-300}
CADDR1=10.1.0.1
CADDR2=10.1.0.2
DUMMY=vhca-dummy0

ipoib_require sha256sum ss timeout ethtool devlink tc python3
require_tools python3

# shellcheck disable=SC2317 # called by the EXIT trap
meta_cleanup()
{
	ip link del "$DUMMY" 2> /dev/null || true
	ipoib_cleanup
}

if ! ipoib_start ib_ipoib || ! ipoib_uplinks; then
	echo "1..$num"
	exit 1
fi
trap meta_cleanup EXIT
C0=$IF0.8001
C1=$IF1.8001

rc=0
pkey_add_both 0x8001 || rc=1
ip link set dev "$IF0" up && ip link set dev "$IF1" up || rc=1
ip link add link "$IF0" name "$C0" type ipoib pkey 0x8001 || rc=1
ip link add link "$IF1" name "$C1" type ipoib pkey 0x8001 || rc=1
ns_setup "$NS1" "$IF0" "$ADDR1/24" || rc=1
ns_setup "$NS1" "$C0" "$CADDR1/24" || rc=1
ns_setup "$NS2" "$IF1" "$ADDR2/24" || rc=1
ns_setup "$NS3" "$C1" "$CADDR2/24" || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS1" "$CADDR2" 56 || rc=1
log_result $rc "$IF0 and $C0 in $NS1 reach $IF1 ($NS2) and $C1 ($NS3)"
if [ "$rc" -ne 0 ]; then
	echo "1..$num"
	exit 1
fi
random_file "$ipoib_tmp/src" "$MIB"

# sniff_peers: sniffers on both peers
sniff_peers()
{
	sniff_start par "$NS2" "$IF1" "$ADDR2"
	sniff_start chi "$NS3" "$C1" "$CADDR2"
	sniff_ready par chi
}

# stop_peers: stop both; print their counts
stop_peers()
{
	local rc=0

	sniff_stop par || rc=1
	sniff_stop chi || rc=1
	[ "$rc" -eq 0 ] || return 1
	echo "# parent peer: own $(sniff_get par own) udp $(sniff_get par udp) wrong $(sniff_get par wrong); child peer: own $(sniff_get chi own) udp $(sniff_get chi udp) wrong $(sniff_get chi wrong)"
}

# show_drops: the non-zero drop counters of both uplinks and ports
show_drops()
{
	local u

	for u in "$UP0" "$UP1"; do
		ethtool -S "$u" | awk -v u="$u" \
			'$1 ~ /drop|dropped|err|flushed/ && $2 != 0 { print "# " u ": " $0 }'
	done
	ns_run "$NS3" ethtool -S "$C1" | awk \
		'$1 ~ /^(rx_dropped|rx_packets):/ { print "# child peer: " $0 }'
	grep -h '^drop_' "$VHCA_DBG"/vhca[01]/port1/counters |
		awk '$2 != 0 { print "# port: " $0 }'
}

# copies_start: TCP to both peers at once
copies_start()
{
	tcp_copy_bg cp "$NS1" "$NS2" "$ADDR2" 5311 "$ipoib_tmp/src" \
		"$ipoib_tmp/dst_p"
	tcp_copy_bg cc "$NS1" "$NS3" "$CADDR2" 5312 "$ipoib_tmp/src" \
		"$ipoib_tmp/dst_c"
}

# copies_ok: both copies done and whole
copies_ok()
{
	local rc=0

	tcp_copy_wait cp || rc=1
	tcp_copy_wait cc || rc=1
	same_file "$ipoib_tmp/src" "$ipoib_tmp/dst_p" || rc=1
	same_file "$ipoib_tmp/src" "$ipoib_tmp/dst_c" || rc=1
	return $rc
}

# 1. the invariants in every mode
for m in "${META_MODES[@]}"; do
	rc=0
	meta_mode_set "$m" || rc=1
	sniff_peers || rc=1
	udp_send "$NS1" "$N" 200 "$ADDR2" "$CADDR2" || rc=1
	udp_send "$NS1" $((N / 3)) 3000 "$ADDR2" "$CADDR2" || rc=1
	sleep 1
	stop_peers || rc=1
	exp=$((N + N / 3))
	if [ "$rc" -eq 0 ]; then
		[ "$(sniff_get par udp)" -eq "$exp" ] || rc=1
		[ "$(sniff_get chi udp)" -eq "$exp" ] || rc=1
		[ "$(sniff_get par wrong)" -eq 0 ] || rc=1
		[ "$(sniff_get chi wrong)" -eq 0 ] || rc=1
	fi
	[ "$rc" -eq 0 ] || show_drops
	log_result $rc "$m: $exp UDP datagrams to each peer (200 B and 3000 B), each arrives at its own peer only"

	rc=0
	sniff_peers || rc=1
	copies_start
	copies_ok || rc=1
	stop_peers || rc=1
	[ "$rc" -ne 0 ] || [ "$(sniff_get par wrong)" -eq 0 ] || rc=1
	[ "$rc" -ne 0 ] || [ "$(sniff_get chi wrong)" -eq 0 ] || rc=1
	log_result $rc "$m: $MIB MiB over TCP to both peers at once: sha256 equal, nothing misdelivered"
done

# 2. GSO between the upper devices and the uplink
rc=0
ethtool -K "$UP0" tso off > /dev/null || rc=1
[ "$(ethtool_feature - "$UP0" tcp-segmentation-offload)" = off ] || rc=1
[ "$(ethtool_feature "$NS1" "$IF0" tcp-segmentation-offload)" = on ] || rc=1
[ "$(ethtool_feature "$NS1" "$C0" tcp-segmentation-offload)" = on ] || rc=1
log_result $rc "TSO off on the uplink $UP0, still on on $IF0 and $C0"

for m in header metadata cb; do
	rc=0
	meta_mode_set "$m" || rc=1
	lso0=$(ethtool_stat - "$UP0" "$STAT_TX_LSO")
	gso0=$(ethtool_stat - "$UP0" "$STAT_DROP_CB_GSO")
	seg0=$(ethtool_stat "$NS1" "$IF0" "$STAT_UPPER_GSO")
	sniff_peers || rc=1
	COPY_TIMEOUT=30
	copies_start
	whole=0
	copies_ok || whole=1
	COPY_TIMEOUT=120
	stop_peers || rc=1
	lso1=$(ethtool_stat - "$UP0" "$STAT_TX_LSO")
	gso1=$(ethtool_stat - "$UP0" "$STAT_DROP_CB_GSO")
	seg1=$(ethtool_stat "$NS1" "$IF0" "$STAT_UPPER_GSO")
	echo "# $m: copies $([ $whole -eq 0 ] && echo whole || echo incomplete), $STAT_DROP_CB_GSO +$((gso1 - gso0)), $STAT_UPPER_GSO +$((seg1 - seg0)), LSO WQEs +$((lso1 - lso0))"
	[ "$lso1" -eq "$lso0" ] || rc=1
	if [ "$rc" -eq 0 ]; then
		[ "$(sniff_get par wrong)" -eq 0 ] || rc=1
		[ "$(sniff_get chi wrong)" -eq 0 ] || rc=1
	fi
	if [ "$m" = cb ]; then
		[ "$whole" -eq 0 ] || [ "$gso1" -gt "$gso0" ] || rc=1
		log_result $rc "cb, GSO below the upper: segmented first or dropped and counted, never misdelivered"
	else
		[ "$whole" -eq 0 ] || rc=1
		log_result $rc "$m, GSO below the upper: every segment to its own peer, sha256 equal"
	fi
done
rc=0
ethtool -K "$UP0" tso on > /dev/null || rc=1
meta_mode_set header || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS1" "$CADDR2" 56 || rc=1
log_result $rc "TSO back on on $UP0: both peers reachable"

# 3. metadata that names another uplink. The peers' neighbour entries are
# made permanent first: ARP cannot pass while the uplink's traffic is
# redirected, and the test needs the senders to keep sending.
rc=0
for a in "$ADDR2 $IF0" "$CADDR2 $C0"; do
	# shellcheck disable=SC2086 # "ADDR IF"
	set -- $a
	ll=$(ip -n "$NS1" neigh show "$1" dev "$2" |
		sed -n 's/.* lladdr \([0-9a-f:]*\).*/\1/p')
	[ -n "$ll" ] || rc=1
	ip -n "$NS1" neigh replace "$1" dev "$2" lladdr "$ll" nud permanent ||
		rc=1
done
log_result $rc "neighbour entries of both peers permanent in $NS1"
for m in "${META_MODES[@]}"; do
	rc=0
	meta_mode_set "$m" || rc=1
	tc qdisc add dev "$UP0" clsact || rc=1
	tc filter add dev "$UP0" egress matchall \
		action mirred egress redirect dev "$UP1" || rc=1
	d0=$(ethtool_stat - "$UP1" "$STAT_DROP_META")
	sniff_peers || rc=1
	udp_send "$NS1" 50 200 "$ADDR2" "$CADDR2" || rc=1
	sleep 0.5
	stop_peers || rc=1
	d1=$(ethtool_stat - "$UP1" "$STAT_DROP_META")
	tc qdisc del dev "$UP0" clsact || rc=1
	if [ "$rc" -eq 0 ]; then
		[ "$(sniff_get par udp)" -eq 0 ] || rc=1
		[ "$(sniff_get chi udp)" -eq 0 ] || rc=1
		[ "$(sniff_get par wrong)" -eq 0 ] || rc=1
		[ "$(sniff_get chi wrong)" -eq 0 ] || rc=1
		[ $((d1 - d0)) -ge 100 ] || rc=1
	fi
	echo "# $m: $UP1 $STAT_DROP_META +$((d1 - d0)) for 100 datagrams"
	[ "$rc" -eq 0 ] || ethtool -S "$UP1" | grep -E 'drop' | sed 's/^/# /'
	log_result $rc "$m: packets redirected from $UP0 to $UP1 (metadata of another uplink) dropped and counted"
done
rc=0
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS1" "$CADDR2" 56 || rc=1
log_result $rc "redirect removed: both peers reachable"

# 4. untrusted metadata injected by the driver's fault knob: the next
# FAULT_N packets of vhca0 port 1's uppers carry a wrong cookie, a wrong
# lower device, a stale handle or a dst of another type
FAULT_N=20
fault_knob=/sys/kernel/debug/vhca_core/vhca0/port1/meta_fault
declare -A fault_stat=(
	[header:cookie]=drop_meta_bad_cookie
	[cb:cookie]=drop_cb_clobbered
	[header:stale]=drop_meta_stale
	[cb:stale]=drop_meta_stale
	[metadata:stale]=drop_meta_stale
	[metadata:lower]=drop_meta_wrong_lower
	[metadata:type]=drop_meta_bad_type
)
for k in header:cookie cb:cookie header:stale cb:stale metadata:stale \
	 metadata:lower metadata:type; do
	m=${k%%:*} f=${k#*:}
	rc=0
	if [ ! -e "$fault_knob" ]; then
		echo "# $fault_knob missing"
		log_result 1 "$m: $FAULT_N packets with a $f fault dropped and counted in ${fault_stat[$k]}"
		continue
	fi
	meta_mode_set "$m" || rc=1
	d0=$(ethtool_stat - "$UP0" "${fault_stat[$k]}")
	sniff_peers || rc=1
	[ "$(try_write "$fault_knob" "$f $FAULT_N")" = ok ] || rc=1
	udp_send "$NS1" "$FAULT_N" 200 "$ADDR2" || rc=1
	sleep 0.5
	stop_peers || rc=1
	d1=$(ethtool_stat - "$UP0" "${fault_stat[$k]}")
	got=$(sniff_get par udp 2> /dev/null || echo "$FAULT_N")
	# other packets (neighbour discovery) may take some of the faults:
	# what did not arrive was dropped and counted, and some were
	[ $((d1 - d0)) -ge 1 ] || rc=1
	[ "$got" -lt "$FAULT_N" ] || rc=1
	[ $((got + d1 - d0)) -ge "$FAULT_N" ] || rc=1
	[ "$(sniff_get par wrong 2> /dev/null || echo 1)" -eq 0 ] || rc=1
	[ "$(sniff_get chi wrong 2> /dev/null || echo 1)" -eq 0 ] || rc=1
	echo "# $m/$f: ${fault_stat[$k]} +$((d1 - d0)), $got of $FAULT_N datagrams arrived"
	log_result $rc "$m: $FAULT_N packets with a $f fault dropped and counted in ${fault_stat[$k]}"
done
rc=0
meta_mode_set header || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
log_result $rc "after the faults: traffic flows"

# 5. redirected to a device that knows nothing of the metadata
rc=0
ip link add "$DUMMY" type dummy || rc=1
ip link set dev "$DUMMY" up || rc=1
tc qdisc add dev "$UP0" clsact || rc=1
tc filter add dev "$UP0" egress matchall \
	action mirred egress redirect dev "$DUMMY" || rc=1
log_result $rc "tc mirred redirect $UP0 -> $DUMMY"
declare -A extra
for m in "${META_MODES[@]}"; do
	rc=0
	meta_mode_set "$m" || rc=1
	t0=$(cat "/sys/class/net/$DUMMY/statistics/tx_packets")
	sniff_start dum - "$DUMMY" 0.0.0.0 raw
	sniff_ready dum || rc=1
	ns_ping "$NS1" "$ADDR2" 100 2 && rc=1
	sniff_stop dum || rc=1
	t1=$(cat "/sys/class/net/$DUMMY/statistics/tx_packets")
	[ $((t1 - t0)) -ge 3 ] || rc=1
	# the echo requests: IPv4 (45 00), 128 bytes (00 80) after the 4-byte
	# IPoIB encapsulation (08 00 00 00); what precedes that is the header
	extra[$m]='?'
	for h in $(sniff_get dum first); do
		pre=${h%%0800000045000080*}
		off=$((${#pre} / 2))
		if [ "$pre" != "$h" ] && [ $((${#pre} % 2)) -eq 0 ]; then
			extra[$m]=$off
			echo "# $m: $DUMMY sees $off bytes before the IPoIB encapsulation: ${h:0:$(((off + 12) * 2))}..."
			break
		fi
	done
	if [ "$m" = header ]; then
		[[ "${extra[$m]}" =~ ^[1-9][0-9]*$ ]] || rc=1
	else
		[ "${extra[$m]}" = 0 ] || rc=1
	fi
	log_result $rc "$m: redirected to $DUMMY ($((t1 - t0)) packets): ${extra[$m]} bytes of metadata visible there"
done
rc=0
tc qdisc del dev "$UP0" clsact || rc=1
meta_mode_set header || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS1" "$CADDR2" 56 || rc=1
log_result $rc "redirect to $DUMMY removed: both peers reachable"

ipoib_finish
