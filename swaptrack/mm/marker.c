// SPDX-License-Identifier: GPL-2.0
/*
 * The pte_none_mostly() callers of seed 004 (the uffd-wp "special swap
 * pte" of July 2021, merged in 5.19 as the pte marker).
 *
 * A marker is a non-present pte that is no swap entry: it keeps the
 * uffd-wp protection of a file page that is not mapped.  pte_none() is
 * false for it.  Alistair Popple asked whether pte_none() should not say
 * true; Peter Xu kept it and changed the callers that mean "no page mapped
 * here" one by one: pte_none_mostly() of 5.19's pte marker series, which
 * converted get_mctgt_type() in "mm: teach core mm about pte markers"
 * (5c041f5d1f23).
 *
 * marker_none=strict is each caller below asking plain pte_none(), as it
 * was in 5.18, before markers existed; mostly (the default) is 6.12:
 *  - get_mctgt_type() (mm/memcontrol-v1.c; mm/memcontrol.c in 5.19), the
 *    caller the thread found really broken (v5 05/26);
 *  - userfaultfd_must_wait() (fs/userfaultfd.c), in fault.c;
 *  - mfill_atomic_install_pte() (mm/userfaultfd.c), under UFFDIO_COPY;
 *  - mincore_pte_range() (mm/mincore.c);
 *  - hmm_vma_handle_pte() (mm/hmm.c).
 * The fault and the zap are no pte_none() callers: both handle a marker
 * under either value (handle_pte_marker(), zap_drop_markers()).
 */
#include <linux/sched.h>
#include <linux/xarray.h>

#include "mm/compat.h"
#include "mm/fault.h"
#include "mm/marker.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"

/* The entry at addr; none where no table covers it.  ptl held. */
static pte_t read_pte(struct st_space *s, unsigned long addr)
{
	pte_t *ptep = st_pte_offset(&s->pt, addr);

	return ptep ? ptep_get(ptep) : __pte(0);
}

/* The page of the file's index, referenced; NULL for a hole or swap. */
static struct st_page *file_page(struct st_vma *v, unsigned long addr)
{
	struct st_page *p;

	if (!v->file)
		return NULL;
	p = xa_load(&v->file->pages, st_vma_index(v, addr));
	if (!p || xa_is_value(p) || !refcount_inc_not_zero(&p->ref))
		return NULL;
	return p;
}

/*
 * mem_cgroup_move_charge_pte_range() / get_mctgt_type() with
 * move_charge_at_immigrate = MOVE_ANON | MOVE_FILE: the task moved from
 * group 0 to group 1, and every page its range maps or could map moves its
 * charge along.  mostly: a marker is a none pte, and mc_handle_file_pte()
 * finds the page of the file behind it (Peter Xu: "the page/swap cache
 * could hide behind the special pte just like a none pte").  strict: the
 * marker is not none; is_swap_pte() takes it, mc_handle_swap_pte() finds a
 * non-swap entry and returns nothing: the page stays charged to group 0
 * (v5 05/26 as posted tested pte_has_swap_entry() first, false for it, and
 * then pte_none(): no target either).  A swapped pte's charge is in
 * swap_cgroup, which the model has not: it is left alone.
 */
unsigned long st_charge_move(struct st_space *s, unsigned long start,
			     unsigned long end)
{
	struct st_pte_info info;
	unsigned long addr, moved = 0;
	struct st_page *p;
	struct st_vma *v;
	pte_t pte;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			continue;
		spin_lock(&s->ptl);
		pte = read_pte(s, addr);
		st_pte_decode(pte, &info);
		p = NULL;
		if (info.kind == ST_PTE_PRESENT)
			p = st_page_get_pfn(info.pfn);
		else if (st_pte_none_mostly(pte))
			p = file_page(v, addr);
		/* folio_memcg() == mc.from: then mem_cgroup_move_account() */
		if (p && p->memcg == ST_MEMCG_FROM) {
			p->memcg = ST_MEMCG_TO;
			moved++;
		}
		spin_unlock(&s->ptl);
		if (p)
			st_page_put(p);
	}
	return moved;
}

/* __mincore_unmapped_range() / mincore_page() for one page. */
static unsigned char mincore_unmapped(struct st_vma *v, unsigned long addr)
{
	void *entry;

	if (!v->file)
		return 0;
	entry = xa_load(&v->file->pages, st_vma_index(v, addr));
	if (xa_is_value(entry))	/* filemap_get_incore_folio(): swap cache */
		return st_swapcache_has(xa_to_value(entry));
	return !!entry;
}

/*
 * mincore_pte_range(): what mincore() writes to vec, one byte per page.
 * mostly: a marker is looked up in the page cache ("We need to do cache
 * lookup too for pte markers").  strict: a marker falls to the branch of
 * the non-present entries and, being a non_swap_entry(), reads as
 * resident ("migration or hwpoison entries are always uptodate"), whether
 * the file holds the page, a swap entry or nothing.
 */
void st_mincore(struct st_space *s, unsigned long start, unsigned long nr,
		unsigned char *vec)
{
	struct st_pte_info info;
	unsigned long i, addr;
	struct st_vma *v;
	pte_t pte;

	for (i = 0; i < nr; i++) {
		addr = start + i * PAGE_SIZE;
		v = st_find_vma(s, addr);
		vec[i] = 0;
		if (!v)
			continue;
		spin_lock(&s->ptl);
		pte = read_pte(s, addr);
		st_pte_decode(pte, &info);
		if (st_pte_none_mostly(pte))
			vec[i] = mincore_unmapped(v, addr);
		else if (pte_present(pte))
			vec[i] = 1;
		else if (info.kind == ST_PTE_SWAP)
			vec[i] = st_swapcache_has(info.slot);
		else
			vec[i] = 1;
		spin_unlock(&s->ptl);
	}
}

