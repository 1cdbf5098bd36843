#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Assemble a minimal kselftest tree in DEST (outside git): the framework
# (Makefile, lib.mk, kselftest/, net/forwarding/lib.sh, ...) from Debian's
# linux-source-6.1 plus a copy of our tests, laid out as in a kernel tree, so
#   make -C DEST/tools/testing/selftests TARGETS=drivers/net/vhca run_tests
# works. Prints DEST/tools/testing/selftests.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

[ $# -eq 1 ] || { echo "usage: $0 DEST" >&2; exit 2; }
dest=$1
src=$(vhca_ksrc)
st=$dest/tools/testing/selftests

rm -rf "$dest"
mkdir -p "$dest/scripts" "$st/net/forwarding" "$st/drivers/net"
cp "$src/scripts/subarch.include" "$dest/scripts/"
cp -r "$src/tools/testing/selftests/kselftest" "$st/"
for f in Makefile lib.mk kselftest.h kselftest_harness.h; do
	cp "$src/tools/testing/selftests/$f" "$st/"
done
cp "$src/tools/testing/selftests/net/forwarding/lib.sh" "$st/net/forwarding/"
# A copy, not a symlink: lib.mk and runner.sh locate files by real path.
cp -r --preserve=timestamps "$VHCA_TOP/tools/testing/selftests/drivers/net/vhca" \
	"$st/drivers/net/"
# What the userspace verbs tests use, where a kernel tree has it: the uapi
# header of uverbs_bad.c and the rdma-core provider build (tools/lib/vhca).
mkdir -p "$dest/include/uapi/rdma" "$dest/tools/lib/vhca"
cp "$VHCA_TOP/include/uapi/rdma/vhca-abi.h" "$dest/include/uapi/rdma/"
for f in libvhca-rdmav34.so vhca.driver; do
	[ ! -f "$VHCA_TOP/tools/lib/vhca/$f" ] ||
		cp "$VHCA_TOP/tools/lib/vhca/$f" "$dest/tools/lib/vhca/"
done
echo "$st"
