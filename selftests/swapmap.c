// SPDX-License-Identifier: GPL-2.0
/*
 * The swaptrack swap map against mm/swapfile.c: SWAP_HAS_CACHE, the count
 * encoding with its continuation pages (__swap_duplicate(),
 * swap_count_continued(), add_swap_count_continuation()), PMD clusters of the
 * 2018 THP swap series, bad slots, swapoff/swapon and the entry encoding.
 *
 * The count digits: the map byte holds 0..SWAP_MAP_MAX (base 63); each
 * continuation page holds one more digit, 0..SWAP_CONT_MAX (base 128).  The
 * continuation pages hang off the swap_map page, not off one slot, and are
 * only freed by swapoff: tests that count allocations start from a freshly
 * swapped-on device.
 *
 * Every test frees what it allocated; the teardown checks that slots_used is
 * back at its value before the test, and scrubs the test's slots if not.
 */
#define _GNU_SOURCE
#include <stdlib.h>

#include "st_engine.h"

SE_FIXTURE(swapmap);

TEST_F(swapmap, alloc_query_uncache)
{
	struct se *se = &self->se;
	unsigned long long s, s2, gen, gen2;
	struct st_stats st;
	struct st_slot q;

	s = se_alloc(_metadata, se, &gen);
	st_query(_metadata, se->fd, s, &q);
	ASSERT_TRUE(q.map == ST_SWAP_HAS_CACHE && q.count == 0 && q.cache == 1 &&
		    q.bad == 0 && q.continued == 0 && q.gen == gen &&
		    strcmp(q.cluster, "free")) {
		TH_LOG("new slot %llu: want map=0x40 count=0 cache=1 bad=0 continued=0", s);
		TH_LOG("gen=%llu (as alloc said) and a cluster that is not free", gen);
		TH_LOG("got '%s'", q.reply);
	}
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.slots_used + 1, st.slots_used);

	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.slots_used, st.slots_used);

	/* Lowest free first: the same slot again, as a new generation. */
	s2 = se_alloc(_metadata, se, &gen2);
	if (s2 == s) {
		ASSERT_LT(gen, gen2) {
			TH_LOG("slot %llu reallocated with gen %llu after gen %llu", s, gen2, gen);
		}
	} else {
		ksft_print_msg("second alloc gave slot %llu, not %llu: gen check skipped\n",
			       s2, s);
	}
	ST_OK(se->fd, se->r, "slot uncache %llu", s2);
	se_check_free(_metadata, se, s2);
}

TEST_F(swapmap, counts_up_to_map_max)
{
	struct se *se = &self->se;
	struct st_stats s0, s1;
	unsigned long long s;
	struct st_slot q;

	se_fresh_device(_metadata, se);
	st_stats_read(_metadata, &s0);
	s = se_alloc(_metadata, se, NULL);

	/* 1..SWAP_MAP_MAX live in the map byte alone. */
	se_dup(_metadata, se, "dup", s, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX,
		      ST_SWAP_MAP_MAX, 1, 0, SE_ANY);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc, s1.cont_alloc) {
		TH_LOG("a count of SWAP_MAP_MAX allocated a continuation page");
	}

	/* One more: -ENOMEM, add_swap_count_continuation(), retry. */
	se_dup(_metadata, se, "dup", s, 1, ST_SWAP_MAP_MAX + 1);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED, ST_SWAP_MAP_MAX + 1,
		      1, 1, SE_ANY);
	st_query(_metadata, se->fd, s, &q);
	ASSERT_EQ(1ULL, q.conts);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 1, s1.cont_alloc);
	ASSERT_EQ(s0.cont_live + 1, s1.cont_live);

	/* Back below: the last continuation digit is gone, COUNT_CONTINUED too. */
	se_dup(_metadata, se, "free", s, 1, ST_SWAP_MAP_MAX);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX,
		      ST_SWAP_MAP_MAX, 1, 0, SE_ANY);
	se_dup(_metadata, se, "free", s, ST_SWAP_MAP_MAX, 0);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);

	/* As in the kernel, only swapoff frees continuation pages. */
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_live + 1, s1.cont_live);
}

