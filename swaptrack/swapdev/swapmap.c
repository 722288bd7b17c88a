// SPDX-License-Identifier: GPL-2.0
/*
 * The model swap device.
 *
 * swap_map is a byte per slot with the encoding of mm/swapfile.c: a count of
 * 1..SWAP_MAP_MAX, SWAP_HAS_CACHE while the page is in the swap cache,
 * SWAP_MAP_BAD for a bad slot, and COUNT_CONTINUED when the higher digits of
 * the count live in continuation pages.  Continuation pages hang off the
 * page of swap_map they extend (one list per PAGE_SIZE slots), hold one digit
 * per slot of that page, and are freed only at swapoff, as the kernel does.
 *
 * Locking: the kernel takes si->lock or a cluster lock around the map, and
 * si->cont_lock around the continuation lists.  The model keeps one map lock
 * for both roles of the first pair (no operation here needs the cluster
 * granularity) and a separate cont_lock, nested inside the map lock.
 *
 * A slot a shmem file swapped out is counted SWAP_MAP_SHMEM, not 1, as in
 * 6.1 and 6.12 (swap_shmem_alloc()); it stands for exactly one reference.
 *
 * Clusters are HPAGE_PMD_NR slots.  A whole free cluster can be allocated
 * for a THP and is then "huge" until it is split or fully freed: the PMD
 * swap mapping series of 2018 (seed 000) duplicates such an entry with one
 * call covering every slot, and gets -ENOTDIR once the cluster was split.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>

#include "swaptrack.h"
#include "race/policy.h"
#include "swapdev/contpage.h"
#include "swapdev/swapmap.h"
#include "trace/events.h"

static_assert(BIT(ST_CLUSTER_SHIFT) == ST_CLUSTER_NR);

#define SWAP_MAP_MAX	ST_SWAP_MAP_MAX
#define SWAP_MAP_BAD	ST_SWAP_MAP_BAD
#define SWAP_HAS_CACHE	ST_SWAP_HAS_CACHE
#define SWAP_CONT_MAX	ST_SWAP_CONT_MAX
#define COUNT_CONTINUED	ST_COUNT_CONTINUED
#define SWAP_MAP_SHMEM	ST_USAGE_SHMEM

struct st_cluster {
	unsigned int inuse;	/* slots whose map byte is non-zero */
	unsigned int next;	/* below this offset no slot is free */
	bool huge;
};

/*
 * slot_reuse=deferred: 6.12's per-CPU return batch (mm/swap_slots.c,
 * free_swap_slot(): cache->slots_ret, SWAP_SLOTS_CACHE_SIZE = SWAP_BATCH =
 * 64).  One batch stands for the freeing CPU's.
 */
#define ST_SLOTS_RET		64

struct st_swap_device {
	spinlock_t lock;		/* the map, clusters, counters */
	spinlock_t cont_lock;		/* continuation lists, inside lock */
	struct st_swap_stats s;		/* the state and counters stats shows */
	unsigned long nr_clusters;
	/* no partly used (or free) cluster lies below these: scan hints */
	unsigned long partial_hint, free_hint;
	unsigned char *map;
	u32 *gen;
	struct st_cluster *clusters;
	/* continuation pages of each PAGE_SIZE of map, linked by page->lru */
	struct list_head *cont_lists;
	/* freed slots parked until the batch is returned (slot_reuse) */
	unsigned long ret[ST_SLOTS_RET];
	unsigned int n_ret;
	unsigned long *parked;		/* bitmap: slot is in ret[] */
};

static struct st_swap_device st_swap;

static inline unsigned char swap_count(unsigned char ent)
{
	return ent & ~SWAP_HAS_CACHE;
}

static inline struct st_cluster *slot_cluster(unsigned long slot)
{
	return &st_swap.clusters[slot >> ST_CLUSTER_SHIFT];
}

static inline struct list_head *slot_cont_list(unsigned long slot)
{
	return &st_swap.cont_lists[slot >> PAGE_SHIFT];
}

/*
 * The one setter of a swap map byte: every count change is traced here
 * (swaptrack_swap_count, cont 0).  Locking: the map lock held.
 */
static void set_map(unsigned long slot, unsigned char val)
{
	trace_swaptrack_swap_count(slot, st_swap.map[slot], val, 0);
	WRITE_ONCE(st_swap.map[slot], val);
}

