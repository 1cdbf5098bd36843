#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink dev reload (driver_reinit) of vhca: new driverinit EQ sizes reach
# the device, runtime params survive, and a reload whose CREATE_EQ fails
# reports it, leaves the device unloaded, and a second reload recovers.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

DEV=vhca0
DL=vhca/$DEV
SIM_DFS=/sys/kernel/debug/vhca_sim/$DEV
loaded_core=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ -d "$SIM_DFS" ]; then
		echo 0 > "$SIM_DFS/fail_cmd_count" || true
		echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode" || true
	fi
	if [ "$loaded_core" -eq 1 ]; then
		modprobe -r vhca_core vhca_sim || true
	elif [ -d /sys/module/vhca_core ]; then
		devlink dev param set "$DL" name event_eq_size value 256 \
			cmode driverinit || true
		devlink dev param set "$DL" name io_eq_size value 1024 \
			cmode driverinit || true
		devlink dev param set "$DL" name tx_meta_storage \
			value metadata cmode runtime || true
		devlink dev reload "$DL" || true
	fi
}
trap cleanup EXIT

require_tools devlink jq modprobe
load_core
if [ ! -r "$SIM_DFS/state" ]; then
	echo "# SKIP: no $SIM_DFS (debugfs not mounted?)"
	exit $KSFT_SKIP
fi

param_get()
{
	devlink -j dev param show "$DL" name "$1" |
		jq -r ".param[\"$DL\"][0].values[] | select(.cmode == \"$2\") | .value"
}

# "eq 3: size 512 vector 1 ..." lines of the model's state
eq_sizes() # vector-filter: "async" or "comp"
{
	if [ "$1" = async ]; then
		awk '$1 == "eq" && $6 == 0 { print $4 }' "$SIM_DFS/state"
	else
		awk '$1 == "eq" && $6 != 0 { print $4 }' "$SIM_DFS/state" |
			sort -u
	fi
}

# one completion EQ per vector beyond the async one, at most one per CPU
vectors=$(awk '$1 == "vectors:" { print $2 }' "$SIM_DFS/state")
expected_comp=$(nproc)
[ "$expected_comp" -lt "$vectors" ] || expected_comp=$((vectors - 1))
check_eq "probe created 1 + $expected_comp EQs" $((1 + expected_comp)) \
	"$(num_eqs)"
check_eq "async EQ has the default size" 256 "$(eq_sizes async)"
check_eq "completion EQs have the default size" 1024 "$(eq_sizes comp)"

devlink dev param set $DL name event_eq_size value 128 cmode driverinit
devlink dev param set $DL name io_eq_size value 512 cmode driverinit
devlink dev param set $DL name tx_meta_storage value cb cmode runtime
check_eq "driverinit value alone changes nothing" 1024 "$(eq_sizes comp)"

rc=0
devlink dev reload $DL || rc=1
log_result $rc "reload succeeds"
check_eq "async EQ recreated with event_eq_size 128" 128 "$(eq_sizes async)"
check_eq "completion EQs recreated with io_eq_size 512" 512 "$(eq_sizes comp)"
check_eq "EQ count unchanged by reload" $((1 + expected_comp)) "$(num_eqs)"
check_eq "hca initialized after reload" "hca_state: initialized" \
	"$(grep '^hca_state:' "$SIM_DFS/state")"
check_eq "tx_meta_storage survives reload" cb \
	"$(param_get tx_meta_storage runtime)"
check_eq "io_eq_size driverinit value kept" 512 \
	"$(param_get io_eq_size driverinit)"
check_eq "vhca1 untouched" 1024 \
	"$(awk '$1 == "eq" && $6 != 0 { print $4 }' \
	   /sys/kernel/debug/vhca_sim/vhca1/state | sort -u)"
rc=0
devlink -j dev show $DL | jq -e ".dev[\"$DL\"] | (.reload_failed // false) == false" \
	> /dev/null || rc=1
log_result $rc "reload_failed is false"

# a reload whose first CREATE_EQ (the async EQ) fails
echo 0x301 > "$SIM_DFS/fail_cmd_opcode"
echo 1 > "$SIM_DFS/fail_cmd_count"
mark=$(dmesg | wc -l)
rc=0
if out=$(devlink dev reload $DL 2>&1); then
	rc=1
	echo "# reload with a failing CREATE_EQ succeeded"
fi
log_result $rc "reload with CREATE_EQ failure fails"
rc=0
grep -q "Failed to create the async EQ" <<< "$out" || rc=1
[ "$rc" -eq 0 ] || echo "# devlink said: $out"
log_result $rc "reload error names the failing step"
rc=0
dmesg | tail -n +$((mark + 1)) |
	grep -q "CREATE_EQ(0x301) failed, status INT_ERR(0x1), syndrome 0xb1dfa11" ||
	rc=1
log_result $rc "dmesg names CREATE_EQ and the injected syndrome"
check_eq "no EQ left after the failed reload" 0 "$(num_eqs)"
check_eq "hca torn down after the failed reload" "hca_state: enabled" \
	"$(grep '^hca_state:' "$SIM_DFS/state")"
rc=0
devlink -j dev show $DL | jq -e ".dev[\"$DL\"].reload_failed == true" \
	> /dev/null || rc=1
log_result $rc "reload_failed is true"
check_eq "tx_meta_storage readable while unloaded" cb \
	"$(param_get tx_meta_storage runtime)"
check_eq "dev info works while unloaded" VHCA00000000 \
	"$(devlink -j dev info $DL | jq -r ".info[\"$DL\"].serial_number")"

rc=0
devlink dev reload $DL || rc=1
log_result $rc "second reload recovers"
check_eq "EQs back after recovery" $((1 + expected_comp)) "$(num_eqs)"
check_eq "async EQ size after recovery" 128 "$(eq_sizes async)"

# INIT_HCA failing in reload_up
echo 0x102 > "$SIM_DFS/fail_cmd_opcode"
echo 1 > "$SIM_DFS/fail_cmd_count"
rc=0
out=$(devlink dev reload $DL 2>&1) && rc=1
grep -q "INIT_HCA failed" <<< "$out" || rc=1
log_result $rc "reload with INIT_HCA failure fails and says so"
echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode"

# back to the defaults
devlink dev param set $DL name event_eq_size value 256 cmode driverinit
devlink dev param set $DL name io_eq_size value 1024 cmode driverinit
rc=0
devlink dev reload $DL || rc=1
log_result $rc "reload with the defaults"
check_eq "default completion EQ size again" 1024 "$(eq_sizes comp)"

echo "1..$num"
exit $failed
