// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults: handle_pte_fault() and the three paths the model needs,
 * do_anonymous_page(), do_wp_page() and do_swap_page().
 *
 * The pte is read without the table lock first (vmf->orig_pte); every path
 * that changes it retakes the lock and checks pte_same() before writing.
 * For a swap pte that check is only meaningful while the swap entry is
 * pinned, which is why do_swap_page() holds the swap-cache page locked and
 * rechecks that it is still the cache page of that very slot (seed 002).
 * A path that loses a race returns -EAGAIN and the fault is retried, as a
 * CPU would retry the access.
 */
#include <linux/sched.h>

#include "fault.h"
#include "page.h"
#include "space.h"
#include "swapcache.h"
#include "swapio.h"
#include "swapmap.h"

#define ST_FAULT_RETRIES	1000

static int do_anonymous_page(struct st_space *s, unsigned long addr,
			     pte_t *ptep, pte_t orig, bool write)
{
	struct st_page *p = st_page_alloc();
	pte_t pte;

	if (!p)
		return -ENOMEM;
	st_page_fill(p, 0);
	set_bit(ST_PG_UPTODATE, &p->flags);
	pte = st_mk_present(st_page_pfn(p), write);
	if (write)
		pte = pte_mkdirty(pte);

	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&s->ptl);
		st_page_put(p);
		return -EAGAIN;
	}
	atomic_inc(&p->mapcount);	/* our reference becomes the pte's */
	set_pte(ptep, pte);
	spin_unlock(&s->ptl);
	return 0;
}

/*
 * wp_can_reuse_anon_folio(): only an exclusive page is reused in place; one
 * still in the swap cache is first freed from it if no pte refers to its
 * slot any more.
 */
static bool can_reuse(struct st_page *p)
{
	bool reuse;

	if (st_page_test(p, ST_PG_KSM) || !st_page_trylock(p))
		return false;
	if (st_page_test(p, ST_PG_SWAPCACHE))
		st_try_to_free_swap(p);
	/* our reference and the pte's: nobody else */
	reuse = !st_page_test(p, ST_PG_SWAPCACHE) &&
		atomic_read(&p->mapcount) == 1 &&
		refcount_read(&p->ref) == 2;
	st_page_unlock(p);
	return reuse;
}

static int do_wp_page(struct st_space *s, unsigned long addr, pte_t *ptep,
		      pte_t orig)
{
	struct st_page *old, *new;
	pte_t pte;

	old = st_page_get_pfn(pte_pfn(orig));
	if (WARN_ON_ONCE(!old))
		return -EIO;
	if (can_reuse(old)) {
		spin_lock(&s->ptl);
		if (pte_same(ptep_get(ptep), orig))
			set_pte(ptep, pte_mkdirty(st_mk_present(pte_pfn(orig),
								true)));
		spin_unlock(&s->ptl);
		st_page_put(old);
		return 0;
	}

	new = st_page_alloc();
	if (!new) {
		st_page_put(old);
		return -ENOMEM;
	}
	st_page_copy(new, old);
	set_bit(ST_PG_UPTODATE, &new->flags);
	pte = pte_mkdirty(st_mk_present(st_page_pfn(new), true));

	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&s->ptl);
		st_page_put(new);
		st_page_put(old);
		return -EAGAIN;
	}
	atomic_inc(&new->mapcount);
	set_pte(ptep, pte);
	atomic_dec(&old->mapcount);
	st_page_put(old);		/* the old pte's reference */
	spin_unlock(&s->ptl);
	st_page_put(old);
	return 0;
}

/*
 * __read_swap_cache_async(): a new locked page takes SWAP_HAS_CACHE, joins
 * the swap cache and is read.  -EEXIST from swapcache_prepare() means
 * another thread is adding the page: look it up again.  Returns the page
 * referenced and unlocked, or NULL when the slot has no reference left.
 */
static struct st_page *swapin(unsigned long slot, int *err)
{
	struct st_page *p;
	int tries;

	for (tries = 0; tries < ST_FAULT_RETRIES; tries++) {
		p = st_swapcache_lookup(slot);
		if (p)
			return p;
		p = st_page_alloc();
		if (!p) {
			*err = -ENOMEM;
			return NULL;
		}
		*err = st_swapcache_prepare(slot);
		if (*err == -EEXIST) {
			st_page_put(p);
			schedule_timeout_uninterruptible(1);
			continue;
		}
		if (*err) {
			st_page_put(p);
			return NULL;
		}
		st_page_trylock(p);	/* new, nobody else sees it */
		*err = st_swapcache_add(p, slot);
		if (*err) {
			st_swapcache_clear(slot, 1);
			st_page_unlock(p);
			st_page_put(p);
			return NULL;
		}
		st_swap_readpage(p, slot);
		st_page_unlock(p);
		return p;
	}
	*err = -EAGAIN;
	return NULL;
}

