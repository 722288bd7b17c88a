/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model swap cache: slot -> page, in lock-step with SWAP_HAS_CACHE.
 */
#ifndef _ST_SWAPCACHE_H
#define _ST_SWAPCACHE_H

#include <linux/types.h>

struct st_page;

struct st_page *st_swapcache_lookup(unsigned long slot);
int st_swapcache_add(struct st_page *p, unsigned long slot);
int st_add_to_swap(struct st_page *p);
void st_swapcache_delete(struct st_page *p);
void st_delete_from_swap_cache(struct st_page *p);
bool st_swapcache_remove_mapping(struct st_page *p, int refs);
bool st_try_to_free_swap(struct st_page *p);
int st_free_swap_and_cache(unsigned long slot);
struct st_page *st_read_swap_cache_async(unsigned long slot, int *err);
bool st_swapcache_has(unsigned long slot);
unsigned long st_swapcache_next(unsigned long start, unsigned long end);
int st_swapcache_reread(unsigned long slot, bool *uptodate);
unsigned long st_swapcache_reclaim(void);
void st_swapcache_exit(void);

#endif /* _ST_SWAPCACHE_H */
