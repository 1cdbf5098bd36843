#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make check-debug`: the reliability gate. Builds (once, cached) the debug
# kernel of debug-kernel.sh, builds the vhca modules and their KUnit test
# modules against it in a scratch copy of the tree, boots it in the VM with
# swiotlb=force (256 MB of bounce buffers) and kmemleak, runs every
# kselftest exactly as `make check` does, then the KUnit suites (kunit-run.sh), then a kmemleak scan
# (kmemleak-scan.sh), and fails on any report in the kernel log or any vhca
# leak (debug-scan.sh); then boots again without swiotlb=force for the
# user verbs tests that register memory (skipped in the first boot).
# Ends with the two runs' sum in check.sh's format
#   N passed, N failed, N skipped
# The tree's own build products (for Debian's kernel) are not touched.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

vm=$VHCA_TOP/tools/testing/vhca-vm
start=$(date +%s)

kd=$("$vm/debug-kernel.sh")
rel=$(cat "$kd/kernelrelease")
echo "check-debug: kernel $rel ($kd)"

# Our modules, built from a scratch copy of the sources (as lint.sh does),
# with debug info (-g) so that reports can be resolved to lines
# (scripts/decode_stacktrace.sh, faddr2line). Kept until the next run.
out=$(vhca_cache_dir)/debug-modules
rm -rf "$out"
mkdir -p "$out/tree"
(cd "$VHCA_TOP" && find . -path ./.git -prune -o -type f \
	\( -name '*.[ch]' -o -name Makefile -o -name Kbuild -o -name Kconfig \) \
	! -name '*.mod.c' -print | cpio -pdm --quiet "$out/tree")
# The modules to build: the top Makefile passes its KCONFIG_FLAGS.
read -r -a kconfig <<<"${VHCA_KCONFIG:-CONFIG_VHCA_SIM=m CONFIG_VHCA_CORE=m}"
if ! make -C "$kd/linux" M="$out/tree" "${kconfig[@]}" \
	  KCFLAGS=-g -j"$(nproc)" modules >"$out/build.log" 2>&1; then
	sed "s|$out/tree/||" "$out/build.log" | tail -n 30 >&2
	echo "check-debug: building the modules against $rel failed" >&2
	exit 1
fi
mapfile -t kos < <(cd "$out/tree" && find . -name '*.ko' -printf '%f\n' | sort)
echo "check-debug: built ${kos[*]}"
# Every KUnit source must have ended up in a test module.
if [ -n "$(find "$out/tree/drivers" -name '*_test.c' -print -quit)" ] &&
   [ -z "$(find "$out/tree" -name '*_test.ko' -print -quit)" ]; then
	echo "check-debug: *_test.c sources but no *_test.ko was built" >&2
	exit 1
fi

# The guest runs the KUnit modules and the kmemleak scan after the
# kselftests; KUnit results are numbered on from the kselftests'.
# shellcheck disable=SC2016 # expanded in the guest
guest='tools/testing/vhca-vm/kunit-run.sh $(( $(grep -cE "^(not )?ok [0-9]+ " "$VMRUN_JOB/ktap.log") + 1 )); r=$?'
# shellcheck disable=SC2016
guest+='; tools/testing/vhca-vm/kmemleak-scan.sh "$VMRUN_JOB/kmemleak.txt" || r=1; (exit $r)'

# Run 1: every kselftest with swiotlb=force. The user verbs tests that
# register memory skip there (vhca_ib refuses user MRs when DMA bounces,
# see ib.rst; ib_uverbs_bad.sh checks that refusal instead), so run 2
# boots again without it and runs just those. KASAN and lockdep under TCG
# make the tests about three times slower: each may take 900 s, not 300.
# Not ib_rdma_cm.sh: librdmacm's tools register MRs on small malloc()ed
# buffers that share pages, which DMA-API debug reports (see
# debug-kernel.rst); it skips in run 1 and is not run again.
verbs="ib_perftest.sh ib_perftest_events.sh ib_perftest_lat.sh"
verbs+=" ib_uverbs_bad.sh ib_uverbs_pingpong.sh"
# VHCA_CHECK_TESTS: run 2 takes only the verbs tests named there
if [ -n "${VHCA_CHECK_TESTS:-}" ]; then
	sel=
	for t in $verbs; do
		[[ " $VHCA_CHECK_TESTS " != *" $t "* ]] || sel+=" $t"
	done
	verbs=${sel# }
fi
# shellcheck disable=SC2016 # expanded in the guest
leakscan='tools/testing/vhca-vm/kmemleak-scan.sh "$VMRUN_JOB/kmemleak.txt"'
sum1=$(mktemp)
sum2=$(mktemp)
trap 'rm -f "$sum1" "$sum2"' EXIT
rc=0
VHCA_CHECK_GUEST=$guest VHCA_CHECK_SCAN=$vm/debug-scan.sh \
VHCA_CHECK_TIMEOUT=${VHCA_CHECK_TIMEOUT:-5400} \
VHCA_CHECK_TEST_TIMEOUT=${VHCA_CHECK_TEST_TIMEOUT:-900} \
	"$vm/check.sh" -k "$rel" -B "$kd/bzImage" -M "$kd/modroot" -K "$out/tree" \
	-m "${VHCA_DEBUG_MEM:-3072}" -a "swiotlb=131072,force kmemleak=on" |
	tee "$sum1" || rc=1
if [ -z "$verbs" ]; then
	echo "0 passed, 0 failed, 0 skipped" > "$sum2"
else
	echo "check-debug: run 2, the user verbs tests without swiotlb=force"
	VHCA_CHECK_TESTS=$verbs VHCA_CHECK_GUEST=$leakscan \
	VHCA_CHECK_SCAN=$vm/debug-scan.sh \
	VHCA_CHECK_TIMEOUT=${VHCA_CHECK_TIMEOUT:-5400} \
	VHCA_CHECK_TEST_TIMEOUT=${VHCA_CHECK_TEST_TIMEOUT:-900} \
		"$vm/check.sh" -k "$rel" -B "$kd/bzImage" -M "$kd/modroot" \
		-K "$out/tree" -m "${VHCA_DEBUG_MEM:-3072}" -a "kmemleak=on" |
		tee "$sum2" || rc=1
fi

# one summary: run 2's tests count there, not as skipped in run 1
# (ib_uverbs_bad.sh runs in both: run 1 checks the user-MR refusal)
read -r p1 f1 s1 < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$sum1" | tail -n1)
read -r p2 f2 s2 < <(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed, \([0-9]*\) skipped$/\1 \2 \3/p' "$sum2" | tail -n1)
n2=0
[ -z "$verbs" ] ||
	n2=$(grep -cE "^ok [0-9]+ selftests: drivers/net/vhca: (${verbs// /|}) # SKIP" "$sum1" || true)
skipped=$(( ${s1:-0} + ${s2:-0} - n2 ))
[ "$skipped" -ge 0 ] || skipped=0
echo "check-debug: $(( $(date +%s) - start ))s"
echo "$(( ${p1:-0} + ${p2:-0} )) passed, $(( ${f1:-1} + ${f2:-1} )) failed, $skipped skipped"
exit $rc
