#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vhca_ib: one ib_device per vhca device whose ports stock tools see as the
# fabric has them (rdma, sysfs, ibstat, devlink); port changes made through
# the model's knobs reach ib_core as events and show in the port state;
# devlink reload re-creates the ib_device; unload is clean.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

DBG=/sys/kernel/debug
SIM=$DBG/vhca_sim
FAB=$SIM/fabric/state
IBDBG=$DBG/vhca_ib
CLASS=/sys/class/infiniband

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	modprobe -r vhca_ib 2> /dev/null || true
	modprobe -r vhca_core vhca_sim 2> /dev/null || true
}

# field $2 (lid, state, phys, guid) of port vhca$1/1 in the fabric state
fab_field()
{
	sed -n "s/^port vhca$1\/1:.* $2 \([^ ]*\).*/\1/p" "$FAB"
}

# the ib_device of bus device vhca$1 (names follow registration order)
ibdev_of()
{
	vhca_ibdev "$1"
}

# `rdma link show` of ib_device $1 port 1 has state $2 and physical state $3
link_is()
{
	rdma link show "$1/1" 2> /dev/null |
		grep -q " state $2 physical_state $3\( \|$\)"
}

# counter $3 of port $2 in vhca_ib's events dump of vhca$1
event_count()
{
	sed -n "s/^port $2:.* $3 \([0-9]*\).*/\1/p" "$IBDBG/vhca$1/events"
}

# counter $3 of port $2 of vhca$1 is at least $4
# shellcheck disable=SC2317 # called through wait_for
event_reached()
{
	[ "$(event_count "$1" "$2" "$3")" -ge "$4" ]
}

# ib_device $1 port 1 P_Key index $2 is $3
# shellcheck disable=SC2317 # called through wait_for
pkey_is()
{
	[ "$(cat "$CLASS/$1/ports/1/pkeys/$2" 2> /dev/null)" = "$3" ]
}

