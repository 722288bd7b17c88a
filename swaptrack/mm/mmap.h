/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_alloc(), mmap(), exit_mmap() and the expected data of an address
 * (mmap.c).
 */
#ifndef _ST_MMAP_H
#define _ST_MMAP_H

#include "mm/space.h"

struct st_space *st_space_new(void);
int st_space_destroy(int id);
int st_space_map(struct st_space *s, unsigned long start, unsigned long nr,
		 enum st_vma_kind kind, struct st_file *file,
		 unsigned long pgoff);
u64 st_expect_at(struct st_space *s, struct st_vma *v, unsigned long addr);
void st_spaces_exit(void);

#endif /* _ST_MMAP_H */
