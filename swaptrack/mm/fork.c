// SPDX-License-Identifier: GPL-2.0
/*
 * dup_mmap() / copy_pte_range(): the child gets every mapping and a copy of
 * every entry.  A present anonymous page is shared copy-on-write (both
 * ptes write-protected); a swap pte takes one more count on its slot.
 *
 * Counting a swap pte happens under both table locks: swap_duplicate()
 * first tries add_swap_count_continuation(GFP_ATOMIC) there, and when even
 * that fails copy_pte_range() drops the locks, adds the continuation with
 * GFP_KERNEL and retries the same pte.  Every dup_errors value has both.
 *
 * Seed 000 is what copy_pte_range() makes of swap_duplicate()'s other
 * errors, which only a corrupt pte gives (a pte whose slot count is gone:
 * "space drop-count", inject.c).  dup_errors:
 *  - pre_series: 570a335b8e22 ("swap_info: swap count continuations",
 *    2.6.34) through 4.19.  swap_duplicate() returns 0 for every error but
 *    -ENOMEM; copy_one_pte() copies the pte, its count never raised.
 *  - series_v5: "[PATCH -V5 RESEND 03/21] swap: Support PMD swap mapping
 *    in swap_duplicate()" (Sep 2018; the same hunks in -mm v4 and -V6 03/21).
 *    swap_duplicate() returns any error, copy_one_pte() still returns
 *    entry.val, and copy_pte_range() takes it for "add a continuation":
 *    add_swap_count_continuation(GFP_KERNEL) allocates a page and frees it
 *    (the count is not SWAP_MAP_MAX), and the same pte is tried again, for
 *    ever (Daniel Jordan's point; Ying: "the CPU may hang with dead loop").
 *    The model gives up after ST_DUP_RETRIES rounds and fails the fork with
 *    -ELOOP, which no kernel did.  -V8 03/21 only adds Ying's
 *    VM_BUG_ON(err && err != -ENOMEM && err != -ENOTDIR): the same without
 *    CONFIG_DEBUG_VM.
 *  - daniel: a reading of the thread, never posted as code: copy_one_pte()
 *    returns swap_duplicate()'s error, and copy_pte_range() adds a
 *    continuation for -ENOMEM only.  For the others the model returns the
 *    error from copy_pte_range(), as it returns -ENOMEM, and the fork fails
 *    with it: retrying would loop as the series does, and copying would be
 *    pre_series.
 *  - mainline (6.12, the default): swap_duplicate() swallows every error
 *    but -ENOMEM as before the series, copy_nonpresent_pte() turns -ENOMEM
 *    into -EIO, and copy_pte_range() reads the entry back from the source
 *    pte, unlocks and retries with GFP_KERNEL.  The corrupt pte is copied
 *    uncounted, as in pre_series.
 *
 * A swap PMD (the series' copy_huge_pmd(), -mm v4 and -V6 15/21, in every
 * dup_errors value): swap_duplicate(&entry, HPAGE_PMD_NR) copies it whole;
 * -ENOTDIR (its huge cluster was split meanwhile) splits the PMD and falls
 * back to ptes; -ENOMEM adds a continuation with GFP_KERNEL and retries;
 * anything else was VM_BUG_ON(1) there, -EIO here.
 *
 * The child is not registered with userfaultfd (no UFFD_FEATURE_EVENT_FORK):
 * its ptes lose their uffd-wp bits and its markers are not copied.  A
 * writable migration entry of a COW mapping becomes readable in both.
 */
#include <linux/err.h>
#include <linux/xarray.h>

#include "mm/anon.h"
#include "mm/compat.h"
#include "mm/fork.h"
#include "mm/i_mmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/thp.h"
#include "race/gate.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapmap.h"

/* add_swap_count_continuation(): 0 when done or not needed, or -ENOMEM */
static int add_continuation(unsigned long slot, gfp_t gfp)
{
	int ret = st_swap_add_continuation(slot, gfp);

	return ret < 0 ? ret : 0;
}

/*
 * swap_duplicate(), both table locks held: the GFP_ATOMIC continuation is
 * tried here.  nr is 1, or ST_CLUSTER_NR for the series' PMD duplicate.
 * pre_series and mainline return only -ENOMEM; the series returns every
 * error of __swap_duplicate(), with *slot the slot that failed.
 */