# a GID in sysfs notation from a subnet prefix and a 0x-prefixed GUID
gid_of()
{
	local g=${2#0x}

	printf '%s:%s:%s:%s:%s\n' "$1" "${g:0:4}" "${g:4:4}" "${g:8:4}" \
		"${g:12:4}"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "# SKIP: must be root"
	exit $KSFT_SKIP
fi
require_tools modprobe rdma dmesg
if ! modinfo vhca_ib > /dev/null 2>&1; then
	echo "# SKIP: vhca_ib not installed"
	exit $KSFT_SKIP
fi
if ! modinfo ib_core > /dev/null 2>&1; then
	echo "# SKIP: ib_core not available"
	exit $KSFT_SKIP
fi
trap cleanup EXIT
cleanup
if [ -d /sys/module/vhca_sim ]; then
	echo "# vhca_sim is in use and cannot be unloaded"
	exit 1
fi
if ! mountpoint -q "$DBG"; then
	mount -t debugfs none "$DBG"
fi
mark=$(dmesg | wc -l)

# --- load ---
rc=0
modprobe vhca_ib || rc=1
for m in vhca_sim vhca_core ib_core; do
	[ -d "/sys/module/$m" ] || rc=1
done
[ -e /sys/bus/auxiliary/devices/vhca_core.rdma.0 ] || rc=1
[ -e /sys/bus/auxiliary/devices/vhca_core.rdma.1 ] || rc=1
log_result $rc "modprobe vhca_ib loads vhca_core, vhca_sim; one auxiliary device per HCA"

rc=0
ib0=$(ibdev_of 0) || rc=1
ib1=$(ibdev_of 1) || rc=1
if [ "$rc" -eq 0 ]; then
	[[ "$ib0 $ib1" =~ ^(vhca_0 vhca_1|vhca_1 vhca_0)$ ]] || rc=1
	out=$(rdma dev show)
	grep -q "^[0-9]*: $ib0: node_type ca fw 1.2.60 node_guid 001d:1c00:0000:0000 " <<< "$out" || rc=1
	grep -q "^[0-9]*: $ib1: node_type ca fw 1.2.60 node_guid 001d:1c00:0000:0100 " <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
fi
log_result $rc "rdma dev show: vhca_0 and vhca_1 (vhca0 -> ${ib0:-?}, vhca1 -> ${ib1:-?})"
if [ "$rc" -ne 0 ]; then
	echo "1..$num"
	exit 1
fi

rc=0
for i in 0 1; do
	ib=$(ibdev_of $i)
	wait_for link_is "$ib" ACTIVE LINK_UP || rc=1
	lid=$(fab_field $i lid)
	rdma link show "$ib/1" | grep -q " lid $lid sm_lid 1 lmc 0 " || rc=1
done
[ "$rc" -eq 0 ] || { rdma link show; cat "$FAB"; } | sed 's/^/# /'
log_result $rc "rdma link show: both ports ACTIVE, LINK_UP, with the fabric's LIDs"

rc=0
lids=
for i in 0 1; do
	p=$CLASS/$(ibdev_of $i)/ports/1
	lid=$(fab_field $i lid)
	lids="$lids $lid"
	[ "$(cat "$p/lid")" = "$(printf '0x%x' "$lid")" ] || rc=1
	[ "$(cat "$p/sm_lid")" = 0x1 ] || rc=1
	[ "$(cat "$p/lid_mask_count")" = 0 ] || rc=1
	[ "$(cat "$p/state")" = "4: ACTIVE" ] || rc=1
	[ "$(cat "$p/phys_state")" = "5: LinkUp" ] || rc=1
	[ "$(cat "$p/rate")" = "100 Gb/sec (4X EDR)" ] || rc=1
	[ "$(cat "$p/link_layer")" = InfiniBand ] || rc=1
	[ "$(cat "$p/gids/0")" = \
	  "$(gid_of fe80:0000:0000:0000 "$(fab_field $i guid)")" ] || rc=1
	[ "$(cat "$p/pkeys/0")" = 0xffff ] || rc=1
	[ "$(cat "$p/pkeys/1")" = 0x0000 ] || rc=1
	[ "$(find "$p/pkeys" -mindepth 1 | wc -l)" = 128 ] || rc=1
	[ "$(cat "$p/cap_mask")" = 0x02010800 ] || rc=1
	if [ "$rc" -ne 0 ]; then
		for f in lid sm_lid state phys_state rate gids/0 pkeys/0; do
			echo "# $p/$f: $(cat "$p/$f")"
		done
	fi
done
[ "$(tr ' ' '\n' <<< "$lids" | sed '/^$/d' | sort | uniq -d)" = "" ] || rc=1
[ "$(echo "$lids" | wc -w)" = 2 ] || rc=1
log_result $rc "sysfs ports/1: lid, sm_lid, state, phys_state, rate, gids/0, pkeys right; LIDs unique ($lids )"

rc=0
ib0=$(ibdev_of 0)
[ "$(cat "$CLASS/$ib0/node_type")" = "1: CA" ] || rc=1
[ "$(cat "$CLASS/$ib0/fw_ver")" = 1.2.60 ] || rc=1
[ "$(cat "$CLASS/$ib0/node_guid")" = 001d:1c00:0000:0000 ] || rc=1
[ "$(cat "$CLASS/$ib0/sys_image_guid")" = 001d:1c00:0000:0000 ] || rc=1
[ "$(cat "$CLASS/$ib0/board_id")" = VHCA000000001 ] || rc=1
log_result $rc "sysfs device: node_type, fw_ver, GUIDs, board_id"

if command -v ibstat > /dev/null; then
	rc=0
	out=$(ibstat "$ib0" 2>&1) || rc=1
	grep -q 'State: Active' <<< "$out" || rc=1
	grep -q 'Physical state: LinkUp' <<< "$out" || rc=1
	grep -q "Base lid: $(fab_field 0 lid)\$" <<< "$out" || rc=1
	grep -q 'Port GUID: 0x001d1c0000000001' <<< "$out" || rc=1
	grep -q 'Link layer: InfiniBand' <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
	log_result $rc "ibstat: Active, LinkUp, the fabric's LID and port GUID"
else
	echo "# ibstat (infiniband-diags) not found, ibstat check skipped"
fi

if command -v devlink > /dev/null; then
	rc=0
	devlink port show vhca/vhca0/1 | grep -q "type ib ibdev $ib0 " || rc=1
	devlink port show vhca/vhca1/1 | grep -q "type ib ibdev $(ibdev_of 1) " ||
		rc=1
	[ "$rc" -eq 0 ] || devlink port show | sed 's/^/# /'
	log_result $rc "devlink port show names each port's ib_device"
else
	echo "# devlink not found, devlink checks skipped"
fi

# --- port events ---
rc=0
err0=$(event_count 0 1 port_err)
act0=$(event_count 0 1 port_active)
echo down > "$SIM/vhca0/port1/link" || rc=1
wait_for link_is "$ib0" DOWN DISABLED || rc=1
wait_for event_reached 0 1 port_err $((err0 + 1)) || rc=1
[ "$(cat "$CLASS/$ib0/ports/1/state")" = "1: DOWN" ] || rc=1
link_is "$(ibdev_of 1)" ACTIVE LINK_UP || rc=1
[ "$rc" -eq 0 ] || { rdma link show; cat "$IBDBG/vhca0/events"; } |
	sed 's/^/# /'
log_result $rc "link down: rdma link shows DOWN/DISABLED, PORT_ERR dispatched"

rc=0
echo up > "$SIM/vhca0/port1/link" || rc=1
wait_for link_is "$ib0" ACTIVE LINK_UP || rc=1
wait_for event_reached 0 1 port_active $((act0 + 1)) || rc=1
rdma link show "$ib0/1" | grep -q " lid $(fab_field 0 lid) " || rc=1
log_result $rc "link up: ACTIVE again, PORT_ACTIVE dispatched"

rc=0
pk0=$(event_count 0 1 pkey_change)
echo "add 0x8001" > "$SIM/vhca0/port1/pkeys" || rc=1
wait_for pkey_is "$ib0" 1 0x8001 || rc=1
wait_for event_reached 0 1 pkey_change $((pk0 + 1)) || rc=1
echo "del 0x8001" > "$SIM/vhca0/port1/pkeys" || rc=1
wait_for pkey_is "$ib0" 1 0x0000 || rc=1
wait_for event_reached 0 1 pkey_change $((pk0 + 2)) || rc=1
log_result $rc "P_Key 0x8001 added and removed: sysfs pkeys/1 follows, PKEY_CHANGE dispatched"

rc=0
sm1=$(event_count 1 1 sm_change)
rr1=$(event_count 1 1 client_reregister)
echo 1 > "$SIM/fabric/sm_restart" || rc=1
wait_for event_reached 1 1 client_reregister $((rr1 + 1)) || rc=1
event_reached 1 1 sm_change $((sm1 + 1)) || rc=1
wait_for event_reached 0 1 client_reregister 1 || rc=1
[ "$(sed -n 's/^ignored: //p' "$IBDBG/vhca1/events")" = 0 ] || rc=1
[ "$rc" -eq 0 ] || sed 's/^/# /' "$IBDBG/vhca1/events"
log_result $rc "SM restart: SM_CHANGE and CLIENT_REREGISTER dispatched"

# --- ibv_devices: no crash (no verbs provider yet) ---
if command -v ibv_devices > /dev/null; then
	rc=0
	ibv_devices > /dev/null 2>&1 || true
	st=0
	ibv_devices > /dev/null 2>&1 || st=$?
	[ "$st" -lt 128 ] || rc=1
	log_result $rc "ibv_devices runs without crashing (exit $st)"
fi

# --- devlink reload re-creates the ib_device ---
if command -v devlink > /dev/null; then
	rc=0
	# ib_core numbers every registration anew
	idx=$(rdma dev show "$ib0" | cut -d: -f1)
	devlink dev reload vhca/vhca0 || rc=1
	ib0=$(ibdev_of 0) || rc=1
	if [ "$rc" -eq 0 ]; then
		[ "$(rdma dev show "$ib0" | cut -d: -f1)" -gt "$idx" ] || rc=1
		wait_for link_is "$ib0" ACTIVE LINK_UP || rc=1
		devlink port show vhca/vhca0/1 | grep -q "type ib ibdev $ib0 " ||
			rc=1
		[ "$(cat "$CLASS/$ib0/ports/1/lid")" = \
		  "$(printf '0x%x' "$(fab_field 0 lid)")" ] || rc=1
		[ "$(event_count 0 1 port_err)" = 0 ] || rc=1
	fi
	[ "$(find "$CLASS" -mindepth 1 -name 'vhca_*' | wc -l)" = 2 ] || rc=1
	log_result $rc "devlink reload re-creates the ib_device (now ${ib0:-none})"
fi

# --- a device added and deleted at run time ---
rc=0
echo "44 2" > /sys/bus/vhca/new_device || rc=1
ib44=$(ibdev_of 44) || rc=1
if [ "$rc" -eq 0 ]; then
	[ "$(cat "$CLASS/$ib44/ports/2/gids/0")" = \
	  "fe80:0000:0000:0000:001d:1c00:0000:2c02" ] || rc=1
	echo 44 > /sys/bus/vhca/del_device || rc=1
	[ ! -e "$CLASS/$ib44" ] || rc=1
fi
log_result $rc "a 2-port device gets an ib_device with two ports; deleting it removes it"

# --- unload ---
rc=0
modprobe -r vhca_ib || rc=1
[ -z "$(find "$CLASS" -mindepth 1 -name 'vhca_*' 2> /dev/null)" ] || rc=1
[ ! -e /sys/bus/auxiliary/devices/vhca_core.rdma.0 ] || rc=1
# modprobe -r may or may not have taken the unused dependencies along
for m in vhca_core vhca_sim; do
	[ ! -d "/sys/module/$m" ] || modprobe -r "$m" || rc=1
done
[ ! -d /sys/module/vhca_sim ] || rc=1
[ "$rc" -eq 0 ] || lsmod | sed 's/^/# /'
log_result $rc "module unload with everything loaded is clean"

rc=0
if dmesg | tail -n +$((mark + 1)) |
	grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t'; then
	rc=1
fi
log_result $rc "no warning, bug or oops in the kernel log"

echo "1..$num"
exit $failed
