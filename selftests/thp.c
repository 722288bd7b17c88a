// SPDX-License-Identifier: GPL-2.0
/*
 * PMD swap entries of the 2018 THP swap series: a PMD-sized extent of
 * exclusive anonymous pages swapped out as one swp_entry_to_pmd() over a
 * huge cluster, __split_huge_swap_pmd() back to 512 swap ptes on a fault,
 * a partial zap or "space split-pmd", copy_huge_pmd() at fork with one
 * swap_duplicate(&entry, HPAGE_PMD_NR) (a count continuation when a slot
 * is at SWAP_MAP_MAX, a fallback to ptes once the cluster was split:
 * seed 000), and zap_huge_pmd() of the whole entry.
 *
 * Every test maps 1024 pages from SE_BASE (PMD-aligned), so the first 512
 * fill one PMD and the rest one more, and ends with every space destroyed,
 * slots_used at its baseline and a clean audit.
 */
#define _GNU_SOURCE
#include "st_engine.h"

/* The tag of page @i of the extent. */
#define THP_TAG(i)		(0x7a000ULL + (i))
#define THP_PAGES		(2 * ST_PMD_NR)

/* Pages and slots of a cluster a test looks at: both ends and a few between. */
static const unsigned int thp_probe[] = { 0, 1, 7, 255, 256, 510, 511 };

SE_FIXTURE(thp);

/* Write THP_TAG(i) to pages [from, to) of space @id. */
static void thp_fill(struct __test_metadata *_metadata, struct se *se, int id,
		     unsigned int from, unsigned int to)
{
	unsigned int i;

	for (i = from; i < to; i++)
		se_write(_metadata, se, id, SE_ADDR(i), THP_TAG(i));
}

/* "space swapout-pmd" of the first PMD of @id: the cluster's first slot. */
static unsigned long long thp_swapout(struct __test_metadata *_metadata,
				      struct se *se, int id)
{
	unsigned long long slot;

	SE_OK(se, "space swapout-pmd %d 0x%llx", id, SE_BASE);
	slot = ST_GET(se->r, "slot");
	ASSERT_TRUE(slot && slot % ST_PMD_NR == 0 &&
		    ST_GET(se->r, "nr") == ST_PMD_NR) {
		TH_LOG("'space swapout-pmd %d 0x%llx' -> '%s'", id, SE_BASE, se->r);
		TH_LOG("want a non-zero slot, a multiple of %d, and nr=%d", ST_PMD_NR,
		       ST_PMD_NR);
	}
	return slot;
}

/* A new space of THP_PAGES anonymous pages, its first PMD swapped out. */
static int thp_space(struct __test_metadata *_metadata, struct se *se,
		     unsigned long long *slot)
{
	int id = se_space_map(_metadata, se, THP_PAGES, "anon");

	thp_fill(_metadata, se, id, 0, ST_PMD_NR);
	*slot = thp_swapout(_metadata, se, id);
	return id;
}

/*
 * The entry of @id at page @i: a PMD swap entry of @slot when @pmd, else
 * a swap pte of slot @slot + @i (no level= field).
 */
static void thp_check_entry(struct __test_metadata *_metadata, struct se *se,
			    int id, unsigned int i, unsigned long long slot, bool pmd)
{
	unsigned long long want = pmd ? slot : slot + i;
	char level[16] = "";
	struct se_pte p;

	se_check_pte(_metadata, se, id, SE_ADDR(i), "swap", want, SE_ANY, SE_ANY, &p);
	st_field_str(p.reply, "level", level, sizeof(level));
	ASSERT_TRUE(pmd ? !strcmp(level, "pmd") && st_field(p.reply, "nr") == ST_PMD_NR :
		    !*level) {
		TH_LOG("space %d page %u: want %s, got '%s'", id, i,
		       pmd ? "level=pmd nr=512" : "a pte (no level=)", p.reply);
	}
}

