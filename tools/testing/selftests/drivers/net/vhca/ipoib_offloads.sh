#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Enhanced IPoIB offloads through ethtool, between the two default HCAs
# (IF0 in NS1 sends to IF1 in NS2):
#  - ethtool -k shows TX checksum, TSO, scatter-gather, RX checksum and
#    receive hashing on and changeable;
#  - ethtool -K turns each off on both ends and a random file over TCP
#    arrives with an equal sha256; turned on again, pings pass (and the
#    copies below run with every offload on);
#  - with TSO on the uplink counts LSO work requests, with TSO off none;
#  - with RX checksumming on the receiver counts packets the device
#    verified (CHECKSUM_UNNECESSARY/COMPLETE), with it off none;
#  - ethtool -l/-L (also while a P_Key child exists), -g/-G, -c/-C accept
#    and report new values, and traffic still flows;
#  - ethtool -S has per-queue counters and per-reason drop counters.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MIB=${VHCA_OFFLOADS_MIB:-8}

ipoib_require sha256sum ss timeout ethtool
require_tcp_copy

if ! ipoib_start ib_ipoib || ! ipoib_uplinks || ! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi
random_file "$ipoib_tmp/src" "$MIB"

# copy_ok: the random file NS1 -> NS2 over TCP, sha256 equal
copy_ok()
{
	tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" 120 &&
		same_file "$ipoib_tmp/src" "$ipoib_tmp/dst"
}

# both_k FEATURE on|off: ethtool -K on both IPoIB netdevs
both_k()
{
	ip netns exec "$NS1" ethtool -K "$IF0" "$1" "$2" > /dev/null &&
		ip netns exec "$NS2" ethtool -K "$IF1" "$1" "$2" > /dev/null
}

# 1. what is advertised
declare -A feat=(
	[tso]=tcp-segmentation-offload
	[sg]=scatter-gather
	[rx]=rx-checksumming
	[rxhash]=receive-hashing
)
rc=0
for f in "${!feat[@]}"; do
	[ "$(ethtool_feature "$NS1" "$IF0" "${feat[$f]}")" = on ] || rc=1
	! ethtool_fixed "$NS1" "$IF0" "${feat[$f]}" || rc=1
done
if [ "$(ethtool_feature "$NS1" "$IF0" tx-checksum-ip-generic)" != on ]; then
	for f in tx-checksum-ipv4 tx-checksum-ipv6; do
		[ "$(ethtool_feature "$NS1" "$IF0" "$f")" = on ] || rc=1
	done
fi
[ "$rc" -eq 0 ] || ip netns exec "$NS1" ethtool -k "$IF0" | sed 's/^/# /'
log_result $rc "ethtool -k $IF0: TX checksum, TSO, SG, RX checksum, receive hashing on (not fixed)"

rc=0
copy_ok || rc=1
log_result $rc "$MIB MiB over TCP with every offload on: sha256 equal"

# 2. each offload off, traffic, on again, traffic
for k in tx sg tso gso gro rx rxhash; do
	rc=0
	both_k "$k" off || rc=1
	copy_ok || rc=1
	log_result $rc "ethtool -K $k off on both: $MIB MiB over TCP, sha256 equal"
	rc=0
	# turning tx or sg off may have turned tso off too: all back on
	both_k tx on || rc=1
	both_k sg on || rc=1
	both_k tso on || rc=1
	both_k "$k" on || rc=1
	ns_ping "$NS1" "$ADDR2" 16384 || rc=1
	log_result $rc "ethtool -K $k on again: ping -s 16384 (the copies below run with all on)"
done

# 3. LSO: counted on the sender's uplink with TSO on, not with TSO off
rc=0
if ethtool_has_stat - "$UP0" "$STAT_TX_LSO"; then
	l0=$(ethtool_stat - "$UP0" "$STAT_TX_LSO")
	copy_ok || rc=1
	l1=$(ethtool_stat - "$UP0" "$STAT_TX_LSO")
	[ "$l1" -gt "$l0" ] || rc=1
	both_k tso off || rc=1
	copy_ok || rc=1
	l2=$(ethtool_stat - "$UP0" "$STAT_TX_LSO")
	[ "$l2" -eq "$l1" ] || rc=1
	both_k tso on || rc=1
	echo "# $UP0 $STAT_TX_LSO: TSO on +$((l1 - l0)), TSO off +$((l2 - l1))"