/*
 * The setter of a continuation digit: the slot's byte in its level-th
 * continuation page, mapped at map.  Locking: cont_lock held.
 */
static void set_digit(unsigned long slot, unsigned int level,
		      unsigned char *map, unsigned char val)
{
	trace_swaptrack_swap_count(slot, *map, val, level);
	*map = val;
}

unsigned long st_swap_nr_slots(void)
{
	return st_swap.s.nr_slots;
}

/*
 * Cluster i's use or kind changed: the allocator's scan hints must not
 * pass it if it is now partly used or free.  Map lock held.
 */
static void cluster_changed(unsigned long i)
{
	struct st_cluster *ci = &st_swap.clusters[i];

	if (ci->huge)
		return;
	if (!ci->inuse)
		st_swap.free_hint = min(st_swap.free_hint, i);
	else if (ci->inuse < ST_CLUSTER_NR)
		st_swap.partial_hint = min(st_swap.partial_hint, i);
}

/* A map byte went from zero to non-zero: the slot is now in use. */
static void slot_taken(unsigned long slot)
{
	slot_cluster(slot)->inuse++;
	st_swap.s.used++;
	cluster_changed(slot >> ST_CLUSTER_SHIFT);
}

/* A map byte went back to zero: the slot is free again. */
static void slot_released(unsigned long slot)
{
	struct st_cluster *ci = slot_cluster(slot);
	unsigned int off = slot & (ST_CLUSTER_NR - 1);

	set_map(slot, 0);
	st_swap.s.used--;
	ci->next = min(ci->next, off);
	if (!--ci->inuse && ci->huge) {
		ci->huge = false;
		st_swap.s.huge_clusters--;
	}
	cluster_changed(slot >> ST_CLUSTER_SHIFT);
}

/*
 * swapcache_free_entries(): the parked slots go back to the map, free for
 * allocation.  Map lock held.
 */
static unsigned int return_parked(void)
{
	unsigned int i, n = st_swap.n_ret;

	for (i = 0; i < n; i++) {
		__clear_bit(st_swap.ret[i], st_swap.parked);
		slot_released(st_swap.ret[i]);
	}
	st_swap.n_ret = 0;
	return n;
}

/*
 * The digit arithmetic of mm/swapfile.c's swap_count_continued(): called with
 * the map lock held when a count at SWAP_MAP_MAX is incremented or a count of
 * exactly COUNT_CONTINUED is decremented.  Returns true when the continuation
 * digits absorbed the change; false when incrementing needs a new
 * continuation page, or when decrementing left no higher digit.
 */
static bool swap_count_continued(unsigned long slot, unsigned char count)
{
	struct list_head *head = slot_cont_list(slot);
	unsigned long offset = slot & ~PAGE_MASK;
	struct page *page;
	unsigned int level = 1;	/* the page's place in the list, for traces */
	unsigned char *map;
	bool ret;

	if (list_empty(head)) {
		WARN_ON_ONCE(count & COUNT_CONTINUED);
		return false;		/* need to add count continuation */
	}

	spin_lock(&st_swap.cont_lock);
	page = list_first_entry(head, struct page, lru);
	map = kmap_local_page(page) + offset;

	if (count == SWAP_MAP_MAX)	/* initial increment from swap_map */
		goto init_map;		/* jump over SWAP_CONT_MAX checks */

	if (count == (SWAP_MAP_MAX | COUNT_CONTINUED)) {
		/* incrementing: think of adding 1 to 999 */
		while (*map == (SWAP_CONT_MAX | COUNT_CONTINUED)) {
			kunmap_local(map);
			if (WARN_ON_ONCE(list_is_last(&page->lru, head))) {
				ret = false;
				goto out;
			}
			page = list_next_entry(page, lru);
			level++;
			map = kmap_local_page(page) + offset;
		}
		if (*map == SWAP_CONT_MAX) {
			kunmap_local(map);
			if (list_is_last(&page->lru, head)) {
				ret = false;	/* add count continuation */
				goto out;
			}
			page = list_next_entry(page, lru);
			level++;
			map = kmap_local_page(page) + offset;
init_map:		*map = 0;		/* continuation pages are not zeroed */
		}
		set_digit(slot, level, map, *map + 1);
		kunmap_local(map);
		while (!list_is_first(&page->lru, head)) {
			page = list_prev_entry(page, lru);
			level--;
			map = kmap_local_page(page) + offset;
			set_digit(slot, level, map, COUNT_CONTINUED);
			kunmap_local(map);
		}
		ret = true;		/* incremented */
	} else {
		/* decrementing: think of subtracting 1 from 1000 */
		WARN_ON_ONCE(count != COUNT_CONTINUED);
		while (*map == COUNT_CONTINUED) {
			kunmap_local(map);
			if (WARN_ON_ONCE(list_is_last(&page->lru, head))) {
				ret = false;
				goto out;
			}
			page = list_next_entry(page, lru);
			level++;
			map = kmap_local_page(page) + offset;
		}
		WARN_ON_ONCE(*map == 0);
		set_digit(slot, level, map, *map - 1);
		if (*map == 0)
			count = 0;
		kunmap_local(map);
		while (!list_is_first(&page->lru, head)) {
			page = list_prev_entry(page, lru);
			level--;
			map = kmap_local_page(page) + offset;
			set_digit(slot, level, map, SWAP_CONT_MAX | count);
			count = COUNT_CONTINUED;
			kunmap_local(map);
		}
		ret = count == COUNT_CONTINUED;
	}
out:
	spin_unlock(&st_swap.cont_lock);
	return ret;
}