TEST_F(swapmap, dup_100000_then_swapoff)
{
	struct se *se = &self->se;
	struct st_stats s0, s1;
	unsigned long long s;
	struct st_slot q;

	se_fresh_device(_metadata, se);
	st_stats_read(_metadata, &s0);
	s = se_alloc(_metadata, se, NULL);

	/* 100000 = 19 + 63 * 1587, 1587 = 51 + 128 * 12: two continuation pages. */
	se_dup(_metadata, se, "dup", s, 100000, 100000);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED | 19,
		      100000, 1, 1, SE_ANY);
	st_query(_metadata, se->fd, s, &q);
	ASSERT_EQ(2ULL, q.conts) {
		TH_LOG("count 100000 needs 2 continuation pages: '%s'", q.reply);
	}
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 2, s1.cont_alloc);

	se_dup(_metadata, se, "free", s, 100000, 0);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);

	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_live + 2, s1.cont_live) {
		TH_LOG("continuation pages must stay until swapoff");
	}
	ASSERT_EQ(s0.cont_freed, s1.cont_freed);

	ST_OK(se->fd, se->r, "swapoff");
	ASSERT_EQ(s1.cont_live, ST_GET(se->r, "conts_freed")) {
		TH_LOG("'swapoff' -> '%s' with %llu continuation pages live", se->r,
		       s1.cont_live);
	}
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(0ULL, s1.swap_on);
	ASSERT_EQ(0ULL, s1.cont_live);
	ASSERT_EQ(s1.cont_alloc, s1.cont_freed);
	ST_OK(se->fd, se->r, "swapon");
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(1ULL, s1.swap_on);
}

/* One step of the walk across the digit boundaries. */
struct sm_step {
	const char *op;
	unsigned int n;
	unsigned int count;
	unsigned int map;	/* without SWAP_HAS_CACHE */
	unsigned int conts;	/* continuation pages allocated so far */
};

#define CONT	ST_COUNT_CONTINUED
#define MAX	ST_SWAP_MAP_MAX

static const struct sm_step sm_walk[] = {
	{ "dup",  MAX,		MAX,			MAX,		0 },
	{ "dup",  1,		63,			CONT | 0,	1 },
	{ "dup",  8000,		63 * 127 + MAX,		CONT | MAX,	1 },
	{ "dup",  1,		63 * 128,		CONT | 0,	2 },
	{ "dup",  5,		63 * 128 + 5,		CONT | 5,	2 },
	{ "free", 5,		63 * 128,		CONT | 0,	2 },
	{ "free", 1,		63 * 127 + MAX,		CONT | MAX,	2 },
	{ "free", MAX,		63 * 127,		CONT | 0,	2 },
	{ "free", 63 * 126,	63,			CONT | 0,	2 },
	{ "free", 1,		MAX,			MAX,		2 },
	{ "free", MAX,		0,			0,		2 },
};

TEST_F(swapmap, walk_digit_boundaries)
{
	struct se *se = &self->se;
	struct st_stats s0, s1;
	unsigned long long s;
	unsigned int i;

	se_fresh_device(_metadata, se);
	st_stats_read(_metadata, &s0);
	s = se_alloc(_metadata, se, NULL);

	for (i = 0; i < ARRAY_SIZE(sm_walk); i++) {
		const struct sm_step *w = &sm_walk[i];

		se_dup(_metadata, se, w->op, s, w->n, w->count);
		se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | w->map, w->count, 1,
			      !!(w->map & CONT), SE_ANY);
		st_stats_read(_metadata, &s1);
		ASSERT_EQ(s0.cont_alloc + w->conts, s1.cont_alloc) {
			TH_LOG("after 'slot %s %llu %u' (count %u)", w->op, s, w->n, w->count);
		}
		ASSERT_EQ(s0.cont_live + w->conts, s1.cont_live);
	}
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);
}

