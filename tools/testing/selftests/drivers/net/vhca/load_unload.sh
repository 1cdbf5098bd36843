#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 20 cycles of loading vhca_core (which pulls in vhca_sim and its two
# default devices) and removing both modules: each time both devices reach
# devlink, and the kernel log shows no warning, bug or oops at the end.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

CYCLES=${CYCLES:-20}
was_loaded=0

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	if [ "$was_loaded" -eq 1 ]; then
		modprobe vhca_core || true
	else
		modprobe -r vhca_core vhca_sim 2> /dev/null || true
	fi
}
trap cleanup EXIT

require_tools devlink modprobe dmesg
if ! modinfo vhca_core > /dev/null 2>&1; then
	echo "# SKIP: vhca_core not installed"
	exit $KSFT_SKIP
fi
if [ -d /sys/module/vhca_core ]; then
	was_loaded=1
fi
modprobe -r vhca_core vhca_sim

mark=$(dmesg | wc -l)
load_fail=0
list_fail=0
unload_fail=0
for i in $(seq 1 "$CYCLES"); do
	if ! modprobe vhca_core; then
		echo "# cycle $i: modprobe vhca_core failed"
		load_fail=1
		break
	fi
	show=$(devlink dev show)
	if ! grep -qx vhca/vhca0 <<< "$show" ||
	   ! grep -qx vhca/vhca1 <<< "$show"; then
		echo "# cycle $i: devlink dev show: $show"
		list_fail=1
	fi
	if ! modprobe -r vhca_core vhca_sim; then
		echo "# cycle $i: modprobe -r failed"
		unload_fail=1
		break
	fi
	if [ -d /sys/module/vhca_core ] || [ -d /sys/module/vhca_sim ]; then
		echo "# cycle $i: modules still loaded"
		unload_fail=1
		break
	fi
done
log_result $load_fail "$CYCLES x modprobe vhca_core"
log_result $list_fail "devlink lists vhca/vhca0 and vhca/vhca1 every cycle"
log_result $unload_fail "$CYCLES x modprobe -r vhca_core vhca_sim"

rc=0
devlink dev show | grep -q '^vhca/' && rc=1
log_result $rc "no vhca devlink instance after unload"

rc=0
if dmesg | tail -n +$((mark + 1)) |
   grep -E 'WARNING:|BUG:|Oops|general protection|UBSAN|KASAN|refcount_t|leak'; then
	rc=1
fi
log_result $rc "no WARN/BUG/Oops in dmesg"

echo "1..$num"
exit $failed
