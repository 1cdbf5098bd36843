#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build (once) the vhca debug kernel: Debian's linux-source-6.1 with x86_64
# defconfig + debug.config (KASAN, lockdep, kmemleak, DMA-API debug, KUnit,
# and what the suite needs). Prints the directory holding the result:
#   bzImage           the kernel to boot
#   kernelrelease     its version string (6.1.N-vhca-debug)
#   modroot/          INSTALL_MOD_PATH: lib/modules/<kernelrelease>/
#   linux/            the build tree, for `make -C linux M=... modules`
# The cache key is the hash of debug.config and the source package version:
# /var/cache/vhca/debug-kernel/<key>. A finished build is reused; other keys
# are deleted once a new build succeeds. The build log is build.log there.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

here=$VHCA_TOP/tools/testing/vhca-vm
frag=$here/debug.config
tarball=${VHCA_KSRC_TARBALL:-/usr/src/linux-source-6.1.tar.xz}
[ -r "$tarball" ] ||
	{ echo "debug-kernel: $tarball missing; run 'make deps'" >&2; exit 2; }
pkgver=$(dpkg-query -W -f '${Version}' linux-source-6.1 2>/dev/null ||
	 stat -c %Y "$tarball")

top=$(vhca_cache_dir)/debug-kernel
key=$( { cat "$frag"; echo "linux-source-6.1 $pkgver"; } | sha256sum | cut -c1-16)
dir=$top/$key
mkdir -p "$top"

exec 8>"$top/.lock"
flock 8
if [ -f "$dir/done" ]; then
	echo "$dir"
	exit 0
fi

# What building a kernel needs beyond `make deps` (which builds modules).
missing=()
for p in make gcc bc flex bison libelf-dev libssl-dev xz-utils kmod; do
	st=$(dpkg-query -W -f='${db:Status-Abbrev}' "$p" 2>/dev/null || true)
	[ "${st:0:2}" = ii ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	[ "$(id -u)" -eq 0 ] ||
		{ echo "debug-kernel: missing packages: ${missing[*]}" >&2; exit 1; }
	echo "debug-kernel: installing ${missing[*]}" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends "${missing[@]}" </dev/null >&2
fi

log=$dir/build.log
rm -rf "$dir"
mkdir -p "$dir"
start=$(date +%s)
say()
{
	echo "debug-kernel: $*" >&2
	echo "debug-kernel: $*" >>"$log"
}
fail()
{
	say "$*"
	say "last lines of $log:"
	tail -n 30 "$log" >&2
	exit 1
}

say "building $key (linux-source-6.1 $pkgver) in $dir; log: $log"
say "extracting $tarball"
tar -C "$dir" -xf "$tarball" || fail "cannot extract $tarball"
src=$(find "$dir" -mindepth 1 -maxdepth 1 -type d -name 'linux-source-*' | head -n1)
[ -n "$src" ] || fail "no linux-source-* directory in $tarball"
mv "$src" "$dir/linux"
src=$dir/linux

jobs=$(nproc)
mk=(make -C "$src" -j"$jobs" ARCH=x86_64)
say "configuring: defconfig + $frag"
"${mk[@]}" defconfig >>"$log" 2>&1 || fail "make defconfig failed"
(cd "$src" && scripts/kconfig/merge_config.sh -m .config "$frag") >>"$log" 2>&1 ||
	fail "merge_config.sh failed"
"${mk[@]}" olddefconfig >>"$log" 2>&1 || fail "make olddefconfig failed"

# Every option the fragment asks for must be in the final .config as asked:
# Kconfig silently drops what a dependency forbids.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		opt=${line%%=*}
		want=$line
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		want=
		;;
	*) continue ;;
	esac
	got=$(grep -E "^$opt=|^# $opt is not set" "$src/.config" || true)
	if [ -n "$want" ]; then
		[ "$got" = "$want" ] && continue
	else
		# "not set" also holds if the option no longer exists at all.
		case "$got" in "" | "# $opt is not set") continue ;; esac
	fi
	say "config: asked '${line}', got '${got:-<absent>}'"
	bad=1
done <"$frag"
[ $bad -eq 0 ] || fail "debug.config did not stick (see above): fix the fragment"
cp "$src/.config" "$dir/config"

say "building bzImage modules with -j$jobs (12 to 20 min on 2 cores)"
"${mk[@]}" bzImage modules >>"$log" 2>&1 || fail "kernel build failed"
say "installing modules"
"${mk[@]}" modules_install INSTALL_MOD_PATH="$dir/modroot" INSTALL_MOD_STRIP=1 \
	>>"$log" 2>&1 || fail "modules_install failed"
"${mk[@]}" -s kernelrelease >"$dir/kernelrelease"
cp "$src/arch/x86/boot/bzImage" "$dir/bzImage"
rel=$(cat "$dir/kernelrelease")
rm -f "$dir/modroot/lib/modules/$rel/build" "$dir/modroot/lib/modules/$rel/source"

# Objects are not needed to build external modules against the tree; the
# vmlinux (for symbolizing) and the kbuild files are.
find "$src" -name '*.o' ! -path '*/scripts/*' ! -path '*/tools/*' -delete
say "done in $(( $(date +%s) - start ))s: $rel"
touch "$dir/done"

for old in "$top"/*/; do
	old=${old%/}
	[ "$old" = "$dir" ] || rm -rf "$old"
done
echo "$dir"
