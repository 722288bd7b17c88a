#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the swaptrack test VM (busybox sh).  Prints ST-* markers on the
# console for scripts/parse-console.awk:
#	ST-BOOT, ST-SWAP rc=N, ST-INSMOD rc=N, ST-TEST-BEGIN P, "ST| " + output of P,
#	ST-TEST-END P rc=N, ST-RMMOD rc=N, ST-DMESG-BEGIN/END, ST-DONE.
# Mode "test" (default) runs every /tests/*; "demo" (st.mode=demo on the
# kernel command line) runs /demo.sh between ST-DEMO-BEGIN/END instead.

/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp

mode="test"
test_timeout=300
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	st.mode=*)	mode=${arg#st.mode=} ;;
	st.timeout=*)	test_timeout=${arg#st.timeout=} ;;
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
elif [ $rc -eq 0 ]; then
	for t in /tests/*; do
		[ -x "$t" ] || continue
		p=${t##*/}
		echo "ST-TEST-BEGIN $p"
		run_prefixed "$test_timeout" "$t"
		echo "ST-TEST-END $p rc=$?"
	done
fi

if [ $rc -eq 0 ]; then
	rmmod swaptrack
	echo "ST-RMMOD rc=$?"
fi

echo "ST-DMESG-BEGIN"
dmesg
echo "ST-DMESG-END"
echo "ST-DONE"
sync
poweroff -f
