#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers of the userspace verbs tests (ib_uverbs_*.sh, ib_perftest.sh):
# finding the vhca rdma-core provider, starting the two HCAs with their
# uverbs devices, and running a verbs server/client pair on localhost TCP.
# Sourced after vhca_lib.sh, never run.

# The provider: $VHCA_PROVIDER_DIR, else the tree's build next to these
# tests (tools/lib/vhca, also where ksft-tree.sh puts it), else installed
# system-wide (/etc/libibverbs.d/vhca.driver).
uverbs_here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
PAIR_PORT=${PAIR_PORT:-18600}

# uverbs_provider: set RDMAV_DRIVERS to the provider if it is not
# installed; fails if there is none
uverbs_provider()
{
	local d

	for d in ${VHCA_PROVIDER_DIR:-} "$uverbs_here/../../../../../lib/vhca"; do
		if [ -f "$d/libvhca-rdmav34.so" ]; then
			# libibverbs dlopens "<entry>-rdmav34.so" for a path
			RDMAV_DRIVERS="$(cd "$d" && pwd -P)/libvhca"
			export RDMAV_DRIVERS
			return 0
		fi
	done
	[ -f /etc/libibverbs.d/vhca.driver ]
}

# uverbs_require TOOL...: skip unless root with the modules, the provider
# and every TOOL
uverbs_require()
{
	ipoib_require "$@"
	if ! uverbs_provider; then
		echo "# SKIP: no vhca provider (make provider, or make install-provider)"
		exit "$KSFT_SKIP"
	fi
	if ! modinfo ib_uverbs > /dev/null 2>&1; then
		echo "# SKIP: ib_uverbs not installed"
		exit "$KSFT_SKIP"
	fi
}

# swiotlb_forced: the kernel bounces all streaming DMA (swiotlb=force, as
# make check-debug boots): vhca_ib then refuses user memory registration,
# which has no DMA sync points (see ib.rst)
swiotlb_forced()
{
	grep -qE '(^| )swiotlb=([^ ]*,)?force( |,|$)' /proc/cmdline
}

# uverbs_require_user_mr: skip when user memory cannot be registered
# (swiotlb_forced)
uverbs_require_user_mr()
{
	if swiotlb_forced; then
		echo "# SKIP: swiotlb=force: user memory cannot be registered"
		exit "$KSFT_SKIP"
	fi
}

# uverbs_dev IBDEV: the uverbs character device of IBDEV exists
uverbs_dev()
{
	local d

	for d in /sys/class/infiniband_verbs/uverbs*; do
		[ "$(cat "$d/ibdev" 2> /dev/null)" = "$1" ] || continue
		[ -c "/dev/infiniband/${d##*/}" ] && return 0
	done
	return 1
}

# uverbs_start: vhca_ib afresh (ipoib_start: IB0/IB1, LID0/LID1) with
# ib_uverbs, both uverbs devices there and listed by ibv_devices through
# the provider; logs the results. Non-zero if the test cannot go on.
uverbs_start()
{
	local rc=0 out

	# shellcheck disable=SC2119 # vhca_ib alone
	ipoib_start || return 1
	modprobe ib_uverbs || rc=1
	wait_until 10 uverbs_dev "$IB0" || rc=1
	wait_until 10 uverbs_dev "$IB1" || rc=1
	out=$(ibv_devices 2>&1) || rc=1
	grep -qw "$IB0" <<< "$out" || rc=1
	grep -qw "$IB1" <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
	log_result $rc "uverbs devices of $IB0 and $IB1, listed by ibv_devices (RDMAV_DRIVERS=${RDMAV_DRIVERS:-installed})"
	return $rc
}

# tcp_listening PORT: a TCP socket listens on PORT (this namespace)
tcp_listening()
{
	[ -n "$(ss -Hltn "sport = :$1" 2> /dev/null)" ]
}

# pair_run NAME SECONDS SERVER-CMD... -- CLIENT-ARGS...: start the server
# command, then once it listens on $PAIR_PORT the same program as client
# with CLIENT-ARGS; both must exit 0 within SECONDS. The port is passed
# as "-p PORT" to both, the client connects to 127.0.0.1. Output goes to
# $ipoib_tmp/NAME.srv and NAME.cli; on failure their tails are printed.
# PAIR_PORT advances every run.
pair_run()
{
	local name=$1 secs=$2 srv=() cli=() spid rc=0 src=0 crc=0

	shift 2
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		srv+=("$1")
		shift
	done
	shift
	cli=("${srv[0]}" "$@")
	PAIR_PORT=$((PAIR_PORT + 1))
	# shellcheck disable=SC2154 # ipoib_tmp: set by ipoib_start
	timeout "$secs" "${srv[@]}" -p "$PAIR_PORT" \
		> "$ipoib_tmp/$name.srv" 2>&1 &
	spid=$!
	ipoib_pids+=("$spid")
	if ! wait_until 20 tcp_listening "$PAIR_PORT"; then
		echo "# $name: the server does not listen on $PAIR_PORT"
		rc=1
	else
		timeout "$secs" "${cli[@]}" -p "$PAIR_PORT" 127.0.0.1 \
			> "$ipoib_tmp/$name.cli" 2>&1 || crc=$?
	fi
	wait "$spid" || src=$?
	pair_status "$name" "$rc" "$src" "$crc"
}

