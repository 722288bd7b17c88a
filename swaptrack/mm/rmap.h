/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The rmap walk of the model (rmap.c): the ptes that can map a page.
 */
#ifndef _ST_RMAP_H
#define _ST_RMAP_H

#include <linux/pgtable.h>

#include "mm/pgtable.h"

struct st_page;
struct st_space;

int st_rmap_walk(st_pte_fn fn, void *arg);
int st_rmap_walk_page(struct st_page *p, st_pte_fn fn, void *arg);
unsigned long st_rmap_walks_all_count(void);

typedef pte_t (*st_pte_xform)(struct st_page *p, pte_t pte, void *arg);
unsigned long st_rmap_replace(struct st_page *p, unsigned long pfn,
			      enum st_pte_kind kind, st_pte_xform fn,
			      void *arg);
unsigned long st_rmap_replace_via(struct st_page *via, struct st_page *p,
				  unsigned long pfn, enum st_pte_kind kind,
				  st_pte_xform fn, void *arg);

struct st_page *st_present_page(struct st_space *s, unsigned long addr);
struct st_page *st_present_anon_page(struct st_space *s, unsigned long addr);

#endif /* _ST_RMAP_H */