TEST_F(swapmap, has_cache_transitions)
{
	struct se *se = &self->se;
	unsigned long long s;

	s = se_alloc(_metadata, se, NULL);
	ST_ERR(EEXIST, se->fd, se->r, "slot cache %llu", s);
	/* Cache only, no map count: nothing for swap_free() to drop. */
	ST_ERR(EINVAL, se->fd, se->r, "slot free %llu", s);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);

	se_dup(_metadata, se, "dup", s, 1, 1);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, SE_ANY);
	/* Count back to 0 with the cache bit: the slot stays allocated. */
	se_dup(_metadata, se, "free", s, 1, 0);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);

	se_dup(_metadata, se, "dup", s, 1, 1);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_slot(_metadata, se, s, 1, 1, 0, 0, SE_ANY);
	ST_ERR(EINVAL, se->fd, se->r, "slot uncache %llu", s);
	/* swapcache_prepare() on a mapped slot outside the cache. */
	ST_OK(se->fd, se->r, "slot cache %llu", s);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, SE_ANY);
	ST_ERR(EEXIST, se->fd, se->r, "slot cache %llu", s);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);

	/* The last count goes without a cache bit: the slot is free. */
	se_dup(_metadata, se, "free", s, 1, 0);
	se_check_free(_metadata, se, s);
	ST_ERR(ENOENT, se->fd, se->r, "slot dup %llu", s);
	ST_ERR(ENOENT, se->fd, se->r, "slot free %llu", s);
	ST_ERR(ENOENT, se->fd, se->r, "slot cache %llu", s);
}

static const unsigned int sm_pmd_probe[] = { 0, 1, 7, 255, 256, 510, ST_PMD_NR - 1 };

static void sm_check_cluster(struct __test_metadata *_metadata, struct se *se,
			     unsigned long long s, long long map, long long count,
			     const char *cluster)
{
	unsigned int i;
	struct st_slot q;

	for (i = 0; i < ARRAY_SIZE(sm_pmd_probe); i++) {
		se_check_slot(_metadata, se, s + sm_pmd_probe[i], map, count, SE_ANY, 0, SE_ANY);
		st_query(_metadata, se->fd, s + sm_pmd_probe[i], &q);
		ASSERT_STREQ(cluster, q.cluster) {
			TH_LOG("slot %llu: '%s'", s + sm_pmd_probe[i], q.reply);
		}
	}
}

TEST_F(swapmap, pmd_cluster_lifecycle)
{
	struct se *se = &self->se;
	unsigned long long s;
	struct st_stats st;
	unsigned int i;

	s = se_alloc_pmd(_metadata, se);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.clusters_huge + 1, st.clusters_huge);
	ASSERT_EQ(se->base.slots_used + ST_PMD_NR, st.slots_used);
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, "huge");

	ST_OK(se->fd, se->r, "slot dup-pmd %llu", s);
	ASSERT_TRUE(ST_GET(se->r, "slot") == s && ST_GET(se->r, "nr") == ST_PMD_NR) {
		TH_LOG("'slot dup-pmd %llu' -> '%s'", s, se->r);
	}
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE | 1, 1, "huge");
	ST_ERR(EINVAL, se->fd, se->r, "slot dup-pmd %llu", s + 1);
	ST_ERR(EINVAL, se->fd, se->r, "slot free-pmd %llu", s + 1);
	ST_OK(se->fd, se->r, "slot free-pmd %llu", s);
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, "huge");

	ST_OK(se->fd, se->r, "slot dup-pmd %llu", s);
	ST_OK(se->fd, se->r, "slot split %llu", s + 3);
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE | 1, 1, "normal");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.clusters_huge, st.clusters_huge);
	/* The PMD paths of a split cluster fall back to PTEs. */
	ST_ERR(ENOTDIR, se->fd, se->r, "slot dup-pmd %llu", s);
	ST_ERR(ENOTDIR, se->fd, se->r, "slot free-pmd %llu", s);
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE | 1, 1, "normal");

	for (i = 0; i < ST_PMD_NR; i++)
		se_dup(_metadata, se, "free", s + i, 1, 0);
	sm_check_cluster(_metadata, se, s, ST_SWAP_HAS_CACHE, 0, "normal");
	for (i = 0; i < ST_PMD_NR; i++)
		ST_OK(se->fd, se->r, "slot uncache %llu", s + i);
	sm_check_cluster(_metadata, se, s, 0, 0, "free");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.slots_used, st.slots_used);
}

