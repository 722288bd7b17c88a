// SPDX-License-Identifier: GPL-2.0
/*
 * Special entries.
 *
 * uffd-wp (UFFDIO_WRITEPROTECT): the bit goes on present and swap ptes;
 * on a none pte of a file mapping it goes into a pte marker, since there
 * is nothing else to carry it (seed 004).  Protecting registers the range.
 *
 * Migration (try_to_migrate() / remove_migration_ptes()): the migrator
 * keeps the old page locked between begin and end, every pte of the page
 * becomes a migration entry (writable as the pte was), and end maps a copy
 * in their place.  Anonymous pages outside the swap cache migrate here, and
 * file pages: mapped shared, or private and not yet COWed; the file index
 * then moves to the copy (folio_migrate_mapping()).  A fault on a migration
 * entry sleeps on the page lock, for at most ST_MIGRATION_WAIT.  End finds
 * the migration by the address it began at, even when a zap took the entry
 * there (a hole punch zaps a file page's migration entries: seed 001).
 *
 * hwpoison (memory_failure() on an anonymous page): every pte becomes a
 * hwpoison entry and the page is kept, never reused, until unload.
 *
 * KSM: two identical anonymous pages of two spaces become one, mapped
 * read-only in both and marked KSM.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/special.h"
#include "swapdev/page.h"

/*
 * A migration holds its page locked from "migrate begin" to "migrate end",
 * across commands, where migrate_pages() holds it within one call: one
 * never ended would block for good whatever sleeps on that page lock
 * (truncation, a file fault).  So a migration ends itself after
 * ST_MIGRATION_LIMIT, as if migrate_pages() had returned: the page lock,
 * like a gate, is never held for ever.
 */
#define ST_MIGRATION_LIMIT	(10 * HZ)

struct st_migration {
	struct list_head node;		/* on st_migrations until it ends */
	struct st_page *old;		/* locked, referenced */
	int space;			/* where it began */
	unsigned long addr;
	struct delayed_work limit;	/* ends it after ST_MIGRATION_LIMIT */
};

static void migration_limit(struct work_struct *work);

static LIST_HEAD(st_migrations);
static LIST_HEAD(st_poisoned);		/* pages, linked by a list node */
static DEFINE_MUTEX(st_special_lock);

struct st_poisoned_page {
	struct list_head node;
	struct st_page *p;
};

/*
 * UFFDIO_REGISTER_MODE_MISSING over [start, end) (seed 004): a fault on a
 * hole of the file then raises a missing userfault, answered with
 * UFFDIO_COPY.  Modelled for shared file mappings only: -EINVAL if any
 * mapping of the range is another kind, -EFAULT if part of it is unmapped.
 *
 * Locking: the caller holds the mmap_lock for write, the space alive;
 * takes the ptl.
 */
int st_uffd_missing(struct st_space *s, unsigned long start,
		    unsigned long end)
{
	unsigned long addr;
	struct st_vma *v;
	int err = 0;

	lockdep_assert_held_write(&s->mmap_lock);
	for (addr = start; addr < end && !err; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			err = -EFAULT;
		else if (v->kind != ST_VMA_SHARED)
			err = -EINVAL;
	}
	spin_lock(&s->ptl);
	for (addr = start; addr < end && !err; addr += PAGE_SIZE)
		st_find_vma(s, addr)->uffd_missing = true;
	spin_unlock(&s->ptl);
	return err;
}

/*
 * UFFDIO_REGISTER_MODE_WP over [start, end), then UFFDIO_WRITEPROTECT on
 * or off: present, swap and migration ptes get or lose the bit; a none pte
 * of a file mapping gets a marker.
 *
 * Locking: the caller holds the mmap_lock for write, the space alive;
 * takes the ptl (a table allocation in between, without it).
 */
