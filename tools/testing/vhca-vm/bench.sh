#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make bench`: runs inside the VM, in one boot. iperf3 TCP, one stream
# and four (-P 4), from namespace vhca-ns1 to vhca-ns2 over
#   (a) a veth pair: the baseline,
#   (b) vhca IPoIB in legacy mode (vhca_ib ipoib_enhanced=0: ib_ipoib's
#       own data path over verbs), datagram (UD) and connected (RC, MTU
#       65520),
#   (c) vhca IPoIB in enhanced mode (vhca's rdma_netdev and uplink), in
#       each tx_meta_storage mode (cb, header, metadata), with TSO on and
#       off on the sending IPoIB netdev,
# then a table of Gbit/s with each vhca figure as a ratio of veth and of
# legacy datagram, and the cost of each storage mode relative to cb.
#
# Then userspace verbs, perftest with the vhca rdma-core provider
# (tools/lib/vhca): ib_write_bw and ib_send_bw at 64 KiB (MB/s) and
# ib_write_lat at 2 bytes (usec), on
#   (d) vhca, vhca1 serving vhca0,
#   (e) rdma_rxe over a veth pair, both ends in the main namespace with
#       policy routing so RoCE really crosses the veth (6.1's rxe routes
#       and listens in init_net only),
# and the VM's memcpy bandwidth at 64 KiB (memcpy_bw, the copy ceiling of
# a device model that moves every byte with the CPU); a table with vhca
# as a ratio of rxe and of memcpy. Exit status is non-zero if a case
# could not be measured.
#
# VHCA_BENCH_SECS sets another duration per iperf3 run (default 8);
# VHCA_BENCH_ITERS the perftest iterations (default 2000 for bandwidth,
# 1000 for latency); VHCA_BENCH_PARTS which parts run (default "iperf
# verbs").
set -euo pipefail

here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
tests=$here/../selftests/drivers/net/vhca
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/vhca_lib.sh
. "$tests/vhca_lib.sh"
# shellcheck source-path=SCRIPTDIR source=../selftests/drivers/net/vhca/uverbs_lib.sh
. "$tests/uverbs_lib.sh"

SECS=${VHCA_BENCH_SECS:-8}
cases=(veth datagram connected)
declare -A label=([veth]="veth pair" [datagram]="legacy datagram"
		  [connected]="legacy connected")
for m in "${META_MODES[@]}"; do
	for t in on off; do
		cases+=("$m-$t")
		label[$m-$t]="enhanced $m, TSO $t"
	done
done
declare -A one four mtu err

for tool in iperf3 ip modprobe bc ethtool devlink; do
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
trap 'ipoib_cleanup; rxe_cleanup; rm -f "$log"' EXIT

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

# setup_ipoib MODE ENHANCED: vhca_ib (ipoib_enhanced=ENHANCED) and
# ib_ipoib loaded afresh, the IPoIB netdevs of vhca0/vhca1 in NS1/NS2 in
# MODE (datagram or connected)
setup_ipoib()
{
	VHCA_IB_PARAMS=ipoib_enhanced=$2 ipoib_start ib_ipoib || return 1
	if [ "$2" = 1 ] && ! ipoib_is_enhanced - "$IF0"; then
		echo "$IF0 is not in enhanced mode"
		return 1
	fi
	if [ "$2" = 0 ] && ipoib_is_enhanced - "$IF0"; then
		echo "$IF0 is not in legacy mode"
		return 1
	fi
	ipoib_netns "$1" && ns_ping "$NS1" "$ADDR2" 56
}

# run CASE: fill one[CASE], four[CASE] and mtu[CASE], or err[CASE]
run()
{
	local c=$1

	mtu[$c]=$(ip -n "$NS1" -o link show dev "$IF0" |
		sed -n 's/.* mtu \([0-9]*\) .*/\1/p')
	if ! one[$c]=$(iperf_gbps "$NS1" "$ADDR2" "$SECS" 2> "$log") ||
	   ! four[$c]=$(iperf_gbps "$NS1" "$ADDR2" "$SECS" -P 4 2> "$log"); then
		err[$c]="iperf3 failed"
		echo "iperf3 failed: $(cat "$log")"
		return 1
	fi
	echo "${one[$c]} / ${four[$c]} Gbit/s (MTU ${mtu[$c]})"
}

