#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-target.sh TARGET: everything "make check" does for one target: fetch
# its kernel, build the module and the selftests, build the initramfs, boot
# the VM and turn its console into result lines (see lib.sh result()).
# Logs stay in out/TARGET/.  Always exits 0: failures are result lines.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"

target_load "${1:?usage: run-target.sh TARGET}"
t=$T_NAME
s=$ST_ROOT/scripts
out=$ST_OUT/$t
rm -rf "$out"
mkdir -p "$out"

if ! "$s/fetch-kernel.sh" "$t"; then
	result FAIL "$t" fetch "see $ST_CACHE/download.log"
	show_log "$ST_CACHE/download.log"
	exit 0
fi

if "$s/build-module.sh" "$t" >/dev/null; then
	result ok "$t" build
	if grep -q 'warning:' "$out/build.log"; then
		result FAIL "$t" build-W1-clean "see $out/build.log"
		show_errors "$out/build.log"
	else
		result ok "$t" build-W1-clean
	fi
	if why=$("$s/check-modinfo.sh" "$out/mod/swaptrack.ko"); then
		result ok "$t" modinfo
	else
		result FAIL "$t" modinfo "$why"
	fi
	if why=$("$s/check-dkms.sh" "$t"); then
		result ok "$t" dkms
	else
		result FAIL "$t" dkms "$why"
	fi
	# sparse on the Debian amd64 trees; coccicheck needs the whole
	# configured source of the debug target.
	checker=""
	[ "$T_ARCH" = amd64 ] && [ "$T_KIND" = debian ] && checker=sparse
	[ "$T_KIND" = debug ] && checker=coccicheck
	if [ -n "$checker" ]; then
		if why=$("$s/static-check.sh" "$t" "$checker"); then
			result ok "$t" "$checker"
		else
			result FAIL "$t" "$checker" "$(echo "$why" | head -1)"
			echo "$why" | sed 's/^/\t| /'
		fi
	fi
else
	result FAIL "$t" build "see $out/build.log"
	show_errors "$out/build.log"
	exit 0
fi

if ! "$s/build-selftests.sh" "$t"; then
	result FAIL "$t" selftests-build "see $out/selftests.log"
	show_errors "$out/selftests.log"
fi

"$s/mkinitramfs.sh" "$t"

rc=0
touch "$out/console.log"
"$s/run-vm.sh" "$t" test || rc=$?
awk -v target="$t" -v vm_rc="$rc" -f "$s/parse-console.awk" \
	"$out/console.log" | tee -a "$ST_RESULTS"

# One KTAP version 1 document of the target's results, checked by a parser
# of its own: its leaf counts must be the result lines'.
ktap=$out/ktap.txt
awk -v target="$t" -f "$s/ktap.awk" "$ST_RESULTS" >"$ktap"
want="pass=$(grep -c "^ok   $t " "$ST_RESULTS" || true)"
want="$want fail=$(grep -c "^FAIL $t " "$ST_RESULTS" || true)"
want="$want skip=$(grep -c "^SKIP $t " "$ST_RESULTS" || true)"
if got=$(awk -f "$s/ktap-check.awk" "$ktap") && [ "$got" = "$want" ]; then
	result ok "$t" ktap
else
	result FAIL "$t" ktap "$ktap: $got, want $want"
fi
