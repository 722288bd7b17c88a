// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection: a corrupt swap pte, the only way swap_duplicate() meets
 * an error other than -ENOMEM in fork (seed 000).
 *
 * swap_duplicate()'s comment since 570a335b8e22 ("swap_info: swap count
 * continuations", 2.6.34) says its other errors "might occur if a page
 * table entry has got corrupted"; Huang Ying in the seed thread: "if other
 * part of the kernel works correctly, it's impossible".  The model makes
 * that corruption on demand: one map count of the slot a swap pte refers
 * to is dropped (swap_free()) and the pte is left in place, as if someone
 * had freed the entry and forgotten the pte.  With no other count and no
 * swap cache the slot is free: __swap_duplicate() says -ENOENT for it.
 */
#include "mm/compat.h"
#include "mm/inject.h"
#include "mm/pgtable.h"
#include "mm/space.h"
#include "swapdev/swapmap.h"

/*
 * The caller holds s->mmap_lock and has checked that addr is mapped.
 * -EINVAL when addr holds no swap pte; the errors of swap_free() else.
 */
int st_inject_drop_swap_count(struct st_space *s, unsigned long addr,
			      unsigned long *slot)
{
	struct st_pte_info info;
	pte_t *ptep;
	int err = -EINVAL;

	ptep = st_pte_offset(&s->pt, addr);
	if (!ptep)
		return -EINVAL;		/* no pte table: none, or a swap PMD */
	spin_lock(&s->ptl);
	st_pte_decode(ptep_get(ptep), &info);
	if (info.kind == ST_PTE_SWAP) {
		*slot = info.slot;
		err = st_swap_free(info.slot);
	}
	spin_unlock(&s->ptl);
	return err;
}
