#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the vhca KUnit test modules (every *_test.ko installed under
# /lib/modules/KVER/updates/vhca) in the debug kernel, one at a time: load
# it (its suites run at load), collect its KTAP from the kernel log, unload.
# Prints the raw KTAP as "# " diagnostics and one top-level KTAP result per
# test case, "ok N kunit: SUITE: CASE", numbered from FIRST (default 1), so
# check.sh counts them. Runs inside the VM: see check-debug.sh.
set -euo pipefail

n=${1:-1}
kver=${KVER:-$(uname -r)}
[ -d /sys/kernel/debug/kunit ] ||
	{ echo "not ok $n kunit # the kernel has no KUnit (debugfs)"; exit 1; }

# vhca_ib_verbs_test.ko is not a KUnit suite but the module of the
# kselftest ib_verbs_bad.sh (it needs a loaded device): not loaded here
mapfile -t mods < <(find "/lib/modules/$kver/updates/vhca" -name '*_test.ko' \
			 -printf '%f\n' 2>/dev/null | sed 's/\.ko$//' |
			 grep -vx vhca_ib_verbs_test | sort)
if [ ${#mods[@]} -eq 0 ]; then
	echo "# kunit: no *_test.ko module installed"
	exit 0
fi

rc=0
for mod in "${mods[@]}"; do
	mark="vhca-kunit: loading $mod $$"
	echo "$mark" >/dev/kmsg
	if ! out=$(modprobe "$mod" 2>&1); then
		echo "# $out"
		echo "not ok $n kunit: $mod # modprobe failed"
		n=$((n + 1))
		rc=1
		continue
	fi
	ktap=$(dmesg -t | sed -n "\|^$mark\$|,\$p" | tail -n +2)
	modprobe -r "$mod" || { echo "# kunit: cannot unload $mod"; rc=1; }
	printf '%s\n' "$ktap" | sed 's/^/# /'
	# One result per test case (4-space indent); a suite whose cases did
	# not all report, or that failed outside its cases, is a failure too.
	res=$(awk -v n="$n" -v mod="$mod" '
		function endsuite(ok) {
			if (suite == "")
				return
			if (seen < planned) {
				printf "not ok %d kunit: %s: %d of %d results missing\n",
				       n++, suite, planned - seen, planned
			} else if (!ok && !failed) {
				printf "not ok %d kunit: %s # the suite failed\n",
				       n++, suite
			}
			suite = ""
		}
		/^    # Subtest: / {
			endsuite(1)
			suite = substr($0, 16)
			planned = 0; seen = 0; failed = 0; suites++
			next
		}
		suite != "" && /^    1\.\.[0-9]+$/ { planned = substr($0, 8) + 0; next }
		suite != "" && /^    (not )?ok [0-9]+ / {
			line = substr($0, 5)
			bad = (line ~ /^not /)
			sub(/^(not )?ok [0-9]+ (- )?/, "", line)
			printf "%sok %d kunit: %s: %s\n", bad ? "not " : "", n++,
			       suite, line
			seen++
			failed += bad
			next
		}
		suite != "" && /^(not )?ok [0-9]+ / { endsuite($0 !~ /^not /); next }
		END {
			endsuite(0)
			if (!suites)
				printf "not ok %d kunit: %s # no KUnit output\n", n++, mod
		}' <<<"$ktap")
	echo "$res"
	n=$((n + $(grep -c . <<<"$res")))
	! grep -q '^not ok' <<<"$res" || rc=1
done
exit $rc
