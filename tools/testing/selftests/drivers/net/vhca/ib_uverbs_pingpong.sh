#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The libibverbs examples between the two HCAs, through the vhca provider:
# ibv_rc_pingpong, ibv_uc_pingpong, ibv_ud_pingpong and ibv_srq_pingpong,
# server on vhca1 and client on vhca0 exchanging their addresses over
# localhost TCP, each with -c (the receiver checks every buffer's
# contents). RC also with completion events (-e), with 64 KiB messages
# (64 packets of the 1024-byte path MTU each) and with the 4096-byte MTU.
# All must exit 0; no object is left afterwards.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

uverbs_require ibv_rc_pingpong ibv_uc_pingpong ibv_ud_pingpong \
	ibv_srq_pingpong ss timeout
uverbs_require_user_mr
if ! uverbs_start; then
	echo "1..$num"
	exit 1
fi
res0=$(rdma_res_counts)

# pingpong DESCRIPTION TOOL ARGS...: server on IB1, client on IB0
pingpong()
{
	local desc=$1 tool=$2 rc=0 rate

	shift 2
	pair_run "$tool" 120 "$tool" -d "$IB1" -c "$@" -- -d "$IB0" -c "$@" ||
		rc=1
	rate=$(grep -m1 -o '[0-9.]* Mbit/sec' "$ipoib_tmp/$tool.cli" 2> /dev/null ||
		true)
	log_result $rc "$tool $* -c: $desc${rate:+ ($rate)}"
}

pingpong "RC send/receive, data checked" ibv_rc_pingpong -n 50
pingpong "RC with completion events" ibv_rc_pingpong -n 50 -e
pingpong "RC, 64 KiB messages" ibv_rc_pingpong -n 20 -s 65536
pingpong "RC, path MTU 4096" ibv_rc_pingpong -n 20 -m 4096 -s 16384
pingpong "UC send/receive, data checked" ibv_uc_pingpong -n 50
pingpong "UD datagrams, data checked" ibv_ud_pingpong -n 50 -s 1024
pingpong "UD with completion events" ibv_ud_pingpong -n 20 -s 512 -e
pingpong "4 RC QPs sharing one SRQ" ibv_srq_pingpong -n 20 -q 4
pingpong "SRQ with completion events" ibv_srq_pingpong -n 10 -e

res_back "$res0" "rdma res: the object counts are back to the start"

ipoib_finish