static int do_swap_page(struct st_space *s, unsigned long addr, pte_t *ptep,
			pte_t orig, bool write)
{
	struct st_pte_info info;
	struct st_page *p;
	bool writable;
	pte_t pte;
	int err;

	st_pte_decode(orig, &info);
	p = swapin(info.slot, &err);
	if (!p) {
		/* the entry may be gone because the pte changed under us */
		spin_lock(&s->ptl);
		if (!pte_same(ptep_get(ptep), orig))
			err = -EAGAIN;
		else if (err == -ENOENT)
			err = -EIO;	/* a swap pte of a free slot */
		spin_unlock(&s->ptl);
		return err;
	}

	st_page_lock(p);
	/* lookup_swap_cache() gave no lock: is it still this slot's page? */
	if (!st_page_test(p, ST_PG_SWAPCACHE) || p->slot != info.slot) {
		err = -EAGAIN;
		goto out_page;
	}

	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		err = -EAGAIN;
		goto out_ptl;
	}
	if (!st_page_test(p, ST_PG_UPTODATE)) {
		err = -ST_SIGBUS;	/* the read failed */
		goto out_ptl;
	}

	st_swap_free(info.slot);
	if (write)
		st_try_to_free_swap(p);
	writable = write && !st_page_test(p, ST_PG_SWAPCACHE) &&
		   !st_page_test(p, ST_PG_KSM) &&
		   !atomic_read(&p->mapcount) && refcount_read(&p->ref) == 1 &&
		   !info.uffd_wp;
	pte = st_mk_present(st_page_pfn(p), writable);
	if (writable)
		pte = pte_mkdirty(pte);
	if (info.uffd_wp)
		pte = pte_mkuffd_wp(pte);
	atomic_inc(&p->mapcount);
	st_page_get(p);			/* the pte's reference */
	set_pte(ptep, pte);
	/* a write that could not map writable goes on to do_wp_page() */
	err = write && !writable ? -EAGAIN : 0;
out_ptl:
	spin_unlock(&s->ptl);
out_page:
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

/* handle_mm_fault() for one address; caller holds mmap_lock for read. */
int st_fault(struct st_space *s, unsigned long addr, bool write)
{
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t *ptep;
	pte_t orig;

	for (tries = 0; tries < ST_FAULT_RETRIES; tries++) {
		ptep = st_pte_get_alloc(s, addr);
		if (!ptep)
			return -ENOMEM;
		orig = ptep_get(ptep);
		st_pte_decode(orig, &info);
		switch (info.kind) {
		case ST_PTE_NONE:
		case ST_PTE_MARKER:
			err = do_anonymous_page(s, addr, ptep, orig, write);
			break;
		case ST_PTE_PRESENT:
			if (write && info.uffd_wp)
				return -ST_SIGBUS;	/* a userfault */
			err = write && !info.write ?
			      do_wp_page(s, addr, ptep, orig) : 0;
			break;
		case ST_PTE_SWAP:
			err = do_swap_page(s, addr, ptep, orig, write);
			break;
		case ST_PTE_MIGRATION:
			/* migration_entry_wait(): sleep on the page lock */
			p = st_page_get_pfn(info.pfn);
			if (p) {
				st_page_lock(p);
				st_page_unlock(p);
				st_page_put(p);
			}
			err = -EAGAIN;
			break;
		case ST_PTE_HWPOISON:
		default:
			return -ST_SIGBUS;
		}
		if (err != -EAGAIN)
			return err;
		cond_resched();
	}
	return -EAGAIN;
}

/*
 * A store to addr: fault until the pte is present and writable, then
 * write the tag under the table lock so that reclaim cannot unmap the page
 * half way.
 */
int st_access_write(struct st_space *s, unsigned long addr, u64 tag)
{
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t *ptep;

	for (tries = 0; tries < ST_FAULT_RETRIES; tries++) {
		err = st_fault(s, addr, true);
		if (err)
			return err;
		spin_lock(&s->ptl);
		ptep = st_pte_offset(&s->pt, addr);
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT && info.write) {
			p = st_page_get_pfn(info.pfn);
			if (WARN_ON_ONCE(!p)) {
				spin_unlock(&s->ptl);
				return -EIO;
			}
			st_page_fill(p, tag);
			set_pte(ptep, pte_mkdirty(ptep_get(ptep)));
			spin_unlock(&s->ptl);
			st_page_put(p);
			st_expect_set(s, addr, tag);
			return 0;
		}
		spin_unlock(&s->ptl);
	}
	return -EAGAIN;
}

/* A load from addr: -EIO if the page is torn (its words disagree). */
int st_access_read(struct st_space *s, unsigned long addr, u64 *tag)
{
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t *ptep;

	for (tries = 0; tries < ST_FAULT_RETRIES; tries++) {
		err = st_fault(s, addr, false);
		if (err)
			return err;
		spin_lock(&s->ptl);
		ptep = st_pte_offset(&s->pt, addr);
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT) {
			p = st_page_get_pfn(info.pfn);
			if (WARN_ON_ONCE(!p)) {
				spin_unlock(&s->ptl);
				return -EIO;
			}
			err = st_page_tag(p, tag);
			spin_unlock(&s->ptl);
			st_page_put(p);
			return err;
		}
		spin_unlock(&s->ptl);
	}
	return -EAGAIN;
}