else
	echo "# no counter $STAT_TX_LSO on $UP0"
	rc=1
fi
log_result $rc "LSO work requests counted on $UP0 with TSO on, none with TSO off"

# 4. RX checksum: verified by the device with rx on, not with rx off
rc=0
if ethtool_has_stat "$NS2" "$IF1" "$STAT_RX_CSUM_OK"; then
	c0=$(ethtool_stat "$NS2" "$IF1" "$STAT_RX_CSUM_OK")
	copy_ok || rc=1
	c1=$(ethtool_stat "$NS2" "$IF1" "$STAT_RX_CSUM_OK")
	[ $((c1 - c0)) -ge $((MIB * 256)) ] || rc=1
	ip netns exec "$NS2" ethtool -K "$IF1" rx off > /dev/null || rc=1
	copy_ok || rc=1
	c2=$(ethtool_stat "$NS2" "$IF1" "$STAT_RX_CSUM_OK")
	[ "$c2" -eq "$c1" ] || rc=1
	ip netns exec "$NS2" ethtool -K "$IF1" rx on > /dev/null || rc=1
	echo "# $IF1 $STAT_RX_CSUM_OK: rx on +$((c1 - c0)), rx off +$((c2 - c1))"
else
	echo "# no counter $STAT_RX_CSUM_OK on $IF1"
	rc=1
fi
log_result $rc "RX checksums verified by the device counted with rx on (>= 1 per 4 KiB), none with rx off"

# 5. channels, also with a P_Key child present
rc=0
ch_max=$(ethtool_value "$NS1" "$IF0" -l Combined "Pre-set maximums") || true
ch_cur=$(ethtool_value "$NS1" "$IF0" -l Combined "Current hardware settings") ||
	true
echo "# $IF0 channels: combined ${ch_cur:-?} of ${ch_max:-?}"
[[ "${ch_max:-}" =~ ^[0-9]+$ ]] && [[ "${ch_cur:-}" =~ ^[0-9]+$ ]] || rc=1
if [ "$rc" -eq 0 ]; then
	new=1
	[ "$ch_cur" -ne 1 ] || new=$ch_max
	ip netns exec "$NS1" ethtool -L "$IF0" combined "$new" > /dev/null || rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -l Combined "Current hardware settings")" = "$new" ] ||
		rc=1
	copy_ok || rc=1
	ip netns exec "$NS1" ethtool -L "$IF0" combined "$ch_cur" > /dev/null || rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -l Combined "Current hardware settings")" = "$ch_cur" ] ||
		rc=1
fi
log_result $rc "ethtool -L combined ${new:-?} and back to ${ch_cur:-?}: reported, traffic OK"

rc=0
C0=$IF0.8001
C1=$IF1.8001
pkey_add_both 0x8001 || rc=1
ip -n "$NS1" link add link "$IF0" name "$C0" type ipoib pkey 0x8001 || rc=1
ip -n "$NS2" link add link "$IF1" name "$C1" type ipoib pkey 0x8001 || rc=1
ip -n "$NS1" addr add 10.1.0.1/24 dev "$C0" || rc=1
ip -n "$NS2" addr add 10.1.0.2/24 dev "$C1" || rc=1
ip -n "$NS1" link set dev "$C0" up || rc=1
ip -n "$NS2" link set dev "$C1" up || rc=1
wait_until 30 netdev_has "$NS1" "$C0" LOWER_UP || rc=1
wait_until 30 netdev_has "$NS2" "$C1" LOWER_UP || rc=1
log_result $rc "P_Key 0x8001 children $C0 and $C1 up"

rc=0
if [[ "${ch_max:-}" =~ ^[0-9]+$ ]] && [[ "${ch_cur:-}" =~ ^[0-9]+$ ]]; then
	new=$((ch_cur > 1 ? ch_cur - 1 : ch_max))
	ip netns exec "$NS1" ethtool -L "$IF0" combined "$new" > /dev/null || rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -l Combined "Current hardware settings")" = "$new" ] ||
		rc=1
	ns_ping "$NS1" 10.1.0.2 1000 || rc=1
	ns_ping "$NS1" "$ADDR2" 1000 || rc=1
	ip netns exec "$NS1" ethtool -L "$IF0" combined "$ch_cur" > /dev/null || rc=1
	ns_ping "$NS1" 10.1.0.2 56 || rc=1
	copy_ok || rc=1
