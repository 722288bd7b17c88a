#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the host packages swaptrack needs, once.  With everything already
# installed this touches no network.
set -eu
. "$(dirname "$0")/lib.sh"

PKGS="gcc gcc-12 make libc6-dev cpio gzip xz-utils busybox-static
qemu-system-x86 qemu-system-arm gcc-aarch64-linux-gnu
gcc-12-aarch64-linux-gnu libc6-dev-arm64-cross pahole libelf1 libssl3 perl
ca-certificates kmod"

installed()
{
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=""
for p in $PKGS; do
	installed "$p" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

[ "$(id -u)" = 0 ] || die "missing packages:$missing (run as root)"
say "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
log=$ST_CACHE/apt.log
mkdir -p "$ST_CACHE"
# shellcheck disable=SC2086
if ! { apt-get update -q && apt-get install -y -q --no-install-recommends \
		$missing; } >"$log" 2>&1 </dev/null; then
	show_log "$log"
	die "apt-get failed, see $log"
fi
