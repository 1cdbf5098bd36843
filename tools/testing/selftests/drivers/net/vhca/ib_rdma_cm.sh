#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RDMA CM over vhca: librdmacm's stock tools (rdmacm-utils) and perftest's
# -R mode find the peer by its IP address on the IPoIB netdev (enhanced
# mode), get a path record from the SA and connect through ib_cm, exactly
# as on a ConnectX. ib0 is in NS1, ib1 in NS2; servers run in NS2 and
# clients in NS1:
#  - rping (RC: SEND, RDMA READ and WRITE) with its data verified (-V);
#  - ucmatose (several RC connections) and udaddy (UD, resolved by
#    rdma_resolve_route and address handles);
#  - mckey: an IP multicast group joined through the SA (MCMemberRecord),
#    UD datagrams to it;
#  - ib_send_bw -R and ib_write_bw -R;
#  - afterwards no verbs object or cm_id is left (rdma res).
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

MC_ADDR=239.1.2.3
# the MGID the RDMA CM makes of it: IPoIB signature 0x401b with the
# IPv4 prefix (ff12:401b becomes ff12:4001 for RDMA_PS_UDP), the
# partition, and the address
MC_MGID_TAIL=0000:0000:0000:0f01:0203

uverbs_require rping ucmatose udaddy mckey ib_send_bw ib_write_bw timeout
uverbs_require_user_mr
if ! ipoib_start ib_ipoib ib_uverbs rdma_ucm || ! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi
res0=$(rdma_res_counts)

# cm_listening TOOL: a cm_id of TOOL listens
# shellcheck disable=SC2317 # called through cm_run
cm_listening()
{
	rdma res show cm_id 2> /dev/null |
		grep -E "state LISTEN .* comm $1( |$)" > /dev/null
}

# mc_member: vhca1 port 1 is a member of the group of MC_ADDR
# shellcheck disable=SC2317 # called through cm_run
mc_member()
{
	grep -E ":$MC_MGID_TAIL .* members .*vhca1/1:" \
		"$VHCA_DBG/fabric/mcast" > /dev/null
}

# cm_run NAME SECONDS READY -- SERVER... -- CLIENT...: the server command
# in NS2, once READY (a command) succeeds the client command in NS1; both
# must exit 0 within SECONDS. Output in $ipoib_tmp/NAME.srv and NAME.cli,
# their tails printed on failure (pair_status).
cm_run()
{
	local name=$1 secs=$2 ready=() srv=() cli=() spid rc=0 src=0 crc=0

	shift 2
	while [ "$1" != -- ]; do
		ready+=("$1")
		shift
	done
	shift
	while [ "$1" != -- ]; do
		srv+=("$1")
		shift
	done
	shift
	cli=("$@")
	timeout "$secs" ip netns exec "$NS2" "${srv[@]}" \
		> "$ipoib_tmp/$name.srv" 2>&1 &
	spid=$!
	ipoib_pids+=("$spid")
	if ! wait_until 20 "${ready[@]}"; then
		echo "# $name: the server is not ready (${ready[*]})"
		rc=1
	else
		timeout "$secs" ip netns exec "$NS1" "${cli[@]}" \
			> "$ipoib_tmp/$name.cli" 2>&1 || crc=$?
	fi
	[ "$rc" -eq 0 ] || kill "$spid" 2> /dev/null || true
	wait "$spid" || src=$?
	pair_status "$name" "$rc" "$src" "$crc"
}

rc=0
cm_run rping 60 cm_listening rping -- \
	rping -s -a "$ADDR2" -C 20 -S 4096 -V -- \
	rping -c -a "$ADDR2" -C 20 -S 4096 -V -v || rc=1
grep -q "rdma-ping-19:" "$ipoib_tmp/rping.cli" 2> /dev/null &&
	! grep -qi "fail\|error" "$ipoib_tmp/rping.srv" "$ipoib_tmp/rping.cli" ||
	rc=1
log_result $rc "rping $NS1 -> $ADDR2: 20 rounds of SEND, RDMA READ and WRITE, 4 KiB, verified"

rc=0
cm_run ucmatose 60 cm_listening ucmatose -- \
	ucmatose -c 4 -C 20 -- \
	ucmatose -s "$ADDR2" -c 4 -C 20 || rc=1
log_result $rc "ucmatose: 4 RC connections by address, 20 messages each way"

rc=0
cm_run udaddy 60 cm_listening udaddy -- \
	udaddy -c 4 -C 20 -- \
	udaddy -s "$ADDR2" -c 4 -C 20 || rc=1
log_result $rc "udaddy: 4 UD endpoints by address, 20 datagrams each way"

rc=0
cm_run mckey 60 mc_member -- \
	mckey -m "$MC_ADDR" -b "$ADDR2" -C 20 -- \
	mckey -m "$MC_ADDR" -b "$ADDR1" -s -C 20 || rc=1
log_result $rc "mckey: $MC_ADDR joined through the SA, 20 datagrams to the group received"

for t in ib_send_bw ib_write_bw; do
	rc=0
	cm_run "$t" 120 cm_listening "$t" -- \
		"$t" -R -d "$IB1" -F -n 200 -- \
		"$t" -R -d "$IB0" -F -n 200 "$ADDR2" || rc=1
	fig=$(awk '$1 == 65536 { v = $4 } END { print v }' \
		"$ipoib_tmp/$t.cli" 2> /dev/null)
	[ -n "$fig" ] || rc=1
	log_result $rc "$t -R (connection by the RDMA CM): 64 KiB, ${fig:-?} MB/s"
done

res_back "$res0" "rdma res: no verbs object or cm_id left"
ipoib_finish
