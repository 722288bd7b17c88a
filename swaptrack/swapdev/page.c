// SPDX-License-Identifier: GPL-2.0
/*
 * Model pages and their data tags.
 *
 * A page's data is a 64-bit tag repeated over the whole page: a page whose
 * words disagree was torn by a copy or a read that went wrong, and says so.
 * Each present pte holds a reference and a mapcount; the swap cache and a
 * file index hold a reference each.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait_bit.h>
#include <linux/xarray.h>

#include "swapdev/page.h"

/* pfn -> st_page of every live page: what vm_normal_page() is to us */
static DEFINE_XARRAY(st_pages_by_pfn);
static LIST_HEAD(st_pages);
static DEFINE_SPINLOCK(st_pages_lock);
static unsigned long st_nr_pages;

unsigned long st_page_pfn(struct st_page *p)
{
	return page_to_pfn(p->page);
}

/*
 * A new page holding @tag over its whole data: the one fill a page gets
 * when its first contents are known (a store to a fresh anonymous page).
 * Locking: none held or taken but the registry's; may sleep.
 */
struct st_page *st_page_alloc_tag(u64 tag)
{
	struct st_page *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return NULL;
	p->page = alloc_page(GFP_KERNEL);
	if (!p->page)
		goto out_free;
	refcount_set(&p->ref, 1);
	atomic_set(&p->mapcount, 0);
	INIT_LIST_HEAD(&p->all);
	INIT_LIST_HEAD(&p->rmap_items);
	st_page_fill(p, tag);
	if (xa_err(xa_store(&st_pages_by_pfn, st_page_pfn(p), p, GFP_KERNEL)))
		goto out_page;
	spin_lock(&st_pages_lock);
	list_add_tail(&p->all, &st_pages);
	st_nr_pages++;
	spin_unlock(&st_pages_lock);
	return p;

out_page:
	__free_page(p->page);
out_free:
	kfree(p);
	return NULL;
}

/* A new page holding junk until something fills it.  Locking: may sleep. */
struct st_page *st_page_alloc(void)
{
	return st_page_alloc_tag(ST_TAG_JUNK);
}

/* The page a present pte maps, with a reference; NULL if it is not ours. */
struct st_page *st_page_get_pfn(unsigned long pfn)
{
	struct st_page *p;

	xa_lock(&st_pages_by_pfn);
	p = xa_load(&st_pages_by_pfn, pfn);
	if (p && !refcount_inc_not_zero(&p->ref))
		p = NULL;
	xa_unlock(&st_pages_by_pfn);
	return p;
}

void st_page_get(struct st_page *p)
{
	refcount_inc(&p->ref);
}

static void page_free_rcu(struct rcu_head *head)
{
	struct st_page *p = container_of(head, struct st_page, rcu);
	struct st_rmap_item *it, *tmp;

	list_for_each_entry_safe(it, tmp, &p->rmap_items, node)
		kfree(it);
	__free_page(p->page);
	kfree(p);
}

/*
 * The last put frees the page a grace period later: a file index or the
 * swap cache is read locklessly (xa_load() under rcu_read_lock()) and the
 * page pinned with refcount_inc_not_zero(), as folio_try_get() is, so the
 * descriptor must outlive every such reader that might still see it.
 */
void st_page_put(struct st_page *p)
{
	/*
	 * refcount_dec_and_lock() spelt out: sparse cannot follow its
	 * conditional __cond_acquires() into the unlock below.
	 */
	if (refcount_dec_not_one(&p->ref))
		return;
	xa_lock(&st_pages_by_pfn);
	if (!refcount_dec_and_test(&p->ref)) {
		xa_unlock(&st_pages_by_pfn);
		return;
	}
	__xa_erase(&st_pages_by_pfn, st_page_pfn(p));
	xa_unlock(&st_pages_by_pfn);
	WARN_ON_ONCE(atomic_read(&p->mapcount) ||
		     st_page_test(p, ST_PG_SWAPCACHE) ||
		     st_page_test(p, ST_PG_LOCKED));
	spin_lock(&st_pages_lock);
	list_del(&p->all);
	st_nr_pages--;
	spin_unlock(&st_pages_lock);
	call_rcu(&p->rcu, page_free_rcu);
}

/*
 * folio_ref_freeze(): the count goes from exactly @count to 0, or nothing
 * happens.  Meanwhile st_page_get_pfn() fails as folio_try_get() would;
 * the swap cache's lookup cannot see the page, its lock is held.
 */
bool st_page_ref_freeze(struct st_page *p, int count)
{
	return atomic_cmpxchg(&p->ref.refs, count, 0) == count;
}

void st_page_ref_unfreeze(struct st_page *p, int count)
{
	atomic_set_release(&p->ref.refs, count);
}

unsigned long st_pages_live(void)
{
	return READ_ONCE(st_nr_pages);
}

bool st_page_trylock(struct st_page *p)
{
	return !test_and_set_bit_lock(ST_PG_LOCKED, &p->flags);
}

void st_page_lock(struct st_page *p)
{
	wait_on_bit_lock(&p->flags, ST_PG_LOCKED, TASK_UNINTERRUPTIBLE);
}

/* Wait, killably and for at most timeout jiffies, for the lock to go. */
int st_page_wait_unlocked(struct st_page *p, unsigned long timeout)
{
	return wait_on_bit_timeout(&p->flags, ST_PG_LOCKED, TASK_KILLABLE,
				   timeout) ? -ETIMEDOUT : 0;
}

void st_page_unlock(struct st_page *p)
{
	clear_bit_unlock(ST_PG_LOCKED, &p->flags);
	/* order the unlock before wake_up_bit()'s waitqueue_active() */
	smp_mb__after_atomic();
	wake_up_bit(&p->flags, ST_PG_LOCKED);
}

void st_page_fill(struct st_page *p, u64 tag)
{
	u64 *words = kmap_local_page(p->page);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / sizeof(*words); i++)
		words[i] = tag;
	kunmap_local(words);
}

/* The tag of the page, or -EIO if its words disagree (a torn page). */
int st_page_tag(struct st_page *p, u64 *tag)
{
	u64 *words = kmap_local_page(p->page);
	unsigned int i;
	int err = 0;

	*tag = words[0];
	for (i = 1; i < PAGE_SIZE / sizeof(*words); i++) {
		if (words[i] != *tag) {
			err = -EIO;
			break;
		}
	}
	kunmap_local(words);
	return err;
}

void st_page_copy(struct st_page *dst, struct st_page *src)
{
	copy_highpage(dst->page, src->page);
}

/* The auditor's walk over every live page. */
void st_pages_for_each(void (*fn)(struct st_page *p, void *arg), void *arg)
{
	struct st_page *p;

	spin_lock(&st_pages_lock);
	list_for_each_entry(p, &st_pages, all)
		fn(p, arg);
	spin_unlock(&st_pages_lock);
}

/* At unload every page must have gone with the space or file holding it. */
void st_pages_exit(void)
{
	rcu_barrier();			/* page_free_rcu() is module code */
	if (st_nr_pages)
		pr_err("leak: %lu pages still live\n", st_nr_pages);
	xa_destroy(&st_pages_by_pfn);
}
