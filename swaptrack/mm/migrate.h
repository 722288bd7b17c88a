/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page migration in two steps, begin and end (migrate.c).
 */
#ifndef _ST_MIGRATE_H
#define _ST_MIGRATE_H

#include <linux/types.h>

struct st_space;

int st_migrate_begin(struct st_space *s, unsigned long addr,
		     unsigned long *pfn);
int st_migrate_end(struct st_space *s, unsigned long addr,
		   unsigned long *pfn);
void st_migrate_exit(void);

#endif /* _ST_MIGRATE_H */
