#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TARGET...]: "make check".  Installs what is missing, runs
# checkpatch and the layering check, then every target of scripts/targets
# (or the ones given) one after another, and ends with the line
# "N passed, N failed[, N skipped]".
# Exits non-zero if anything failed.
set -eu
. "$(dirname "$0")/lib.sh"

lock_out
s=$ST_ROOT/scripts
targets=${*:-$(target_names)}
for t in $targets; do
	target_load "$t"
done

start=$(date +%s)
mkdir -p "$ST_OUT"
: >"$ST_RESULTS"

if ! "$s/setup.sh"; then
	result FAIL all setup "see $ST_CACHE/apt.log"
fi
"$s/checkpatch.sh" || result FAIL all checkpatch "checkpatch.sh failed"
"$s/layering.sh" || result FAIL all layering "layering.sh failed"
for t in $targets; do
	"$s/run-target.sh" "$t" || result FAIL "$t" harness "run-target.sh failed"
done

passed=$(grep -c '^ok ' "$ST_RESULTS" || true)
failed=$(grep -c '^FAIL ' "$ST_RESULTS" || true)
skipped=$(grep -c '^SKIP ' "$ST_RESULTS" || true)
if [ "$failed" -gt 0 ]; then
	say "what failed, in short (the whole output is above and in $ST_OUT):"
	awk -f "$s/recap.awk" "$ST_RESULTS"
fi
say "done in $(($(date +%s) - start)) s; logs in $ST_OUT"
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
