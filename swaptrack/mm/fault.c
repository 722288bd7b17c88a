// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults: handle_pte_fault() and the paths the model needs:
 * do_anonymous_page(), do_fault() on a file (read, shared, COW),
 * do_wp_page() and do_swap_page().
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

#include "mm/compat.h"
#include "mm/fault.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/swapin_sync.h"
#include "mm/thp.h"
#include "race/gate.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

#define ST_FAULT_RETRIES	1000
/* a migration entry that outlives this is a migrator that never ended */
#define ST_MIGRATION_WAIT	(10 * HZ)

/*
 * Install a new pte for page p at addr if the entry is still orig; takes
 * p's reference.  With @tag, the record of what addr holds is set under
 * the same ptl, as the store that follows the fault sets it (the caller
 * reserved the record, st_expect_reserve()).
 */
static int map_new_tagged(struct st_space *s, unsigned long addr, pte_t *ptep,
			  pte_t orig, struct st_page *p, pte_t pte,
			  const u64 *tag)
{
	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&s->ptl);
		st_page_put(p);
		return -EAGAIN;
	}
	atomic_inc(&p->mapcount);	/* our reference becomes the pte's */
	st_set_pte(ptep, pte);
	if (tag)
		st_expect_set(s, addr, *tag);
	spin_unlock(&s->ptl);
	return 0;
}

static int map_new(struct st_space *s, pte_t *ptep, pte_t orig,
		   struct st_page *p, pte_t pte)
{
	return map_new_tagged(s, 0, ptep, orig, p, pte, NULL);
}

static pte_t mk_fault_pte(struct st_page *p, bool write, bool uffd_wp)
{
	pte_t pte = st_mk_present(st_page_pfn(p), write);

	if (write)
		pte = pte_mkdirty(pte);
	/* finish_fault(): a marker's write-protection carries over */
	if (uffd_wp)
		pte = st_pte_mkuffd_wp(pte);
	return pte;
}

/*
 * A new anonymous page of s for addr: its rmap (folio_add_new_anon_rmap())
 * names s's lineage and the address, the page's index.
 */
static struct st_page *anon_page_init(struct st_space *s, unsigned long addr,
				      struct st_page *p)
{
	p->anon_root = s->anon_root;
	p->index = addr >> PAGE_SHIFT;
	set_bit(ST_PG_UPTODATE, &p->flags);
	return p;
}

static struct st_page *new_anon_page(struct st_space *s, unsigned long addr,
				     struct st_page *from)
{
	struct st_page *p = st_page_alloc();

	if (!p)
		return NULL;
	if (from)
		st_page_copy(p, from);
	else
		st_page_fill(p, 0);
	return anon_page_init(s, addr, p);
}

static int do_anonymous_page(struct st_space *s, unsigned long addr,
			     pte_t *ptep, pte_t orig, bool write)
{
	struct st_page *p = new_anon_page(s, addr, NULL);

	if (!p)
		return -ENOMEM;
	return map_new(s, ptep, orig, p, mk_fault_pte(p, write, false));
}

/*
 * do_anonymous_page() for a write of tag, at a pte that was none (orig):
 * the page is allocated already holding the tag, one fill instead of
 * three.  The caller reserved addr's record (st_expect_reserve()).
 */
int st_fault_anon_tagged(struct st_space *s, unsigned long addr, pte_t *ptep,
			 pte_t orig, u64 tag)
{
	struct st_page *p = st_page_alloc_tag(tag);

	if (!p)
		return -ENOMEM;
	anon_page_init(s, addr, p);
	return map_new_tagged(s, addr, ptep, orig, p,
			      mk_fault_pte(p, true, false), &tag);
}

/*
 * handle_userfault(): the message is queued, then userfaultfd_must_wait()
 * (fs/userfaultfd.c) reads the pte again, without the table lock, to tell
 * whether the fault still needs the monitor.  If it does, the thread
 * sleeps until the monitor answers (the model returns the userfault).  If
 * not, the message is taken back unread and the fault retried
 * (VM_FAULT_RETRY).  6.12 asks pte_none_mostly(): a marker still needs the
 * monitor.  With plain pte_none() (marker_none=strict) a marker is neither
 * none nor a present read-only pte: must_wait is false, and a missing
 * fault on a marker over a hole is retried for ever without the monitor
 * ever being woken.  The gate uffd.must_wait is the window between the
 * fault's decision and that re-read.
 */
