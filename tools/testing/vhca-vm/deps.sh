#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install what building, linting and testing vhca needs, on a fresh Debian 12
# machine; quiet and quick when everything is already there.
#
# Also extracts the few paths of the kernel source we use (checkpatch and the
# kselftest framework) from Debian's linux-source-6.1 tarball into the cache
# when the source is not already extracted in /usr/src.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR

# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PKGS=(
	# build
	make gcc bc flex bison libelf-dev linux-image-amd64 linux-headers-amd64
	# the rdma-core provider (tools/lib/vhca) and its test programs
	libibverbs-dev
	# lint
	linux-source-6.1 sparse shellcheck perl
	# VM
	qemu-system-x86 busybox-static kmod cpio gzip xz-utils python3
	# tests and demo
	iproute2 rdma-core ibverbs-utils infiniband-diags perftest iperf3
	rdmacm-utils
	ethtool jq netsniff-ng rsync coreutils procps
	# IPoIB tests and bench: ping, TCP file transfer
	iputils-ping socat
)

missing=()
for p in "${PKGS[@]}"; do
	case "$p" in \#*) continue ;; esac
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${st:0:2}" = ii ] || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "deps.sh: missing packages: ${missing[*]}; run as root" >&2
		exit 1
	fi
	echo "deps.sh: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
fi

# The kernel source subset.
SRC_PATHS=(
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	scripts/subarch.include
	tools/testing/selftests/Makefile
	tools/testing/selftests/lib.mk
	tools/testing/selftests/kselftest
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/net/forwarding/lib.sh
)
if ! vhca_ksrc >/dev/null 2>&1; then
	tarball=/usr/src/linux-source-6.1.tar.xz
	dest=$(vhca_cache_dir)
	[ -f "$tarball" ] || { echo "deps.sh: $tarball missing" >&2; exit 1; }
	echo "deps.sh: extracting checkpatch and kselftest from $tarball"
	rm -rf "$dest/linux-source-6.1.tmp"
	mkdir -p "$dest/linux-source-6.1.tmp"
	tar -xJf "$tarball" -C "$dest/linux-source-6.1.tmp" \
		"${SRC_PATHS[@]/#/linux-source-6.1/}"
	rm -rf "$dest/linux-source-6.1"
	mv "$dest/linux-source-6.1.tmp/linux-source-6.1" "$dest/linux-source-6.1"
	rmdir "$dest/linux-source-6.1.tmp"
	vhca_ksrc >/dev/null
fi

# The kernel we build for must exist with its headers.
vhca_kver >/dev/null
