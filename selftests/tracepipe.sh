#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The trace-cmd-free recipe of Documentation/ecosystem.md, run in the VM:
# tracefs, events/swaptrack enabled, "cat trace_pipe" while stctl stages
# seed 002's left round (swapin_recheck=none): thread 1 parked after
# lookup_swap_cache(), B writes X and is swapped out again to the same
# slot, the gate opens, the stale page is mapped.  The lines are printed as
# TAP diagnostics, and must hold arm, park, open and the audit's "bad
# data" in that order.  TAP output.

T=/sys/kernel/tracing
D=/sys/kernel/debug/swaptrack
G=swapin.after_lookup
X=0x7f0000000000

echo "TAP version 13"
echo "1..1"
[ -e $T/trace ] || mount -t tracefs tracefs $T 2>/dev/null
if [ ! -e $T/events/swaptrack/enable ]; then
	echo "ok 1 tracepipe.seed002_left # SKIP no tracefs or no events/swaptrack"
	exit 0
fi

# wait_gate STATE: until the gates file shows $G in STATE (at most 10 s)
wait_gate()
{
	i=0
	while [ $i -lt 100 ] && ! grep -q "^$G $1" $D/gates; do
		sleep 0.1
		i=$((i + 1))
	done
}

# The recipe: tracing on, the module's events, the pipe read meanwhile.
echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/swaptrack/enable
echo 1 >$T/tracing_on
cat $T/trace_pipe >/tmp/tp &
tp=$!

stctl "policy set swapin_recheck none" >/dev/null
b=$(stctl "space new" | sed -n 's/^ok space=\([0-9]*\).*/\1/p')
stctl "space map $b $X 1 anon" "space write $b $X 0x7a0a" \
	"space swapout $b $X 1" >/dev/null
rm -f /tmp/gate.in
mkfifo /tmp/gate.in
stctl -k -i </tmp/gate.in >/dev/null &
gp=$!
exec 5>/tmp/gate.in
echo "gate arm $G" >&5
wait_gate armed
stctl "space read $b $X" >/tmp/t1.out &
t1=$!
wait_gate parked
stctl "space write $b $X 0x7a0b" "space swapout $b $X 1" >/dev/null
echo "gate open $G" >&5
wait $t1
exec 5>&-
wait $gp
cat $D/audit >/dev/null
sleep 1
echo 0 >$T/tracing_on
kill $tp
wait $tp 2>/dev/null
echo 0 >$T/events/swaptrack/enable

stctl "space destroy $b" "reclaim" "slot drain" "policy reset" >/dev/null
rm -f /tmp/gate.in

echo "# thread 1: $(cat /tmp/t1.out)"
sed -n "/gate=$G arm/,\$p" /tmp/tp | sed 's/^ */# /'
if awk -v g="gate=$G" '
	index($0, g " arm") && s == 0 { s = 1 }
	index($0, g " park") && s == 1 { s = 2 }
	index($0, g " open") && s == 2 { s = 3 }
	/swaptrack_audit: bad data/ && s == 3 { s = 4 }
	END { exit s != 4 }' /tmp/tp; then
	echo "ok 1 tracepipe.seed002_left"
else
	echo "# want gate arm, park, open and an audit 'bad data', in order"
	echo "not ok 1 tracepipe.seed002_left"
fi
rm -f /tmp/tp /tmp/t1.out
