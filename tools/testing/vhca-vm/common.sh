# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# Shared by the vhca-vm scripts (sourced, not run): where the tree, the
# kernel and the caches are. Nothing here is ever written into the tree.

# Root of the tree this script belongs to, wherever it is checked out.
VHCA_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)

# Everything generated (vmlinux, initramfs, extracted kernel sources, VM job
# directories) lives in one cache directory outside the tree.
vhca_cache_dir()
{
	local dir=${VHCA_CACHE:-}

	if [ -z "$dir" ]; then
		if [ "$(id -u)" -eq 0 ]; then
			dir=/var/cache/vhca
		else
			dir=${XDG_CACHE_HOME:-$HOME/.cache}/vhca
		fi
	fi
	mkdir -p "$dir"
	echo "$dir"
}

# The kernel we build for and boot: never the host's.
vhca_kver()
{
	if [ -n "${KVER:-}" ]; then
		echo "$KVER"
	else
		"$VHCA_TOP/tools/testing/vhca-vm/kver.sh"
	fi
}

# A Linux 6.1 source tree that holds checkpatch and the selftests framework:
# Debian's extracted linux-source-6.1 if present, else the subset deps.sh
# extracted from /usr/src/linux-source-6.1.tar.xz into the cache.
vhca_ksrc()
{
	local d

	for d in ${VHCA_KSRC:-} /usr/src/linux-source-6.1 \
		 "$(vhca_cache_dir)/linux-source-6.1"; do
		if [ -f "$d/scripts/checkpatch.pl" ] &&
		   [ -f "$d/tools/testing/selftests/lib.mk" ]; then
			echo "$d"
			return 0
		fi
	done
	echo "vhca: no linux-source-6.1 found; run 'make deps'" >&2
	return 1
}
