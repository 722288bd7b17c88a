#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layering.sh: the global pseudo-test "layering".  The module's folders are
# layers (Kbuild, Documentation/architecture.md); this fails if
#
#   - a protocol file (swaptrack/proto/) takes a lock or walks a page
#     table: the entry layer (swaptrack/entry/) does both for it.  The one
#     lock the protocol owns is the descriptor's, in proto/line.c;
#   - the #include graph of the module's own headers has a cycle, a file
#     and its header counting as one unit (mm/fault.c and mm/fault.h are
#     "mm/fault");
#   - a file includes a header of a layer above its own.
#
# Prints one result line; the details are in out/layering.log.
set -eu
. "$(dirname "$0")/lib.sh"

log=${ST_LAYERING_LOG:-$ST_OUT/layering.log}
mkdir -p "$(dirname "$log")"
: >"$log"
cd "$ST_ROOT/swaptrack"

# rank UNIT: the layer of a unit (folder/name), higher includes lower.
rank()
{
	case "$1" in
	trace/*)		echo -1 ;;	# tracepoints, plain values only
	race/gate|race/policy)	echo 0 ;;	# hooks every layer consults
	swapdev/*)		echo 1 ;;
	mm/*)			echo 2 ;;
	lens/*)			echo 3 ;;	# real page tables, beside entry
	entry/*)		echo 3 ;;
	race/audit|race/report) echo 3 ;;	# observes mm and swapdev
	proto/*)		echo 4 ;;
	main)			echo 5 ;;
	*)			echo "unknown unit $1" >&2; echo 99 ;;
	esac
}

bad=0
fail()
{
	echo "$*" >>"$log"
	bad=$((bad + 1))
}

# 1. No lock, no page-table walk in the protocol.
locks='mutex_(lock|trylock)[a-z_]*|down_(read|write)[a-z_]*|up_(read|write)'
locks="$locks|spin_(lock|trylock)[a-z_]*|(read|write)_lock[a-z_]*"
locks="$locks|mmap_(read|write)_lock[a-z_]*|lock_page|folio_lock"
locks="$locks|st_page_(try)?lock|st_space_lock_two|pte_lockptr|pmd_lock"
locks="$locks|pte_offset_map[a-z_]*|pte_offset_kernel|pmd_offset|pud_offset"
locks="$locks|p4d_offset|pgd_offset|st_(pte|pmd|pud)_offset|st_walk_ptes"
locks="$locks|ptep_get|pmdp_get|st_pmdp_get|walk_page_range|st_pte_get_alloc"
fields='->(mmap_lock|ptl|dead|pt\b|pt\.)'
for f in proto/*.[ch]; do
	hits=$(grep -nE "\\b($locks)\\s*\\(|$fields" "$f" || true)
	if [ "$f" = proto/line.c ]; then
		# the descriptor's own mutex: one request at a time per fd
		hits=$(echo "$hits" | grep -vE 'mutex_(lock_killable|unlock)\(&d->lock\)' || true)
	fi
	[ -z "$hits" ] && continue
	while IFS= read -r h; do
		fail "$f:$h: lock or page-table walk in the protocol"
	done <<<"$hits"
done

# 2. and 3. The include graph of units.
edges=$(mktemp)
trap 'rm -f "$edges"' EXIT
for f in *.c */*.[ch]; do
	from=${f%.*}
	grep -oE '^#include "[a-z_/]+\.h"' "$f" | sed 's/^#include "//; s/\.h"$//' |
	while read -r to; do
		[ "$to" = swaptrack ] && continue	# include/swaptrack.h
		[ "$to" = "$from" ] && continue
		if [ ! -f "$to.h" ]; then
			echo "BAD $f includes \"$to.h\": not a header of the module"
			continue
		fi
		echo "$from $to"
		if [ "$(rank "$to")" -gt "$(rank "$from")" ]; then
			echo "BAD $f includes \"$to.h\": against the layer direction"
		fi
	done
done >"$edges"
while read -r tag msg; do
	fail "$msg"
done < <(grep '^BAD ' "$edges" || true)
if ! grep -v '^BAD ' "$edges" | tsort >/dev/null 2>"$edges.err"; then
	fail "include cycle: $(sed 's/^tsort: //' "$edges.err" | tr '\n' ' ')"
fi
rm -f "$edges.err"

if [ "$bad" -eq 0 ]; then
	result ok all layering
else
	result FAIL all layering "see $log"
	head -20 "$log" | sed 's/^/	| /'
fi
