// SPDX-License-Identifier: GPL-2.0
/*
 * shrink_folio_list() for one anonymous page: add_to_swap(), try_to_unmap()
 * with a swap_duplicate() for every pte turned into a swap pte, pageout()
 * to the backing store, and __remove_mapping() out of the swap cache.
 *
 * try_to_unmap() visits the ptes the page's rmap reaches (rmap.c), one
 * per space of its lineage or per vma of its file's i_mmap.  Reclaim
 * holds no mmap_lock, as in the kernel, but the page lock; the table lock
 * is what keeps a space being destroyed from freeing its tables under the
 * walk.
 */
#include <linux/lockdep.h>

#include "mm/reclaim.h"
#include "mm/rmap.h"
#include "mm/space.h"
#include "race/gate.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

struct unmap_arg {
	struct st_page *p;
	unsigned long pfn;
	bool drop_markers;
	int err;
};

/*
 * try_to_unmap_one() over one space, page locked by the caller.  An
 * anonymous page (in the swap cache by now) leaves a swap pte that holds
 * a count on its slot; a file page leaves nothing, or the uffd-wp marker
 * of a registered file mapping.
 */
static int unmap_pte(struct st_space *s, unsigned long addr, pte_t *ptep,
		     void *data)
{
	struct unmap_arg *arg = data;
	pte_t pte = ptep_get(ptep);
	struct st_vma *v;

	if (!pte_present(pte) || pte_pfn(pte) != arg->pfn)
		return 0;
	if (st_page_anon(arg->p)) {
		/* every swap pte holds a count on the slot */
		if (st_swap_duplicate(arg->p->slot, GFP_ATOMIC)) {
			arg->err = -ENOMEM;
			return arg->err;
		}
		st_set_pte(ptep, st_mk_swap(arg->p->slot, pte_uffd_wp(pte)));
	} else {
		v = st_find_vma(s, addr);
		st_set_pte(ptep, __pte(0));
		if (v && v->uffd_wp && pte_uffd_wp(pte)) {
			if (!arg->drop_markers)
				st_set_pte(ptep,
					   make_pte_marker(PTE_MARKER_UFFD_WP));
			else
				st_wp_dropped(s, addr);
		}
	}
	atomic_dec(&arg->p->mapcount);
	st_page_put(arg->p);		/* the pte's reference */
	return 0;
}

/*
 * try_to_unmap(): -EBUSY if the page is still mapped afterwards.
 *
 * Locking: the caller holds p's page lock; as st_rmap_walk_page().
 */
int st_unmap_page(struct st_page *p, bool drop_markers)
{
	struct unmap_arg arg = {
		.p = p, .pfn = st_page_pfn(p), .drop_markers = drop_markers,
	};

	st_rmap_walk_page(p, unmap_pte, &arg);
	if (!arg.err && atomic_read(&p->mapcount))
		arg.err = -EBUSY;
	return arg.err;
}

/*
 * Reclaim one page; the caller holds a reference.  -EAGAIN when the page
 * is locked by someone else (reclaim skips it), -EBUSY when it stays mapped.
 */
int st_swapout_page(struct st_page *p)
{
	int err;

	if (!st_page_trylock(p))
		return -EAGAIN;
	err = -EINVAL;
	if (!st_page_anon(p))
		goto out;	/* file pages go through shmem_writepage() */
	/*
	 * memory_failure() took the page off the LRU (delete_from_lru_cache())
	 * under its lock: a reference taken before that must not put it in
	 * the swap cache, where its poison list reference would strand it.
	 */
	err = -EBUSY;
	if (st_page_test(p, ST_PG_HWPOISON))
		goto out;
	if (!st_page_test(p, ST_PG_SWAPCACHE)) {
		err = st_add_to_swap(p);
		if (err)
			goto out;
		/* in the swap cache, still mapped, locked */
		err = st_gate(ST_GATE_RECLAIM_AFTER_ADD);
		if (err)
			goto out;
	}
	err = st_unmap_page(p, false);
	if (err)
		goto out;
	/* unmapped, in the swap cache, locked; after a timeout it stays so */
	err = st_gate(ST_GATE_RECLAIM_AFTER_UNMAP);
	if (err)
		goto out;
	/*
	 * pageout(); a torn page cannot be written and stays cached.  Then
	 * __remove_mapping() with our reference: a page someone else still
	 * holds (a fault parked after lookup_swap_cache()) stays in the swap
	 * cache, unmapped, as shrink_folio_list()'s keep_locked.
	 */
	err = st_swap_writepage(p, p->slot);
	if (!err)
		st_swapcache_remove_mapping(p, 1);
out:
	st_page_unlock(p);
	return err;
}

/*
 * The pages present in [addr, addr + nr pages), referenced, into pages[];
 * returns how many.  What MADV_PAGEOUT gathers before reclaiming them.
 *
 * Locking: the caller holds the mmap_lock, the space alive; takes the ptl.
 */
unsigned long st_present_pages(struct st_space *s, unsigned long addr,
			       unsigned long nr, struct st_page **pages)
{
	struct st_pte_info info;
	unsigned long i, n = 0;
	pte_t *ptep;

	lockdep_assert_held(&s->mmap_lock);
	spin_lock(&s->ptl);
	for (i = 0; i < nr; i++) {
		ptep = st_pte_offset(&s->pt, addr + i * PAGE_SIZE);
		if (!ptep)
			continue;
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT)
			pages[n] = st_page_get_pfn(info.pfn);
		if (pages[n])
			n++;
	}
	spin_unlock(&s->ptl);
	return n;
}
