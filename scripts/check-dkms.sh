#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-dkms.sh TARGET: dkms add, build and remove of swaptrack (dkms.conf)
# against the target's header tree, in scratch trees (--sourcetree,
# --dkmstree, --installtree) that are removed after: the machine's own
# /usr/src, /var/lib/dkms and /lib/modules are left as they were, which
# the script checks.  Prints why on failure and exits 1.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: check-dkms.sh TARGET}"
arch_load "$T_ARCH"
kernel_env

command -v dkms >/dev/null || { echo "no dkms (setup.sh installs it)"; exit 1; }
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$ST_ROOT/dkms.conf")
[ -n "$ver" ] || { echo "no PACKAGE_VERSION in dkms.conf"; exit 1; }
case "$T_ARCH" in
amd64)	darch=x86_64 ;;
arm64)	darch=aarch64 ;;
*)	echo "no dkms arch for $T_ARCH"; exit 1 ;;
esac

# What dkms could touch outside the scratch trees, before and after.
machine_state()
{
	ls -la /usr/src /var/lib/dkms 2>/dev/null || true
	find /lib/modules -path '*dkms*' 2>/dev/null || true
}
before=$(machine_state)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
src=$tmp/src/swaptrack-$ver
mkdir -p "$src" "$tmp/dkms" "$tmp/install"
cp -a "$ST_ROOT/Kbuild" "$ST_ROOT/dkms.conf" "$ST_ROOT/swaptrack" \
	"$ST_ROOT/include" "$src/"
trees=(--sourcetree "$tmp/src" --dkmstree "$tmp/dkms" --installtree "$tmp/install")
log=$ST_OUT/$T_NAME/dkms.log

if ! {
	dkms add -m swaptrack -v "$ver" "${trees[@]}" &&
	dkms build -m swaptrack -v "$ver" -k "$ABI" -a "$darch" \
		--kernelsourcedir "$KDIR" "${trees[@]}" &&
	dkms status -m swaptrack -v "$ver" "${trees[@]}" &&
	dkms remove -m swaptrack -v "$ver" --all "${trees[@]}"
} >"$log" 2>&1; then
	echo "dkms failed, see $log"
	exit 1
fi
grep -q "swaptrack/$ver, $ABI, $darch: built" "$log" || {
	echo "dkms status did not say built, see $log"
	exit 1
}
[ -z "$(ls -A "$tmp/dkms")" ] || { echo "dkms remove left $tmp/dkms"; exit 1; }
[ "$before" = "$(machine_state)" ] || {
	echo "dkms changed /usr/src, /var/lib/dkms or /lib/modules"
	exit 1
}
