#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: runs inside the VM, in one boot. iperf3 TCP for 10 s, one
# stream and two (-P 2), from namespace vhca-ns1 to vhca-ns2 over
#   (a) a veth pair: the baseline,
#   (b) vhca IPoIB in datagram mode (UD, the broadcast group's MTU),
#   (c) vhca IPoIB in connected mode (RC, MTU 65520),
# then a table of Gbit/s with each vhca figure as a ratio of veth. Exit
# status is non-zero if a case could not be measured.
#
# VHCA_BENCH_SECS sets another duration per run.
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
tests=$here/../selftests/drivers/net/vhca
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/vhca_lib.sh
. "$tests/vhca_lib.sh"

SECS=${VHCA_BENCH_SECS:-10}
cases=(veth datagram connected)
declare -A label=([veth]="veth pair" [datagram]="vhca IPoIB datagram"
		  [connected]="vhca IPoIB connected")
declare -A one two mtu err

for tool in iperf3 ip modprobe bc; do
	command -v "$tool" > /dev/null ||
		{ echo "bench: $tool not found; run 'make deps'" >&2; exit 1; }
done
if ! command -v jq > /dev/null && ! command -v python3 > /dev/null; then
	echo "bench: neither jq nor python3 found to read iperf3 -J" >&2
	exit 1
fi
if ! mountpoint -q /sys/kernel/debug; then
	mount -t debugfs none /sys/kernel/debug
fi
log=$(mktemp)
trap 'ipoib_cleanup; rm -f "$log"' EXIT

# setup_veth: NS1/NS2 joined by a veth pair with ADDR1/ADDR2
setup_veth()
{
	ipoib_tmp=$(mktemp -d)
	ip netns add "$NS1" && ip netns add "$NS2" &&
	ip link add veth1 netns "$NS1" type veth peer name veth2 \
		netns "$NS2" &&
	ip -n "$NS1" addr add "$ADDR1/24" dev veth1 &&
	ip -n "$NS2" addr add "$ADDR2/24" dev veth2 &&
	ip -n "$NS1" link set veth1 up && ip -n "$NS2" link set veth2 up &&
	IF0=veth1 && ns_ping "$NS1" "$ADDR2" 56
}

# setup_ipoib MODE: vhca_ib and ib_ipoib loaded afresh, the IPoIB netdevs
# of vhca0/vhca1 in NS1/NS2 in MODE
setup_ipoib()
{
	ipoib_start ib_ipoib && ipoib_netns "$1" && ns_ping "$NS1" "$ADDR2" 56
}

# measure CASE: fill one[CASE], two[CASE], mtu[CASE] or err[CASE]
measure()
{
	local c=$1 ok=0

	printf 'bench: %s: ' "${label[$c]}"
	if [ "$c" = veth ]; then
		setup_veth > "$log" 2>&1 || ok=1
	else
		setup_ipoib "$c" > "$log" 2>&1 || ok=1
	fi
	if [ "$ok" -ne 0 ]; then
		err[$c]="setup failed"
		echo "setup failed:"
		grep -v '^ok ' "$log" | tail -n 15 | sed 's/^/    /'
		ipoib_cleanup
		return 1
	fi
	mtu[$c]=$(ip -n "$NS1" -o link show dev "$IF0" |
		sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	if ! iperf_server "$NS2" ||
	   ! one[$c]=$(iperf_gbps "$NS1" "$ADDR2" "$SECS" 2> "$log") ||
	   ! two[$c]=$(iperf_gbps "$NS1" "$ADDR2" "$SECS" -P 2 2> "$log"); then
		err[$c]="iperf3 failed"
		echo "iperf3 failed: $(cat "$log")"
		ipoib_cleanup
		return 1
	fi
	echo "${one[$c]} / ${two[$c]} Gbit/s (MTU ${mtu[$c]})"
	ipoib_cleanup
}

# cell CASE ARRAY: the figure, with its ratio of veth for vhca cases
cell()
{
	local -n a=$2
	local v=${a[$1]:-} base=${a[veth]:-}

	if [ -z "$v" ]; then
		printf '%-18s' "${err[$1]:-n/a}"
	elif [ "$1" = veth ] || [ -z "$base" ]; then
		printf '%-18s' "$v"
	else
		printf '%-18s' "$v ($(echo "scale=2; $v / $base" | bc -l | \
			sed 's/^\./0./')x)"
	fi
}

mark=$(dmesg | wc -l)
rc=0
for c in "${cases[@]}"; do
	measure "$c" || rc=1
done

echo
echo "iperf3 TCP, $SECS s, $NS1 -> $NS2; Gbit/s (ratio of veth)"
printf '%-22s %-7s %-18s %-18s\n' case MTU "1 stream" "-P 2"
for c in "${cases[@]}"; do
	printf '%-22s %-7s %s %s\n' "${label[$c]}" "${mtu[$c]:--}" \
		"$(cell "$c" one)" "$(cell "$c" two)"
done
if dmesg | tail -n +$((mark + 1)) |
	grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t'; then
	echo "bench: the kernel log has warnings" >&2
	rc=1
fi
exit "$rc"
