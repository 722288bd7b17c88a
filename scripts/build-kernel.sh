#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-kernel.sh TARGET: build the kernel of a "debug" target (see
# scripts/targets) from Debian's linux-source-<series>, once:
#	tinyconfig + scripts/debug.config  ->  $(kernel_dir)/build
# and write kernel.env there (ABI, KDIR, VMLINUZ, MODDIR).  The source is
# unpacked once per package version into $ST_CACHE/linux-source-<version>;
# the build directory is keyed by that version and the fragment's hash
# (lib.sh kernel_dir).  "make modules" writes the Module.symvers the W=1
# module build needs.  The first build takes 10-20 minutes on 2 cores.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: build-kernel.sh TARGET}"
arch_load "$T_ARCH"
[ "$T_KIND" = debug ] || die "$T_NAME is no debug target"
[ "$T_ARCH" = amd64 ] || die "debug kernels are built for amd64 only"
frag=$ST_ROOT/scripts/debug.config

# fetch-ksrc.sh downloads the source package if it is missing.
"$ST_ROOT/scripts/fetch-ksrc.sh" >/dev/null
deb=$(ksrc_deb)
[ -n "$deb" ] || die "no linux-source-$T_SERIES package"
dir=$(kernel_dir)
env=$dir/kernel.env
[ -f "$env" ] && exit 0

mkdir -p "$dir"
exec 8>"$dir/.lock"
if ! flock -n 8; then
	say "$T_NAME: waiting for another build of $dir"
	flock 8
	[ -f "$env" ] && exit 0
fi

ver=$(dpkg-deb -f "$deb" Version | tr '~:' '__')
src=$ST_CACHE/linux-source-$ver/linux-source-$T_SERIES
if [ ! -f "$src/.done" ]; then
	say "$T_NAME: unpacking $(basename "$deb")"
	rm -rf "$ST_CACHE/linux-source-$ver"
	mkdir -p "$ST_CACHE/linux-source-$ver"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/linux-source-$T_SERIES.tar.xz" |
		tar -xJ -C "$ST_CACHE/linux-source-$ver"
	touch "$src/.done"
fi

build=$dir/build
log=$dir/build.log
kmake="make -C $src O=$build ARCH=x86_64"
rm -rf "$build"
mkdir -p "$build"
start=$(date +%s)
say "$T_NAME: configuring (tinyconfig + scripts/debug.config)"
{
	$kmake tinyconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
		"$build/.config" "$frag"
	$kmake olddefconfig
} >"$log" 2>&1 || { show_log "$log"; die "configuring failed, see $log"; }

# Every option the fragment sets must have survived olddefconfig: a value
# dropped for a missing dependency would silently lose a checker or a
# feature the tests need.
lost=$(grep -E '^CONFIG_[A-Z0-9_]+=' "$frag" | while read -r want; do
	if ! grep -qx "$want" "$build/.config"; then echo "$want"; fi
done)
[ -z "$lost" ] || die "not in the config after olddefconfig: $(echo $lost)"
lost=$(sed -n 's/^# \(CONFIG_[A-Z0-9_]*\) is not set$/\1/p' "$frag" |
	while read -r off; do
		if grep -q "^$off=" "$build/.config"; then echo "$off"; fi
	done)
[ -z "$lost" ] || die "set although the fragment unsets them: $(echo $lost)"

# A progress line every 30 s: the objects compiled so far.
progress()
{
	while sleep 30; do
		say "$T_NAME: building kernel, $(grep -c '^  CC' "$log") objects," \
			"$(($(date +%s) - start)) s"
	done
}
say "$T_NAME: building the debug kernel (10-20 minutes the first time)"
progress &
ppid=$!
rc=0
nice -n 10 $kmake -j"$(nproc)" bzImage modules >>"$log" 2>&1 || rc=$?
kill "$ppid" 2>/dev/null || true
wait "$ppid" 2>/dev/null || true
if [ $rc -ne 0 ]; then
	show_errors "$log"
	die "kernel build failed, see $log"
fi
[ -f "$build/Module.symvers" ] || die "no Module.symvers after make modules"
say "$T_NAME: kernel built in $(($(date +%s) - start)) s"

cat >"$env.tmp" <<EOT
ABI=$($kmake -s --no-print-directory kernelrelease)
KDIR=$build
VMLINUZ=$build/arch/x86/boot/bzImage
MODDIR=
BUILD_SECS=$(($(date +%s) - start))
EOT
mv "$env.tmp" "$env"
