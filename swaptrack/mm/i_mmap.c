// SPDX-License-Identifier: GPL-2.0
/*
 * A file's i_mmap: every vma that maps the file, shared or private, in an
 * interval tree of the file pages they map (vma_interval_tree in
 * mm/interval_tree.c: keyed by vm_pgoff, the last page cached in each
 * subtree), under the file's i_mmap_rwsem.  mmap() links a vma, fork links
 * the child's copies, exit_mmap() unlinks them.  unmap_mapping_range() and
 * the rmap walk of a file page (rmap_walk_file()) visit only the vmas that
 * map a page of the range, however many map the rest of the file.
 */
#include <linux/interval_tree_generic.h>
#include <linux/lockdep.h>
#include <linux/rwsem.h>

#include "mm/file.h"
#include "mm/i_mmap.h"
#include "mm/space.h"

static inline unsigned long vma_first_index(struct st_vma *v)
{
	return v->pgoff;
}

static inline unsigned long vma_last_index(struct st_vma *v)
{
	return st_vma_index(v, v->end - PAGE_SIZE);
}

INTERVAL_TREE_DEFINE(struct st_vma, shared.rb, unsigned long,
		     shared.rb_subtree_last, vma_first_index, vma_last_index,
		     static inline, vma_tree)

/*
 * vma_link_file(): v, a file vma of s, goes on its file's i_mmap.
 *
 * Locking: the caller holds s's mmap_lock for write, no ptl; takes the
 * file's i_mmap_rwsem for write.
 */
void st_i_mmap_link(struct st_space *s, struct st_vma *v)
{
	struct st_file *f = v->file;

	lockdep_assert_held_write(&s->mmap_lock);
	v->mm = s;
	down_write(&f->i_mmap_rwsem);
	vma_tree_insert(v, &f->i_mmap);
	up_write(&f->i_mmap_rwsem);
}

/*
 * unlink_file_vma(): v leaves its file's i_mmap, before the vma's file
 * reference is dropped.
 *
 * Locking: the caller holds the space's mmap_lock for write, no ptl;
 * takes the file's i_mmap_rwsem for write.
 */
void st_i_mmap_unlink(struct st_vma *v)
{
	struct st_file *f = v->file;

	down_write(&f->i_mmap_rwsem);
	vma_tree_remove(v, &f->i_mmap);
	RB_CLEAR_NODE(&v->shared.rb);
	up_write(&f->i_mmap_rwsem);
}

/* Whether v is on its file's i_mmap (the auditor's rmap check). */
bool st_i_mmap_linked(struct st_vma *v)
{
	return !RB_EMPTY_NODE(&v->shared.rb);
}

/*
 * vma_interval_tree_foreach(): fn on each vma of f covering a file page
 * of [first, last], with the addresses [start, end) that map the covered
 * pages, the vma's space's ptl held (a space being torn down, its tables
 * gone, is skipped).  Stops at the first non-zero return of fn.
 *
 * Locking: the caller holds the file's lock or the page lock of the page
 * looked for, no ptl; takes the file's i_mmap_rwsem for read, then each
 * space's ptl.
 */
int st_i_mmap_walk(struct st_file *f, unsigned long first,
		   unsigned long last, st_vma_range_fn fn, void *arg)
{
	unsigned long lo, hi, start, end;
	struct st_vma *v;
	int ret = 0;

	down_read(&f->i_mmap_rwsem);
	for (v = vma_tree_iter_first(&f->i_mmap, first, last); v;
	     v = vma_tree_iter_next(v, first, last)) {
		lo = max(first, vma_first_index(v));
		hi = min(last, vma_last_index(v));
		start = v->start + ((lo - v->pgoff) << PAGE_SHIFT);
		end = v->start + ((hi - v->pgoff + 1) << PAGE_SHIFT);
		spin_lock(&v->mm->ptl);
		if (v->mm->pt.pmd)
			ret = fn(v->mm, v, start, end, arg);
		spin_unlock(&v->mm->ptl);
		if (ret)
			break;
	}
	up_read(&f->i_mmap_rwsem);
	return ret;
}

struct page_walk {
	st_pte_fn fn;
	void *arg;
};

static int walk_one(struct st_space *s, struct st_vma *v,
		    unsigned long start, unsigned long end, void *data)
{
	struct page_walk *w = data;
	pte_t *ptep = st_pte_offset(&s->pt, start);

	return ptep ? w->fn(s, start, ptep, w->arg) : 0;
}

/*
 * rmap_walk_file(): fn on the pte of every address that maps file page
 * index of f, in a shared or a private mapping.
 *
 * Locking: as st_i_mmap_walk().
 */
int st_i_mmap_walk_page(struct st_file *f, unsigned long index,
			st_pte_fn fn, void *arg)
{
	struct page_walk w = { .fn = fn, .arg = arg };

	return st_i_mmap_walk(f, index, index, walk_one, &w);
}
