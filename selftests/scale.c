// SPDX-License-Identifier: GPL-2.0
/*
 * Scale and the reverse map (issue 13, items 1 and 3).
 *
 * A fork tree of 10,000 children (ST_SCALE_SPACES, st.scale_spaces= of
 * the command line, caps it: the debug target runs 1000) shares the
 * swapped pages of its parent: each child reads them back, one page mapped
 * by every child is swapped out again through its lineage, the audit is
 * clean (no rmap-miss), everything is destroyed and the slots are back at
 * the baseline.  KSM merge, truncation and migration go through the rmap
 * too.  Every test asserts that no rmap walk fell back to every space
 * (rmap_walks_all in the stats file).  The registry's limits give ENOSPC
 * with a reason, at 16384 spaces and 16384 files.
 */
#define _GNU_SOURCE
#include <time.h>

#include "st_engine.h"

#define SC_PAGES	4
#define SC_TAG(i)	(0x5ca1e000ULL + (i))

SE_FIXTURE(scale);

static unsigned long long sc_stat(struct __test_metadata *_metadata,
				  const char *name)
{
	struct st_stats s;
	unsigned long long v = 0;

	st_stats_read(_metadata, &s);
	EXPECT_TRUE(st_stat_find(s.text, name, &v)) {
		TH_LOG("no '%s' in the stats file", name);
	}
	return v;
}

/* MemAvailable of /proc/meminfo, in KiB. */
static long long sc_mem_available(void)
{
	FILE *f = fopen("/proc/meminfo", "r");
	char line[128];
	long long kb = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static unsigned long long sc_slot(struct __test_metadata *_metadata,
				  struct se *se, int id, unsigned int page)
{
	struct se_pte p;

	se_check_pte(_metadata, se, id, SE_ADDR(page), "swap", SE_ANY, SE_ANY,
		     SE_ANY, &p);
	return p.offset;
}

TEST_F_TIMEOUT(scale, fork_tree, 900)
{
	unsigned int n = st_env_cap("ST_SCALE_SPACES", 10000), i, k;
	unsigned long long walks = sc_stat(_metadata, "rmap_walks_all");
	struct se *se = &self->se;
	unsigned long long slot;
	long long mem0, mem1;
	double t0, t1;
	int s, *kids;

	kids = calloc(n, sizeof(*kids));
	ASSERT_NE(NULL, kids);
	s = se_space_map(_metadata, se, SC_PAGES, "anon");
	for (i = 0; i < SC_PAGES; i++)
		se_write(_metadata, se, s, SE_ADDR(i), SC_TAG(i));
	se_swapout(_metadata, se, "space", s, SE_BASE, SC_PAGES, SC_PAGES, 0);
	slot = sc_slot(_metadata, se, s, 0);

	mem0 = sc_mem_available();
	t0 = se_now();
	for (i = 0; i < n; i++)
		kids[i] = se_fork(_metadata, se, s);
	t1 = se_now();
	mem1 = sc_mem_available();
	ksft_print_msg("%u forks: %.1f us and %.1f KiB each\n", n,
		       (t1 - t0) * 1e6 / n, (double)(mem0 - mem1) / n);
	/* every child holds a count on every slot: continuation pages */
	se_check_slot(_metadata, se, slot, SE_ANY, n + 1, 0, 1, 0);

	/* each child reads its pages back: one swap-cache page per slot */
	for (i = 0; i < n; i++)
		for (k = 0; k < SC_PAGES; k++)
			se_read(_metadata, se, kids[i], SE_ADDR(k), SC_TAG(k));
	se_check_slot(_metadata, se, slot, SE_ANY, 1, 1, SE_ANY, 0);
	se_audit(_metadata);

	/* the page every child maps goes out through its lineage */
	t0 = se_now();
	se_swapout(_metadata, se, "space", kids[0], SE_BASE, 1, 1, 0);
	t1 = se_now();
	ksft_print_msg("swapout of a page mapped by %u spaces: %.1f ms\n", n,
		       (t1 - t0) * 1e3);
	se_check_slot(_metadata, se, slot, SE_ANY, n + 1, 0, 1, 0);
	se_check_pte(_metadata, se, kids[n - 1], SE_ADDR(0), "swap", slot,
		     SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, kids[n / 2], SE_ADDR(1), "present",
		     SE_ANY, SE_ANY, SE_ANY, NULL);
	se_read(_metadata, se, kids[n / 2], SE_ADDR(0), SC_TAG(0));
	se_audit(_metadata);
	ASSERT_EQ(walks, sc_stat(_metadata, "rmap_walks_all"));

	t0 = se_now();
	for (i = 0; i < n; i++)
		se_destroy(_metadata, se, kids[i]);
	t1 = se_now();
	ksft_print_msg("%u destroys: %.1f us each\n", n, (t1 - t0) * 1e6 / n);
	se_destroy(_metadata, se, s);
	SE_OK(se, "reclaim");
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	free(kids);
}

/*
 * A KSM page reaches the mapping it replaced through its rmap item, and
 * that mapping's fork kin through the item's lineage.
 */
TEST_F(scale, ksm_rmap_items)
{
	unsigned long long walks = sc_stat(_metadata, "rmap_walks_all");
	struct se *se = &self->se;
	int a, b, c;

	a = se_space_map(_metadata, se, 2, "anon");
	b = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, a, SE_ADDR(0), SC_TAG(7));
	se_write(_metadata, se, b, SE_ADDR(1), SC_TAG(7));
	SE_OK(se, "ksm merge %d 0x%llx %d 0x%llx", a, SE_ADDR(0), b, SE_ADDR(1));
	c = se_fork(_metadata, se, b);
	se_audit(_metadata);
	se_swapout(_metadata, se, "space", a, SE_BASE, 1, 1, 0);
	se_check_pte(_metadata, se, b, SE_ADDR(1), "swap", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(1), "swap", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_read(_metadata, se, c, SE_ADDR(1), SC_TAG(7));
	se_read(_metadata, se, a, SE_ADDR(0), SC_TAG(7));
	se_audit(_metadata);
	ASSERT_EQ(walks, sc_stat(_metadata, "rmap_walks_all"));
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, b);
	se_destroy(_metadata, se, a);
	SE_OK(se, "reclaim");
	se_check_used(_metadata, se, 0);
}

