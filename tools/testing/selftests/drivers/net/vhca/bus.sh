#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The vhca bus of vhca_sim: /sys/bus/vhca/new_device and del_device create
# and delete devices; every bad input fails with the right errno and leaves
# the device list unchanged; num_devices creates the default devices; the
# module unloads with devices present. Needs only vhca_sim (no driver).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

BUS=/sys/bus/vhca
DBG=/sys/kernel/debug/vhca_sim

devices()
{
	# shellcheck disable=SC2012 # device names are vhca<N>
	ls "$BUS/devices" | sort | tr '\n' ' '
}

# the port count the model reports in its debugfs state
ports_of()
{
	sed -n 's/^ports: //p' "$DBG/vhca$1/state"
}

# $1: file, $2: input, $3: expected result, $4: description
check_write()
{
	local before after res rc=0

	before=$(devices)
	res=$(try_write "$BUS/$1" "$2")
	after=$(devices)
	if [ "$res" != "$3" ]; then
		echo "# $1 '$2': got '$res', want '$3'"
		rc=1
	fi
	if [ "$3" != ok ] && [ "$before" != "$after" ]; then
		echo "# $1 '$2': devices changed: '$before' -> '$after'"
		rc=1
	fi
	log_result $rc "$4"
}

sim_alone

# --- default devices ---
modprobe vhca_sim
rc=0
[ "$(devices)" = "vhca0 vhca1 " ] || rc=1
log_result $rc "modprobe vhca_sim creates vhca0 and vhca1"
rc=0
[ "$(ports_of 0)" = 1 ] && [ "$(ports_of 1)" = 1 ] || rc=1
log_result $rc "default devices have one port"
rc=0
[ "$(cat /sys/module/vhca_sim/parameters/num_devices)" = 2 ] || rc=1
log_result $rc "num_devices defaults to 2"

rc=0
modprobe -r vhca_sim || rc=1
[ ! -e "$BUS" ] || rc=1
log_result $rc "unload with devices present"

rc=0
modprobe vhca_sim num_devices=3 || rc=1
[ "$(devices)" = "vhca0 vhca1 vhca2 " ] || rc=1
modprobe -r vhca_sim || rc=1
log_result $rc "num_devices=3 creates vhca0..vhca2"

rc=0
if modprobe vhca_sim num_devices=65 2> /dev/null; then
	rc=1
	modprobe -r vhca_sim
fi
log_result $rc "num_devices=65 is refused"

# --- new_device / del_device ---
modprobe vhca_sim num_devices=0
rc=0
[ -z "$(devices)" ] || rc=1
[ -f "$BUS/new_device" ] && [ -f "$BUS/del_device" ] || rc=1
log_result $rc "num_devices=0: no devices, bus files present"

check_write new_device "0" ok "new_device '0'"
rc=0
[ "$(devices)" = "vhca0 " ] && [ "$(ports_of 0)" = 1 ] || rc=1
log_result $rc "vhca0 exists with 1 port"

check_write new_device "1 2" ok "new_device '1 2'"
rc=0
[ "$(devices)" = "vhca0 vhca1 " ] && [ "$(ports_of 1)" = 2 ] || rc=1
log_result $rc "vhca1 exists with 2 ports"

check_write new_device "7 1" ok "new_device '7 1'"
rc=0
[ "$(ports_of 7)" = 1 ] || rc=1
log_result $rc "vhca7 exists with 1 port"

check_write new_device "abc" "Invalid argument" "new_device: not a number"
check_write new_device "" "Invalid argument" "new_device: empty"
check_write new_device " " "Invalid argument" "new_device: blank"
check_write new_device "-1" "Invalid argument" "new_device: negative ID"
check_write new_device "0x2" "Invalid argument" "new_device: hex ID"
check_write new_device "4294967296" "Invalid argument" \
	"new_device: ID over 32 bits"
check_write new_device "2 x" "Invalid argument" "new_device: ports not a number"
check_write new_device "2 1 1" "Invalid argument" "new_device: extra field"
check_write new_device "2 0" "Invalid argument" "new_device: 0 ports"
check_write new_device "2 3" "Invalid argument" "new_device: 3 ports"
check_write new_device "0" "File exists" "new_device: duplicate ID"
check_write new_device "1 1" "File exists" "new_device: duplicate ID with ports"

check_write del_device "9" "No such file or directory" \
	"del_device: unknown ID"
check_write del_device "abc" "Invalid argument" "del_device: not a number"
check_write del_device "" "Invalid argument" "del_device: empty"
check_write del_device "0 1" "Invalid argument" "del_device: extra field"

check_write del_device "1" ok "del_device '1'"
rc=0
[ "$(devices)" = "vhca0 vhca7 " ] && [ ! -e "$DBG/vhca1" ] || rc=1
log_result $rc "vhca1 and its debugfs directory are gone"
check_write del_device "1" "No such file or directory" \
	"del_device: already deleted"

check_write new_device "1" ok "re-create deleted ID 1"
rc=0
[ "$(ports_of 1)" = 1 ] || rc=1
log_result $rc "re-created vhca1 has 1 port"

rc=0
for i in $(seq 10 29); do
	[ "$(try_write "$BUS/new_device" "$i")" = ok ] || rc=1
done
for i in $(seq 10 29); do
	[ "$(try_write "$BUS/del_device" "$i")" = ok ] || rc=1
done
[ "$(devices)" = "vhca0 vhca1 vhca7 " ] || rc=1
log_result $rc "20 devices created and deleted"

rc=0
modprobe -r vhca_sim || rc=1
[ ! -e "$BUS" ] && [ ! -e "$DBG" ] || rc=1
log_result $rc "unload with created devices present"

echo "1..$num"
exit $failed
