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

# require_tools TOOL...: skip the test unless every tool is there
require_tools()
{
	local tool

	for tool in "$@"; do
		if ! command -v "$tool" > /dev/null; then
			echo "# SKIP: $tool not found"
			exit "$KSFT_SKIP"
		fi
	done
}

# load_core: load vhca_core unless it is loaded (skip if it cannot be);
# sets loaded_core=1 so the test's cleanup unloads it again
load_core()
{
	[ ! -d /sys/module/vhca_core ] || return 0
	if ! modprobe vhca_core; then
		echo "# SKIP: cannot load vhca_core"
		exit "$KSFT_SKIP"
	fi
	# shellcheck disable=SC2034 # read by the test's cleanup
	loaded_core=1
}

core_was_loaded=0

# shellcheck disable=SC2317 # called by the EXIT trap sim_alone sets
sim_alone_cleanup()
{
	modprobe -r vhca_sim 2> /dev/null || true
	if [ "$core_was_loaded" -eq 1 ]; then
		modprobe vhca_core || true
	fi
}

# sim_alone: for tests of the model with no driver bound. Skips unless
# root with vhca_sim installed, unloads vhca_sim and vhca_core (restored
# on exit), mounts debugfs. The caller loads vhca_sim as it needs.
sim_alone()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "# SKIP: must be root"
		exit "$KSFT_SKIP"
	fi
	if ! modinfo vhca_sim > /dev/null 2>&1; then
		echo "# SKIP: vhca_sim not installed"
		exit "$KSFT_SKIP"
	fi
	[ ! -d /sys/module/vhca_core ] || core_was_loaded=1
	trap sim_alone_cleanup EXIT
	modprobe -r vhca_core vhca_sim 2> /dev/null || true
	if [ -d /sys/module/vhca_sim ]; then
		echo "# vhca_sim is in use and cannot be unloaded"
		exit 1
	fi
	if ! mountpoint -q /sys/kernel/debug; then
		mount -t debugfs none /sys/kernel/debug
	fi
}