/* swp_swapcount(): the full count of a slot, continuation digits included. */
static unsigned long swap_full_count(unsigned long slot)
{
	unsigned char count = swap_count(st_swap.map[slot]);
	unsigned long offset = slot & ~PAGE_MASK;
	struct list_head *head = slot_cont_list(slot);
	unsigned long total, n;
	struct page *page;
	unsigned char digit;

	if (count == SWAP_MAP_BAD)
		return 0;
	if (count == SWAP_MAP_SHMEM)
		return 1;
	total = count & ~COUNT_CONTINUED;
	if (!(count & COUNT_CONTINUED))
		return total;

	spin_lock(&st_swap.cont_lock);
	n = SWAP_MAP_MAX + 1;
	list_for_each_entry(page, head, lru) {
		unsigned char *map = kmap_local_page(page) + offset;

		digit = *map;
		kunmap_local(map);
		total += (digit & ~COUNT_CONTINUED) * n;
		n *= SWAP_CONT_MAX + 1;
		if (!(digit & COUNT_CONTINUED))
			break;
	}
	spin_unlock(&st_swap.cont_lock);
	return total;
}

static unsigned int cont_pages(unsigned long slot)
{
	struct list_head *pos;
	unsigned int n = 0;

	spin_lock(&st_swap.cont_lock);
	list_for_each(pos, slot_cont_list(slot))
		n++;
	spin_unlock(&st_swap.cont_lock);
	return n;
}

static int alloc_in_cluster(unsigned long ci_idx, unsigned long *slot, u32 *gen)
{
	struct st_cluster *ci = &st_swap.clusters[ci_idx];
	unsigned long first = ci_idx << ST_CLUSTER_SHIFT;
	unsigned long s;

	for (s = first + ci->next; s < first + ST_CLUSTER_NR; s++) {
		if (st_swap.map[s])
			continue;
		ci->next = s - first + 1;
		set_map(s, SWAP_HAS_CACHE);
		slot_taken(s);
		*slot = s;
		*gen = ++st_swap.gen[s];
		return 0;
	}
	ci->next = ST_CLUSTER_NR;
	return -ENOSPC;
}

/*
 * The lowest cluster at or above *hint that is partly used (@partial) or
 * free, the hint moved up to it; nr_clusters if none is.
 */
static unsigned long find_cluster(unsigned long *hint, bool partial)
{
	struct st_cluster *ci;
	unsigned long i;

	for (i = *hint; i < st_swap.nr_clusters; i++) {
		ci = &st_swap.clusters[i];
		if (ci->huge || ci->inuse == ST_CLUSTER_NR)
			continue;
		if (!ci->inuse != partial)
			break;
	}
	*hint = i;
	return i;
}

/*
 * folio_alloc_swap() for one page: the slot starts life owned by the swap
 * cache alone (SWAP_HAS_CACHE, count 0).  Partly used clusters are filled
 * first so that whole clusters stay available for THPs, and within them the
 * lowest free slot: a model simplification, not a kernel allocator (the
 * kernel scans on from si->cluster_next or a per-CPU cluster's next slot).
 * What it keeps is that a slot freed under slot_reuse=immediate is handed
 * out again at the first chance, the reuse seed 002's ABA needs.  The
 * lowest partly used cluster, the lowest free one and each cluster's
 * lowest free slot are found from hints (cluster_changed(),
 * slot_released()), so an allocation does not scan what is full.
 */
