#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink dev show / dev info of vhca devices: both default devices are
# listed, and dev info reports the driver name, the serial number and the
# firmware identity the device gives (QUERY_ADAPTER, FW_REV registers).
set -euo pipefail

KSFT_SKIP=4
BUS=/sys/bus/vhca
TEST_ID=57
num=0
failed=0
loaded_core=0

log_result()
{
	local rc=$1 desc=$2

	num=$((num + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $num $desc"
	else
		echo "not ok $num $desc"
		failed=1
	fi
}

# check DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	local rc=0

	[ "$2" = "$3" ] || rc=1
	[ "$rc" -eq 0 ] || echo "# expected '$2', got '$3'"
	log_result "$rc" "$1"
}

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

for tool in devlink jq modprobe; do
	if ! command -v "$tool" > /dev/null; then
		echo "# SKIP: $tool not found"
		exit $KSFT_SKIP
	fi
done
if [ ! -d /sys/module/vhca_core ]; then
	if ! modprobe vhca_core; then
		echo "# SKIP: cannot load vhca_core"
		exit $KSFT_SKIP
	fi
	loaded_core=1
fi

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
