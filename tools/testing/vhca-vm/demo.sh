#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make demo`: runs inside the VM. Loads vhca, adds a 2-port device next to
# the two default ones, and prints a short report of what vhca can do. Each
# feature adds its own section below.
set -euo pipefail

section()
{
	printf '\n=== %s\n' "$*"
}

# Show a shell command line, then run it; a failure is shown, not fatal.
show()
{
	printf '$ %s\n' "$*"
	bash -c "$*" 2>&1 | sed 's/^/  /' || printf '  (failed: exit %s)\n' "${PIPESTATUS[0]}"
}

bus=/sys/bus/vhca
dbg=/sys/kernel/debug/vhca_sim

section "Load the modules"
show modprobe vhca_core
show "echo '7 2' > $bus/new_device"
show "lsmod | grep ^vhca"

section "Bus devices"
for d in "$bus"/devices/*; do
	[ -e "$d" ] || continue
	name=${d##*/}
	drv=unbound
	[ ! -e "$d/driver" ] || drv=$(basename "$(readlink -f "$d/driver")")
	printf '%s: driver %s\n' "$name" "$drv"
done

section "devlink"
show devlink dev show
for d in "$bus"/devices/*; do
	[ -e "$d" ] || continue
	dev=vhca/${d##*/}
	show devlink dev info "$dev"
done
show devlink dev param show

section "devlink dev reload with a new driverinit value"
show devlink dev param set vhca/vhca0 name event_eq_size value 128 cmode driverinit
show devlink dev reload vhca/vhca0 action driver_reinit
show devlink dev param show vhca/vhca0 name event_eq_size

section "Ports: the fabric's switch and SM, devlink ports"
show "sleep 0.2; cat $dbg/fabric/state"
show devlink port show
show "echo down > $dbg/vhca0/port1/link; sleep 0.2; grep '^port vhca0/1:' $dbg/fabric/state"
show "echo up > $dbg/vhca0/port1/link; sleep 0.2; grep '^port vhca0/1:' $dbg/fabric/state"
show "echo 'add 0x8001' > $dbg/vhca0/port1/pkeys; cat $dbg/vhca0/port1/pkeys"
show "echo 1 > $dbg/fabric/sm_restart; sleep 0.2"
show "dmesg | grep -E 'vhca_core .*: port [0-9]+:' | tail -n 8"

section "RDMA: vhca_ib registers an ib_device per HCA"
show modprobe vhca_ib
show rdma dev show
show rdma link show
show "ibstat -s 2>/dev/null || echo 'ibstat (infiniband-diags) not installed'"
show "devlink port show | grep ibdev"
# names follow registration order (the reload above re-registered vhca0)
ib0=$(find "$bus/devices/vhca0/infiniband" -mindepth 1 -maxdepth 1 \
	-printf '%f\n' | head -n 1)
printf 'vhca0 is %s\n' "$ib0"
show "ibstat $ib0 1 2>/dev/null | head -n 8 || true"
show "echo down > $dbg/vhca0/port1/link; sleep 0.5; rdma link show $ib0/1"
show "echo up > $dbg/vhca0/port1/link; sleep 0.5; rdma link show $ib0/1"
show "cat /sys/kernel/debug/vhca_ib/vhca0/events"

section "Enhanced IPoIB: stock ib_ipoib over vhca's rdma_netdev, vhca0 <-> vhca1"
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/vhca_lib.sh
. "$(dirname "$(readlink -f "$0")")/../selftests/drivers/net/vhca/vhca_lib.sh"
ipoib_tmp=$(mktemp -d)
g_enh='' g_dgram='' g_veth=''

# demo_netns IF0 IF1: IF0 into NS1 as ADDR1, IF1 into NS2 as ADDR2, up
demo_netns()
{
	ip netns add "$NS1" && ip netns add "$NS2" &&
	ip link set "$1" netns "$NS1" && ip link set "$2" netns "$NS2" &&
	ip -n "$NS1" addr add "$ADDR1/24" dev "$1" &&
	ip -n "$NS2" addr add "$ADDR2/24" dev "$2" &&
	ip -n "$NS1" link set "$1" up && ip -n "$NS2" link set "$2" up ||
		return 1
	if ! wait_until 30 netdev_has "$NS1" "$1" LOWER_UP ||
	   ! wait_until 30 netdev_has "$NS2" "$2" LOWER_UP; then
		echo "no carrier on $1/$2"
		return 1
	fi
	iperf_server "$NS2"
}

