#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RC is reliable on a lossy fabric: with 1 % of the packets dropped
# (fabric/loss_ppm 10000), a 64 MiB random file over TCP on IPoIB in
# connected mode arrives with an equal sha256, and the fabric counts the
# packets it dropped. VHCA_LOSS_MIB sets another size.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

MIB=${VHCA_LOSS_MIB:-$(data_mib 64)}
LOSS=$VHCA_DBG/fabric/loss_ppm

ipoib_require sha256sum ss timeout
require_tcp_copy
if ! VHCA_IB_PARAMS=ipoib_enhanced=0 ipoib_start ib_ipoib ||
   ! ipoib_netns connected; then
	echo "1..$num"
	exit 1
fi

rc=0
ns_ping "$NS1" "$ADDR2" 56 || rc=1
log_result $rc "connected mode: ping $NS1 -> $NS2 before the loss"

rc=0
lost0=$(vhca_drops loss)
knob_set "$LOSS" 10000 0 || rc=1
[ "$(cat "$LOSS")" = 10000 ] || rc=1
log_result $rc "fabric/loss_ppm set to 10000 (1 %)"

rc=0
random_file "$ipoib_tmp/src" "$MIB"
tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" 240 ||
	rc=1
if [ "$rc" -eq 0 ]; then
	[ "$(sha256sum < "$ipoib_tmp/src")" = \
	  "$(sha256sum < "$ipoib_tmp/dst")" ] || rc=1
fi
log_result $rc "$MIB MiB over TCP on RC with 1 % loss, sha256 equal"

rc=0
lost1=$(vhca_drops loss)
[ "$lost1" -gt "$lost0" ] || rc=1
log_result $rc "the fabric dropped packets: drop_loss $lost0 -> $lost1"

rc=0
knob_set "$LOSS" 0 0 || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
ns_ping "$NS2" "$ADDR1" 65000 || rc=1
log_result $rc "loss_ppm 0: ping works"

ipoib_finish
