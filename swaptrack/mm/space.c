// SPDX-License-Identifier: GPL-2.0
/*
 * Model address spaces: the registry of them, their vma list, expected
 * data, and the ptes dump.  mmap(), munmap() and exit_mmap() are in
 * mmap.c; the operations on them live in fault.c, reclaim.c, fork.c,
 * zap.c.
 *
 * A space is found by id with a reference (st_space_get) and used under
 * its mmap_lock: destroy takes the lock for write, marks the space dead
 * and tears the tables down, so an operation that took the lock for read
 * after that sees ->dead and gives up.  The structure itself goes with the
 * last reference.
 */
#include <linux/debugfs.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "mm/compat.h"
#include "mm/registry.h"
#include "mm/space.h"

static struct st_registry st_spaces;
static struct dentry *st_debugfs_root;

unsigned long st_space_index(unsigned long addr)
{
	return (addr - ST_SPACE_BASE) >> PAGE_SHIFT;
}

/*
 * The auditor's record of the private data at addr changes with the data,
 * under the table lock: a store and a zap of one address must not land in
 * one order and their records in the other.  A caller that will record
 * under the lock reserves the entry first (st_expect_reserve() may sleep),
 * so that the store under the lock allocates nothing.
 */
int st_expect_reserve(struct st_space *s, unsigned long addr)
{
	return xa_reserve(&s->expect, st_space_index(addr), GFP_KERNEL);
}

void st_expect_set(struct st_space *s, unsigned long addr, u64 tag)
{
	xa_store(&s->expect, st_space_index(addr), xa_mk_value(tag),
		 GFP_ATOMIC);
}

void st_expect_clear(struct st_space *s, unsigned long addr)
{
	xa_erase(&s->expect, st_space_index(addr));
}

/* What the auditor holds the uffd-wp state of addr to be. */
void st_wp_expect(struct st_space *s, unsigned long addr, bool on)
{
	if (on)
		xa_store(&s->wp, st_space_index(addr), xa_mk_value(ST_WP_ON),
			 GFP_KERNEL);
	else
		xa_erase(&s->wp, st_space_index(addr));
}

bool st_wp_expected(struct st_space *s, unsigned long addr)
{
	return xa_load(&s->wp, st_space_index(addr));
}

/*
 * The uffd-wp state of addr, still expected, was dropped by 6.12's own
 * window (st_wp_dropped()): the auditor says so beside the lost-wp it
 * reports there.  Locking: none (the xarray's rcu).
 */
bool st_wp_dropped_at(struct st_space *s, unsigned long addr)
{
	void *e = xa_load(&s->wp, st_space_index(addr));

	return e && xa_to_value(e) == ST_WP_DROPPED;
}

/*
 * truncate_inode_folio() unmapped a file page with ZAP_FLAG_DROP_MARKER
 * (unmap_mapping_folio()) and took a pte's uffd-wp bit with it.  Only a
 * page mapped again after the punch's first pass is still mapped there: a
 * fault that had passed shmem_falloc_wait() before the punch began and
 * held the page locked across the first pass.  That is 6.12's code, not a
 * model limit: the expectation stays, marked, so that the auditor reports
 * the loss and names its cause.  Locking: the ptl (GFP_ATOMIC; the entry
 * is only replaced, nothing is allocated).
 */
void st_wp_dropped(struct st_space *s, unsigned long addr)
{
	xa_cmpxchg(&s->wp, st_space_index(addr), xa_mk_value(ST_WP_ON),
		   xa_mk_value(ST_WP_DROPPED), GFP_ATOMIC);
}

/*
 * The ptes file is a seq_file with one record per PMD entry of the space:
 * the non-none entries of that PTE table (or the PMD swap entry).  Each
 * record is formatted under the table lock into the seq_file's buffer;
 * seq_read() copies to user space with no lock held, and a table too big
 * for the buffer is formatted again alone, never the whole file.
 */
#define ST_SPACE_PMDS	((ST_SPACE_END - ST_SPACE_BASE) >> PMD_SHIFT)

/* Locking: none. */
static void *ptes_start(struct seq_file *m, loff_t *pos)
{
	return *pos < ST_SPACE_PMDS ? pos : NULL;
}

