#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# module.sh TARGET [KDIR]: plain "make": build swaptrack.ko for TARGET, or
# against the header tree KDIR, fetching what is missing first.  Shows the
# compiler's complaints and where the module is.
set -eu
. "$(dirname "$0")/lib.sh"

lock_out
s=$ST_ROOT/scripts
t=${1:?usage: module.sh TARGET [KDIR]}
kdir=${2:-}
if [ -z "$kdir" ]; then
	"$s/setup.sh"
	"$s/fetch-kernel.sh" "$t"
fi
if ko=$("$s/build-module.sh" "$t" ${kdir:+"$kdir"}); then
	log=$(dirname "$(dirname "$ko")")/build.log
	grep -A3 'warning:' "$log" >&2 || true
	echo "built $ko"
else
	log=$ST_OUT/$t/build.log
	[ -n "$kdir" ] && log=$ST_OUT/kdir/build.log
	cat "$log" >&2
	exit 1
fi
