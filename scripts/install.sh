#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# install.sh [KDIR]: "make install".  Build swaptrack.ko against KDIR
# (default: the running kernel's /lib/modules/$(uname -r)/build), install
# it with the kernel's modules_install (INSTALL_MOD_PATH and
# INSTALL_MOD_DIR are honoured; default extra/) and run depmod.  For a
# module kept across kernel updates, use DKMS instead (README).
set -eu
. "$(dirname "$0")/lib.sh"

kdir=${1:-/lib/modules/$(uname -r)/build}
[ -f "$kdir/Makefile" ] || die "no kernel headers at $kdir (install linux-headers-$(uname -r))"
ko=$("$ST_ROOT/scripts/build-module.sh" "$ST_DEFAULT_TARGET" "$kdir")
make -C "$kdir" M="$(dirname "$ko")" INSTALL_MOD_DIR="${INSTALL_MOD_DIR:-extra}" \
	modules_install
rel=$(make -s -C "$kdir" --no-print-directory kernelrelease)
depmod ${INSTALL_MOD_PATH:+-b "$INSTALL_MOD_PATH"} "$rel"
say "installed swaptrack.ko for $rel"
