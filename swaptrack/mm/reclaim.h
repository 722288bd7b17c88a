/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reclaim: try_to_unmap() and swapout of anonymous pages.
 */
#ifndef _ST_RECLAIM_H
#define _ST_RECLAIM_H

#include <linux/types.h>

struct st_page;

int st_unmap_page(struct st_page *p, bool drop_markers);
int st_swapout_page(struct st_page *p);

#endif /* _ST_RECLAIM_H */
