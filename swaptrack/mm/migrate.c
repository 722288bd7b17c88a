// SPDX-License-Identifier: GPL-2.0
/*
 * Migration (try_to_migrate() / remove_migration_ptes()): the migrator
 * keeps the old page locked between begin and end, every pte of the page
 * becomes a migration entry (writable as the pte was), and end maps a copy
 * in their place.  Anonymous pages outside the swap cache migrate here, and
 * file pages: mapped shared, or private and not yet COWed; the file index
 * then moves to the copy (folio_migrate_mapping()).  A fault on a migration
 * entry sleeps on the page lock, for at most ST_MIGRATION_WAIT.  End finds
 * the migration by the address it began at, even when a zap took the entry
 * there (a hole punch zaps a file page's migration entries: seed 001).
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/migrate.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "race/gate.h"
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
static DEFINE_MUTEX(st_migrate_lock);	/* st_migrations */

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

	p = st_present_page(s, addr);
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
	st_rmap_replace(p, st_page_pfn(p), ST_PTE_PRESENT, to_migration, NULL);
	/* the page locked, every pte a migration entry; cannot fail: goes on */
	st_gate(ST_GATE_MIGRATE_AFTER_UNMAP);
	m->old = p;			/* our reference, and the lock */
	m->space = s->id;
	m->addr = addr;
	INIT_DELAYED_WORK(&m->limit, migration_limit);
	mutex_lock(&st_migrate_lock);
	list_add(&m->node, &st_migrations);
	schedule_delayed_work(&m->limit, ST_MIGRATION_LIMIT);
	mutex_unlock(&st_migrate_lock);
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
		/* folio_migrate_flags(): the anon rmap goes with the data */
		new->anon_root = old->anon_root;
		new->index = old->index;
		st_file_migrate_page(old, new);
		/* remove_migration_ptes(): through the new page's rmap */
		st_rmap_replace_via(new, old, st_page_pfn(old),
				    ST_PTE_MIGRATION, from_migration, new);
		st_page_put(new);
	} else {
		/* migration failed: the old page goes back in place */
		st_rmap_replace(old, st_page_pfn(old), ST_PTE_MIGRATION,
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

	mutex_lock(&st_migrate_lock);
	if (list_empty(&m->node)) {		/* ended meanwhile */
		mutex_unlock(&st_migrate_lock);
		return;
	}
	list_del_init(&m->node);
	mutex_unlock(&st_migrate_lock);
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

	/*
	 * No mmap_lock (see st_sys_migrate()): the table lock keeps the
	 * tables, which exit_mmap() frees under it; a destroyed space has none.
	 */
	spin_lock(&s->ptl);
	ptep = s->pt.pmd ? st_pte_offset(&s->pt, addr) : NULL;
	if (ptep)
		st_pte_decode(ptep_get(ptep), &info);
	spin_unlock(&s->ptl);
	mutex_lock(&st_migrate_lock);
	list_for_each_entry(m, &st_migrations, node) {
		if (info.kind == ST_PTE_MIGRATION ?
		    st_page_pfn(m->old) == info.pfn :
		    m->space == s->id && m->addr == addr) {
			found = m;
			list_del_init(&m->node);
			break;
		}
	}
	mutex_unlock(&st_migrate_lock);
	if (!found)
		return -ENOENT;
	/* off the list: the limit's work, if it runs now, leaves it alone */
	cancel_delayed_work_sync(&found->limit);
	*pfn = st_page_pfn(found->old);
	finish_migration(found);
	return 0;
}

/*
 * Unload: after every space is gone, migrations end.
 *
 * Locking: takes st_migrate_lock, not across the wait for the limit's work.
 */
void st_migrate_exit(void)
{
	struct st_migration *m;

	mutex_lock(&st_migrate_lock);
	while ((m = list_first_entry_or_null(&st_migrations,
					     struct st_migration, node))) {
		list_del_init(&m->node);
		mutex_unlock(&st_migrate_lock);
		cancel_delayed_work_sync(&m->limit);
		st_page_unlock(m->old);
		st_page_put(m->old);
		kfree(m);
		mutex_lock(&st_migrate_lock);
	}
	mutex_unlock(&st_migrate_lock);
}
