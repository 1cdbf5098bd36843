#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Counters as ib_core shows them. Each port's hw_counters (sysfs, and
# `rdma statistic show link`) are what the port's hardware counted: every
# name is there, and the values agree with the model's view in debugfs.
# Pings over legacy IPoIB (verbs, so through vhca_ib's UD QPs and CQs)
# move tx/rx packets and bytes on both ports and the driver's comp_events
# (the device's hw_counters). With the fabric dropping every
# packet (loss_ppm 1000000) pings fail and every packet the sending port
# sends is counted in its drop_loss; afterwards traffic resumes.
# A port that does not exist is refused, and the kernel log stays clean.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

PORT_CNT="tx_packets tx_bytes rx_packets rx_bytes drop_link_down drop_loss
drop_no_route drop_bad_crc drop_bad_hdr drop_pkey drop_qkey drop_no_qp
drop_qp_state drop_no_wqe drop_psn drop_overflow drop_mcast"
DEV_CNT="post_send_err post_recv_err comp_events comp_unknown_cq
cqe_unknown_qp cqe_bad ev_comm_est ev_last_wqe_reached ev_sq_drained
ev_qp_fatal ev_cq_err ev_srq_limit ev_unknown_obj user_bad_udata
user_bad_attr user_bad_mr user_mr_bounce user_bad_mmap user_bad_doorbell
user_doorbells"

# rdma_stat IBDEV NAME: counter NAME of IBDEV port 1, from rdma statistic
rdma_stat()
{
	rdma statistic show link "$1/1" | tr -s ' ' '\n' |
		awk -v n="$2" 'p == n { print; f = 1; exit } { p = $0 }
			       END { exit !f }'
}

# port_cnt IBDEV NAME: counter NAME of IBDEV port 1, from sysfs
port_cnt()
{
	cat "$IB_CLASS/$1/ports/1/hw_counters/$2"
}

# dev_cnt IBDEV NAME: the device counter NAME of IBDEV, from sysfs
dev_cnt()
{
	cat "$IB_CLASS/$1/hw_counters/$2"
}

# hw_sim_agree ID IBDEV: every port counter of IBDEV agrees with what the
# model's debugfs says of vhca<ID> port 1: read between two reads of the
# model's, it lies between them (stray IPv6 control packets may pass)
hw_sim_agree()
{
	local sim=$VHCA_DBG/vhca$1/port1/counters s1 s2 hw

	s1=$(cat "$sim")
	sleep 0.03	# past ib_core's 10 ms lifespan of the last read
	# shellcheck disable=SC2086 # PORT_CNT: the file names
	hw=$(cd "$IB_CLASS/$2/ports/1/hw_counters" && grep -H . $PORT_CNT)
	s2=$(cat "$sim")
	awk -v ib="$2" -v want="$(wc -w <<< "$PORT_CNT")" '
		FNR == 1 { fi++ }
		fi == 1 { split($0, f, ":"); hw[f[1]] = f[2] + 0; k++; next }
		fi == 2 { lo[$1] = $2 + 0; next }
		{ hi[$1] = $2 + 0 }
		END {
			if (k != want) {
				printf "# %s: %d hw_counters read, not %d\n",
				       ib, k, want
				bad = 1
			}
			for (n in hw)
				if (!(n in lo) || hw[n] < lo[n] || hw[n] > hi[n]) {
					printf "# %s %s: %s, model: %s .. %s\n",
					       ib, n, hw[n], lo[n], hi[n]
					bad = 1
				}
			exit bad
		}' <(echo "$hw") <(echo "$s1") <(echo "$s2")
}

ipoib_require rdma
if ! VHCA_IB_PARAMS=ipoib_enhanced=0 ipoib_start ib_ipoib ||
	! ipoib_netns datagram; then
	echo "1..$num"
	exit 1
fi

rc=0
for ib in "$IB0" "$IB1"; do
	out=$(rdma statistic show link "$ib/1" 2>&1) || rc=1
	for n in $PORT_CNT; do
		[[ " ${out//$'\n'/ } " = *" $n "* ]] ||
			{ echo "# $ib: no $n"; rc=1; }
		[ -r "$IB_CLASS/$ib/ports/1/hw_counters/$n" ] || rc=1
	done