TEST_F(swapmap, pmd_dup_adds_continuation)
{
	struct se *se = &self->se;
	unsigned long long s;
	struct st_stats s0, s1;

	se_fresh_device(_metadata, se);
	s = se_alloc_pmd(_metadata, se);
	ST_OK(se->fd, se->r, "slot dup-pmd %llu", s);
	se_dup(_metadata, se, "dup", s + 7, ST_SWAP_MAP_MAX - 1, ST_SWAP_MAP_MAX);
	st_stats_read(_metadata, &s0);

	/* Slot s+7 needs a continuation: -ENOMEM for the whole PMD, add, retry. */
	ST_OK(se->fd, se->r, "slot dup-pmd %llu", s);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 1, s1.cont_alloc);
	ASSERT_EQ(s0.cont_unused, s1.cont_unused);
	se_check_slot(_metadata, se, s + 7, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED,
		      ST_SWAP_MAP_MAX + 1, 1, 1, SE_ANY);
	se_check_slot(_metadata, se, s + 6, ST_SWAP_HAS_CACHE | 2, 2, 1, 0, SE_ANY);
	se_check_slot(_metadata, se, s + 8, ST_SWAP_HAS_CACHE | 2, 2, 1, 0, SE_ANY);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | 2, 2, 1, 0, SE_ANY);
	se_check_slot(_metadata, se, s + ST_PMD_NR - 1, ST_SWAP_HAS_CACHE | 2, 2, 1, 0, SE_ANY);

	ST_OK(se->fd, se->r, "slot free-pmd %llu", s);
	ST_OK(se->fd, se->r, "slot free-pmd %llu", s);
	se_check_slot(_metadata, se, s + 7, ST_SWAP_HAS_CACHE | (ST_SWAP_MAP_MAX - 1),
		      ST_SWAP_MAP_MAX - 1, 1, 0, SE_ANY);
	se_check_slot(_metadata, se, s + 8, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);
	se_dup(_metadata, se, "free", s + 7, ST_SWAP_MAP_MAX - 1, 0);
	se_release_cluster(_metadata, se, s);
	se_check_slot(_metadata, se, s + 7, 0, 0, 0, 0, SE_ANY);
}