void st_uffd_wp(struct st_space *s, unsigned long start, unsigned long end,
		bool on)
{
	struct st_pte_info info;
	unsigned long addr;
	struct st_vma *v;
	pte_t *ptep, pte;
	unsigned int i;

	lockdep_assert_held_write(&s->mmap_lock);
	spin_lock(&s->ptl);
	for (i = 0; i < s->nr_vmas; i++)
		if (start < s->vmas[i].end && end > s->vmas[i].start)
			s->vmas[i].uffd_wp = true;	/* UFFDIO_REGISTER */
	spin_unlock(&s->ptl);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			continue;
		/* a marker may need a table where there is none yet */
		ptep = on && !st_vma_is_anon(v) ? st_pte_get_alloc(s, addr) :
		       st_pte_offset(&s->pt, addr);
		st_wp_expect(s, addr, on && (ptep || st_vma_is_anon(v)));
		if (!ptep)
			continue;
		spin_lock(&s->ptl);
		pte = ptep_get(ptep);
		st_pte_decode(pte, &info);
		switch (info.kind) {
		case ST_PTE_PRESENT:
			pte = on ? st_pte_mkuffd_wp(pte) : pte_clear_uffd_wp(pte);
			break;
		case ST_PTE_SWAP:
		case ST_PTE_MIGRATION:
			pte = on ? pte_swp_mkuffd_wp(pte) :
				   pte_swp_clear_uffd_wp(pte);
			break;
		case ST_PTE_NONE:
			if (on && !st_vma_is_anon(v))
				pte = make_pte_marker(PTE_MARKER_UFFD_WP);
			break;
		case ST_PTE_MARKER:
			if (!on)
				pte = __pte(0);
			break;
		default:
			break;
		}
		set_pte(ptep, pte);
		spin_unlock(&s->ptl);
	}
	/* anon none ptes carry nothing: nothing there to protect */
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		ptep = st_pte_offset(&s->pt, addr);
		if (v && st_vma_is_anon(v) &&
		    (!ptep || pte_none(ptep_get(ptep))))
			st_wp_expect(s, addr, false);
	}
}

/* The page mapped at addr, referenced; caller holds mmap_lock. */
static struct st_page *present_page(struct st_space *s, unsigned long addr)
{
	struct st_pte_info info;
	struct st_page *p = NULL;
	pte_t *ptep;

	spin_lock(&s->ptl);
	ptep = st_pte_offset(&s->pt, addr);
	if (ptep) {
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT)
			p = st_page_get_pfn(info.pfn);
	}
	spin_unlock(&s->ptl);
	return p;
}

/* The anonymous page mapped at addr, referenced; caller holds mmap_lock. */
static struct st_page *present_anon_page(struct st_space *s,
					 unsigned long addr)
{
	struct st_page *p = present_page(s, addr);

	if (p && !st_page_anon(p)) {
		st_page_put(p);
		p = NULL;
	}
	return p;
}

typedef pte_t (*st_pte_xform)(struct st_page *p, pte_t pte, void *arg);

struct xform_arg {
	struct st_page *p;
	unsigned long pfn;
	enum st_pte_kind kind;		/* entries of this kind and pfn */
	st_pte_xform fn;
	void *arg;
	unsigned long n;
};

static int xform_pte(struct st_space *s, unsigned long addr, pte_t *ptep,
		     void *data)
{
	struct xform_arg *a = data;
	struct st_pte_info info;

	st_pte_decode(ptep_get(ptep), &info);
	if (info.kind == a->kind && info.pfn == a->pfn) {
		set_pte(ptep, a->fn(a->p, ptep_get(ptep), a->arg));
		a->n++;
	}
	return 0;
}

/* rmap walk: apply fn to every entry of the page's pfn, in every space. */
static int xform_space(struct st_space *s, void *data)
{
	spin_lock(&s->ptl);
	st_walk_ptes(s, xform_pte, data);
	spin_unlock(&s->ptl);
	return 0;
}

static unsigned long xform_all(struct st_page *p, unsigned long pfn,
			       enum st_pte_kind kind, st_pte_xform fn,
			       void *arg)
{
	struct xform_arg a = {
		.p = p, .pfn = pfn, .kind = kind, .fn = fn, .arg = arg,
	};

	st_space_for_each(xform_space, &a);
	return a.n;
}

/* try_to_migrate_one(): the pte's reference and mapcount go with it */
static pte_t to_migration(struct st_page *p, pte_t pte, void *arg)
{
	unsigned long pfn = st_page_pfn(p);
	swp_entry_t entry = pte_write(pte) ?
			    make_writable_migration_entry(pfn) :
			    make_readable_migration_entry(pfn);
	pte_t swp = swp_entry_to_pte(entry);

	atomic_dec(&p->mapcount);
	st_page_put(p);
	return pte_uffd_wp(pte) ? pte_swp_mkuffd_wp(swp) : swp;
}

