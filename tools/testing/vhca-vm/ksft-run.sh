#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the vhca kselftests through the kernel's own kselftest runner; KTAP on
# stdout. Runs inside the VM (it loads modules): see check.sh.
# VHCA_KSFT_TESTS: run only these tests (space-separated names).
# VHCA_KSFT_TIMEOUT: seconds each test may take, instead of the tests'
#   own "settings" (the debug kernel needs more).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

st=$("$VHCA_TOP/tools/testing/vhca-vm/ksft-tree.sh" "${TMPDIR:-/tmp}/vhca-ksft")
if [ -n "${VHCA_KSFT_TIMEOUT:-}" ]; then
	sed -i "s/^timeout=.*/timeout=$VHCA_KSFT_TIMEOUT/" \
		"$st/drivers/net/vhca/settings"
fi
if [ -n "${VHCA_KSFT_TESTS:-}" ]; then
	make -s --no-print-directory -C "$st" TARGETS=drivers/net/vhca \
		TEST_PROGS="$VHCA_KSFT_TESTS" run_tests
else
	make -s --no-print-directory -C "$st" TARGETS=drivers/net/vhca run_tests
fi
