// SPDX-License-Identifier: GPL-2.0
/*
 * dup_mmap() / copy_pte_range(): the child gets every mapping and a copy of
 * every entry.  A present anonymous page is shared copy-on-write (both
 * ptes write-protected); a swap pte takes one more count on its slot.
 *
 * Counting a swap pte happens under the table locks, so a continuation page
 * can only be had with GFP_ATOMIC there.  When even that fails, the copy
 * unlocks, adds the continuation with GFP_KERNEL and retries the same pte;
 * only -ENOMEM means "continuation needed" (seed 000); any other error of
 * the duplicate fails the fork.
 *
 * The child is not registered with userfaultfd (no UFFD_FEATURE_EVENT_FORK):
 * its ptes lose their uffd-wp bits and its markers are not copied.  A
 * writable migration entry of a COW mapping becomes readable in both.
 */
#include <linux/err.h>
#include <linux/xarray.h>

#include "compat.h"
#include "fork.h"
#include "page.h"
#include "shmem.h"
#include "space.h"
#include "swapmap.h"
#include "thp.h"

/*
 * Copy one pte, both tables locked.  Returns 0, or -ENOMEM with *slot set
 * when a count continuation must be added outside the locks.
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
		err = __st_swap_duplicate(&info.slot, ST_USAGE_MAP, 1);
		if (err == -ENOMEM) {
			*slot = info.slot;
			return err;
		}
		if (err)
			return -EIO;
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
		err = __st_swap_duplicate(slot, ST_USAGE_MAP, ST_CLUSTER_NR);
		if (!err) {
			set_pmd(st_pmd_offset(&dst->pt, addr), pmd);
			err = 1;
		}
	}
	spin_unlock(&dst->ptl);
	spin_unlock(&src->ptl);
	return err;
}

static int copy_range(struct st_space *src, struct st_space *dst,
		      struct st_vma *v)
{
	unsigned long start = v->start, end = v->end;
	unsigned long addr, slot;
	pte_t *sp, *dp;
	int err;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
again:
		if (IS_ALIGNED(addr, PMD_SIZE) && addr + PMD_SIZE <= end) {
			err = copy_pmd_swap(src, dst, addr, &slot);
			if (err == -ENOMEM) {
				err = st_swap_add_continuation(slot, GFP_KERNEL);
				if (err < 0)
					return err;
				goto again;
			}
			if (err == -ENOTDIR) {
				/* the cluster was split: copy ptes */
				err = st_split_pmd_swap(src, addr);
				if (err)
					return err;
				goto again;
			}
			if (err < 0)
				return err;
			if (err == 1) {
				addr += PMD_SIZE - PAGE_SIZE;
				continue;
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
		dp = st_pte_get_alloc(dst, addr);
		if (!dp)
			return -ENOMEM;
		spin_lock(&src->ptl);
		spin_lock_nested(&dst->ptl, SINGLE_DEPTH_NESTING);
		err = copy_one_pte(v, sp, dp, &slot);
		spin_unlock(&dst->ptl);
		spin_unlock(&src->ptl);
		if (err == -ENOMEM) {
			err = st_swap_add_continuation(slot, GFP_KERNEL);
			if (err < 0)
				return err;
			goto again;
		}
		if (err)
			return err;
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
	down_write(&src->mmap_lock);
	down_write_nested(&dst->mmap_lock, SINGLE_DEPTH_NESTING);
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
	up_write(&dst->mmap_lock);
	up_write(&src->mmap_lock);
	if (err) {
		st_space_destroy(dst->id);
		st_space_put(dst);
		return ERR_PTR(err);
	}
	return dst;
}
