#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The device model's data-path debugfs files a user reads and writes:
# fabric/loss_ppm takes 0..1000000 and refuses anything else with EINVAL;
# fabric/mcast shows the broadcast group the SA pre-creates for the
# default partition; fabric/sa, vhca<ID>/resources and port1/counters
# exist and start from zero; vhca<ID>/sq_stall takes 0 and 1 only.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

D=/sys/kernel/debug/vhca_sim
# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ -e "$D/fabric/loss_ppm" ]; then echo 0 > "$D/fabric/loss_ppm"; fi
	if [ -e "$D/vhca0/sq_stall" ]; then echo 0 > "$D/vhca0/sq_stall"; fi
	modprobe -r vhca_sim 2> /dev/null || true
}
trap cleanup EXIT

modprobe -r vhca_ib vhca_core vhca_sim 2> /dev/null || true
rc=0
modprobe vhca_sim || rc=1
log_result $rc "modprobe vhca_sim"

rc=0
[ "$(cat "$D/fabric/loss_ppm")" = 0 ] || rc=1
[ "$(try_write "$D/fabric/loss_ppm" 1000000)" = ok ] || rc=1
[ "$(cat "$D/fabric/loss_ppm")" = 1000000 ] || rc=1
[ "$(try_write "$D/fabric/loss_ppm" 0)" = ok ] || rc=1
log_result $rc "fabric/loss_ppm: default 0, takes 1000000 and 0"

rc=0
for v in 1000001 -1 abc ""; do
	[ "$(try_write "$D/fabric/loss_ppm" "$v")" = "Invalid argument" ] ||
		rc=1
done
[ "$(cat "$D/fabric/loss_ppm")" = 0 ] || rc=1
log_result $rc "fabric/loss_ppm refuses 1000001, -1, abc, empty with EINVAL"

rc=0
grep 'mgid ff12:401b:ffff:0000:0000:0000:ffff:ffff .*qkey 0x00000b1b' \
	"$D/fabric/mcast" > /dev/null || rc=1
log_result $rc "fabric/mcast: broadcast group of P_Key 0xffff, Q_Key 0x0B1B"

rc=0
grep -x 'received: 0' "$D/fabric/sa" > /dev/null || rc=1
for i in 0 1; do
	grep -x 'qps: 0' "$D/vhca$i/resources" > /dev/null || rc=1
	grep -x 'tx_packets 0' "$D/vhca$i/port1/counters" > /dev/null ||
		rc=1
done
log_result $rc "fabric/sa, resources and port counters start from zero"

rc=0
[ "$(cat "$D/vhca0/sq_stall")" = 0 ] || rc=1
[ "$(try_write "$D/vhca0/sq_stall" 1)" = ok ] || rc=1
[ "$(cat "$D/vhca0/sq_stall")" = 1 ] || rc=1
for v in 2 -1 abc; do
	[ "$(try_write "$D/vhca0/sq_stall" "$v")" = "Invalid argument" ] ||
		rc=1
done
[ "$(cat "$D/vhca0/sq_stall")" = 1 ] || rc=1
[ "$(try_write "$D/vhca0/sq_stall" 0)" = ok ] || rc=1
[ "$(cat "$D/vhca0/sq_stall")" = 0 ] || rc=1
log_result $rc "vhca0/sq_stall: default 0, takes 1 and 0, refuses 2, -1, abc"

echo "1..$num"
exit $failed