/* Locking: none. */
static void *ptes_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return ptes_start(m, pos);
}

/* Locking: none; each record takes and drops the ptl itself. */
static void ptes_stop(struct seq_file *m, void *v)
{
}

/* One PTE table.  Locking: takes the space's ptl around it. */
static int ptes_show(struct seq_file *m, void *v)
{
	struct st_space *s = m->private;
	unsigned long addr = ST_SPACE_BASE + (*(loff_t *)v << PMD_SHIFT);
	unsigned long end = addr + PMD_SIZE;
	char buf[ST_PTE_FMT_MAX];
	pte_t *ptep;
	pmd_t pmd;

	spin_lock(&s->ptl);
	pmd = st_pmdp_get(st_pmd_offset(&s->pt, addr));
	if (st_pmd_is_swap(pmd)) {
		st_pmd_format(pmd, buf, sizeof(buf));
		seq_printf(m, "0x%lx %s\n", addr, buf);
	}
	for (; addr < end; addr += PAGE_SIZE) {
		ptep = st_pte_offset(&s->pt, addr);
		if (!ptep)
			break;
		if (pte_none(ptep_get(ptep)))
			continue;
		st_pte_format(ptep_get(ptep), buf, sizeof(buf));
		seq_printf(m, "0x%lx %s\n", addr, buf);
	}
	spin_unlock(&s->ptl);
	return 0;
}

static const struct seq_operations ptes_sops = {
	.start = ptes_start,
	.next = ptes_next,
	.stop = ptes_stop,
	.show = ptes_show,
};

/* Locking: none. */
static int ptes_open(struct inode *inode, struct file *file)
{
	int err = seq_open(file, &ptes_sops);

	if (!err)
		((struct seq_file *)file->private_data)->private =
			inode->i_private;
	return err;
}

static const struct file_operations ptes_fops = {
	.owner = THIS_MODULE,
	.open = ptes_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release,
};

/* Under the registry's lock: the space's id and its "spaceN". */
static void space_publish(void *obj, int id)
{
	struct st_space *s = obj;
	char name[16];

	s->id = id;
	st_pgtable_set_owner(&s->pt, id);
	snprintf(name, sizeof(name), "space%d", id);
	s->dir = debugfs_create_dir(name, st_debugfs_root);
	debugfs_create_file("ptes", 0400, s->dir, s, &ptes_fops);
}

/*
 * A new space with its PMD table, not yet listed (st_space_publish()):
 * mm_alloc() is st_space_new() in mmap.c, which gives it its lineage
 * first.  NULL without memory.
 *
 * Locking: nothing held, nothing taken.
 */
struct st_space *st_space_alloc(void)
{
	struct st_space *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	kref_init(&s->kref);
	init_rwsem(&s->mmap_lock);
	spin_lock_init(&s->ptl);
	xa_init(&s->expect);
	xa_init(&s->wp);
	INIT_LIST_HEAD(&s->anon_node);
	if (st_pgtable_init(&s->pt)) {
		kfree(s);
		return NULL;
	}
	return s;
}

/* A space st_space_publish() refused, on no list any more. */
void st_space_free(struct st_space *s)
{
	st_pgtable_free(&s->pt);
	kfree(s);
}

/*
 * List s under the lowest free id and create its "spaceN"; the registry
 * takes a reference of its own.  Returns the id, or -ENOSPC when every id
 * is taken.
 *
 * Locking: takes the registry's lock.
 */
int st_space_publish(struct st_space *s)
{
	return st_registry_add(&st_spaces, s, space_publish);
}

struct st_space *st_space_get(int id)
{
	return st_registry_get(&st_spaces, id);
}

static void space_release(struct kref *kref)
{
	struct st_space *s = container_of(kref, struct st_space, kref);

	xa_destroy(&s->expect);
	xa_destroy(&s->wp);
	kfree(s);
}

void st_space_put(struct st_space *s)
{
	kref_put(&s->kref, space_release);
}

/*
 * Two spaces' mmap_locks, always the lower id first: two commands taking
 * the same pair in opposite orders (ksm merge A B and B A, or a fork whose
 * child got a lower id) would otherwise deadlock as soon as a writer queues
 * on each.  The second is annotated nested: both are one lock class.
 */
