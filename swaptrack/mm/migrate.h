/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page migration in two steps, begin and end (migrate.c).
 */
#ifndef _ST_MIGRATE_H
#define _ST_MIGRATE_H

#include <linux/types.h>

struct st_space;

/*
 * Locking: begin's caller holds the mmap_lock for read, the space alive;
 * end's holds only a reference to the space (remove_migration_ptes() takes
 * no mmap_lock: a fault waiting on the entry holds it).  Begin takes the
 * page lock and keeps it until end (or the limit), and the rmap walk's
 * ptls; st_migrate_lock guards the list of migrations.
 */
int st_migrate_begin(struct st_space *s, unsigned long addr,
		     unsigned long *pfn);
int st_migrate_end(struct st_space *s, unsigned long addr,
		   unsigned long *pfn);
void st_migrate_exit(void);

#endif /* _ST_MIGRATE_H */