static int handle_userfault(struct st_space *s, unsigned long addr, bool wp)
{
	pte_t *ptep, pte = __pte(0);
	bool must_wait;
	int err;

	err = st_gate(ST_GATE_UFFD_MUST_WAIT);
	if (err)
		return err;
	spin_lock(&s->ptl);
	ptep = st_pte_offset(&s->pt, addr);
	if (ptep)
		pte = ptep_get(ptep);
	spin_unlock(&s->ptl);
	must_wait = !ptep || st_pte_none_mostly(pte) ||
		    (wp && pte_present(pte) && !pte_write(pte));
	if (!must_wait)
		return -EAGAIN;
	return wp ? -ST_USERFAULT : -ST_USERFAULT_MISSING;
}

/*
 * do_fault(): a read maps the file page, a write to a shared mapping maps
 * it writable, a write to a private one copies it (do_cow_fault()), and
 * the copy is what this address holds from now on.
 */
static int do_fault(struct st_space *s, struct st_vma *v, unsigned long addr,
		    pte_t *ptep, pte_t orig, bool write, bool uffd_wp)
{
	unsigned long index = st_vma_index(v, addr);
	struct st_page *fp, *p;
	bool cow, wp_retry = write && uffd_wp;
	u64 tag;
	int err;

	/*
	 * A write on a marker: finish_fault() maps the page read-only with
	 * the marker's uffd-wp bit; the write then faults again and
	 * do_wp_page() raises the userfault on the present pte.
	 */
	if (wp_retry)
		write = false;
	cow = write && v->kind == ST_VMA_PRIVATE;
	/* shmem_fault(): first, a range being hole-punched is waited out */
	err = st_file_falloc_wait(v->file, index);
	if (err)
		return err;
	/*
	 * shmem_get_folio_gfp(): nothing in the page cache (no page, no swap
	 * entry) and the vma registered for missing faults: handle_userfault()
	 * instead of a new page.
	 */
	if (v->uffd_missing && index < READ_ONCE(v->file->size) &&
	    !xa_load(&v->file->pages, index))
		return handle_userfault(s, addr, false);
	/*
	 * shmem_fault(): vmf_error() makes SIGBUS of beyond-EOF and of the
	 * -ENOENT a lost swapin race returns under enoent_no_retry (seed 003).
	 */
	err = st_file_get_page(v->file, index, &fp);
	/* VM_FAULT_OOM: pagefault_out_of_memory() lets the access retry */
	if (err == -ENOMEM)
		return -EAGAIN;
	if (err)
		return err == -ERANGE || err == -ENOENT ? -ST_SIGBUS : err;
	/* the file page locked and referenced, not mapped; mmap_lock read */
	err = st_gate(ST_GATE_FAULT_FILE_PAGE);
	if (err) {
		st_page_unlock(fp);
		st_page_put(fp);
		return err;
	}
	if (!cow) {
		st_page_get(fp);
		err = map_new(s, ptep, orig, fp,
			      mk_fault_pte(fp, write, uffd_wp));
		st_page_unlock(fp);
		st_page_put(fp);
		return err ?: (wp_retry ? -EAGAIN : 0);
	}
	/*
	 * do_cow_fault() keeps the file page locked until finish_fault() has
	 * mapped the copy: a truncation's undo range waits for that lock, so
	 * its second unmap_mapping_range() comes after the copy's pte and
	 * takes it ("unmap again to remove racily COWed private pages").
	 */
	p = new_anon_page(s, addr, fp);
	if (!p) {
		err = -ENOMEM;
		goto out;
	}
	tag = st_file_expect(v->file, index);
	/* the copy made, not mapped; the file page still locked */
	err = st_gate(ST_GATE_FAULT_COW_COPIED);
	if (err) {
		st_page_put(p);
		goto out;
	}
	err = map_new(s, ptep, orig, p, mk_fault_pte(p, true, false));
	if (!err)
		st_expect_set(s, addr, tag);
out:
	st_page_unlock(fp);
	st_page_put(fp);
	return err;
}

/*
 * wp_can_reuse_anon_folio(): only an exclusive anonymous page is reused in
 * place; one still in the swap cache is first freed from it if no pte
 * refers to its slot any more.
 */
