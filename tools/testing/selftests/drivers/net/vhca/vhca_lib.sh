#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the vhca kselftests: KTAP result lines, sysfs writes
# that report errno, polling. Sourced, never run.

# shellcheck disable=SC2034 # used by the tests that source this
KSFT_SKIP=4
num=0
failed=0

# Each test's start goes into the kernel log: a splat is easy to place, and
# `make check` times the tests by these lines.
{ echo "vhca selftests: ${0##*/} starts" > /dev/kmsg; } 2> /dev/null || true

# log_result RC DESCRIPTION: one KTAP result line; a failure marks the test
log_result()
{
	local rc=$1 desc=$2

	num=$((num + 1))
	if [ "$rc" -eq 0 ]; then
		echo "ok $num $desc"
	else
		echo "not ok $num $desc"
		failed=1
	fi
}

# check_eq DESCRIPTION EXPECTED ACTUAL
check_eq()
{
	local rc=0

	[ "$2" = "$3" ] || rc=1
	[ "$rc" -eq 0 ] || echo "# expected '$2', got '$3'"
	log_result "$rc" "$1"
}

# try_write FILE VALUE: write VALUE (plus a newline) to FILE in one
# write(); print "ok" or the error text the shell reports, e.g.
# "Invalid argument"
try_write()
{
	local out

	if out=$({ printf '%s\n' "$2" > "$1"; } 2>&1); then
		echo ok
	else
		echo "${out##*: }"
	fi
}

