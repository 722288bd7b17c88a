/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Special entries: uffd-wp bits and markers, migration, hwpoison, and the
 * KSM merge that makes a page shared between unrelated spaces.
 */
#ifndef _ST_SPECIAL_H
#define _ST_SPECIAL_H

#include <linux/types.h>

struct st_space;

void st_uffd_wp(struct st_space *s, unsigned long start, unsigned long end,
		bool on);
int st_uffd_missing(struct st_space *s, unsigned long start,
		    unsigned long end);
int st_migrate_begin(struct st_space *s, unsigned long addr,
		     unsigned long *pfn);
int st_migrate_end(struct st_space *s, unsigned long addr,
		   unsigned long *pfn);
int st_poison(struct st_space *s, unsigned long addr);
int st_ksm_merge(struct st_space *s1, unsigned long a1,
		 struct st_space *s2, unsigned long a2);
void st_special_exit(void);

#endif /* _ST_SPECIAL_H */
