/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The backing store of the model swap device: what swap_writepage() wrote
 * and swap_read_folio() reads back, one tag per slot.
 */
#ifndef _ST_SWAPIO_H
#define _ST_SWAPIO_H

#include <linux/types.h>

struct st_page;

int st_swapio_init(unsigned long nr_slots);
void st_swapio_exit(void);

int st_swap_writepage(struct st_page *p, unsigned long slot);
void st_swap_readpage(struct st_page *p, unsigned long slot);
int st_swapio_stored(unsigned long slot, u64 *tag);
void st_swapio_fail_reads(unsigned long slot, bool fail);

#endif /* _ST_SWAPIO_H */