static bool can_reuse(struct st_page *p)
{
	bool reuse;

	if (!st_page_anon(p) || st_page_test(p, ST_PG_KSM))
		return false;
	/* other references than the pte's, ours and the cache's: give up */
	if (refcount_read(&p->ref) > 2 + st_page_test(p, ST_PG_SWAPCACHE))
		return false;
	if (!st_page_trylock(p))
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

static int do_wp_page(struct st_space *s, struct st_vma *v,
		      unsigned long addr, pte_t *ptep, pte_t orig)
{
	bool from_file, shared = v->kind == ST_VMA_SHARED;
	struct st_page *old, *new;
	u64 tag = 0;

	/*
	 * orig was read without the lock: the page may have been unmapped and
	 * freed since.  Only while the pte still maps it is it alive.
	 */
	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&s->ptl);
		return -EAGAIN;
	}
	old = st_page_get_pfn(pte_pfn(orig));
	spin_unlock(&s->ptl);
	if (WARN_ON_ONCE(!old))
		return -EIO;
	if (shared || can_reuse(old)) {
		/* wp_page_shared() / wp_page_reuse() */
		spin_lock(&s->ptl);
		if (pte_same(ptep_get(ptep), orig))
			st_set_pte(ptep, pte_mkdirty(st_mk_present(pte_pfn(orig),
								   true)));
		spin_unlock(&s->ptl);
		st_page_put(old);
		return 0;
	}

	/* wp_page_copy() */
	from_file = !st_page_anon(old);
	if (from_file)
		tag = st_file_expect(v->file, st_vma_index(v, addr));
	new = new_anon_page(s, addr, old);
	if (!new) {
		st_page_put(old);
		return -ENOMEM;
	}
	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		spin_unlock(&s->ptl);
		st_page_put(new);
		st_page_put(old);
		return -EAGAIN;
	}
	atomic_inc(&new->mapcount);
	st_set_pte(ptep, mk_fault_pte(new, true, false));
	atomic_dec(&old->mapcount);
	st_page_put(old);		/* the old pte's reference */
	spin_unlock(&s->ptl);
	st_page_put(old);
	if (from_file)
		st_expect_set(s, addr, tag);
	return 0;
}

/*
 * ksm_might_need_to_copy(): a swap-cache page already mapped by spaces of
 * another anon_vma root (a KSM page swapped out from unrelated spaces and
 * read back for one of them) is not mapped as it is but copied into a page
 * of the faulting space; so is one of this root first mapped at another
 * address (folio->index against linear_page_index()).
 */
static bool ksm_needs_copy(struct st_space *s, unsigned long addr,
			   struct st_page *p)
{
	if (st_page_test(p, ST_PG_KSM) || !p->anon_root ||
	    (p->anon_root == s->anon_root && p->index == addr >> PAGE_SHIFT))
		return false;
	/*
	 * uptodate_check=no_copy (3.9 .. 6.12; Hugh Dickins, "ksm: remove old
	 * stable nodes more thoroughly", [PATCH 6/11] of Jan 2013):
	 * ksm_might_need_to_copy() returns a !PageUptodate page itself, "let
	 * do_swap_page report the error".  after_copy (2.6.35 .. 3.8):
	 * ksm_does_need_to_copy() copied it and marked the copy uptodate.
	 */
	return st_policy(ST_POL_UPTODATE_CHECK) == ST_UPTODATE_AFTER_COPY ||
	       st_page_test(p, ST_PG_UPTODATE);
}

/*
 * do_swap_page()'s check once the swap-cache page is locked: lookup gave
 * it referenced but unlocked, and by now it may have left the swap cache
 * (folio_free_swap(), swapoff) and even entered it again for another slot
 * (reclaim, which cannot free it while we hold a reference).
 * swapin_recheck=none (2.6.35): no check, pte_same() was trusted.
 * swapcache (Andrea Arcangeli, 4969c1192d15 "mm: fix swapin race
 * condition", 2.6.36-rc): !PageSwapCache(page).  swapcache_entry (Hugh
 * Dickins, "mm: further fix swapin race condition", linux-mm 19 Sep 2010,
 * against 2.6.36-rc4, Cc stable; 6.12: !folio_test_swapcache(folio) ||
 * page_swap_entry(page).val != entry.val): and still that entry's.
 */
