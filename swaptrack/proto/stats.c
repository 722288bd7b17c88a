// SPDX-License-Identifier: GPL-2.0
/*
 * The stats file: counters of every part, one "name value" per line, so
 * that a test can compare two snapshots.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "swaptrack.h"
#include "mm/anon.h"
#include "mm/rmap.h"
#include "mm/swapin_sync.h"
#include "proto/stats.h"
#include "swapdev/contpage.h"
#include "swapdev/page.h"
#include "swapdev/swapmap.h"

static int stats_show(struct seq_file *m, void *v)
{
	unsigned long allocated, freed;
	struct st_swap_stats s;

	st_swap_get_stats(&s);
	seq_printf(m, "nr_slots %lu\n", s.nr_slots);
	seq_printf(m, "swap_on %d\n", s.on);
	seq_printf(m, "swap_sync %d\n", st_swap_sync());
	seq_printf(m, "slots_used %lu\n", s.used);
	seq_printf(m, "slots_bad %lu\n", s.bad);
	seq_printf(m, "clusters_huge %lu\n", s.huge_clusters);
	seq_printf(m, "cont_alloc %lu\n", s.cont_alloc);
	seq_printf(m, "cont_freed %lu\n", s.cont_freed);
	seq_printf(m, "cont_unused %lu\n", s.cont_unused);
	seq_printf(m, "cont_live %lu\n", s.cont_alloc - s.cont_freed);
	seq_printf(m, "pages_live %lu\n", st_pages_live());
	/* counted at the allocator (contpage.c), apart from cont_* above */
	st_cont_page_counts(&allocated, &freed);
	seq_printf(m, "cont_pages_allocated %lu\n", allocated);
	seq_printf(m, "cont_pages_atomic %lu\n", st_cont_pages_atomic());
	seq_printf(m, "cont_pages_freed %lu\n", freed);
	seq_printf(m, "cont_pages_listed %lu\n", st_swap_cont_listed());
	seq_printf(m, "cont_fail_atomic %u\n", st_cont_fail_atomic_left());
	seq_printf(m, "cont_atomic_failed %lu\n", st_cont_atomic_failed());
	seq_printf(m, "anon_lineages %lu\n", st_anon_live());
	seq_printf(m, "rmap_walks_all %lu\n", st_rmap_walks_all_count());
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

int st_stats_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file(ST_STATS_FILE, 0400, root, NULL, &stats_fops);
	return PTR_ERR_OR_ZERO(d);
}