/* Every probed page of @id's first PMD, as thp_check_entry(). */
static void thp_check_entries(struct __test_metadata *_metadata, struct se *se,
			      int id, unsigned long long slot, bool pmd)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(thp_probe); i++)
		thp_check_entry(_metadata, se, id, thp_probe[i], slot, pmd);
}

/* Slot @slot: @count map references, no cache, in a cluster @cluster. */
static void thp_check_slot(struct __test_metadata *_metadata, struct se *se,
			   unsigned long long slot, unsigned long long count,
			   const char *cluster)
{
	struct st_slot q;

	st_query(_metadata, se->fd, slot, &q);
	ASSERT_TRUE(q.count == count && q.map == count && !q.cache &&
		    !q.continued && !strcmp(q.cluster, cluster)) {
		TH_LOG("slot %llu: want map=count=%llu cache=0 cluster=%s, got '%s'",
		       slot, count, cluster, q.reply);
	}
}

/* Every probed slot of the cluster from @slot, as thp_check_slot(). */
static void thp_check_cluster(struct __test_metadata *_metadata, struct se *se,
			      unsigned long long slot, unsigned long long count,
			      const char *cluster)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(thp_probe); i++)
		thp_check_slot(_metadata, se, slot + thp_probe[i], count, cluster);
}

static void thp_check_huge(struct __test_metadata *_metadata, struct se *se,
			   long long delta)
{
	struct st_stats now;

	st_stats_read(_metadata, &now);
	ASSERT_EQ(se->base.clusters_huge + delta, now.clusters_huge) {
		TH_LOG("clusters_huge %llu, want the baseline %llu %+lld",
		       now.clusters_huge, se->base.clusters_huge, delta);
	}
}

