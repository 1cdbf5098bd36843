#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified perftest on vhca through the rdma-core provider, sleeping on
# completion events (-e: ibv_req_notify_cq, the completion channel,
# ibv_get_cq_event) instead of polling: ib_send_bw and ib_read_bw (RC),
# ib_send_bw -c UD and ib_send_lat over all message sizes (-a).
# ib_write_bw and ib_write_lat have no -e.
# Server on vhca1, client on vhca0, addresses exchanged over localhost
# TCP; every run must complete and exit 0, and no object may be left
# afterwards. -a goes from 2 bytes to 8 MiB (2 x 8 MiB registered per
# side, ordinary memory). RC runs use a 1 s local ACK timeout (-u 18) so a
# loaded host does not exhaust the retries.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

perf_begin ib_send_bw ib_read_bw ib_send_lat

perf_pair "RC SEND, all sizes, events" ib_send_bw -a -n 5 -e -u 18
perf_pair "RC RDMA READ, all sizes, events" ib_read_bw -a -n 5 -e -u 18
perf_pair "UD SEND, events" ib_send_bw -c UD -a -n 5 -e
perf_pair "RC SEND latency, events" ib_send_lat -a -n 5 -e -u 18

perf_end
