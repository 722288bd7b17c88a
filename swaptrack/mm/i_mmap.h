/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A file's i_mmap: the vmas that map it, for its rmap walk (i_mmap.c).
 */
#ifndef _ST_I_MMAP_H
#define _ST_I_MMAP_H

#include "mm/pgtable.h"

struct st_file;
struct st_space;
struct st_vma;

typedef int (*st_vma_range_fn)(struct st_space *s, struct st_vma *v,
			       unsigned long start, unsigned long end,
			       void *arg);

void st_i_mmap_link(struct st_space *s, struct st_vma *v);
void st_i_mmap_unlink(struct st_vma *v);
bool st_i_mmap_linked(struct st_vma *v);
int st_i_mmap_walk(struct st_file *f, unsigned long first,
		   unsigned long last, st_vma_range_fn fn, void *arg);
int st_i_mmap_walk_page(struct st_file *f, unsigned long index,
			st_pte_fn fn, void *arg);

#endif /* _ST_I_MMAP_H */
