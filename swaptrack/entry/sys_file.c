// SPDX-License-Identifier: GPL-2.0
/*
 * The entry of the calls on shmem-like files: memfd_create(), write(),
 * read(), ftruncate(), fallocate(PUNCH_HOLE), MADV_PAGEOUT of a file page
 * and the memcg query of "file ...".  See entry.h for what every
 * st_sys_*() does; the locks and their order are at the top of
 * mm/space.h.
 */
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>

#include "entry/entry.h"
#include "mm/marker.h"
#include "mm/shmem.h"

/* The file of id, referenced; NULL and the reason if there is none. */
static struct st_file *file_get(unsigned long id, struct st_err *e)
{
	struct st_file *f = id <= ST_FILES_MAX ? st_file_get(id) : NULL;

	if (!f)
		st_fail(e, -ENOENT, "no file %lu", id);
	return f;
}

/* What the call on the page at index got. */
static int file_error(struct st_err *e, int err, unsigned long index)
{
	switch (err) {
	case -ERANGE:
		return st_fail(e, -EINVAL, "index %lu beyond the end", index);
	case -ENOENT:
		return st_fail(e, err, "no page at index %lu", index);
	case -EIO:
		return st_fail(e, err, "index %lu: read failed", index);
	case -EBUSY:
		return st_fail(e, err, "index %lu: still mapped", index);
	case -ENOSPC:
		return st_fail(e, err, "no free swap slot");
	case -ENOMEM:
		return st_fail(e, err,
			       "index %lu: no memory, or a swapin found its slot free and the same entry came back",
			       index);
	default:
		return st_fail(e, err, "index %lu: failed", index);
	}
}

int st_sys_file_new(unsigned long size, int *id, struct st_err *e)
{
	struct st_file *f = st_file_new(size);

	if (IS_ERR(f))
		return st_fail(e, PTR_ERR(f), PTR_ERR(f) == -ENOSPC ?
			       "%d files already" : "no memory",
			       ST_FILES_MAX);
	*id = f->id;
	st_file_put(f);
	return 0;
}

/* The file's destruction takes its lock itself (st_file_destroy()). */
int st_sys_file_destroy(unsigned long id, struct st_err *e)
{
	int err = id <= ST_FILES_MAX ? st_file_destroy(id) : -ENOENT;

	if (err == -EBUSY)
		return st_fail(e, err, "file %lu is mapped", id);
	if (err)
		return st_fail(e, err, "no file %lu", id);
	return 0;
}

/* write(2) of one page: the page lock inside (st_file_get_page()). */
int st_sys_file_write(unsigned long id, unsigned long index, u64 tag,
		      struct st_err *e)
{
	struct st_file *f = file_get(id, e);
	int err;

	if (!f)
		return -ENOENT;
	err = st_file_write(f, index, tag);
	st_file_put(f);
	return err ? file_error(e, err, index) : 0;
}

/* read(2) of one page, and what the auditor holds it should be. */
int st_sys_file_read(unsigned long id, unsigned long index, u64 *tag,
		     u64 *want, struct st_err *e)
{
	struct st_file *f = file_get(id, e);
	int err;

	if (!f)
		return -ENOENT;
	err = st_file_read(f, index, tag, want);
	st_file_put(f);
	return err ? file_error(e, err, index) : 0;
}

/* shmem_writepage() of each page of [index, index + nr). */
int st_sys_file_swapout(unsigned long id, unsigned long index,
			unsigned long nr, unsigned long *swapped,
			struct st_err *e)
{
	struct st_file *f = file_get(id, e);
	unsigned long i;

	if (!f)
		return -ENOENT;
	*swapped = 0;
	for (i = index; i < index + nr; i++)
		if (!st_file_swapout(f, i))
			(*swapped)++;
	st_file_put(f);
	return 0;
}

/* ftruncate(): the file lock (i_rwsem) for the size change. */
int st_sys_file_truncate(unsigned long id, unsigned long size,
			 struct st_err *e)
{
	struct st_file *f = file_get(id, e);

	if (!f)
		return -ENOENT;
	mutex_lock(&f->lock);
	st_file_truncate(f, size);
	mutex_unlock(&f->lock);
	st_file_put(f);
	return 0;
}

/* fallocate(FALLOC_FL_PUNCH_HOLE): the file lock (i_rwsem). */
int st_sys_file_punch(unsigned long id, unsigned long index,
		      unsigned long nr, struct st_err *e)
{
	struct st_file *f = file_get(id, e);

	if (!f)
		return -ENOENT;
	mutex_lock(&f->lock);
	st_file_punch(f, index, nr);
	mutex_unlock(&f->lock);
	st_file_put(f);
	return 0;
}

/* The memcg charged for the page at index (seed 004). */
int st_sys_file_memcg(unsigned long id, unsigned long index,
		      unsigned int *memcg, struct st_err *e)
{
	struct st_file *f = file_get(id, e);
	int err;

	if (!f)
		return -ENOENT;
	err = st_file_memcg(f, index, memcg);
	st_file_put(f);
	return err ? file_error(e, err, index) : 0;
}
