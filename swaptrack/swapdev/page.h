/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model pages: real pages from the page allocator, described on the side.
 *
 * The real struct page is never flagged: the core kernel must not mistake
 * ours for swap-cache or LRU pages.  Lock, uptodate, swap-cache membership
 * and the KSM mark live in st_page->flags instead.
 */
#ifndef _ST_PAGE_H
#define _ST_PAGE_H

#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/types.h>

#include "swaptrack.h"

enum st_page_flag {
	ST_PG_LOCKED,
	ST_PG_UPTODATE,
	ST_PG_SWAPCACHE,
	ST_PG_KSM,
	ST_PG_HWPOISON,
};

struct st_file;

/*
 * A KSM page's rmap item (ksm.c): a mapping it replaced, by the lineage
 * and address of the page it replaced there (rmap_item of a stable node).
 * The page holds the list, under its page lock, and frees it with itself.
 */
struct st_rmap_item {
	struct list_head node;
	u64 anon_root;
	unsigned long addr;
};

struct st_page {
	struct page *page;
	unsigned long flags;
	refcount_t ref;		/* ptes, swap cache, file index, users */
	atomic_t mapcount;	/* present ptes mapping it */
	unsigned long slot;	/* swap slot while ST_PG_SWAPCACHE */
	struct st_file *file;	/* page cache page of this file, or anon */
	unsigned long index;	/* its index in the file; anon: address >> PAGE_SHIFT */
	u64 anon_root;		/* anon_vma root of the space that mapped it */
	struct list_head rmap_items;	/* KSM: st_rmap_item, under the page lock */
	unsigned int memcg;	/* the memcg charged for it (seed 004), 0 at first */
	struct list_head all;	/* every live page, for the auditor */
	struct rcu_head rcu;	/* freed a grace period after the last put */
};

struct st_page *st_page_alloc(void);
struct st_page *st_page_alloc_tag(u64 tag);
struct st_page *st_page_get_pfn(unsigned long pfn);
void st_page_get(struct st_page *p);
void st_page_put(struct st_page *p);
bool st_page_ref_freeze(struct st_page *p, int count);
void st_page_ref_unfreeze(struct st_page *p, int count);
unsigned long st_page_pfn(struct st_page *p);
unsigned long st_pages_live(void);

bool st_page_trylock(struct st_page *p);
void st_page_lock(struct st_page *p);
void st_page_unlock(struct st_page *p);
int st_page_wait_unlocked(struct st_page *p, unsigned long timeout);
void st_pages_for_each(void (*fn)(struct st_page *p, void *arg), void *arg);

void st_page_fill(struct st_page *p, u64 tag);
int st_page_tag(struct st_page *p, u64 *tag);
void st_page_copy(struct st_page *dst, struct st_page *src);

static inline bool st_page_test(struct st_page *p, enum st_page_flag f)
{
	return test_bit(f, &p->flags);
}

static inline bool st_page_anon(struct st_page *p)
{
	return !READ_ONCE(p->file);
}

void st_pages_exit(void);

#endif /* _ST_PAGE_H */
