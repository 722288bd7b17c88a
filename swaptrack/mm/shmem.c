// SPDX-License-Identifier: GPL-2.0
/*
 * Shmem-like files.
 *
 * The index of a file holds a page (referenced, page->file/index set) or
 * the swap entry of a page that shmem_writepage() sent to swap, as an
 * xarray value.  A swapped-out file page's slot is counted SWAP_MAP_SHMEM.
 *
 * Swapin follows shmem_swapin_folio(): read the slot into the swap cache,
 * lock the page, confirm it is still the cache page of that slot and that
 * the index still holds that swap entry, then replace the entry by the
 * page (shmem_add_to_page_cache()), drop the page from the swap cache and
 * free the slot.  Truncate or hole punch can still take the entry between
 * the confirmation and the add: see the seed 003 section below.
 *
 * Truncate and hole punch zap the mappings first (unmap_mapping_range(),
 * with even_cows only for truncate), then empty the index; truncate zaps
 * the mappings a second time after that, as shmem_setattr() does, while
 * hole punch does not ("hole-punching leaves COWed pages").
 */
#include <linux/debugfs.h>
#include <linux/lockdep.h>
#include <linux/seq_file.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "mm/reclaim.h"
#include "mm/registry.h"
#include "mm/shmem.h"
#include "mm/zap.h"
#include "race/gate.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

#define ST_SHMEM_RETRIES	1000

static struct st_registry st_files;
static struct dentry *st_debugfs_root;

u64 st_file_expect(struct st_file *f, unsigned long index)
{
	void *v = xa_load(&f->expect, index);

	return v ? xa_to_value(v) : 0;
}

void st_file_expect_set(struct st_file *f, unsigned long index, u64 tag)
{
	if (tag)
		xa_store(&f->expect, index, xa_mk_value(tag), GFP_KERNEL);
	else
		xa_erase(&f->expect, index);
}

/* Room for the record of a store at index, before a spinlock is taken. */
int st_file_expect_reserve(struct st_file *f, unsigned long index)
{
	return xa_reserve(&f->expect, index, GFP_KERNEL);
}

/*
 * The lock of the file's record of what was written, which every store to
 * one of its pages also holds (st_file_store_locked()): a load that holds
 * it sees a page's data and its record agree.  Inside the ptl.
 */
void st_file_expect_lock(struct st_file *f)
	__acquires(&f->expect.xa_lock)
{
	xa_lock(&f->expect);
}

void st_file_expect_unlock(struct st_file *f)
	__releases(&f->expect.xa_lock)
{
	xa_unlock(&f->expect);
}

/*
 * A store of tag over the file's page p at index: the data and the
 * auditor's record of it change together under the record's lock, so two
 * stores through different mappings (or a write(2)) are recorded in the
 * order their data landed.  Atomic context is fine once the entry is
 * reserved (st_file_expect_reserve()).
 */
void st_file_store_locked(struct st_file *f, unsigned long index,
			  struct st_page *p, u64 tag)
{
	st_file_expect_lock(f);
	st_page_fill(p, tag);
	if (tag)
		__xa_store(&f->expect, index, xa_mk_value(tag), GFP_ATOMIC);
	else
		__xa_erase(&f->expect, index);
	st_file_expect_unlock(f);
}

/*
 * fileN/index as a seq_file iterator: the size, then one record per entry
 * of the index, each looked up again from the position (the index + 1) at
 * every read, so a big index is walked once and never under a lock held
 * across a copy to the reader.  An index is below ST_FILE_PAGES_MAX, so
 * index + 1 fits the position.  Under RCU a page seen in the index is not
 * freed before the record is formatted (page_free_rcu()).
 */
struct index_iter {
	struct st_file *f;
	unsigned long index;
	void *entry;
};

static void *index_find(struct index_iter *it, loff_t *pos)
{
	unsigned long index = *pos - 1;

	it->entry = xa_find(&it->f->pages, &index, ULONG_MAX, XA_PRESENT);
	if (!it->entry)
		return NULL;
	it->index = index;
	*pos = (loff_t)index + 1;
	return it;
}

