// SPDX-License-Identifier: GPL-2.0
/*
 * dup_mmap() / copy_pte_range(): the child gets every mapping and a copy of
 * every entry.  A present anonymous page is shared copy-on-write (both
 * ptes write-protected); a swap pte takes one more count on its slot.
 *
 * Counting a swap pte happens under the table locks, so a continuation page
 * can only be had with GFP_ATOMIC there.  When even that fails, the copy
 * unlocks, adds the continuation with GFP_KERNEL and retries the same pte.
 *
 * Seed 000 is what the other errors of the duplicate mean (dup_errors):
 *  - fixed: only -ENOMEM asks for a continuation; -ENOTDIR (a PMD swap
 *    entry whose huge cluster was split meanwhile) splits the PMD and
 *    copies its ptes; any other error fails the fork with -EIO.
 *  - swallow (swap_duplicate() before the 2018 series): every error but
 *    -ENOMEM reads as success, and the child gets an entry whose count was
 *    never raised.
 *  - propagate (the series as posted, v5): copy_pte_range() takes any
 *    error for "add a continuation": a page is allocated and freed for
 *    nothing, and the same entry is tried again.  For an error that does
 *    not go away that loop never ends; the model gives up after
 *    ST_DUP_LOOPS rounds and fails the fork with -EIO.
 *
 * The child is not registered with userfaultfd (no UFFD_FEATURE_EVENT_FORK):
 * its ptes lose their uffd-wp bits and its markers are not copied.  A
 * writable migration entry of a COW mapping becomes readable in both.
 */
#include <linux/err.h>
#include <linux/xarray.h>

#include "compat.h"
#include "fork.h"
#include "gate.h"
#include "page.h"
#include "policy.h"
#include "shmem.h"
#include "space.h"
#include "swapmap.h"
#include "thp.h"

/* rounds of a needless continuation before "propagate" gives up */
#define ST_DUP_LOOPS		4

/* The error of a duplicate as the code of dup_errors sees it. */
static int dup_seen(int err)
{
	if (err && err != -ENOMEM &&
	    st_policy(ST_POL_DUP_ERRORS) == ST_DUP_SWALLOW)
		return 0;
	return err;
}

/*
 * Copy one pte, both tables locked.  Returns 0, or the duplicate's error
 * with *slot set (-ENOMEM: a count continuation must be added outside the
 * locks).
 */
static int copy_one_pte(struct st_vma *v, pte_t *src, pte_t *dst,
			unsigned long *slot)
{
	pte_t pte = ptep_get(src);
	struct st_pte_info info;
	struct st_page *p;
	int err;

	st_pte_decode(pte, &info);
	switch (info.kind) {
	case ST_PTE_PRESENT:
		p = st_page_get_pfn(info.pfn);
		if (WARN_ON_ONCE(!p))
			return -EIO;
		if (info.write && v->kind != ST_VMA_SHARED) {
			pte = pte_wrprotect(pte);
			set_pte(src, pte);
		}
		atomic_inc(&p->mapcount);	/* the reference becomes dst's */
		pte = pte_clear_uffd_wp(pte);
		break;
	case ST_PTE_SWAP:
		err = dup_seen(__st_swap_duplicate(&info.slot, ST_USAGE_MAP,
						   1));
		if (err) {
			*slot = info.slot;
			return err;
		}
		pte = pte_swp_clear_uffd_wp(pte);
		break;
	case ST_PTE_MIGRATION:
		if (info.write && v->kind != ST_VMA_SHARED) {
			pte = swp_entry_to_pte(make_readable_migration_entry(info.pfn));
			if (info.uffd_wp)
				set_pte(src, pte_swp_mkuffd_wp(pte));
			else
				set_pte(src, pte);
		}
		pte = pte_swp_clear_uffd_wp(pte);
		break;
	case ST_PTE_MARKER:
		return 0;		/* the child is not uffd-wp registered */
	default:
		break;
	}
	set_pte(dst, pte);
	return 0;
}

/*
 * copy_huge_pmd() for a swap PMD: one swap_duplicate(&entry, HPAGE_PMD_NR)
 * covers every slot.  Returns 1 when copied, 0 when there is no swap PMD,
 * -ENOMEM (with *slot) for a continuation, -ENOTDIR when the cluster was
 * split and the caller must fall back to ptes.
 */
static int copy_pmd_swap(struct st_space *src, struct st_space *dst,
			 unsigned long addr, unsigned long *slot)
{
	pmd_t *sp = st_pmd_offset(&src->pt, addr);
	pmd_t pmd;
	int err = 0;

	spin_lock(&src->ptl);
	spin_lock_nested(&dst->ptl, SINGLE_DEPTH_NESTING);
	pmd = st_pmdp_get(sp);
	if (st_pmd_is_swap(pmd)) {
		*slot = st_pmd_slot(pmd);
		err = dup_seen(__st_swap_duplicate(slot, ST_USAGE_MAP,
						   ST_CLUSTER_NR));
		if (!err) {
			set_pmd(st_pmd_offset(&dst->pt, addr), pmd);
			err = 1;
		}
	}
	spin_unlock(&dst->ptl);
	spin_unlock(&src->ptl);
	return err;
}

