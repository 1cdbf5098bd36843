#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink dev show / dev info of vhca devices: both default devices are
# listed, and dev info reports the driver name, the serial number and the
# firmware identity the device gives (QUERY_ADAPTER, FW_REV registers).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

BUS=/sys/bus/vhca
TEST_ID=57
loaded_core=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ -e "$BUS/devices/vhca$TEST_ID" ]; then
		echo "$TEST_ID" > "$BUS/del_device" || true
	fi
	if [ "$loaded_core" -eq 1 ]; then
		modprobe -r vhca_core vhca_sim || true
	fi
}
trap cleanup EXIT

require_tools devlink jq modprobe
load_core

info()
{
	devlink -j dev info "vhca/$1" | jq -r ".info[\"vhca/$1\"]$2"
}

show=$(devlink dev show)
for d in vhca0 vhca1; do
	rc=0
	grep -qx "vhca/$d" <<< "$show" || rc=1
	log_result $rc "devlink dev show lists vhca/$d"
done

check_eq "vhca0 driver" vhca_core "$(info vhca0 .driver)"
check_eq "vhca0 serial number" VHCA00000000 "$(info vhca0 .serial_number)"
check_eq "vhca0 running fw.version" 1.2.60 \
	"$(info vhca0 '.versions.running["fw.version"]')"
check_eq "vhca0 fixed board.id" VHCA000000001 \
	"$(info vhca0 '.versions.fixed["board.id"]')"
check_eq "vhca1 serial number" VHCA00000001 "$(info vhca1 .serial_number)"

# a device created later gets its own identity
echo "$TEST_ID" > "$BUS/new_device"
check_eq "new vhca$TEST_ID bound to vhca_core" vhca_core \
	"$(basename "$(readlink "$BUS/devices/vhca$TEST_ID/driver")")"
check_eq "vhca$TEST_ID serial number" "$(printf 'VHCA%08X' $TEST_ID)" \
	"$(info vhca$TEST_ID .serial_number)"
echo "$TEST_ID" > "$BUS/del_device"
rc=0
devlink dev show | grep -q "vhca/vhca$TEST_ID" && rc=1
log_result $rc "deleted vhca$TEST_ID leaves devlink"

rc=0
devlink dev info vhca/vhca999 > /dev/null 2>&1 && rc=1
log_result $rc "dev info of a missing device fails"

echo "1..$num"
exit $failed
