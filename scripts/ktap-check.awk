# SPDX-License-Identifier: GPL-2.0
#
# ktap-check.awk FILE: check a KTAP version 1 document as ktap.rst says:
# a version line and a plan at each level (two spaces of indentation per
# level), results numbered from 1 in steps of 1, as many as planned, a
# parent "not ok" exactly when one of its subtests is.  Prints the leaf
# counts "pass=N fail=N skip=N" and exits 0, or the first violation and 1.

function bad(msg)
{
	printf "line %d: %s: '%s'\n", NR, msg, $0
	err = 1
	exit 1
}

# The level of a line: its leading spaces / 2.
function level(    s)
{
	match($0, /^ */)
	if (RLENGTH % 2)
		bad("odd indentation")
	return RLENGTH / 2
}

BEGIN { depth = -1 }

{
	l = level()
	text = substr($0, 2 * l + 1)
	if (text ~ /^KTAP version 1$/) {
		if (l != depth + 1)
			bad("version line at the wrong level")
		depth = l
		n[depth] = 0
		plan[depth] = -1
		failed[depth] = 0
		leaves[depth] = 0
		want_plan = 1
		next
	}
	if (want_plan) {
		if (l != depth || text !~ /^1\.\.[0-9]+$/)
			bad("no plan after the version line")
		plan[depth] = substr(text, 4) + 0
		want_plan = 0
		next
	}
	if (text ~ /^#/)
		next
	if (text !~ /^(not )?ok [0-9]+( |$)/)
		bad("not a KTAP line")
	# a result at the parent level closes the subtest
	if (l == depth - 1) {
		if (n[depth] != plan[depth])
			bad(n[depth] " results, plan " plan[depth])
		sub_failed = failed[depth]
		sub_leaves = leaves[depth]
		depth--
		closing = 1
	} else if (l != depth) {
		bad("result at the wrong level")
	} else {
		closing = 0
	}
	num = text
	sub(/^(not )?ok /, "", num)
	num += 0
	if (num != n[depth] + 1)
		bad("result " num " after " n[depth])
	n[depth] = num
	nok = text ~ /^not ok/
	if (closing) {
		if (nok != (sub_failed > 0))
			bad("parent result disagrees with its subtests")
	} else if (text ~ / # SKIP/) {
		skip++
	} else if (nok) {
		fail++
	} else {
		pass++
	}
	if (nok)
		failed[depth]++
}

END {
	if (err)
		exit 1
	if (depth != 0 || n[0] != plan[0]) {
		printf "end: depth %d, %d results of %d planned\n", depth, n[0], plan[0]
		exit 1
	}
	printf "pass=%d fail=%d skip=%d\n", pass, fail, skip
}
