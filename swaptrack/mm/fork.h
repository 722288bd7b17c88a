/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fork(): copying a model address space.
 */
#ifndef _ST_FORK_H
#define _ST_FORK_H

struct st_space;

/* dup_errors=series_v5: needless continuation rounds before -ELOOP */

int st_fork_copy(struct st_space *src, struct st_space *dst);

#endif /* _ST_FORK_H */