int st_migrate_begin(struct st_space *s, unsigned long addr,
		     unsigned long *pfn)
{
	struct st_migration *m;
	struct st_page *p;

	p = present_page(s, addr);
	if (!p)
		return -ENOENT;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		st_page_put(p);
		return -ENOMEM;
	}
	if (!st_page_trylock(p)) {
		kfree(m);
		st_page_put(p);
		return -EAGAIN;
	}
	if (st_page_test(p, ST_PG_SWAPCACHE) || st_page_test(p, ST_PG_KSM)) {
		st_page_unlock(p);
		kfree(m);
		st_page_put(p);
		return -EBUSY;
	}
	xform_all(p, st_page_pfn(p), ST_PTE_PRESENT, to_migration, NULL);
	m->old = p;			/* our reference, and the lock */
	m->space = s->id;
	m->addr = addr;
	INIT_DELAYED_WORK(&m->limit, migration_limit);
	mutex_lock(&st_special_lock);
	list_add(&m->node, &st_migrations);
	schedule_delayed_work(&m->limit, ST_MIGRATION_LIMIT);
	mutex_unlock(&st_special_lock);
	*pfn = st_page_pfn(p);
	return 0;
}

/* remove_migration_pte(): the new page takes a reference per pte */
static pte_t from_migration(struct st_page *old, pte_t pte, void *arg)
{
	struct st_page *new = arg;
	swp_entry_t entry = pte_to_swp_entry(pte);
	pte_t present = st_mk_present(st_page_pfn(new),
				      is_writable_migration_entry(entry));

	atomic_inc(&new->mapcount);
	st_page_get(new);
	return pte_swp_uffd_wp(pte) ? st_pte_mkuffd_wp(present) : present;
}

static void finish_migration(struct st_migration *m)
{
	struct st_page *old = m->old, *new = st_page_alloc();

	if (new) {
		st_page_copy(new, old);
		set_bit(ST_PG_UPTODATE, &new->flags);
		st_file_migrate_page(old, new);
		xform_all(old, st_page_pfn(old), ST_PTE_MIGRATION,
			  from_migration, new);
		st_page_put(new);
	} else {
		/* migration failed: the old page goes back in place */
		xform_all(old, st_page_pfn(old), ST_PTE_MIGRATION,
			  from_migration, old);
	}
	st_page_unlock(old);
	st_page_put(old);
	kfree(m);
}

/* Nobody said "migrate end" in time: the migration ends by itself. */
static void migration_limit(struct work_struct *work)
{
	struct st_migration *m = container_of(to_delayed_work(work),
					      struct st_migration, limit);

	mutex_lock(&st_special_lock);
	if (list_empty(&m->node)) {		/* ended meanwhile */
		mutex_unlock(&st_special_lock);
		return;
	}
	list_del_init(&m->node);
	mutex_unlock(&st_special_lock);
	pr_info("migration of pfn 0x%lx ended after %u s without 'migrate end'\n",
		st_page_pfn(m->old), ST_MIGRATION_LIMIT / HZ);
	finish_migration(m);
}

int st_migrate_end(struct st_space *s, unsigned long addr,
		   unsigned long *pfn)
{
	struct st_migration *m, *found = NULL;
	struct st_pte_info info = { .kind = ST_PTE_NONE };
	pte_t *ptep;

	spin_lock(&s->ptl);
	ptep = st_pte_offset(&s->pt, addr);
	if (ptep)
		st_pte_decode(ptep_get(ptep), &info);
	spin_unlock(&s->ptl);
	mutex_lock(&st_special_lock);
	list_for_each_entry(m, &st_migrations, node) {
		if (info.kind == ST_PTE_MIGRATION ?
		    st_page_pfn(m->old) == info.pfn :
		    m->space == s->id && m->addr == addr) {
			found = m;
			list_del_init(&m->node);
			break;
		}
	}
	mutex_unlock(&st_special_lock);
	if (!found)
		return -ENOENT;
	/* off the list: the limit's work, if it runs now, leaves it alone */
	cancel_delayed_work_sync(&found->limit);
	*pfn = st_page_pfn(found->old);
	finish_migration(found);
	return 0;
}

/* The poisoned page keeps the reference each entry held; nothing maps it. */
static pte_t to_hwpoison(struct st_page *p, pte_t pte, void *arg)
{
	atomic_dec(&p->mapcount);
	st_page_put(p);
	/*
	 * make_hwpoison_entry() asserts the real page lock, which the model
	 * never takes: build the same entry from its parts.
	 */
	return swp_entry_to_pte(swp_entry(SWP_HWPOISON, st_page_pfn(p)));
}

