#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh: the global pseudo-test "checkpatch": checkpatch.pl --strict
# over every source file of the module, the shared headers and the
# selftests.  Prints one result line; the output is in out/checkpatch.log.
set -eu
. "$(dirname "$0")/lib.sh"

ksrc=$("$ST_ROOT/scripts/fetch-ksrc.sh")
log=$ST_OUT/checkpatch.log
mkdir -p "$ST_OUT"

cd "$ST_ROOT"
files=$(ls swaptrack/*.c swaptrack/*/*.[ch] include/*.h selftests/*.c selftests/*.h bench/*.c \
	2>/dev/null | grep -v '^swaptrack/trace/.*\.h$' || true)
# The trace headers' TRACE_EVENT() blocks are laid out as the kernel's own
# include/trace/events/*.h are: a line ending in "(" (TP_STRUCT__entry() and
# friends) and arguments aligned with a tab, not the parenthesis.  Those two
# checks, and only those, are silenced there.
trace_ignore=OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT
trace_files=$(ls swaptrack/trace/*.h 2>/dev/null || true)
if [ -z "$files" ]; then
	result FAIL all checkpatch "no source files"
	exit 0
fi

# shellcheck disable=SC2086
if perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse -f $files \
		>"$log" 2>&1 &&
	{ [ -z "$trace_files" ] ||
	  perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse \
		--ignore "$trace_ignore" -f $trace_files >>"$log" 2>&1; }; then
	result ok all checkpatch
else
	result FAIL all checkpatch "see $log"
	head -60 "$log" | sed 's/^/	| /'
fi
