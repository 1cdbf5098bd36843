#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified perftest bandwidth tests on vhca through the rdma-core
# provider: ib_send_bw and ib_write_bw at 64 KiB, then
# ib_send_bw, ib_write_bw and ib_read_bw (RC) over all message sizes (-a)
# with few iterations.
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

perf_begin ib_send_bw ib_write_bw ib_read_bw

perf_pair "RC SEND" ib_send_bw -s 65536 -n 100 -u 18
perf_pair "RC RDMA WRITE" ib_write_bw -s 65536 -n 100 -u 18
perf_pair "RC SEND, all sizes" ib_send_bw -a -n 5 -u 18
perf_pair "RC RDMA WRITE, all sizes" ib_write_bw -a -n 5 -u 18
perf_pair "RC RDMA READ, all sizes" ib_read_bw -a -n 5 -u 18

perf_end
