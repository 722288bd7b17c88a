#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [TARGET...]: "make bench".  For each target (default amd64-6.12
# and arm64-6.12), boot its VM with the module and bench/bench, which
# measures the real kernel's swap cycle on zram beside the engine's, and
# print its table (markdown rows).  A benchmark, not a test: nothing here
# passes or fails on a figure; it exits non-zero only if a run did not
# complete.  Knobs: BENCH_MAX (largest size, default 16384; 65536 is the
# model's most), BENCH_RUNS (runs per figure, default 5, at most 15);
# ST_MODPARAMS defaults to nr_slots=131072, room for 65536 pages.
set -eu -o pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/arch.sh"

lock_out
s=$ST_ROOT/scripts
export ST_MODPARAMS=${ST_MODPARAMS:-nr_slots=131072}
export BENCH_MAX=${BENCH_MAX:-} BENCH_RUNS=${BENCH_RUNS:-}
targets=${*:-amd64-6.12 arm64-6.12}
"$s/setup.sh"
rc=0
for t in $targets; do
	target_load "$t"
	arch_load "$T_ARCH"
	out=$ST_OUT/$t
	mkdir -p "$out"
	"$s/fetch-kernel.sh" "$t"
	"$s/build-module.sh" "$t" >/dev/null || {
		cat "$out/build.log" >&2
		exit 1
	}
	rm -rf "$out/tests" "$out/bench"
	make -s -C "$ST_ROOT/bench" OUT="$out/bench" CC="$A_CC" \
		KSFT_INC="$("$s/fetch-ksrc.sh")/tools/testing/selftests" \
		>"$out/bench-build.log" 2>&1 || {
		cat "$out/bench-build.log" >&2
		exit 1
	}
	"$s/mkinitramfs.sh" "$t"
	rm -rf "$out/bench"
	ST_TEST_TIMEOUT=3000 ST_VM_TIMEOUT=3600 "$s/run-vm.sh" "$t" bench || true
	echo "# $t: $(tr -d '\r' <"$out/bench.log" | sed -n 's/.*ST-BOOT //p')," \
		"make bench TARGETS=$t${BENCH_MAX:+ BENCH_MAX=$BENCH_MAX}${BENCH_RUNS:+ BENCH_RUNS=$BENCH_RUNS}"
	tr -d '\r' <"$out/bench.log" | awk '
		/ST-BENCH-BEGIN/ { on = 1; next }
		/ST-BENCH-END/ { on = 0; next }
		on && /^ST\| / { print substr($0, 5) }
	'
	grep -q 'ST-BENCH-END rc=0' "$out/bench.log" || {
		echo "bench on $t did not complete, console: $out/bench.log" >&2
		rc=1
	}
done
exit $rc
