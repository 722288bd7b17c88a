#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# static-check.sh TARGET sparse|coccicheck: the kernel's static checkers on
# the module, from Debian's packages (sparse; coccinelle with ocaml-nox for
# its OCaml rules), built against the target's tree:
#	sparse		make C=2 against the target's headers
#	coccicheck	make coccicheck MODE=report, which needs a whole
#			configured source tree: the debug target's
# Zero findings pass.  A finding we keep is silenced in one place,
# scripts/static-check.ignore (one grep -E pattern per line, with its
# reason in a comment above it).  Prints the findings and exits 1, or
# exits 0 silently.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: static-check.sh TARGET sparse|coccicheck}"
tool=${2:?usage: static-check.sh TARGET sparse|coccicheck}
arch_load "$T_ARCH"
kernel_env

out=$ST_OUT/$T_NAME
tree=$out/$tool
log=$out/$tool.log
rm -rf "$tree"
mkdir -p "$tree"
cp -a "$ST_ROOT/Kbuild" "$ST_ROOT/swaptrack" "$ST_ROOT/include" "$tree/"

case "$tool" in
sparse)
	command -v sparse >/dev/null || { echo "no sparse"; exit 1; }
	make -C "$KDIR" M="$tree" $A_KMAKE C=2 CHECK="sparse" \
		-j"$(nproc)" modules >"$log" 2>&1 || true
	# sparse's own lines: FILE:LINE:COL: warning|error: ...
	findings=$(grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error):' "$log" || true)
	;;
coccicheck)
	command -v spatch >/dev/null || { echo "no spatch"; exit 1; }
	[ "$T_KIND" = debug ] || { echo "coccicheck needs the debug target's source tree"; exit 1; }
	# unpacked by build-kernel.sh, which built KDIR from it
	ver=$(dpkg-deb -f "$(ksrc_deb)" Version | tr '~:' '__')
	ksrc=$ST_CACHE/linux-source-$ver/linux-source-$T_SERIES
	[ -d "$ksrc/scripts/coccinelle" ] || { echo "no $ksrc/scripts/coccinelle"; exit 1; }
	make -C "$ksrc" O="$KDIR" M="$tree" coccicheck MODE=report \
		J="$(nproc)" >"$log" 2>&1 || { echo "coccicheck failed, see $log"; exit 1; }
	# the reports: FILE:LINE:COL-COL: message
	findings=$(grep -E "^$tree/[^ ]+:[0-9]+:" "$log" || true)
	;;
*)
	die "unknown checker '$tool'"
	;;
esac

ignore=$ST_ROOT/scripts/static-check.ignore
if [ -n "$findings" ] && [ -f "$ignore" ]; then
	findings=$(echo "$findings" | grep -v -E -f <(grep -v '^#' "$ignore" | grep .) || true)
fi
if [ -n "$findings" ]; then
	echo "$findings" | sed "s|$tree/||" | head -20
	exit 1
fi
