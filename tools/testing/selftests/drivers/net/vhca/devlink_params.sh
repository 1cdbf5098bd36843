#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink dev param of vhca: tx_meta_storage (runtime, cb|header|metadata,
# default metadata, anything else refused with an extack message) and the
# driverinit EQ sizes (defaults, range and power-of-two checks).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

DL=vhca/vhca0
loaded_core=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ "$loaded_core" -eq 1 ]; then
		modprobe -r vhca_core vhca_sim || true
	elif [ -d /sys/module/vhca_core ]; then
		devlink dev param set "$DL" name tx_meta_storage value metadata \
			cmode runtime || true
	fi
}
trap cleanup EXIT

require_tools devlink jq modprobe
load_core

# param_get DEV NAME CMODE
param_get()
{
	devlink -j dev param show "$1" name "$2" |
		jq -r ".param[\"$1\"][0].values[] | select(.cmode == \"$3\") | .value"
}

# set_refused DESCRIPTION MESSAGE devlink-args...: fails, says MESSAGE
set_refused()
{
	local desc=$1 msg=$2 out rc=0

	shift 2
	if out=$(devlink dev param set "$@" 2>&1); then
		rc=1
		echo "# accepted: $*"
	elif ! grep -qF -- "$msg" <<< "$out"; then
		rc=1
		echo "# message: $out"
	fi
	log_result $rc "$desc"
}

check_eq "tx_meta_storage default" metadata \
	"$(param_get $DL tx_meta_storage runtime)"
check_eq "tx_meta_storage type" driver-specific \
	"$(devlink -j dev param show $DL name tx_meta_storage |
	   jq -r ".param[\"$DL\"][0].type")"

for mode in cb header metadata; do
	rc=0
	devlink dev param set $DL name tx_meta_storage value $mode \
		cmode runtime || rc=1
	log_result $rc "tx_meta_storage set $mode"
	check_eq "tx_meta_storage reads back $mode" $mode \
		"$(param_get $DL tx_meta_storage runtime)"
done

devlink dev param set $DL name tx_meta_storage value header cmode runtime
check_eq "vhca1 keeps its own tx_meta_storage" metadata \
	"$(param_get vhca/vhca1 tx_meta_storage runtime)"

for bad in foo CB metadata2 ""; do
	set_refused "tx_meta_storage '$bad' refused" \
		"tx_meta_storage must be one of cb, header, metadata" \
		$DL name tx_meta_storage value "$bad" cmode runtime
done
check_eq "refused values leave tx_meta_storage alone" header \
	"$(param_get $DL tx_meta_storage runtime)"
set_refused "tx_meta_storage has no driverinit cmode" "" \
	$DL name tx_meta_storage value cb cmode driverinit

check_eq "event_eq_size default" 256 \
	"$(param_get $DL event_eq_size driverinit)"
check_eq "io_eq_size default" 1024 "$(param_get $DL io_eq_size driverinit)"
check_eq "event_eq_size is generic" generic \
	"$(devlink -j dev param show $DL name event_eq_size |
	   jq -r ".param[\"$DL\"][0].type")"

for p in event_eq_size io_eq_size; do
	for v in 0 32 8192 4294967295; do
		set_refused "$p $v out of range refused" \
			"EQ size out of the device's range" \
			$DL name $p value $v cmode driverinit
	done
	set_refused "$p 100 (not a power of two) refused" \
		"EQ size must be a power of two" \
		$DL name $p value 100 cmode driverinit
	set_refused "$p has no runtime cmode" "" \
		$DL name $p value 128 cmode runtime
done
check_eq "refused sizes leave event_eq_size alone" 256 \
	"$(param_get $DL event_eq_size driverinit)"
check_eq "refused sizes leave io_eq_size alone" 1024 \
	"$(param_get $DL io_eq_size driverinit)"

# limits are accepted; restore the defaults afterwards
for v in 64 4096 256; do
	rc=0
	devlink dev param set $DL name event_eq_size value $v \
		cmode driverinit || rc=1
	[ "$(param_get $DL event_eq_size driverinit)" = $v ] || rc=1
	log_result $rc "event_eq_size $v accepted"
done
devlink dev param set $DL name io_eq_size value 1024 cmode driverinit

echo "1..$num"
exit $failed