static int fork_swap_duplicate(unsigned long *slot, unsigned int nr)
{
	unsigned int pol = st_policy(ST_POL_DUP_ERRORS);
	unsigned long s;
	int err = 0, dup;

	/*
	 * The series retries with *entry moved to the failing slot of a PMD
	 * (unaligned: a VM_BUG_ON); the model retries from the first slot.
	 */
	while (!err) {
		s = *slot;
		dup = __st_swap_duplicate(&s, ST_USAGE_MAP, nr);
		if (dup != -ENOMEM) {
			if (nr == 1 && (pol == ST_DUP_PRE_SERIES ||
					pol == ST_DUP_MAINLINE))
				dup = 0;	/* "Returns 0, just as if it succeeded" */
			if (dup)
				*slot = s;
			return dup;
		}
		err = add_continuation(s, GFP_ATOMIC);
		if (err)
			*slot = s;
	}
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
			st_set_pte(src, pte);
		}
		atomic_inc(&p->mapcount);	/* the reference becomes dst's */
		pte = pte_clear_uffd_wp(pte);
		break;
	case ST_PTE_SWAP:
		/*
		 * pre_series, series_v5: copy_one_pte() returns entry.val;
		 * mainline: copy_nonpresent_pte() returns -EIO and
		 * copy_pte_range() reads the entry back from src, still
		 * locked; daniel: the error.  Here: the error and the slot.
		 */
		*slot = info.slot;
		err = fork_swap_duplicate(slot, 1);
		if (err)
			return err;
		pte = pte_swp_clear_uffd_wp(pte);
		break;
	case ST_PTE_MIGRATION:
		if (info.write && v->kind != ST_VMA_SHARED) {
			pte = swp_entry_to_pte(make_readable_migration_entry(info.pfn));
			if (info.uffd_wp)
				st_set_pte(src, pte_swp_mkuffd_wp(pte));
			else
				st_set_pte(src, pte);
		}
		pte = pte_swp_clear_uffd_wp(pte);
		break;
	case ST_PTE_MARKER:
		return 0;		/* the child is not uffd-wp registered */
	default:
		break;
	}
	st_set_pte(dst, pte);
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
		err = fork_swap_duplicate(slot, ST_CLUSTER_NR);
		if (!err) {
			st_set_pmd(st_pmd_offset(&dst->pt, addr), pmd);
			err = 1;
		}
	}
	spin_unlock(&dst->ptl);
	spin_unlock(&src->ptl);
	return err;
}

/*
 * copy_pte_range() after copy_one_pte() failed to count the swap pte at
 * slot, the locks dropped: 1 to retry the same pte, or the error failing
 * the fork.
 */
static int pte_dup_failed(int err, unsigned long slot, unsigned int *retries)
{
	/*
	 * series_v5 comes back here for ever; -ENOMEM needs one round.  The
	 * bound is the model's, for every value: a fork never hangs.
	 */
	if (++*retries > ST_DUP_RETRIES)
		return -ELOOP;
	switch (st_policy(ST_POL_DUP_ERRORS)) {
	case ST_DUP_SERIES_V5:
		/* entry.val: every error asks for a continuation */
		break;
	case ST_DUP_DANIEL:
		if (err != -ENOMEM)
			return err;
		break;
	default:
		/* pre_series, mainline: only -ENOMEM comes back */
		break;
	}
	return add_continuation(slot, GFP_KERNEL) ? -ENOMEM : 1;
}

/*
 * The series' copy_huge_pmd() after swap_duplicate(&entry, HPAGE_PMD_NR)
 * failed, the locks dropped: 1 to retry the PMD, 0 to split it and copy
 * ptes, or the error failing the fork.
 */
static int pmd_dup_failed(int err, unsigned long slot, unsigned int *retries)
{
	if (++*retries > ST_DUP_RETRIES)
		return -ELOOP;
	if (err == -ENOTDIR)
		return 0;
	if (err == -ENOMEM)
		return add_continuation(slot, GFP_KERNEL) ? -ENOMEM : 1;
	return -EIO;		/* VM_BUG_ON(1) in the series */
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
	unsigned int retries = 0;
	pte_t *sp, *dp;
	int err;

	for (addr = start; addr < end; addr += PAGE_SIZE, retries = 0) {
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
				err = pmd_dup_failed(err, slot, &retries);
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
			err = pte_dup_failed(err, slot, &retries);
			if (err < 0)
				return err;
			goto again;
		}
	}
	return 0;
}

/*
 * dup_mmap() into dst, a new space: the vmas, every range's entries, the
 * auditor's records.  On error the caller destroys dst.
 *
 * Locking: the caller holds both mmap_locks for write (st_space_lock_two(),
 * id order: dst is visible by its id already), src alive; takes the
 * lineages' rwsems and the files' i_mmap_rwsems (dst joins them), then
 * each space's ptl, src's before dst's (copy_range()).
 */
int st_fork_copy(struct st_space *src, struct st_space *dst)
{
	unsigned long idx;
	unsigned int i;
	void *v;
	int err = 0;

	lockdep_assert_held_write(&src->mmap_lock);
	lockdep_assert_held_write(&dst->mmap_lock);
	st_anon_fork(dst, src);			/* anon_vma_fork() */
	spin_lock(&dst->ptl);
	for (i = 0; i < src->nr_vmas; i++) {
		dst->vmas[i] = src->vmas[i];
		dst->vmas[i].uffd_wp = false;
		RB_CLEAR_NODE(&dst->vmas[i].shared.rb);
		if (dst->vmas[i].file)
			kref_get(&dst->vmas[i].file->kref);
	}
	dst->nr_vmas = src->nr_vmas;
	spin_unlock(&dst->ptl);
	/* before any pte is copied: the rmap of each page finds dst's */
	for (i = 0; i < dst->nr_vmas; i++)
		if (dst->vmas[i].file)
			st_i_mmap_link(dst, &dst->vmas[i]);
	for (i = 0; i < src->nr_vmas && !err; i++)
		err = copy_range(src, dst, &src->vmas[i]);
	xa_for_each(&src->expect, idx, v)
		if (!err)
			err = xa_err(xa_store(&dst->expect, idx, v, GFP_KERNEL));
	return err;
}
