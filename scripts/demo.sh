#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: runs inside the VM (make demo) with swaptrack loaded, and shows
# the swap map at work through the ctl line protocol of README.md, then
# the truncate of seed 001 under the historical and the fixed policy.

d=/sys/kernel/debug/swaptrack
exec 3<>"$d/ctl"

# st CMD...: send one command, print it with its reply.
st()
{
	local reply

	echo "$*" >&3
	read -r reply <&3
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
