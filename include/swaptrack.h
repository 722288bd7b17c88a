/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaptrack control-surface names and limits, shared by the module and the
 * selftests.  The command reference is in README.md; this header holds the
 * numbers both sides must agree on.
 */
#ifndef _SWAPTRACK_H
#define _SWAPTRACK_H

/* debugfs layout below the debugfs mount point */
#define ST_DEBUGFS_DIR		"swaptrack"
#define ST_CTL_FILE		"ctl"
#define ST_STATS_FILE		"stats"
#define ST_LENS_FILE		"lens"

/*
 * One command per write(2).  A write longer than ST_LINE_MAX bytes (the
 * trailing newline included) fails with E2BIG; more than ST_ARGS_MAX words
 * fail with E2BIG too.
 */
#define ST_LINE_MAX		256
#define ST_ARGS_MAX		8

/* A reply, "ok ..." or "error <ERRNO> <reason>", always fits in this. */
#define ST_REPLY_MAX		512

/*
 * The lens ("lens PID START END"): START and END page-aligned, END - START
 * at most ST_LENS_SPAN_MAX bytes (E2BIG beyond).  One request reports at
 * most ST_LENS_ENTRIES_MAX entries; where it stopped, "next=" says where
 * to ask again.  A dump line of the lens file is below ST_LENS_LINE_MAX.
 */
#define ST_LENS_SPAN_MAX	0x40000000UL	/* 1 GiB */
#define ST_LENS_ENTRIES_MAX	4096
#define ST_LENS_LINE_MAX	320

/*
 * The model swap device: nr_slots (module parameter) is a multiple of the
 * cluster size within these bounds; -EINVAL at load time otherwise.
 */
#define ST_SLOTS_MIN		1024
#define ST_SLOTS_MAX		0x100000
#define ST_SLOTS_DEFAULT	65536

/* The swap type our entries carry (must be below MAX_SWAPFILES). */
#define ST_SWAP_TYPE		1

/* What a page holds after "slot reread" of a slot whose reads fail. */
#define ST_TAG_JUNK		0x6a756e6b6a756e6bULL

/* "slot dup SLOT N": N is 1..ST_DUP_MAX, -E2BIG above. */
#define ST_DUP_MAX		0x100000

/*
 * The kernel's swap_map encoding (include/linux/swap.h), repeated here so
 * the selftests can decode the raw byte "slot query" reports.
 */
#define ST_SWAP_MAP_MAX		0x3e
#define ST_SWAP_MAP_BAD		0x3f
#define ST_SWAP_HAS_CACHE	0x40
#define ST_SWAP_CONT_MAX	0x7f
#define ST_COUNT_CONTINUED	0x80

#endif /* _SWAPTRACK_H */
