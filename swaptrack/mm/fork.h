/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fork(): copying a model address space.
 */
#ifndef _ST_FORK_H
#define _ST_FORK_H

struct st_space;

/* dup_errors=series_v5: needless continuation rounds before -ELOOP */

struct st_space *st_fork(struct st_space *src);

#endif /* _ST_FORK_H */