# measure CASE: set up (veth, legacy) and run one case
measure()
{
	local c=$1 ok=0

	printf 'bench: %s: ' "${label[$c]}"
	case "$c" in
	veth) setup_veth > "$log" 2>&1 || ok=1 ;;
	*) setup_ipoib "$c" 0 > "$log" 2>&1 || ok=1 ;;
	esac
	if [ "$ok" -ne 0 ] || ! iperf_server "$NS2" >> "$log" 2>&1; then
		err[$c]="setup failed"
		echo "setup failed:"
		grep -v '^ok ' "$log" | tail -n 15 | sed 's/^/    /'
		ipoib_cleanup
		return 1
	fi
	run "$c" || ok=1
	ipoib_cleanup
	return $ok
}

# measure_enhanced: one setup, then every storage mode with TSO on and off
measure_enhanced()
{
	local m t c rc=0

	printf 'bench: enhanced IPoIB: '
	if ! setup_ipoib datagram 1 > "$log" 2>&1 ||
	   ! iperf_server "$NS2" >> "$log" 2>&1; then
		echo "setup failed:"
		grep -v '^ok ' "$log" | tail -n 15 | sed 's/^/    /'
		for m in "${META_MODES[@]}"; do
			err[$m-on]="setup failed" err[$m-off]="setup failed"
		done
		ipoib_cleanup
		return 1
	fi
	echo "$IF0 ($(ethtool_info "$NS1" "$IF0" driver)) -> $IF1"
	for t in on off; do
		ip netns exec "$NS1" ethtool -K "$IF0" tso "$t" || rc=1
		for m in "${META_MODES[@]}"; do
			c=$m-$t
			printf 'bench: %s: ' "${label[$c]}"
			if ! meta_mode_set "$m"; then
				err[$c]="mode not set"
				echo "tx_meta_storage $m refused"
				rc=1
				continue
			fi
			run "$c" || rc=1
		done
	done
	ipoib_cleanup
	return $rc
}

# ratio A B [SUFFIX]: A / B with two decimals and SUFFIX, "-" if either
# is missing
ratio()
{
	if [ -z "${1:-}" ] || [ -z "${2:-}" ] ||
	   [ "$(echo "$2 == 0" | bc)" = 1 ]; then
		echo -
	else
		echo "$(echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./')${3:-}"
	fi
}

# cell CASE ARRAY: the figure, its ratio of veth and of legacy datagram
cell()
{
	local -n a=$2
	local v=${a[$1]:-} r=''

	if [ -z "$v" ]; then
		printf '%-24s' "${err[$1]:-n/a}"
		return
	fi
	case "$1" in
	veth) ;;
	datagram) r=" ($(ratio "$v" "${a[veth]:-}")v)" ;;
	*) r=" ($(ratio "$v" "${a[veth]:-}")v $(ratio "$v" "${a[datagram]:-}")d)" ;;
	esac
	printf '%-24s' "$v$r"
}

# pct A B: (A - B) / B in percent, signed, "-" if either is missing
pct()
{
	if [ -z "${1:-}" ] || [ -z "${2:-}" ] ||
	   [ "$(echo "$2 == 0" | bc)" = 1 ]; then
		echo -
	else
		printf '%+.1f %%' "$(echo "($1 - $2) * 100 / $2" | bc -l)"
	fi
}

ITERS=${VHCA_BENCH_ITERS:-2000}
declare -A pbw plat
# perftest runs: name -> tool, arguments
ptests=(write_bw send_bw write_lat)
declare -A ptool=([write_bw]=ib_write_bw [send_bw]=ib_send_bw
		  [write_lat]=ib_write_lat)
declare -A pargs=([write_bw]="-s 65536 -n $ITERS"
		  [send_bw]="-s 65536 -n $ITERS"
		  [write_lat]="-s 2 -n $((ITERS / 2))")

