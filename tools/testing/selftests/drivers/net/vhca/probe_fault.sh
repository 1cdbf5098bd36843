#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vhca_core probe under command failures: each init command failing in turn
# (debugfs fault injection of the model) makes the bind fail, dmesg names
# the command and its syndrome, and the device is left disabled with no
# EQ; a timed-out command fails the bind too. Every time, a later bind and
# a delete + re-create of the device work.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

DEV=vhca0
BUS=/sys/bus/vhca
DRV=$BUS/drivers/vhca_core
SIM_DFS=/sys/kernel/debug/vhca_sim/$DEV
TIMEOUT_PARAM=/sys/module/vhca_core/parameters/cmd_timeout_ms
loaded_core=0
old_timeout=

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ -d "$SIM_DFS" ]; then
		echo 0 > "$SIM_DFS/fail_cmd_count" || true
		echo 0 > "$SIM_DFS/fail_cmd_skip" || true
		echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode" || true
		echo 0 > "$SIM_DFS/cmd_delay_ms" || true
	fi
	if [ -n "$old_timeout" ]; then
		echo "$old_timeout" > "$TIMEOUT_PARAM" || true
	fi
	if [ "$loaded_core" -eq 1 ]; then
		modprobe -r vhca_core vhca_sim || true
	elif [ -d "$DRV" ] && [ ! -e "$DRV/$DEV" ]; then
		echo "$DEV" > "$DRV/bind" || true
	fi
}
trap cleanup EXIT

require_tools devlink modprobe dmesg
load_core
if [ ! -r "$SIM_DFS/state" ]; then
	echo "# SKIP: no $SIM_DFS (debugfs not mounted?)"
	exit $KSFT_SKIP
fi
old_timeout=$(cat "$TIMEOUT_PARAM")

state()
{
	grep "^$1:" "$SIM_DFS/state"
}

bound()
{
	[ -e "$DRV/$DEV" ] && devlink dev show "vhca/$DEV" > /dev/null 2>&1
}

# bind_fails DESCRIPTION DMESG-PATTERN: the bind write fails and the new
# kernel log lines match the pattern; the model is left clean.
bind_fails()
{
	local desc=$1 pattern=$2 mark rc=0

	mark=$(dmesg | wc -l)
	if echo "$DEV" > "$DRV/bind" 2> /dev/null; then
		rc=1
		echo "# bind succeeded"
	fi
	log_result $rc "$desc: bind fails"
	rc=0
	dmesg | tail -n +$((mark + 1)) | grep -- "$pattern" > /dev/null || rc=1
	[ "$rc" -eq 0 ] || dmesg | tail -n +$((mark + 1)) | sed 's/^/# /'
	log_result $rc "$desc: dmesg says '$pattern'"
	check_eq "$desc: no EQ left" 0 "$(num_eqs)"
	check_eq "$desc: HCA disabled" "hca_state: disabled" \
		"$(state hca_state)"
	check_eq "$desc: command queue disabled" "cmdq: disabled" \
		"$(state cmdq)"
	rc=0
	bound && rc=1
	log_result $rc "$desc: no devlink instance"
}

bind_works()
{
	local desc=$1 rc=0

	echo "$DEV" > "$DRV/bind" || rc=1
	bound || rc=1
	[ "$(num_eqs)" -gt 1 ] || rc=1
	log_result $rc "$desc: bind works again"
}

bound_eqs=$(num_eqs)
echo "$DEV" > "$DRV/unbind"
check_eq "unbind leaves no EQ" 0 "$(num_eqs)"
check_eq "unbind disables the HCA" "hca_state: disabled" "$(state hca_state)"
check_eq "unbind disables the command queue" "cmdq: disabled" "$(state cmdq)"