TEST_F(thp, swapout_one_pmd_entry)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s;

	s = thp_space(_metadata, se, &slot);

	/* One PMD entry for the whole extent; one count on every slot. */
	thp_check_entries(_metadata, se, s, slot, true);
	thp_check_cluster(_metadata, se, slot, 1, "huge");
	se_check_pte(_metadata, se, s, SE_ADDR(ST_PMD_NR), "none", SE_ANY, SE_ANY,
		     SE_ANY, NULL);
	se_check_used(_metadata, se, ST_PMD_NR);
	thp_check_huge(_metadata, se, 1);
	se_audit(_metadata);

	/* The fault splits the entry (do_huge_pmd_swap_page() falls back). */
	se_read(_metadata, se, s, SE_ADDR(5), THP_TAG(5));
	se_check_pte(_metadata, se, s, SE_ADDR(5), "present", SE_ANY, 0, 0, NULL);
	se_check_slot(_metadata, se, slot + 5, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	thp_check_entry(_metadata, se, s, 4, slot, false);
	thp_check_entry(_metadata, se, s, 6, slot, false);
	thp_check_entries(_metadata, se, s, slot, false);
	thp_check_slot(_metadata, se, slot + 6, 1, "huge");
	se_read(_metadata, se, s, SE_ADDR(0), THP_TAG(0));
	se_read(_metadata, se, s, SE_ADDR(511), THP_TAG(511));
	se_read(_metadata, se, s, SE_ADDR(300), THP_TAG(300));
	se_check_used(_metadata, se, ST_PMD_NR);
	se_audit(_metadata);

	/* A write on the swapped-in page frees its slot (folio_free_swap()). */
	se_write(_metadata, se, s, SE_ADDR(5), 0x5555);
	se_check_free(_metadata, se, slot + 5);
	se_check_used(_metadata, se, ST_PMD_NR - 1);
	se_audit(_metadata);

	/* exit_mmap(): the read pages stay in the swap cache until reclaim. */
	se_destroy(_metadata, se, s);
	se_reclaim(_metadata, se, 3);
	se_check_free(_metadata, se, slot);
	se_check_free(_metadata, se, slot + 511);
	thp_check_slot(_metadata, se, slot, 0, "free");
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(thp, split_pmd_keeps_counts)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s;

	s = thp_space(_metadata, se, &slot);

	/* Any address under the entry names it; the counts do not change. */
	SE_OK(se, "space split-pmd %d 0x%llx", s, SE_ADDR(100));
	thp_check_entries(_metadata, se, s, slot, false);
	thp_check_entry(_metadata, se, s, 100, slot, false);
	thp_check_cluster(_metadata, se, slot, 1, "huge");
	se_check_used(_metadata, se, ST_PMD_NR);
	se_audit(_metadata);

	se_fail(_metadata, se, ENOENT, "no PMD swap entry",
		"space split-pmd %d 0x%llx", s, SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "no PMD swap entry",
		"space split-pmd %d 0x%llx", s, SE_ADDR(ST_PMD_NR));
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space split-pmd %d 0x%llx", s,
		SE_ADDR(THP_PAGES));

	se_read(_metadata, se, s, SE_ADDR(100), THP_TAG(100));
	se_write(_metadata, se, s, SE_ADDR(100), 0x100100);
	se_check_free(_metadata, se, slot + 100);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(thp, fork_copies_pmd)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, c;

	s = thp_space(_metadata, se, &slot);

	/* copy_huge_pmd(): one duplicate covers every slot. */
	c = se_fork(_metadata, se, s);
	thp_check_entries(_metadata, se, c, slot, true);
	thp_check_entries(_metadata, se, s, slot, true);
	thp_check_cluster(_metadata, se, slot, 2, "huge");
	se_check_used(_metadata, se, ST_PMD_NR);
	se_audit(_metadata);

	/* Each space splits its own entry; both read the data. */
	se_read(_metadata, se, c, SE_ADDR(3), THP_TAG(3));
	thp_check_entries(_metadata, se, s, slot, true);
	thp_check_entry(_metadata, se, c, 4, slot, false);
	se_check_slot(_metadata, se, slot + 3, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, 0);
	se_read(_metadata, se, s, SE_ADDR(3), THP_TAG(3));
	se_check_slot(_metadata, se, slot + 3, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_read(_metadata, se, c, SE_ADDR(400), THP_TAG(400));
	se_read(_metadata, se, s, SE_ADDR(511), THP_TAG(511));
	thp_check_slot(_metadata, se, slot + 7, 2, "huge");
	se_audit(_metadata);

	/* The child's write copies; the parent keeps its data. */
	se_write(_metadata, se, c, SE_ADDR(3), 0x333);
	se_read(_metadata, se, s, SE_ADDR(3), THP_TAG(3));
	se_read(_metadata, se, c, SE_ADDR(3), 0x333);
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	thp_check_slot(_metadata, se, slot + 7, 1, "huge");
	se_check_slot(_metadata, se, slot + 400, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, 0);
	se_audit(_metadata);

	/*
	 * The parent's swap pte was the last reference to slot + 400:
	 * free_swap_and_cache() takes the unmapped cache page with it.  The
	 * pages of slot + 3 and slot + 511 went with present ptes: stranded.
	 */
	se_destroy(_metadata, se, s);
	se_check_free(_metadata, se, slot + 400);
	se_check_slot(_metadata, se, slot + 3, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_check_slot(_metadata, se, slot + 511, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_reclaim(_metadata, se, 2);
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(thp, destroy_frees_pmd)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, c;

	s = thp_space(_metadata, se, &slot);
	c = se_fork(_metadata, se, s);
	thp_check_cluster(_metadata, se, slot, 2, "huge");

	/* zap_huge_pmd() from exit_mmap(): one count off every slot. */
	se_destroy(_metadata, se, s);
	thp_check_entries(_metadata, se, c, slot, true);
	thp_check_cluster(_metadata, se, slot, 1, "huge");
	se_check_used(_metadata, se, ST_PMD_NR);
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	thp_check_cluster(_metadata, se, slot, 0, "free");
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(thp, fork_split_cluster_falls_back)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, c, d;

	s = thp_space(_metadata, se, &slot);

	/* split_swap_cluster(): the PMD entry stays, its cluster is normal. */
	SE_OK(se, "slot split %llu", slot);
	thp_check_entries(_metadata, se, s, slot, true);
	thp_check_cluster(_metadata, se, slot, 1, "normal");
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
	ST_ERR(ENOTDIR, se->fd, se->r, "slot dup-pmd %llu", slot);

	/* -ENOTDIR: the parent's entry is split and copied as ptes. */
	c = se_fork(_metadata, se, s);
	thp_check_entries(_metadata, se, c, slot, false);
	thp_check_entries(_metadata, se, s, slot, false);
	thp_check_cluster(_metadata, se, slot, 2, "normal");
	se_audit(_metadata);

	d = se_fork(_metadata, se, s);
	thp_check_entries(_metadata, se, d, slot, false);
	thp_check_cluster(_metadata, se, slot, 3, "normal");
	se_check_used(_metadata, se, ST_PMD_NR);
	se_audit(_metadata);

	/* do_wp_page() copies: the slot keeps the other two and the cache. */
	se_write(_metadata, se, d, SE_ADDR(9), 0x999);
	se_check_slot(_metadata, se, slot + 9, SE_ANY, 2, SE_ANY, 0, 0);
	se_read(_metadata, se, c, SE_ADDR(8), THP_TAG(8));
	se_read(_metadata, se, d, SE_ADDR(9), 0x999);
	se_read(_metadata, se, s, SE_ADDR(9), THP_TAG(9));
	se_audit(_metadata);

	/*
	 * slot + 8 goes with the parent's swap pte (free_swap_and_cache()),
	 * slot + 9 with the parent's present pte: stranded until reclaim.
	 */
	se_destroy(_metadata, se, d);
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_check_free(_metadata, se, slot + 8);
	se_check_slot(_metadata, se, slot + 9, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_reclaim(_metadata, se, 1);
	se_check_used(_metadata, se, 0);
	thp_check_slot(_metadata, se, slot, 0, "free");
	se_audit(_metadata);
}

TEST_F(thp, fork_pmd_needs_continuation)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct st_stats s0, s1;
	struct st_slot q;
	int s, c;

	/* No continuation page yet on the map page of any slot. */
	se_fresh_device(_metadata, se);
	s = thp_space(_metadata, se, &slot);
	SE_OK(se, "slot dup %llu %d", slot + 7, ST_SWAP_MAP_MAX - 1);
	ASSERT_EQ((unsigned long long)ST_SWAP_MAP_MAX, ST_GET(se->r, "count"));
	st_query(_metadata, se->fd, slot + 7, &q);
	ASSERT_TRUE(q.map == ST_SWAP_MAP_MAX && !q.continued && !q.conts) {
		TH_LOG("slot %llu: want map=0x3e continued=0 conts=0, got '%s'",
		       slot + 7, q.reply);
	}
	st_stats_read(_metadata, &s0);

	/*
	 * The duplicate of the PMD gets -ENOMEM at slot + 7, rolls back the
	 * slots before it, and swap_duplicate() adds a continuation with
	 * GFP_ATOMIC under the table locks (GFP_KERNEL outside them, had that
	 * failed) and retries the whole entry.
	 */
	c = se_fork(_metadata, se, s);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 1, s1.cont_alloc);
	ASSERT_EQ(s0.cont_unused, s1.cont_unused);
	ASSERT_EQ(s0.cont_live + 1, s1.cont_live);
	thp_check_entries(_metadata, se, c, slot, true);
	thp_check_entries(_metadata, se, s, slot, true);
	se_check_slot(_metadata, se, slot + 7, ST_COUNT_CONTINUED,
		      ST_SWAP_MAP_MAX + 1, 0, 1, 0);
	thp_check_slot(_metadata, se, slot + 6, 2, "huge");
	thp_check_slot(_metadata, se, slot + 8, 2, "huge");
	thp_check_slot(_metadata, se, slot, 2, "huge");
	thp_check_slot(_metadata, se, slot + 511, 2, "huge");

	/* Back to the references the two entries hold: a clean audit. */
	SE_OK(se, "slot free %llu %d", slot + 7, ST_SWAP_MAP_MAX - 1);
	ASSERT_EQ(2ULL, ST_GET(se->r, "count"));
	se_audit(_metadata);

	/* The continuation page stays until swapoff, as in the kernel. */
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	st_stats_read(_metadata, &s0);
	ASSERT_EQ(s1.cont_live, s0.cont_live);
	se_audit(_metadata);
}

TEST_F(thp, zap_whole_pmd)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, i;

	s = thp_space(_metadata, se, &slot);
	SE_OK(se, "space zap %d 0x%llx %d", s, SE_BASE, ST_PMD_NR);
	ASSERT_EQ((unsigned long long)ST_PMD_NR, ST_GET(se->r, "zapped"));
	for (i = 0; i < (int)ARRAY_SIZE(thp_probe); i++)
		se_check_pte(_metadata, se, s, SE_ADDR(thp_probe[i]), "none", SE_ANY,
			     SE_ANY, SE_ANY, NULL);
	thp_check_cluster(_metadata, se, slot, 0, "free");
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);

	/* Zapped anonymous memory reads zeroes. */
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_read(_metadata, se, s, SE_ADDR(511), 0);

	/* A range beyond the entry zaps it too, nothing more. */
	thp_fill(_metadata, se, s, 0, ST_PMD_NR);
	slot = thp_swapout(_metadata, se, s);
	SE_OK(se, "space zap %d 0x%llx %d", s, SE_BASE, THP_PAGES);
	ASSERT_EQ((unsigned long long)ST_PMD_NR, ST_GET(se->r, "zapped"));
	thp_check_cluster(_metadata, se, slot, 0, "free");
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(thp, zap_partial_splits)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, i;

	s = thp_space(_metadata, se, &slot);

	/* zap_huge_pmd() on part of the entry: split, then the ptes go. */
	SE_OK(se, "space zap %d 0x%llx 4", s, SE_ADDR(10));
	ASSERT_EQ(4ULL, ST_GET(se->r, "zapped"));
	for (i = 10; i < 14; i++) {
		se_check_pte(_metadata, se, s, SE_ADDR(i), "none", SE_ANY, SE_ANY,
			     SE_ANY, NULL);
		se_check_free(_metadata, se, slot + i);
	}
	thp_check_entry(_metadata, se, s, 9, slot, false);
	thp_check_entry(_metadata, se, s, 14, slot, false);
	thp_check_entries(_metadata, se, s, slot, false);
	thp_check_slot(_metadata, se, slot + 9, 1, "huge");
	thp_check_slot(_metadata, se, slot + 14, 1, "huge");
	se_check_used(_metadata, se, ST_PMD_NR - 4);
	se_audit(_metadata);

	se_read(_metadata, se, s, SE_ADDR(10), 0);
	se_read(_metadata, se, s, SE_ADDR(14), THP_TAG(14));
	se_read(_metadata, se, s, SE_ADDR(9), THP_TAG(9));
	se_audit(_metadata);

	/* The rest, now ptes: all but the three zapped before and refaulted. */
	SE_OK(se, "space zap %d 0x%llx %d", s, SE_BASE, ST_PMD_NR);
	ASSERT_EQ((unsigned long long)ST_PMD_NR - 3, ST_GET(se->r, "zapped"));
	se_reclaim(_metadata, se, 2);
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_audit(_metadata);
}

