# SPDX-License-Identifier: GPL-2.0
#
# ktap.awk -v target=NAME results: one KTAP version 1 document for one
# target (Documentation/dev-tools/ktap.rst) from the result lines of
# "make check" ("ok   T NAME", "FAIL T NAME # why", "SKIP T NAME # why").
# A name PROG.TEST is a test of the selftest program PROG, nested as its
# subtest; a name without a dot (build, boot, insmod, rmmod,
# kernel-log-clean, a program that failed as a whole...) is a result of
# the target itself.  A parent fails if any of its subtests fails.

function add(name, status, why,    p, i)
{
	i = index(name, ".")
	if (i == 0) {
		top[++ntop] = name
		tstat[ntop] = status
		twhy[ntop] = why
		return
	}
	p = substr(name, 1, i - 1)
	if (!(p in prog)) {
		top[++ntop] = p
		prog[p] = ntop
		tstat[ntop] = "ok"
	}
	k = ++nsub[p]
	sname[p, k] = substr(name, i + 1)
	sstat[p, k] = status
	swhy[p, k] = why
	if (status == "FAIL")
		tstat[prog[p]] = "FAIL"
}

# line(indent, n, status, name, why): one result line.
function line(ind, n, status, name, why)
{
	printf "%s%s %d %s", ind, status == "FAIL" ? "not ok" : "ok", n, name
	if (status == "SKIP")
		printf " # SKIP %s", why
	else if (why != "")
		printf " # %s", why
	printf "\n"
}

$2 == target {
	status = $1
	name = $3
	why = ""
	if (match($0, / # .*$/))
		why = substr($0, RSTART + 3)
	gsub(/#/, "", why)
	add(name, status, why)
}

END {
	print "KTAP version 1"
	print "1.." ntop
	for (t = 1; t <= ntop; t++) {
		p = top[t]
		if ((p in prog) && prog[p] == t) {
			print "  KTAP version 1"
			print "  1.." nsub[p]
			for (k = 1; k <= nsub[p]; k++)
				line("  ", k, sstat[p, k], sname[p, k], swhy[p, k])
			line("", t, tstat[t], p, "")
		} else {
			line("", t, tstat[t], p, twhy[t])
		}
	}
}
