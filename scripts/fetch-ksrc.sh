#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-ksrc.sh: fetch the few kernel source files the harness needs (the
# kselftest headers and checkpatch) from Debian's linux-source-6.12 into
# $ST_CACHE/ksrc, and print that directory.  Once done, no network.
set -eu
. "$(dirname "$0")/lib.sh"

pkg=linux-source-6.12
top=linux-source-6.12
dir=$ST_CACHE/ksrc
members="
$top/tools/testing/selftests/kselftest.h
$top/tools/testing/selftests/kselftest_harness.h
$top/scripts/checkpatch.pl
$top/scripts/spelling.txt
$top/scripts/const_structs.checkpatch
"

if [ ! -f "$dir/.done" ]; then
	say "fetching kselftest headers and checkpatch from $pkg"
	mkdir -p "$ST_CACHE/debs"
	deb=$(ls "$ST_CACHE/debs/${pkg}_"*.deb 2>/dev/null | tail -1)
	if [ -z "$deb" ]; then
		(cd "$ST_CACHE/debs" && apt-get download -q "$pkg") \
			>>"$ST_CACHE/download.log" 2>&1 </dev/null ||
			die "apt-get download $pkg failed, see $ST_CACHE/download.log"
		deb=$(ls "$ST_CACHE/debs/${pkg}_"*.deb | tail -1)
	fi
	rm -rf "$dir"
	mkdir -p "$dir"
	# Stream the inner tarball: only the members above reach the disk.
	# shellcheck disable=SC2086
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$top.tar.xz" |
		tar -xJ -C "$dir" $members
	touch "$dir/.done"
fi
echo "$dir/$top"