# perf_run KIND DEV-SERVER DEV-CLIENT [EXTRA...]: every perftest run on one
# kind of device (vhca, rxe), figures into pbw[KIND,test] / plat[KIND,test]
perf_run()
{
	local kind=$1 d1=$2 d0=$3 t f ok=0

	shift 3
	for t in "${ptests[@]}"; do
		# shellcheck disable=SC2086 # the arguments are split on purpose
		if ! pair_run "$kind-$t" 120 "${ptool[$t]}" ${pargs[$t]} -F \
			-d "$d1" "$@" -- ${pargs[$t]} -F -d "$d0" "$@" \
			> "$log" 2>&1; then
			echo "bench: $kind $t failed:"
			sed 's/^/    /' "$log"
			ok=1
			continue
		fi
		f=$ipoib_tmp/$kind-$t.cli
		case $t in
		*_bw) pbw[$kind,$t]=$(awk '$1 == 65536 { print $4 }' "$f") ;;
		*) plat[$kind,$t]=$(awk '$1 == 2 { print $5 }' "$f") ;;
		esac
		printf 'bench: %s %s %s: %s\n' "$kind" "${ptool[$t]}" "${pargs[$t]}" \
			"${pbw[$kind,$t]:+${pbw[$kind,$t]} MB/s}${plat[$kind,$t]:+${plat[$kind,$t]} usec}"
	done
	return $ok
}

# perf_vhca: vhca_ib afresh with ib_uverbs, perftest through the provider
perf_vhca()
{
	if ! ipoib_start > "$log" 2>&1 || ! modprobe ib_uverbs ||
	   ! wait_until 10 uverbs_dev "$IB0" ||
	   ! wait_until 10 uverbs_dev "$IB1"; then
		echo "bench: vhca setup failed:"
		sed 's/^/    /' "$log"
		return 1
	fi
	perf_run vhca "$IB1" "$IB0"
}

# rxe_cleanup: the rxe devices and the veth pair gone
rxe_cleanup()
{
	rdma link delete rxe0 2> /dev/null || true
	rdma link delete rxe1 2> /dev/null || true
	ip link del veth1 2> /dev/null || true
	ip rule del pref 100 2> /dev/null || true
	ip rule del pref 101 2> /dev/null || true
	if ! ip rule show pref 0 | grep -q local; then
		ip rule add pref 0 lookup local 2> /dev/null || true
	fi
	ip rule del pref 200 2> /dev/null || true
	modprobe -r rdma_rxe 2> /dev/null || true
}

# perf_rxe: rdma_rxe on both ends of a veth pair in the main namespace;
# policy routing sends each end's RoCE out of its own veth instead of
# delivering it locally (see ../../../../shared/research: vm.md)
perf_rxe()
{
	local m1 m2 f

	{
		modprobe rdma_rxe &&
		ip link add veth1 type veth peer name veth2 &&
		ip addr add 10.0.0.1/24 dev veth1 &&
		ip addr add 10.0.0.2/24 dev veth2 &&
		ip link set veth1 up && ip link set veth2 up &&
		for f in all default veth1 veth2; do
			sysctl -qw "net.ipv4.conf.$f.rp_filter=0" || return 1
		done &&
		sysctl -qw net.ipv4.conf.veth1.accept_local=1 &&
		sysctl -qw net.ipv4.conf.veth2.accept_local=1 &&
		ip route add 10.0.0.2/32 dev veth1 src 10.0.0.1 table 101 &&
		ip rule add pref 100 oif veth1 lookup 101 &&
		ip route add 10.0.0.1/32 dev veth2 src 10.0.0.2 table 102 &&
		ip rule add pref 101 oif veth2 lookup 102 &&
		ip rule add pref 200 lookup local &&
		ip rule del pref 0 lookup local &&
		m1=$(cat /sys/class/net/veth1/address) &&
		m2=$(cat /sys/class/net/veth2/address) &&
		ip neigh replace 10.0.0.2 lladdr "$m2" dev veth1 nud permanent &&
		ip neigh replace 10.0.0.1 lladdr "$m1" dev veth2 nud permanent &&
		rdma link add rxe0 type rxe netdev veth1 &&
		rdma link add rxe1 type rxe netdev veth2 &&
		wait_until 10 ib_port_is rxe0 ACTIVE &&
		wait_until 10 ib_port_is rxe1 ACTIVE
	} > "$log" 2>&1 || {
		echo "bench: rxe setup failed:"
		sed 's/^/    /' "$log"
		return 1
	}
	# -x 1: the IPv4 (RoCE v2) GID
	perf_run rxe rxe1 rxe0 -x 1
}

