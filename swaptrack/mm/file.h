/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A shmem-like file, the structure alone (the inode and its mapping):
 * what the rmap walk reads of it without the file operations (shmem.h).
 */
#ifndef _ST_FILE_H
#define _ST_FILE_H

#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/xarray.h>

struct dentry;

struct st_file {
	int id;
	struct kref kref;
	struct mutex lock;	/* i_rwsem: size changes, hole punch */
	unsigned long size;	/* in pages */
	struct xarray pages;	/* index -> st_page, or xa_mk_value(slot) */
	struct xarray expect;	/* index -> tag last written */
	struct dentry *dir;
	bool dead;
	/*
	 * inode->i_private of a hole punch (struct shmem_falloc): the range
	 * [falloc_start, falloc_next) being punched, empty when equal, under
	 * falloc_lock (i_lock); faults into it wait on falloc_wq.
	 */
	spinlock_t falloc_lock;
	unsigned long falloc_start, falloc_next;
	wait_queue_head_t falloc_wq;
	struct rw_semaphore i_mmap_rwsem; /* the vmas on i_mmap */
	struct rb_root_cached i_mmap; /* st_vma->shared: the vmas mapping it */
};

#endif /* _ST_FILE_H */