done
[ "$rc" -eq 0 ] || echo "# ${out//$'\n'/$'\n'# }"
log_result $rc "rdma statistic show link and ports/1/hw_counters list the $(wc -w <<< "$PORT_CNT") port counters"

rc=0
for n in $DEV_CNT; do
	[ -r "$IB_CLASS/$IB0/hw_counters/$n" ] || { echo "# no $n"; rc=1; }
done
log_result $rc "the device's hw_counters list the $(wc -w <<< "$DEV_CNT") driver counters"

rc=0
hw_sim_agree 0 "$IB0" || rc=1
hw_sim_agree 1 "$IB1" || rc=1
log_result $rc "every port counter agrees with the model's debugfs counter"

# snap: IB0's tx_packets, tx_bytes, rdma statistic tx_packets and
# comp_events, IB1's rx_packets, on one line
snap()
{
	sleep 0.03	# past ib_core's 10 ms lifespan of the last read
	echo "$(port_cnt "$IB0" tx_packets) $(port_cnt "$IB0" tx_bytes)" \
	     "$(rdma_stat "$IB0" tx_packets) $(dev_cnt "$IB0" comp_events)" \
	     "$(port_cnt "$IB1" rx_packets)"
}

rc=0
read -r tx txb st ce rx <<< "$(snap)"
ns_ping "$NS1" "$ADDR2" 1000 || rc=1
ns_ping "$NS2" "$ADDR1" 1000 || rc=1
read -r tx2 txb2 st2 ce2 rx2 <<< "$(snap)"
# 3 echo requests and 3 replies of over 1000 bytes each way
[ $((tx2 - tx)) -ge 6 ] && [ $((txb2 - txb)) -ge 6000 ] || rc=1
[ $((st2 - st)) -ge 6 ] && [ $((rx2 - rx)) -ge 6 ] || rc=1
[ "$ce2" -gt "$ce" ] || rc=1
log_result $rc "pings: $IB0 tx_packets +$((tx2 - tx)) (rdma statistic +$((st2 - st))), tx_bytes +$((txb2 - txb)), $IB1 rx_packets +$((rx2 - rx)), comp_events +$((ce2 - ce))"

rc=0
hw_sim_agree 0 "$IB0" || rc=1
hw_sim_agree 1 "$IB1" || rc=1
log_result $rc "after the pings: every port counter agrees with the model's"

# tx_loss IBDEV: IBDEV's tx_packets and drop_loss, from one hw_counters
# snapshot (ib_core keeps one for 10 ms)
tx_loss()
{
	sleep 0.03
	echo "$(port_cnt "$1" tx_packets) $(port_cnt "$1" drop_loss)"
}

# With the fabric losing everything, every packet vhca_0 sends is lost
# (the SM's own packets are never lost, so vhca_1 may still receive).
rc=0
knob_set "$VHCA_DBG/fabric/loss_ppm" 1000000 0 || rc=1
read -r tx0 loss0 <<< "$(tx_loss "$IB0")"
ns_ping "$NS1" "$ADDR2" 56 2 && rc=1
for _ in 1 2 3; do
	read -r tx1 loss1 <<< "$(tx_loss "$IB0")"
	[ $((loss1 - loss0)) -ne $((tx1 - tx0)) ] || break
done
knob_set "$VHCA_DBG/fabric/loss_ppm" 0 0 || rc=1
[ $((loss1 - loss0)) -ge 2 ] && [ $((loss1 - loss0)) -eq $((tx1 - tx0)) ] ||
	rc=1
log_result $rc "loss_ppm 1000000: ping fails, all $((tx1 - tx0)) packets $IB0 sent are in drop_loss (+$((loss1 - loss0)))"

rc=0
ns_ping "$NS1" "$ADDR2" 56 || rc=1
hw_sim_agree 0 "$IB0" || rc=1
log_result $rc "loss_ppm 0: ping works, the counters still agree with the model's"

rc=0
rdma statistic show link "$IB0/2" > /dev/null 2>&1 && rc=1
[ -e "$IB_CLASS/$IB0/ports/2" ] && rc=1
port_cnt "$IB0" tx_packets > /dev/null || rc=1
log_result $rc "rdma statistic on port 2 of a 1-port HCA fails; port 1 still reads"

ipoib_finish
