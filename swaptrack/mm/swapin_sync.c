// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 005: do_swap_page() on a SWP_SYNCHRONOUS_IO device (zram, pmem,
 * brd) skips the swap cache when the entry has a single map reference.
 *
 * Since 4.15 (commit 0bcac06f27d7 "mm, swap: skip swapcache for swapin of
 * synchronous device") a fault that finds no swap-cache page, on a device
 * with SWP_SYNCHRONOUS_IO and __swap_count(entry) == 1, allocates a page of
 * its own and reads the slot straight into it.  No swap-cache page, hence
 * no page lock, stands for the entry while the fault goes on to pte_same():
 * two threads of one mm faulting the same pte both read, one maps, frees the
 * slot with swap_free(), writes and is swapped out again to the very slot,
 * so that the pte holds the same value; the other passes pte_same(), frees
 * the slot that now holds the new data and maps its stale copy (the ABA of
 * seed 002 without the swap cache).
 *
 * sync_pin=none is that code, 4.15 up to 6.7 (and the stable branches before
 * their backport).  sync_pin=swapcache_prepare is the fix, commit
 * 13ddaf26be32 "mm/swap: fix race when skipping swapcache" (Kairui Song,
 * February 2024, merged for 6.8, Cc stable): swapcache_prepare() takes
 * SWAP_HAS_CACHE as a lock bit on the entry before the read, swapcache_clear()
 * drops it once the table lock is released; a fault that cannot take it
 * relaxes and retries.  6.12 has the shape of Barry Song's follow-up, commit
 * 01626a182302 "mm: avoid unconditional one-tick sleep when
 * swapcache_prepare fails" (September 2024, in 6.12): the loser sleeps on
 * swapcache_wq for at most a tick and the winner wakes it.  What the model
 * takes from 6.12's do_swap_page(): the order of the checks (swap cache
 * lookup, then the flag and the count), the pin taken after the allocation,
 * pte_same() and the PG_uptodate check under the table lock, swap_free()
 * there, and the pin dropped after the table lock.  Large folios (6.10+),
 * zram's discard at swap_free() and memcg are left out.
 */
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/wait.h>

#include "swaptrack.h"
#include "mm/compat.h"
#include "mm/pgtable.h"
#include "mm/space.h"
#include "mm/swapin_sync.h"
#include "mm/vm_fault.h"
#include "race/gate.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

/* si->flags & SWP_SYNCHRONOUS_IO of the model device; off by default */
static bool st_sync_io;

/* 6.12's swapcache_wq in mm/memory.c: losers of swapcache_prepare() */
static DECLARE_WAIT_QUEUE_HEAD(st_swapcache_wq);

/*
 * swapon() sets the flag from bdev_synchronous(); the model lets the
 * "swap sync" command set it, read without a lock as do_swap_page() reads
 * si->flags (data_race()).
 */
void st_swap_set_sync(bool on)
{
	WRITE_ONCE(st_sync_io, on);
}

bool st_swap_sync(void)
{
	return READ_ONCE(st_sync_io);
}

/*
 * do_swap_page() of 6.12: no page in the swap cache, a SWP_SYNCHRONOUS_IO
 * device and __swap_count(entry) == 1 (the map byte's count without
 * SWAP_HAS_CACHE: a continued or shmem count is not 1).
 */
bool st_swapin_skips_swapcache(unsigned long slot)
{
	struct st_slot_info info;

	if (!st_swap_sync() || st_swapcache_has(slot))
		return false;
	if (st_swap_query(slot, &info))
		return false;
	return (info.map & ~ST_SWAP_HAS_CACHE) == 1;
}

/*
 * The loser of swapcache_prepare() sleeps, so as not to fault again and
 * again, for at most a tick, woken early by the winner's swapcache_clear().
 * The fault returns and is retried, as the CPU would retry the access.
 */
static int sync_pin_wait(void)
{
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue(&st_swapcache_wq, &wait);
	schedule_timeout_uninterruptible(1);
	remove_wait_queue(&st_swapcache_wq, &wait);
	return fatal_signal_pending(current) ? -EINTR : -EAGAIN;
}

static void sync_pin_clear(unsigned long slot)
{
	st_swapcache_clear(slot, 1);
	/*
	 * No barrier, as in 6.12: a loser that has not queued itself yet
	 * misses the wakeup and sleeps out its one tick.
	 */
	if (waitqueue_active(&st_swapcache_wq))
		wake_up(&st_swapcache_wq);
}

/*
 * The skip-swapcache branch of do_swap_page(); the caller checked
 * st_swapin_skips_swapcache().  Returns 0 with the page mapped, -EAGAIN to
 * retry the fault, -ST_SIGBUS when the read failed.
 */
int st_do_swap_page_sync(struct st_space *s, unsigned long addr, pte_t *ptep,
			 pte_t orig, unsigned long slot, bool uffd_wp, bool write)
{
	bool pin = st_policy(ST_POL_SYNC_PIN) == ST_SYNC_PIN_SWAPCACHE_PREPARE;
	bool pinned = false, writable;
	struct st_page *p;
	pte_t pte;
	int err;

	/* alloc_swap_folio(); __folio_set_locked(): nobody else sees it yet */
	p = st_page_alloc();
	if (!p)
		return -ENOMEM;
	st_page_trylock(p);
	if (pin) {
		/* any failure (-EEXIST: another swapin holds the entry) waits */
		if (st_swapcache_prepare(slot)) {
			st_page_unlock(p);
			st_page_put(p);
			return sync_pin_wait();
		}
		pinned = true;
	}
	/* swap_read_folio(): a failed read leaves the page !uptodate */
	st_swap_readpage(p, slot);
	/* parked with the new page locked, and the pin under the fix */
	err = st_gate(ST_GATE_SWAPIN_SYNC_READ);
	if (err)
		goto out_page;

	spin_lock(&s->ptl);
	if (!pte_same(ptep_get(ptep), orig)) {
		err = -EAGAIN;
		goto out_ptl;
	}
	if (!st_page_test(p, ST_PG_UPTODATE)) {
		err = -ST_SIGBUS;
		goto out_ptl;
	}
	/*
	 * swap_free_nr(): the last map reference goes.  Unpinned, the slot is
	 * free from here and the next swapout may take it again; pinned, it
	 * stays SWAP_HAS_CACHE until sync_pin_clear().
	 */
	st_swap_free(slot);
	/* a fresh page is certainly exclusive: folio_add_new_anon_rmap() */
	p->anon_root = s->anon_root;
	p->index = addr >> PAGE_SHIFT;
	writable = write && !uffd_wp;
	pte = st_mk_present(st_page_pfn(p), writable);
	if (writable)
		pte = pte_mkdirty(pte);
	if (uffd_wp)
		pte = st_pte_mkuffd_wp(pte);
	atomic_inc(&p->mapcount);
	st_page_get(p);			/* the pte's reference */
	st_set_pte(ptep, pte);
	/* a write the pte cannot take goes on to do_wp_page() */
	err = write && !writable ? -EAGAIN : 0;
out_ptl:
	spin_unlock(&s->ptl);
out_page:
	st_page_unlock(p);
	st_page_put(p);
	/* 6.12 drops the pin only once the table lock is released */
	if (pinned)
		sync_pin_clear(slot);
	return err;
}