synd=0xb1dfa11
for cmd in ENABLE_HCA:0x104 QUERY_HCA_CAP:0x100 QUERY_ADAPTER:0x101 \
	   INIT_HCA:0x102 CREATE_EQ:0x301; do
	name=${cmd%:*}
	op=${cmd#*:}
	echo "$op" > "$SIM_DFS/fail_cmd_opcode"
	echo 1 > "$SIM_DFS/fail_cmd_count"
	bind_fails "$name fails" \
		"$name($op) failed, status INT_ERR(0x1), syndrome $synd"
	check_eq "$name fails: injection consumed" 0 \
		"$(cat "$SIM_DFS/fail_cmd_count")"
	echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode"
	bind_works "$name fails"
	echo "$DEV" > "$DRV/unbind"
done

# the last CREATE_EQ fails when the async EQ and the other completion
# EQs exist: probe must destroy them all
echo 0x301 > "$SIM_DFS/fail_cmd_opcode"
echo $((bound_eqs - 1)) > "$SIM_DFS/fail_cmd_skip"
echo 1 > "$SIM_DFS/fail_cmd_count"
bind_fails "last CREATE_EQ fails" \
	"CREATE_EQ(0x301) failed, status INT_ERR(0x1), syndrome $synd"
check_eq "last CREATE_EQ fails: $((bound_eqs - 1)) EQs created before it" \
	0 "$(cat "$SIM_DFS/fail_cmd_skip")"
echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode"
bind_works "last CREATE_EQ fails"
echo "$DEV" > "$DRV/unbind"

# another status maps to another errno, and is named
echo 0x100 > "$SIM_DFS/fail_cmd_opcode"
echo 0x06 > "$SIM_DFS/fail_cmd_status"
echo 1 > "$SIM_DFS/fail_cmd_count"
out=$({ echo "$DEV" > "$DRV/bind"; } 2>&1) && out=
rc=0
grep -q "busy" <<< "$out" || rc=1
[ "$rc" -eq 0 ] || echo "# bind said: $out"
log_result $rc "RESOURCE_BUSY status reaches the bind as EBUSY"
echo 0x01 > "$SIM_DFS/fail_cmd_status"
echo 0xffffffff > "$SIM_DFS/fail_cmd_opcode"
bind_works "RESOURCE_BUSY"
echo "$DEV" > "$DRV/unbind"

# a command that takes longer than cmd_timeout_ms
echo 500 > "$TIMEOUT_PARAM"
echo 2000 > "$SIM_DFS/cmd_delay_ms"
bind_fails "command timeout" "ENABLE_HCA(0x104) timed out after 500 ms"
echo 0 > "$SIM_DFS/cmd_delay_ms"
echo "$old_timeout" > "$TIMEOUT_PARAM"
bind_works "command timeout"

# commands that time out but complete later: a reload under a slow device
# fails, the slots come back once the device returns them, and the next
# reload and bind resynchronize with whatever state the device ended in
if command -v jq > /dev/null; then
	mark=$(dmesg | wc -l)
	echo 300 > "$TIMEOUT_PARAM"
	echo 700 > "$SIM_DFS/cmd_delay_ms"
	rc=0
	devlink dev reload vhca/$DEV 2> /dev/null && rc=1
	log_result $rc "reload under a slow device fails"
	echo 0 > "$SIM_DFS/cmd_delay_ms"
	echo "$old_timeout" > "$TIMEOUT_PARAM"
	# the model works off its backlog, the driver reclaims the slots
	for _ in $(seq 50); do
		late=$(dmesg | tail -n +$((mark + 1)) |
		       grep -c "completed late, slot reclaimed" || true)
		timedout=$(dmesg | tail -n +$((mark + 1)) |
			   grep -c "timed out after 300 ms" || true)
		[ "$late" -lt "$timedout" ] || break
		sleep 0.2
	done
	rc=0
	[ "$timedout" -gt 0 ] && [ "$late" -eq "$timedout" ] || rc=1
	[ "$rc" -eq 0 ] || echo "# $timedout timed out, $late reclaimed"
	log_result $rc "every timed-out slot is reclaimed when the device completes it"
	rc=0
	devlink dev reload vhca/$DEV || rc=1
	[ "$(num_eqs)" -gt 1 ] || rc=1
	log_result $rc "next reload resynchronizes with the device"
	echo "$DEV" > "$DRV/unbind"
	check_eq "unbind after the timeouts disables the HCA" \
		"hca_state: disabled" "$(state hca_state)"
	bind_works "after late completions"
fi

# bad cmd_timeout_ms values are refused
for v in 0 600001 abc; do
	rc=0
	echo "$v" > "$TIMEOUT_PARAM" 2> /dev/null && rc=1
	check_eq "cmd_timeout_ms $v refused" "$old_timeout" \
		"$(cat "$TIMEOUT_PARAM")"
done

# the device can be deleted and created again after all this
echo 0 > "$BUS/del_device"
rc=0
devlink dev show vhca/$DEV > /dev/null 2>&1 && rc=1
log_result $rc "deleted device left devlink"
echo 0 > "$BUS/new_device"
rc=0
bound || rc=1
log_result $rc "re-created device is bound and in devlink"
check_eq "re-created device is initialized" "hca_state: initialized" \
	"$(state hca_state)"

echo "1..$num"
exit $failed
