#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fabric's first step: every port is cabled to the emulated switch,
# whose built-in SM gives it a unique LID and brings it ACTIVE; the link
# and P_Key knobs and an SM restart reach the driver as port events that
# it logs; each physical port has a devlink port; a device's LIDs leave
# with it. Also: bad knob input gets the right errno, and a failing
# QUERY_PORT fails the bind cleanly.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

BUS=/sys/bus/vhca
DRV=$BUS/drivers/vhca_core
DBG=/sys/kernel/debug/vhca_sim
FAB=$DBG/fabric
NEW=42		# a 2-port device this test adds
NEXT=43		# added after $NEW is deleted

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	modprobe -r vhca_core vhca_sim 2> /dev/null || true
}

# the fabric state line of port vhca$1/$2
fab_port()
{
	grep "^port vhca$1/$2: " "$FAB/state" || true
}

# field $3 (e.g. lid, state, phys) of port vhca$1/$2 in the fabric state
fab_field()
{
	fab_port "$1" "$2" | sed -n "s/.* $3 \([^ ]*\).*/\1/p"
}

# port vhca$1/$2 has $3 P_Keys in its table
# shellcheck disable=SC2317 # called through wait_for
pkeys_are()
{
	[ "$(fab_field "$1" "$2" pkeys)" = "$3" ]
}

port_is()
{
	[ "$(fab_field "$1" "$2" state)" = "$3" ]
}

mark_log()
{
	mark=$(dmesg | wc -l)
}

# the kernel log since mark_log has a line matching $1
logged()
{
	dmesg | tail -n +$((mark + 1)) | grep -- "$1" > /dev/null
}

wait_logged()
{
	if ! wait_for logged "$1"; then
		echo "# not in dmesg: $1"
		return 1
	fi
}

# every LID of the fabric state is unique and a unicast HCA LID
lids_unique()
{
	local lids

	lids=$(sed -n 's/^port .* lid \([0-9]*\) .*/\1/p' "$FAB/state")
	[ -n "$lids" ] || return 1
	[ "$(sort -n <<< "$lids" | uniq -d)" = "" ] || return 1
	while read -r l; do
		if [ "$l" -lt 2 ] || [ "$l" -gt 49151 ]; then
			return 1
		fi
	done <<< "$lids"
}

if [ "$(id -u)" -ne 0 ]; then
	echo "# SKIP: must be root"
	exit $KSFT_SKIP
fi
require_tools modprobe dmesg
if ! modinfo vhca_core > /dev/null 2>&1; then
	echo "# SKIP: vhca_core not installed"
	exit $KSFT_SKIP
fi
trap cleanup EXIT
modprobe -r vhca_core vhca_sim 2> /dev/null || true
if [ -d /sys/module/vhca_sim ]; then
	echo "# vhca_sim is in use and cannot be unloaded"
	exit 1
fi
if ! mountpoint -q /sys/kernel/debug; then
	mount -t debugfs none /sys/kernel/debug
fi

mark_log
modprobe vhca_core

# --- default devices ---
rc=0
wait_for port_is 0 1 ACTIVE || rc=1
wait_for port_is 1 1 ACTIVE || rc=1
[ "$(fab_field 0 1 phys)" = LINK_UP ] || rc=1
lids_unique || rc=1
[ "$rc" -eq 0 ] || sed 's/^/# /' "$FAB/state"
log_result $rc "default devices: both ports ACTIVE with unique LIDs"
lid0=$(fab_field 0 1 lid)
lid1=$(fab_field 1 1 lid)

rc=0
grep -q '^switch: lid 1 ' "$FAB/state" || rc=1
grep -q '^sm: lid 1 sl 0 state master ' "$FAB/state" || rc=1
[ "$(fab_field 0 1 guid)" = 0x001d1c0000000001 ] || rc=1
[ "$(fab_field 1 1 guid)" = 0x001d1c0000000101 ] || rc=1
[ "$(fab_field 0 1 pkeys)" = 1 ] || rc=1
log_result $rc "switch and SM on LID 1, port GUID is node GUID + port"

rc=0
wait_logged "vhca0: port 1: ACTIVE, LID $lid0, SM LID 1" || rc=1
wait_logged "vhca1: port 1: ACTIVE, LID $lid1, SM LID 1" || rc=1
log_result $rc "the driver logs each port ACTIVE with its LID"

rc=0
grep -q "^port 1: link up state ACTIVE phys LINK_UP lid $lid0 sm_lid 1 " \
	"$DBG/vhca0/state" || rc=1
grep -q '^cmd QUERY_PORT (0x110): executed [1-9]' "$DBG/vhca0/state" || rc=1
grep -q '^cmd QUERY_PKEYS (0x111): executed [1-9]' "$DBG/vhca0/state" ||
	rc=1
log_result $rc "device state shows the port; the driver queried it"