#define ST_HMM_RETRIES	8

/*
 * hmm_range_fault() of one page with HMM_PFN_REQ_FAULT, read access, and
 * the device's read of the page it got: *tag.  hmm_vma_handle_pte():
 * mostly: a marker is a none pte, so the page is faulted in
 * (hmm_vma_fault(), handle_mm_fault()) and the walk tried again.  strict:
 * the marker goes down the non-present branch; no swap entry, not device
 * private or exclusive, no migration entry: "Report error for everything
 * else", -EFAULT, and the device gets no page at all.
 * Caller holds mmap_lock for read.
 */
int st_hmm_fault(struct st_space *s, unsigned long addr, u64 *tag)
{
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t pte;

	for (tries = 0; tries < ST_HMM_RETRIES; tries++) {
		spin_lock(&s->ptl);
		pte = read_pte(s, addr);
		st_pte_decode(pte, &info);
		if (info.kind == ST_PTE_PRESENT) {
			p = st_page_get_pfn(info.pfn);
			err = p ? st_page_tag(p, tag) : -EFAULT;
			spin_unlock(&s->ptl);
			if (p)
				st_page_put(p);
			return err;
		}
		spin_unlock(&s->ptl);
		if (!st_pte_none_mostly(pte) && info.kind != ST_PTE_SWAP &&
		    info.kind != ST_PTE_MIGRATION)
			return -ST_HMM_EFAULT;
		/* hmm_vma_fault(), or migration_entry_wait(): -EBUSY, again */
		err = st_fault(s, addr, false);
		if (err)
			return err;
	}
	return -EBUSY;
}

/*
 * UFFDIO_COPY into a shared file mapping: shmem_mfill_atomic_pte(), then
 * mfill_atomic_install_pte().  A new page holding @tag goes into the page
 * cache (-EEXIST where the index holds anything: a page or a swap entry),
 * then under the table lock the pte must be none: mostly lets it overwrite
 * a marker ("consider when both MISSING|WP registered, we firstly
 * wr-protect a none pte which has no page cache page backing it, then
 * access the page").  strict: the marker is not none, -EEXIST, and the page
 * leaves the page cache again: the monitor's data never lands, and the
 * faulting thread finds the same hole again.  With @wp
 * (UFFDIO_COPY_MODE_WP) the new pte is write-protected; without, the
 * marker's protection is overwritten, as in 6.12.
 * Caller holds mmap_lock for read.
 */
int st_uffd_copy(struct st_space *s, unsigned long addr, u64 tag, bool wp)
{
	struct st_vma *v = st_find_vma(s, addr);
	unsigned long index;
	struct st_page *p;
	struct st_file *f;
	pte_t *ptep, pte;
	int err;

	if (!v || (!v->uffd_wp && !v->uffd_missing))
		return -ENOENT;		/* find_dst_vma(): not registered */
	if (v->kind != ST_VMA_SHARED)
		return -EINVAL;		/* the model copies into shmem only */
	f = v->file;
	index = st_vma_index(v, addr);
	if (index >= READ_ONCE(f->size))
		return -EFAULT;		/* mfill_file_over_size() */
	p = st_page_alloc();
	if (!p)
		return -ENOMEM;
	st_page_fill(p, tag);
	set_bit(ST_PG_UPTODATE, &p->flags);
	p->file = f;
	p->index = index;
	st_page_get(p);			/* the index's reference */
	if (xa_cmpxchg(&f->pages, index, NULL, p, GFP_KERNEL)) {
		err = -EEXIST;		/* shmem_add_to_page_cache() */
		goto out_page;
	}
	ptep = st_pte_get_alloc(s, addr);
	err = -ENOMEM;
	if (!ptep)
		goto out_remove;
	spin_lock(&s->ptl);
	if (!st_pte_none_mostly(ptep_get(ptep))) {
		spin_unlock(&s->ptl);
		err = -EEXIST;
		goto out_remove;
	}
	pte = pte_mkdirty(st_mk_present(st_page_pfn(p), !wp));
	if (wp)
		pte = st_pte_mkuffd_wp(pte);
	atomic_inc(&p->mapcount);	/* our reference becomes the pte's */
	st_set_pte(ptep, pte);
	spin_unlock(&s->ptl);
	st_file_expect_set(f, index, tag);
	st_wp_expect(s, addr, wp);
	return 0;

out_remove:
	/* filemap_remove_folio(): out of the page cache again */
	xa_cmpxchg(&f->pages, index, p, NULL, 0);
out_page:
	p->file = NULL;
	st_page_put(p);
	st_page_put(p);
	return err;
}

/*
 * folio_memcg() of the page at index (memory.stat of that group would
 * count it): -ERANGE beyond the end, -ENOENT for a hole or a swap entry.
 */
int st_file_memcg(struct st_file *f, unsigned long index,
		  unsigned int *memcg)
{
	struct st_page *p;

	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	rcu_read_lock();	/* the page may be on its way out: see page.c */
	p = xa_load(&f->pages, index);
	if (p && (xa_is_value(p) || !refcount_inc_not_zero(&p->ref)))
		p = NULL;
	rcu_read_unlock();
	if (!p)
		return -ENOENT;
	*memcg = READ_ONCE(p->memcg);
	st_page_put(p);
	return 0;
}
