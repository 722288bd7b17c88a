/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pte_none_mostly() callers of seed 004: the memcg charge move,
 * UFFDIO_COPY, mincore and hmm_range_fault (userfaultfd_must_wait() is in
 * fault.c, beside handle_userfault()).
 */
#ifndef _ST_MARKER_H
#define _ST_MARKER_H

#include <linux/pgtable.h>
#include <linux/types.h>

struct st_file;
struct st_space;

/* The memcg a task leaves and the one it joins (mc.from, mc.to). */
#define ST_MEMCG_FROM	0
#define ST_MEMCG_TO	1

/* hmm_range_fault()'s -EFAULT, told apart from a fault's SIGBUS */
#define ST_HMM_EFAULT	EREMOTEIO

/*
 * Locking: the space functions want the mmap_lock held for read, the
 * space alive, and take the ptl (st_hmm_fault() may fault); st_file_memcg()
 * takes what the file's page lookup takes.
 */
unsigned long st_charge_move(struct st_space *s, unsigned long start,
			     unsigned long end);
void st_mincore(struct st_space *s, unsigned long start, unsigned long nr,
		unsigned char *vec);
int st_hmm_fault(struct st_space *s, unsigned long addr, u64 *tag);
int st_uffd_copy(struct st_space *s, unsigned long addr, u64 tag, bool wp);
int st_file_memcg(struct st_file *f, unsigned long index,
		  unsigned int *memcg);

#endif /* _ST_MARKER_H */
