/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reclaim: try_to_unmap() and swapout of anonymous pages.
 */
#ifndef _ST_RECLAIM_H
#define _ST_RECLAIM_H

#include <linux/types.h>

struct st_page;
struct st_space;

int st_unmap_page(struct st_page *p, bool drop_markers);
int st_swapout_page(struct st_page *p);
unsigned long st_present_pages(struct st_space *s, unsigned long addr,
			       unsigned long nr, struct st_page **pages);

#endif /* _ST_RECLAIM_H */
