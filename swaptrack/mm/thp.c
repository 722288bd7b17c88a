// SPDX-License-Identifier: GPL-2.0
/*
 * PMD swap entries.
 *
 * Swapout of a PMD-sized extent of exclusively mapped anonymous pages:
 * a whole cluster (every slot SWAP_HAS_CACHE), the pages into the swap
 * cache, then, under the table lock, one swp_entry_to_pmd() in place of
 * the PTE table and swap_duplicate(&entry, HPAGE_PMD_NR), writeback, and
 * the pages out of the swap cache.  The extent stands for a THP: the model
 * has no compound pages, so the 512 small pages play its part.
 *
 * Splitting the entry (__split_huge_swap_pmd()) puts a PTE table back with
 * one swap pte per slot: the counts do not change, each pte now holds the
 * count the PMD held on its slot.  A fault under a PMD swap entry splits
 * it first; zap frees a whole PMD at once and splits a partial one.
 */
#include <linux/gfp.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include <asm/pgalloc.h>

#include "mm/compat.h"
#include "mm/space.h"
#include "mm/thp.h"
#include "race/gate.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

/* Table lock held: fill table with the PMD's slots and link it. */
int st_split_pmd_swap_locked(pmd_t *pmdp, pte_t *table)
{
	pmd_t pmd = st_pmdp_get(pmdp);
	unsigned long slot, i;

	if (!st_pmd_is_swap(pmd))
		return -ENOENT;
	slot = st_pmd_slot(pmd);
	st_pte_table_bind(table, pmdp);
	for (i = 0; i < PTRS_PER_PTE; i++)
		st_set_pte(&table[i], st_mk_swap(slot + i, false));
	st_pmd_populate(pmdp, table);
	return 0;
}

int st_split_pmd_swap(struct st_space *s, unsigned long addr)
{
	pte_t *table;
	int err;

	/* the caller's mmap_lock held (fork: both, for write) */
	err = st_gate(ST_GATE_THP_BEFORE_SPLIT);
	if (err)
		return err;
	table = st_pte_prealloc();
	if (!table)
		return -ENOMEM;
	spin_lock(&s->ptl);
	err = s->pt.pmd ? st_split_pmd_swap_locked(st_pmd_offset(&s->pt, addr),
						   table) : -ENOENT;
	spin_unlock(&s->ptl);
	if (err)
		st_pte_table_free(table);
	return err;
}

/* The pages of the extent, referenced, if it can go out as one entry. */
static int gather(struct st_space *s, unsigned long base,
		  struct st_page **pages)
{
	struct st_pte_info info;
	struct st_page *p;
	pte_t *ptep;
	unsigned int i, n = 0;
	int err = 0;

	spin_lock(&s->ptl);
	for (i = 0; i < PTRS_PER_PTE && !err; i++) {
		ptep = st_pte_offset(&s->pt, base + i * PAGE_SIZE);
		if (!ptep) {
			err = -ENOENT;
			break;
		}
		st_pte_decode(ptep_get(ptep), &info);
		p = info.kind == ST_PTE_PRESENT ? st_page_get_pfn(info.pfn) : NULL;
		if (!p) {
			err = -ENOENT;
			break;
		}
		pages[n++] = p;
		if (!st_page_anon(p) || atomic_read(&p->mapcount) != 1 ||
		    st_page_test(p, ST_PG_KSM) || info.uffd_wp)
			err = -EBUSY;
	}
	spin_unlock(&s->ptl);
	if (err)
		while (n--)
			st_page_put(pages[n]);
	return err;
}

static void release(struct st_page **pages, unsigned int locked)
{
	unsigned int i;

	for (i = 0; i < PTRS_PER_PTE; i++) {
		if (i < locked)
			st_page_unlock(pages[i]);
		st_page_put(pages[i]);
	}
}

/*
 * Returns the first slot in *slotp on success.
 *
 * The real THP is mapped by the PMD itself and leaves no PTE table behind;
 * the model's extent has one, freed here.  A table is freed only under the
 * mmap_lock for write (free_pgtables() in exit and munmap): a fault holds
 * the pte it found in it with the mmap_lock for read and no ptl.
 *
 * Locking: the caller holds s->mmap_lock for write; takes the page locks,
 * then the ptl.
 */
int st_swapout_pmd(struct st_space *s, unsigned long addr,
		   unsigned long *slotp)
{
	struct st_page **pages;
	unsigned long slot, i;
	pte_t *table = NULL;
	pmd_t *pmdp;
	unsigned int locked = 0, added;
	struct st_vma *v;
	u32 gen;
	int err;

	lockdep_assert_held_write(&s->mmap_lock);
	v = st_find_vma(s, addr);
	/* a THP lies within one anonymous mapping */
	if (!IS_ALIGNED(addr, PMD_SIZE) || !v || !st_vma_is_anon(v) ||
	    v->end < addr + PMD_SIZE)
		return -EINVAL;
	pages = kcalloc(PTRS_PER_PTE, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	err = gather(s, addr, pages);
	if (err) {
		kfree(pages);
		return err;
	}
	for (locked = 0; locked < PTRS_PER_PTE; locked++) {
		if (!st_page_trylock(pages[locked])) {
			err = -EAGAIN;
			break;
		}
		if (st_page_test(pages[locked], ST_PG_SWAPCACHE)) {
			locked++;
			err = -EBUSY;
			break;
		}
	}
	if (err)
		goto out_release;
	err = st_swap_alloc_pmd(&slot, &gen);
	if (err)
		goto out_release;
	for (added = 0; added < PTRS_PER_PTE; added++) {
		err = st_swapcache_add(pages[added], slot + added);
		if (err)
			break;
	}
	/* every page cached and locked, still mapped; mmap_lock for write */
	if (!err)
		err = st_gate(ST_GATE_THP_AFTER_ADD);
	if (err) {
		/* a cache entry the slot commands left behind: give up */
		for (i = 0; i < added; i++)
			st_delete_from_swap_cache(pages[i]);
		for (i = added; i < PTRS_PER_PTE; i++)
			st_swapcache_clear(slot + i, 1);
		goto out_release;
	}

	spin_lock(&s->ptl);
	pmdp = st_pmd_offset(&s->pt, addr);
	for (i = 0; i < PTRS_PER_PTE; i++) {
		pte_t pte = ptep_get(pte_offset_kernel(pmdp, addr + i * PAGE_SIZE));

		if (!pte_present(pte) || pte_pfn(pte) != st_page_pfn(pages[i]))
			break;
	}
	if (i < PTRS_PER_PTE) {
		err = -EAGAIN;		/* a pte moved under us */
	} else {
		err = st_swap_duplicate_pmd(slot, GFP_ATOMIC);
		if (!err) {
			*slotp = slot;
			table = (pte_t *)pmd_page_vaddr(st_pmdp_get(pmdp));
			st_set_pmd(pmdp, st_mk_pmd_swap(slot));
			for (i = 0; i < PTRS_PER_PTE; i++) {
				atomic_dec(&pages[i]->mapcount);
				st_page_put(pages[i]);	/* the pte's */
			}
		}
	}
	spin_unlock(&s->ptl);
	if (table)
		st_pte_table_free(table);
	for (i = 0; i < PTRS_PER_PTE; i++) {
		/* pageout(), then __remove_mapping() */
		if (!err)
			st_swap_writepage(pages[i], slot + i);
		st_delete_from_swap_cache(pages[i]);
	}
out_release:
	release(pages, locked);
	kfree(pages);
	return err ? err : 0;
}
