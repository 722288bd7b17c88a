# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Common definitions for the swaptrack scripts: paths, messages, the target
# table and result lines.  Sourced, never run.

ST_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ST_CACHE=${ST_CACHE:-$HOME/.cache/swaptrack}
ST_OUT=${ST_OUT:-$ST_ROOT/out}
ST_DEFAULT_TARGET=amd64-6.12
# Where results of one "make check" accumulate (one line per result).
ST_RESULTS=${ST_RESULTS:-$ST_OUT/results}

export ST_CACHE ST_OUT ST_RESULTS

# Progress goes to stderr: stdout carries only result lines and the summary.
say()
{
	echo "== $*" >&2
}

die()
{
	echo "swaptrack: error: $*" >&2
	exit 1
}

# target_load NAME: set T_NAME, T_ARCH, T_SERIES and T_KIND from
# scripts/targets.  T_KIND is "debian" (Debian's image and headers) unless
# the 4th column says "debug" (built here, see build-kernel.sh).
target_load()
{
	local line

	line=$(awk -v n="$1" '!/^#/ && $1 == n { print; exit }' \
		"$ST_ROOT/scripts/targets")
	[ -n "$line" ] || die "unknown target '$1' (see scripts/targets)"
	read -r T_NAME T_ARCH T_SERIES T_KIND <<<"$line"
	T_KIND=${T_KIND:-debian}
	case "$T_KIND" in
	debian|debug)	;;
	*)	die "target $T_NAME: unknown kind '$T_KIND' (see scripts/targets)" ;;
	esac
}

# ksrc_deb: Debian's linux-source package of T_SERIES in the cache (the
# debug kernels are built from it), empty if not downloaded yet.
ksrc_deb()
{
	ls "$ST_CACHE/debs/linux-source-${T_SERIES}_"*.deb 2>/dev/null | tail -1
}

# kernel_dir: the cache directory of the target's kernel, holding its
# kernel.env (ABI, KDIR, VMLINUZ, MODDIR).  A debug kernel's is keyed by the
# source package's version and the hash of scripts/debug.config, so that a
# changed fragment or a new source builds anew.
kernel_dir()
{
	local deb ver key

	if [ "$T_KIND" = debian ]; then
		echo "$ST_CACHE/kernel-$T_ARCH-$T_SERIES"
		return
	fi
	deb=$(ksrc_deb)
	[ -n "$deb" ] || die "no linux-source-$T_SERIES package in $ST_CACHE/debs"
	ver=$(dpkg-deb -f "$deb" Version | tr '~:' '__')
	key=$(sha256sum <"$ST_ROOT/scripts/debug.config" | cut -c1-12)
	echo "$ST_CACHE/kernel-$T_ARCH-$T_SERIES-debug/$ver-$key"
}

# kernel_env: load the target's kernel.env.
kernel_env()
{
	local env

	env=$(kernel_dir)/kernel.env
	[ -f "$env" ] || die "no $env (run scripts/fetch-kernel.sh $T_NAME)"
	. "$env"
}

# target_names: every target of the table, in order.
target_names()
{
	awk '!/^#/ && NF >= 3 { print $1 }' "$ST_ROOT/scripts/targets"
}

# result STATUS TARGET NAME [DETAIL]: STATUS is ok, FAIL or SKIP.
# Prints the result line and records it for the summary.
result()
{
	local line

	line=$(printf '%-4s %s %s' "$1" "$2" "$3")
	[ $# -ge 4 ] && [ -n "$4" ] && line="$line # $4"
	echo "$line"
	mkdir -p "$(dirname "$ST_RESULTS")"
	echo "$line" >>"$ST_RESULTS"
}

# show_errors LOG: the compiler's errors and warnings of a build log with a
# little context, indented; its tail if it has none.
show_errors()
{
	if grep -qE '(error|warning):' "$1"; then
		grep -E -A4 '(error|warning):' "$1" | head -50 | sed 's/^/	| /'
	else
		show_log "$1"
	fi
}

# show_log FILE [LINES]: indented tail of a log, after a failure.
show_log()
{
	[ -f "$1" ] || return 0
	tail -n "${2:-30}" "$1" | sed 's/^/	| /'
}

# lock_out: serialize runs sharing one out/ (check, demo, plain make): a
# second run waits instead of deleting the first one's files.
lock_out()
{
	mkdir -p "$ST_OUT"
	exec 9>"$ST_OUT/.lock"
	if ! flock -n 9; then
		say "waiting for another run using $ST_OUT"
		flock 9
	fi
}