int st_poison(struct st_space *s, unsigned long addr)
{
	struct st_poisoned_page *pp;
	struct st_page *p;

	p = present_anon_page(s, addr);
	if (!p)
		return -ENOENT;
	pp = kzalloc(sizeof(*pp), GFP_KERNEL);
	if (!pp) {
		st_page_put(p);
		return -ENOMEM;
	}
	if (!st_page_trylock(p)) {
		kfree(pp);
		st_page_put(p);
		return -EAGAIN;
	}
	if (st_page_test(p, ST_PG_SWAPCACHE)) {
		st_page_unlock(p);
		kfree(pp);
		st_page_put(p);
		return -EBUSY;
	}
	set_bit(ST_PG_HWPOISON, &p->flags);
	xform_all(p, st_page_pfn(p), ST_PTE_PRESENT, to_hwpoison, NULL);
	st_page_unlock(p);
	pp->p = p;			/* our reference: never reused */
	mutex_lock(&st_special_lock);
	list_add(&pp->node, &st_poisoned);
	mutex_unlock(&st_special_lock);
	return 0;
}

static pte_t to_readonly(struct st_page *p, pte_t pte, void *arg)
{
	return pte_wrprotect(pte);
}

/*
 * try_to_merge_one_page(): write-protect the page that stays, make it KSM,
 * and replace_page() the other space's pte with it.
 */
int st_ksm_merge(struct st_space *s1, unsigned long a1,
		 struct st_space *s2, unsigned long a2)
{
	struct st_page *kpage, *p;
	struct st_pte_info info;
	u64 t1, t2;
	pte_t *ptep;
	int err = -EINVAL;

	kpage = present_anon_page(s1, a1);
	p = present_anon_page(s2, a2);
	if (!kpage || !p || kpage == p) {
		err = -ENOENT;
		goto out;
	}
	if (st_page_tag(kpage, &t1) || st_page_tag(p, &t2) || t1 != t2)
		goto out;		/* not identical */
	err = -EAGAIN;
	if (!st_page_trylock(kpage))
		goto out;
	if (!st_page_trylock(p)) {
		st_page_unlock(kpage);
		goto out;
	}
	err = -EBUSY;
	if (st_page_test(kpage, ST_PG_SWAPCACHE) ||
	    st_page_test(p, ST_PG_SWAPCACHE))
		goto unlock;
	xform_all(kpage, st_page_pfn(kpage), ST_PTE_PRESENT, to_readonly,
		  NULL);
	set_bit(ST_PG_KSM, &kpage->flags);
	err = -EAGAIN;
	spin_lock(&s2->ptl);
	ptep = st_pte_offset(&s2->pt, a2);
	if (ptep) {
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT &&
		    info.pfn == st_page_pfn(p)) {
			atomic_inc(&kpage->mapcount);
			st_page_get(kpage);
			set_pte(ptep, pte_wrprotect(st_mk_present(st_page_pfn(kpage),
								  false)));
			atomic_dec(&p->mapcount);
			st_page_put(p);		/* the old pte's reference */
			err = 0;
		}
	}
	spin_unlock(&s2->ptl);
unlock:
	st_page_unlock(p);
	st_page_unlock(kpage);
out:
	if (p)
		st_page_put(p);
	if (kpage)
		st_page_put(kpage);
	return err;
}

/* Unload: after every space is gone, migrations end and poison is freed. */
void st_special_exit(void)
{
	struct st_poisoned_page *pp, *tp;
	struct st_migration *m;

	mutex_lock(&st_special_lock);
	while ((m = list_first_entry_or_null(&st_migrations,
					     struct st_migration, node))) {
		list_del_init(&m->node);
		mutex_unlock(&st_special_lock);
		cancel_delayed_work_sync(&m->limit);
		st_page_unlock(m->old);
		st_page_put(m->old);
		kfree(m);
		mutex_lock(&st_special_lock);
	}
	mutex_unlock(&st_special_lock);
	list_for_each_entry_safe(pp, tp, &st_poisoned, node) {
		list_del(&pp->node);
		clear_bit(ST_PG_HWPOISON, &pp->p->flags);
		st_page_put(pp->p);
	}
}