# wait_for COMMAND...: wait up to 10 s for a command to succeed
wait_for()
{
	local i

	for i in $(seq 100); do
		if "$@"; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# num_eqs: EQs the model of $SIM_DFS has
num_eqs()
{
	grep -c '^eq ' "$SIM_DFS/state" || true
}

# require_tools TOOL...: skip the test unless every tool is there
require_tools()
{
	local tool

	for tool in "$@"; do
		if ! command -v "$tool" > /dev/null; then
			echo "# SKIP: $tool not found"
			exit "$KSFT_SKIP"
		fi
	done
}

# load_core: load vhca_core unless it is loaded (skip if it cannot be);
# sets loaded_core=1 so the test's cleanup unloads it again
load_core()
{
	[ ! -d /sys/module/vhca_core ] || return 0
	if ! modprobe vhca_core; then
		echo "# SKIP: cannot load vhca_core"
		exit "$KSFT_SKIP"
	fi
	# shellcheck disable=SC2034 # read by the test's cleanup
	loaded_core=1
}

core_was_loaded=0

# shellcheck disable=SC2317 # called by the EXIT trap sim_alone sets
sim_alone_cleanup()
{
	modprobe -r vhca_sim 2> /dev/null || true
	if [ "$core_was_loaded" -eq 1 ]; then
		modprobe vhca_core || true
	fi
}

# sim_alone: for tests of the model with no driver bound. Skips unless
# root with vhca_sim installed, unloads vhca_sim and vhca_core (restored
# on exit), mounts debugfs. The caller loads vhca_sim as it needs.
sim_alone()
{
	if [ "$(id -u)" -ne 0 ]; then
		echo "# SKIP: must be root"
		exit "$KSFT_SKIP"
	fi
	if ! modinfo vhca_sim > /dev/null 2>&1; then
		echo "# SKIP: vhca_sim not installed"
		exit "$KSFT_SKIP"
	fi
	[ ! -d /sys/module/vhca_core ] || core_was_loaded=1
	trap sim_alone_cleanup EXIT
	modprobe -r vhca_core vhca_sim 2> /dev/null || true
	if [ -d /sys/module/vhca_sim ]; then
		echo "# vhca_sim is in use and cannot be unloaded"
		exit 1
	fi
	if ! mountpoint -q /sys/kernel/debug; then
		mount -t debugfs none /sys/kernel/debug
	fi
}

# --- IPoIB between the two default HCAs (ipoib_*.sh, ib_tools.sh, bench) ---
#
# ipoib_start loads vhca_ib and ib_ipoib afresh and finds, for the default
# devices vhca0 and vhca1, their ib_devices (IB0, IB1), LIDs (LID0, LID1)
# and IPoIB netdevs (IF0, IF1); ipoib_netns moves IF0 to namespace NS1 and
# IF1 to NS2 with ADDR1/ADDR2 and ADDR6_1/ADDR6_2. ipoib_cleanup (the EXIT
# trap ipoib_start sets) kills what the test started, restores the knobs
# set with knob_set, deletes the namespaces and unloads the modules.
# VHCA_IB_PARAMS (environment) holds vhca_ib module parameters for
# ipoib_start, e.g. ipoib_enhanced=0 for legacy (verbs) IPoIB.

VHCA_DBG=/sys/kernel/debug/vhca_sim
IB_CLASS=/sys/class/infiniband
NS1=vhca-ns1
NS2=vhca-ns2
NS3=vhca-ns3
NS4=vhca-ns4
# shellcheck disable=SC2034 # used by the tests that source this
{
ADDR1=10.0.0.1
ADDR2=10.0.0.2
ADDR6_1=fd00::1
ADDR6_2=fd00::2
IB0='' IB1='' IF0='' IF1='' LID0='' LID1=''
}
TCP_PORT=5301
ipoib_tmp=
ipoib_mark=0
ipoib_pids=()
ipoib_knobs=()

# wait_until SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds
wait_until()
{
	local end=$((SECONDS + $1))

	shift
	while ! "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.2
	done
}

# vhca_ibdev ID: the ib_device of bus device vhca<ID>
vhca_ibdev()
{
	local d

	for d in "$IB_CLASS"/*; do
		[ -e "$d/device" ] || continue
		if [ "$(basename "$(readlink -f "$d/device")")" = "vhca$1" ]; then
			basename "$d"
			return 0
		fi
	done
	return 1
}

# vhca_ipoib_if ID [PORT]: the parent IPoIB netdev of port PORT (default 1)
# of bus device vhca<ID>, in the current network namespace
vhca_ipoib_if()
{
	local n port=$((${2:-1} - 1))

	for n in /sys/class/net/*; do
		[ "$(cat "$n/type" 2> /dev/null)" = 32 ] || continue
		[ "$(basename "$(readlink -f "$n/device")")" = "vhca$1" ] ||
			continue
		[ "$(cat "$n/dev_port")" = "$port" ] || continue
		# children (P_Key interfaces) link to their parent
		[ "$(cat "$n/iflink")" = "$(cat "$n/ifindex")" ] || continue
		basename "$n"
		return 0
	done
	return 1
}

# ib_port_state IBDEV: the sysfs state of port 1, e.g. "4: ACTIVE"
ib_port_state()
{
	cat "$IB_CLASS/$1/ports/1/state" 2> /dev/null
}

# ib_port_is IBDEV STATE: port 1 of IBDEV is in STATE (ACTIVE, DOWN, ...)
ib_port_is()
{
	[ "$(ib_port_state "$1")" = "$(ib_port_state_name "$2")" ]
}

ib_port_state_name()
{
	case "$1" in
	DOWN) echo "1: DOWN" ;;
	INIT) echo "2: INIT" ;;
	ARMED) echo "3: ARMED" ;;
	ACTIVE) echo "4: ACTIVE" ;;
	*) echo "$1" ;;
	esac
}

# ib_lid IBDEV: the LID of port 1, decimal
ib_lid()
{
	echo $(($(cat "$IB_CLASS/$1/ports/1/lid")))
}

# vhca_port_counter ID NAME: counter NAME of vhca<ID> port 1 (debugfs)
vhca_port_counter()
{
	awk -v n="$2" '$1 == n { print $2; f = 1 } END { exit !f }' \
		"$VHCA_DBG/vhca$1/port1/counters"
}

# vhca_drops REASON: drop_REASON summed over every port of every device
vhca_drops()
{
	local f sum=0 v

	for f in "$VHCA_DBG"/vhca*/port*/counters; do
		[ -e "$f" ] || continue
		v=$(awk -v n="drop_$1" '$1 == n { print $2 }' "$f")
		sum=$((sum + ${v:-0}))
	done
	echo "$sum"
}

# knob_set FILE VALUE RESTORE: write VALUE to FILE; ipoib_cleanup writes
# RESTORE back
knob_set()
{
	ipoib_knobs+=("$1=$3")
	[ "$(try_write "$1" "$2")" = ok ]
}

# netdev_has NS IF FLAG: netdev IF in namespace NS shows FLAG (LOWER_UP...)
netdev_has()
{
	ip -n "$1" -o link show dev "$2" 2> /dev/null | grep "[<,]$3[,>]" > /dev/null
}

# no_tentative NS IF: IPv6 DAD is over on IF (and did not fail)
no_tentative()
{
	[ -z "$(ip -n "$1" -6 addr show dev "$2" tentative)" ] &&
		[ -z "$(ip -n "$1" -6 addr show dev "$2" dadfailed)" ]
}

# ns_ping NS ADDR SIZE [DEADLINE]: 3 echo requests of SIZE data bytes,
# all answered within DEADLINE seconds (default 20); IPv4 or IPv6
ns_ping()
{
	local fam=-4 dl=${4:-20}

	[[ "$2" != *:* ]] || fam=-6
	if command -v ping > /dev/null; then
		ip netns exec "$1" ping "$fam" -n -q -c 3 -i 0.2 -w "$dl" \
			-s "$3" "$2" > /dev/null 2>&1
	else
		ip netns exec "$1" busybox ping "$fam" -q -c 3 -W "$dl" \
			-s "$3" "$2" > /dev/null 2>&1
	fi
}

# ns_listening NS PORT: a TCP socket listens on PORT in NS
ns_listening()
{
	[ -n "$(ip netns exec "$1" ss -Hltn "sport = :$2" 2> /dev/null)" ]
}

# tcp_copy NS_FROM NS_TO ADDR SRC DST [TIMEOUT]: send file SRC over TCP
# from NS_FROM to a receiver in NS_TO listening on ADDR, which writes DST;
# socat if there is one, else python3. Prints the rate as a comment.
tcp_copy()
{
	local from=$1 to=$2 addr=$3 src=$4 dst=$5 t=${6:-240}
	local rpid rc=0 start bytes secs
	local py_rx='import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen(1)
c, _ = s.accept()
with open(sys.argv[3], "wb") as f:
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        f.write(b)'
	local py_tx='import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])))
with open(sys.argv[3], "rb") as f:
    s.sendfile(f)
s.shutdown(socket.SHUT_WR)
s.recv(1)'

	rm -f "$dst"
	if command -v socat > /dev/null; then
		timeout "$t" ip netns exec "$to" socat -u -b 262144 \
			"TCP-LISTEN:$TCP_PORT,bind=$addr,reuseaddr" \
			"CREATE:$dst" &
	else
		timeout "$t" ip netns exec "$to" python3 -c "$py_rx" \
			"$addr" "$TCP_PORT" "$dst" &
	fi
	rpid=$!
	ipoib_pids+=("$rpid")
	if ! wait_until 10 ns_listening "$to" "$TCP_PORT"; then
		echo "# tcp_copy: no listener in $to"
		kill "$rpid" 2> /dev/null || true
		wait "$rpid" 2> /dev/null || true
		return 1
	fi
	start=$(date +%s.%N)
	if command -v socat > /dev/null; then
		timeout "$t" ip netns exec "$from" socat -u -b 262144 \
			"OPEN:$src" "TCP:$addr:$TCP_PORT" || rc=1
	else
		timeout "$t" ip netns exec "$from" python3 -c "$py_tx" \
			"$addr" "$TCP_PORT" "$src" || rc=1
	fi
	wait "$rpid" || rc=1
	bytes=$(stat -c %s "$src")
	secs=$(echo "$(date +%s.%N) - $start" | bc)
	printf '# tcp_copy: %s bytes %s -> %s in %.1f s (%.1f Mbit/s)%s\n' \
		"$bytes" "$from" "$to" "$secs" \
		"$(echo "$bytes * 8 / ($secs + 0.001) / 1000000" | bc -l)" \
		"$([ "$rc" -eq 0 ] || echo ', FAILED')"
	return "$rc"
}

# random_file FILE MIB: MIB MiB of random data
random_file()
{
	head -c $(($2 << 20)) /dev/urandom > "$1"
}

# iperf_server NS: an iperf3 server daemon in NS (killed by ipoib_cleanup)
iperf_server()
{
	ip netns exec "$1" iperf3 -s -D -p 5201 \
		--pidfile "$ipoib_tmp/iperf3-$1.pid" > /dev/null || return 1
	wait_until 10 ns_listening "$1" 5201
}

# iperf_gbps NS ADDR SECONDS [ARGS...]: run an iperf3 TCP client in NS
# against ADDR; print the receiver's rate in Gbit/s
iperf_gbps()
{
	local ns=$1 addr=$2 secs=$3 out bps

	shift 3
	out=$(ip netns exec "$ns" iperf3 -c "$addr" -p 5201 -t "$secs" -J \
		"$@" 2>&1) || {
		echo "# iperf3 failed: $(grep -m1 '"error"' <<< "$out")" >&2
		return 1
	}
	if command -v jq > /dev/null; then
		bps=$(jq -r '.end.sum_received.bits_per_second' <<< "$out")
	else
		bps=$(python3 -c 'import json, sys
print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"])' \
			<<< "$out")
	fi
	[ -n "$bps" ] && [ "$bps" != null ] || return 1
	printf '%.3f\n' "$(echo "$bps / 1000000000" | bc -l)"
}

# kernel_log_clean: nothing alarming in the kernel log since ipoib_start
kernel_log_clean()
{
	! dmesg | tail -n +$((ipoib_mark + 1)) |
		grep -E 'WARNING:|BUG:|Oops|general protection|refcount_t|UBSAN'
}

# ipoib_finish: the end of an ipoib_start test: the kernel log check as the
# last result, the plan, and the exit status (non-zero if any failed)
ipoib_finish()
{
	local rc=0

	kernel_log_clean || rc=1
	log_result $rc "no warning, bug or oops in the kernel log"
	echo "1..$num"
	exit "$failed"
}

# netns_del NS...: delete the namespaces NS..., first ending every process
# still running in them (a daemon the test started, or one a failed test
# did not stop); a process that needs SIGKILL is named
# shellcheck disable=SC2317 # called by the EXIT trap
netns_del()
{
	local ns pids pid

	for ns in "$@"; do
		pids=$(ip netns pids "$ns" 2> /dev/null) || continue
		if [ -n "$pids" ]; then
			# shellcheck disable=SC2086 # pids: a list
			kill $pids 2> /dev/null || true
			wait_until 5 netns_empty "$ns" ||
				for pid in $(ip netns pids "$ns" 2> /dev/null); do
					echo "# $ns: killing $(tr '\0' ' ' < "/proc/$pid/cmdline" 2> /dev/null)"
					kill -9 "$pid" 2> /dev/null || true
				done
		fi
		ip netns del "$ns" 2> /dev/null || true
	done
}

# netns_empty NS: no process runs in NS
# shellcheck disable=SC2317 # called through wait_until
netns_empty()
{
	[ -z "$(ip netns pids "$1" 2> /dev/null)" ]
}

# shellcheck disable=SC2317 # called by the EXIT trap
ipoib_cleanup()
{
	local i pid f

	for pid in "${ipoib_pids[@]}"; do
		kill "$pid" 2> /dev/null || true
	done
	if [ -n "$ipoib_tmp" ]; then
		for f in "$ipoib_tmp"/*.pid; do
			[ -s "$f" ] || continue
			kill "$(cat "$f")" 2> /dev/null || true
		done
	fi
	for ((i = ${#ipoib_knobs[@]} - 1; i >= 0; i--)); do
		f=${ipoib_knobs[i]%%=*}
		[ ! -e "$f" ] ||
			printf '%s\n' "${ipoib_knobs[i]#*=}" > "$f" 2> /dev/null ||
			true
	done
	netns_del "$NS1" "$NS2" "$NS3" "$NS4"
	modprobe -r ib_ipoib ib_umad 2> /dev/null || true
	modprobe -r vhca_ib 2> /dev/null || true
	modprobe -r vhca_core vhca_sim 2> /dev/null || true
	[ -z "$ipoib_tmp" ] || rm -rf "$ipoib_tmp"
}

# ipoib_require TOOL...: skip unless root with vhca_ib and ib_ipoib
# installed and every TOOL there
ipoib_require()
{
	local m

	if [ "$(id -u)" -ne 0 ]; then
		echo "# SKIP: must be root"
		exit "$KSFT_SKIP"
	fi
	require_tools modprobe ip rdma dmesg "$@"
	for m in vhca_ib ib_ipoib; do
		if ! modinfo "$m" > /dev/null 2>&1; then
			echo "# SKIP: $m not installed"
			exit "$KSFT_SKIP"
		fi
	done
}

# ipoib_start [MODULE...]: load vhca_ib and MODULE... (e.g. ib_ipoib) afresh
# and fill in IB0/IB1, LID0/LID1 and, with ib_ipoib, IF0/IF1; log one
# result. Returns non-zero if that failed (the test cannot go on).
ipoib_start()
{
	local rc=0 m

	trap ipoib_cleanup EXIT
	ipoib_cleanup
	if [ -d /sys/module/vhca_sim ]; then
		echo "# vhca_sim is in use and cannot be unloaded"
		exit 1
	fi
	if ! mountpoint -q /sys/kernel/debug; then
		mount -t debugfs none /sys/kernel/debug
	fi
	ipoib_tmp=$(mktemp -d)
	ipoib_mark=$(dmesg | wc -l)

	# shellcheck disable=SC2086 # VHCA_IB_PARAMS: module parameters, split
	modprobe vhca_ib ${VHCA_IB_PARAMS:-} || rc=1
	for m in "$@"; do
		modprobe "$m" || rc=1
	done
	if [ "$rc" -eq 0 ]; then
		wait_until 10 vhca_ibdev 0 > /dev/null || rc=1
		wait_until 10 vhca_ibdev 1 > /dev/null || rc=1
	fi
	if [ "$rc" -eq 0 ]; then
		IB0=$(vhca_ibdev 0)
		IB1=$(vhca_ibdev 1)
		wait_until 20 ib_port_is "$IB0" ACTIVE || rc=1
		wait_until 20 ib_port_is "$IB1" ACTIVE || rc=1
		LID0=$(ib_lid "$IB0")
		LID1=$(ib_lid "$IB1")
		[ "$LID0" -gt 0 ] && [ "$LID1" -gt 0 ] &&
			[ "$LID0" != "$LID1" ] || rc=1
	fi
	if [ "$rc" -eq 0 ] && [[ " $* " = *" ib_ipoib "* ]]; then
		IF0=$(wait_until 10 vhca_ipoib_if 0) || rc=1
		IF1=$(wait_until 10 vhca_ipoib_if 1) || rc=1
	fi
	if [ "$rc" -ne 0 ]; then
		[[ " $* " != *" ib_ipoib "* ]] || [ -n "$IF1" ] ||
			echo "# no IPoIB netdev for vhca0 and vhca1 (ib_ipoib did not attach)"
		{ rdma link show; ip -o link show; } 2>&1 | sed 's/^/# /'
		dmesg | tail -n +$((ipoib_mark + 1)) |
			grep -iE 'ipoib|vhca|ib[0-9]' | tail -n 8 | sed 's/^/# dmesg: /'
	fi
	log_result $rc "modprobe vhca_ib $*: ports ACTIVE, unique LIDs (${IB0:-?} LID ${LID0:-?}, ${IB1:-?} LID ${LID1:-?})${IF0:+, netdevs $IF0 $IF1}"
	return $rc
}

# ipoib_netns MODE: IF0 into NS1 as ADDR1/ADDR6_1, IF1 into NS2 as
# ADDR2/ADDR6_2, in MODE (datagram, or connected with MTU 65520); waits
# for the carrier and for IPv6 DAD; logs one result
ipoib_netns()
{
	local mode=$1 rc=0 ifc ns

	ip netns add "$NS1" || rc=1
	ip netns add "$NS2" || rc=1
	for ifc in "$IF0" "$IF1"; do
		if [ "$mode" = connected ]; then
			[ "$(try_write "/sys/class/net/$ifc/mode" connected)" = ok ] ||
				rc=1
			ip link set dev "$ifc" mtu 65520 || rc=1
		fi
		[ "$(cat "/sys/class/net/$ifc/mode")" = "$mode" ] || rc=1
	done
	ip link set dev "$IF0" netns "$NS1" || rc=1
	ip link set dev "$IF1" netns "$NS2" || rc=1
	ip -n "$NS1" addr add "$ADDR1/24" dev "$IF0" || rc=1
	ip -n "$NS2" addr add "$ADDR2/24" dev "$IF1" || rc=1
	ip -n "$NS1" addr add "$ADDR6_1/64" dev "$IF0" || rc=1
	ip -n "$NS2" addr add "$ADDR6_2/64" dev "$IF1" || rc=1
	for ns in "$NS1" "$NS2"; do
		ip -n "$ns" link set dev lo up || rc=1
	done
	ip -n "$NS1" link set dev "$IF0" up || rc=1
	ip -n "$NS2" link set dev "$IF1" up || rc=1
	wait_until 30 netdev_has "$NS1" "$IF0" LOWER_UP || rc=1
	wait_until 30 netdev_has "$NS2" "$IF1" LOWER_UP || rc=1
	wait_until 20 no_tentative "$NS1" "$IF0" || rc=1
	wait_until 20 no_tentative "$NS2" "$IF1" || rc=1
	if [ "$mode" = connected ]; then
		ip -n "$NS1" -o link show dev "$IF0" | grep ' mtu 65520 ' > /dev/null ||
			rc=1
	fi
	[ "$rc" -eq 0 ] || { ip -n "$NS1" addr; ip -n "$NS2" addr; } 2>&1 |
		sed 's/^/# /'
	log_result $rc "$IF0 in $NS1, $IF1 in $NS2, $mode mode: carrier up, IPv6 DAD done"
	return $rc
}

# data_mib MIB: the size a data test moves: MIB MiB, but at most 8 on the
# debug kernel of `make check-debug`, where KASAN and lockdep make the
# emulated data path about ten times slower
data_mib()
{
	case "$(uname -r)" in
	*-vhca-debug) echo $(($1 < 8 ? $1 : 8)) ;;
	*) echo "$1" ;;
	esac
}

# ipoib_traffic_checks MIB: what a user checks on an IPoIB link between
# NS1 and NS2: ping both ways over IPv4 and IPv6 (neighbour discovery is
# multicast), pings of up to 64 KiB (fragmentation), iperf3 both ways, a
# MIB MiB random file over TCP with equal sha256 and the ports' byte
# counters covering it
ipoib_traffic_checks()
{
	local mib rc s g gr tx0 tx1 rx0 rx1 bytes

	mib=$(data_mib "$1")
	rc=0
	ns_ping "$NS1" "$ADDR2" 56 || rc=1
	ns_ping "$NS2" "$ADDR1" 56 || rc=1
	log_result $rc "IPv4 ping $NS1 <-> $NS2"

	rc=0
	ns_ping "$NS1" "$ADDR6_2" 56 || rc=1
	ns_ping "$NS2" "$ADDR6_1" 56 || rc=1
	ip -n "$NS1" -6 neigh show "$ADDR6_2" | grep lladdr > /dev/null || rc=1
	[ "$rc" -eq 0 ] || ip -n "$NS1" -6 neigh show | sed 's/^/# /'
	log_result $rc "IPv6 ping $NS1 <-> $NS2 (neighbour discovery resolved $ADDR6_2)"

	for s in 1472 2044 4096 16384 65000; do
		rc=0
		ns_ping "$NS1" "$ADDR2" "$s" || rc=1
		ns_ping "$NS2" "$ADDR6_1" "$s" || rc=1
		log_result $rc "ping -s $s, IPv4 $NS1 -> $NS2 and IPv6 $NS2 -> $NS1"
	done

	rc=0
	g='' gr=''
	iperf_server "$NS2" || rc=1
	if [ "$rc" -eq 0 ]; then
		g=$(iperf_gbps "$NS1" "$ADDR2" 2) || rc=1
		gr=$(iperf_gbps "$NS1" "$ADDR2" 2 -R) || rc=1
	fi
	log_result $rc "iperf3 TCP 2 s: $NS1 -> $NS2 ${g:-?} Gbit/s, $NS2 -> $NS1 ${gr:-?} Gbit/s"

	rc=0
	random_file "$ipoib_tmp/src" "$mib"
	bytes=$(stat -c %s "$ipoib_tmp/src")
	tx0=$(vhca_port_counter 0 tx_bytes) || rc=1
	rx0=$(vhca_port_counter 1 rx_bytes) || rc=1
	tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" ||
		rc=1
	if [ "$rc" -eq 0 ]; then
		s=$(sha256sum < "$ipoib_tmp/src")
		[ "$(sha256sum < "$ipoib_tmp/dst")" = "$s" ] || rc=1
	fi
	log_result $rc "$mib MiB random file over TCP $NS1 -> $NS2, sha256 equal"

	rc=0
	tx1=$(vhca_port_counter 0 tx_bytes) || rc=1
	rx1=$(vhca_port_counter 1 rx_bytes) || rc=1
	if [ "$rc" -eq 0 ]; then
		[ $((tx1 - tx0)) -ge "$bytes" ] || rc=1
		[ $((rx1 - rx0)) -ge "$bytes" ] || rc=1
	fi
	[ "$rc" -eq 0 ] || sed 's/^/# vhca0: /' "$VHCA_DBG/vhca0/port1/counters"
	log_result $rc "port counters: vhca0 tx_bytes +$((${tx1:-0} - ${tx0:-0})), vhca1 rx_bytes +$((${rx1:-0} - ${rx0:-0})) >= $bytes"
	rm -f "$ipoib_tmp/src" "$ipoib_tmp/dst"
}

# require_tcp_copy: skip unless socat or python3 can carry tcp_copy
require_tcp_copy()
{
	if ! command -v socat > /dev/null && ! command -v python3 > /dev/null
	then
		echo "# SKIP: neither socat nor python3 found"
		exit "$KSFT_SKIP"
	fi
}

# --- Enhanced IPoIB (ipoib_enhanced, ipoib_offloads, ipoib_meta_modes,
# ipoib_health, ipoib_loopback, bench): the port's uplink netdev, the
# devlink param tx_meta_storage, ethtool and packet counting ---
#
# ipoib_uplinks fills UP0/UP1, the uplinks of IF0/IF1 (in the initial
# namespace, where they stay). Counter names: the STAT_* regular
# expressions below match the names `ethtool -S` prints (without the
# colon); they follow drivers/net/ethernet/vhca/core/ipoib/ipoib.h.

META_MODES=(cb header metadata)
UP0='' UP1=''
# shellcheck disable=SC2034 # used by the tests that source this
{
STAT_TX_PACKETS='tx[0-9]+_packets'
STAT_TX_LSO='tx[0-9]+_lso'
STAT_TX_CSUM='tx[0-9]+_csum_partial'
STAT_RX_PACKETS='rx[0-9]+_packets'
STAT_RX_CSUM_OK='rx[0-9]+_csum_(unnecessary|complete)'
STAT_RX_CSUM_NONE='rx[0-9]+_csum_none'
STAT_DROP_META='drop_(meta_[a-z_]+|cb_clobbered)'
STAT_DROP_CB_GSO='drop_cb_(gso|clobbered)'
STAT_UPPER_GSO='tx_gso_segmented'
STAT_TX_TIMEOUT='tx[0-9]+_timeout'
STAT_TX_RECOVER='tx[0-9]+_recover'
}

# ns_run NS COMMAND...: COMMAND in namespace NS ("-": the current one)
ns_run()
{
	local ns=$1

	shift
	if [ "$ns" = - ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# ethtool_info NS IF FIELD: the value of FIELD ("driver", "bus-info",
# ...) that `ethtool -i IF` prints
ethtool_info()
{
	ns_run "$1" ethtool -i "$2" 2> /dev/null |
		sed -n "s/^$3: *//p" | head -n 1
}

# ipoib_is_enhanced NS IF: IF is driven by vhca's rdma_netdev (enhanced
# mode): ethtool -i names vhca_core, where legacy mode says ib_ipoib
ipoib_is_enhanced()
{
	[ "$(ethtool_info "$1" "$2" driver)" = vhca_core ]
}

# is_ipoib_link IF: IF is an ib_ipoib netdev (rtnl link kind "ipoib")
is_ipoib_link()
{
	ip -d -o link show dev "$1" 2> /dev/null | grep ' ipoib ' > /dev/null
}

# vhca_uplink ID [PORT]: the uplink netdev of port PORT (default 1) of
# vhca<ID>, in the current namespace: the lower device of the port's IPoIB
# parent, else the netdev of the port that is no IPoIB interface
vhca_uplink()
{
	local n ifc port=$((${2:-1} - 1))

	if ifc=$(vhca_ipoib_if "$1" "${2:-1}"); then
		for n in /sys/class/net/"$ifc"/lower_*; do
			[ -e "$n" ] || continue
			echo "${n##*/lower_}"
			return 0
		done
	fi
	for n in /sys/class/net/*; do
		[ -e "$n/device" ] || continue
		[ "$(basename "$(readlink -f "$n/device")")" = "vhca$1" ] ||
			continue
		[ "$(cat "$n/dev_port" 2> /dev/null)" = "$port" ] || continue
		is_ipoib_link "${n##*/}" && continue
		basename "$n"
		return 0
	done
	return 1
}

# ipoib_uplinks: UP0/UP1, the uplinks of vhca0/vhca1 port 1; call while
# IF0/IF1 are still in the initial namespace (it sets them up: an IPoIB
# netdev is linked to its uplink while it is open); logs one result
ipoib_uplinks()
{
	local rc=0

	ip link set dev "$IF0" up || rc=1
	ip link set dev "$IF1" up || rc=1
	UP0=$(vhca_uplink 0) || rc=1
	UP1=$(vhca_uplink 1) || rc=1
	if [ "$rc" -eq 0 ]; then
		[ "$UP0" != "$UP1" ] || rc=1
		[ -e "/sys/class/net/$IF0/lower_$UP0" ] || rc=1
		[ -e "/sys/class/net/$IF1/lower_$UP1" ] || rc=1
	fi
	[ "$rc" -eq 0 ] || ip -d -o link show | sed 's/^/# /'
	log_result $rc "each port has an uplink under its IPoIB netdev: $IF0 -> ${UP0:-?}, $IF1 -> ${UP1:-?}"
	return $rc
}

# meta_mode_get ID: tx_meta_storage of vhca<ID>
meta_mode_get()
{
	devlink dev param show "vhca/vhca$1" name tx_meta_storage 2> /dev/null |
		sed -n 's/.*cmode runtime value \([a-z]*\).*/\1/p'
}

# meta_mode_set MODE [ID...]: tx_meta_storage MODE on vhca<ID>... (default
# vhca0 and vhca1) at run time, read back
meta_mode_set()
{
	local m=$1 id ids=(0 1)

	shift
	[ $# -eq 0 ] || ids=("$@")
	for id in "${ids[@]}"; do
		devlink dev param set "vhca/vhca$id" name tx_meta_storage \
			value "$m" cmode runtime || return 1
		[ "$(meta_mode_get "$id")" = "$m" ] || return 1
	done
}

# ethtool_stat NS IF REGEX: the sum of the `ethtool -S IF` counters whose
# whole name matches the extended REGEX (0 if none)
ethtool_stat()
{
	ns_run "$1" ethtool -S "$2" 2> /dev/null |
		awk -v re="^($3)\$" '{ n = $1; sub(/:$/, "", n) }
			n ~ re { s += $2 } END { printf "%d\n", s }'
}

# ethtool_has_stat NS IF REGEX: `ethtool -S IF` has a counter matching REGEX
ethtool_has_stat()
{
	ns_run "$1" ethtool -S "$2" 2> /dev/null |
		awk -v re="^($3)\$" '{ n = $1; sub(/:$/, "", n) }
			n ~ re { f = 1 } END { exit !f }'
}

# ethtool_feature NS IF NAME: "on" or "off", as `ethtool -k IF` shows NAME
ethtool_feature()
{
	ns_run "$1" ethtool -k "$2" 2> /dev/null |
		awk -v f="$3:" '$1 == f { print $2; exit }'
}

# ethtool_fixed NS IF NAME: `ethtool -k IF` shows NAME as [fixed]
ethtool_fixed()
{
	ns_run "$1" ethtool -k "$2" 2> /dev/null |
		grep -E "^[[:space:]]*$3: (on|off) \[fixed\]" > /dev/null
}

# ethtool_value NS IF OPTION KEY [SECTION]: the value of "KEY:" that
# `ethtool OPTION IF` prints (-l, -g, -c), after the line SECTION if given
# (e.g. "Current hardware settings")
ethtool_value()
{
	ns_run "$1" ethtool "$3" "$2" 2> /dev/null |
		awk -v k="$4:" -v s="${5:-}" '
			s != "" && index($0, s) == 1 { in_s = 1; next }
			(s == "" || in_s) && $1 == k { print $2; exit }
			(s == "" || in_s) && $1 " " $2 == k { print $3; exit }'
}

# Packet counting for the "never misdelivered" invariants: a receive-side
# sniffer per interface counts IPv4 packets to its own address, to a
# UDP port, and those to any other unicast address (misdelivered).
py_sniff='import signal, socket, struct, sys
ifc, own, port, out, raw = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "raw"
own_b = socket.inet_aton(own)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW if raw else socket.SOCK_DGRAM, socket.htons(3))
s.bind((ifc, 0))
s.settimeout(0.2)
st = {"own": 0, "udp": 0, "wrong": 0, "tx": 0, "all": 0, "first": [], "lens": []}
stop = []
signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
open(out + ".ready", "w").close()
while not stop:
    try:
        d, a = s.recvfrom(65600)
    except socket.timeout:
        continue
    except InterruptedError:
        continue
    if raw:
        st["all"] += 1
        if len(st["first"]) < 8:
            st["first"].append(d[:64].hex())
            st["lens"].append(len(d))
        continue
    if a[2] == 4:
        st["tx"] += 1
        continue
    if len(d) < 20 or d[0] >> 4 != 4:
        continue
    dst = d[16:20]
    if dst == own_b:
        st["own"] += 1
        ihl = (d[0] & 15) * 4
        if d[9] == 17 and len(d) >= ihl + 4 and struct.unpack("!H", d[ihl + 2:ihl + 4])[0] == port:
            st["udp"] += 1
    elif dst[0] < 224 and dst[3] != 255:
        st["wrong"] += 1
with open(out, "w") as f:
    for k, v in st.items():
        print(k, *v, file=f) if isinstance(v, list) else print(k, v, file=f)'

# sniff_start NAME NS IF OWN [raw]: start counting packets received on IF
# (in NS) into $ipoib_tmp/NAME.txt; "raw" records the first bytes of
# every packet seen (sent or received) instead. sniff_ready waits until
# it counts.
sniff_start()
{
	local f=$ipoib_tmp/$1.txt

	rm -f "$f" "$f.ready"
	# the pid must be python's, for sniff_stop's SIGTERM
	if [ "$2" = - ]; then
		python3 -c "$py_sniff" "$3" "$4" 9 "$f" "${5:-ip}" &
	else
		ip netns exec "$2" python3 -c "$py_sniff" "$3" "$4" 9 "$f" \
			"${5:-ip}" &
	fi
	ipoib_pids+=("$!")
	eval "sniff_pid_$1=$!"
}

# sniff_ready NAME...: wait until the sniffers NAME... count
sniff_ready()
{
	local n

	for n in "$@"; do
		wait_until 10 test -e "$ipoib_tmp/$n.txt.ready" || return 1
	done
}

# sniff_stop NAME: stop the sniffer NAME, leave its counts in NAME.txt
sniff_stop()
{
	local pid

	eval "pid=\${sniff_pid_$1:-}"
	[ -n "$pid" ] || return 1
	kill -TERM "$pid" 2> /dev/null || true
	wait "$pid" 2> /dev/null || true
	[ -s "$ipoib_tmp/$1.txt" ]
}

# sniff_get NAME KEY: a count (own, udp, wrong, tx, all) of sniffer NAME,
# or the list "first" (the first bytes of up to 8 packets, in hex)
sniff_get()
{
	local k v

	while read -r k v; do
		[ "$k" != "$2" ] || { echo "$v"; return 0; }
	done < "$ipoib_tmp/$1.txt"
	return 1
}

# udp_send NS COUNT SIZE ADDR...: COUNT datagrams of SIZE bytes to UDP
# port 9 of each ADDR in turn, 1 ms apart, from one socket in NS. The
# socket buffer is 16 MiB: a queue that does not move fills up with them
# (the default buffer would block the sender first).
udp_send()
{
	local ns=$1 count=$2 size=$3

	shift 3
	ns_run "$ns" python3 -c 'import socket, sys, time
n, size, addrs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 32, 16 << 20)	# SO_SNDBUFFORCE
for i in range(n):
    for a in addrs:
        s.sendto(b"x" * size, (a, 9))
    time.sleep(0.001)' "$count" "$size" "$@"
}