int st_swap_alloc(unsigned long *slot, u32 *gen)
{
	unsigned long i;
	int err = -ENOSPC;

	spin_lock(&st_swap.lock);
	if (!st_swap.s.on) {
		err = -ENODEV;
		goto out;
	}
	/* slots parked under deferred before a switch to immediate */
	if (st_policy(ST_POL_SLOT_REUSE) != ST_SLOT_REUSE_DEFERRED)
		return_parked();
	i = find_cluster(&st_swap.partial_hint, true);
	if (i == st_swap.nr_clusters)
		i = find_cluster(&st_swap.free_hint, false);
	if (i < st_swap.nr_clusters)
		err = alloc_in_cluster(i, slot, gen);
out:
	spin_unlock(&st_swap.lock);
	return err;
}

/* folio_alloc_swap() for a THP: a whole free cluster, marked huge. */
int st_swap_alloc_pmd(unsigned long *slot, u32 *gen)
{
	unsigned long i, s, first;
	int err = -ENOSPC;

	spin_lock(&st_swap.lock);
	if (!st_swap.s.on) {
		err = -ENODEV;
		goto out;
	}
	for (i = 0; i < st_swap.nr_clusters; i++) {
		if (st_swap.clusters[i].inuse)
			continue;
		first = i << ST_CLUSTER_SHIFT;
		for (s = first; s < first + ST_CLUSTER_NR; s++) {
			set_map(s, SWAP_HAS_CACHE);
			slot_taken(s);
			st_swap.gen[s]++;
		}
		st_swap.clusters[i].huge = true;
		st_swap.s.huge_clusters++;
		*slot = first;
		*gen = st_swap.gen[first];
		err = 0;
		break;
	}
out:
	spin_unlock(&st_swap.lock);
	return err;
}

/* The checks of __swap_duplicate(), for one slot, map lock held. */
static int dup_check(unsigned long slot, unsigned char usage)
{
	unsigned char count = st_swap.map[slot];
	unsigned char has_cache = count & SWAP_HAS_CACHE;

	if (swap_count(count) == SWAP_MAP_BAD)
		return -ENOENT;
	/* parked: no reference left; swapcache_prepare() sees the cache bit */
	if (test_bit(slot, st_swap.parked))
		return usage == SWAP_HAS_CACHE ? -EEXIST : -ENOENT;
	count &= ~SWAP_HAS_CACHE;
	if (!count && !has_cache)
		return -ENOENT;
	if (usage == SWAP_HAS_CACHE)
		return has_cache ? -EEXIST : 0;
	if ((count & ~COUNT_CONTINUED) > SWAP_MAP_MAX)
		return -EINVAL;
	return 0;
}

/* The update of __swap_duplicate(), for one checked slot, map lock held. */
static int dup_apply(unsigned long slot, unsigned char usage)
{
	unsigned char count = st_swap.map[slot];
	unsigned char has_cache = count & SWAP_HAS_CACHE;

	count &= ~SWAP_HAS_CACHE;
	if (usage == SWAP_HAS_CACHE)
		has_cache = SWAP_HAS_CACHE;
	else if ((count & ~COUNT_CONTINUED) < SWAP_MAP_MAX)
		count += usage;
	else if (swap_count_continued(slot, count))
		count = COUNT_CONTINUED;
	else
		return -ENOMEM;
	set_map(slot, count | has_cache);
	return 0;
}

/*
 * __swap_entry_free_locked(): drop one map reference or the cache reference.
 * Returns the remaining usage; the caller releases the slot when it is zero.
 */
static unsigned char entry_free_locked(unsigned long slot, unsigned char usage)
{
	unsigned char count = st_swap.map[slot];
	unsigned char has_cache = count & SWAP_HAS_CACHE;

	count &= ~SWAP_HAS_CACHE;
	if (usage == SWAP_HAS_CACHE) {
		has_cache = 0;
	} else if (count == SWAP_MAP_SHMEM) {
		count = 0;
	} else if (count == COUNT_CONTINUED) {
		if (swap_count_continued(slot, count))
			count = SWAP_MAP_MAX | COUNT_CONTINUED;
		else
			count = SWAP_MAP_MAX;
	} else {
		count--;
	}
	usage = count | has_cache;
	if (usage)
		set_map(slot, usage);
	return usage;
}

