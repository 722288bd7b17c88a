/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stores and loads over a range of pages in one call ("space write-range",
 * "space read-range"): the bulk of a workload in a handful of commands.
 */
#ifndef _ST_BATCH_H
#define _ST_BATCH_H

#include <linux/types.h>

struct st_space;

/* What a read of a range found, against what the auditor expects. */
struct st_range_read {
	unsigned long read;		/* pages read */
	unsigned long matched;		/* of those, holding what is expected */
	unsigned long first_mismatch;	/* its address, 0 if none */
};

/*
 * Locking: the caller holds the space's mmap_lock for read, the space
 * alive; these take page locks and the ptl page by page, as the single
 * accesses do, and may sleep.  Each stops at the first page that fails
 * and returns its errno, *done (or ->read) the pages before it, *where
 * its address.
 */
int st_write_range(struct st_space *s, unsigned long addr, unsigned long nr,
		   u64 tag, unsigned long *done, unsigned long *where);
int st_read_range(struct st_space *s, unsigned long addr, unsigned long nr,
		  struct st_range_read *res, unsigned long *where);

#endif /* _ST_BATCH_H */