/*
 * Truncation and hole punch find the mappings through the file's i_mmap,
 * shared and private, the forked ones too; other files' mappings stay.
 */
TEST_F(scale, truncate_through_i_mmap)
{
	unsigned long long walks = sc_stat(_metadata, "rmap_walks_all");
	struct se *se = &self->se;
	int f, g, sh, pr, kid, other;

	f = se_file_new(_metadata, se, SC_PAGES);
	g = se_file_new(_metadata, se, SC_PAGES);
	se_file_write(_metadata, se, f, 0, SC_TAG(0));
	se_file_write(_metadata, se, f, 1, SC_TAG(1));
	se_file_write(_metadata, se, g, 0, SC_TAG(2));
	sh = se_space_new(_metadata, se);
	SE_OK(se, "space map %d 0x%llx %u shared %d 0", sh, SE_BASE, SC_PAGES, f);
	pr = se_space_new(_metadata, se);
	SE_OK(se, "space map %d 0x%llx %u private %d 0", pr, SE_BASE, SC_PAGES, f);
	other = se_space_new(_metadata, se);
	SE_OK(se, "space map %d 0x%llx %u shared %d 0", other, SE_BASE, SC_PAGES, g);
	se_read(_metadata, se, sh, SE_ADDR(0), SC_TAG(0));
	se_read(_metadata, se, sh, SE_ADDR(1), SC_TAG(1));
	se_write(_metadata, se, pr, SE_ADDR(1), SC_TAG(9));	/* a COW */
	se_read(_metadata, se, pr, SE_ADDR(0), SC_TAG(0));
	kid = se_fork(_metadata, se, sh);
	se_read(_metadata, se, kid, SE_ADDR(0), SC_TAG(0));
	se_read(_metadata, se, kid, SE_ADDR(1), SC_TAG(1));
	se_read(_metadata, se, other, SE_ADDR(0), SC_TAG(2));
	se_audit(_metadata);

	/* a file page's swapout unmaps it from every vma of i_mmap */
	se_swapout(_metadata, se, "file", f, 0, 1, 1, 0);
	se_check_pte(_metadata, se, sh, SE_ADDR(0), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_pte(_metadata, se, kid, SE_ADDR(0), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_pte(_metadata, se, pr, SE_ADDR(0), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);

	SE_OK(se, "file punch %d 1 1", f);
	se_check_pte(_metadata, se, sh, SE_ADDR(1), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_pte(_metadata, se, kid, SE_ADDR(1), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	/* punch spares the private COW, truncate takes it */
	se_check_pte(_metadata, se, pr, SE_ADDR(1), "present", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	SE_OK(se, "file truncate %d 0", f);
	se_check_pte(_metadata, se, pr, SE_ADDR(1), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_pte(_metadata, se, other, SE_ADDR(0), "present", SE_ANY,
		     SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	ASSERT_EQ(walks, sc_stat(_metadata, "rmap_walks_all"));
	se_destroy(_metadata, se, kid);
	se_destroy(_metadata, se, sh);
	se_destroy(_metadata, se, pr);
	se_destroy(_metadata, se, other);
	se_file_destroy(_metadata, se, f);
	se_file_destroy(_metadata, se, g);
	se_check_used(_metadata, se, 0);
}

/*
 * Overlapping windows on one file (vma k maps file pages 2k .. 2k+3): a
 * file page's swap-out and a punch reach exactly the windows that map the
 * page, at the address each maps it, whichever of its pages it is, and
 * leave every other pte present.
 */
#define SC_WINDOWS	31
#define SC_WPAGES	(2 * SC_WINDOWS + 2)
#define SC_SWAPPED	33
#define SC_PUNCH	10	/* pages 10 .. 12 */

static bool sc_window_gone(unsigned int index)
{
	return index == SC_SWAPPED ||
	       (index >= SC_PUNCH && index < SC_PUNCH + 3);
}

TEST_F(scale, i_mmap_windows)
{
	unsigned long long walks = sc_stat(_metadata, "rmap_walks_all");
	struct se *se = &self->se;
	int f, k, i, win[SC_WINDOWS];

	f = se_file_new(_metadata, se, SC_WPAGES);
	for (i = 0; i < SC_WPAGES; i++)
		se_file_write(_metadata, se, f, i, SC_TAG(i));
	for (k = 0; k < SC_WINDOWS; k++) {
		win[k] = se_space_new(_metadata, se);
		SE_OK(se, "space map %d 0x%llx 4 shared %d %d", win[k], SE_BASE,
		      f, 2 * k);
		for (i = 0; i < 4; i++)
			se_read(_metadata, se, win[k], SE_ADDR(i), SC_TAG(2 * k + i));
	}
	se_swapout(_metadata, se, "file", f, SC_SWAPPED, 1, 1, 0);
	SE_OK(se, "file punch %d %u 3", f, SC_PUNCH);
	for (k = 0; k < SC_WINDOWS; k++)
		for (i = 0; i < 4; i++)
			se_check_pte(_metadata, se, win[k], SE_ADDR(i),
				     sc_window_gone(2 * k + i) ? "none" : "present",
				     SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	ASSERT_EQ(walks, sc_stat(_metadata, "rmap_walks_all"));
	for (k = 0; k < SC_WINDOWS; k++)
		se_destroy(_metadata, se, win[k]);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
}

/* A migrated anonymous page keeps its rmap: reclaim finds every mapper. */
TEST_F(scale, migration_keeps_rmap)
{
	unsigned long long walks = sc_stat(_metadata, "rmap_walks_all");
	struct se *se = &self->se;
	int s, kids[8], i;

	s = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), SC_TAG(3));
	for (i = 0; i < 8; i++)
		kids[i] = se_fork(_metadata, se, s);
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_ADDR(0));
	se_check_pte(_metadata, se, kids[7], SE_ADDR(0), "migration", SE_ANY,
		     SE_ANY, SE_ANY, NULL);
	SE_OK(se, "space migrate %d 0x%llx end", s, SE_ADDR(0));
	se_audit(_metadata);
	se_swapout(_metadata, se, "space", kids[3], SE_BASE, 1, 1, 0);
	for (i = 0; i < 8; i++)
		se_check_pte(_metadata, se, kids[i], SE_ADDR(0), "swap", SE_ANY,
			     SE_ANY, SE_ANY, NULL);
	se_read(_metadata, se, kids[5], SE_ADDR(0), SC_TAG(3));
	se_audit(_metadata);
	ASSERT_EQ(walks, sc_stat(_metadata, "rmap_walks_all"));
	for (i = 0; i < 8; i++)
		se_destroy(_metadata, se, kids[i]);
	se_destroy(_metadata, se, s);
	SE_OK(se, "reclaim");
	se_check_used(_metadata, se, 0);
}

/* Every id taken: "space new" and fork give ENOSPC with a reason. */
TEST_F_TIMEOUT(scale, too_many_spaces, 900)
{
	struct se *se = &self->se;
	int *ids = calloc(SE_SPACES_MAX, sizeof(*ids)), i;

	ASSERT_NE(NULL, ids);
	for (i = 0; i < SE_SPACES_MAX; i++)
		ids[i] = se_space_new(_metadata, se);
	se_fail(_metadata, se, ENOSPC, "16384 spaces", "space new");
	se_fail(_metadata, se, ENOSPC, "fork failed", "space fork %d", ids[0]);
	se_destroy(_metadata, se, ids[10]);
	ids[10] = se_space_new(_metadata, se);
	se_fail(_metadata, se, ENOSPC, "16384 spaces", "space new");
	for (i = SE_SPACES_MAX; i-- > 0;)
		se_destroy(_metadata, se, ids[i]);
	se_check_used(_metadata, se, 0);
	free(ids);
}

TEST_F_TIMEOUT(scale, too_many_files, 900)
{
	struct se *se = &self->se;
	int *ids = calloc(SE_FILES_MAX, sizeof(*ids)), i;

	ASSERT_NE(NULL, ids);
	for (i = 0; i < SE_FILES_MAX; i++)
		ids[i] = se_file_new(_metadata, se, 1);
	se_fail(_metadata, se, ENOSPC, "16384 files", "file new 1");
	se_file_destroy(_metadata, se, ids[3]);
	ids[3] = se_file_new(_metadata, se, 1);
	se_fail(_metadata, se, ENOSPC, "16384 files", "file new 1");
	for (i = SE_FILES_MAX; i-- > 0;)
		se_file_destroy(_metadata, se, ids[i]);
	se_check_used(_metadata, se, 0);
	free(ids);
}

TEST_HARNESS_MAIN
