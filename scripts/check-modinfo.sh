#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check-modinfo.sh KO: what modinfo must show of swaptrack.ko: a
# description, a version (git describe), the license, an author line, and
# a description for every module parameter ("name:description (type)").
# Prints what is missing and exits 1, or exits 0 silently.
set -eu

ko=${1:?usage: check-modinfo.sh KO}
missing=""
for f in description version license author; do
	v=$(modinfo -F "$f" "$ko")
	if [ -z "$v" ] || [ "$v" = unknown ]; then
		missing="$missing $f"
	fi
done
[ "$(modinfo -F license "$ko")" = GPL ] || missing="$missing license=GPL"
nparm=$(grep -rh --include='*.c' '^module_param' "$(dirname "$0")/../swaptrack" |
	wc -l)
got=$(modinfo -F parm "$ko" | grep -cE '^[a-z_0-9]+:[^ ].* \([a-z]+\)$' || true)
[ "$got" -eq "$nparm" ] ||
	missing="$missing parameter-descriptions($got of $nparm)"
if [ -n "$missing" ]; then
	echo "missing:$missing"
	exit 1
fi