void st_space_lock_two(struct st_space *a, struct st_space *b, bool write)
{
	if (a->id > b->id)
		swap(a, b);
	if (write) {
		down_write(&a->mmap_lock);
		if (b != a)
			down_write_nested(&b->mmap_lock, SINGLE_DEPTH_NESTING);
	} else {
		down_read(&a->mmap_lock);
		if (b != a)
			down_read_nested(&b->mmap_lock, SINGLE_DEPTH_NESTING);
	}
}

void st_space_unlock_two(struct st_space *a, struct st_space *b, bool write)
{
	if (write) {
		if (b != a)
			up_write(&b->mmap_lock);
		up_write(&a->mmap_lock);
	} else {
		if (b != a)
			up_read(&b->mmap_lock);
		up_read(&a->mmap_lock);
	}
}

struct st_vma *st_find_vma(struct st_space *s, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < s->nr_vmas; i++)
		if (addr >= s->vmas[i].start && addr < s->vmas[i].end)
			return &s->vmas[i];
	return NULL;
}

/* The pte of addr, allocating its table as __pte_alloc() does. */
pte_t *st_pte_get_alloc(struct st_space *s, unsigned long addr)
{
	pte_t *table;

	if (st_pte_offset(&s->pt, addr))
		return st_pte_offset(&s->pt, addr);
	if (!pmd_none(st_pmdp_get(st_pmd_offset(&s->pt, addr))))
		return NULL;	/* a PMD-level entry is there */
	table = st_pte_prealloc();
	if (!table)
		return NULL;
	spin_lock(&s->ptl);
	if (!st_pte_install(&s->pt, addr, table))
		st_pte_table_free(table);
	spin_unlock(&s->ptl);
	return st_pte_offset(&s->pt, addr);
}

/*
 * Call fn on every live space, each held by a reference, in id order.
 * Stops at the first non-zero return.
 *
 * Locking: takes the registry's lock to find each space, not around fn.
 */
int st_space_for_each(int (*fn)(struct st_space *s, void *arg), void *arg)
{
	struct st_space *s;
	int id = 1, ret = 0;

	while (!ret && (s = st_registry_next(&st_spaces, &id))) {
		ret = fn(s, arg);
		st_space_put(s);
		id++;
	}
	return ret;
}

/* The live space of the lowest id at or above *id, referenced, or NULL. */
struct st_space *st_space_next(int *id)
{
	return st_registry_next(&st_spaces, id);
}

int st_spaces_init(struct dentry *root)
{
	st_registry_init(&st_spaces, ST_SPACES_MAX,
			 offsetof(struct st_space, kref));
	st_debugfs_root = root;
	return 0;
}

/*
 * Take id out of the registry: st_space_get() finds nothing from now on,
 * but the id stays allocated (mapped to NULL) until st_space_forget():
 * a new space given the id earlier could not create its "spaceN" beside
 * the old one's.  Returns the space with the registry's reference, or
 * NULL.
 */
struct st_space *st_space_unlist(int id)
{
	int err;

	return st_registry_unlist(&st_spaces, id, 0, &err);
}

/* Release the id of an unlisted space, its "spaceN" removed. */
void st_space_forget(int id)
{
	st_registry_forget(&st_spaces, id);
}

void st_spaces_destroy_ids(void)
{
	st_registry_destroy(&st_spaces);
}

/*
 * The entry at addr decoded into buf: its pte, else a swap PMD covering
 * it, else none (a destroyed space has no tables).
 *
 * Locking: the caller holds the mmap_lock; takes the ptl.
 */
void st_space_format_entry(struct st_space *s, unsigned long addr, char *buf,
			   size_t size)
{
	pte_t *ptep;
	pmd_t pmd;

	lockdep_assert_held(&s->mmap_lock);
	spin_lock(&s->ptl);
	ptep = s->dead ? NULL : st_pte_offset(&s->pt, addr);
	pmd = s->dead ? __pmd(0) : st_pmdp_get(st_pmd_offset(&s->pt, addr));
	if (ptep)
		st_pte_format(ptep_get(ptep), buf, size);
	else if (st_pmd_is_swap(pmd))
		st_pmd_format(pmd, buf, size);
	else
		st_pte_format(__pte(0), buf, size);
	spin_unlock(&s->ptl);
}
