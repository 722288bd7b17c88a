#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh: runs inside the VM (make demo) with swaptrack loaded, and shows
# the swap map at work through the ctl line protocol of README.md.

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
