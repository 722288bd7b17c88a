// SPDX-License-Identifier: GPL-2.0
/*
 * mmap(), exit_mmap() and what an address should read: the operations on
 * a space's vma list that reach into files (a vma references its file)
 * and into the zap code (exit_mmap() unmaps everything).  The registry
 * and the list itself are in space.c.
 */
#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/lockdep.h>

#include "mm/anon.h"
#include "mm/i_mmap.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/zap.h"

/*
 * What addr should read: the last private write (or copy) there, else, in
 * a file mapping, what the file holds, else zeroes.
 */
u64 st_expect_at(struct st_space *s, struct st_vma *v, unsigned long addr)
{
	void *e = xa_load(&s->expect, st_space_index(addr));

	if (e && v->kind != ST_VMA_SHARED)
		return xa_to_value(e);
	if (v->kind == ST_VMA_ANON)
		return 0;
	return st_file_expect(v->file, st_vma_index(v, addr));
}

/*
 * mm_alloc(): a new space with its PMD table, a lineage of its own (the
 * anon_vma its first anonymous fault would make), an id and its
 * "spaceN".  ERR_PTR(-ENOSPC) when every id is taken.
 *
 * Locking: nothing held; takes the new lineage's rwsem and the registry's
 * lock.
 */
struct st_space *st_space_new(void)
{
	struct st_space *s = st_space_alloc();
	int id;

	if (!s)
		return ERR_PTR(-ENOMEM);
	id = st_anon_new(s);
	if (!id)
		id = st_space_publish(s);
	if (id < 0) {
		st_anon_unlink(s);
		st_space_free(s);
		return ERR_PTR(id);
	}
	return s;		/* the caller's reference; the registry has one */
}

/* exit_mmap(): everything unmapped, the tables freed, the id released. */
static void space_teardown(struct st_space *s)
{
	unsigned int i;

	struct st_zap_details exit = { .even_cows = true, .drop_markers = true };

	debugfs_remove_recursive(s->dir);
	down_write(&s->mmap_lock);
	s->dead = true;
	spin_lock(&s->ptl);
	for (i = 0; i < s->nr_vmas; i++)
		st_zap_vma_range(s, &s->vmas[i], s->vmas[i].start,
				 s->vmas[i].end, &exit);
	st_pgtable_free(&s->pt);
	spin_unlock(&s->ptl);
	for (i = 0; i < s->nr_vmas; i++) {
		if (!s->vmas[i].file)
			continue;
		st_i_mmap_unlink(&s->vmas[i]);
		st_file_put(s->vmas[i].file);
	}
	s->nr_vmas = 0;
	st_anon_unlink(s);		/* unlink_anon_vmas() */
	up_write(&s->mmap_lock);
	st_space_put(s);
}

/*
 * The id stays allocated, mapped to NULL (st_space_get() finds nothing),
 * until the space's debugfs directory is gone: a new space given the id
 * earlier could not create its "spaceN" beside the old one.
 */
int st_space_destroy(int id)
{
	struct st_space *s;

	s = st_space_unlist(id);
	if (!s)
		return -ENOENT;
	space_teardown(s);
	st_space_forget(id);
	return 0;
}

/*
 * mmap(MAP_FIXED_NOREPLACE) of anonymous memory or of a file, shared or
 * private; the caller checked the range.  The mapping takes a reference on
 * the file, and the vma goes on the file's i_mmap, where reclaim and
 * unmap_mapping_range() find it without the mmap_lock.
 *
 * Locking: the caller holds the mmap_lock for write, the space alive;
 * takes the ptl, then the file's i_mmap_rwsem.
 */
int st_space_map(struct st_space *s, unsigned long start, unsigned long nr,
		 enum st_vma_kind kind, struct st_file *file,
		 unsigned long pgoff)
{
	struct st_vma *v;
	unsigned long end = start + nr * PAGE_SIZE;
	unsigned int i;
	int err = 0;

	lockdep_assert_held_write(&s->mmap_lock);
	for (i = 0; i < s->nr_vmas; i++) {
		if (start < s->vmas[i].end && end > s->vmas[i].start) {
			err = -EEXIST;
			goto out;
		}
	}
	if (s->nr_vmas == ST_VMAS_MAX) {
		err = -ENOSPC;
		goto out;
	}
	if (file)
		kref_get(&file->kref);
	v = &s->vmas[s->nr_vmas];
	spin_lock(&s->ptl);
	v->start = start;
	v->end = end;
	v->kind = kind;
	v->file = file;
	v->pgoff = pgoff;
	v->uffd_wp = false;
	RB_CLEAR_NODE(&v->shared.rb);
	s->nr_vmas++;
	spin_unlock(&s->ptl);
	if (file)
		st_i_mmap_link(s, v);
out:
	return err;
}

void st_spaces_exit(void)
{
	struct st_space *s;
	int id = 1;

	while ((s = st_space_next(&id))) {
		st_space_put(s);
		st_space_destroy(id);
		id++;
	}
	st_spaces_destroy_ids();
}
