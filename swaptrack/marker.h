/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pte_none() callers of seed 004 that have no other home: populate,
 * the memcg charge-move walk, migrate_vma collection and the rmap walk.
 */
#ifndef _ST_MARKER_H
#define _ST_MARKER_H

#include <linux/pgtable.h>
#include <linux/types.h>

struct st_file;
struct st_space;

/* What get_mctgt_type() found a charge to move for. */
struct st_charge_move {
	unsigned long present;	/* mc_handle_present_pte() */
	unsigned long swap;	/* mc_handle_swap_pte() */
	unsigned long file;	/* mc_handle_file_pte(): the file's own page */
	unsigned long none;	/* MC_TARGET_NONE */
};

/* What migrate_vma_collect_pmd() made of each entry. */
struct st_collect {
	unsigned long collected;	/* MIGRATE_PFN_MIGRATE */
	unsigned long holes;		/* none (or marker) */
	unsigned long ignored;		/* other non-present entries */
};

bool st_pte_none_mostly(pte_t pte);
int st_populate(struct st_space *s, unsigned long start, unsigned long end,
		bool write, unsigned long *populated, unsigned long *skipped);
void st_charge_move(struct st_space *s, unsigned long start,
		    unsigned long end, struct st_charge_move *mc);
void st_migrate_collect(struct st_space *s, unsigned long start,
			unsigned long end, struct st_collect *c);
int st_rmap_walk(struct st_file *f, unsigned long index,
		 unsigned long *walked, int *mapcount);

#endif /* _ST_MARKER_H */
