#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# devlink for enhanced IPoIB netdevs (mlx5 has none): every IPoIB netdev,
# P_Key children included, gets a devlink port (flavour virtual, naming
# the netdev) that goes away with it, with health reporters "tx" and
# "rx": diagnose shows the queues and counters, dump their indices,
# test reports an error, recover (of a reporter in error) resets the
# queues (counted) and traffic flows afterwards; with auto_recover on,
# devlink recovers a test error by itself. A stalled
# send queue (the model's sq_stall knob, if it has one) makes the
# uplink's TX watchdog fire: the timeout is counted and recovered.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

ipoib_require devlink ethtool jq ss timeout sha256sum
require_tcp_copy

# dl_port_of IF: the devlink port ("vhca/vhca0/1000") whose netdev is IF
dl_port_of()
{
	devlink -j port show 2> /dev/null |
		jq -r --arg n "$1" '.port | to_entries[] |
			select(.value.netdev == $n) | .key' | head -n 1
}

# has_dl_port IF: IF has a devlink port
# shellcheck disable=SC2317 # called through wait_until
has_dl_port()
{
	[ -n "$(dl_port_of "$1")" ]
}

# no_dl_port PORT: devlink port PORT does not exist
# shellcheck disable=SC2317 # called through wait_until
no_dl_port()
{
	! devlink port show "$1" > /dev/null 2>&1
}

# stat_above NS IF REGEX VALUE: ethtool_stat NS IF REGEX exceeds VALUE
# shellcheck disable=SC2317 # called through wait_until
stat_above()
{
	[ "$(ethtool_stat "$1" "$2" "$3")" -gt "$4" ]
}

# dl_port_flavour PORT
dl_port_flavour()
{
	devlink -j port show "$1" 2> /dev/null |
		jq -r '.port[] | .flavour'
}

# reporter_count PORT REPORTER KEY: "error" or "recover" count
reporter_count()
{
	devlink -j health show "$1" reporter "$2" 2> /dev/null |
		jq -r --arg k "$3" '.health[][] | .[$k]'
}

# reporter_state_is PORT REPORTER STATE: healthy or error
# shellcheck disable=SC2317 # called through wait_until
reporter_state_is()
{
	[ "$(devlink -j health show "$1" reporter "$2" 2> /dev/null |
		jq -r '.health[][] | .state')" = "$3" ]
}

# reporter_count_is PORT REPORTER KEY VALUE
# shellcheck disable=SC2317 # called through wait_until
reporter_count_is()
{
	[ "$(reporter_count "$1" "$2" "$3")" = "$4" ]
}

if ! ipoib_start ib_ipoib || ! ipoib_uplinks; then
	echo "1..$num"
	exit 1
fi
C0=$IF0.8001

rc=0
pkey_add_both 0x8001 || rc=1
ip link set dev "$IF0" up || rc=1
ip link add link "$IF0" name "$C0" type ipoib pkey 0x8001 || rc=1
log_result $rc "P_Key child $C0 created"

rc=0
P0='' P1='' PC=''
wait_until 10 has_dl_port "$IF0" || rc=1
wait_until 10 has_dl_port "$C0" || rc=1
P0=$(dl_port_of "$IF0")
P1=$(dl_port_of "$IF1")
PC=$(dl_port_of "$C0")
for p in "$P0" "$P1" "$PC"; do
	[[ "$p" =~ ^vhca/vhca[01]/[0-9]+$ ]] || rc=1
	[ -z "$p" ] || [ "$(dl_port_flavour "$p")" = virtual ] || rc=1