# pair_status NAME RC SERVER-EXIT CLIENT-EXIT: 0 if all three are 0; else
# print the exit statuses and the tails of $ipoib_tmp/NAME.srv and NAME.cli
# and return 1
pair_status()
{
	[ "$2" -ne 0 ] || [ "$3" -ne 0 ] || [ "$4" -ne 0 ] || return 0
	echo "# $1: server exit $3, client exit $4"
	tail -n 6 "$ipoib_tmp/$1.srv" 2> /dev/null | sed 's/^/# server: /'
	tail -n 6 "$ipoib_tmp/$1.cli" 2> /dev/null | sed 's/^/# client: /'
	return 1
}

# perf_pair DESCRIPTION TOOL ARGS...: a perftest tool, server on IB1 and
# client on IB0 with ARGS (plus -F: no CPU frequency warning); logs the
# result with the client's figure for 65536 bytes (bandwidth: MB/s
# average; latency: typical usec). With -a the client's table must have
# at least 5 sizes.
perf_pair()
{
	local desc=$1 tool=$2 rc=0 fig='' name min

	shift 2
	name=$tool-$PAIR_PORT
	pair_run "$name" 280 "$tool" -d "$IB1" -F "$@" -- -d "$IB0" -F "$@" ||
		rc=1
	if [ "$rc" -eq 0 ]; then
		case "$tool" in
		*_bw) fig=$(awk '$1 == 65536 { v = $4 } END { print v }' \
				"$ipoib_tmp/$name.cli")
		      fig=${fig:+, 64 KiB: $fig MB/s} ;;
		*) fig=$(awk '$1 == 65536 { v = $5 } END { print v }' \
				"$ipoib_tmp/$name.cli")
		   fig=${fig:+, 64 KiB: $fig usec typical} ;;
		esac
		min=1
		[[ " $* " != *" -a "* ]] || min=5
		[ "$(grep -cE '^ *[0-9]+ +[0-9]+ ' "$ipoib_tmp/$name.cli")" -ge "$min" ] ||
			rc=1
	fi
	log_result $rc "$tool $*: $desc$fig"
}

# rdma_res_counts: the per-device object counts of `rdma res`, one line
# per device ("vhca_0: pd 1 cq 2 qp 2 ...")
rdma_res_counts()
{
	rdma res show 2> /dev/null | sed 's/^[0-9]*: //' | sort
}

# res_is RES: `rdma res` counts (rdma_res_counts) are RES
res_is()
{
	[ "$(rdma_res_counts)" = "$1" ]
}

# res_back RES DESCRIPTION: the counts are RES again, waiting up to 10 s (a
# killed process's objects go when its files are released); logs the result
res_back()
{
	local rc=0 now

	wait_until 10 res_is "$1" || rc=1
	if [ "$rc" -ne 0 ]; then
		now=$(rdma_res_counts)
		echo "# before: ${1//$'\n'/; }"
		echo "# after:  ${now//$'\n'/; }"
	fi
	log_result $rc "$2"
}

# user_stat IBDEV NAME: vhca_ib debugfs counter NAME of IBDEV's bus device
user_stat()
{
	local bus

	bus=$(basename "$(readlink -f "$IB_CLASS/$1/device")")
	awk -v n="$2" '$1 == n { print $2; f = 1 } END { exit !f }' \
		"/sys/kernel/debug/vhca_ib/$bus/stats"
}

# perf_begin TOOL...: the start of a perftest test: skip unless root with
# the modules, the provider, TOOL... and user memory registration; start
# the HCAs (exit 1 if they do not come up) and note the rdma res counts
perf_begin()
{
	uverbs_require "$@" ss timeout
	uverbs_require_user_mr
	if ! uverbs_start; then
		# shellcheck disable=SC2154 # num: the result count of vhca_lib.sh
		echo "1..$num"
		exit 1
	fi
	perf_res0=$(rdma_res_counts)
}

# perf_end: the end of a perftest test: no object left behind, then
# ipoib_finish
perf_end()
{
	res_back "$perf_res0" "rdma res: the object counts are back to the start"
	ipoib_finish
}
