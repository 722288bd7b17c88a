/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PMD swap entries: a PMD-sized anonymous extent swapped out as one entry,
 * as the THP swap series of 2018 did (seed 000), and split back to ptes.
 */
#ifndef _ST_THP_H
#define _ST_THP_H

#include <linux/types.h>
#include <linux/pgtable.h>

struct st_space;

/*
 * Locking: st_swapout_pmd() and st_split_pmd_swap() want the mmap_lock
 * held and take page locks and the ptl; st_split_pmd_swap_locked() runs
 * under the ptl.
 */
int st_swapout_pmd(struct st_space *s, unsigned long addr,
		   unsigned long *slotp);
int st_split_pmd_swap(struct st_space *s, unsigned long addr);
int st_split_pmd_swap_locked(pmd_t *pmdp, pte_t *table);

#endif /* _ST_THP_H */
