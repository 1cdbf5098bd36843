#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check`: boot the VM once, run every vhca kselftest through the
# kernel's kselftest runner (KTAP on stdout), and end with the line
#   N passed, N failed, N skipped
# Exit status is non-zero on any failure, if no test ran, if the guest
# crashed, or if the kernel log shows a warning, bug or oops.
#
# Arguments are passed to vmrun (check-debug.sh boots another kernel so).
# VHCA_CHECK_GUEST: a command run in the guest after the kselftests; its
#   output joins the KTAP log, where its "ok N"/"not ok N" lines count.
# VHCA_CHECK_TESTS: run only these kselftests (space-separated names).
# VHCA_CHECK_TEST_TIMEOUT: seconds each kselftest may take (default: the
#   tests' settings file, 300).
# VHCA_CHECK_SCAN: a host command run with the job directory as argument
#   after the VM instead of the kernel log scan below; it prints what it
#   finds, and a non-zero exit is a failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

vm=$VHCA_TOP/tools/testing/vhca-vm
tests=$VHCA_TOP/tools/testing/selftests/drivers/net/vhca

# Every *.sh in the tests directory must be in TEST_PROGS or TEST_FILES.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
st=$("$vm/ksft-tree.sh" "$scratch/ksft")
listed=$(make -s --no-print-directory -C "$st/drivers/net/vhca" \
		COLLECTION=vhca emit_tests | sed 's/^vhca://')
# shellcheck disable=SC2016 # make expands it
files=$(make -s --no-print-directory -C "$st/drivers/net/vhca" -f Makefile \
		-f - print-files <<<'print-files: ; @echo $(TEST_FILES)' 2>/dev/null || true)
unlisted=0
for t in "$tests"/*.sh; do
	b=${t##*/}
	if ! grep -qxF "$b" <<<"$listed" && ! grep -qwF "$b" <<<"$files"; then
		echo "check: $b is not in TEST_PROGS of $tests/Makefile" >&2
		unlisted=1
	fi
done
[ $unlisted -eq 0 ] || exit 1

job=$(mktemp -d "$(vhca_cache_dir)/jobs/check.XXXXXX")
vmrc=0
guest="VHCA_KSRC=$(vhca_ksrc) tools/testing/vhca-vm/ksft-run.sh"
if [ -n "${VHCA_CHECK_TESTS:-}" ]; then
	guest="VHCA_KSFT_TESTS='$VHCA_CHECK_TESTS' $guest"
fi
if [ -n "${VHCA_CHECK_TEST_TIMEOUT:-}" ]; then
	guest="VHCA_KSFT_TIMEOUT='$VHCA_CHECK_TEST_TIMEOUT' $guest"
fi
if [ -n "${VHCA_CHECK_GUEST:-}" ]; then
	guest="{ $guest; rc=\$?; $VHCA_CHECK_GUEST || rc=1; exit \$rc; }"
fi
"$vm/vmrun" -t "${VHCA_CHECK_TIMEOUT:-1080}" -o "$job" "$@" \
	"set -o pipefail; $guest 2>&1 | tee \"\$VMRUN_JOB/ktap.log\"" ||
	vmrc=$?

log=$job/ktap.log
[ -f "$log" ] || : >"$log"
passed=$(grep -cE '^ok [0-9]+ ' "$log" || true)
skipped=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log" || true)
failed=$(grep -cE '^not ok [0-9]+ ' "$log" || true)
passed=$((passed - skipped))
planned=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' "$log" | head -n1)
ran=$((passed + skipped + failed))

echo
if [ -n "$planned" ] && [ "$ran" -lt "$planned" ]; then
	echo "check: only $ran of $planned tests reported" >&2
	failed=$((failed + planned - ran))
fi
if [ "$vmrc" -ne 0 ]; then
	echo "check: the VM exited with status $vmrc (console log: $job/console.log)" >&2
	[ "$failed" -gt 0 ] || failed=1
fi
if [ -n "${VHCA_CHECK_SCAN:-}" ]; then
	$VHCA_CHECK_SCAN "$job" || failed=$((failed + 1))
elif [ -s "$job/dmesg.txt" ]; then
	splat='WARNING:|BUG:|Oops|general protection fault|Call Trace:|UBSAN:|KASAN:'
	splat+='|refcount_t:|list_(add|del) corruption|INFO: task .* blocked'
	if grep -qE "$splat" "$job/dmesg.txt"; then
		echo "check: the kernel log has warnings ($job/dmesg.txt):" >&2
		grep -E "$splat" "$job/dmesg.txt" | head -n 20 >&2
		failed=$((failed + 1))
	fi
fi
if [ "$ran" -eq 0 ]; then
	echo "check: no test ran" >&2
fi
# How long each test took, slowest first, from the kernel log's marks.
if [ -s "$job/dmesg.txt" ]; then
	awk '/vhca selftests: / {
		t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t)
		m = $0; sub(/.*vhca selftests: /, "", m)
		if (name != "")
			secs[name] = t - start
		name = (m ~ / starts$/) ? m : ""
		sub(/ starts$/, "", name)
		start = t
	     }
	     END {
		for (n in secs)
			printf "%d %s\n", secs[n] + 0.5, n
	     }' "$job/dmesg.txt" | sort -rn |
		awk '{ s = s (s == "" ? "" : ", ") $2 " " $1 "s" }
		     END { if (s != "") print "check: test times: " s }'
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$ran" -gt 0 ]