# tcp_copy_bg NAME NS_FROM NS_TO ADDR PORT SRC DST: tcp_copy in the
# background on another port, for COPY_TIMEOUT seconds at most (default
# 120); tcp_copy_wait NAME gets its status
tcp_copy_bg()
{
	local name=$1

	shift
	(TCP_PORT=$4; tcp_copy "$1" "$2" "$3" "$5" "$6" "${COPY_TIMEOUT:-120}") \
		> "$ipoib_tmp/$name.log" 2>&1 &
	eval "copy_pid_$name=$!"
	ipoib_pids+=("$!")
}

# tcp_copy_running NAME: the background copy NAME still runs
tcp_copy_running()
{
	local pid

	eval "pid=\${copy_pid_$1:-}"
	[ -n "$pid" ] && kill -0 "$pid" 2> /dev/null
}

tcp_copy_wait()
{
	local pid rc=0

	eval "pid=\${copy_pid_$1:-}"
	wait "$pid" || rc=1
	sed 's/^#* */# /' "$ipoib_tmp/$1.log"
	return $rc
}

# same_file A B: files A and B have the same sha256
same_file()
{
	[ -e "$1" ] && [ -e "$2" ] &&
		[ "$(sha256sum < "$1")" = "$(sha256sum < "$2")" ]
}