static int check_slot(unsigned long slot)
{
	return slot < st_swap.s.nr_slots ? 0 : -EINVAL;
}

/*
 * __swap_duplicate() over nr slots, with the PMD semantics of the 2018 series:
 * nr == ST_CLUSTER_NR needs an aligned slot of a cluster that is still huge
 * (-ENOTDIR once split).  On an error part way through a PMD, the slots done
 * so far are rolled back and *slot returns the one that failed, so that the
 * caller can add a count continuation for it (-ENOMEM) and retry.
 */
int __st_swap_duplicate(unsigned long *slot, unsigned char usage, unsigned int nr)
{
	unsigned long first = *slot;
	unsigned int i;
	int err;

	if (check_slot(first) || (nr != 1 && nr != ST_CLUSTER_NR))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	if (nr == ST_CLUSTER_NR) {
		if (!IS_ALIGNED(first, ST_CLUSTER_NR)) {
			err = -EINVAL;
			goto out;
		}
		if (!slot_cluster(first)->huge) {
			err = -ENOTDIR;
			goto out;
		}
	}
	for (i = 0; i < nr; i++) {
		err = dup_check(first + i, usage);
		if (!err)
			err = dup_apply(first + i, usage);
		if (err) {
			*slot = first + i;
			while (i--)
				entry_free_locked(first + i, usage);
			break;
		}
	}
out:
	spin_unlock(&st_swap.lock);
	return err;
}

/*
 * add_swap_count_continuation(): allocate a page first, then under the locks
 * see whether it is still wanted.  The count may have moved meanwhile, or
 * another slot of the same map page may already have the continuation page
 * this slot needs: then the new page is freed unused.
 */
int st_swap_add_continuation(unsigned long slot, gfp_t gfp)
{
	struct list_head *head;
	struct page *page, *list_page;
	unsigned long offset;
	unsigned char count;
	int ret = 0;

	if (check_slot(slot))
		return -EINVAL;
	page = st_cont_page_alloc(gfp);

	spin_lock(&st_swap.lock);
	if (page)
		st_swap.s.cont_alloc++;
	count = swap_count(st_swap.map[slot]);
	if ((count & ~COUNT_CONTINUED) != SWAP_MAP_MAX)
		goto out;		/* raced, or never needed */
	if (!page) {
		ret = -ENOMEM;
		goto out;
	}

	head = slot_cont_list(slot);
	offset = slot & ~PAGE_MASK;
	spin_lock(&st_swap.cont_lock);
	list_for_each_entry(list_page, head, lru) {
		unsigned char *map;

		/* a page is there and this slot has no digit in it yet */
		if (!(count & COUNT_CONTINUED))
			goto out_unlock_cont;
		map = kmap_local_page(list_page) + offset;
		count = *map;
		kunmap_local(map);
		/* this digit still has room */
		if ((count & ~COUNT_CONTINUED) != SWAP_CONT_MAX)
			goto out_unlock_cont;
	}
	list_add_tail(&page->lru, head);
	page = NULL;
	ret = 1;
out_unlock_cont:
	spin_unlock(&st_swap.cont_lock);
out:
	if (page) {
		st_swap.s.cont_freed++;
		st_swap.s.cont_unused++;
	}
	spin_unlock(&st_swap.lock);
	if (page)
		st_cont_page_free(page);
	return ret;
}

/*
 * swap_duplicate(&entry, nr): one more map reference on nr slots, adding
 * continuation pages for as long as the count asks for them.  Only -ENOMEM
 * means "continuation needed".
 */
static int swap_duplicate_nr(unsigned long slot, unsigned int nr, gfp_t gfp)
{
	unsigned long s;
	int err;

	for (;;) {
		s = slot;
		err = __st_swap_duplicate(&s, ST_USAGE_MAP, nr);
		if (err != -ENOMEM)
			return err;
		err = st_swap_add_continuation(s, gfp);
		if (err < 0)
			return err;
	}
}

int st_swap_duplicate(unsigned long slot, gfp_t gfp)
{
	return swap_duplicate_nr(slot, 1, gfp);
}