static bool swapcache_changed(struct st_page *p, unsigned long slot)
{
	switch (st_policy(ST_POL_SWAPIN_RECHECK)) {
	case ST_RECHECK_NONE:
		return false;
	case ST_RECHECK_SWAPCACHE:
		return !st_page_test(p, ST_PG_SWAPCACHE);
	default:
		return !st_page_test(p, ST_PG_SWAPCACHE) || p->slot != slot;
	}
}

static bool slot_in_use(unsigned long slot)
{
	struct st_slot_info info;

	return !st_swap_query(slot, &info) && (info.count || info.cache);
}

/*
 * Seed 002: the KSM copy in do_swap_page() and what keeps the swap entry
 * from being freed and reused before pte_same() is checked.
 *
 * ksm_copy=hold_lock (the fix, 2.6.36): the swap-cache page stays locked
 * across the copy until the pte is set, so nobody can free its slot.
 * ksm_copy=unlock_early (2.6.35): ksm_does_need_to_copy() unlocked the page
 * ("any racers will COW it") and copied it unlocked.  Meanwhile the slot
 * can be freed, reused for other data of the same address, and the pte can
 * hold the very same entry again: pte_same() passes and stale data is
 * mapped.  swapin_pin=swap_dup (Hugh's alternative) keeps the early unlock
 * but pins the entry with swap_duplicate() + swap_free() instead.
 *
 * uptodate_check (Hugh's point in the same mail): under after_copy the
 * PageUptodate check after pte_same() looks at the copy, always uptodate:
 * the junk of a failed read is mapped as clean data.  Under no_copy the
 * page is not copied and the same check raises SIGBUS on it.
 */
static struct st_page *swapin_ksm_copy(struct st_space *s,
				       unsigned long addr,
				       struct st_page *swapcache,
				       unsigned long slot, bool *unlocked,
				       bool *pinned, int *err)
{
	struct st_page *copy;

	if (st_policy(ST_POL_KSM_COPY) == ST_KSM_UNLOCK_EARLY) {
		if (st_policy(ST_POL_SWAPIN_PIN) == ST_PIN_SWAP_DUP &&
		    !st_swap_duplicate(slot, GFP_KERNEL))
			*pinned = true;
		st_page_unlock(swapcache);
		*unlocked = true;
	}
	/* parked here with a reference, and the lock unless unlock_early */
	*err = st_gate(ST_GATE_SWAPIN_KSM_COPY);
	if (*err)
		return NULL;
	copy = new_anon_page(s, addr, swapcache);
	if (!copy)
		*err = -ENOMEM;
	return copy;
}

