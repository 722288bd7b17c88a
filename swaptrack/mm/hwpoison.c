// SPDX-License-Identifier: GPL-2.0
/*
 * hwpoison (memory_failure() on an anonymous page): every pte becomes a
 * hwpoison entry and the page is kept, never reused, until unload.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/hwpoison.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "swapdev/page.h"

struct st_poisoned_page {
	struct list_head node;
	struct st_page *p;
};

static LIST_HEAD(st_poisoned);		/* pages, linked by a list node */
static DEFINE_MUTEX(st_poison_lock);	/* st_poisoned */

/* The poisoned page keeps the reference each entry held; nothing maps it. */
static pte_t to_hwpoison(struct st_page *p, pte_t pte, void *arg)
{
	atomic_dec(&p->mapcount);
	st_page_put(p);
	/*
	 * make_hwpoison_entry() asserts the real page lock, which the model
	 * never takes: build the same entry from its parts.
	 */
	return swp_entry_to_pte(swp_entry(SWP_HWPOISON, st_page_pfn(p)));
}

int st_poison(struct st_space *s, unsigned long addr)
{
	struct st_poisoned_page *pp;
	struct st_page *p;

	p = st_present_anon_page(s, addr);
	if (!p)
		return -ENOENT;
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp) {
		st_page_put(p);
		return -ENOMEM;
	}
	if (!st_page_trylock(p)) {
		kfree(pp);
		st_page_put(p);
		return -EAGAIN;
	}
	if (st_page_test(p, ST_PG_SWAPCACHE)) {
		st_page_unlock(p);
		kfree(pp);
		st_page_put(p);
		return -EBUSY;
	}
	set_bit(ST_PG_HWPOISON, &p->flags);
	st_rmap_replace(p, st_page_pfn(p), ST_PTE_PRESENT, to_hwpoison, NULL);
	st_page_unlock(p);
	pp->p = p;			/* our reference: never reused */
	mutex_lock(&st_poison_lock);
	list_add(&pp->node, &st_poisoned);
	mutex_unlock(&st_poison_lock);
	return 0;
}

/* Unload: after every space is gone, the poisoned pages are freed. */
void st_poison_exit(void)
{
	struct st_poisoned_page *pp, *tp;

	list_for_each_entry_safe(pp, tp, &st_poisoned, node) {
		list_del(&pp->node);
		clear_bit(ST_PG_HWPOISON, &pp->p->flags);
		st_page_put(pp->p);
		kfree(pp);
	}
}
