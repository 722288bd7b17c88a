/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Anon lineages (anon.c): the model's anon_vma root, one per fork family.
 */
#ifndef _ST_ANON_H
#define _ST_ANON_H

#include <linux/types.h>

#include "mm/pgtable.h"

struct st_space;

int st_anon_new(struct st_space *s);
void st_anon_fork(struct st_space *dst, struct st_space *src);
void st_anon_unlink(struct st_space *s);
bool st_anon_linked(struct st_space *s, u64 root);
int st_anon_walk(u64 root, unsigned long addr, st_pte_fn fn, void *arg);
unsigned long st_anon_live(void);

#endif /* _ST_ANON_H */
