/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lens: a real process's page tables, read and decoded with the
 * engine's decoder.
 */
#ifndef _ST_LENS_H
#define _ST_LENS_H

#include <linux/types.h>

#include "entry/err.h"
#include "mm/pgtable.h"

struct st_lens_req {
	pid_t pid;
	unsigned long start;
	unsigned long end;
};

/* What one request found; @text is NULL when only the counts are wanted. */
struct st_lens_out {
	char *text;		/* one line per entry, ST_LENS_LINE_MAX each */
	size_t len;
	size_t size;
	unsigned long entries;
	unsigned long kinds[ST_PTE_KINDS];
	unsigned long leaves;	/* PMD (and PUD) leaves among the entries */
	unsigned long skipped;	/* hugetlb mappings in the range, not walked */
	unsigned long next;	/* where to ask again; req->end when done */
};

int st_lens_walk(struct st_err *e, const struct st_lens_req *req,
		 struct st_lens_out *out);

#endif /* _ST_LENS_H */
