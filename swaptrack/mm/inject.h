/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fault injection on model address spaces.
 */
#ifndef _ST_INJECT_H
#define _ST_INJECT_H

struct st_space;

/* Locking: the caller holds the mmap_lock; takes the ptl. */
int st_inject_drop_swap_count(struct st_space *s, unsigned long addr,
			      unsigned long *slot);

#endif /* _ST_INJECT_H */
