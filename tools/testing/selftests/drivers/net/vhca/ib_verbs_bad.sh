#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad verbs input, checked from inside the kernel: vhca_ib_verbs_test (a
# test module built with vhca_ib) drives the verbs of the vhca ib_devices
# with invalid QP state transitions (-EINVAL), posts on QPs in the wrong
# state (completions with an error status) and bad MADs, and prints one
# "ok N - ..." or "not ok N - ..." line per check; its init fails unless
# all pass. This test loads it and reports each of its lines.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MOD=vhca_ib_verbs_test

# shellcheck disable=SC2317 # called by the EXIT trap
cleanup()
{
	modprobe -r "$MOD" 2> /dev/null || true
	ipoib_cleanup
}

ipoib_require modinfo
if ! modinfo "$MOD" > /dev/null 2>&1; then
	echo "# SKIP: $MOD not installed"
	exit "$KSFT_SKIP"
fi
modprobe -r "$MOD" 2> /dev/null || true
# shellcheck disable=SC2119 # vhca_ib alone
if ! ipoib_start; then
	echo "1..$num"
	exit 1
fi
trap cleanup EXIT

mark=$(dmesg | wc -l)
st=0
modprobe "$MOD" || st=$?
lines=$(dmesg | tail -n +$((mark + 1)) |
	awk 'match($0, /(not )?ok [0-9]+ - /) { print substr($0, RSTART) }')
oks=0
bad=0
while IFS= read -r l; do
	[ -n "$l" ] || continue
	if [[ "$l" = "not ok "* ]]; then
		log_result 1 "$MOD: ${l#not ok * - }"
		bad=$((bad + 1))
	else
		log_result 0 "$MOD: ${l#ok * - }"
		oks=$((oks + 1))
	fi
done <<< "$lines"

rc=0
[ "$st" -eq 0 ] || rc=1
[ "$bad" -eq 0 ] && [ "$oks" -gt 0 ] || rc=1
[ "$rc" -eq 0 ] || dmesg | tail -n +$((mark + 1)) | sed 's/^/# /'
log_result $rc "modprobe $MOD (exit $st): $oks checks passed, $bad failed"

rc=0
if [ "$st" -eq 0 ]; then
	modprobe -r "$MOD" || rc=1
fi
ib_port_is "$IB0" ACTIVE || rc=1
ib_port_is "$IB1" ACTIVE || rc=1
log_result $rc "$MOD unloads; both ports still ACTIVE"

ipoib_finish
