#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the host packages swaptrack needs, and add the foreign dpkg
# architectures of scripts/targets (arm64 on an amd64 host), once.  With
# everything in place this touches no network.
set -eu
. "$(dirname "$0")/lib.sh"

# flex, bison, bc and libelf-dev (objtool) build the debug target's kernel;
# dkms is tested by check-dkms.sh; sparse and coccinelle (whose OCaml rules
# need ocaml-nox) by static-check.sh.
PKGS="gcc gcc-12 make libc6-dev cpio gzip xz-utils busybox-static
qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu
gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross pahole libelf1 libssl3 perl
ca-certificates kmod flex bison bc libelf-dev dkms sparse coccinelle
ocaml-nox"

installed()
{
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# foreign_arches: the Debian architectures of scripts/targets that dpkg
# does not know yet (their headers and busybox are apt-get download'ed).
foreign_arches()
{
	local native a

	native=$(dpkg --print-architecture)
	for a in $(awk '!/^#/ && NF >= 3 { print $2 }' "$ST_ROOT/scripts/targets" |
			sort -u); do
		[ "$a" = "$native" ] && continue
		dpkg --print-foreign-architectures | grep -qx "$a" || echo "$a"
	done
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
arches=$(foreign_arches)
[ -z "$missing" ] && [ -z "$arches" ] && exit 0

[ "$(id -u)" = 0 ] || die "missing packages:$missing, architectures: $arches (run as root)"
export DEBIAN_FRONTEND=noninteractive
log=$ST_CACHE/apt.log
mkdir -p "$ST_CACHE"
for a in $arches; do
	say "dpkg --add-architecture $a"
	dpkg --add-architecture "$a"
done
[ -n "$missing" ] && say "installing:$missing"
# The update also brings the package lists of the added architectures.
# shellcheck disable=SC2086
if ! { apt-get update -q && { [ -z "$missing" ] ||
		apt-get install -y -q --no-install-recommends $missing; }; } \
		>"$log" 2>&1 </dev/null; then
	show_log "$log"
	die "apt-get failed, see $log"
fi
