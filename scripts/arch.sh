# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Per-architecture and per-kernel-series knowledge, in one place.  Adding a
# target such as "arm64-6.12 arm64 6.12" to scripts/targets needs its arch
# stanza here and nothing else.  Sourced, never run.

# arch_load ARCH: set the A_* variables for ARCH.
#   A_DEB		Debian architecture of the kernel, busybox and headers
#   A_FLAVOUR		Debian kernel flavour (linux-image-<abi> suffix)
#   A_KMAKE		extra make arguments for kbuild (ARCH=, CROSS_COMPILE=)
#   A_CC		compiler for the static selftests
#   A_QEMU		qemu binary and machine arguments
#   A_CONSOLE		kernel console device
#   A_KIMAGE		kernel image name under /boot
#   A_BUSYBOX_PKG	package providing a static busybox for A_DEB
arch_load()
{
	case "$1" in
	amd64)
		A_DEB=amd64
		A_FLAVOUR=amd64
		A_KMAKE=""
		A_CC=gcc
		A_QEMU="qemu-system-x86_64 -accel tcg,thread=multi"
		A_CONSOLE=ttyS0
		A_KIMAGE=vmlinuz
		A_BUSYBOX_PKG=busybox-static
		;;
	# arm64 is cross-built on an amd64 host: the headers and busybox are
	# the arm64 packages (dpkg --add-architecture arm64, done by setup.sh),
	# linux-kbuild, whose tools run on the build machine, stays the host's.
	# The headers' .kernelvariables pick aarch64-linux-gnu-gcc-12.
	# pauth-impdef: Debian's kernel signs every return address, and TCG
	# computes the architected QARMA algorithm slowly; QEMU's own cheap
	# algorithm makes the whole run about three times faster.
	arm64)
		A_DEB=arm64
		A_FLAVOUR=arm64
		A_KMAKE="ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-"
		A_CC=aarch64-linux-gnu-gcc
		A_QEMU="qemu-system-aarch64 -M virt -cpu max,pauth-impdef=on"
		A_QEMU="$A_QEMU -accel tcg,thread=multi"
		A_CONSOLE=ttyAMA0
		A_KIMAGE=vmlinuz
		A_BUSYBOX_PKG=busybox-static:arm64
		;;
	*)
		die "unknown arch '$1' (add a stanza to scripts/arch.sh)"
		;;
	esac
}

# arch_busybox ARCH: print the path of a static busybox for ARCH.
arch_busybox()
{
	local dir deb

	if [ "$A_DEB" = "$(dpkg --print-architecture)" ]; then
		echo /bin/busybox
		return
	fi
	dir=$ST_CACHE/busybox-$A_DEB
	if [ ! -x "$dir/bin/busybox" ]; then
		mkdir -p "$ST_CACHE/debs" "$dir"
		(cd "$ST_CACHE/debs" && apt-get download -q "$A_BUSYBOX_PKG") \
			>>"$ST_CACHE/download.log" 2>&1 </dev/null
		deb=$(ls "$ST_CACHE"/debs/busybox-static_*_"$A_DEB".deb | tail -1)
		dpkg -x "$deb" "$dir"
	fi
	echo "$dir/bin/busybox"
}

# kind_load KIND: set the K_* variables for a target kind (scripts/targets).
#   K_APPEND		extra kernel command line
#   K_VM_TIMEOUT	default bound of the whole VM run, seconds
#   K_TEST_TIMEOUT	default bound of one selftest program, seconds
# A debug kernel (KASAN, lockdep...) runs the suite 10-20 times slower
# under TCG: st.rounds and st.stress_ms cap the gated rounds and the stress
# durations of the selftests (vm-init.sh exports them as ST_ROUNDS and
# ST_STRESS_MS, st_race.h reads them), st.scale_spaces the fork tree of
# selftests/scale.c (ST_SCALE_SPACES); st.leakcheck asks vm-init.sh for the
# kmemleak and page_owner checks after rmmod; st.reboot ends the VM with a
# reboot (the kernel has no ACPI to power off, qemu runs with -no-reboot).
# TCG on a loaded host starves vCPUs for tens of seconds: the RCU stall and
# soft lockup detectors get their longest thresholds (300 s, 120 s) so that
# only a real hang reports.
kind_load()
{
	case "$1" in
	debian)
		K_APPEND=""
		K_VM_TIMEOUT=1200
		K_TEST_TIMEOUT=300
		;;
	debug)
		K_APPEND="page_owner=on st.leakcheck=1 st.reboot=1"
		K_APPEND="$K_APPEND st.rounds=5 st.stress_ms=1000"
		K_APPEND="$K_APPEND st.timeout_scale=10 st.fuzz_cmds=10000"
		K_APPEND="$K_APPEND st.scale_spaces=1000"
		K_APPEND="$K_APPEND rcupdate.rcu_cpu_stall_timeout=300"
		K_APPEND="$K_APPEND watchdog_thresh=60"
		K_VM_TIMEOUT=2400
		K_TEST_TIMEOUT=600
		;;
	*)
		die "unknown target kind '$1'"
		;;
	esac
}

# series_headers_regex SERIES FLAVOUR: apt-cache regex matching the headers
# packages of that kernel series; the newest one (sort -V) is used.
series_headers_regex()
{
	case "$1" in
	6.12)	echo "^linux-headers-6\\.12\\.[0-9]+\\+deb12-$2\$" ;;
	6.1)	echo "^linux-headers-6\\.1\\.0-[0-9]+-$2\$" ;;
	*)	die "unknown kernel series '$1' (see scripts/arch.sh)" ;;
	esac
}
