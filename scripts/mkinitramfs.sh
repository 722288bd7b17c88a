#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh TARGET: pack out/TARGET/initramfs.cpio.gz from a static
# busybox, scripts/vm-init.sh as /init, out/TARGET/mod/swaptrack.ko,
# out/TARGET/tests/* as /tests/* and scripts/demo.sh as /demo.sh.
# $ST_MODPARAMS, if set, is passed to insmod.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: mkinitramfs.sh TARGET}"
arch_load "$T_ARCH"

out=$ST_OUT/$T_NAME
stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,etc,proc,sys,tmp,tests}

cp "$(arch_busybox)" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$ST_ROOT/scripts/vm-init.sh" "$stage/init"
install -m 0755 "$ST_ROOT/scripts/demo.sh" "$stage/demo.sh"
cp "$out/mod/swaptrack.ko" "$stage/"
echo "${ST_MODPARAMS:-}" >"$stage/etc/swaptrack.params"
if [ -d "$out/tests" ]; then
	find "$out/tests" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$stage/tests/" \;
fi

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$out/initramfs.cpio.gz"