TEST_F(thp, swapout_pmd_refused)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s, c;

	s = se_space_map(_metadata, se, THP_PAGES, "anon");
	thp_fill(_metadata, se, s, 0, ST_PMD_NR - 1);

	/* Page 511 was never touched: not a THP. */
	se_fail(_metadata, se, ENOENT, "not every page",
		"space swapout-pmd %d 0x%llx", s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "not every page",
		"space swapout-pmd %d 0x%llx", s, SE_ADDR(ST_PMD_NR));
	se_fail(_metadata, se, EINVAL, "not PMD-aligned",
		"space swapout-pmd %d 0x%llx", s, SE_ADDR(1));
	se_fail(_metadata, se, EINVAL, "not PMD-aligned",
		"space swapout-pmd %d 0x%llx", s, SE_ADDR(ST_PMD_NR - 1));
	se_fail(_metadata, se, EFAULT, "SIGSEGV",
		"space swapout-pmd %d 0x%llx", s, SE_ADDR(THP_PAGES));
	se_write(_metadata, se, s, SE_ADDR(ST_PMD_NR - 1), THP_TAG(ST_PMD_NR - 1));

	/* One page on swap: not present. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(3), 1, 1, 0);
	se_fail(_metadata, se, ENOENT, "not every page",
		"space swapout-pmd %d 0x%llx", s, SE_BASE);
	se_write(_metadata, se, s, SE_ADDR(3), THP_TAG(3));
	se_check_used(_metadata, se, 0);

	/* Shared with a fork child, not yet COWed: the pages are not exclusive. */
	c = se_fork(_metadata, se, s);
	se_fail(_metadata, se, EBUSY, "shared",
		"space swapout-pmd %d 0x%llx", s, SE_BASE);
	se_fail(_metadata, se, EBUSY, "shared",
		"space swapout-pmd %d 0x%llx", c, SE_BASE);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(511), "present", SE_ANY, 0, 0, NULL);
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);

	/* Exclusive again once the child is gone. */
	se_destroy(_metadata, se, c);
	slot = thp_swapout(_metadata, se, s);
	thp_check_entries(_metadata, se, s, slot, true);
	thp_check_cluster(_metadata, se, slot, 1, "huge");
	se_fail(_metadata, se, ENOENT, "not every page",
		"space swapout-pmd %d 0x%llx", s, SE_BASE);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	thp_check_huge(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * A THP lies within one vma (transhuge_vma_suitable(); a vma split splits
 * the huge PMD first).  Here the extent is mapped by two adjacent anonymous
 * mappings: whether swapout-pmd takes it or not, fork must give the child
 * every page, and the audit must stay clean.
 */
TEST_F(thp, pmd_across_two_mappings)
{
	struct se *se = &self->se;
	int s, c, err;

	s = se_space_map(_metadata, se, ST_PMD_NR / 2, "anon");
	SE_OK(se, "space map %d 0x%llx %d", s, SE_ADDR(ST_PMD_NR / 2), ST_PMD_NR / 2);
	thp_fill(_metadata, se, s, 0, ST_PMD_NR);
	/* a THP lies within one mapping: the extent is refused */
	err = st_cmd(_metadata, se->fd, se->r, "space swapout-pmd %d 0x%llx", s, SE_BASE);
	ASSERT_EQ(EINVAL, err) {
		TH_LOG("swapout-pmd over two mappings: '%s'", se->r);
	}
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	/* Each vma's copy_range() must copy its half of the extent. */
	c = se_fork(_metadata, se, s);
	se_read(_metadata, se, c, SE_ADDR(0), THP_TAG(0));
	se_read(_metadata, se, c, SE_ADDR(300), THP_TAG(300));
	se_read(_metadata, se, s, SE_ADDR(1), THP_TAG(1));
	se_read(_metadata, se, s, SE_ADDR(301), THP_TAG(301));
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	SE_OK(se, "reclaim");
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
