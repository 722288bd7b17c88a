// SPDX-License-Identifier: GPL-2.0
/*
 * KSM: two identical anonymous pages of two spaces become one, mapped
 * read-only in both and marked KSM.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/ksm.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "race/gate.h"
#include "swapdev/page.h"

static pte_t to_readonly(struct st_page *p, pte_t pte, void *arg)
{
	return pte_wrprotect(pte);
}

/*
 * try_to_merge_one_page(): write-protect both pages, compare them again,
 * make the one that stays KSM, and replace_page() the other space's pte
 * with it.  The stable page keeps an rmap item for the mapping it replaced
 * (stable_tree_append()): its rmap walk reaches its own lineage at its own
 * address, and each item's.
 *
 * Locking: the caller holds both mmap_locks for write (lower id first);
 * takes both page locks (trylock), the rmap walk's ptls and s2's ptl.
 */
int st_ksm_merge(struct st_space *s1, unsigned long a1,
		 struct st_space *s2, unsigned long a2)
{
	struct st_rmap_item *item = kzalloc(sizeof(*item), GFP_KERNEL);
	struct st_page *kpage, *p;
	struct st_pte_info info;
	u64 t1, t2;
	pte_t *ptep;
	int err = -ENOMEM;

	if (!item)
		return err;
	item->anon_root = s2->anon_root;
	item->addr = a2;
	err = -EINVAL;
	kpage = st_present_anon_page(s1, a1);
	p = st_present_anon_page(s2, a2);
	if (!kpage || !p || kpage == p) {
		err = -ENOENT;
		goto out;
	}
	if (st_page_tag(kpage, &t1) || st_page_tag(p, &t2) || t1 != t2)
		goto out;		/* not identical */
	err = -EAGAIN;
	if (!st_page_trylock(kpage))
		goto out;
	if (!st_page_trylock(p)) {
		st_page_unlock(kpage);
		goto out;
	}
	err = -EBUSY;
	if (st_page_test(kpage, ST_PG_SWAPCACHE) ||
	    st_page_test(p, ST_PG_SWAPCACHE))
		goto unlock;
	/*
	 * write_protect_page() of both, then pages_identical(): a store that
	 * came after the first comparison is seen now, and a later one faults
	 * (do_wp_page() cannot reuse a locked page: it copies), so that
	 * replace_page() below finds another pte and gives up.
	 */
	st_rmap_replace(kpage, st_page_pfn(kpage), ST_PTE_PRESENT, to_readonly,
			NULL);
	st_rmap_replace(p, st_page_pfn(p), ST_PTE_PRESENT, to_readonly, NULL);
	err = -EINVAL;
	if (st_page_tag(kpage, &t1) || st_page_tag(p, &t2) || t1 != t2)
		goto unlock;
	set_bit(ST_PG_KSM, &kpage->flags);
	/* both pages locked, both mmap_locks held for write */
	err = st_gate(ST_GATE_KSM_BEFORE_REPLACE);
	if (err)
		goto unlock;
	err = -EAGAIN;
	spin_lock(&s2->ptl);
	ptep = st_pte_offset(&s2->pt, a2);
	if (ptep) {
		st_pte_decode(ptep_get(ptep), &info);
		/* pte_same() with the write-protected pte */
		if (info.kind == ST_PTE_PRESENT &&
		    info.pfn == st_page_pfn(p) && !pte_write(ptep_get(ptep))) {
			atomic_inc(&kpage->mapcount);
			st_page_get(kpage);
			st_set_pte(ptep, pte_wrprotect(st_mk_present(st_page_pfn(kpage),
								     false)));
			atomic_dec(&p->mapcount);
			st_page_put(p);		/* the old pte's reference */
			err = 0;
		}
	}
	spin_unlock(&s2->ptl);
	if (!err) {
		/* the auditor reads the items under RCU alone */
		list_add_tail_rcu(&item->node, &kpage->rmap_items);
		item = NULL;
	}
unlock:
	st_page_unlock(p);
	st_page_unlock(kpage);
out:
	if (p)
		st_page_put(p);
	if (kpage)
		st_page_put(kpage);
	kfree(item);
	return err;
}
