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

section "IPoIB: stock ib_ipoib between vhca0 and vhca1, one namespace each"
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/vhca_lib.sh
. "$(dirname "$(readlink -f "$0")")/../selftests/drivers/net/vhca/vhca_lib.sh"
ipoib_tmp=$(mktemp -d)
# ipoib_demo: datagram mode ping and iperf3, then connected mode iperf3;
# returns non-zero at the first step that fails (the demo goes on)
ipoib_demo()
{
	local if0 if1 g

	show modprobe ib_ipoib
	if ! if0=$(wait_until 10 vhca_ipoib_if 0) ||
	   ! if1=$(vhca_ipoib_if 1); then
		echo "no IPoIB netdev for vhca0/vhca1"
		return 1
	fi
	printf 'vhca0 port 1 is %s, vhca1 port 1 is %s\n' "$if0" "$if1"
	ip netns add "$NS1" && ip netns add "$NS2" &&
	ip link set "$if0" netns "$NS1" && ip link set "$if1" netns "$NS2" &&
	ip -n "$NS1" addr add "$ADDR1/24" dev "$if0" &&
	ip -n "$NS2" addr add "$ADDR2/24" dev "$if1" &&
	ip -n "$NS1" link set "$if0" up && ip -n "$NS2" link set "$if1" up ||
		return 1
	if ! wait_until 30 netdev_has "$NS1" "$if0" LOWER_UP ||
	   ! wait_until 30 netdev_has "$NS2" "$if1" LOWER_UP; then
		echo "no carrier on $if0/$if1"
		show ip -n "$NS1" link show
		return 1
	fi
	show rdma link show
	show ip -n "$NS1" addr show dev "$if0"
	show ip netns exec "$NS1" ping -c 3 -s 2000 "$ADDR2"
	iperf_server "$NS2" || return 1
	g=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over IPoIB datagram (MTU %s): %s Gbit/s\n' \
		"$(ip netns exec "$NS1" cat "/sys/class/net/$if0/mtu")" "$g"
	ip netns exec "$NS1" sh -c "echo connected > /sys/class/net/$if0/mode && ip link set $if0 mtu 65520" &&
	ip netns exec "$NS2" sh -c "echo connected > /sys/class/net/$if1/mode && ip link set $if1 mtu 65520" ||
		return 1
	g=$(iperf_gbps "$NS1" "$ADDR2" 3) || return 1
	printf 'iperf3 TCP 3 s over IPoIB connected (MTU 65520): %s Gbit/s\n' "$g"
	show "grep -E '^(tx|rx)_(packets|bytes) ' $dbg/vhca0/port1/counters"
}
ipoib_demo || echo "(the IPoIB demo stopped here)"
for f in "$ipoib_tmp"/*.pid; do
	[ ! -s "$f" ] || kill "$(cat "$f")" 2> /dev/null || true
done
ip netns del "$NS1" 2> /dev/null || true
ip netns del "$NS2" 2> /dev/null || true
rm -rf "$ipoib_tmp"

section "Userspace verbs: perftest through the rdma-core provider (tools/lib/vhca)"
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/uverbs_lib.sh
. "$(dirname "$(readlink -f "$0")")/../selftests/drivers/net/vhca/uverbs_lib.sh"
# uverbs_demo: ibv_devices, then ib_write_bw from vhca0 to vhca1
uverbs_demo()
{
	local ib1 spid

	if ! uverbs_provider; then
		echo "no vhca provider: run 'make provider'"
		return 1
	fi
	ib1=$(vhca_ibdev 1) || return 1
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
