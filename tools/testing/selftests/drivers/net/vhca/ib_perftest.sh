#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified perftest on vhca through the rdma-core provider: ib_send_bw,
# ib_write_bw and ib_read_bw over RC, ib_send_bw over UD (-c UD),
# ib_send_lat and ib_write_lat, server on vhca1 and client on vhca0 over
# localhost TCP; each over all message sizes (-a, 2 bytes to 8 MiB, the
# MTU for UD) with few iterations, then those that can again sleeping on
# completion events (-e; ib_write_bw and ib_write_lat have no -e). Every run must complete and exit 0, and no object may be
# left afterwards.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

uverbs_require ib_send_bw ib_write_bw ib_read_bw ib_send_lat ib_write_lat \
	ss timeout
if ! uverbs_start; then
	echo "1..$num"
	exit 1
fi
res0=$(rdma_res_counts)

# perf DESCRIPTION TOOL ARGS...: server on IB1, client on IB0; logs the
# result with the client's figure for 65536 bytes (bandwidth tests: MB/s
# average; latency tests: typical usec)
perf()
{
	local desc=$1 tool=$2 rc=0 fig name

	shift 2
	name=$tool-$PAIR_PORT
	pair_run "$name" 240 "$tool" -d "$IB1" -F "$@" -- -d "$IB0" -F "$@" ||
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
		# every size the client ran must be in its table
		[ "$(grep -cE '^ *[0-9]+ +[0-9]+ ' "$ipoib_tmp/$name.cli")" -ge 5 ] ||
			rc=1
	fi
	log_result $rc "$tool $*: $desc${fig:-}"
}

perf "RC SEND, all sizes" ib_send_bw -a -n 5
perf "RC RDMA WRITE, all sizes" ib_write_bw -a -n 5
perf "RC RDMA READ, all sizes" ib_read_bw -a -n 5
perf "UD SEND, sizes up to the MTU" ib_send_bw -c UD -a -n 5
perf "RC SEND latency, all sizes" ib_send_lat -a -n 5
perf "RC RDMA WRITE latency, all sizes" ib_write_lat -a -n 5
# the tools that take -e (the RDMA WRITE ones poll memory or the CQ only)
perf "RC SEND, all sizes, completion events" ib_send_bw -a -n 5 -e
perf "RC RDMA READ, all sizes, completion events" ib_read_bw -a -n 5 -e
perf "UD SEND, completion events" ib_send_bw -c UD -a -n 5 -e
perf "RC SEND latency, completion events" ib_send_lat -a -n 5 -e

res_back "$res0" "rdma res: the object counts are back to the start"

rc=0
kernel_log_clean || rc=1
log_result $rc "no warning, bug or oops in the kernel log"

echo "1..$num"
exit $failed
