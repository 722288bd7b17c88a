/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page faults on model address spaces, and the accesses that cause them.
 */
#ifndef _ST_FAULT_H
#define _ST_FAULT_H

#include <linux/pgtable.h>
#include <linux/types.h>

#include "mm/vm_fault.h"

struct st_space;

/*
 * Locking: the caller holds the space's mmap_lock for read, the space
 * alive and addr mapped (the entry layer checks both); these take page
 * locks and the ptl, and may sleep at a gate or behind a locked page.
 */
int st_fault(struct st_space *s, unsigned long addr, bool write);
int st_access_write(struct st_space *s, unsigned long addr, u64 tag);
int st_access_read(struct st_space *s, unsigned long addr, u64 *tag,
		   u64 *want);
int st_populate(struct st_space *s, unsigned long start, unsigned long end,
		bool write, unsigned long *populated);
/* Locking: as above, and addr's pte table present (ptep). */
int st_fault_anon_tagged(struct st_space *s, unsigned long addr, pte_t *ptep,
			 pte_t orig, u64 tag);

#endif /* _ST_FAULT_H */