/*
 * After a failed duplicate of the entry at slot: 1 to try the entry again,
 * 0 to fall back to ptes (-ENOTDIR, fixed), or the error failing the fork.
 */
static int dup_failed(int err, unsigned long slot, unsigned int *loops)
{
	bool propagate = st_policy(ST_POL_DUP_ERRORS) == ST_DUP_PROPAGATE;

	if (err == -ENOMEM || propagate) {
		if (err != -ENOMEM && ++*loops > ST_DUP_LOOPS)
			return -EIO;
		err = st_swap_add_continuation(slot, GFP_KERNEL);
		return err < 0 ? err : 1;
	}
	return err == -ENOTDIR ? 0 : -EIO;
}

/* Is there a swap entry to duplicate at addr?  Read without the locks. */
static bool swap_entry_at(struct st_space *s, unsigned long addr, pte_t *ptep)
{
	if (ptep)
		return is_swap_pte(ptep_get(ptep)) &&
		       !non_swap_entry(pte_to_swp_entry(ptep_get(ptep)));
	return st_pmd_is_swap(st_pmdp_get(st_pmd_offset(&s->pt, addr)));
}

static int copy_range(struct st_space *src, struct st_space *dst,
		      struct st_vma *v)
{
	unsigned long start = v->start, end = v->end;
	unsigned long addr, slot;
	unsigned int loops = 0;
	pte_t *sp, *dp;
	int err;

	for (addr = start; addr < end; addr += PAGE_SIZE, loops = 0) {
again:
		if (IS_ALIGNED(addr, PMD_SIZE) && addr + PMD_SIZE <= end) {
			/* parked with both mmap_locks held for write */
			if (swap_entry_at(src, addr, NULL)) {
				err = st_gate(ST_GATE_FORK_BEFORE_DUP);
				if (err)
					return err;
			}
			err = copy_pmd_swap(src, dst, addr, &slot);
			if (err == 1) {
				addr += PMD_SIZE - PAGE_SIZE;
				continue;
			}
			if (err < 0) {
				err = dup_failed(err, slot, &loops);
				if (err < 0)
					return err;
				/* -ENOTDIR: the cluster was split, copy ptes */
				if (!err)
					err = st_split_pmd_swap(src, addr);
				if (err < 0)
					return err;
				goto again;
			}
		}
		sp = st_pte_offset(&src->pt, addr);
		if (!sp && st_pmd_is_swap(st_pmdp_get(st_pmd_offset(&src->pt,
								    addr)))) {
			/* a swap PMD this mapping covers only in part */
			err = st_split_pmd_swap(src, addr);
			if (err)
				return err;
			goto again;
		}
		if (!sp) {
			addr = ALIGN(addr + 1, PMD_SIZE) - PAGE_SIZE;
			continue;
		}
		if (pte_none(ptep_get(sp)))
			continue;
		if (swap_entry_at(src, addr, sp)) {
			err = st_gate(ST_GATE_FORK_BEFORE_DUP);
			if (err)
				return err;
		}
		dp = st_pte_get_alloc(dst, addr);
		if (!dp)
			return -ENOMEM;
		slot = ULONG_MAX;
		spin_lock(&src->ptl);
		spin_lock_nested(&dst->ptl, SINGLE_DEPTH_NESTING);
		err = copy_one_pte(v, sp, dp, &slot);
		spin_unlock(&dst->ptl);
		spin_unlock(&src->ptl);
		if (err && slot == ULONG_MAX)
			return err;	/* not a duplicate that failed */
		if (err) {
			err = dup_failed(err, slot, &loops);
			if (err <= 0)
				return err ? err : -EIO;
			goto again;
		}
	}
	return 0;
}

struct st_space *st_fork(struct st_space *src)
{
	struct st_space *dst;
	unsigned long idx;
	unsigned int i;
	void *v;
	int err = 0;

	dst = st_space_new();
	if (IS_ERR(dst))
		return dst;
	/* dup_mmap(); the child is already visible by its id: id order */
	st_space_lock_two(src, dst, true);
	if (src->dead) {
		err = -ENOENT;
		goto out;
	}
	dst->anon_root = src->anon_root;	/* anon_vma_fork() */
	spin_lock(&dst->ptl);
	for (i = 0; i < src->nr_vmas; i++) {
		dst->vmas[i] = src->vmas[i];
		dst->vmas[i].uffd_wp = false;
		if (dst->vmas[i].file)
			kref_get(&dst->vmas[i].file->kref);
	}
	dst->nr_vmas = src->nr_vmas;
	spin_unlock(&dst->ptl);
	for (i = 0; i < src->nr_vmas && !err; i++)
		err = copy_range(src, dst, &src->vmas[i]);
	xa_for_each(&src->expect, idx, v)
		if (!err)
			err = xa_err(xa_store(&dst->expect, idx, v, GFP_KERNEL));
out:
	st_space_unlock_two(src, dst, true);
	if (err) {
		st_space_destroy(dst->id);
		st_space_put(dst);
		return ERR_PTR(err);
	}
	return dst;
}
