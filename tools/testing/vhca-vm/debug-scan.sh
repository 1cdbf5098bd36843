#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Scan the logs of a `make check-debug` VM job for what the debug kernel
# reports: KASAN, lockdep, sleeping in atomic context, DMA-API debug,
# debugobjects, WARN, BUG, Oops, and kmemleak leaks whose allocation
# backtrace is in vhca. Prints each report in full and exits 1 if any.
#   debug-scan.sh JOBDIR     (reads dmesg.txt, else console.log; kmemleak.txt)
#   debug-scan.sh -l LOG [-k KMEMLEAK]   (any log file, e.g. to test it)
set -euo pipefail

usage()
{
	echo "usage: $0 JOBDIR | -l LOG [-k KMEMLEAK]" >&2
	exit 2
}

log=
leaks=
while getopts "l:k:h" opt; do
	case "$opt" in
	l) log=$OPTARG ;;
	k) leaks=$OPTARG ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
if [ -z "$log" ]; then
	[ $# -eq 1 ] || usage
	job=$1
	# dmesg.txt is complete but missing if the guest died; then the
	# console has what was printed at the console log level.
	log=$job/dmesg.txt
	[ -s "$log" ] || log=$job/console.log
	[ -e "$job/kmemleak.txt" ] && leaks=$job/kmemleak.txt
else
	[ $# -eq 0 ] || usage
fi
[ -r "$log" ] || { echo "debug-scan: no kernel log $log" >&2; exit 1; }

found=0

# Kernel log: a report starts at a line matching $start and runs to its end
# marker ("---[ end trace", KASAN's closing "====" rule), to the next report
# after its stack, or 100 lines.
start='BUG: |WARNING: |KASAN:|UBSAN:|Oops|general protection fault'
start+='|kernel BUG at|possible circular locking|inconsistent lock state'
start+='|possible recursive locking|suspicious RCU usage|bad unlock balance'
start+='|DMA-API: |ODEBUG: |refcount_t: |list_(add|del) corruption'
start+='|INFO: task .* blocked|Call Trace:|kmemleak: .*(disabl|[Ff]ail|empty)'
# A checker that turned itself off checks nothing from then on.
start+='|turning off the locking correctness validator|debugging out of memory'
# Informational lines of the checkers.
benign='DMA-API: (preallocated [0-9]+ debug entries|debugging enabled by kernel config'
benign+='|dma_debug_entry pool grown)'
reports=$(sed 's/\r$//' "$log" | awk -v start="$start" -v benign="$benign" '
	function body(s) { sub(/^(<[0-9]+>)?(\[ *[0-9.]+\] )?/, "", s); return s }
	function endrep() { inrep = 0; print "" }
	{ b = body($0) }
	# The stack fault injection dumps on purpose, up to its </TASK>.
	b ~ /^FAULT_INJECTION: forcing a failure/ { fi_left = 60 }
	fi_left > 0 {
		fi_left--
		if (b ~ /^ *<\/TASK>/)
			fi_left = 0
		if (inrep)
			endrep()
		prev = b; prevline = $0
		next
	}
	inrep {
		# A report ends at its marker; after its stack (</TASK>) a new
		# report may begin (KASAN runs to its closing rule).
		if (!kasan && tasked && b ~ start && b !~ benign) {
			endrep()
		} else {
			print
			n++
			if (b ~ /^ *<\/TASK>/)
				tasked = 1
			if (b ~ /^---\[ end trace/ || (kasan && b ~ /^=+$/) || n >= 100)
				endrep()
			prev = b; prevline = $0
			next
		}
	}
	b ~ start && b !~ benign {
		# Lockdep and KASAN open with a rule line; keep it.
		if (prev ~ /^=+$/)
			print prevline
		print
		inrep = 1
		n = 1
		tasked = 0
		kasan = (b ~ /KASAN/)
		count++
	}
	{ prev = b; prevline = $0 }
	END { if (inrep) print ""; exit count > 0 }
') || true
if [ -n "$reports" ]; then
	echo "check-debug: the kernel reported problems ($log):" >&2
	echo "$reports" >&2
	found=1
fi

# kmemleak: one block per "unreferenced object"; a leak is ours if its
# allocation backtrace names a vhca symbol or module. Leaks of unloaded
# modules have bare addresses: they are listed but not counted.
if [ -n "$leaks" ]; then
	if [ ! -r "$leaks" ]; then
		echo "check-debug: kmemleak result $leaks missing" >&2
		found=1
	else
		ours=$(awk '
			function flush() {
				if (blk == "")
					return
				if (bt ~ /vhca/)
					mine = mine blk "\n"
				else if (bt ~ /\] 0x[0-9a-f]+\n/)
					unknown++
				blk = ""
				bt = ""
			}
			/^unreferenced object/ { flush() }
			{ blk = blk $0 "\n" }
			/^ *backtrace:/ { inbt = 1; next }
			/^unreferenced object/ { inbt = 0 }
			inbt { bt = bt $0 "\n" }
			END {
				flush()
				printf "%s", mine
				if (unknown)
					printf "# %d leak(s) with unresolved backtraces " \
					       "(unloaded module?) not counted\n", unknown
			}' "$leaks")
		total=$(grep -c '^unreferenced object' "$leaks" || true)
		if grep -q '^unreferenced object' <<<"$ours"; then
			echo "check-debug: kmemleak: leaks allocated by vhca ($leaks):" >&2
			echo "$ours" >&2
			found=1
		else
			echo "# kmemleak: $total suspected leak(s), none in vhca" \
			     "($leaks)"
			[ -z "$ours" ] || echo "$ours"
		fi
	fi
fi
exit $found
