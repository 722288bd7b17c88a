/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memory_failure() of an anonymous page (hwpoison.c).
 */
#ifndef _ST_HWPOISON_H
#define _ST_HWPOISON_H

#include <linux/types.h>

struct st_space;

/*
 * Locking: the caller holds the mmap_lock for read, the space alive;
 * takes the page lock, the rmap walk's ptls and st_poison_lock.
 */
int st_poison(struct st_space *s, unsigned long addr);
void st_poison_exit(void);

#endif /* _ST_HWPOISON_H */
