/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KSM merging two identical anonymous pages (ksm.c).
 */
#ifndef _ST_KSM_H
#define _ST_KSM_H

#include <linux/types.h>

struct st_space;

/*
 * Locking: the caller holds both spaces' mmap_locks for read
 * (st_space_lock_two()), both alive; takes the two page locks (trylock)
 * and the ptls.
 */
int st_ksm_merge(struct st_space *s1, unsigned long a1,
		 struct st_space *s2, unsigned long a2);

#endif /* _ST_KSM_H */
