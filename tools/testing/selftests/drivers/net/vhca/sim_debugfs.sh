#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debugfs directory of vhca_sim devices: every knob is there with its
# default, takes a value and refuses a bad one; the state dump describes
# the device; health_syndrome shows in the state and stops the health
# counter. Needs only vhca_sim (no driver): commands are exercised by the
# driver's tests (probe_fault.sh).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

BUS=/sys/bus/vhca
DBG=/sys/kernel/debug/vhca_sim

# value of "key: value" in a device's state
state_of()
{
	sed -n "s/^$2: //p" "$DBG/vhca$1/state"
}

# $1: file, $2: expected content, $3: description
check_file()
{
	local got rc=0

	got=$(cat "$1")
	if [ "$got" != "$2" ]; then
		echo "# $1: got '$got', want '$2'"
		rc=1
	fi
	log_result $rc "$3"
}

sim_alone

modprobe vhca_sim
d=$DBG/vhca0

rc=0
for f in fail_cmd_count fail_cmd_opcode fail_cmd_skip fail_cmd_status \
	 cmd_delay_ms \
	 health_syndrome state; do
	if [ ! -f "$d/$f" ] || [ ! -f "$DBG/vhca1/$f" ]; then
		echo "# missing $f"
		rc=1
	fi
done
log_result $rc "every knob exists for vhca0 and vhca1"

check_file "$d/fail_cmd_count" 0 "fail_cmd_count defaults to 0"
check_file "$d/fail_cmd_opcode" 0xffffffff \
	"fail_cmd_opcode defaults to 0xffffffff (any)"
check_file "$d/fail_cmd_skip" 0 "fail_cmd_skip defaults to 0"
check_file "$d/fail_cmd_status" 0x01 "fail_cmd_status defaults to 0x01"
check_file "$d/cmd_delay_ms" 0 "cmd_delay_ms defaults to 0"
check_file "$d/health_syndrome" 0x00000000 "health_syndrome defaults to 0"

rc=0
[ "$(try_write "$d/fail_cmd_count" 3)" = ok ] || rc=1
[ "$(try_write "$d/fail_cmd_opcode" 0x301)" = ok ] || rc=1
[ "$(try_write "$d/fail_cmd_status" 3)" = ok ] || rc=1
[ "$(try_write "$d/cmd_delay_ms" 50)" = ok ] || rc=1
log_result $rc "knobs accept values"
check_file "$d/fail_cmd_count" 3 "fail_cmd_count reads back"
check_file "$d/fail_cmd_opcode" 0x00000301 "fail_cmd_opcode reads back"
check_file "$d/fail_cmd_status" 0x03 "fail_cmd_status reads back"
check_file "$d/cmd_delay_ms" 50 "cmd_delay_ms reads back"
check_file "$DBG/vhca1/fail_cmd_count" 0 "knobs are per device"

rc=0
[ "$(try_write "$d/fail_cmd_count" abc)" = "Invalid argument" ] || rc=1
[ "$(try_write "$d/health_syndrome" abc)" = "Invalid argument" ] || rc=1
[ "$(try_write "$d/health_syndrome" 0x100000000)" = "Invalid argument" ] ||
	rc=1
check_file "$d/health_syndrome" 0x00000000 "bad values leave health alone"
log_result $rc "bad knob values are refused with EINVAL"

# --- state ---
rc=0
[ "$(state_of 0 device)" = vhca0 ] || rc=1
[ "$(state_of 0 id)" = 0 ] || rc=1
[ "$(state_of 0 ports)" = 1 ] || rc=1
[ "$(state_of 0 fw)" = 1.2.60 ] || rc=1
[ "$(state_of 0 hca_state)" = disabled ] || rc=1
[ "$(state_of 0 cmdq)" = disabled ] || rc=1
[ "$(state_of 0 "cmd total")" = "executed 0 failed 0 injected 0" ] || rc=1
vectors=$(state_of 0 vectors)
[ "$vectors" -ge 2 ] || rc=1
[ "$(grep -c '^irq ' "$d/state")" = "$vectors" ] || rc=1
grep -q '^cmd CREATE_EQ (0x301): executed 0 failed 0 injected 0$' \
	"$d/state" || rc=1
grep -q '^eq ' "$d/state" && rc=1
log_result $rc "state describes an idle device with no EQs"

rc=0
[ "$(try_write "$BUS/new_device" "5 2")" = ok ] || rc=1
[ "$(state_of 5 ports)" = 2 ] || rc=1
[ "$(state_of 5 device)" = vhca5 ] || rc=1
[ "$(try_write "$BUS/del_device" 5)" = ok ] || rc=1
[ ! -e "$DBG/vhca5" ] || rc=1
log_result $rc "a new device gets its directory, deleting removes it"

# --- health ---
rc=0
c1=$(state_of 0 health_counter)
sleep 0.5
c2=$(state_of 0 health_counter)
[ "$c2" -gt "$c1" ] || rc=1
log_result $rc "health counter ticks while healthy ($c1 -> $c2)"

rc=0
[ "$(try_write "$d/health_syndrome" 1)" = ok ] || rc=1
[ "$(state_of 0 health_syndrome)" = 0x1 ] || rc=1
[ "$(cat "$d/health_syndrome")" = 0x00000001 ] || rc=1
c1=$(state_of 0 health_counter)
sleep 0.5
c2=$(state_of 0 health_counter)
[ "$c1" = "$c2" ] || rc=1
[ "$(state_of 1 health_syndrome)" = 0x0 ] || rc=1
log_result $rc "health_syndrome 1: shown in state, counter stops ($c1 -> $c2)"

rc=0
[ "$(try_write "$d/health_syndrome" 0)" = ok ] || rc=1
[ "$(state_of 0 health_syndrome)" = 0x0 ] || rc=1
c1=$(state_of 0 health_counter)
sleep 0.5
c2=$(state_of 0 health_counter)
[ "$c2" -gt "$c1" ] || rc=1
log_result $rc "health_syndrome 0: healthy again, counter ticks ($c1 -> $c2)"

rc=0
modprobe -r vhca_sim || rc=1
[ ! -e "$DBG" ] || rc=1
log_result $rc "unload removes /sys/kernel/debug/vhca_sim"

echo "1..$num"
exit $failed