TEST_F(swapmap, cont_direct)
{
	struct se *se = &self->se;
	struct st_stats s0, s1;
	unsigned long long s;

	se_fresh_device(_metadata, se);
	s = se_alloc(_metadata, se, NULL);

	/* Count not at SWAP_MAP_MAX: the page is allocated, then freed unused. */
	st_stats_read(_metadata, &s0);
	ST_OK(se->fd, se->r, "slot cont %llu", s);
	ASSERT_EQ(0ULL, ST_GET(se->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_TRUE(s1.cont_unused == s0.cont_unused + 1 && s1.cont_alloc == s0.cont_alloc + 1 &&
		    s1.cont_freed == s0.cont_freed + 1 && s1.cont_live == s0.cont_live) {
		TH_LOG("'slot cont' at count 0: want unused, alloc, freed +1 and live same");
		TH_LOG("before:\n%s", s0.text);
		TH_LOG("after:\n%s", s1.text);
	}

	/* At SWAP_MAP_MAX with no continuation list yet: the page is attached. */
	se_dup(_metadata, se, "dup", s, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX);
	st_stats_read(_metadata, &s0);
	ST_OK(se->fd, se->r, "slot cont %llu", s);
	ASSERT_EQ(1ULL, ST_GET(se->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_TRUE(s1.cont_unused == s0.cont_unused && s1.cont_alloc == s0.cont_alloc + 1 &&
		    s1.cont_live == s0.cont_live + 1) {
		TH_LOG("'slot cont' at SWAP_MAP_MAX: want alloc, live +1 and unused same");
		TH_LOG("before:\n%s", s0.text);
		TH_LOG("after:\n%s", s1.text);
	}
	/* Attaching a page does not touch the map byte. */
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX,
		      ST_SWAP_MAP_MAX, 1, 0, SE_ANY);

	/* The next dup uses the attached page: nothing new allocated. */
	se_dup(_metadata, se, "dup", s, 1, ST_SWAP_MAP_MAX + 1);
	se_check_slot(_metadata, se, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED,
		      ST_SWAP_MAP_MAX + 1, 1, 1, SE_ANY);
	st_stats_read(_metadata, &s0);
	ASSERT_EQ(s1.cont_alloc, s0.cont_alloc);

	/* Map digit 0 with COUNT_CONTINUED is not SWAP_MAP_MAX: unused again. */
	ST_OK(se->fd, se->r, "slot cont %llu", s);
	ASSERT_EQ(0ULL, ST_GET(se->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_unused + 1, s1.cont_unused);
	ASSERT_EQ(s0.cont_live, s1.cont_live);

	se_dup(_metadata, se, "free", s, ST_SWAP_MAP_MAX + 1, 0);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);
}

TEST_F(swapmap, bad_slots)
{
	struct se *se = &self->se;
	unsigned long long s, s2;
	struct st_stats s0, s1;
	struct st_slot q;

	/* Slot 0 is the swap header page. */
	st_query(_metadata, se->fd, 0, &q);
	ASSERT_TRUE(q.bad == 1 && q.map == ST_SWAP_MAP_BAD && q.cache == 0) {
		TH_LOG("slot 0 must be bad (map=0x3f): '%s'", q.reply);
	}
	ASSERT_LE(1ULL, se->base.slots_bad);
	ST_ERR(ENOENT, se->fd, se->r, "slot dup 0");
	ST_ERR(ENOENT, se->fd, se->r, "slot free 0");
	ST_ERR(ENOENT, se->fd, se->r, "slot cache 0");

	/* The lowest free slot becomes a bad block. */
	s = se_alloc(_metadata, se, NULL);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
	st_stats_read(_metadata, &s0);
	ST_OK(se->fd, se->r, "slot bad %llu", s);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.slots_bad + 1, s1.slots_bad);
	ASSERT_EQ(s0.slots_used, s1.slots_used) {
		TH_LOG("a bad slot is not a used one");
	}
	st_query(_metadata, se->fd, s, &q);
	ASSERT_TRUE(q.bad == 1 && q.map == ST_SWAP_MAP_BAD && q.cache == 0 && q.count == 0) {
		TH_LOG("slot %llu marked bad: '%s'", s, q.reply);
	}
	ST_ERR(ENOENT, se->fd, se->r, "slot dup %llu", s);
	ST_ERR(ENOENT, se->fd, se->r, "slot free %llu", s);
	ST_ERR(ENOENT, se->fd, se->r, "slot cache %llu", s);

	s2 = se_alloc(_metadata, se, NULL);
	ASSERT_NE(s, s2) {
		TH_LOG("'slot alloc' returned bad slot %llu", s);
	}
	ST_ERR(EBUSY, se->fd, se->r, "slot bad %llu", s2);
	se_check_slot(_metadata, se, s2, ST_SWAP_HAS_CACHE, 0, 1, 0, SE_ANY);
	ST_OK(se->fd, se->r, "slot uncache %llu", s2);
}

TEST_F(swapmap, swapoff_busy_and_off)
{
	struct se *se = &self->se;
	unsigned long long s;
	struct st_stats st;

	s = se_alloc(_metadata, se, NULL);
	ST_ERR(EBUSY, se->fd, se->r, "swapoff");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(1ULL, st.swap_on);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);

	ST_OK(se->fd, se->r, "swapoff");
	ST_GET(se->r, "conts_freed");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(0ULL, st.swap_on);
	ASSERT_EQ(0ULL, st.cont_live);
	ST_ERR(ENODEV, se->fd, se->r, "slot alloc");
	ST_ERR(ENODEV, se->fd, se->r, "slot alloc-pmd");

	ST_OK(se->fd, se->r, "swapon");
	s = se_alloc(_metadata, se, NULL);
	ST_OK(se->fd, se->r, "slot uncache %llu", s);
}

/*
 * The errnos of Documentation/protocol.md: ENODEV "swap is off", EBUSY "device in use".  A second
 * swapoff finds swap off; a second swapon finds the device in use (as
 * swapon(2) of an active device says EBUSY).
 */
TEST_F(swapmap, swapoff_swapon_twice)
{
	struct se *se = &self->se;

	ST_OK(se->fd, se->r, "swapoff");
	ST_ERR(ENODEV, se->fd, se->r, "swapoff");
	ST_OK(se->fd, se->r, "swapon");
	ST_ERR(EBUSY, se->fd, se->r, "swapon");
}

TEST_F_TIMEOUT(swapmap, enospc_clusters, 600)
{
	struct se *se = &self->se;
	unsigned long long nclusters = se->base.nr_slots / ST_PMD_NR;
	unsigned long long c, s, nfree = 0, got = 0;
	struct st_stats st;
	struct st_slot q;
	char *seen;

	seen = calloc(nclusters, 1);
	ASSERT_NE(NULL, seen);
	for (c = 0; c < nclusters; c++) {
		st_query(_metadata, se->fd, c * ST_PMD_NR, &q);
		if (!strcmp(q.cluster, "free"))
			nfree++;
		else if (c == 0)
			continue;
		else
			ksft_print_msg("cluster %llu is not free: %s\n", c, q.reply);
	}
	st_query(_metadata, se->fd, 0, &q);
	ASSERT_STRNE("free", q.cluster) {
		TH_LOG("cluster 0 holds bad slot 0, it cannot be free: '%s'", q.reply);
	}

	for (;;) {
		int err = st_cmd(_metadata, se->fd, se->r, "slot alloc-pmd");

		if (err == ENOSPC)
			break;
		ASSERT_EQ(0, err) {
			TH_LOG("'slot alloc-pmd' -> '%s' after %llu clusters", se->r, got);
		}
		s = ST_GET(se->r, "slot");
		se_own_slots(_metadata, se, s, ST_PMD_NR);
		ASSERT_TRUE(s % ST_PMD_NR == 0 && s / ST_PMD_NR < nclusters &&
			    !seen[s / ST_PMD_NR]) {
			TH_LOG("'slot alloc-pmd' -> '%s': unaligned, out of range or given twice",
			       se->r);
		}
		seen[s / ST_PMD_NR] = 1;
		got++;
	}
	ASSERT_EQ(nfree, got) {
		TH_LOG("%llu clusters queried free, %llu allocated before ENOSPC", nfree, got);
	}
	ST_ERR(ENOSPC, se->fd, se->r, "slot alloc-pmd");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.clusters_huge + got, st.clusters_huge);
	ASSERT_EQ(se->base.slots_used + got * ST_PMD_NR, st.slots_used);

	for (c = 0; c < nclusters; c++)
		if (seen[c])
			se_release_cluster(_metadata, se, c * ST_PMD_NR);
	free(seen);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.clusters_huge, st.clusters_huge);
	ASSERT_EQ(se->base.slots_used, st.slots_used);
}