# --- a 2-port device ---
mark_log
rc=0
[ "$(try_write "$BUS/new_device" "$NEW 2")" = ok ] || rc=1
wait_for port_is $NEW 1 ACTIVE || rc=1
wait_for port_is $NEW 2 ACTIVE || rc=1
lids_unique || rc=1
[ "$(fab_field $NEW 2 guid)" = 0x001d1c0000002a02 ] || rc=1
wait_logged "vhca$NEW: port 2: ACTIVE, LID $(fab_field $NEW 2 lid)" || rc=1
[ "$rc" -eq 0 ] || sed 's/^/# /' "$FAB/state"
log_result $rc "a 2-port device gets two more unique LIDs, both ACTIVE"

# --- devlink ports ---
if command -v devlink > /dev/null; then
	rc=0
	out=$(devlink port show vhca/vhca0/1 2>&1) || rc=1
	grep -q 'type ib flavour physical port 1' <<< "$out" || rc=1
	out=$(devlink port show vhca/vhca$NEW/2 2>&1) || rc=1
	grep -q 'flavour physical port 2' <<< "$out" || rc=1
	devlink port show vhca/vhca0/2 > /dev/null 2>&1 && rc=1
	[ "$rc" -eq 0 ] || devlink port show | sed 's/^/# /'
	log_result $rc "devlink port show: one physical port per port"
else
	echo "# devlink not found, devlink port checks skipped"
fi

# --- link down / up ---
mark_log
rc=0
[ "$(try_write "$DBG/vhca0/port1/link" down)" = ok ] || rc=1
[ "$(cat "$DBG/vhca0/port1/link")" = down ] || rc=1
port_is 0 1 DOWN || rc=1
[ "$(fab_field 0 1 phys)" = DISABLED ] || rc=1
wait_logged "vhca0: port 1: DOWN" || rc=1
port_is 1 1 ACTIVE || rc=1
log_result $rc "link down: port DOWN, phys DISABLED, the driver logs it"

rc=0
grep -q '^port 1 events: down 1 ' "$DBG/vhca0/state" || rc=1
log_result $rc "the model counts the DOWN event"

mark_log
rc=0
[ "$(try_write "$DBG/vhca0/port1/link" up)" = ok ] || rc=1
[ "$(cat "$DBG/vhca0/port1/link")" = up ] || rc=1
wait_for port_is 0 1 ACTIVE || rc=1
[ "$(fab_field 0 1 lid)" = "$lid0" ] || rc=1
wait_logged "vhca0: port 1: ACTIVE, LID $lid0, SM LID 1" || rc=1
log_result $rc "link up: ACTIVE again with the same LID ($lid0)"

rc=0
[ "$(try_write "$DBG/vhca0/port1/link" 0)" = ok ] || rc=1
port_is 0 1 DOWN || rc=1
[ "$(try_write "$DBG/vhca0/port1/link" 1)" = ok ] || rc=1
wait_for port_is 0 1 ACTIVE || rc=1
log_result $rc "link takes 0 and 1"

rc=0
[ "$(try_write "$DBG/vhca0/port1/link" maybe)" = "Invalid argument" ] ||
	rc=1
[ "$(try_write "$DBG/vhca0/port1/link" "")" = "Invalid argument" ] || rc=1
[ "$(cat "$DBG/vhca0/port1/link")" = up ] || rc=1
log_result $rc "link refuses bad values with EINVAL"

# --- P_Keys ---
pk=$DBG/vhca0/port1/pkeys
rc=0
[ "$(cat "$pk")" = "0: 0xffff" ] || rc=1
log_result $rc "pkeys: the default partition in entry 0"

mark_log
rc=0
[ "$(try_write "$pk" "add 0x8001")" = ok ] || rc=1
[ "$(cat "$pk")" = "$(printf '0: 0xffff\n1: 0x8001')" ] || rc=1
wait_logged "vhca0: port 1: P_Key table changed (2 entries)" || rc=1
[ "$(fab_field 0 1 pkeys)" = 2 ] || rc=1
log_result $rc "pkeys add 0x8001: in the table, the driver logs the change"

mark_log
rc=0
[ "$(try_write "$pk" "del 0x8001")" = ok ] || rc=1
[ "$(cat "$pk")" = "0: 0xffff" ] || rc=1
wait_logged "vhca0: port 1: P_Key table changed (1 entries)" || rc=1
log_result $rc "pkeys del 0x8001: gone, the driver logs the change"

rc=0
[ "$(try_write "$pk" "add 0x8002")" = ok ] || rc=1
for bad in "add 0x8002:File exists" "add 0x0002:File exists" \
	   "add 0x7fff:File exists" "add 0xffff:File exists" \
	   "del 0xffff:Operation not permitted" \
	   "del 0x7fff:Operation not permitted" \
	   "del 0x1234:No such file or directory" \
	   "del 0x0002:No such file or directory" \
	   "add 0:Invalid argument" "add 0x8000:Invalid argument" \
	   "add 0x10000:Invalid argument" "add:Invalid argument" \
	   "add 0x80zz:Invalid argument" "mul 0x8003:Invalid argument" \
	   "foo:Invalid argument"; do
	got=$(try_write "$pk" "${bad%%:*}")
	if [ "$got" != "${bad#*:}" ]; then
		echo "# '${bad%%:*}': got '$got', want '${bad#*:}'"
		rc=1
	fi