static void *index_start(struct seq_file *m, loff_t *pos)
	__acquires(RCU)
{
	rcu_read_lock();
	return *pos ? index_find(m->private, pos) : SEQ_START_TOKEN;
}

static void *index_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return index_find(m->private, pos);
}

static void index_stop(struct seq_file *m, void *v)
	__releases(RCU)
{
	rcu_read_unlock();
}

static int index_show(struct seq_file *m, void *v)
{
	struct index_iter *it = m->private;

	if (v == SEQ_START_TOKEN)
		seq_printf(m, "size %lu\n", READ_ONCE(it->f->size));
	else if (xa_is_value(it->entry))
		seq_printf(m, "%lu swap slot=%lu\n", it->index,
			   xa_to_value(it->entry));
	else
		seq_printf(m, "%lu page pfn=0x%lx\n", it->index,
			   st_page_pfn(it->entry));
	return 0;
}

static const struct seq_operations index_sops = {
	.start = index_start,
	.next = index_next,
	.stop = index_stop,
	.show = index_show,
};

static int index_open(struct inode *inode, struct file *file)
{
	struct index_iter *it = __seq_open_private(file, &index_sops,
						   sizeof(*it));

	if (!it)
		return -ENOMEM;
	it->f = inode->i_private;
	return 0;
}

