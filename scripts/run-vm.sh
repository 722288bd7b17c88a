#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-vm.sh TARGET [MODE]: boot TARGET's kernel with out/TARGET's initramfs
# under qemu TCG, the console going to out/TARGET/console.log (MODE "test"
# or "demo").  The whole run is bounded by $ST_VM_TIMEOUT seconds (default
# 1200, 2400 on a debug kernel: arch.sh kind_load); exits with qemu's
# status, 124 on timeout.
set -eu
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

target_load "${1:?usage: run-vm.sh TARGET [MODE]}"
arch_load "$T_ARCH"
kind_load "$T_KIND"
mode=${2:-test}
kernel_env

out=$ST_OUT/$T_NAME
log=$out/console.log
[ "$mode" = test ] || log=$out/$mode.log
# loglevel=5: warnings reach the console even if the dmesg dump never comes.
append="console=$A_CONSOLE loglevel=5 panic=-1 st.mode=$mode"
append="$append st.timeout=${ST_TEST_TIMEOUT:-$K_TEST_TIMEOUT}"
[ -n "$K_APPEND" ] && append="$append $K_APPEND"

say "$T_NAME: booting $ABI ($mode)"
rm -f "$log"
# shellcheck disable=SC2086
exec timeout -k 10 "${ST_VM_TIMEOUT:-$K_VM_TIMEOUT}" $A_QEMU \
	-m 1G -smp 2 -nodefaults -display none -no-reboot \
	-serial "file:$log" \
	-kernel "$VMLINUZ" -initrd "$out/initramfs.cpio.gz" \
	-append "$append" </dev/null