static int do_swap_page(struct st_space *s, unsigned long addr, pte_t *ptep,
			pte_t orig, bool write)
{
	bool unlocked = false, pinned = false;
	struct st_page *p, *swapcache;
	struct st_pte_info info;
	bool writable;
	pte_t pte;
	int err;

	st_pte_decode(orig, &info);
	/*
	 * v5 05/26's guard: "We should never call do_swap_page upon a swap
	 * special pte" (WARN_ON_ONCE).  st_fault() routes a marker to
	 * handle_pte_marker() under either marker_none value, so none comes
	 * here; anything else unknown is print_bad_pte() and SIGBUS.
	 */
	if (WARN_ON_ONCE(info.kind == ST_PTE_MARKER))
		return -EIO;
	if (info.kind != ST_PTE_SWAP)
		return -ST_SIGBUS;
	/* 4.15+: SWP_SYNCHRONOUS_IO and one reference skip the cache (seed 005) */
	if (st_swapin_skips_swapcache(info.slot))
		return st_do_swap_page_sync(s, addr, ptep, orig, info.slot,
					    info.uffd_wp, write);
	swapcache = st_read_swap_cache_async(info.slot, &err);
	if (!swapcache) {
		/*
		 * The entry may be gone because the pte changed under us.  It
		 * may also have changed and come back: freed, then reused for
		 * the same address, so that pte_same() holds again (the ABA
		 * of seed 002).  A pte that holds its slot is simply retried;
		 * only a swap pte of a free slot is corrupt.
		 */
		spin_lock(&s->ptl);
		if (!pte_same(ptep_get(ptep), orig))
			err = -EAGAIN;
		else if (err == -ENOENT)
			err = slot_in_use(info.slot) ? -EAGAIN : -EIO;
		spin_unlock(&s->ptl);
		return err;
	}

	/* lookup_swap_cache() returned the page referenced, not locked */
	err = st_gate(ST_GATE_SWAPIN_AFTER_LOOKUP);
	if (err) {
		st_page_put(swapcache);
		return err;
	}
	st_page_lock(swapcache);
	p = swapcache;
	err = st_gate(ST_GATE_SWAPIN_AFTER_LOCK);
	if (err)
		goto out_page;
	if (swapcache_changed(p, info.slot)) {
		err = -EAGAIN;
		goto out_page;
	}
	/*
	 * uptodate_check=before_copy, a reading of the thread, never posted
	 * as code: Hugh's "I should have moved the PageUptodate check from
	 * after the pte_same check to before the ksm_might_need_to_copy".
	 * The SIGBUS no longer waits for pte_same().
	 */
	if (st_policy(ST_POL_UPTODATE_CHECK) == ST_UPTODATE_BEFORE_COPY &&
	    !st_page_test(p, ST_PG_UPTODATE)) {
		err = -ST_SIGBUS;	/* the read failed */
		goto out_page;
	}
	if (ksm_needs_copy(s, addr, swapcache)) {
		p = swapin_ksm_copy(s, addr, swapcache, info.slot, &unlocked,
				    &pinned, &err);
		if (!p) {
			p = swapcache;
			goto out_page;
		}
	}

	err = st_gate(ST_GATE_SWAPIN_BEFORE_PTE_SAME);
	if (err)
		goto out_copy;
	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		err = -EAGAIN;
		goto out_ptl;
	}
	/* after pte_same(), as in every kernel since 2.6.35 */
	if (!st_page_test(p, ST_PG_UPTODATE)) {
		err = -ST_SIGBUS;	/* the read failed */
		goto out_ptl;
	}

	st_swap_free(info.slot);
	if (write && !unlocked)
		st_try_to_free_swap(p);
	writable = write && !st_page_test(p, ST_PG_SWAPCACHE) &&
		   !st_page_test(p, ST_PG_KSM) &&
		   !atomic_read(&p->mapcount) && refcount_read(&p->ref) == 1 &&
		   !info.uffd_wp;
	pte = mk_fault_pte(p, writable, info.uffd_wp);
	if (!p->anon_root) {
		/* folio_add_new_anon_rmap(): the lineage and the address */
		p->anon_root = s->anon_root;
		p->index = addr >> PAGE_SHIFT;
	}
	atomic_inc(&p->mapcount);
	st_page_get(p);			/* the pte's reference */
	st_set_pte(ptep, pte);
	/* a write that could not map writable goes on to do_wp_page() */
	err = write && !writable ? -EAGAIN : 0;
out_ptl:
	spin_unlock(&s->ptl);
out_copy:
	if (p != swapcache)
		st_page_put(p);
	p = swapcache;
out_page:
	if (pinned)
		st_swap_free(info.slot);
	if (!unlocked)
		st_page_unlock(p);
	st_page_put(p);
	return err;
}

