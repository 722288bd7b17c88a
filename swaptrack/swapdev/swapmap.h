/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model swap device: a swap_map with the kernel's count encoding, count
 * continuation pages, bad slots and PMD-sized clusters.
 */
#ifndef _ST_SWAPMAP_H
#define _ST_SWAPMAP_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/gfp.h>

/*
 * The kernel's cluster is HPAGE_PMD_NR slots; ours is too (ST_CLUSTER_NR,
 * swapmap.c checks the two agree).
 */
#define ST_CLUSTER_SHIFT	(PMD_SHIFT - PAGE_SHIFT)

/* Usage values passed to the duplicate and free primitives, as in swapfile.c */
#define ST_USAGE_MAP		1
#define ST_USAGE_CACHE		0x40	/* SWAP_HAS_CACHE */
#define ST_USAGE_SHMEM		0xbf	/* SWAP_MAP_SHMEM: owned by a file */

enum st_cluster_state {
	ST_CLUSTER_FREE,
	ST_CLUSTER_NORMAL,
	ST_CLUSTER_HUGE,
};

/* A consistent snapshot of one slot, for "slot query" and the auditor. */
struct st_slot_info {
	unsigned char map;		/* the raw swap_map byte */
	unsigned long count;		/* map count, continuation digits included */
	bool cache;
	bool bad;
	bool continued;
	bool shmem;			/* SWAP_MAP_SHMEM: one file reference */
	bool parked;			/* in the return batch (slot_reuse) */
	u32 gen;
	enum st_cluster_state cluster;
	unsigned int conts;		/* continuation pages of this map page */
};

struct st_swap_stats {
	unsigned long nr_slots;
	bool on;
	unsigned long used;
	unsigned long bad;
	unsigned long huge_clusters;
	unsigned long cont_alloc;
	unsigned long cont_freed;
	unsigned long cont_unused;
};

int st_swapmap_init(unsigned long nr_slots);
void st_swapmap_exit(void);
unsigned long st_swap_nr_slots(void);

int st_swap_alloc(unsigned long *slot, u32 *gen);
int st_swap_alloc_pmd(unsigned long *slot, u32 *gen);

int __st_swap_duplicate(unsigned long *slot, unsigned char usage, unsigned int nr);
int st_swap_duplicate(unsigned long slot, gfp_t gfp);
int st_swap_duplicate_pmd(unsigned long slot, gfp_t gfp);
int st_swap_add_continuation(unsigned long slot, gfp_t gfp);

int st_swap_free(unsigned long slot);
int st_swap_free_pmd(unsigned long slot);
int st_swapcache_prepare(unsigned long slot);
int st_swapcache_clear(unsigned long slot, unsigned int nr);

int st_swap_mark_bad(unsigned long slot);
int st_swap_split_cluster(unsigned long slot);
int st_swap_swapcount(unsigned long slot);
int st_swap_query(unsigned long slot, struct st_slot_info *info);
unsigned long st_swap_free_run_end(unsigned long slot);

unsigned int st_swap_drain(void);
int st_swapoff(unsigned long *conts_freed, unsigned long *leaked);
unsigned long st_swap_cont_listed(void);
unsigned long st_swap_cont_leaked(void);
int st_swapon(void);
void st_swap_get_stats(struct st_swap_stats *stats);

#endif /* _ST_SWAPMAP_H */
