#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run the vhca kselftests through the kernel's own kselftest runner; KTAP on
# stdout. Runs inside the VM (it loads modules): see check.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

st=$("$VHCA_TOP/tools/testing/vhca-vm/ksft-tree.sh" "${TMPDIR:-/tmp}/vhca-ksft")
make -s --no-print-directory -C "$st" TARGETS=drivers/net/vhca run_tests
