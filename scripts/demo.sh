#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: runs inside the VM (make demo) with swaptrack loaded, and shows
# the swap map at work through the ctl line protocol of Documentation/protocol.md, the
# truncate of seed 001, then the swapin race of seed 002 staged with a
# gate, each under the historical and the fixed policy.

d=/sys/kernel/debug/swaptrack

# st CMD...: send one command with stctl (scripts/stctl, /bin/stctl in the
# VM), print it with its reply.
st()
{
	local reply

	reply=$(stctl "$*")
	printf '%-24s -> %s\n' "$*" "$reply"
	REPLY_LINE=$reply
}

# field KEY: the value of KEY=... in the last reply.
field()
{
	echo "$REPLY_LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

echo "# allocate a slot: the map byte is SWAP_HAS_CACHE (0x40)"
st slot alloc
s=$(field slot)
st slot query "$s"

echo "# 100000 references: the count overflows into continuation pages"
st slot dup "$s" 100000
st slot query "$s"
st slot entry "$s"

echo "# drop them again; continuation pages stay until swapoff"
st slot free "$s" 100000
st slot query "$s"
st slot uncache "$s"
st slot query "$s"

echo "# stats"
sed 's/^/  /' "$d/stats"

echo "# swapoff frees the continuation pages, swapon brings the device back"
st swapoff
st swapon
sed 's/^/  /' "$d/stats"

# seed001 POLICY: the truncate of seed 001 under zap_details=NAME.  A private
# COW of a file page is swapped out, then the file is truncated to 0.
# The auditor must find the swap entry left beyond EOF under skip_swap.
seed001()
{
	st policy set zap_details "$1"
	st file new 4
	f=$(field file)
	st file write "$f" 1 0x100
	st space new
	sp=$(field space)
	st space map "$sp" 0x7f0000000000 4 private "$f" 0
	st space write "$sp" 0x7f0000001000 0xc0ffee
	st space swapout "$sp" 0x7f0000000000 4
	st space pte "$sp" 0x7f0000001000
	st file truncate "$f" 0
	st space pte "$sp" 0x7f0000001000
	echo "  audit:"
	sed 's/^/    /' "$d/audit"
	st space destroy "$sp"
	st file destroy "$f"
}

echo
echo "# seed 001: zap_pte_range() with zap_details, on truncate"
echo "# historical (<= 5.17): details set, every swap entry is left behind"
seed001 skip_swap
echo "# fixed (5.18+): truncate passes even_cows, the COW's swap entry goes"
seed001 even_cows
st policy reset

# bg NAME CMD...: run the ctl commands CMD (separated by ';') in the
# background, one stctl call (one descriptor); BG_PID is that stctl, whose
# state shows whether it sleeps in the kernel.  bg_show NAME prints its
# replies once it is done.
bg()
{
	local name="$1" cmds="$2"

	IFS=';'
	# shellcheck disable=SC2086
	stctl -e -k $cmds >"/tmp/bg.$name" &
	BG_PID=$!
	unset IFS
}

bg_show()
{
	sed "s/^/  $1: /" "/tmp/bg.$1"
	rm -f "/tmp/bg.$1"
}

# gate_session_start / gate CMD / gate_session_end: the gate commands of a
# race on one descriptor that lives across them (the gate stays armed until
# it closes): one stctl -i fed through a fifo.  gate waits until the gate
# is in the state the command leads to.
gate_session_start()
{
	rm -f /tmp/gate.in
	mkfifo /tmp/gate.in
	stctl -e -k -i </tmp/gate.in | sed 's/^/  gate: /' &
	GATE_PID=$!
	exec 5>/tmp/gate.in
}

gate()
{
	local want i=0

	echo "gate $*" >&5
	case "$1" in
	arm)	want=armed ;;
	wait)	want=parked ;;
	*)	want=idle ;;
	esac
	while [ $i -lt 100 ] && ! grep -q "^$2 $want" "$d/gates"; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 0.2	# let its reply print before what follows
}

gate_session_end()
{
	exec 5>&-
	wait "$GATE_PID"
	rm -f /tmp/gate.in
}

# seed002 KSM_COPY: the ABA of seed 002 under ksm_copy=KSM_COPY.
seed002()
{
	local x=0x7f0000000000 a b b2 slot t1 t2 i blocked

	st policy set ksm_copy "$1"
	st space new; a=$(field space)
	st space new; b=$(field space)
	st space map "$a" $x 1 anon >/dev/null
	st space map "$b" $x 1 anon >/dev/null
	st space write "$a" $x 0x2000 >/dev/null
	st space write "$b" $x 0x2000 >/dev/null
	echo "# A and B are unrelated and hold the same data: KSM merges it"
	st ksm merge "$a" $x "$b" $x
	echo "# swapped out to slot S; B2 is forked from B; A reads it back"
	st space swapout "$a" $x 1
	st space fork "$b"; b2=$(field space)
	st space pte "$b" $x; slot=$(field offset)
	st space read "$a" $x
	st space zap "$a" $x 1
	echo "# thread 1: B reads X, finds A's page for S, must copy it; parked before the copy"
	gate_session_start
	gate arm swapin.ksm_copy
	bg thread1 "space read $b $x"
	t1=$BG_PID
	gate wait swapin.ksm_copy
	echo "# thread 2: B writes new data, B2 drops S, B's page is swapped out again"
	bg thread2 "space write $b $x 0x2b2b;space zap $b2 $x 1;space swapout $b $x 1"
	t2=$BG_PID
	# thread 2 either runs through or sleeps (state D) on the page lock
	blocked=0
	i=0
	while [ $i -lt 50 ] && kill -0 "$t2" 2>/dev/null; do
		if grep -qs ') D ' /proc/"$t2"/stat; then
			blocked=1
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	st space pte "$b" $x
	if [ $blocked = 1 ]; then
		echo "  thread 2 sleeps on the page lock thread 1 holds: B's pte is untouched"
	elif [ "$(field offset)" = "$slot" ] && [ "$(field kind)" = swap ]; then
		echo "  B's pte holds slot $slot again: the same entry thread 1 read"
	fi
	gate open swapin.ksm_copy
	wait "$t1" "$t2"
	gate_session_end
	bg_show thread1
	bg_show thread2
	st space read "$b" $x
	if [ "$(field tag)" != "$(field expected)" ]; then
		echo "  => stale data: pte_same() passed on a reused slot, B lost its write"
	else
		echo "  => B reads what it wrote"
	fi
	echo "  audit:"
	sed 's/^/    /' "$d/audit"
	st space destroy "$a" >/dev/null
	st space destroy "$b" >/dev/null
	st space destroy "$b2" >/dev/null
	st reclaim >/dev/null
}

echo
echo "# seed 002: do_swap_page() and the KSM copy (2010)"
echo "# historical (2.6.35): the page is unlocked before the copy"
seed002 unlock_early
echo
echo "# fixed: the page stays locked until pte_same(); thread 2 must wait"
seed002 hold_lock
st policy reset