done
[[ "$P0" = vhca/vhca0/* ]] && [[ "$PC" = vhca/vhca0/* ]] &&
	[[ "$P1" = vhca/vhca1/* ]] || rc=1
[ "$P0" != "$PC" ] || rc=1
[ "$rc" -eq 0 ] || devlink port show | sed 's/^/# /'
log_result $rc "devlink ports: $IF0 ${P0:-?}, $IF1 ${P1:-?}, $C0 ${PC:-?}, flavour virtual"

rc=0
for p in "$P0" "$PC"; do
	for r in tx rx; do
		devlink health show "$p" reporter "$r" > /dev/null 2>&1 || rc=1
		[ "$(devlink -j health show "$p" reporter "$r" 2> /dev/null |
			jq -r '.health[][] | .state')" = healthy ] || rc=1
	done
done
[ "$rc" -eq 0 ] || devlink health show | sed 's/^/# /'
log_result $rc "health reporters tx and rx on $P0 and $PC, healthy"

rc=0
out=$(devlink -j health diagnose "$P0" reporter tx 2>&1) || rc=1
for k in netdev sqs uplink tx_meta_storage drops; do
	jq -e --arg k "$k" 'has($k)' <<< "$out" > /dev/null 2>&1 || rc=1
done
jq -e '.sqs | length >= 1' <<< "$out" > /dev/null 2>&1 || rc=1
jq -e '.sqs[0] | has("sqn") and has("pc") and has("cc") and has("timeout")' \
	<<< "$out" > /dev/null 2>&1 || rc=1
[ "$(jq -r '.netdev' <<< "$out" 2> /dev/null)" = "$IF0" ] || rc=1
[ "$(jq -r '.uplink' <<< "$out" 2> /dev/null)" = "$UP0" ] || rc=1
[ "$rc" -eq 0 ] || echo "# $out"
log_result $rc "devlink health diagnose tx: $IF0 on $UP0, every SQ with its indices and counters"

rc=0
out=$(devlink -j health diagnose "$PC" reporter rx 2>&1) || rc=1
[ "$(jq -r '.netdev' <<< "$out" 2> /dev/null)" = "$C0" ] || rc=1
jq -e '.rqs[0] | has("rqn") and has("pc") and has("cc") and has("posted")' \
	<<< "$out" > /dev/null 2>&1 || rc=1
[ "$rc" -eq 0 ] || echo "# $out"
log_result $rc "devlink health diagnose rx of the child $C0: every RQ"

rc=0
for r in tx rx; do
	out=$(devlink -j health dump show "$P0" reporter "$r" 2>&1) || rc=1
	jq -e '(.sqs // .rqs)[0] | has("pc") and has("cc") and has("dbr") and has("cq")' \
		<<< "$out" > /dev/null 2>&1 || rc=1
	[ "$rc" -eq 0 ] || echo "# $r: $out"
	devlink health dump clear "$P0" reporter "$r" 2> /dev/null || true
done
log_result $rc "devlink health dump tx/rx: producer/consumer and CQ indices"

# traffic in namespaces from here; the ports stay in the initial one
rc=0
ipoib_netns datagram || rc=1
random_file "$ipoib_tmp/src" 8

# devlink recovers only a reporter in error (recover on a healthy one
# is a no-op): with auto_recover off, `health test` puts it in error,
# then `health recover` resets the queues
for r in tx rx; do
	rc=0
	devlink health set "$P0" reporter "$r" auto_recover false || rc=1
	e0=$(reporter_count "$P0" "$r" error)
	rec0=$(reporter_count "$P0" "$r" recover)
	q0=$(ethtool_stat - "$UP0" "${r}[0-9]+_recover")
	devlink health test "$P0" reporter "$r" || rc=1
	wait_until 10 reporter_state_is "$P0" "$r" error || rc=1
	devlink health recover "$P0" reporter "$r" || rc=1
	rec1=$(reporter_count "$P0" "$r" recover)
	e1=$(reporter_count "$P0" "$r" error)
	q1=$(ethtool_stat - "$UP0" "${r}[0-9]+_recover")
	[ "$e1" = $((e0 + 1)) ] || rc=1
	[ "$rec1" = $((rec0 + 1)) ] || rc=1
	[ "$q1" -gt "$q0" ] || rc=1
	reporter_state_is "$P0" "$r" healthy || rc=1
	devlink health set "$P0" reporter "$r" auto_recover true || rc=1
	ns_ping "$NS1" "$ADDR2" 56 || rc=1
	tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" ||
		rc=1
	same_file "$ipoib_tmp/src" "$ipoib_tmp/dst" || rc=1
	log_result $rc "$r: health test -> error ($e0 -> $e1), health recover -> healthy ($rec0 -> $rec1), queue resets +$((q1 - q0)), traffic flows"
done

rc=0
e0=$(reporter_count "$P0" tx error)
r0=$(reporter_count "$P0" tx recover)
q0=$(ethtool_stat - "$UP0" "$STAT_TX_RECOVER")
devlink health test "$P0" reporter tx || rc=1
wait_until 10 reporter_count_is "$P0" tx recover $((r0 + 1)) || rc=1
e1=$(reporter_count "$P0" tx error)
r1=$(reporter_count "$P0" tx recover)
q1=$(ethtool_stat - "$UP0" "$STAT_TX_RECOVER")
[ "$e1" = $((e0 + 1)) ] && [ "$r1" = $((r0 + 1)) ] || rc=1
[ "$q1" -gt "$q0" ] || rc=1
reporter_state_is "$P0" tx healthy || rc=1
ns_ping "$NS1" "$ADDR2" 56 || rc=1
log_result $rc "devlink health test tx with auto_recover: error $e0 -> $e1, recovered $r0 -> $r1, SQ resets +$((q1 - q0)), traffic flows"

# pid_gone PID: the process has ended
# shellcheck disable=SC2317 # called through wait_until
pid_gone()
{
	! kill -0 "$1" 2> /dev/null
}

# TX timeout: the model stops taking send WQEs of vhca0
rc=0
stall=$VHCA_DBG/vhca0/sq_stall
if [ -e "$stall" ]; then
	t0=$(ethtool_stat - "$UP0" "$STAT_TX_TIMEOUT")
	v0=$(ethtool_stat - "$UP0" "$STAT_TX_RECOVER")
	knob_set "$stall" 1 0 || rc=1
	# Traffic so the uplink's queue stops (BQL, or the ring filling up:
	# udp_send's socket buffer holds more than the ring) and the watchdog
	# fires. The sender runs in the background: while the SQ is stuck it
	# may block, and whether fq_codel drops its skbs (letting it go on)
	# is a matter of timing.
	udp_send "$NS1" 3000 1400 "$ADDR2" > /dev/null 2>&1 &
	spid=$!
	wait_until 30 stat_above - "$UP0" "$STAT_TX_TIMEOUT" "$t0" || rc=1
	[ "$(try_write "$stall" 0)" = ok ] || rc=1
	# the queue moves again: the sender gets its buffer back and ends
	wait_until 30 pid_gone "$spid" || rc=1
	pid_gone "$spid" || pkill -f 's.sendto' || true
	wait "$spid" 2> /dev/null || true
	wait_until 15 stat_above - "$UP0" "$STAT_TX_RECOVER" "$v0" || rc=1
	t1=$(ethtool_stat - "$UP0" "$STAT_TX_TIMEOUT")
	v1=$(ethtool_stat - "$UP0" "$STAT_TX_RECOVER")
	wait_until 20 ns_ping "$NS1" "$ADDR2" 56 || rc=1
	tcp_copy "$NS1" "$NS2" "$ADDR2" "$ipoib_tmp/src" "$ipoib_tmp/dst" ||
		rc=1
	same_file "$ipoib_tmp/src" "$ipoib_tmp/dst" || rc=1
	echo "# $STAT_TX_TIMEOUT $t0 -> $t1, $STAT_TX_RECOVER $v0 -> $v1"
else
	echo "# $stall missing: the model cannot stall a send queue"
	rc=1
fi
log_result $rc "a stalled SQ: TX timeout counted and recovered, traffic flows"

rc=0
ip netns exec "$NS1" ip link del "$C0" 2> /dev/null || ip link del "$C0" ||
	rc=1
wait_until 10 no_dl_port "$PC" || rc=1
log_result $rc "deleting $C0 removes its devlink port $PC"

ipoib_finish
