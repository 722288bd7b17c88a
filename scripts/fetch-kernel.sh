#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-kernel.sh TARGET: fetch the Debian kernel image and headers of a
# target into the cache, never installing them:
#	apt-get download + dpkg -x  ->  $ST_CACHE/kernel-<arch>-<series>/root
# and write kernel.env there (ABI, KDIR, VMLINUZ, MODDIR).  Once done, the
# resolved ABI is kept and later runs touch no network.  A "debug" target's
# kernel is built instead, by build-kernel.sh.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: fetch-kernel.sh TARGET}"
arch_load "$T_ARCH"
[ "$T_KIND" = debug ] && exec "$(dirname "$0")/build-kernel.sh" "$T_NAME"

dir=$(kernel_dir)
env=$dir/kernel.env
[ -f "$env" ] && exit 0
mkdir -p "$ST_CACHE/debs"

apt_update()
{
	say "apt-get update"
	apt-get update -q >>"$ST_CACHE/download.log" 2>&1 </dev/null
}

# download PKG: apt-get download PKG into the deb cache.
download()
{
	(cd "$ST_CACHE/debs" && apt-get download -q "$1") \
		>>"$ST_CACHE/download.log" 2>&1 </dev/null
}

# resolve_headers: newest headers package of the series, updating the apt
# lists once if they know none.
resolve_headers()
{
	local re pkg

	re=$(series_headers_regex "$T_SERIES" "$A_FLAVOUR")
	pkg=$(apt-cache search --names-only "$re" | awk '{print $1}' | sort -V | tail -1)
	if [ -z "$pkg" ]; then
		apt_update
		pkg=$(apt-cache search --names-only "$re" | awk '{print $1}' | sort -V | tail -1)
	fi
	[ -n "$pkg" ] || die "no package matches $re"
	echo "$pkg"
}

# depends PKG REGEX: the Depends: alternatives of PKG matching REGEX.
depends()
{
	apt-cache show --no-all-versions "$1" |
		sed -n 's/^Depends: //p' | tr ',|' '\n\n' |
		sed 's/(.*)//; s/ //g' | grep -E "$2" || true
}

# fetch PKG: download PKG into the deb cache unless it is there already,
# print the .deb's path.
fetch()
{
	local debs=$ST_CACHE/debs f

	mkdir -p "$debs"
	f=$(ls "$debs/${1}_"*.deb 2>/dev/null | tail -1)
	if [ -z "$f" ]; then
		# Stale apt lists name versions the mirror no longer has:
		# update them once and retry.
		download "$1" || { apt_update && download "$1"; } ||
			die "apt-get download $1 failed, see $ST_CACHE/download.log"
		f=$(ls "$debs/${1}_"*.deb | tail -1)
	fi
	echo "$f"
}

# has_candidate PKG: apt knows a version of PKG it could download.
has_candidate()
{
	apt-cache policy "$1" 2>/dev/null | grep -q 'Candidate: [^(]'
}

headers=$(resolve_headers)
abi=${headers#linux-headers-}
common=$(depends "$headers" '^linux-headers-.*-common$')
kbuild=$(depends "$headers" '^linux-kbuild-')
# The signed image is published after the unsigned one (and its headers):
# a package only named by another's Depends has no candidate to download.
image=linux-image-$abi
has_candidate "$image" || image=$image-unsigned
[ -n "$common" ] && [ -n "$kbuild" ] ||
	die "cannot find common/kbuild packages in Depends of $headers"

say "$T_ARCH $T_SERIES: kernel $abi"
rm -rf "$dir"
mkdir -p "$dir/root"
for p in $headers $common $kbuild $image; do
	dpkg -x "$(fetch "$p")" "$dir/root"
done

# The flavour Makefile includes the common tree by absolute path: point it
# into our root instead of /usr/src.
kdir=$dir/root/usr/src/linux-headers-$abi
sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$kdir/Makefile"
grep -q "^include $dir/root/" "$kdir/Makefile" ||
	die "unexpected $kdir/Makefile"
[ -e "$kdir/scripts/Makefile.build" ] || die "kbuild scripts missing in $kdir"

vmlinuz=$dir/root/boot/$A_KIMAGE-$abi
[ -f "$vmlinuz" ] || die "no kernel image $vmlinuz"

cat >"$env.tmp" <<EOT
ABI=$abi
KDIR=$kdir
VMLINUZ=$vmlinuz
MODDIR=$dir/root/lib/modules/$abi
EOT
mv "$env.tmp" "$env"
