#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified perftest on vhca through the rdma-core provider: UD
# (ib_send_bw -c UD, sizes up to the MTU) and the latency tests
# ib_send_lat and ib_write_lat (RC) over all message sizes (-a) with few
# iterations.
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

perf_begin ib_send_bw ib_send_lat ib_write_lat

perf_pair "UD SEND, sizes up to the MTU" ib_send_bw -c UD -a -n 5
perf_pair "RC SEND latency, all sizes" ib_send_lat -a -n 5 -u 18
perf_pair "RC RDMA WRITE latency, all sizes" ib_write_lat -a -n 5 -u 18

perf_end
