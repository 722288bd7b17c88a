#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build-selftests.sh TARGET: build the static selftests for TARGET's arch
# into out/TARGET/tests through selftests/Makefile
# (make -C selftests OUT= KSFT_INC= CC=).  Log: out/TARGET/selftests.log.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: build-selftests.sh TARGET}"
arch_load "$T_ARCH"

out=$ST_OUT/$T_NAME/tests
log=$ST_OUT/$T_NAME/selftests.log
ksrc=$("$ST_ROOT/scripts/fetch-ksrc.sh")
rm -rf "$out"
mkdir -p "$out"
[ -f "$ST_ROOT/selftests/Makefile" ] || {
	echo "no selftests/Makefile" >"$log"
	exit 0
}

say "$T_NAME: building selftests"
rc=0
make -k -C "$ST_ROOT/selftests" OUT="$out" \
	KSFT_INC="$ksrc/tools/testing/selftests" CC="$A_CC" \
	-j"$(nproc)" >"$log" 2>&1 || rc=$?
# Shell selftests (TAP from sh, run in the VM's busybox): as they are.
for f in "$ST_ROOT"/selftests/*.sh; do
	[ -f "$f" ] || continue
	install -m 0755 "$f" "$out/$(basename "$f" .sh)"
done
exit $rc
