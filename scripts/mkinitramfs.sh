#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh TARGET: pack out/TARGET/initramfs.cpio.gz from a static
# busybox, scripts/vm-init.sh as /init, out/TARGET/mod/swaptrack.ko,
# out/TARGET/tests/* as /tests/* and scripts/demo.sh as /demo.sh, and the
# target kernel's zram with its dependencies as /lib/modules/*.ko (loaded in
# the order of /etc/modules), for real swap in the VM.
# $ST_MODPARAMS, if set, is passed to insmod.  $ST_TESTS, if set, names the
# only selftest programs to pack (for iterating on a few; make check packs all).
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: mkinitramfs.sh TARGET}"
arch_load "$T_ARCH"
kernel_env

out=$ST_OUT/$T_NAME
stage=$out/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,dev,etc,proc,sys,tmp,tests,scenarios}

cp "$(arch_busybox)" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
install -m 0755 "$ST_ROOT/scripts/vm-init.sh" "$stage/init"
install -m 0755 "$ST_ROOT/scripts/demo.sh" "$stage/demo.sh"
install -m 0755 "$ST_ROOT/scripts/stctl" "$stage/bin/stctl"
cp "$out/mod/swaptrack.ko" "$stage/"
echo "${ST_MODPARAMS:-}" >"$stage/etc/swaptrack.params"
# make bench's knobs, as the environment of /bench
echo "BENCH_MAX=${BENCH_MAX:-} BENCH_RUNS=${BENCH_RUNS:-}" >"$stage/etc/bench.env"
# The explorer's scenarios (selftests/explore.c reads /scenarios/*.txt).
cp "$ST_ROOT"/selftests/scenarios/*.txt "$stage/scenarios/" 2>/dev/null || true
if [ -n "${ST_TESTS:-}" ]; then
	for p in $ST_TESTS; do
		cp "$out/tests/$p" "$stage/tests/" || die "no selftest '$p'"
	done
elif [ -d "$out/tests" ]; then
	find "$out/tests" -maxdepth 1 -type f -perm -u+x \
		-exec cp {} "$stage/tests/" \;
fi

# add_module NAME: the kernel's module NAME into the image, after what it
# depends on.  Debian's image package ships no modules.dep (depmod makes it
# on install): modinfo reads the same "depends" from each module.  busybox
# insmod takes no .ko.xz: they go in decompressed.
add_module()
{
	local name=$1 f dep

	grep -qx "$name" "$stage/etc/modules" && return 0
	f=$(find "$MODDIR/kernel" \( -name "$name.ko" -o -name "$name.ko.xz" \
		-o -name "${name//_/-}.ko" -o -name "${name//_/-}.ko.xz" \) | head -1)
	[ -n "$f" ] || die "no module $name under $MODDIR/kernel"
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do
		add_module "$dep"
	done
	case "$f" in
	*.xz)	xz -dc "$f" >"$stage/lib/modules/$name.ko" ;;
	*)	cp "$f" "$stage/lib/modules/$name.ko" ;;
	esac
	echo "$name" >>"$stage/etc/modules"
}

# make bench: the benchmark program (scripts/bench.sh), no selftests.
[ -f "$out/bench/bench" ] && install -m 0755 "$out/bench/bench" "$stage/bench"

mkdir -p "$stage/lib/modules"
: >"$stage/etc/modules"
# A debug kernel has zram built in (MODDIR empty): nothing to load.
[ -n "$MODDIR" ] && add_module zram

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$out/initramfs.cpio.gz"
