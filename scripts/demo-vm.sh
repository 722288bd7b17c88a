#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo-vm.sh [TARGET]: "make demo": boot TARGET (default amd64-6.12), load
# swaptrack and run scripts/demo.sh inside the VM; print what it printed.
set -eu
. "$(dirname "$0")/lib.sh"

lock_out
s=$ST_ROOT/scripts
t=${1:-$ST_DEFAULT_TARGET}
target_load "$t"
out=$ST_OUT/$t
log=$out/demo.log

"$s/setup.sh"
"$s/fetch-kernel.sh" "$t"
"$s/build-module.sh" "$t" >/dev/null || {
	cat "$out/build.log" >&2
	exit 1
}
rm -rf "$out/tests"
"$s/mkinitramfs.sh" "$t"
rc=0
"$s/run-vm.sh" "$t" demo || rc=$?

tr -d '\r' <"$log" | awk '
	/ST-BOOT / { sub(/.*ST-BOOT /, ""); kernel = $0 }
	/ST-INSMOD rc=/ { sub(/.*ST-INSMOD /, ""); print "# insmod swaptrack.ko on " kernel ": " $0 }
	/ST-DEMO-BEGIN/ { on = 1; next }
	/ST-DEMO-END/ { on = 0; sub(/.*ST-DEMO-END /, ""); print "# demo.sh: " $0; next }
	on && /^ST\| / { print substr($0, 5) }
'
grep -q 'ST-DEMO-END rc=0' "$log" || {
	echo "demo failed (qemu exit status $rc), console: $log" >&2
	exit 1
}
