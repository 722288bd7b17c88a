/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Model address spaces: real page tables, a few anonymous mappings, the
 * data each address should hold, and a debugfs dump of the tables.
 *
 * The mm model's main header: its lock order is written here, once.
 *
 * Lock ordering in the model (the kernel's, mm/rmap.c, for the locks the
 * model has; the entry layer, entry/, takes the outer ones):
 *
 * space->mmap_lock		(mmap_lock; two spaces lower id first, the
 *				 second nested: st_space_lock_two())
 *   file->lock			(i_rwsem: truncate, hole punch, destroy;
 *				 never held with a mmap_lock in the model)
 *     page lock		(folio_lock: ST_PG_LOCKED, st_page_lock())
 *       file->i_mmap_rwsem	(i_mmap_rwsem: the vmas mapping a file,
 *				 i_mmap.c; mmap, fork and exit write it
 *				 under the mmap_lock, with no page lock)
 *       anon->rwsem		(anon_vma->rwsem: a lineage's spaces,
 *				 anon.c; fork and exit write it likewise;
 *				 a KSM walk takes several, one at a time)
 *         space->ptl		(page_table_lock; fork: the parent's, then
 *				 the child's nested)
 *           st_swap.lock	(swap_info_struct->lock, cluster locks)
 *             st_swap.cont_lock (the swap count continuation lists)
 *
 * Leaves, taken under any of the above and nothing under them: the swap
 * cache's xa_lock (i_pages), the page registry's xa_lock and
 * st_pages_lock, a file's index and expect xa_locks (a load holds the
 * expect lock under the ptl, as a store does), a file's falloc_lock
 * (i_lock of a hole punch), st_gate_lock.
 * st_migrate_lock and st_poison_lock (the migration and poison lists) are
 * mutexes taken at most under the mmap_lock and a page lock, never under
 * a spinlock, never one under the other.  The registries'
 * locks (registry.c, one for spaces, one for files) are held only to find
 * an object and take a reference, or to name a new one: nothing of the
 * model's is taken under them.
 *
 * Sleeping is allowed up to the rmap rwsems; a gate (race/gate.h) parks
 * with no spinlock held.  Reclaim, migration, KSM, hwpoison and
 * unmap_mapping_range() reach the ptes of a page through its rmap
 * (st_rmap_walk_page() in rmap.c) or of a file range through i_mmap,
 * without the mmap_lock, under the page lock or the file lock, and take
 * each space's ptl.
 *
 * Every function of the model says in its comment which of these its
 * caller holds and which it takes ("Locking: ...").
 */
#ifndef _ST_SPACE_H
#define _ST_SPACE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/xarray.h>

#include "mm/pgtable.h"

struct st_anon;
struct st_file;
struct st_space;

enum st_vma_kind {
	ST_VMA_ANON,		/* MAP_PRIVATE | MAP_ANONYMOUS */
	ST_VMA_SHARED,		/* MAP_SHARED of a file */
	ST_VMA_PRIVATE,		/* MAP_PRIVATE of a file: copy-on-write */
};

struct st_vma {
	unsigned long start;
	unsigned long end;
	enum st_vma_kind kind;
	struct st_file *file;	/* referenced, for the file kinds */
	unsigned long pgoff;	/* file page mapped at start */
	bool uffd_wp;		/* registered for userfaultfd write-protect */
	bool uffd_missing;	/* registered for missing faults (seed 004) */
	struct st_space *mm;	/* the space, for the file's i_mmap walk */
	struct {		/* on file->i_mmap, for the file kinds */
		struct rb_node rb;
		unsigned long rb_subtree_last;
	} shared;
};

static inline unsigned long st_vma_index(struct st_vma *v, unsigned long addr)
{
	return v->pgoff + ((addr - v->start) >> PAGE_SHIFT);
}

static inline bool st_vma_is_anon(struct st_vma *v)
{
	return v->kind == ST_VMA_ANON;
}

struct st_space {
	int id;
	u64 anon_root;			/* anon_vma root, shared with fork kin */
	struct st_anon *anon;		/* the lineage of that root (anon.c) */
	struct list_head anon_node;	/* on the lineage's list */
	struct kref kref;
	bool dead;			/* destroyed: under mmap_lock for write */
	struct rw_semaphore mmap_lock;	/* faults read, map/destroy write */
	spinlock_t ptl;			/* the page table lock */
	struct st_pgtable pt;
	struct st_vma vmas[ST_VMAS_MAX];
	unsigned int nr_vmas;
	struct xarray expect;		/* page index -> tag last written */
	struct xarray wp;		/* page index -> uffd-wp protected */
	struct dentry *dir;
};

int st_spaces_init(struct dentry *root);

struct st_space *st_space_alloc(void);
void st_space_free(struct st_space *s);
int st_space_publish(struct st_space *s);
struct st_space *st_space_get(int id);
void st_space_put(struct st_space *s);
struct st_space *st_space_unlist(int id);
void st_space_forget(int id);
void st_spaces_destroy_ids(void);
struct st_vma *st_find_vma(struct st_space *s, unsigned long addr);
struct st_space *st_space_next(int *id);
int st_space_for_each(int (*fn)(struct st_space *s, void *arg), void *arg);

unsigned long st_space_index(unsigned long addr);
void st_space_lock_two(struct st_space *a, struct st_space *b, bool write);
void st_space_unlock_two(struct st_space *a, struct st_space *b, bool write);
int st_expect_reserve(struct st_space *s, unsigned long addr);
void st_expect_set(struct st_space *s, unsigned long addr, u64 tag);
void st_expect_clear(struct st_space *s, unsigned long addr);
/* s->wp's values: the protection expected, and expected but dropped */
#define ST_WP_ON	1
#define ST_WP_DROPPED	2
void st_wp_expect(struct st_space *s, unsigned long addr, bool on);
bool st_wp_expected(struct st_space *s, unsigned long addr);
void st_wp_dropped(struct st_space *s, unsigned long addr);
bool st_wp_dropped_at(struct st_space *s, unsigned long addr);

pte_t *st_pte_get_alloc(struct st_space *s, unsigned long addr);
void st_space_format_entry(struct st_space *s, unsigned long addr, char *buf,
			   size_t size);

#endif /* _ST_SPACE_H */