static const struct file_operations index_fops = {
	.owner = THIS_MODULE,
	.open = index_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

/* Under the registry's lock: the file's id and its "fileN". */
static void file_publish(void *obj, int id)
{
	struct st_file *f = obj;
	char name[16];

	f->id = id;
	snprintf(name, sizeof(name), "file%d", id);
	f->dir = debugfs_create_dir(name, st_debugfs_root);
	debugfs_create_file("index", 0400, f->dir, f, &index_fops);
}

struct st_file *st_file_new(unsigned long size)
{
	struct st_file *f = kzalloc(sizeof(*f), GFP_KERNEL);
	int id;

	if (!f)
		return ERR_PTR(-ENOMEM);
	kref_init(&f->kref);
	mutex_init(&f->lock);
	spin_lock_init(&f->falloc_lock);
	init_waitqueue_head(&f->falloc_wq);
	init_rwsem(&f->i_mmap_rwsem);
	f->i_mmap = RB_ROOT_CACHED;
	xa_init(&f->pages);
	xa_init(&f->expect);
	f->size = size;
	id = st_registry_add(&st_files, f, file_publish);
	if (id < 0) {
		kfree(f);
		return ERR_PTR(id);
	}
	return f;		/* the caller's reference; the registry has one */
}

struct st_file *st_file_get(int id)
{
	return st_registry_get(&st_files, id);
}

static void file_release(struct kref *kref)
{
	struct st_file *f = container_of(kref, struct st_file, kref);

	/* the index was emptied when the file was destroyed */
	WARN_ON_ONCE(!xa_empty(&f->pages));
	xa_destroy(&f->pages);
	xa_destroy(&f->expect);
	mutex_destroy(&f->lock);
	kfree(f);
}

void st_file_put(struct st_file *f)
{
	kref_put(&f->kref, file_release);
}

/*
 * The entry at index, a page pinned, as filemap_get_entry() reads it: the
 * load and the refcount_inc_not_zero() under one rcu_read_lock(), since
 * the index changes without the file's lock (swapin, swapout, migration)
 * and a page goes a grace period after its last put (st_page_put()).
 * False when the page was on its way out: look again.
 */
static bool index_get(struct st_file *f, unsigned long index, void **entryp)
{
	struct st_page *p;
	bool pinned = true;

	rcu_read_lock();
	*entryp = xa_load(&f->pages, index);
	p = *entryp;
	if (p && !xa_is_value(p))
		pinned = refcount_inc_not_zero(&p->ref);
	rcu_read_unlock();
	return pinned;
}

/*
 * Drop one index entry; page locked by the caller if it is a page.  False
 * when the index no longer holds it (a swapin replaced the swap entry by
 * its page meanwhile).
 */
static bool drop_entry(struct st_file *f, unsigned long index, void *entry)
{
	struct st_page *p = entry;

	if (xa_is_value(entry)) {
		if (xa_cmpxchg(&f->pages, index, entry, NULL, 0) != entry)
			return false;
		st_free_swap_and_cache(xa_to_value(entry));
		return true;
	}
	if (xa_cmpxchg(&f->pages, index, p, NULL, 0) != p)
		return false;
	WRITE_ONCE(p->file, NULL);
	st_page_put(p);			/* the index's reference */
	return true;
}

/*
 * shmem_undo_range(): empty [start, end) of the index.  A page still
 * mapped after the first unmap pass is unmapped again under its lock,
 * dropping markers (truncate_inode_folio() / unmap_mapping_folio()).  A
 * swap entry that a swapin replaced by its page before it could be freed
 * is looked at again ("Swap was replaced by page: retry"), as is a page
 * that went out to swap meanwhile.
 */
static void undo_range(struct st_file *f, unsigned long start,
		       unsigned long end)
{
	unsigned long index;
	struct st_page *p;
	bool dropped;
	void *entry;

	xa_for_each_range(&f->pages, index, entry, start, end - 1) {
again:
		if (xa_is_value(entry)) {
			/* f->lock held; truncation cannot fail: it goes on */
			st_gate(ST_GATE_SHMEM_UNDO);
			if (!drop_entry(f, index, entry))
				goto retry;
			continue;
		}
		/* the iterator's pointer is not pinned: load it again */
		if (!index_get(f, index, &entry))
			goto retry;
		if (!entry)
			continue;
		if (xa_is_value(entry))
			goto again;
		p = entry;
		st_page_lock(p);
		dropped = p->file == f && p->index == index;
		if (dropped) {
			if (atomic_read(&p->mapcount))
				st_unmap_page(p, true);
			dropped = drop_entry(f, index, p);
		}
		st_page_unlock(p);
		st_page_put(p);
		if (dropped)
			continue;
retry:
		cond_resched();
		entry = xa_load(&f->pages, index);
		if (entry)
			goto again;
	}
	xa_for_each_range(&f->expect, index, entry, start, end - 1)
		xa_erase(&f->expect, index);
}

int st_file_destroy(int id)
{
	struct st_file *f;
	int err;

	/*
	 * Only the registry's reference may remain: nothing maps it.  The id
	 * stays taken until "fileN" is gone, as for spaces.
	 */
	f = st_registry_unlist(&st_files, id, 1, &err);
	if (!f)
		return err;
	debugfs_remove_recursive(f->dir);
	mutex_lock(&f->lock);
	f->dead = true;
	undo_range(f, 0, ULONG_MAX >> PAGE_SHIFT);
	mutex_unlock(&f->lock);
	st_file_put(f);
	st_registry_forget(&st_files, id);
	return 0;
}

/*
 * ---- Seed 003: shmem swapin vs truncate / hole punch (linux-mm, May 2020,
 * "mm: memcontrol: convert page cache to a new mem_cgroup_charge() API").
 *
 * Swapin confirms the swap entry under the page lock, but the lock does not
 * hold truncation off: free_swap_and_cache() only trylocks the page, so
 * shmem_undo_range() can drop the entry (and the slot's SWAP_MAP_SHMEM
 * count) while swapin holds the page, and shmem_add_to_page_cache() finds
 * the expected entry gone.  The gate shmem.before_add parks swapin there.
 *
 * shmem_conflict says what happens next:
 *  - eexist_only (v3.7's 215c02bc33bb "tmpfs: fix shmem_getpage_gfp()
 *    VM_BUG_ON" up to 5.7): the add fails (-ENOENT from the radix tree
 *    replace until 4.19, turned into -EEXIST at "failed:"; -EEXIST from the
 *    xarray since 4.20), swapin deletes the page from the swap cache itself
 *    (the optimisation of that commit) and shmem_getpage_gfp() looks again:
 *    a hole refills.
 *  - enoent_no_retry (Johannes Weiner, "mm: memcontrol: convert page cache
 *    to a new mem_cgroup_charge() API" in v2 of the series "mm: memcontrol:
 *    charge swapin pages on instantiation", May 2020): the add says
 *    "expected ? -ENOENT : -EEXIST", so a swapin's mismatch is -ENOENT;
 *    "if (error == -ENOENT) delete_from_swap_cache(page)"; only -EEXIST is
 *    retried by shmem_getpage_gfp().
 *  - enoent_retry (his "... API fix" of 11 May 2020, posted for folding,
 *    never merged): "entry ? -EEXIST : -ENOENT", -ENOENT still deletes the
 *    page, and both are retried.
 *  - retry (what 5.8 merged, and 6.12 still does: Hugh's alternative,
 *    14235ab36019 "mm: shmem: remove rare optimization when swapin races
 *    with hole punching" and 3fea5a499d57 without the -ENOENT): -EEXIST,
 *    retried, and swapin leaves the page where it is: stranded in the swap
 *    cache with no count on its slot until page reclaim frees it, as after
 *    the same race with zap_pte_range().  The auditor notes such a page,
 *    it is not a violation.
 *
 * swapin_reconfirm says whether the "failed:" label re-confirms the entry
 * ("if (!shmem_confirm_swap(mapping, index, swap)) error = -EEXIST"):
 *  - failed_label (shmem_getpage_gfp() of 3.x, shmem_swapin_page() from
 *    5.1 to 5.19, shmem_swapin_folio() in 6.12): every kernel has it, and
 *    with it the -ENOENT of enoent_no_retry comes back as -EEXIST and is
 *    retried: the hole refills.
 *  - omitted: a reading of the thread, not code.  Hugh's "-ENOENT will
 *    percolate up to shmem_fault() and result in a SIGBUS" holds only
 *    without the re-confirmation; the SIGBUS of enoent_no_retry needs it.
 * Nothing else returns -ENOENT from here (Hugh's question), so the retry
 * cannot spin on another error.
 */

/*
 * shmem_add_to_page_cache(): replace the swap entry expected at index by
 * the locked page p.  -EEXIST or -ENOENT (see above) when it is gone.
 */
static int add_to_index(struct st_file *f, unsigned long index,
			void *expected, struct st_page *p)
{
	void *old;

	p->file = f;
	p->index = index;
	st_page_get(p);			/* the index's reference */
	old = xa_cmpxchg(&f->pages, index, expected, p, GFP_KERNEL);
	if (old == expected)
		return 0;
	p->file = NULL;
	st_page_put(p);
	if (xa_is_err(old))
		return xa_err(old);
	switch (st_policy(ST_POL_SHMEM_CONFLICT)) {
	case ST_SHMEM_ENOENT_NO_RETRY:
		return expected ? -ENOENT : -EEXIST;
	case ST_SHMEM_ENOENT_RETRY:
		return old ? -EEXIST : -ENOENT;
	default:
		return -EEXIST;
	}
}

/* Whether swapin cleans up after losing the race (see above). */
static bool conflict_deletes_cache(int err)
{
	switch (st_policy(ST_POL_SHMEM_CONFLICT)) {
	case ST_SHMEM_EEXIST_ONLY:
		return err == -EEXIST;
	case ST_SHMEM_ENOENT_NO_RETRY:
	case ST_SHMEM_ENOENT_RETRY:
		return err == -ENOENT;
	default:
		return false;
	}
}

/* Whether shmem_get_folio() looks the index up again after err. */
static bool conflict_retries(int err)
{
	return err == -EEXIST ||
	       (err == -ENOENT &&
		st_policy(ST_POL_SHMEM_CONFLICT) == ST_SHMEM_ENOENT_RETRY);
}

/*
 * shmem_swapin_folio(): the index held xa_mk_value(slot) at index.
 * Returns 0 with the page locked and referenced, -EEXIST (or -ENOENT) when
 * the entry went meanwhile, -EIO, -ENOMEM, or the gate's -ETIMEDOUT /
 * -EINTR.
 */
static int file_swapin(struct st_file *f, unsigned long index,
		       unsigned long slot, struct st_page **pagep)
{
	void *swap = xa_mk_value(slot);
	struct st_page *p;
	int err;

	/*
	 * No page is shmem_swapin_cluster()'s NULL, -ENOMEM in 6.12, and
	 * -EEXIST once the entry is seen gone.  The slot was free when looked
	 * at (a swapin elsewhere freed it) or no page could be had: if the
	 * slot was handed out again to this very index meanwhile, the entry
	 * is back and the -ENOMEM stays: read(2) gets it, a fault's
	 * VM_FAULT_OOM is retried.  SWAP_HAS_CACHE that stayed without a page
	 * (-EBUSY, where the kernel would wait on forever) is the model's
	 * -EIO, as a read that failed.
	 */
	p = st_read_swap_cache_async(slot, &err);
	if (!p && xa_load(&f->pages, index) != swap)
		return -EEXIST;
	if (!p)
		return err == -ENOENT || err == -ENOMEM ? -ENOMEM : -EIO;
	st_page_lock(p);
	if (!st_page_test(p, ST_PG_SWAPCACHE) || p->slot != slot ||
	    xa_load(&f->pages, index) != swap) {
		err = -EEXIST;
		goto failed;
	}
	if (!st_page_test(p, ST_PG_UPTODATE)) {
		err = -EIO;
		goto failed;
	}
	/*
	 * Parked with the swap-cache page locked and referenced: a truncate
	 * or punch now drops the entry and leaves this page in the cache.
	 */
	err = st_gate(ST_GATE_SHMEM_BEFORE_ADD);
	if (err)
		goto failed;
	err = add_to_index(f, index, swap, p);
	if (err) {
		/* still ours: free_swap_and_cache() could not lock it */
		if (conflict_deletes_cache(err))
			st_delete_from_swap_cache(p);
		goto failed;
	}
	st_delete_from_swap_cache(p);
	st_swap_free(slot);
	*pagep = p;
	return 0;

failed:
	/* swapin_reconfirm=failed_label: the entry went, so look again */
	if (st_policy(ST_POL_SWAPIN_RECONFIRM) == ST_RECONFIRM_FAILED_LABEL &&
	    xa_load(&f->pages, index) != swap)
		err = -EEXIST;
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

/*
 * shmem_get_folio(): the page at index, locked and referenced; a hole is
 * filled with a zeroed page.  -ERANGE past the end of the file or once
 * the file is destroyed.
 */
int st_file_get_page(struct st_file *f, unsigned long index,
		     struct st_page **pagep)
{
	struct st_page *p;
	void *entry;
	int tries, err;

	for (tries = 0; tries < ST_SHMEM_RETRIES; tries++) {
		if (index >= READ_ONCE(f->size) || f->dead)
			return -ERANGE;
		if (!index_get(f, index, &entry))
			continue;
		if (xa_is_value(entry)) {
			err = file_swapin(f, index, xa_to_value(entry), pagep);
			if (conflict_retries(err))
				continue;
			return err;
		}
		if (entry) {
			p = entry;
			st_page_lock(p);
			if (p->file == f && p->index == index) {
				*pagep = p;
				return 0;
			}
			st_page_unlock(p);
			st_page_put(p);
			continue;
		}
		p = st_page_alloc();
		if (!p)
			return -ENOMEM;
		st_page_fill(p, 0);
		set_bit(ST_PG_UPTODATE, &p->flags);
		st_page_trylock(p);
		p->file = f;
		p->index = index;
		st_page_get(p);		/* the index's reference */
		if (!xa_cmpxchg(&f->pages, index, NULL, p, GFP_KERNEL)) {
			*pagep = p;
			return 0;
		}
		p->file = NULL;
		st_page_put(p);
		st_page_unlock(p);
		st_page_put(p);
	}
	return -EAGAIN;
}

int st_file_write(struct st_file *f, unsigned long index, u64 tag)
{
	struct st_page *p;
	int err = st_file_get_page(f, index, &p);

	if (err)
		return err;
	err = st_file_expect_reserve(f, index);
	if (!err)
		st_file_store_locked(f, index, p, tag);
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

/*
 * read(2) of the page at index: its tag, and in @want the record of what
 * was written there, read together under the record's lock as for a load
 * (st_access_read()).  A read of a hole gives zeroes without filling it
 * (SGP_READ).
 */
int st_file_read(struct st_file *f, unsigned long index, u64 *tag,
		 u64 *want)
{
	struct st_page *p;
	int err;

	if (index >= READ_ONCE(f->size))
		return -ERANGE;
	st_file_expect_lock(f);
	if (!xa_load(&f->pages, index)) {
		*tag = 0;
		*want = st_file_expect(f, index);
		st_file_expect_unlock(f);
		return 0;
	}
	st_file_expect_unlock(f);
	err = st_file_get_page(f, index, &p);
	if (err)
		return err;
	st_file_expect_lock(f);
	err = st_page_tag(p, tag);
	*want = st_file_expect(f, index);
	st_file_expect_unlock(f);
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

/*
 * shrink_folio_list() on a file page: try_to_unmap() (ptes cleared, a
 * uffd-wp marker left where one is due), then shmem_writepage(): a slot,
 * the swap cache, the index entry replaced by the swap entry counted
 * SWAP_MAP_SHMEM, writeback, and out of the swap cache.
 */
int st_file_swapout(struct st_file *f, unsigned long index)
{
	struct st_page *p;
	unsigned long slot;
	void *entry;
	int err;

	if (!index_get(f, index, &entry) || !entry || xa_is_value(entry))
		return -ENOENT;
	p = entry;
	if (!st_page_trylock(p)) {
		st_page_put(p);
		return -EAGAIN;
	}
	err = -ENOENT;
	if (p->file != f || p->index != index)
		goto out;
	err = st_unmap_page(p, false);
	if (err)
		goto out;
	err = st_add_to_swap(p);
	if (err)
		goto out;
	slot = p->slot;
	/*
	 * shmem_writepage(): swap_shmem_alloc() counts the slot
	 * SWAP_MAP_SHMEM before shmem_delete_from_page_cache() puts the swap
	 * entry in the index.  The other order lets a truncate find the entry
	 * with no count to free, and the count taken after it is never freed.
	 */
	__st_swap_duplicate(&slot, ST_USAGE_SHMEM, 1);
	/* page locked: truncation waits for it; after a timeout it goes on */
	st_gate(ST_GATE_SHMEM_WRITEPAGE);
	xa_store(&f->pages, index, xa_mk_value(slot), GFP_KERNEL);
	WRITE_ONCE(p->file, NULL);
	st_page_put(p);			/* the index's reference */
	err = st_swap_writepage(p, p->slot);
	if (!err)
		st_delete_from_swap_cache(p);
out:
	st_page_unlock(p);
	st_page_put(p);
	return err;
}

/*
 * folio_migrate_mapping() for a file page: the index moves from the locked
 * old page to its copy.  Nothing to do for an anonymous page, or for a
 * file page that left the index meanwhile (it cannot while locked).
 */
void st_file_migrate_page(struct st_page *old, struct st_page *new)
{
	struct st_file *f = READ_ONCE(old->file);

	if (!f)
		return;
	new->file = f;
	new->index = old->index;
	st_page_get(new);		/* the index's reference */
	if (xa_cmpxchg(&f->pages, old->index, old, new, GFP_KERNEL) != old) {
		new->file = NULL;
		st_page_put(new);
		return;
	}
	WRITE_ONCE(old->file, NULL);
	st_page_put(old);		/* the index's reference */
}

/*
 * shmem_setattr() of a new size: what is beyond it is unmapped, twice
 * (even COWed copies), and dropped from the index.
 *
 * Locking: the caller holds f->lock (i_rwsem); takes every mapping
 * space's ptl (unmap_mapping_range()) and the page locks of the index.
 */
int st_file_truncate(struct st_file *f, unsigned long size)
{
	unsigned long old;

	lockdep_assert_held(&f->lock);
	old = f->size;
	WRITE_ONCE(f->size, size);
	if (size < old) {
		st_unmap_mapping_range(f, size, old - size, true);
		/* zap cannot fail: after a gate timeout it simply goes on */
		st_gate(ST_GATE_ZAP_FIRST_PASS);
		undo_range(f, size, old);
		/* the index emptied, f->lock held; cannot fail: goes on */
		st_gate(ST_GATE_ZAP_SECOND_PASS);
		/*
		 * shmem_setattr() (6.12): "unmap again to remove racily COWed
		 * private pages", with even_cows as the first pass.
		 */
		st_unmap_mapping_range(f, size, old - size, true);
	}
	return 0;
}

/*
 * shmem_falloc_wait() (6.12 mm/shmem.c, shmem_fault()'s first step): a
 * fault at an index that a hole punch is emptying sleeps until the punch
 * is over and faults again (VM_FAULT_RETRY), so that it cannot map a page
 * the punch has yet to drop (truncate_inode_folio() unmaps it again with
 * ZAP_FLAG_DROP_MARKER, and its uffd-wp bit would go with it).  One sleep,
 * as there: a spurious wakeup only retries sooner.  The kernel sleeps
 * uninterruptibly; this one is killable as well.  The wait queue lives in
 * the file, not on the punch's stack, so no synchronous_wake_function()
 * is needed.  -EAGAIN after a sleep, -EINTR if killed, 0 when the index is
 * not being punched.  Locking: takes f->falloc_lock; the caller holds the
 * mmap_lock for read (the kernel drops it before the sleep; a punch takes
 * no mmap_lock here).
 */
int st_file_falloc_wait(struct st_file *f, unsigned long index)
{
	DEFINE_WAIT(wait);

	spin_lock(&f->falloc_lock);
	if (index < f->falloc_start || index >= f->falloc_next) {
		spin_unlock(&f->falloc_lock);
		return 0;
	}
	prepare_to_wait(&f->falloc_wq, &wait, TASK_KILLABLE);
	spin_unlock(&f->falloc_lock);
	schedule();
	finish_wait(&f->falloc_wq, &wait);
	return fatal_signal_pending(current) ? -EINTR : -EAGAIN;
}

/*
 * shmem_fallocate(FALLOC_FL_PUNCH_HOLE) of [start, start + nr).  The range
 * is published for shmem_falloc_wait() before the first unmap pass and
 * withdrawn, waking the faults that wait, once the index is empty.
 *
 * Locking: as st_file_truncate(); takes f->falloc_lock.
 */
int st_file_punch(struct st_file *f, unsigned long start, unsigned long nr)
{
	lockdep_assert_held(&f->lock);
	spin_lock(&f->falloc_lock);
	f->falloc_start = start;
	f->falloc_next = start + nr;
	spin_unlock(&f->falloc_lock);

	st_unmap_mapping_range(f, start, nr, false);
	/* between the unlocked pass and the index: f->lock held */
	st_gate(ST_GATE_ZAP_FIRST_PASS);
	undo_range(f, start, start + nr);

	spin_lock(&f->falloc_lock);
	f->falloc_start = 0;
	f->falloc_next = 0;
	wake_up_all(&f->falloc_wq);
	spin_unlock(&f->falloc_lock);
	return 0;
}

int st_file_for_each(int (*fn)(struct st_file *f, void *arg), void *arg)
{
	struct st_file *f;
	int id = 1, ret = 0;

	while (!ret && (f = st_registry_next(&st_files, &id))) {
		ret = fn(f, arg);
		st_file_put(f);
		id++;
	}
	return ret;
}

int st_files_init(struct dentry *root)
{
	st_registry_init(&st_files, ST_FILES_MAX,
			 offsetof(struct st_file, kref));
	st_debugfs_root = root;
	return 0;
}

/* After every space is gone: nothing maps the files any more. */
void st_files_exit(void)
{
	struct st_file *f;
	int id = 1;

	while ((f = st_registry_next(&st_files, &id))) {
		st_file_put(f);
		st_file_destroy(id);
		id++;
	}
	st_registry_destroy(&st_files);
}
