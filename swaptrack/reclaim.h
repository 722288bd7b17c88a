/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reclaim of anonymous pages to the model swap device.
 */
#ifndef _ST_RECLAIM_H
#define _ST_RECLAIM_H

struct st_page;

int st_swapout_page(struct st_page *p);

#endif /* _ST_RECLAIM_H */
