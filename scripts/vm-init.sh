#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the swaptrack test VM (busybox sh).  Prints ST-* markers on the
# console for scripts/parse-console.awk:
#	ST-BOOT, ST-SWAP rc=N, ST-INSMOD rc=N, ST-TEST-BEGIN P, "ST| " + output of P,
#	ST-TEST-END P rc=N secs=N, ST-RMMOD rc=N, ST-DMESG-BEGIN/END, ST-DONE.
# With st.leakcheck=1 (debug kernels, scripts/arch.sh kind_load) also
# ST-LEAKCHECK at boot, and after rmmod "ST-LEAK| " + what kmemleak and
# page_owner still hold, then ST-LEAK kmemleak=N page_owner=N.
# Mode "test" (default) runs every /tests/*; "demo" (st.mode=demo on the
# kernel command line) runs /demo.sh between ST-DEMO-BEGIN/END instead, and
# "bench" /bench between ST-BENCH-BEGIN/END (scripts/bench.sh).

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

mode="test"
test_timeout=300
leakcheck=0
reboot=0
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	st.mode=*)	mode=${arg#st.mode=} ;;
	st.timeout=*)	test_timeout=${arg#st.timeout=} ;;
	st.leakcheck=*)	leakcheck=${arg#st.leakcheck=} ;;
	st.reboot=*)	reboot=${arg#st.reboot=} ;;
	# Caps for slow kernels, read by selftests/st_race.h.
	st.rounds=*)	export ST_ROUNDS="${arg#st.rounds=}" ;;
	st.stress_ms=*)	export ST_STRESS_MS="${arg#st.stress_ms=}" ;;
	st.timeout_scale=*) export ST_TIMEOUT_SCALE="${arg#st.timeout_scale=}" ;;
	st.fuzz_cmds=*)	export ST_FUZZ_CMDS="${arg#st.fuzz_cmds=}" ;;
	st.scale_spaces=*) export ST_SCALE_SPACES="${arg#st.scale_spaces=}" ;;
	esac
done

# run_prefixed TIMEOUT CMD...: run CMD with its output captured, then show
# it with every line prefixed, so console kernel messages cannot pass for
# test output.  Returns CMD's exit status.
run_prefixed()
{
	local t="$1" r
	shift
	timeout "$t" "$@" >/tmp/out 2>&1 </dev/null
	r=$?
	sed 's/^/ST| /' /tmp/out
	return $r
}

echo "ST-BOOT $(uname -r)"

KMEMLEAK=/sys/kernel/debug/kmemleak
STACKS=/sys/kernel/debug/page_owner_stacks/show_stacks

# kmemleak_scan: one scan, after the 5 s an object must be old to be
# reported; a scan takes up to two minutes on the debug kernel under TCG.
# A scan reports an unreferenced object only if its checksum did not change
# since the scan before (kmemleak_scan(): a modified object is greyed for
# one round), and an object never scanned has no checksum yet: a leak is
# reported by the second scan after it, never by the first.
kmemleak_scan()
{
	sleep 10
	echo scan >$KMEMLEAK
}

# module_page_stacks: the page_owner stacks still holding pages that have a
# frame in module space (0xffffffffa0000000 on: x86-64 without KASLR, the
# kernel text lies below).  After rmmod the addresses of the only module no
# longer resolve: %pS prints them bare.
# Slab, percpu, KASAN shadow and kernel page-table pages (vmalloc maps)
# are left out: shared with the rest of the kernel, they outlive the
# allocation that made them (kmemleak covers slab).
module_page_stacks()
{
	awk '
		/^nr_base_pages:/ {
			if (mod && !shared) {
				printf "%s", st
				print
				n += $2
			}
			st = ""; mod = shared = 0
			next
		}
		/^ *0xffffffff[a-f][0-9a-f]+$/ { mod = 1 }
		/allocate_slab|new_slab|pcpu_|kasan_|_alloc_kernel|__p[u4m]d_alloc/ {
			shared = 1
		}
		NF { st = st $0 "\n" }
		END { print "pages " n + 0 }
	' $STACKS
}

# leak_check: after rmmod, what swaptrack's allocations left behind.
leak_check()
{
	local leaks pages

	kmemleak_scan
	kmemleak_scan
	cat $KMEMLEAK >/tmp/kmemleak
	leaks=$(grep -c "unreferenced object" /tmp/kmemleak)
	module_page_stacks >/tmp/stacks
	pages=$(sed -n 's/^pages //p' /tmp/stacks)
	sed '$d' /tmp/stacks >>/tmp/kmemleak
	sed 's/^/ST-LEAK| /' /tmp/kmemleak
	echo "ST-LEAK kmemleak=$leaks page_owner=$pages"
}

# Before the module: what boot left for kmemleak is not ours.
if [ "$leakcheck" = 1 ]; then
	echo "ST-LEAKCHECK"
	kmemleak_scan && echo clear >$KMEMLEAK
fi

# Real swap for the lens tests: zram (and what it needs, /etc/modules in
# dependency order) as the only swap device.
swap_on()
{
	local m

	for m in $(cat /etc/modules 2>/dev/null); do
		insmod "/lib/modules/$m.ko" || return
	done
	echo 256M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
}
swap_on
echo "ST-SWAP rc=$?"

params=$(cat /etc/swaptrack.params 2>/dev/null)
# shellcheck disable=SC2086
insmod /swaptrack.ko $params
rc=$?
echo "ST-INSMOD rc=$rc"

if [ $rc -eq 0 ] && [ "$mode" = demo ]; then
	echo "ST-DEMO-BEGIN"
	run_prefixed "$test_timeout" sh /demo.sh
	echo "ST-DEMO-END rc=$?"
elif [ $rc -eq 0 ] && [ "$mode" = bench ]; then
	echo "ST-BENCH-BEGIN"
	# shellcheck disable=SC2046
	run_prefixed "$test_timeout" env $(cat /etc/bench.env 2>/dev/null) /bench
	echo "ST-BENCH-END rc=$?"
elif [ $rc -eq 0 ]; then
	for t in /tests/*; do
		[ -x "$t" ] || continue
		p=${t##*/}
		echo "ST-TEST-BEGIN $p"
		start=$(date +%s)
		run_prefixed "$test_timeout" "$t"
		r=$?
		echo "ST-TEST-END $p rc=$r secs=$(($(date +%s) - start))"
	done
fi

if [ $rc -eq 0 ]; then
	rmmod swaptrack
	rc=$?
	echo "ST-RMMOD rc=$rc"
	[ $rc -eq 0 ] && [ "$leakcheck" = 1 ] && leak_check
fi

echo "ST-DMESG-BEGIN"
dmesg
echo "ST-DMESG-END"
echo "ST-DONE"
sync
# Without ACPI (debug kernels) poweroff would only halt: qemu runs with
# -no-reboot and ends on a reboot.
[ "$reboot" = 1 ] && reboot -f
poweroff -f
