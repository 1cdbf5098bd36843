#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# vmrun stage 2: PID 1 on the overlay root. Mounts the pseudo filesystems,
# the tree and the job directory (read-write 9p, same paths as on the host),
# installs the tree's modules, runs the job's command and reports its exit
# status in the job directory. Uses static busybox applets only where speed
# matters (exec of dynamic host binaries over 9p is slow under TCG).

BB=/run/vmrun/busybox
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM="${TERM:-linux}" LANG=C.UTF-8 SHELL=/bin/bash

halt()
{
	$BB sync
	$BB poweroff -f
	$BB sleep 10
}

die()
{
	echo "vmrun-stage2: $*"
	halt
}

job=
debug=0
msize=512000
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in
	vmrun.job=*) job=${arg#vmrun.job=} ;;
	vmrun.msize=*) msize=${arg#vmrun.msize=} ;;
	vmrun.debug=1) debug=1 ;;
	esac
done

# vmrun.debug=1 prints the guest uptime at each step.
step()
{
	[ $debug -eq 0 ] || echo "vmrun: $($BB cut -d' ' -f1 /proc/uptime) $*"
}

step stage2
[ -n "$job" ] || die "no vmrun.job= on the kernel command line"

mnt9p()
{
	$BB mount -t 9p -o "trans=virtio,version=9p2000.L,msize=$msize,cache=none" \
		"$1" "$2" || die "cannot mount 9p $1 on $2"
}

$BB mkdir -p /dev/pts /dev/shm
$BB mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
$BB mount -t tmpfs -o mode=1777 tmpfs /dev/shm
$BB ln -sf /proc/self/fd /dev/fd
$BB ln -sf /proc/self/fd/0 /dev/stdin
$BB ln -sf /proc/self/fd/1 /dev/stdout
$BB ln -sf /proc/self/fd/2 /dev/stderr
$BB mount -t debugfs debugfs /sys/kernel/debug
$BB mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
$BB mount -t configfs configfs /sys/kernel/config
$BB mount -t bpf bpf /sys/fs/bpf 2>/dev/null
$BB mount -t tmpfs -o mode=1777 tmpfs /tmp

$BB mkdir -p "$job"
mnt9p job "$job"
# shellcheck disable=SC1091
. "$job/env" || die "no $job/env"
$BB mkdir -p "$VMRUN_TREE"
mnt9p tree "$VMRUN_TREE"

$BB hostname vhca-vm
$BB ip link set lo up

step mounted
mods=$job/modroot/lib/modules/$VMRUN_KVER
if [ ! -e "/lib/modules/$VMRUN_KVER" ] && [ -d "$mods" ]; then
	# A kernel the host root has no modules for (vmrun -M): install the
	# whole staged tree; its symlinks point into the host root.
	$BB mkdir -p "/lib/modules/$VMRUN_KVER"
	$BB cp -a "$mods"/. "/lib/modules/$VMRUN_KVER/" ||
		die "cannot install the module tree"
elif [ -d "$mods/updates/vhca" ]; then
	$BB mkdir -p "/lib/modules/$VMRUN_KVER/updates"
	$BB cp -r "$mods/updates/vhca" "/lib/modules/$VMRUN_KVER/updates/" ||
		die "cannot install the tree's modules"
	$BB cp "$mods"/modules.* "/lib/modules/$VMRUN_KVER/" ||
		die "cannot install modules.dep"
fi
step modules installed
export VMRUN_JOB="$job" KVER="$VMRUN_KVER"
cd "$VMRUN_TREE" || die "cannot cd to $VMRUN_TREE"
if [ "$VMRUN_INTERACTIVE" = 1 ]; then
	$BB setsid $BB cttyhack /bin/bash -l
	rc=$?
else
	start=$($BB date +%s)
	/usr/bin/timeout -k 5 "$VMRUN_TIMEOUT" /bin/bash "$job/cmd.sh" </dev/null
	rc=$?
	end=$($BB date +%s)
	# timeout(1) returns 124, or 137 when the command needed a SIGKILL.
	if [ $rc -eq 137 ] && [ $((end - start)) -ge "$VMRUN_TIMEOUT" ]; then
		rc=124
	fi
	[ $rc -ne 124 ] || echo "vmrun: command timed out after ${VMRUN_TIMEOUT}s"
fi
step command finished
$BB dmesg >"$job/dmesg.txt"
echo "$rc" >"$job/status"
halt