done
[ "$(cat "$pk")" = "$(printf '0: 0xffff\n1: 0x8002')" ] || rc=1
grep -q 'knob_errors 1[5-9]' "$DBG/vhca0/state" || rc=1
log_result $rc "pkeys: EEXIST, EPERM, ENOENT, EINVAL; counted, table unchanged"

rc=0
pk2=$DBG/vhca$NEW/port2/pkeys
for i in $(seq 1 127); do
	[ "$(try_write "$pk2" "$(printf 'add 0x%04x' $((0x8000 + i)))")" = ok ] ||
		rc=1
done
[ "$(try_write "$pk2" "add 0x8100")" = "No space left on device" ] || rc=1
[ "$(wc -l < "$pk2")" = 128 ] || rc=1
wait_for pkeys_are $NEW 2 128 || rc=1
log_result $rc "pkeys: 128 entries fit, the next one is ENOSPC"

# --- SM restart ---
mark_log
rc=0
[ "$(try_write "$FAB/sm_restart" 1)" = ok ] || rc=1
wait_logged "vhca0: port 1: client reregister" || rc=1
wait_logged "vhca1: port 1: client reregister" || rc=1
wait_logged "vhca$NEW: port 2: client reregister" || rc=1
logged "vhca0: port 1: SM LID 1, SL 0" || rc=1
grep -q '^sm: .* restarts 1 ' "$FAB/state" || rc=1
grep -q '^port 1 events: .* sm 1 client_rereg 1 ' "$DBG/vhca1/state" || rc=1
log_result $rc "sm_restart: every port gets SM change and client reregister"

rc=0
[ "$(try_write "$FAB/sm_restart" 2)" = "Invalid argument" ] || rc=1
[ "$(try_write "$FAB/sm_restart" x)" = "Invalid argument" ] || rc=1
grep -q '^sm: .* restarts 1 ' "$FAB/state" || rc=1
grep -q '^knob_errors: 2$' "$FAB/state" || rc=1
log_result $rc "sm_restart refuses values other than 1 with EINVAL"

# --- QUERY_PORT failing at bind ---
if [ -d "$DRV" ]; then
	mark_log
	rc=0
	echo "vhca$NEW" > "$DRV/unbind"
	echo 0x110 > "$DBG/vhca$NEW/fail_cmd_opcode"
	echo 1 > "$DBG/vhca$NEW/fail_cmd_count"
	echo "vhca$NEW" > "$DRV/bind" 2> /dev/null && rc=1
	wait_logged "QUERY_PORT(0x110) failed" || rc=1
	grep -q '^eq ' "$DBG/vhca$NEW/state" && rc=1
	grep -q '^hca_state: disabled$' "$DBG/vhca$NEW/state" || rc=1
	echo 0xffffffff > "$DBG/vhca$NEW/fail_cmd_opcode"
	echo "vhca$NEW" > "$DRV/bind" || rc=1
	[ -e "$DRV/vhca$NEW" ] || rc=1
	log_result $rc "a failing QUERY_PORT fails the bind cleanly; bind works again"
fi

# --- deleting a device frees its LIDs ---
rc=0
new_lids="$(fab_field $NEW 1 lid) $(fab_field $NEW 2 lid)"
[ "$(try_write "$BUS/del_device" $NEW)" = ok ] || rc=1
[ -z "$(fab_port $NEW 1)$(fab_port $NEW 2)" ] || rc=1
grep -q '^switch: lid 1 ports 2$' "$FAB/state" || rc=1
if command -v devlink > /dev/null; then
	devlink port show "vhca/vhca$NEW/1" > /dev/null 2>&1 && rc=1
fi
[ "$(try_write "$BUS/new_device" $NEXT)" = ok ] || rc=1
wait_for port_is $NEXT 1 ACTIVE || rc=1
lids_unique || rc=1
[ "$(fab_field 0 1 lid)" = "$lid0" ] || rc=1
[ "$(fab_field 1 1 lid)" = "$lid1" ] || rc=1
[ "$rc" -eq 0 ] || sed 's/^/# /' "$FAB/state"
log_result $rc "deleting a device frees its LIDs ($new_lids); LIDs stay unique"

# --- churn: the SM's sweep against device deletion and module unload ---
rc=0
for _ in 1 2 3; do
	[ "$(try_write "$BUS/new_device" "50 2")" = ok ] || rc=1
	[ "$(try_write "$BUS/del_device" 50)" = ok ] || rc=1
done
[ -z "$(fab_port 50 1)" ] || rc=1
grep -q '^switch: lid 1 ports 3$' "$FAB/state" || rc=1
lids_unique || rc=1
log_result $rc "a device deleted while its ports come up leaves no trace"

rc=0
# a sweep and port events pending while everything goes away
echo down > "$DBG/vhca0/port1/link" || rc=1
echo up > "$DBG/vhca0/port1/link" || rc=1
echo 1 > "$FAB/sm_restart" || rc=1
modprobe -r vhca_core vhca_sim || rc=1
[ ! -e "$DBG" ] || rc=1
log_result $rc "unload with a sweep pending removes the fabric"

echo "1..$num"
exit $failed
