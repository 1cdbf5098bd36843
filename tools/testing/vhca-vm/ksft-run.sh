#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the vhca kselftests through the kernel's own kselftest runner; KTAP on
# stdout. Runs inside the VM (it loads modules): see check.sh.
# VHCA_KSFT_TESTS: run only these tests (space-separated names).
# VHCA_KSFT_TIMEOUT: seconds each test may take, instead of the tests'
#   own "settings" (the debug kernel needs more).
#
# The tests run in a cgroup of their own. A process that outlives them (a
# daemon a test forgot to stop) holds the runner's stdout open, so whoever
# reads it would wait for it forever: it is named, killed, and fails the run.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

st=$("$VHCA_TOP/tools/testing/vhca-vm/ksft-tree.sh" "${TMPDIR:-/tmp}/vhca-ksft")
if [ -n "${VHCA_KSFT_TIMEOUT:-}" ]; then
	sed -i "s/^timeout=.*/timeout=$VHCA_KSFT_TIMEOUT/" \
		"$st/drivers/net/vhca/settings"
fi
args=(-s --no-print-directory -C "$st" TARGETS=drivers/net/vhca)
if [ -n "${VHCA_KSFT_TESTS:-}" ]; then
	args+=(TEST_PROGS="$VHCA_KSFT_TESTS")
fi

cgroot=/sys/fs/cgroup
mountpoint -q "$cgroot" || mount -t cgroup2 none "$cgroot" 2> /dev/null || true
cg=$cgroot/vhca-ksft.$$
if [ ! -e "$cgroot/cgroup.procs" ] || ! mkdir "$cg" 2> /dev/null; then
	echo "# ksft-run: no cgroup2, processes left behind are not checked"
	cg=
fi

rc=0
(
	[ -z "$cg" ] || echo "$BASHPID" > "$cg/cgroup.procs"
	exec make "${args[@]}" run_tests
) || rc=$?
{ echo "vhca selftests: done" > /dev/kmsg; } 2> /dev/null || true

[ -n "$cg" ] || exit "$rc"
left=0
while read -r pid; do
	echo "# ksft-run: left running by the kselftests, killed:" \
	     "$pid $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)"
	left=1
done < "$cg/cgroup.procs"
if [ "$left" -ne 0 ]; then
	echo 1 > "$cg/cgroup.kill"
	for _ in $(seq 50); do
		[ -n "$(cat "$cg/cgroup.procs")" ] || break
		sleep 0.1
	done
	rc=1
fi
rmdir "$cg" 2> /dev/null || true
exit "$rc"