/*
 * The order st_swap_alloc() hands slots out in: a partly used cluster
 * before a free one, and in it the lowest free slot.  With the map full, a
 * slot freed inside a full cluster, a lower one after it, and a freed
 * cluster are each found again, lowest first.
 */
static unsigned long long sm_alloc(struct __test_metadata *_metadata,
				   struct se *se, const char *cmd)
{
	int err = st_cmd(_metadata, se->fd, se->r, "%s", cmd);

	if (err == ENOSPC)
		return ~0ULL;
	EXPECT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", cmd, se->r);
	}
	return err ? ~0ULL : ST_GET(se->r, "slot");
}

TEST_F_TIMEOUT(swapmap, alloc_order, 600)
{
	struct se *se = &self->se;
	unsigned long long nclusters = se->base.nr_slots / ST_PMD_NR;
	unsigned long long *huge, *single, s, h;
	unsigned int nhuge = 0, nsingle = 0, i;
	struct st_stats st;

	huge = calloc(nclusters, sizeof(*huge));
	single = calloc(se->base.nr_slots, sizeof(*single));
	ASSERT_TRUE(huge && single);
	while ((s = sm_alloc(_metadata, se, "slot alloc-pmd")) != ~0ULL)
		huge[nhuge++] = s;
	/* the partly used clusters fill up in order, lowest slot first */
	while ((s = sm_alloc(_metadata, se, "slot alloc")) != ~0ULL) {
		ASSERT_TRUE(!nsingle || s > single[nsingle - 1]) {
			TH_LOG("slot %llu handed out after %llu", s, single[nsingle - 1]);
		}
		single[nsingle++] = s;
	}
	ASSERT_LT(20U, nsingle);
	ASSERT_LT(1U, nhuge);

	/* freed in a full cluster, the higher first: the lower comes back first */
	SE_OK(se, "slot uncache %llu", single[20]);
	SE_OK(se, "slot uncache %llu", single[10]);
	ASSERT_EQ(single[10], sm_alloc(_metadata, se, "slot alloc"));
	ASSERT_EQ(single[20], sm_alloc(_metadata, se, "slot alloc"));

	/* a freed cluster, no partly used one left: its first slot, then on */
	h = huge[0];
	for (i = 1; i < nhuge; i++)
		h = h < huge[i] ? h : huge[i];
	se_release_cluster(_metadata, se, h);
	ASSERT_EQ(h, sm_alloc(_metadata, se, "slot alloc"));
	ASSERT_EQ(h + 1, sm_alloc(_metadata, se, "slot alloc"));
	SE_OK(se, "slot uncache %llu", h);
	SE_OK(se, "slot uncache %llu", h + 1);

	for (i = 0; i < nsingle; i++)
		SE_OK(se, "slot uncache %llu", single[i]);
	for (i = 0; i < nhuge; i++)
		if (huge[i] != h)
			se_release_cluster(_metadata, se, huge[i]);
	free(huge);
	free(single);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(se->base.slots_used, st.slots_used);
	ASSERT_EQ(se->base.clusters_huge, st.clusters_huge);
}

