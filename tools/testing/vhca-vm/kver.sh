#!/bin/bash
# Print the newest installed kernel version that has both an image in /boot
# and a build tree, i.e. one we can build modules for and boot in the VM.
set -euo pipefail
best=
for img in /boot/vmlinuz-*; do
	[ -e "$img" ] || continue
	ver=${img#/boot/vmlinuz-}
	[ -d "/lib/modules/$ver/build" ] || continue
	best=$(printf '%s\n%s\n' "$best" "$ver" | sed '/^$/d' | sort -V | tail -n1)
done
[ -n "$best" ] || { echo "kver.sh: no kernel with /boot/vmlinuz-<ver> and /lib/modules/<ver>/build" >&2; exit 1; }
echo "$best"