demo_netns_del()
{
	local f

	for f in "$ipoib_tmp"/*.pid; do
		[ ! -s "$f" ] || kill "$(cat "$f")" 2> /dev/null || true
		rm -f "$f"
	done
	ip netns del "$NS1" 2> /dev/null || true
	ip netns del "$NS2" 2> /dev/null || true
	sleep 0.5
}

# enhanced_demo: offloads, counters, a live storage mode switch, devlink
enhanced_demo()
{
	local if0 if1 up0 m

	show modprobe ib_ipoib
	if ! if0=$(wait_until 10 vhca_ipoib_if 0) ||
	   ! if1=$(vhca_ipoib_if 1); then
		echo "no IPoIB netdev for vhca0/vhca1"
		return 1
	fi
	ip link set "$if0" up
	up0=$(vhca_uplink 0) || up0='?'
	show cat /sys/module/vhca_ib/parameters/ipoib_enhanced
	show ethtool -i "$if0"
	printf '%s is the uplink of %s: it owns the port'"'"'s queues\n' "$up0" "$if0"
	show ip -o link show dev "$up0"
	show "ethtool -k $if0 | grep -E '^(tx-checksum-ip|tcp-segmentation-offload|scatter-gather|rx-checksumming|receive-hashing|generic-receive)'"
	show ethtool -l "$if0"
	demo_netns "$if0" "$if1" || return 1
	show ip netns exec "$NS1" ping -c 3 -s 2000 "$ADDR2"
	g_enh=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over enhanced IPoIB (MTU %s, TSO on): %s Gbit/s\n' \
		"$(ip netns exec "$NS1" cat "/sys/class/net/$if0/mtu")" "$g_enh"
	show "ethtool -S $up0 | grep -E '^ *(tx0_(packets|lso|csum_partial)|rx0_(packets|csum_unnecessary)|drop_meta_[a-z_]*):'"

	section "tx_meta_storage switched live under an iperf3 stream"
	ip netns exec "$NS1" iperf3 -c "$ADDR2" -p 5201 -t 6 -J \
		> "$ipoib_tmp/live.json" 2>&1 &
	sleep 1
	for m in cb metadata header; do
		show devlink dev param set vhca/vhca0 name tx_meta_storage value "$m" cmode runtime
		show devlink dev param show vhca/vhca0 name tx_meta_storage
		sleep 1.5
	done
	wait $! || true
	printf 'the stream went on: %s Gbit/s, %s retransmits\n' \
		"$(jq -r '.end.sum_received.bits_per_second / 1e9 * 1000 | floor / 1000' "$ipoib_tmp/live.json" 2> /dev/null || echo '?')" \
		"$(jq -r '.end.sum_sent.retransmits' "$ipoib_tmp/live.json" 2> /dev/null || echo '?')"
	show "ip netns exec $NS1 ethtool -S $if0 | grep -E '^ *tx_meta_'"

	section "devlink ports and health reporters of the IPoIB netdevs"
	show devlink port show
	show devlink health show
	show "devlink health diagnose \$(devlink port show | awk '/flavour virtual/ { sub(\":\", \"\", \$1); print \$1; exit }') reporter tx | head -n 12"
}
enhanced_demo || echo "(the enhanced IPoIB demo stopped here)"
demo_netns_del

section "Legacy IPoIB (vhca_ib ipoib_enhanced=0) and veth, for comparison"
# legacy_demo: datagram and connected mode through ib_ipoib's verbs path
legacy_demo()
{
	local if0 if1 g

	show "modprobe -r ib_ipoib vhca_ib && modprobe vhca_ib ipoib_enhanced=0 && modprobe ib_ipoib"
	if ! if0=$(wait_until 10 vhca_ipoib_if 0) ||
	   ! if1=$(wait_until 10 vhca_ipoib_if 1); then
		echo "no IPoIB netdev for vhca0/vhca1"
		return 1
	fi
	show ethtool -i "$if0"
	demo_netns "$if0" "$if1" || return 1
	g_dgram=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over legacy IPoIB datagram: %s Gbit/s\n' "$g_dgram"
	ip netns exec "$NS1" sh -c "echo connected > /sys/class/net/$if0/mode && ip link set $if0 mtu 65520" &&
	ip netns exec "$NS2" sh -c "echo connected > /sys/class/net/$if1/mode && ip link set $if1 mtu 65520" ||
		return 1
	g=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over legacy IPoIB connected (MTU 65520): %s Gbit/s\n' "$g"
}
legacy_demo || echo "(the legacy IPoIB demo stopped here)"
demo_netns_del

# veth_demo: the baseline
veth_demo()
{
	ip netns add "$NS1" && ip netns add "$NS2" &&
	ip link add veth1 netns "$NS1" type veth peer name veth2 netns "$NS2" &&
	ip -n "$NS1" addr add "$ADDR1/24" dev veth1 &&
	ip -n "$NS2" addr add "$ADDR2/24" dev veth2 &&
	ip -n "$NS1" link set veth1 up && ip -n "$NS2" link set veth2 up &&
	iperf_server "$NS2" || return 1
	g_veth=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over a veth pair: %s Gbit/s\n' "$g_veth"
}
veth_demo || echo "(the veth measurement failed)"
demo_netns_del
rm -rf "$ipoib_tmp"

section "Headline (make bench measures it properly)"
if [ -n "$g_enh" ] && [ -n "$g_veth" ] && [ -n "$g_dgram" ]; then
	printf 'enhanced IPoIB %s Gbit/s = %.2fx veth (%s), %.2fx legacy datagram (%s)\n' \
		"$g_enh" "$(echo "$g_enh / $g_veth" | bc -l)" "$g_veth" \
		"$(echo "$g_enh / $g_dgram" | bc -l)" "$g_dgram"
else
	echo "not all three were measured: enhanced ${g_enh:-?}, veth ${g_veth:-?}, legacy datagram ${g_dgram:-?} Gbit/s"
fi

section "Userspace verbs: perftest through the rdma-core provider (tools/lib/vhca)"
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/uverbs_lib.sh
. "$(dirname "$(readlink -f "$0")")/../selftests/drivers/net/vhca/uverbs_lib.sh"
# uverbs_demo: ibv_devices, then ib_write_bw from vhca0 to vhca1
uverbs_demo()
{
	local ib0 ib1 spid

	if ! uverbs_provider; then
		echo "no vhca provider: run 'make provider'"
		return 1
	fi
	ib0=$(vhca_ibdev 0) && ib1=$(vhca_ibdev 1) || return 1
	printf 'RDMAV_DRIVERS=%s\n' "${RDMAV_DRIVERS:-(installed provider)}"
	show modprobe ib_uverbs
	wait_until 10 uverbs_dev "$ib0" && wait_until 10 uverbs_dev "$ib1" ||
		return 1
	show ibv_devices
	show "ibv_devinfo -d $ib0 | grep -E 'hca_id|transport|vendor|fw_ver|state|port_lid|active_mtu|link_layer'"
	ib_write_bw -d "$ib1" -s 65536 -n 2000 -F -p 18700 > /dev/null 2>&1 &
	spid=$!
	wait_until 20 tcp_listening 18700 || return 1
	show ib_write_bw -d "$ib0" -s 65536 -n 2000 -F -p 18700 127.0.0.1
	wait "$spid"
	show "grep -E '^user_' /sys/kernel/debug/vhca_ib/vhca0/stats"
}
uverbs_demo || echo "(the userspace verbs demo stopped here)"

section "Device model state (debugfs: $dbg/<dev>/state, excerpt)"
for s in "$dbg"/*/state; do
	[ -e "$s" ] || continue
	printf '%s:\n' "$(basename "$(dirname "$s")")"
	# (the fabric's state has none of these lines)
	grep -E '^(ports|hca_state|cmdq|cmd total|eq [0-9]+|irq [0-9]+|port [0-9]+):' "$s" |
		sed 's/^/  /' || true
done

section "Kernel log"
dmesg | grep -E 'vhca_(sim|core|ib)' | tail -n 20 | sed 's/^/  /'
