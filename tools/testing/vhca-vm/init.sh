#!/bin/busybox sh
# shellcheck shell=dash
# SPDX-License-Identifier: GPL-2.0
# vmrun stage 1: /init of the initramfs (busybox only). Loads the 9p and
# overlay modules, puts a tmpfs-backed overlay over the read-only host root
# and switches to it; stage2.sh does the rest.

/bin/busybox mkdir -p /proc /sys /dev /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
mount -t proc proc /proc
mount -t sysfs sysfs /sys

die()
{
	echo "vmrun-init: $*"
	poweroff -f
}

while read -r m; do
	insmod "/lib/modules/$m.ko" || die "insmod $m failed"
done </lib/modules/load.order

msize=512000
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	vmrun.msize=*) msize=${arg#vmrun.msize=} ;;
	esac
done

mkdir -p /lower /rw /newroot
mount -t tmpfs -o mode=0755 tmpfs /rw
mkdir -p /rw/upper /rw/work
i=0
until mount -t 9p -o trans=virtio,version=9p2000.L,msize="$msize",cache=loose,ro \
	hostroot /lower 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || die "cannot mount the host root over 9p"
	usleep 100000
done
mount -t overlay overlay \
	-o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work /newroot ||
	die "cannot mount the root overlay"

mount -t tmpfs -o mode=0755 tmpfs /newroot/run
mkdir -p /newroot/run/vmrun/hostroot
cp /bin/busybox /stage2.sh /newroot/run/vmrun/
mount --move /lower /newroot/run/vmrun/hostroot
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /run/vmrun/busybox sh /run/vmrun/stage2.sh
