// SPDX-License-Identifier: GPL-2.0
/*
 * The model swap cache.
 *
 * Invariant: a slot is in the cache iff its map byte has SWAP_HAS_CACHE and
 * a page is attached, except in the window where a caller holds
 * SWAP_HAS_CACHE (swapcache_prepare) and is about to add or has just
 * deleted the page.  The page is locked across both ends of that window.
 *
 * A lookup returns a referenced but unlocked page: by the time its caller
 * has the lock, the page may have left the cache and its slot may be reused,
 * exactly as with lookup_swap_cache().  Callers recheck after locking.
 */
#include <linux/sched.h>
#include <linux/xarray.h>

#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"
#include "trace/events.h"

static DEFINE_XARRAY(st_swapcache);

#define ST_SWAPIN_RETRIES	1000
/*
 * How long swapin waits for the page of a slot that has SWAP_HAS_CACHE but
 * no page in the swap cache.  In the kernel that state is a swapin between
 * swapcache_prepare() and add_to_swap_cache(), gone in a moment, and the
 * wait is unbounded; here a raw "slot cache" can make it last for ever, and
 * a fault must not spin under the mmap_lock until then.
 */
#define ST_SWAPIN_CACHE_WAIT	HZ

struct st_page *st_swapcache_lookup(unsigned long slot)
{
	struct st_page *p;

	xa_lock(&st_swapcache);
	p = xa_load(&st_swapcache, slot);
	if (p)
		st_page_get(p);
	xa_unlock(&st_swapcache);
	return p;
}

/*
 * Fault injection (seed 002, Hugh's point): read the slot's cache page again
 * as if its read were still to come.  With "slot ioerr" on, the page ends
 * !uptodate holding junk, like a page whose swap_read_folio() failed.  Only
 * an unmapped page: a mapped page is uptodate for ever.  -ENOENT without a
 * cache page, -EBUSY when it is locked or mapped.
 */
