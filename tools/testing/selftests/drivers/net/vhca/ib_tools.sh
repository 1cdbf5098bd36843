#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Stock InfiniBand diagnostics see the emulated fabric: ibstat and ibstatus
# show both ports Active/LinkUp; from vhca0's port, smpquery nodeinfo and
# portinfo reach each port's SMA by LID, saquery -p gets path records from
# the SA, perfquery reads PortCounters from the PMA. SMPs the SMA cannot
# answer (SwitchInfo on a CA, PortInfo of a port that does not exist) get
# an error status: the tool fails cleanly, and the HCAs keep answering.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=vhca_lib.sh
source "$(dirname "$(readlink -f "$0")")/vhca_lib.sh"

# a LID as saquery may print it: decimal, or hex with 0x
lid_re()
{
	printf '(%d|0x0*%x)' "$1" "$1"
}

# field $2 of a libibmad dump ("Name:......value") in $1
mad_field()
{
	sed -n "s/^$2:\.*\(.*\)$/\1/p" <<< "$1" | head -n 1
}

# node_guid IBDEV: the node GUID as libibmad prints it (0x + 16 digits)
node_guid()
{
	echo "0x$(tr -d ':' < "$IB_CLASS/$1/node_guid")"
}

# diag TOOL ARGS...: run an infiniband-diags tool from vhca0's port 1
diag()
{
	local tool=$1

	shift
	timeout 30 "$tool" -C "$IB0" -P 1 "$@" 2>&1
}

# bad_smp DESCRIPTION SMPQUERY-ARGS...: smpquery fails because the SMP came
# back with an error status (-e shows it), not because of a timeout
bad_smp()
{
	local desc=$1 st=0 out rc=0

	shift
	out=$(diag smpquery -e "$@") || st=$?
	# 255: the tool's error exit; 124: timeout; >= 128: it crashed
	[ "$st" -ne 0 ] && [ "$st" -ne 124 ] || rc=1
	[ "$st" -lt 128 ] || [ "$st" -eq 255 ] || rc=1
	grep -q 'MAD completed with error status' <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "# exit $st: ${out//$'\n'/$'\n'# }"
	log_result $rc "$desc: error status, smpquery fails cleanly (exit $st)"
}

ipoib_require ibstat ibstatus smpquery saquery perfquery timeout
if ! modinfo ib_umad > /dev/null 2>&1; then
	echo "# SKIP: ib_umad not available"
	exit "$KSFT_SKIP"
fi
if ! ipoib_start ib_umad; then
	echo "1..$num"
	exit 1
fi

rc=0
for ib in "$IB0" "$IB1"; do
	out=$(ibstat "$ib" 1 2>&1) || rc=1
	grep -q 'State: Active' <<< "$out" || rc=1
	grep -q 'Physical state: LinkUp' <<< "$out" || rc=1
	grep -q "Base lid: $(ib_lid "$ib")\$" <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
done
log_result $rc "ibstat: both ports Active, LinkUp, with their LIDs"

rc=0
for ib in "$IB0" "$IB1"; do
	out=$(ibstatus "$ib:1" 2>&1) || rc=1
	grep -q 'state:.*4: ACTIVE' <<< "$out" || rc=1
	grep -q 'phys state:.*5: LinkUp' <<< "$out" || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
done
log_result $rc "ibstatus: both ports 4: ACTIVE, 5: LinkUp"

for pair in "$IB0 $LID0" "$IB1 $LID1"; do
	read -r ib lid <<< "$pair"
	rc=0
	out=$(diag smpquery nodeinfo "$lid") || rc=1
	[ "$(mad_field "$out" NodeType)" = "Channel Adapter" ] || rc=1
	[ "$(mad_field "$out" NumPorts)" = 1 ] || rc=1
	[ "$(mad_field "$out" Guid)" = "$(node_guid "$ib")" ] || rc=1
	[ "$(mad_field "$out" LocalPort)" = 1 ] || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
	log_result $rc "smpquery nodeinfo $lid ($ib): CA, 1 port, its node GUID"

	rc=0
	out=$(diag smpquery portinfo "$lid") || rc=1
	[ "$(mad_field "$out" Lid)" = "$lid" ] || rc=1
	[ "$(mad_field "$out" SMLid)" = 1 ] || rc=1
	[ "$(mad_field "$out" LinkState)" = Active ] || rc=1
	[ "$(mad_field "$out" PhysLinkState)" = LinkUp ] || rc=1
	[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
	log_result $rc "smpquery portinfo $lid ($ib): its LID, SM LID 1, Active, LinkUp"
done

rc=0
out=$(diag saquery -p) || rc=1
n=$(grep -c 'PathRecord dump' <<< "$out" || true)
[ "$n" -ge 2 ] || rc=1
for lid in "$LID0" "$LID1"; do
	grep -qiE "^[[:space:]]*dlid\.+$(lid_re "$lid")[[:space:]]*\$" \
		<<< "$out" || rc=1
done
[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
log_result $rc "saquery -p: $n path records, to both LIDs"

rc=0
out=$(diag saquery -p --src-to-dst "$LID0:$LID1") || rc=1
grep -qiE "^[[:space:]]*slid\.+$(lid_re "$LID0")[[:space:]]*\$" \
	<<< "$out" || rc=1
grep -qiE "^[[:space:]]*dlid\.+$(lid_re "$LID1")[[:space:]]*\$" \
	<<< "$out" || rc=1
[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
log_result $rc "saquery -p --src-to-dst $LID0:$LID1: the path record between them"

rc=0
xmit=''
out=$(diag perfquery) || rc=1
xmit=$(mad_field "$out" PortXmitPkts)
[ -n "$xmit" ] && [ "$xmit" -gt 0 ] || rc=1
[ "$(mad_field "$out" PortXmitData)" -gt 0 ] 2> /dev/null || rc=1
out1=$(diag perfquery "$LID1" 1) || rc=1
[ "$(mad_field "$out1" PortRcvPkts)" -gt 0 ] 2> /dev/null || rc=1
[ "$rc" -eq 0 ] || echo "${out//$'\n'/$'\n'# }"
log_result $rc "perfquery: PortCounters of vhca0 (PortXmitPkts ${xmit:-?}) and of LID $LID1 non-zero"

# --- SMPs the SMA must refuse ---
bad_smp "smpquery switchinfo on a CA (LID $LID1)" switchinfo "$LID1"
bad_smp "smpquery switchinfo on the local CA (directed route 0)" \
	-D switchinfo 0
bad_smp "smpquery portinfo of port 9 of a 1-port CA (LID $LID1)" \
	portinfo "$LID1" 9

rc=0
out=$(diag smpquery nodeinfo "$LID1") || rc=1
[ "$(mad_field "$out" Guid)" = "$(node_guid "$IB1")" ] || rc=1
out=$(diag smpquery -D nodeinfo 0) || rc=1
[ "$(mad_field "$out" Guid)" = "$(node_guid "$IB0")" ] || rc=1
ib_port_is "$IB0" ACTIVE || rc=1
ib_port_is "$IB1" ACTIVE || rc=1
log_result $rc "after the bad SMPs both HCAs still answer nodeinfo, ports ACTIVE"

ipoib_finish
