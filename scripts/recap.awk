# SPDX-License-Identifier: GPL-2.0
#
# recap.awk RESULTS: the failures of a run again, each with the few lines
# of its output that say what went wrong (an assertion, a reply, a kernel
# report), so that the tail of a long run's output names them all.

function flush(    i)
{
	if (head == "")
		return
	print head
	for (i = 0; i < n; i++)
		print b[i]
	head = ""
	n = 0
}

/^FAIL / {
	flush()
	head = $0
	next
}

/^\t\| / {
	if (head != "" && n < 8 && $0 !~ /\(ok\/sent\)/ &&
	    $0 ~ /Expected|want|->|timed out|error|BUG|WARNING|Oops|panic|lockdep|KASAN|leak/)
		b[n++] = $0
	next
}

{ flush() }

END { flush() }
