#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# End of a `make check-debug` run, inside the VM: have kmemleak scan (twice,
# as an object must stay unreferenced over two scans older than 5 s to be
# reported) and save its report to OUT; debug-scan.sh reads it on the host.
# The driver is loaded again first so that the backtraces of objects leaked
# by an earlier (unloaded) instance resolve to vhca symbols.
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: $0 OUT" >&2; exit 2; }
out=$1
kl=/sys/kernel/debug/kmemleak
if [ ! -w "$kl" ]; then
	echo "not ok 1 kmemleak # $kl missing: kmemleak is off"
	exit 1
fi

loaded=0
if modprobe vhca_core 2>/dev/null; then
	loaded=1
fi
for i in 1 2; do
	sleep 6
	echo scan >"$kl"
	echo "# kmemleak: scan $i done"
done
cat "$kl" >"$out"
if [ $loaded -eq 1 ]; then
	modprobe -r vhca_core vhca_sim
fi
echo "# kmemleak: $(grep -c '^unreferenced object' "$out" || true) suspected leak(s)"
