// SPDX-License-Identifier: GPL-2.0
/*
 * The backing store of the model swap device.
 *
 * A page's data is one tag repeated, so a slot stores that tag.  Writing a
 * torn page stores nothing valid; reading a slot marked to fail leaves the
 * page !uptodate with whatever junk it held, which is how swap_read_folio()
 * reports an I/O error.  Callers hold the page lock, as the kernel's do.
 */
#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "swapdev/page.h"
#include "swapdev/swapio.h"

static u64 *st_store;
static unsigned long *st_store_valid;
static unsigned long *st_store_fail;
static unsigned long st_store_slots;

int st_swapio_init(unsigned long nr_slots)
{
	st_store = vzalloc(array_size(nr_slots, sizeof(*st_store)));
	st_store_valid = bitmap_zalloc(nr_slots, GFP_KERNEL);
	st_store_fail = bitmap_zalloc(nr_slots, GFP_KERNEL);
	if (!st_store || !st_store_valid || !st_store_fail) {
		st_swapio_exit();
		return -ENOMEM;
	}
	st_store_slots = nr_slots;
	return 0;
}

void st_swapio_exit(void)
{
	bitmap_free(st_store_fail);
	bitmap_free(st_store_valid);
	vfree(st_store);
	st_store = NULL;
	st_store_valid = NULL;
	st_store_fail = NULL;
}

/* swap_writepage(): -EIO when the page is torn and its data cannot be kept */
int st_swap_writepage(struct st_page *p, unsigned long slot)
{
	u64 tag;
	int err = st_page_tag(p, &tag);

	WRITE_ONCE(st_store[slot], tag);
	if (err)
		clear_bit(slot, st_store_valid);
	else
		set_bit(slot, st_store_valid);
	return err;
}

/* swap_read_folio(): sets uptodate only when the read succeeded */
void st_swap_readpage(struct st_page *p, unsigned long slot)
{
	if (test_bit(slot, st_store_fail) || !test_bit(slot, st_store_valid))
		return;
	st_page_fill(p, READ_ONCE(st_store[slot]));
	set_bit(ST_PG_UPTODATE, &p->flags);
}

int st_swapio_stored(unsigned long slot, u64 *tag)
{
	if (slot >= st_store_slots || !test_bit(slot, st_store_valid))
		return -ENODATA;
	*tag = READ_ONCE(st_store[slot]);
	return 0;
}

void st_swapio_fail_reads(unsigned long slot, bool fail)
{
	if (fail)
		set_bit(slot, st_store_fail);
	else
		clear_bit(slot, st_store_fail);
}
