/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The swapin of a SWP_SYNCHRONOUS_IO device that skips the swap cache
 * (seed 005), and the device flag that enables it.
 */
#ifndef _ST_SWAPIN_SYNC_H
#define _ST_SWAPIN_SYNC_H

#include <linux/pgtable.h>
#include <linux/types.h>

struct st_space;

void st_swap_set_sync(bool on);
bool st_swap_sync(void);

bool st_swapin_skips_swapcache(unsigned long slot);
int st_do_swap_page_sync(struct st_space *s, unsigned long addr, pte_t *ptep,
			 pte_t orig, unsigned long slot, bool uffd_wp, bool write);

#endif /* _ST_SWAPIN_SYNC_H */
