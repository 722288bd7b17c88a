/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shmem-like files: an index of pages or swap entries, mapped shared or
 * private into model address spaces.
 */
#ifndef _ST_SHMEM_H
#define _ST_SHMEM_H

#include <linux/xarray.h>

#include "mm/file.h"
#include "swaptrack.h"

struct dentry;
struct st_page;

int st_files_init(struct dentry *root);
void st_files_exit(void);

struct st_file *st_file_new(unsigned long size);
struct st_file *st_file_get(int id);
void st_file_put(struct st_file *f);
int st_file_destroy(int id);
int st_file_for_each(int (*fn)(struct st_file *f, void *arg), void *arg);

int st_file_get_page(struct st_file *f, unsigned long index,
		     struct st_page **pagep);
int st_file_write(struct st_file *f, unsigned long index, u64 tag);
int st_file_read(struct st_file *f, unsigned long index, u64 *tag,
		 u64 *want);
int st_file_swapout(struct st_file *f, unsigned long index);
int st_file_truncate(struct st_file *f, unsigned long size);
int st_file_punch(struct st_file *f, unsigned long start, unsigned long nr);
int st_file_falloc_wait(struct st_file *f, unsigned long index);
void st_file_migrate_page(struct st_page *old, struct st_page *new);

u64 st_file_expect(struct st_file *f, unsigned long index);
void st_file_expect_set(struct st_file *f, unsigned long index, u64 tag);
void st_file_expect_lock(struct st_file *f);
void st_file_expect_unlock(struct st_file *f);
int st_file_expect_reserve(struct st_file *f, unsigned long index);
void st_file_store_locked(struct st_file *f, unsigned long index,
			  struct st_page *p, u64 tag);

#endif /* _ST_SHMEM_H */
