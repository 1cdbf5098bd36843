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

section "Device model state (debugfs: $dbg/<dev>/state, excerpt)"
for s in "$dbg"/*/state; do
	[ -e "$s" ] || continue
	printf '%s:\n' "$(basename "$(dirname "$s")")"
	grep -E '^(ports|hca_state|cmdq|cmd total|eq [0-9]+|irq [0-9]+|port [0-9]+):' "$s" |
		sed 's/^/  /'
done

section "Kernel log"
dmesg | grep -E 'vhca_(sim|core|ib)' | tail -n 20 | sed 's/^/  /'