/*
 * The logical entry and its pte and pmd; the arch's pte layout itself is
 * checked by pgtable.c.
 */
TEST_F(swapmap, entry_encoding)
{
	struct se *se = &self->se;
	unsigned long long slots[] = { 1, 12345, se->base.nr_slots - 1 };
	unsigned long long entry, pte, pmd;
	unsigned int i;

	/* The kernel's swp_entry_t: type above BITS_PER_XA_VALUE - 5 = 58. */
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		if (slots[i] >= se->base.nr_slots)
			continue;
		ST_OK(se->fd, se->r, "slot entry %llu", slots[i]);
		entry = ST_GET(se->r, "entry");
		pte = ST_GET(se->r, "pte");
		pmd = ST_GET(se->r, "pmd");
		ASSERT_TRUE(ST_GET(se->r, "slot") == slots[i] &&
			    ST_GET(se->r, "type") == ST_SWAP_TYPE &&
			    ST_GET(se->r, "offset") == slots[i] &&
			    entry == ((unsigned long long)ST_SWAP_TYPE << 58 | slots[i])) {
			TH_LOG("'slot entry %llu' -> '%s'", slots[i], se->r);
		}
		ASSERT_NE(0ULL, pmd) {
			TH_LOG("swp_entry_to_pmd() is 0: THP migration off? '%s'", se->r);
		}
		/* x86-64 and arm64 build both from the same __swp_entry() */
		ASSERT_EQ(pte, pmd) {
			TH_LOG("'%s': __swp_entry_to_pmd() and _pte() differ", se->r);
		}
	}
	ST_ERR(EINVAL, se->fd, se->r, "slot entry %llu", se->base.nr_slots);
}

TEST_HARNESS_MAIN