/* swap_duplicate(&entry, HPAGE_PMD_NR) of the PMD swap mapping series. */
int st_swap_duplicate_pmd(unsigned long slot, gfp_t gfp)
{
	return swap_duplicate_nr(slot, ST_CLUSTER_NR, gfp);
}

/*
 * Refuse what the kernel would only catch with VM_BUG_ON: freeing a free or
 * bad slot, a map reference the slot does not have, or a cache reference
 * that is not there.
 */
static int free_check(unsigned long slot, unsigned char usage)
{
	unsigned char count = st_swap.map[slot];

	if (!count || swap_count(count) == SWAP_MAP_BAD ||
	    test_bit(slot, st_swap.parked))
		return -ENOENT;
	if (usage == SWAP_HAS_CACHE)
		return count & SWAP_HAS_CACHE ? 0 : -EINVAL;
	return swap_count(count) ? 0 : -EINVAL;
}

/*
 * A slot whose last reference went.  slot_reuse=immediate: free for
 * allocation at once.  slot_reuse=deferred, as 6.12's free_swap_slot():
 * the map byte stays SWAP_HAS_CACHE (__swap_entry_free_locked()) and the
 * slot is parked in the return batch; a full batch is returned to the map
 * before the next slot is parked.
 */
static void entry_free(unsigned long slot, unsigned char usage)
{
	if (entry_free_locked(slot, usage))
		return;
	if (st_policy(ST_POL_SLOT_REUSE) != ST_SLOT_REUSE_DEFERRED) {
		slot_released(slot);
		return;
	}
	if (st_swap.n_ret >= ST_SLOTS_RET)
		return_parked();
	set_map(slot, SWAP_HAS_CACHE);
	__set_bit(slot, st_swap.parked);
	st_swap.ret[st_swap.n_ret++] = slot;
}

/* drain_slots_cache_cpu(): return the batch now (swapoff, "slot drain"). */
unsigned int st_swap_drain(void)
{
	unsigned int n;

	spin_lock(&st_swap.lock);
	n = return_parked();
	spin_unlock(&st_swap.lock);
	return n;
}

/* swap_free(): drop one map reference. */
int st_swap_free(unsigned long slot)
{
	int err;

	if (check_slot(slot))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	err = free_check(slot, ST_USAGE_MAP);
	if (!err)
		entry_free(slot, ST_USAGE_MAP);
	spin_unlock(&st_swap.lock);
	return err;
}

/* Free a PMD swap mapping: one map reference off every slot of the cluster. */
int st_swap_free_pmd(unsigned long slot)
{
	unsigned long i;
	int err = 0;

	if (check_slot(slot) || !IS_ALIGNED(slot, ST_CLUSTER_NR))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	if (!slot_cluster(slot)->huge) {
		err = -ENOTDIR;
		goto out;
	}
	for (i = 0; i < ST_CLUSTER_NR && !err; i++)
		err = free_check(slot + i, ST_USAGE_MAP);
	if (err)
		goto out;
	/* the last slot to go frees the cluster: walk backwards to keep it */
	for (i = ST_CLUSTER_NR; i--; )
		entry_free(slot + i, ST_USAGE_MAP);
out:
	spin_unlock(&st_swap.lock);
	return err;
}

/* swapcache_prepare(): take the cache reference, -EEXIST if it is taken. */
int st_swapcache_prepare(unsigned long slot)
{
	unsigned long s = slot;

	return __st_swap_duplicate(&s, ST_USAGE_CACHE, 1);
}

/*
 * put_swap_folio(): drop the cache reference of nr slots (1, or a cluster's
 * worth for a THP), freeing each slot that has no map count left.
 */
int st_swapcache_clear(unsigned long slot, unsigned int nr)
{
	unsigned int i;
	int err = 0;

	if (check_slot(slot) || (nr != 1 && nr != ST_CLUSTER_NR) ||
	    !IS_ALIGNED(slot, nr))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	for (i = 0; i < nr && !err; i++)
		err = free_check(slot + i, ST_USAGE_CACHE);
	if (!err)
		for (i = nr; i--; )
			entry_free(slot + i, ST_USAGE_CACHE);
	spin_unlock(&st_swap.lock);
	return err;
}