PARTS=" ${VHCA_BENCH_PARTS:-iperf verbs} "
mark=$(dmesg | wc -l)
rc=0
if [[ "$PARTS" = *" iperf "* ]]; then
	for c in veth datagram connected; do
		measure "$c" || rc=1
	done
	measure_enhanced || rc=1
fi

if [[ "$PARTS" != *" verbs "* ]]; then
	:
elif ! uverbs_provider; then
	echo "bench: no vhca provider (make provider)" >&2
	rc=1
else
	perf_vhca || rc=1
	ipoib_cleanup
	trap 'ipoib_cleanup; rxe_cleanup; rm -f "$log"' EXIT
	ipoib_tmp=$(mktemp -d)
	perf_rxe || rc=1
	ipoib_cleanup
	rxe_cleanup
fi
if [[ "$PARTS" = *" verbs "* ]]; then
	memcpy=$("$here/memcpy_bw" 65536 2 | awk '{ print $(NF - 1) }') || rc=1
	echo "bench: memcpy 64 KiB: ${memcpy:-?} MB/s"
fi

if [[ "$PARTS" = *" iperf "* ]]; then
	echo
	echo "iperf3 TCP, $SECS s, $NS1 -> $NS2; Gbit/s (ratio of veth: v, of legacy datagram: d)"
	printf '%-28s %-6s %-24s %-24s\n' case MTU "1 stream" "-P 4"
	for c in "${cases[@]}"; do
		printf '%-28s %-6s %s %s\n' "${label[$c]}" "${mtu[$c]:--}" \
			"$(cell "$c" one)" "$(cell "$c" four)"
	done

	echo
	echo "Storage mode cost (1 stream, relative to cb with the same TSO setting):"
	for t in on off; do
		printf '  TSO %-3s header %s, metadata %s; header vs metadata %s\n' \
			"$t" "$(pct "${one[header-$t]:-}" "${one[cb-$t]:-}")" \
			"$(pct "${one[metadata-$t]:-}" "${one[cb-$t]:-}")" \
			"$(pct "${one[header-$t]:-}" "${one[metadata-$t]:-}")"
	done
	echo
	printf 'Headline: enhanced IPoIB (header, TSO on) 1 stream %s Gbit/s = %sx veth, %sx legacy datagram\n' \
		"${one[header-on]:--}" "$(ratio "${one[header-on]:-}" "${one[veth]:-}")" \
		"$(ratio "${one[header-on]:-}" "${one[datagram]:-}")"
fi
if [[ "$PARTS" = *" verbs "* ]]; then
	echo
	echo "perftest, vhca1 serving vhca0 / rxe1 serving rxe0; 64 KiB messages"
	printf '%-12s %-14s %-14s %-10s %-10s\n' test "vhca MB/s" "rxe MB/s" \
		"vhca/rxe" "vhca/memcpy"
	for t in write_bw send_bw; do
		printf '%-12s %-14s %-14s %-10s %-10s\n' "ib_$t" \
			"${pbw[vhca,$t]:-failed}" "${pbw[rxe,$t]:-failed}" \
			"$(ratio "${pbw[vhca,$t]:-}" "${pbw[rxe,$t]:-}" x)" \
			"$(ratio "${pbw[vhca,$t]:-}" "${memcpy:-}" x)"
	done
	printf '%-12s %-14s %-14s %-10s\n' "memcpy" "${memcpy:-failed}" "" ""
	echo "ib_write_lat, 2 bytes, typical usec"
	printf '%-12s %-14s %-14s %-10s\n' test "vhca usec" "rxe usec" "rxe/vhca"
	printf '%-12s %-14s %-14s %-10s\n' ib_write_lat \
		"${plat[vhca,write_lat]:-failed}" "${plat[rxe,write_lat]:-failed}" \
		"$(ratio "${plat[rxe,write_lat]:-}" "${plat[vhca,write_lat]:-}" x)"
fi

if dmesg | tail -n +$((mark + 1)) |
	grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t'; then
	echo "bench: the kernel log has warnings" >&2
	rc=1
fi
exit "$rc"