/* handle_mm_fault() for one address; caller holds mmap_lock for read. */
int st_fault(struct st_space *s, unsigned long addr, bool write)
{
	struct st_vma *v = st_find_vma(s, addr);
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t *ptep;
	pte_t orig;

	if (!v)
		return -ST_SIGBUS;
	for (tries = 0; tries < ST_FAULT_RETRIES; tries++) {
		/* do_huge_pmd_swap_page() falls back to splitting the entry */
		if (st_pmd_is_swap(st_pmdp_get(st_pmd_offset(&s->pt, addr)))) {
			err = st_split_pmd_swap(s, addr);
			if (err && err != -ENOENT)
				return err;
			continue;
		}
		ptep = st_pte_get_alloc(s, addr);
		if (!ptep)
			return -ENOMEM;
		orig = ptep_get(ptep);
		st_pte_decode(orig, &info);
		/*
		 * do_pte_missing() for none and, through do_swap_page()'s
		 * handle_pte_marker() (6.12; v5 did it in handle_pte_fault()),
		 * for a marker: the page is faulted in with the marker's
		 * protection.  No pte_none() question: both marker_none
		 * values take this path.
		 */
		switch (info.kind) {
		case ST_PTE_NONE:
		case ST_PTE_MARKER:
			if (st_vma_is_anon(v))
				err = do_anonymous_page(s, addr, ptep,
							orig, write);
			else
				err = do_fault(s, v, addr, ptep, orig, write,
					       info.uffd_wp);
			break;
		case ST_PTE_PRESENT:
			/* do_wp_page(): userfaultfd_pte_wp() */
			if (write && info.uffd_wp)
				return handle_userfault(s, addr, true);
			err = write && !info.write ?
			      do_wp_page(s, v, addr, ptep, orig) : 0;
			break;
		case ST_PTE_SWAP:
			/*
			 * do_swap_page() would map it read-only and do_wp_page()
			 * raise the userfault; the model raises it at once.
			 */
			if (write && info.uffd_wp)
				return -ST_USERFAULT;
			err = do_swap_page(s, addr, ptep, orig, write);
			break;
		case ST_PTE_MIGRATION:
			/* migration_entry_wait(): sleep on the page lock */
			p = st_page_get_pfn(info.pfn);
			err = -EAGAIN;
			if (p) {
				if (st_page_wait_unlocked(p, ST_MIGRATION_WAIT))
					err = -ETIMEDOUT;
				st_page_put(p);
			}
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
 * half way, and record it for the auditor under the same lock (a zap or
 * another store of the same address must not reorder data and record).
 */
int st_access_write(struct st_space *s, unsigned long addr, u64 tag)
{
	struct st_vma *v = st_find_vma(s, addr);
	struct st_pte_info info;
	struct st_page *p;
	int tries, err;
	pte_t *ptep;

	if (!v)
		return st_fault(s, addr, true);	/* what a fault says there */
	err = v->kind == ST_VMA_SHARED ?
		st_file_expect_reserve(v->file, st_vma_index(v, addr)) :
		st_expect_reserve(s, addr);
	if (err)
		return err;
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
			if (v->kind == ST_VMA_SHARED) {
				st_file_store_locked(v->file,
						     st_vma_index(v, addr), p,
						     tag);
			} else {
				st_page_fill(p, tag);
				st_expect_set(s, addr, tag);
			}
			st_set_pte(ptep, pte_mkdirty(ptep_get(ptep)));
			spin_unlock(&s->ptl);
			st_page_put(p);
			return 0;
		}
		spin_unlock(&s->ptl);
	}
	return -EAGAIN;
}

/*
 * A load from addr: its tag, and in @want what the auditor holds it should
 * be at the same instant.  Every store changes the data and that record
 * together, under the ptl (anonymous) or the file's record lock (a file
 * page, through any mapping or write(2)); reading both under the same
 * locks gives a pair that agrees unless the data is wrong.  -EIO if the
 * page is torn (its words disagree).  Caller holds mmap_lock for read.
 */
int st_access_read(struct st_space *s, unsigned long addr, u64 *tag,
		   u64 *want)
{
	struct st_vma *v = st_find_vma(s, addr);
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
		if (!ptep) {
			/* a PMD swapout took the table meanwhile: fault again */
			spin_unlock(&s->ptl);
			continue;
		}
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT) {
			p = st_page_get_pfn(info.pfn);
			if (WARN_ON_ONCE(!p)) {
				spin_unlock(&s->ptl);
				return -EIO;
			}
			if (v->file)
				st_file_expect_lock(v->file);
			err = st_page_tag(p, tag);
			*want = st_expect_at(s, v, addr);
			if (v->file)
				st_file_expect_unlock(v->file);
			spin_unlock(&s->ptl);
			st_page_put(p);
			return err;
		}
		spin_unlock(&s->ptl);
	}
	return -EAGAIN;
}

/*
 * MADV_POPULATE_READ / _WRITE: fault in every page of the range that is not
 * mapped as the access needs.  GUP's follow_page_pte() gives up on any pte
 * that is not present, a marker as much as a swap entry, and faultin_page()
 * takes it from there: no pte_none() question here (seed 004).
 * Caller holds mmap_lock for read.  -ENOMEM at a hole in the mappings.
 */
int st_populate(struct st_space *s, unsigned long start, unsigned long end,
		bool write, unsigned long *populated)
{
	unsigned long addr;
	pte_t *ptep, pte;
	int err;

	*populated = 0;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (!st_find_vma(s, addr))
			return -ENOMEM;
		spin_lock(&s->ptl);
		ptep = st_pte_offset(&s->pt, addr);
		pte = ptep ? ptep_get(ptep) : __pte(0);
		spin_unlock(&s->ptl);
		if (!pte_present(pte) || (write && !pte_write(pte))) {
			err = st_fault(s, addr, write);
			if (err)
				return err;
		}
		(*populated)++;
		cond_resched();
	}
	return 0;
}