else
	rc=1
fi
log_result $rc "ethtool -L with a P_Key child present: accepted, parent and child traffic OK"

# 6. rings
rc=0
rx_cur=$(ethtool_value "$NS1" "$IF0" -g RX "Current hardware settings") || true
tx_cur=$(ethtool_value "$NS1" "$IF0" -g TX "Current hardware settings") || true
rx_max=$(ethtool_value "$NS1" "$IF0" -g RX "Pre-set maximums") || true
echo "# $IF0 rings: RX ${rx_cur:-?} (max ${rx_max:-?}), TX ${tx_cur:-?}"
if [[ "${rx_cur:-}" =~ ^[0-9]+$ ]] && [[ "${tx_cur:-}" =~ ^[0-9]+$ ]]; then
	nrx=$((rx_cur / 2)) ntx=$((tx_cur / 2))
	ip netns exec "$NS1" ethtool -G "$IF0" rx "$nrx" tx "$ntx" > /dev/null || rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -g RX "Current hardware settings")" = "$nrx" ] ||
		rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -g TX "Current hardware settings")" = "$ntx" ] ||
		rc=1
	copy_ok || rc=1
	ip netns exec "$NS1" ethtool -G "$IF0" rx "$rx_cur" tx "$tx_cur" > /dev/null || rc=1
	[ "$(ethtool_value "$NS1" "$IF0" -g RX "Current hardware settings")" = "$rx_cur" ] ||
		rc=1
	if [[ "${rx_max:-}" =~ ^[0-9]+$ ]]; then
		ip netns exec "$NS1" ethtool -G "$IF0" rx $((rx_max * 2)) \
			> /dev/null 2>&1 && rc=1
	fi
else
	rc=1
fi
log_result $rc "ethtool -G rx ${nrx:-?} tx ${ntx:-?} and back: reported, traffic OK, over the maximum refused"

# 7. interrupt moderation
rc=0
ip netns exec "$NS1" ethtool -C "$IF0" rx-usecs 16 rx-frames 32 > /dev/null || rc=1
[ "$(ethtool_value "$NS1" "$IF0" -c rx-usecs)" = 16 ] || rc=1
[ "$(ethtool_value "$NS1" "$IF0" -c rx-frames)" = 32 ] || rc=1
ip netns exec "$NS2" ethtool -C "$IF1" rx-usecs 0 rx-frames 1 > /dev/null || rc=1
[ "$(ethtool_value "$NS2" "$IF1" -c rx-usecs)" = 0 ] || rc=1
copy_ok || rc=1
[ "$rc" -eq 0 ] || ip netns exec "$NS1" ethtool -c "$IF0" | sed 's/^/# /'
log_result $rc "ethtool -C rx-usecs/rx-frames set and reported, traffic OK"

# 8. counters
rc=0
for d in "$NS1 $IF0" "- $UP0"; do
	# shellcheck disable=SC2086 # "NS IF"
	set -- $d
	ethtool_has_stat "$1" "$2" "$STAT_TX_PACKETS" || rc=1
	ethtool_has_stat "$1" "$2" "$STAT_RX_PACKETS" || rc=1
	ethtool_has_stat "$1" "$2" 'tx1_[a-z_]+' ||
		[ "$(ethtool_value "$NS1" "$IF0" -l Combined "Current hardware settings")" = 1 ] ||
		rc=1
done
ethtool_has_stat - "$UP0" "$STAT_DROP_META" || rc=1
n=$(ns_run - ethtool -S "$UP0" | grep -cE '^ *drop_[a-z_]+:' || true)
[ "$n" -ge 3 ] || rc=1
[ "$(ethtool_stat - "$UP0" "$STAT_TX_PACKETS")" -gt 0 ] || rc=1
[ "$rc" -eq 0 ] || ethtool -S "$UP0" | sed 's/^/# /'
log_result $rc "ethtool -S: per-queue counters ($IF0, $UP0) and $n per-reason drop counters"

ipoib_finish
