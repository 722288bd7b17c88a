#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-module.sh TARGET [KDIR]: build swaptrack.ko with W=1 for TARGET in
# out/TARGET/mod (a copy of Kbuild, swaptrack/ and include/, so that the
# objects of two kernels never share a tree).  KDIR overrides the target's
# cached header tree and builds in out/kdir/mod instead.  The log is out/TARGET/build.log; exits non-zero if
# the build fails; prints the path of the module otherwise.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: build-module.sh TARGET [KDIR]}"
arch_load "$T_ARCH"
kdir=${2:-}
if [ -z "$kdir" ]; then
	kernel_env
	kdir=$KDIR
fi
[ -f "$kdir/Makefile" ] || die "no kernel header tree at $kdir"

out=$ST_OUT/$T_NAME
[ -n "${2:-}" ] && out=$ST_OUT/kdir
mod=$out/mod
log=$out/build.log
rm -rf "$mod"
mkdir -p "$mod"
for f in Kbuild swaptrack include; do
	[ -e "$ST_ROOT/$f" ] || die "$f missing: nothing to build"
	cp -a "$ST_ROOT/$f" "$mod/"
done

say "$T_NAME: building module against $kdir"
# shellcheck disable=SC2086
ver=$(git -C "$ST_ROOT" describe --always --dirty 2>/dev/null || echo unknown)
make -C "$kdir" M="$mod" W=1 $A_KMAKE ST_VERSION="$ver" -j"$(nproc)" \
	modules >"$log" 2>&1
[ -f "$mod/swaptrack.ko" ] || die "no swaptrack.ko after build"
echo "$mod/swaptrack.ko"