# pkey_add_both PKEY: PKEY in the P_Key tables of vhca0 and vhca1 port 1
# (restored by ipoib_cleanup), waits until ib_ipoib can see it
pkey_add_both()
{
	local i

	for i in 0 1; do
		knob_set "$VHCA_DBG/vhca$i/port1/pkeys" "add $1" "del $1" ||
			return 1
	done
	wait_until 10 pkey_in_port "$IB0" 1 "$1" &&
		wait_until 10 pkey_in_port "$IB1" 1 "$1"
}

# pkey_in_port IBDEV PORT PKEY: PKEY is in the port's P_Key table (sysfs)
pkey_in_port()
{
	cat "$IB_CLASS/$1/ports/$2/pkeys/"* 2> /dev/null | grep -x "$3" > /dev/null
}

# ns_setup NS IF ADDR/LEN [ADDR6/LEN]: IF into NS (created if need be)
# unless it is there already, addresses, up, carrier, DAD done
ns_setup()
{
	local ns=$1 ifc=$2

	ip netns list | grep -w "^$ns" > /dev/null || ip netns add "$ns" || return 1
	if ! ip -n "$ns" link show dev "$ifc" > /dev/null 2>&1; then
		ip link set dev "$ifc" netns "$ns" || return 1
	fi
	ip -n "$ns" link set dev lo up || return 1
	ip -n "$ns" addr add "$3" dev "$ifc" || return 1
	[ -z "${4:-}" ] || ip -n "$ns" addr add "$4" dev "$ifc" || return 1
	ip -n "$ns" link set dev "$ifc" up || return 1
	wait_until 30 netdev_has "$ns" "$ifc" LOWER_UP || return 1
	wait_until 20 no_tentative "$ns" "$ifc"
}
