#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the vhca kselftests: KTAP result lines, sysfs writes
# that report errno, polling. Sourced, never run.

# shellcheck disable=SC2034 # used by the tests that source this
KSFT_SKIP=4
num=0
failed=0

# log_result RC DESCRIPTION: one KTAP result line; a failure marks the test
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

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	local rc=0

	[ "$2" = "$3" ] || rc=1
	[ "$rc" -eq 0 ] || echo "# expected '$2', got '$3'"
	log_result "$rc" "$1"
}

# try_write FILE VALUE: write VALUE (plus a newline) to FILE in one
# write(); print "ok" or the error text the shell reports, e.g.
# "Invalid argument"
try_write()
{
	local out

	if out=$({ printf '%s\n' "$2" > "$1"; } 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

# wait_for COMMAND...: wait up to 10 s for a command to succeed
wait_for()
{
	local i

	for i in $(seq 100); do
		if "$@"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# num_eqs: EQs the model of $SIM_DFS has
num_eqs()
{
	grep -c '^eq ' "$SIM_DFS/state" || true
}
