#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Bad input from userspace leaves the kernel healthy and frees everything:
# uverbs_bad (built next to this script) sends garbage commands, garbage
# driver data, a bad response pointer, bad doorbell calls, unmapped and
# wrapping memory registrations, wrong and foreign keys and garbage WQEs
# (one result line per check, each refusal with the errno or completion
# status expected); vhca_ib counts the refusals. Then a process creates
# objects of every kind on both HCAs with RDMA WRITEs in flight and dies
# by SIGKILL without cleaning up, twice. Afterwards the `rdma res` object
# counts equal those before, the HCAs still run ibv_rc_pingpong, and the
# kernel log has no warning, bug or oops.
# Under swiotlb=force (make check-debug) vhca_ib refuses user memory
# registration instead: uverbs_bad --bounce checks the refusal (EOPNOTSUPP,
# counted in user_mr_bounce) and that RC QPs still connect and carry a
# zero-length SEND, then the object counts and the log are checked.
set -euo pipefail

here=$(dirname "$(readlink -f "$0")")
# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$here/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=uverbs_lib.sh
source "$here/uverbs_lib.sh"

BAD=$here/uverbs_bad

uverbs_require ibv_rc_pingpong ss timeout
if [ ! -x "$BAD" ]; then
	echo "# SKIP: $BAD not built (make provider)"
	exit "$KSFT_SKIP"
fi
if ! uverbs_start; then
	echo "1..$num"
	exit 1
fi
res0=$(rdma_res_counts)

# run_bad SECONDS [--bounce]: run uverbs_bad on IB0 and IB1; its "ok - " /
# "not ok - " lines become results, then one for its exit status
run_bad()
{
	local secs=$1 st=0 out line rc=0

	shift
	out=$(timeout "$secs" "$BAD" "$@" "$IB0" "$IB1" 2>&1) || st=$?
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) log_result 0 "uverbs_bad: ${line#ok - }" ;;
		"not ok - "*) log_result 1 "uverbs_bad: ${line#not ok - }" ;;
		*) echo "# $line" ;;
		esac
	done <<< "$out"
	[ "$st" -eq 0 ] || rc=1
	log_result $rc "uverbs_bad $* exits 0 (exit $st)"
}

if swiotlb_forced; then
	b0=$(user_stat "$IB0" user_mr_bounce || echo 0)
	run_bad 60 --bounce
	rc=0
	b1=$(user_stat "$IB0" user_mr_bounce || echo 0)
	[ "$b1" -gt "$b0" ] || rc=1
	log_result $rc "vhca_ib counted the refusal: user_mr_bounce +$((b1 - b0))"
	res_back "$res0" "rdma res: counts back to the start after uverbs_bad --bounce"
	ipoib_finish
fi

bad0=$(user_stat "$IB0" user_bad_udata || echo 0)
db0=$(user_stat "$IB0" user_bad_doorbell || echo 0)
run_bad 120

rc=0
bad1=$(user_stat "$IB0" user_bad_udata || echo 0)
db1=$(user_stat "$IB0" user_bad_doorbell || echo 0)
[ "$bad1" -gt "$bad0" ] && [ "$db1" -gt "$db0" ] || rc=1
log_result $rc "vhca_ib counted the refusals: user_bad_udata +$((bad1 - bad0)), user_bad_doorbell +$((db1 - db0))"

res_back "$res0" "rdma res: counts back to the start after uverbs_bad"

for i in 1 2; do
	rc=0
	st=0
	out=$(timeout 60 "$BAD" --leak "$IB0" "$IB1" 2>&1) || st=$?
	# 128 + SIGKILL: it died where it meant to
	[ "$st" -eq 137 ] || rc=1
	grep -q '^leaking' <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "# exit $st: ${out//$'\n'/$'\n'# }"
	log_result $rc "run $i: a process with objects on both HCAs and writes in flight is killed"
	res_back "$res0" "run $i: rdma res counts back to the start after the kill"
done

rc=0
pair_run rc_pingpong 120 ibv_rc_pingpong -d "$IB1" -c -n 20 -- \
	-d "$IB0" -c -n 20 || rc=1
log_result $rc "afterwards ibv_rc_pingpong between $IB0 and $IB1 still works"

ipoib_finish
