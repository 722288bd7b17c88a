/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stats file: counters of every part, one "name value" per line.
 */
#ifndef _ST_STATS_H
#define _ST_STATS_H

struct dentry;

int st_stats_init(struct dentry *root);

#endif /* _ST_STATS_H */
