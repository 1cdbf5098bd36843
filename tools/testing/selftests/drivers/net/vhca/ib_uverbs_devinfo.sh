#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Userspace verbs see both HCAs through the vhca rdma-core provider
# (tools/lib/vhca, loaded with RDMAV_DRIVERS unless installed):
# ibv_devices lists them with their node GUIDs, and `ibv_devinfo -v`
# opens each (a user context: the provider's ABI checks pass) and shows an
# InfiniBand CA with port 1 PORT_ACTIVE, its LID, the vhca vendor ID, a
# part ID outside the mlx5/EFA range (perftest then uses classic verbs)
# and sensible limits. No context is left open afterwards.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

# field NAME TEXT: the value after "NAME:" in ibv_devinfo output
field()
{
	sed -n "s/^[[:space:]]*$1:[[:space:]]*//p" <<< "$2" | head -n 1
}

# at_least DESCRIPTION TEXT NAME MIN: the number of field NAME >= MIN
at_least()
{
	local v

	v=$(field "$3" "$2")
	v=${v%% *}
	if [ -z "$v" ] || [ "$((v))" -lt "$4" ]; then
		echo "# $1: $3 is '$v', expected >= $4"
		return 1
	fi
}

uverbs_require ibv_devices ibv_devinfo
if ! uverbs_start; then
	echo "1..$num"
	exit 1
fi

rc=0
out=$(ibv_devices 2>&1) || rc=1
for ib in "$IB0" "$IB1"; do
	guid=$(tr -d ':' < "$IB_CLASS/$ib/node_guid")
	grep -qE "^[[:space:]]*${ib}[[:space:]]+${guid}\$" <<< "$out" || rc=1
done
[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
log_result $rc "ibv_devices: $IB0 and $IB1 with their node GUIDs"

for ib in "$IB0" "$IB1"; do
	rc=0
	out=$(ibv_devinfo -v -d "$ib" 2>&1) || rc=1
	[ "$(field transport "$out")" = "InfiniBand (0)" ] || rc=1
	[ "$(field state "$out")" = "PORT_ACTIVE (4)" ] || rc=1
	[ "$(field link_layer "$out")" = InfiniBand ] || rc=1
	[ "$(field port_lid "$out")" = "$(ib_lid "$ib")" ] || rc=1
	[ "$(field fw_ver "$out")" = "$(cat "$IB_CLASS/$ib/fw_ver")" ] || rc=1
	[ "$(field node_guid "$out")" = "$(cat "$IB_CLASS/$ib/node_guid")" ] ||
		rc=1
	[ "$(field phys_port_cnt "$out")" = 1 ] || rc=1
	[ "$(field vendor_id "$out")" = 0x1d1c ] || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }" | head -n 40
	log_result $rc "ibv_devinfo -v -d $ib: IB CA, port 1 PORT_ACTIVE with LID $(ib_lid "$ib"), vendor 0x1d1c, fw $(field fw_ver "$out")"

	rc=0
	part=$(field vendor_part_id "$out")
	# perftest's mlx5 (4113..4129, 41682..41692) and EFA (0xefa0..) IDs
	# switch it to ibv_wr_* and create_qp_ex
	if [ -z "$part" ] || { [ "$part" -ge 4113 ] && [ "$part" -le 4129 ]; } ||
	   { [ "$part" -ge 41682 ] && [ "$part" -le 41692 ]; } ||
	   [ "$part" -ge 61344 ]; then
		rc=1
	fi
	at_least "$ib" "$out" max_qp 64 || rc=1
	at_least "$ib" "$out" max_qp_wr 1024 || rc=1
	at_least "$ib" "$out" max_cqe 1024 || rc=1
	at_least "$ib" "$out" max_cq 64 || rc=1
	at_least "$ib" "$out" max_mr 64 || rc=1
	at_least "$ib" "$out" max_pd 64 || rc=1
	at_least "$ib" "$out" max_sge 1 || rc=1
	at_least "$ib" "$out" max_qp_rd_atom 1 || rc=1
	at_least "$ib" "$out" max_srq 1 || rc=1
	at_least "$ib" "$out" max_srq_wr 1024 || rc=1
	at_least "$ib" "$out" max_pkeys 1 || rc=1
	at_least "$ib" "$out" gid_tbl_len 1 || rc=1
	at_least "$ib" "$out" num_comp_vectors 1 || rc=1
	grep -qE 'active_mtu:[[:space:]]*(2048|4096)' <<< "$out" || rc=1
	log_result $rc "ibv_devinfo -v -d $ib: part ID $part outside perftest's mlx5/EFA IDs, limits: max_qp $(field max_qp "$out"), max_qp_wr $(field max_qp_wr "$out"), max_cqe $(field max_cqe "$out"), max_sge $(field max_sge "$out")"
done

rc=0
out=$(rdma res show 2>&1) || rc=1
[ "$(grep -cE "^[0-9]+: ($IB0|$IB1): .* ctx 0 " <<< "$out")" = 2 ] || rc=1
[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
log_result $rc "rdma res: no user context left on $IB0 and $IB1"

ipoib_finish
