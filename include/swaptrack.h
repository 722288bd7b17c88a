/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swaptrack control-surface names and limits, shared by the module and the
 * selftests.  The command reference is in README.md; this header holds the
 * numbers both sides must agree on.
 */
#ifndef _SWAPTRACK_H
#define _SWAPTRACK_H

#ifdef __KERNEL__
#include <linux/errno.h>
#else
#include <errno.h>
#endif

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

/*
 * What a model page holds before anything was read into it: "junkjunk",
 * on purpose.  A page whose swap read failed keeps it, so it is also what
 * "slot reread" of a slot whose reads fail leaves behind.
 */
#define ST_TAG_JUNK		0x6a756e6b6a756e6bULL

/*
 * The model address spaces: every mapping lies in [ST_SPACE_BASE,
 * ST_SPACE_BASE + 1 GiB), the span one PMD table covers with 4K pages.
 * "space map" covers at most ST_SPACE_PAGES_MAX pages (E2BIG above), a
 * space holds ST_VMAS_MAX mappings (ENOSPC beyond), and ids run
 * 1..ST_SPACES_MAX ("space new" fails with ENOSPC beyond).
 */
#define ST_SPACE_BASE		0x7f0000000000UL
#define ST_SPACE_END		(ST_SPACE_BASE + 0x40000000UL)
#define ST_SPACES_MAX		16384
#define ST_VMAS_MAX		16
#define ST_SPACE_PAGES_MAX	4096

/* Shmem-like files: ids 1..ST_FILES_MAX, at most ST_FILE_PAGES_MAX pages. */
#define ST_FILES_MAX		16384
#define ST_FILE_PAGES_MAX	4096

/*
 * Slots per cluster, and pages per PMD swap entry ("nr=" of "slot
 * alloc-pmd" and "space swapout-pmd"): HPAGE_PMD_NR with 4K pages.
 */
#define ST_CLUSTER_NR		512UL

/* "space mincore": at most this many pages, one character each. */
#define ST_MINCORE_PAGES_MAX	64

/* "space fork" gives up on one swap entry after this many retries. */
#define ST_DUP_RETRIES		4

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

/*
 * The errnos a reply may name ("error <ERRNO> <reason>"), and no other:
 * the name of err, NULL for any other errno.  The module and the
 * selftests both look names up here.
 */
static inline const char *st_errno_name(int err)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },	{ ENOENT, "ENOENT" },	{ ESRCH, "ESRCH" },
		{ EINTR, "EINTR" },	{ EIO, "EIO" },		{ E2BIG, "E2BIG" },
		{ EAGAIN, "EAGAIN" },	{ ENOMEM, "ENOMEM" },	{ EACCES, "EACCES" },
		{ EFAULT, "EFAULT" },	{ EBUSY, "EBUSY" },	{ EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" },	{ ENOTDIR, "ENOTDIR" },	{ EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" },	{ ERANGE, "ERANGE" },	{ ELOOP, "ELOOP" },
		{ ENODATA, "ENODATA" },	{ EOPNOTSUPP, "EOPNOTSUPP" },
		{ EALREADY, "EALREADY" }, { ETIMEDOUT, "ETIMEDOUT" },
		{ ECANCELED, "ECANCELED" },
		{ 0, NULL }
	};
	int i;

	for (i = 0; names[i].name; i++)
		if (names[i].err == err)
			return names[i].name;
	return NULL;
}

#endif /* _SWAPTRACK_H */