/* A bad block listed in the swap header: only a free slot can become one. */
int st_swap_mark_bad(unsigned long slot)
{
	int err = 0;

	if (check_slot(slot))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	if (!st_swap.s.on) {
		err = -ENODEV;
	} else if (st_swap.map[slot] == SWAP_MAP_BAD) {
		err = 0;
	} else if (st_swap.map[slot] || slot_cluster(slot)->huge) {
		err = -EBUSY;
	} else {
		/* a bad slot fills its cluster but is not "used" */
		set_map(slot, SWAP_MAP_BAD);
		slot_cluster(slot)->inuse++;
		cluster_changed(slot >> ST_CLUSTER_SHIFT);
		st_swap.s.bad++;
	}
	spin_unlock(&st_swap.lock);
	return err;
}

/* split_swap_cluster(): the THP was split, its cluster is normal now. */
int st_swap_split_cluster(unsigned long slot)
{
	struct st_cluster *ci;
	int err = 0;

	if (check_slot(slot))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	ci = slot_cluster(slot);
	if (ci->huge) {
		ci->huge = false;
		st_swap.s.huge_clusters--;
		cluster_changed(slot >> ST_CLUSTER_SHIFT);
	} else {
		err = -EINVAL;
	}
	spin_unlock(&st_swap.lock);
	return err;
}

/*
 * swap_swapcount(): the map byte's count, COUNT_CONTINUED included but not
 * the continuation digits; zero only for a slot no pte or file refers to
 * (free, or parked with SWAP_HAS_CACHE).  -EINVAL for a slot out of range.
 * Locking: takes the map lock.
 */
int st_swap_swapcount(unsigned long slot)
{
	int count;

	if (check_slot(slot))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	count = swap_count(st_swap.map[slot]);
	spin_unlock(&st_swap.lock);
	return count;
}

int st_swap_query(unsigned long slot, struct st_slot_info *info)
{
	struct st_cluster *ci;
	unsigned char map;

	if (check_slot(slot))
		return -EINVAL;
	spin_lock(&st_swap.lock);
	map = st_swap.map[slot];
	ci = slot_cluster(slot);
	info->map = map;
	info->bad = swap_count(map) == SWAP_MAP_BAD;
	info->parked = test_bit(slot, st_swap.parked);
	info->cache = !info->bad && !info->parked && (map & SWAP_HAS_CACHE);
	info->shmem = swap_count(map) == SWAP_MAP_SHMEM;
	info->continued = !info->bad && !info->shmem && (map & COUNT_CONTINUED);
	info->count = swap_full_count(slot);
	info->gen = st_swap.gen[slot];
	info->cluster = ci->huge ? ST_CLUSTER_HUGE :
			ci->inuse ? ST_CLUSTER_NORMAL : ST_CLUSTER_FREE;
	info->conts = cont_pages(slot);
	spin_unlock(&st_swap.lock);
	return 0;
}

/*
 * The end of the run of free slots (map byte 0) starting at slot: slot
 * itself if it is in use.  A cluster with no slot in use is skipped whole,
 * the rest of a cluster is scanned a word at a time (memchr_inv()).  What
 * the auditor skips with it, it checks for references and cache pages
 * itself.  Locking: takes the map lock.
 */
unsigned long st_swap_free_run_end(unsigned long slot)
{
	unsigned long nr = st_swap.s.nr_slots, end;
	unsigned char *busy;

	spin_lock(&st_swap.lock);
	while (slot < nr) {
		end = min(round_up(slot + 1, ST_CLUSTER_NR), nr);
		if (slot_cluster(slot)->inuse) {
			busy = memchr_inv(st_swap.map + slot, 0, end - slot);
			if (busy) {
				slot = busy - st_swap.map;
				break;
			}
		}
		slot = end;
	}
	spin_unlock(&st_swap.lock);
	return slot;
}

/*
 * Every continuation page on a list, walked: what the leak checks compare
 * with the pages the allocator handed out and got back (contpage.c).
 */
unsigned long st_swap_cont_listed(void)
{
	unsigned long i, n = 0;
	struct list_head *pos;

	spin_lock(&st_swap.lock);
	spin_lock(&st_swap.cont_lock);
	for (i = 0; i < DIV_ROUND_UP(st_swap.s.nr_slots, PAGE_SIZE); i++)
		list_for_each(pos, &st_swap.cont_lists[i])
			n++;
	spin_unlock(&st_swap.cont_lock);
	spin_unlock(&st_swap.lock);
	return n;
}

