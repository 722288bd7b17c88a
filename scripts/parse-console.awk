# SPDX-License-Identifier: GPL-2.0
#
# parse-console.awk -v target=NAME [-v vm_rc=N] console.log
#
# Turn the console of a test VM (markers from scripts/vm-init.sh) into
# result lines "ok   TARGET NAME", "FAIL TARGET NAME # why" or
# "SKIP TARGET NAME # reason", each failure followed by tab-indented output.

function emit(status, name, detail)
{
	line = sprintf("%-4s %s %s", status, target, name)
	if (detail != "")
		line = line " # " detail
	print line
}

# show(text): indented failure output, at most 60 lines.
function show(text,    n, i, a)
{
	n = split(text, a, "\n")
	for (i = (n > 61 ? n - 60 : 1); i < n; i++)
		print "\t| " a[i]
}

# tname(tap): "global.x" or "PROG.x" -> "PROG.x"; "fix.x" -> "PROG.fix.x"
function tname(tap)
{
	sub(/^global\./, "", tap)
	if (index(tap, prog ".") == 1)
		tap = substr(tap, length(prog) + 2)
	return prog "." tap
}

function test_end(rc,    why)
{
	if (ntap == 0 && rc == 0)
		emit("ok", prog)
	else if (rc != 0 && nfail == 0) {
		# busybox timeout: SIGTERM, exit status 143
		why = (rc == 124 || rc == 143 ? "timed out" : "exit status " rc)
		emit("FAIL", prog, why)
		show(out)
	} else if (plan > 0 && ntap < plan) {
		emit("FAIL", prog ".plan", ntap " of " plan " results")
		show(out)
	}
	prog = ""
}

# bad: the kernel's own reports.  "BUG:" covers KASAN, sleeping in atomic
# context, soft lockups and bad page state; "WARNING:" covers lockdep
# (circular or recursive locking, inconsistent lock state), suspicious RCU
# usage, DEBUG_VM, DEBUG_LIST and ODEBUG; they are also named, in case a
# report comes with another header.  kmemleak's boot banner is no report.
BEGIN {
	bad = "Oops|WARNING:|BUG:|[Bb]ad page|Call Trace|" \
	      "swaptrack:.*leak|general protection|Kernel panic|" \
	      "KASAN|possible circular locking|possible recursive locking|" \
	      "inconsistent lock state|suspicious RCU usage|" \
	      "sleeping function called from invalid context|" \
	      "list_(add|del) corruption|ODEBUG:|VM_BUG_ON|" \
	      "unreferenced object|suspected memory leak|" \
	      "kmemleak: .*([Cc]annot|disabled|[Ff]ail|pool empty)|" \
	      "INFO: task .* blocked for more than|soft lockup|" \
	      "hard LOCKUP|rcu_.*detected stall|self-detected stall"
}

{ gsub(/\r/, "") }

# Test output: never scanned for markers or splats.
/^ST\| / {
	if (prog == "")
		next
	l = substr($0, 5)
	out = out l "\n"
	if (l ~ /^#  RUN /)
		buf = ""
	buf = buf l "\n"
	if (l ~ /^1\.\.[0-9]+/)
		plan = substr(l, 4) + 0
	if (l ~ /^(not )?ok [0-9]+/) {
		ntap++
		name = l
		sub(/^(not )?ok [0-9]+ */, "", name)
		directive = ""
		if (match(name, / # .*$/)) {
			directive = substr(name, RSTART + 3)
			name = substr(name, 1, RSTART - 1)
		}
		if (l ~ /^not ok/) {
			nfail++
			emit("FAIL", tname(name), directive)
			show(buf)
		} else if (toupper(directive) ~ /^SKIP/) {
			sub(/^[A-Za-z]+ */, "", directive)
			emit("SKIP", tname(name), directive)
		} else {
			emit("ok", tname(name))
		}
		buf = ""
	}
	next
}

/ST-BOOT/ && !boot {
	boot = 1
	emit("ok", "boot")
}

/ST-SWAP rc=/ {
	swap = $0
	sub(/.*ST-SWAP rc=/, "", swap)
	swap += 0
	emit(swap == 0 ? "ok" : "FAIL", "swap", swap == 0 ? "" : "zram: rc=" swap)
}

/ST-INSMOD rc=/ {
	insmod = $0
	sub(/.*ST-INSMOD rc=/, "", insmod)
	insmod += 0
	loaded = (insmod == 0)
	insmod_seen = 1
	emit(insmod == 0 ? "ok" : "FAIL", "insmod",
	     insmod == 0 ? "" : "rc=" insmod)
}

/ST-TEST-BEGIN / {
	prog = $0
	sub(/.*ST-TEST-BEGIN /, "", prog)
	out = buf = ""
	ntap = nfail = plan = 0
	ntests++
}

/ST-TEST-END / && prog != "" {
	rc = $0
	sub(/.*rc=/, "", rc)
	test_end(rc + 0)
}

/ST-RMMOD rc=/ {
	rmmod = $0
	sub(/.*ST-RMMOD rc=/, "", rmmod)
	rmmod += 0
	rmmod_seen = 1
}

/ST-DONE/ { done = 1 }

/ST-LEAKCHECK/ { leakcheck = 1 }

# What kmemleak and page_owner still hold after rmmod (debug kernels).
/^ST-LEAK\| / {
	leak_out = leak_out substr($0, 10) "\n"
	next
}

/ST-LEAK kmemleak=/ {
	leak_seen = 1
	objs = pages = $0
	sub(/.*kmemleak=/, "", objs)
	sub(/.*page_owner=/, "", pages)
	objs += 0
	pages += 0
	if (objs == 0 && pages == 0)
		emit("ok", "leak-check")
	else {
		emit("FAIL", "leak-check", objs " unreferenced objects (kmemleak), " \
		     pages " pages from module code (page_owner)")
		show(leak_out)
	}
}

$0 ~ bad && !/^ST-/ {
	if (splat == "")
		splat_left = 40
	nsplat++
}
splat_left > 0 {
	splat = splat $0 "\n"
	splat_left--
}

END {
	if (prog != "") {
		emit("FAIL", prog, "did not finish")
		show(out)
	}
	if (!boot)
		emit("FAIL", "boot", "no ST-BOOT on the console")
	else if (!insmod_seen)
		emit("FAIL", "insmod", "not reached")
	if (loaded && ntests == 0)
		emit("FAIL", "selftests", "no selftests ran")
	if (loaded) {
		if (!rmmod_seen)
			emit("FAIL", "rmmod", "not reached")
		else
			emit(rmmod == 0 ? "ok" : "FAIL", "rmmod",
			     rmmod == 0 ? "" : "rc=" rmmod)
		if (leakcheck && rmmod_seen && rmmod == 0 && !leak_seen)
			emit("FAIL", "leak-check", "not reached")
	}
	if (done)
		emit("ok", "done")
	else if (vm_rc == 124)
		emit("FAIL", "done", "VM timed out")
	else
		emit("FAIL", "done", "no ST-DONE (qemu exit status " vm_rc ")")
	if (nsplat == 0)
		emit("ok", "kernel-log-clean")
	else {
		emit("FAIL", "kernel-log-clean", nsplat " suspicious lines, see " \
		     FILENAME)
		show(splat)
	}
}
