#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# `make lint`: checkpatch --strict on every C file, a W=1 + sparse (C=1)
# build of a scratch copy of the tree, and shellcheck on every script.
# Any finding fails.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=common.sh
. "$(dirname "${BASH_SOURCE[0]}")/common.sh"

top=$VHCA_TOP
ksrc=$(vhca_ksrc) || exit 1
kver=$(vhca_kver) || exit 1
kdir=${KDIR:-/lib/modules/$kver/build}
status=0

fail()
{
	echo "lint: $*" >&2
	status=1
}

cd "$top" || exit 1

echo "== checkpatch --strict"
mapfile -t cfiles < <(find drivers include \
	-type f \( -name '*.c' -o -name '*.h' \) ! -name '*.mod.c' -print 2>/dev/null | sort)
bad=0
for f in "${cfiles[@]}"; do
	if ! out=$("$ksrc/scripts/checkpatch.pl" --strict --no-tree --quiet \
		   --show-types -f "$f" 2>&1); then
		echo "$out"
		fail "checkpatch: $f"
		bad=$((bad + 1))
	fi
done
echo "checkpatch: ${#cfiles[@]} files checked, $bad with findings"

echo "== W=1 C=1 build"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
(cd "$top" && find . -path ./.git -prune -o -type f \
	\( -name '*.[ch]' -o -name Makefile -o -name Kbuild -o -name Kconfig \) \
	! -name '*.mod.c' -print | cpio -pdm --quiet "$scratch/tree")
log=$scratch/build.log
# The KUnit test modules are compiled and checked too; Debian's kernel has
# no KUnit to link them against, so modpost only warns (upper-case
# "WARNING: modpost", which the grep below does not take for a finding).
if ! make -C "$kdir" M="$scratch/tree" CONFIG_VHCA_SIM=m CONFIG_VHCA_CORE=m \
	  CONFIG_VHCA_IB=m CONFIG_VHCA_IB_VERBS_TEST=m \
	  CONFIG_VHCA_SIM_KUNIT_TEST=m CONFIG_VHCA_CORE_KUNIT_TEST=m \
	  KBUILD_MODPOST_WARN=1 W=1 C=1 modules >"$log" 2>&1; then
	sed "s|$scratch/tree/||" "$log" | tail -n 30
	fail "W=1 C=1 build failed"
elif grep -E 'warning:|error:' "$log" | sed "s|$scratch/tree/||"; then
	fail "W=1 / sparse findings"
else
	echo "W=1 C=1: $(grep -c '^  CHECK' "$log") files, no findings"
fi

echo "== shellcheck"
mapfile -t scripts < <(find . -path ./.git -prune -o -type f -print | sort |
	while read -r f; do
		case "$f" in
		*.sh) echo "$f" ;;
		*) head -c 64 "$f" 2>/dev/null | head -n1 |
			grep -qE '^#!.*(bash|/sh|busybox sh)' && echo "$f" ;;
		esac
	done)
if shellcheck -x "${scripts[@]}"; then
	echo "shellcheck: ${#scripts[@]} scripts, no findings"
else
	fail "shellcheck"
fi

[ $status -eq 0 ] && echo "lint: clean"
exit $status