/* Pages allocated, not freed and on no list: leaked (nothing in flight). */
unsigned long st_swap_cont_leaked(void)
{
	unsigned long allocated, freed, listed = st_swap_cont_listed();

	st_cont_page_counts(&allocated, &freed);
	return allocated - freed - listed;
}

/* free_swap_count_continuations(): only once the map is quiesced. */
static unsigned long free_continuations(void)
{
	unsigned long i, n = 0;
	struct page *page, *next;

	for (i = 0; i < DIV_ROUND_UP(st_swap.s.nr_slots, PAGE_SIZE); i++) {
		list_for_each_entry_safe(page, next, &st_swap.cont_lists[i], lru) {
			list_del(&page->lru);
			st_cont_page_free(page);
			n++;
		}
	}
	st_swap.s.cont_freed += n;
	return n;
}

/*
 * swapoff() after try_to_unuse() has emptied the device: the model has no
 * unuse pass, so a slot still in use (bad slots aside) refuses it.
 */
int st_swapoff(unsigned long *conts_freed, unsigned long *leaked)
{
	int err = 0;

	spin_lock(&st_swap.lock);
	/* swapoff() drains the slots caches (disable_swap_slots_cache_lock()) */
	return_parked();
	if (!st_swap.s.on)
		err = -ENODEV;
	else if (st_swap.s.used)
		err = -EBUSY;
	else
		st_swap.s.on = false;
	spin_unlock(&st_swap.lock);
	if (err)
		return err;
	/* off, and nothing in use: no one else looks at the lists now */
	*conts_freed = free_continuations();
	*leaked = st_swap_cont_leaked();
	return 0;
}

int st_swapon(void)
{
	int err = 0;

	spin_lock(&st_swap.lock);
	if (st_swap.s.on)
		err = -EBUSY;
	else
		st_swap.s.on = true;
	spin_unlock(&st_swap.lock);
	return err;
}

void st_swap_get_stats(struct st_swap_stats *stats)
{
	spin_lock(&st_swap.lock);
	*stats = st_swap.s;
	spin_unlock(&st_swap.lock);
}

int st_swapmap_init(unsigned long nr_slots)
{
	unsigned long i, nr_pages;

	if (nr_slots < ST_SLOTS_MIN || nr_slots > ST_SLOTS_MAX ||
	    !IS_ALIGNED(nr_slots, ST_CLUSTER_NR))
		return -EINVAL;

	spin_lock_init(&st_swap.lock);
	spin_lock_init(&st_swap.cont_lock);
	st_swap.s.nr_slots = nr_slots;
	st_swap.nr_clusters = nr_slots >> ST_CLUSTER_SHIFT;
	st_swap.partial_hint = 0;
	st_swap.free_hint = 0;
	nr_pages = DIV_ROUND_UP(nr_slots, PAGE_SIZE);

	st_swap.map = vzalloc(nr_slots);
	st_swap.gen = vzalloc(array_size(nr_slots, sizeof(*st_swap.gen)));
	st_swap.clusters = vzalloc(array_size(st_swap.nr_clusters,
					      sizeof(*st_swap.clusters)));
	st_swap.cont_lists = kvmalloc_array(nr_pages, sizeof(*st_swap.cont_lists),
					    GFP_KERNEL);
	st_swap.parked = bitmap_zalloc(nr_slots, GFP_KERNEL);
	if (!st_swap.map || !st_swap.gen || !st_swap.clusters ||
	    !st_swap.cont_lists || !st_swap.parked) {
		st_swapmap_exit();
		return -ENOMEM;
	}
	for (i = 0; i < nr_pages; i++)
		INIT_LIST_HEAD(&st_swap.cont_lists[i]);

	/* slot 0 holds the swap header in the kernel: bad from the start */
	st_swap.s.on = true;
	return st_swap_mark_bad(0);
}

void st_swapmap_exit(void)
{
	if (st_swap.cont_lists) {
		unsigned long leaked;

		free_continuations();
		/* counted at the allocator, not from the statistics above */
		leaked = st_swap_cont_leaked();
		if (leaked)
			pr_err("leak: %lu continuation pages allocated, never listed nor freed\n",
			       leaked);
	}
	kvfree(st_swap.cont_lists);
	bitmap_free(st_swap.parked);
	vfree(st_swap.clusters);
	vfree(st_swap.gen);
	vfree(st_swap.map);
	memset(&st_swap, 0, sizeof(st_swap));
}