int st_swapcache_reread(unsigned long slot, bool *uptodate)
{
	struct st_page *p = st_swapcache_lookup(slot);
	int err = 0;

	if (!p)
		return -ENOENT;
	if (atomic_read(&p->mapcount) || !st_page_trylock(p)) {
		st_page_put(p);
		return -EBUSY;
	}
	if (st_page_test(p, ST_PG_SWAPCACHE) && p->slot == slot &&
	    !atomic_read(&p->mapcount)) {
		clear_bit(ST_PG_UPTODATE, &p->flags);
		st_page_fill(p, ST_TAG_JUNK);
		st_swap_readpage(p, slot);
		*uptodate = st_page_test(p, ST_PG_UPTODATE);
	} else {
		err = -EBUSY;
	}
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

bool st_swapcache_has(unsigned long slot)
{
	return xa_load(&st_swapcache, slot);
}

/*
 * The first slot in [start, end) with a swap-cache page, or end: what the
 * auditor asks of a run of free slots.  Locking: the xarray's RCU walk.
 */
unsigned long st_swapcache_next(unsigned long start, unsigned long end)
{
	unsigned long index = start;

	if (start >= end || !xa_find(&st_swapcache, &index, end - 1,
				     XA_PRESENT))
		return end;
	return index;
}

/* add_to_swap_cache(): page locked, SWAP_HAS_CACHE already taken. */
int st_swapcache_add(struct st_page *p, unsigned long slot)
{
	int err;

	p->slot = slot;
	set_bit(ST_PG_SWAPCACHE, &p->flags);
	st_page_get(p);
	err = xa_insert(&st_swapcache, slot, p, GFP_KERNEL);
	if (err) {
		clear_bit(ST_PG_SWAPCACHE, &p->flags);
		st_page_put(p);
		return err == -EBUSY ? -EEXIST : err;
	}
	trace_swaptrack_swapcache_add(slot, st_page_pfn(p));
	return 0;
}

/*
 * add_to_swap(): a slot (SWAP_HAS_CACHE) and the swap cache for a locked
 * page that is in neither.
 */
int st_add_to_swap(struct st_page *p)
{
	unsigned long slot;
	u32 gen;
	int err;

	err = st_swap_alloc(&slot, &gen);
	if (err)
		return err;
	err = st_swapcache_add(p, slot);
	if (err)
		st_swapcache_clear(slot, 1);
	return err;
}

/* __delete_from_swap_cache(): page locked; the cache reference stays. */
void st_swapcache_delete(struct st_page *p)
{
	xa_erase(&st_swapcache, p->slot);
	clear_bit(ST_PG_SWAPCACHE, &p->flags);
	trace_swaptrack_swapcache_del(p->slot, st_page_pfn(p));
}

/*
 * delete_from_swap_cache(): out of the cache, SWAP_HAS_CACHE dropped (the
 * slot is freed if no map count is left) and the cache reference put.  The
 * caller holds the page lock and a reference of its own.
 */
void st_delete_from_swap_cache(struct st_page *p)
{
	unsigned long slot = p->slot;

	st_swapcache_delete(p);
	st_swapcache_clear(slot, 1);
	st_page_put(p);
}

/*
 * __remove_mapping() of a swap-cache page (6.12 mm/vmscan.c): under the
 * cache's lock the refcount is frozen at exactly the reclaimer's @refs and
 * the cache's one (folio_ref_freeze(folio, 1 + folio_nr_pages(folio)));
 * anyone else's reference (a fault between lookup_swap_cache() and its
 * folio_lock()) makes it fail and the page stays in the swap cache.  On
 * success the cache's reference is gone and the slot's cache bit dropped
 * (put_swap_folio()).  Page locked by the caller.
 */
bool st_swapcache_remove_mapping(struct st_page *p, int refs)
{
	unsigned long slot = p->slot;

	xa_lock(&st_swapcache);
	if (!st_page_ref_freeze(p, refs + 1)) {
		xa_unlock(&st_swapcache);
		return false;
	}
	__xa_erase(&st_swapcache, slot);
	clear_bit(ST_PG_SWAPCACHE, &p->flags);
	st_page_ref_unfreeze(p, refs);
	xa_unlock(&st_swapcache);
	trace_swaptrack_swapcache_del(slot, st_page_pfn(p));
	st_swapcache_clear(slot, 1);
	return true;
}

/* folio_free_swap(): page locked; only when no pte refers to the slot. */
bool st_try_to_free_swap(struct st_page *p)
{
	struct st_slot_info info;

	if (!st_page_test(p, ST_PG_SWAPCACHE))
		return false;
	if (st_swap_query(p->slot, &info) || info.count)
		return false;
	st_delete_from_swap_cache(p);
	return true;
}

/*
 * free_swap_and_cache(): drop a pte's reference to the slot and, if only the
 * cache holds it now, try to free the cache page too.  Only a trylock is
 * taken: a page locked by someone else (a swapin in flight) stays behind,
 * stranded until reclaim finds it (seed 003).
 */
int st_free_swap_and_cache(unsigned long slot)
{
	struct st_slot_info info;
	struct st_page *p;
	int err;

	err = st_swap_free(slot);
	if (err)
		return err;
	if (st_swap_query(slot, &info) || info.count || !info.cache)
		return 0;
	p = st_swapcache_lookup(slot);
	if (!p)
		return 0;
	if (st_page_trylock(p)) {
		if (st_page_test(p, ST_PG_SWAPCACHE) && p->slot == slot &&
		    !atomic_read(&p->mapcount))
			st_try_to_free_swap(p);
		st_page_unlock(p);
	}
	st_page_put(p);
	return 0;
}

/*
 * __read_swap_cache_async(): a new locked page takes SWAP_HAS_CACHE, joins
 * the swap cache and is read.  -EEXIST from swapcache_prepare() means
 * another thread is adding the page: look it up again.  Returns the page
 * referenced and unlocked, or NULL when the slot has no count left
 * (-ENOENT, at once, as swap_swapcount() == 0 in 6.1 and 6.12), or -EBUSY
 * when SWAP_HAS_CACHE stayed without a page for ST_SWAPIN_CACHE_WAIT.
 */
struct st_page *st_read_swap_cache_async(unsigned long slot, int *err)
{
	unsigned long give_up = jiffies + ST_SWAPIN_CACHE_WAIT;
	struct st_page *p;
	int tries;

	for (tries = 0; tries < ST_SWAPIN_RETRIES; tries++) {
		p = st_swapcache_lookup(slot);
		if (p)
			return p;
		/*
		 * "Just skip read ahead for unused swap slot" (4.11, in 6.1
		 * and 6.12): no count, no read, even if SWAP_HAS_CACHE is
		 * still set (a slot parked by slot_reuse=deferred).  The
		 * kernel skips this while swapoff has the slots cache off;
		 * the model's swapoff reads nothing in.
		 */
		if (!st_swap_swapcount(slot)) {
			*err = -ENOENT;
			return NULL;
		}
		p = st_page_alloc();
		if (!p) {
			*err = -ENOMEM;
			return NULL;
		}
		*err = st_swapcache_prepare(slot);
		if (*err == -EEXIST) {
			st_page_put(p);
			if (time_after(jiffies, give_up)) {
				*err = -EBUSY;
				return NULL;
			}
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

/*
 * Page reclaim of the swap-cache pages nobody maps (__remove_mapping()):
 * the slot keeps its count and the data stays in the store; a slot only
 * the cache held is freed, which is what eventually frees a stranded
 * page.  A page whose data the store does not hold (never written, or
 * torn at writeback) is dirty and stays, and so does a page someone else
 * holds a reference on (__remove_mapping()).  Returns how many went.
 */
static bool reclaimable(struct st_page *p, unsigned long slot)
{
	struct st_slot_info info;
	u64 stored, tag;

	if (!st_page_test(p, ST_PG_SWAPCACHE) || p->slot != slot ||
	    atomic_read(&p->mapcount))
		return false;
	if (!st_page_test(p, ST_PG_UPTODATE))
		return true;
	/* only the cache holds the slot: nobody will read it again */
	if (st_swap_query(slot, &info) || !info.count)
		return true;
	/*
	 * Clean (PG_dirty clear) only if the store holds what the page holds:
	 * a page never written to this slot (a reclaim that stopped before
	 * pageout() at a gate timeout) is dirty, whatever a former user of the
	 * slot left in the store.
	 */
	return !st_swapio_stored(slot, &stored) && !st_page_tag(p, &tag) &&
	       tag == stored;
}

unsigned long st_swapcache_reclaim(void)
{
	unsigned long slot, n = 0;
	struct st_page *p;

	for (slot = 0; ; slot++) {
		xa_lock(&st_swapcache);
		p = xa_find(&st_swapcache, &slot, ULONG_MAX, XA_PRESENT);
		if (p)
			st_page_get(p);
		xa_unlock(&st_swapcache);
		if (!p)
			break;
		if (st_page_trylock(p)) {
			/* our reference: a parked fault's makes it fail */
			if (reclaimable(p, slot) &&
			    st_swapcache_remove_mapping(p, 1))
				n++;
			st_page_unlock(p);
		}
		st_page_put(p);
	}
	return n;
}

/* Unload: whatever is still cached goes, whatever its counts. */
void st_swapcache_exit(void)
{
	unsigned long slot;
	struct st_page *p;

	xa_for_each(&st_swapcache, slot, p) {
		st_swapcache_delete(p);
		st_page_put(p);
	}
	xa_destroy(&st_swapcache);
}
