#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Build the vmrun initramfs for kernel KVER into OUT (gzip'd newc cpio):
# static busybox, init.sh as /init, stage2.sh, and the modules needed to
# mount the host root (virtio-pci, 9p, overlay, configfs) from
# /lib/modules/KVER (or MODDIR), in dependency order; those built into the
# kernel are skipped. Nothing is loaded on the host.
set -euo pipefail

[ $# -eq 2 ] || [ $# -eq 3 ] ||
	{ echo "usage: $0 KVER OUT [MODDIR]" >&2; exit 2; }
kver=$1
out=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
moddir=${3:-/lib/modules/$kver}
WANT=(virtio_pci 9pnet_virtio 9p overlay configfs)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bin" "$tmp/lib/modules"

declare -A path deps seen
while IFS= read -r line; do
	mod=${line%%:*}
	name=${mod##*/}
	name=${name%%.ko*}
	name=${name//-/_}
	path[$name]=$mod
	deps[$name]=${line#*:}
done <"$moddir/modules.dep"

order=()
add()
{
	local name=$1 d dn

	[ -z "${seen[$name]:-}" ] || return 0
	seen[$name]=1
	for d in ${deps[$name]}; do
		dn=${d##*/}
		dn=${dn%%.ko*}
		add "${dn//-/_}"
	done
	order+=("$name")
}

for m in "${WANT[@]}"; do
	if [ -z "${path[$m]:-}" ]; then
		# Built in: nothing to load.
		grep -q "/$m.ko" "$moddir/modules.builtin" ||
			{ echo "mkinitramfs: no module $m for $kver" >&2; exit 1; }
		continue
	fi
	add "$m"
done

: >"$tmp/lib/modules/load.order"
for m in "${order[@]}"; do
	src=$moddir/${path[$m]}
	case "$src" in
	*.ko.xz) xz -dc "$src" >"$tmp/lib/modules/$m.ko" ;;
	*.ko.gz) gzip -dc "$src" >"$tmp/lib/modules/$m.ko" ;;
	*.ko.zst) zstd -qdc "$src" >"$tmp/lib/modules/$m.ko" ;;
	*) cp "$src" "$tmp/lib/modules/$m.ko" ;;
	esac
	echo "$m" >>"$tmp/lib/modules/load.order"
done

cp /bin/busybox "$tmp/bin/busybox"
install -m 0755 "$here/init.sh" "$tmp/init"
install -m 0755 "$here/stage2.sh" "$tmp/stage2.sh"

(cd "$tmp" && find . -print0 | cpio --null -o -H newc --quiet -R 0:0) |
	gzip -1 >"$out.tmp"
mv "$out.tmp" "$out"
