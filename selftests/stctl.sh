#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# scripts/stctl, the command-line client, in the VM (installed as
# /bin/stctl by scripts/mkinitramfs.sh): replies, exit statuses, one
# descriptor for all the commands of a call, standard input.  TAP output.

G=swapin.after_lookup
n=0
fails=0

# check NAME WANT_STATUS GOT_STATUS OUTPUT PATTERN: one TAP result; the
# output must match the grep -E PATTERN.
check()
{
	n=$((n + 1))
	if [ "$2" = "$3" ] && printf '%s\n' "$4" | grep -Eq "$5"; then
		echo "ok $n stctl.$1"
	else
		echo "# want status $2 and output matching '$5', got $3:"
		printf '%s\n' "$4" | sed 's/^/# /'
		echo "not ok $n stctl.$1"
		fails=$((fails + 1))
	fi
}

echo "TAP version 13"
echo "1..8"

out=$(stctl "slot alloc")
check one_command 0 $? "$out" '^ok slot=[0-9]+ gen=[0-9]+$'
s=$(echo "$out" | sed 's/.*slot=\([0-9]*\).*/\1/')

# Commands in order, "CMD -> REPLY", and nothing after the first error.
out=$(stctl -e "slot query $s" "slot uncache $s" "slot free $s" "slot entry 7")
check echo_stop_at_error 1 $? "$(echo "$out" | sed -n '2,$p' | tr '\n' '|')" \
	"^slot uncache $s -> ok slot=$s\|slot free $s -> error ENOENT [^|]*\|$"

out=$(stctl "no such command")
check error_exits_1 1 $? "$out" '^error EINVAL '

out=$(stctl -k "slot bogus" "slot entry 1")
check keep_going 1 $? "$out" '^ok slot=1 '

# One descriptor: the second arm of the same call finds the gate armed.
out=$(stctl "gate arm $G" "gate arm $G")
check one_descriptor 1 $? "$out" '^error EBUSY '

# The call's end closed it: the gate is free again.
out=$(stctl "gate arm $G")
check close_disarms 0 $? "$out" '^ok'

out=$(printf '# a comment\n\nslot entry 2\nslot entry 3\n' | stctl -i)
check stdin 0 $? "$out" '^ok slot=3 '

out=$(STCTL_CTL=/nonexistent stctl "slot entry 1" 2>&1)
check no_ctl_exits_2 2 $? "$out" 'cannot open'

echo "# Totals: pass:$((n - fails)) fail:$fails"
[ $fails = 0 ]
