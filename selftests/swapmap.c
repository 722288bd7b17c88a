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

#include "st_ctl.h"

/* Don't-care value for sm_check(). */
#define ANY		(-1LL)

struct sm_range {
	unsigned long long slot;
	unsigned int nr;
};

/* Every cluster of the largest device, plus single slots. */
#define SM_OWN_MAX	(ST_SLOTS_MAX / ST_PMD_NR + 64)

/*
 * The fixture's state, in a named struct so the helpers can take it.  It is
 * shared with the teardown, which runs in the parent (see st_ctl.h): what the
 * test allocated is recorded here, not in the test process's heap.
 */
struct sm {
	int fd;
	struct st_stats base;
	char r[ST_REPLY_BUF];
	unsigned int nown, maxown;
	struct sm_range own[SM_OWN_MAX];
};

FIXTURE(swapmap)
{
	struct sm sm;
};

FIXTURE_SETUP(swapmap)
{
	struct sm *sm = &self->sm;

	sm->fd = st_open_ctl();
	if (sm->fd == -ENOENT)
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	ASSERT_LE(0, sm->fd) {
		TH_LOG("open %s: %s", ST_CTL_PATH, strerror(-sm->fd));
	}
	st_stats_read(_metadata, &sm->base);
	if (!sm->base.swap_on) {
		ksft_print_msg("swap was left off by an earlier test: swapon\n");
		ST_OK(sm->fd, sm->r, "swapon");
		st_stats_read(_metadata, &sm->base);
	}
	sm->nown = 0;
	sm->maxown = SM_OWN_MAX;
}

FIXTURE_TEARDOWN_PARENT(swapmap)
{
	struct sm *sm = &self->sm;
	struct st_stats now;
	unsigned int i, j;

	/* This may be another process than the test's: a descriptor of its own. */
	sm->fd = st_open_ctl();
	ASSERT_LE(0, sm->fd);
	st_stats_read(_metadata, &now);
	if (!now.swap_on)
		st_cmd(_metadata, sm->fd, sm->r, "swapon");
	/* The final check of every test: nothing left allocated. */
	if (_metadata->exit_code != KSFT_FAIL)
		EXPECT_EQ(sm->base.slots_used, now.slots_used) {
			TH_LOG("the test left %lld slots in use",
			       (long long)(now.slots_used - sm->base.slots_used));
		}
	if (now.slots_used != sm->base.slots_used ||
	    _metadata->exit_code == KSFT_FAIL) {
		for (i = 0; i < sm->nown; i++) {
			struct st_slot q;

			st_query(_metadata, sm->fd, sm->own[i].slot, &q);
			if (!strcmp(q.cluster, "huge"))
				st_cmd(_metadata, sm->fd, sm->r, "slot split %llu",
				       sm->own[i].slot);
			for (j = 0; j < sm->own[i].nr; j++)
				st_scrub_slot(_metadata, sm->fd, sm->own[i].slot + j);
		}
		st_stats_read(_metadata, &now);
		if (now.slots_used != sm->base.slots_used)
			ksft_print_msg("scrub left %lld slots in use: later tests may fail\n",
				       (long long)(now.slots_used - sm->base.slots_used));
	}
	close(sm->fd);
}

static void sm_own(struct __test_metadata *_metadata, struct sm *sm,
		   unsigned long long slot, unsigned int nr)
{
	ASSERT_LT(sm->nown, sm->maxown);
	sm->own[sm->nown].slot = slot;
	sm->own[sm->nown].nr = nr;
	sm->nown++;
}

/* "slot alloc": a slot below nr_slots, never bad slot 0. */
static unsigned long long sm_alloc(struct __test_metadata *_metadata,
				   struct sm *sm, unsigned long long *gen)
{
	unsigned long long slot;

	ST_OK(sm->fd, sm->r, "slot alloc");
	slot = ST_GET(sm->r, "slot");
	if (gen)
		*gen = ST_GET(sm->r, "gen");
	ASSERT_TRUE(slot > 0 && slot < sm->base.nr_slots) {
		TH_LOG("'slot alloc' -> '%s': slot outside 1..nr_slots-1 (%llu)",
		       sm->r, sm->base.nr_slots);
	}
	sm_own(_metadata, sm, slot, 1);
	return slot;
}

/* "slot alloc-pmd": a cluster-aligned slot and nr=ST_PMD_NR. */
static unsigned long long sm_alloc_pmd(struct __test_metadata *_metadata,
				       struct sm *sm)
{
	unsigned long long slot;

	ST_OK(sm->fd, sm->r, "slot alloc-pmd");
	slot = ST_GET(sm->r, "slot");
	ASSERT_TRUE(slot % ST_PMD_NR == 0 && slot < sm->base.nr_slots &&
		    ST_GET(sm->r, "nr") == ST_PMD_NR) {
		TH_LOG("'slot alloc-pmd' -> '%s': want a multiple of %d below %llu and nr=%d",
		       sm->r, ST_PMD_NR, sm->base.nr_slots, ST_PMD_NR);
	}
	sm_own(_metadata, sm, slot, ST_PMD_NR);
	return slot;
}

/* Query @slot and compare what the test cares about (ANY: don't care). */
static void sm_check(struct __test_metadata *_metadata, struct sm *sm,
		     unsigned long long slot, long long map, long long count,
		     long long cache, long long continued)
{
	struct st_slot q;

	st_query(_metadata, sm->fd, slot, &q);
	ASSERT_TRUE((map == ANY || q.map == (unsigned long long)map) &&
		    (count == ANY || q.count == (unsigned long long)count) &&
		    (cache == ANY || q.cache == (unsigned long long)cache) &&
		    (continued == ANY || q.continued == (unsigned long long)continued)) {
		TH_LOG("slot %llu: want map=0x%llx count=%lld cache=%lld continued=%lld (-1: any)",
		       slot, map, count, cache, continued);
		TH_LOG("slot %llu: got '%s'", slot, q.reply);
	}
}

/* A slot nobody holds: no count, no cache bit, not bad, map byte 0. */
static void sm_check_free(struct __test_metadata *_metadata, struct sm *sm,
			  unsigned long long slot)
{
	struct st_slot q;

	st_query(_metadata, sm->fd, slot, &q);
	ASSERT_TRUE(!q.map && !q.count && !q.cache && !q.bad && !q.continued) {
		TH_LOG("slot %llu should be free: '%s'", slot, q.reply);
	}
}

/* "slot dup/free SLOT N" and the count its reply reports. */
static void sm_dup(struct __test_metadata *_metadata, struct sm *sm,
		   const char *op, unsigned long long slot, unsigned long long n,
		   unsigned long long want)
{
	ST_OK(sm->fd, sm->r, "slot %s %llu %llu", op, slot, n);
	ASSERT_TRUE(ST_GET(sm->r, "slot") == slot && ST_GET(sm->r, "count") == want) {
		TH_LOG("'slot %s %llu %llu' -> '%s', want count=%llu", op, slot, n,
		       sm->r, want);
	}
}

/*
 * swapoff + swapon: frees every continuation page, so a test that counts
 * cont_alloc starts from swap_map pages without a continuation list.
 */
static void sm_fresh_device(struct __test_metadata *_metadata, struct sm *sm)
{
	struct st_stats s;

	ASSERT_EQ(0, st_cmd(_metadata, sm->fd, sm->r, "swapoff")) {
		TH_LOG("'swapoff' -> '%s': slots in use before the test started", sm->r);
	}
	ST_OK(sm->fd, sm->r, "swapon");
	st_stats_read(_metadata, &s);
	ASSERT_EQ(0ULL, s.cont_live);
	ASSERT_EQ(1ULL, s.swap_on);
}

/* Give back a cluster holding only SWAP_HAS_CACHE: split, uncache each slot. */
static void sm_release_cluster(struct __test_metadata *_metadata,
			       struct sm *sm, unsigned long long slot)
{
	unsigned int i;

	ST_OK(sm->fd, sm->r, "slot split %llu", slot);
	for (i = 0; i < ST_PMD_NR; i++)
		ST_OK(sm->fd, sm->r, "slot uncache %llu", slot + i);
}

TEST_F(swapmap, alloc_query_uncache)
{
	struct sm *sm = &self->sm;
	unsigned long long s, s2, gen, gen2;
	struct st_stats st;
	struct st_slot q;

	s = sm_alloc(_metadata, sm, &gen);
	st_query(_metadata, sm->fd, s, &q);
	ASSERT_TRUE(q.map == ST_SWAP_HAS_CACHE && q.count == 0 && q.cache == 1 &&
		    q.bad == 0 && q.continued == 0 && q.gen == gen &&
		    strcmp(q.cluster, "free")) {
		TH_LOG("new slot %llu: want map=0x40 count=0 cache=1 bad=0 continued=0", s);
		TH_LOG("gen=%llu (as alloc said) and a cluster that is not free", gen);
		TH_LOG("got '%s'", q.reply);
	}
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.slots_used + 1, st.slots_used);

	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check_free(_metadata, sm, s);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.slots_used, st.slots_used);

	/* Lowest free first: the same slot again, as a new generation. */
	s2 = sm_alloc(_metadata, sm, &gen2);
	if (s2 == s) {
		ASSERT_LT(gen, gen2) {
			TH_LOG("slot %llu reallocated with gen %llu after gen %llu", s, gen2, gen);
		}
	} else {
		ksft_print_msg("second alloc gave slot %llu, not %llu: gen check skipped\n",
			       s2, s);
	}
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s2);
	sm_check_free(_metadata, sm, s2);
}

TEST_F(swapmap, counts_up_to_map_max)
{
	struct sm *sm = &self->sm;
	struct st_stats s0, s1;
	unsigned long long s;
	struct st_slot q;

	sm_fresh_device(_metadata, sm);
	st_stats_read(_metadata, &s0);
	s = sm_alloc(_metadata, sm, NULL);

	/* 1..SWAP_MAP_MAX live in the map byte alone. */
	sm_dup(_metadata, sm, "dup", s, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX, 1, 0);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc, s1.cont_alloc) {
		TH_LOG("a count of SWAP_MAP_MAX allocated a continuation page");
	}

	/* One more: -ENOMEM, add_swap_count_continuation(), retry. */
	sm_dup(_metadata, sm, "dup", s, 1, ST_SWAP_MAP_MAX + 1);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED, ST_SWAP_MAP_MAX + 1,
		 1, 1);
	st_query(_metadata, sm->fd, s, &q);
	ASSERT_EQ(1ULL, q.conts);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 1, s1.cont_alloc);
	ASSERT_EQ(s0.cont_live + 1, s1.cont_live);

	/* Back below: the last continuation digit is gone, COUNT_CONTINUED too. */
	sm_dup(_metadata, sm, "free", s, 1, ST_SWAP_MAP_MAX);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX, 1, 0);
	sm_dup(_metadata, sm, "free", s, ST_SWAP_MAP_MAX, 0);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, 1, 0);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check_free(_metadata, sm, s);

	/* As in the kernel, only swapoff frees continuation pages. */
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_live + 1, s1.cont_live);
}

TEST_F(swapmap, dup_100000_then_swapoff)
{
	struct sm *sm = &self->sm;
	struct st_stats s0, s1;
	unsigned long long s;
	struct st_slot q;

	sm_fresh_device(_metadata, sm);
	st_stats_read(_metadata, &s0);
	s = sm_alloc(_metadata, sm, NULL);

	/* 100000 = 19 + 63 * 1587, 1587 = 51 + 128 * 12: two continuation pages. */
	sm_dup(_metadata, sm, "dup", s, 100000, 100000);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED | 19, 100000, 1, 1);
	st_query(_metadata, sm->fd, s, &q);
	ASSERT_EQ(2ULL, q.conts) {
		TH_LOG("count 100000 needs 2 continuation pages: '%s'", q.reply);
	}
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 2, s1.cont_alloc);

	sm_dup(_metadata, sm, "free", s, 100000, 0);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, 1, 0);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check_free(_metadata, sm, s);

	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_live + 2, s1.cont_live) {
		TH_LOG("continuation pages must stay until swapoff");
	}
	ASSERT_EQ(s0.cont_freed, s1.cont_freed);

	ST_OK(sm->fd, sm->r, "swapoff");
	ASSERT_EQ(s1.cont_live, ST_GET(sm->r, "conts_freed")) {
		TH_LOG("'swapoff' -> '%s' with %llu continuation pages live", sm->r,
		       s1.cont_live);
	}
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(0ULL, s1.swap_on);
	ASSERT_EQ(0ULL, s1.cont_live);
	ASSERT_EQ(s1.cont_alloc, s1.cont_freed);
	ST_OK(sm->fd, sm->r, "swapon");
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
	struct sm *sm = &self->sm;
	struct st_stats s0, s1;
	unsigned long long s;
	unsigned int i;

	sm_fresh_device(_metadata, sm);
	st_stats_read(_metadata, &s0);
	s = sm_alloc(_metadata, sm, NULL);

	for (i = 0; i < ARRAY_SIZE(sm_walk); i++) {
		const struct sm_step *w = &sm_walk[i];

		sm_dup(_metadata, sm, w->op, s, w->n, w->count);
		sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | w->map, w->count, 1,
			 !!(w->map & CONT));
		st_stats_read(_metadata, &s1);
		ASSERT_EQ(s0.cont_alloc + w->conts, s1.cont_alloc) {
			TH_LOG("after 'slot %s %llu %u' (count %u)", w->op, s, w->n, w->count);
		}
		ASSERT_EQ(s0.cont_live + w->conts, s1.cont_live);
	}
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check_free(_metadata, sm, s);
}

TEST_F(swapmap, has_cache_transitions)
{
	struct sm *sm = &self->sm;
	unsigned long long s;

	s = sm_alloc(_metadata, sm, NULL);
	ST_ERR(EEXIST, sm->fd, sm->r, "slot cache %llu", s);
	/* Cache only, no map count: nothing for swap_free() to drop. */
	ST_ERR(EINVAL, sm->fd, sm->r, "slot free %llu", s);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, 1, 0);

	sm_dup(_metadata, sm, "dup", s, 1, 1);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | 1, 1, 1, 0);
	/* Count back to 0 with the cache bit: the slot stays allocated. */
	sm_dup(_metadata, sm, "free", s, 1, 0);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, 1, 0);

	sm_dup(_metadata, sm, "dup", s, 1, 1);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check(_metadata, sm, s, 1, 1, 0, 0);
	ST_ERR(EINVAL, sm->fd, sm->r, "slot uncache %llu", s);
	/* swapcache_prepare() on a mapped slot outside the cache. */
	ST_OK(sm->fd, sm->r, "slot cache %llu", s);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | 1, 1, 1, 0);
	ST_ERR(EEXIST, sm->fd, sm->r, "slot cache %llu", s);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);

	/* The last count goes without a cache bit: the slot is free. */
	sm_dup(_metadata, sm, "free", s, 1, 0);
	sm_check_free(_metadata, sm, s);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot dup %llu", s);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot free %llu", s);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot cache %llu", s);
}

static const unsigned int sm_pmd_probe[] = { 0, 1, 7, 255, 256, 510, ST_PMD_NR - 1 };

static void sm_check_cluster(struct __test_metadata *_metadata, struct sm *sm,
			     unsigned long long s, long long map, long long count,
			     const char *cluster)
{
	unsigned int i;
	struct st_slot q;

	for (i = 0; i < ARRAY_SIZE(sm_pmd_probe); i++) {
		sm_check(_metadata, sm, s + sm_pmd_probe[i], map, count, ANY, 0);
		st_query(_metadata, sm->fd, s + sm_pmd_probe[i], &q);
		ASSERT_STREQ(cluster, q.cluster) {
			TH_LOG("slot %llu: '%s'", s + sm_pmd_probe[i], q.reply);
		}
	}
}

TEST_F(swapmap, pmd_cluster_lifecycle)
{
	struct sm *sm = &self->sm;
	unsigned long long s;
	struct st_stats st;
	unsigned int i;

	s = sm_alloc_pmd(_metadata, sm);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.clusters_huge + 1, st.clusters_huge);
	ASSERT_EQ(sm->base.slots_used + ST_PMD_NR, st.slots_used);
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, "huge");

	ST_OK(sm->fd, sm->r, "slot dup-pmd %llu", s);
	ASSERT_TRUE(ST_GET(sm->r, "slot") == s && ST_GET(sm->r, "nr") == ST_PMD_NR) {
		TH_LOG("'slot dup-pmd %llu' -> '%s'", s, sm->r);
	}
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE | 1, 1, "huge");
	ST_ERR(EINVAL, sm->fd, sm->r, "slot dup-pmd %llu", s + 1);
	ST_ERR(EINVAL, sm->fd, sm->r, "slot free-pmd %llu", s + 1);
	ST_OK(sm->fd, sm->r, "slot free-pmd %llu", s);
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, "huge");

	ST_OK(sm->fd, sm->r, "slot dup-pmd %llu", s);
	ST_OK(sm->fd, sm->r, "slot split %llu", s + 3);
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE | 1, 1, "normal");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.clusters_huge, st.clusters_huge);
	/* The PMD paths of a split cluster fall back to PTEs. */
	ST_ERR(ENOTDIR, sm->fd, sm->r, "slot dup-pmd %llu", s);
	ST_ERR(ENOTDIR, sm->fd, sm->r, "slot free-pmd %llu", s);
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE | 1, 1, "normal");

	for (i = 0; i < ST_PMD_NR; i++)
		sm_dup(_metadata, sm, "free", s + i, 1, 0);
	sm_check_cluster(_metadata, sm, s, ST_SWAP_HAS_CACHE, 0, "normal");
	for (i = 0; i < ST_PMD_NR; i++)
		ST_OK(sm->fd, sm->r, "slot uncache %llu", s + i);
	sm_check_cluster(_metadata, sm, s, 0, 0, "free");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.slots_used, st.slots_used);
}

TEST_F(swapmap, pmd_dup_adds_continuation)
{
	struct sm *sm = &self->sm;
	unsigned long long s;
	struct st_stats s0, s1;

	sm_fresh_device(_metadata, sm);
	s = sm_alloc_pmd(_metadata, sm);
	ST_OK(sm->fd, sm->r, "slot dup-pmd %llu", s);
	sm_dup(_metadata, sm, "dup", s + 7, ST_SWAP_MAP_MAX - 1, ST_SWAP_MAP_MAX);
	st_stats_read(_metadata, &s0);

	/* Slot s+7 needs a continuation: -ENOMEM for the whole PMD, add, retry. */
	ST_OK(sm->fd, sm->r, "slot dup-pmd %llu", s);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_alloc + 1, s1.cont_alloc);
	ASSERT_EQ(s0.cont_unused, s1.cont_unused);
	sm_check(_metadata, sm, s + 7, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED,
		 ST_SWAP_MAP_MAX + 1, 1, 1);
	sm_check(_metadata, sm, s + 6, ST_SWAP_HAS_CACHE | 2, 2, 1, 0);
	sm_check(_metadata, sm, s + 8, ST_SWAP_HAS_CACHE | 2, 2, 1, 0);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | 2, 2, 1, 0);
	sm_check(_metadata, sm, s + ST_PMD_NR - 1, ST_SWAP_HAS_CACHE | 2, 2, 1, 0);

	ST_OK(sm->fd, sm->r, "slot free-pmd %llu", s);
	ST_OK(sm->fd, sm->r, "slot free-pmd %llu", s);
	sm_check(_metadata, sm, s + 7, ST_SWAP_HAS_CACHE | (ST_SWAP_MAP_MAX - 1),
		 ST_SWAP_MAP_MAX - 1, 1, 0);
	sm_check(_metadata, sm, s + 8, ST_SWAP_HAS_CACHE, 0, 1, 0);
	sm_dup(_metadata, sm, "free", s + 7, ST_SWAP_MAP_MAX - 1, 0);
	sm_release_cluster(_metadata, sm, s);
	sm_check(_metadata, sm, s + 7, 0, 0, 0, 0);
}

TEST_F(swapmap, cont_direct)
{
	struct sm *sm = &self->sm;
	struct st_stats s0, s1;
	unsigned long long s;

	sm_fresh_device(_metadata, sm);
	s = sm_alloc(_metadata, sm, NULL);

	/* Count not at SWAP_MAP_MAX: the page is allocated, then freed unused. */
	st_stats_read(_metadata, &s0);
	ST_OK(sm->fd, sm->r, "slot cont %llu", s);
	ASSERT_EQ(0ULL, ST_GET(sm->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_TRUE(s1.cont_unused == s0.cont_unused + 1 && s1.cont_alloc == s0.cont_alloc + 1 &&
		    s1.cont_freed == s0.cont_freed + 1 && s1.cont_live == s0.cont_live) {
		TH_LOG("'slot cont' at count 0: want unused, alloc, freed +1 and live same");
		TH_LOG("before:\n%s", s0.text);
		TH_LOG("after:\n%s", s1.text);
	}

	/* At SWAP_MAP_MAX with no continuation list yet: the page is attached. */
	sm_dup(_metadata, sm, "dup", s, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX);
	st_stats_read(_metadata, &s0);
	ST_OK(sm->fd, sm->r, "slot cont %llu", s);
	ASSERT_EQ(1ULL, ST_GET(sm->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_TRUE(s1.cont_unused == s0.cont_unused && s1.cont_alloc == s0.cont_alloc + 1 &&
		    s1.cont_live == s0.cont_live + 1) {
		TH_LOG("'slot cont' at SWAP_MAP_MAX: want alloc, live +1 and unused same");
		TH_LOG("before:\n%s", s0.text);
		TH_LOG("after:\n%s", s1.text);
	}
	/* Attaching a page does not touch the map byte. */
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX, 1, 0);

	/* The next dup uses the attached page: nothing new allocated. */
	sm_dup(_metadata, sm, "dup", s, 1, ST_SWAP_MAP_MAX + 1);
	sm_check(_metadata, sm, s, ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED,
		 ST_SWAP_MAP_MAX + 1, 1, 1);
	st_stats_read(_metadata, &s0);
	ASSERT_EQ(s1.cont_alloc, s0.cont_alloc);

	/* Map digit 0 with COUNT_CONTINUED is not SWAP_MAP_MAX: unused again. */
	ST_OK(sm->fd, sm->r, "slot cont %llu", s);
	ASSERT_EQ(0ULL, ST_GET(sm->r, "added"));
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.cont_unused + 1, s1.cont_unused);
	ASSERT_EQ(s0.cont_live, s1.cont_live);

	sm_dup(_metadata, sm, "free", s, ST_SWAP_MAP_MAX + 1, 0);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	sm_check_free(_metadata, sm, s);
}

TEST_F(swapmap, bad_slots)
{
	struct sm *sm = &self->sm;
	unsigned long long s, s2;
	struct st_stats s0, s1;
	struct st_slot q;

	/* Slot 0 is the swap header page. */
	st_query(_metadata, sm->fd, 0, &q);
	ASSERT_TRUE(q.bad == 1 && q.map == ST_SWAP_MAP_BAD && q.cache == 0) {
		TH_LOG("slot 0 must be bad (map=0x3f): '%s'", q.reply);
	}
	ASSERT_LE(1ULL, sm->base.slots_bad);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot dup 0");
	ST_ERR(ENOENT, sm->fd, sm->r, "slot free 0");
	ST_ERR(ENOENT, sm->fd, sm->r, "slot cache 0");

	/* The lowest free slot becomes a bad block. */
	s = sm_alloc(_metadata, sm, NULL);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
	st_stats_read(_metadata, &s0);
	ST_OK(sm->fd, sm->r, "slot bad %llu", s);
	st_stats_read(_metadata, &s1);
	ASSERT_EQ(s0.slots_bad + 1, s1.slots_bad);
	ASSERT_EQ(s0.slots_used, s1.slots_used) {
		TH_LOG("a bad slot is not a used one");
	}
	st_query(_metadata, sm->fd, s, &q);
	ASSERT_TRUE(q.bad == 1 && q.map == ST_SWAP_MAP_BAD && q.cache == 0 && q.count == 0) {
		TH_LOG("slot %llu marked bad: '%s'", s, q.reply);
	}
	ST_ERR(ENOENT, sm->fd, sm->r, "slot dup %llu", s);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot free %llu", s);
	ST_ERR(ENOENT, sm->fd, sm->r, "slot cache %llu", s);

	s2 = sm_alloc(_metadata, sm, NULL);
	ASSERT_NE(s, s2) {
		TH_LOG("'slot alloc' returned bad slot %llu", s);
	}
	ST_ERR(EBUSY, sm->fd, sm->r, "slot bad %llu", s2);
	sm_check(_metadata, sm, s2, ST_SWAP_HAS_CACHE, 0, 1, 0);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s2);
}

TEST_F(swapmap, swapoff_busy_and_off)
{
	struct sm *sm = &self->sm;
	unsigned long long s;
	struct st_stats st;

	s = sm_alloc(_metadata, sm, NULL);
	ST_ERR(EBUSY, sm->fd, sm->r, "swapoff");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(1ULL, st.swap_on);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);

	ST_OK(sm->fd, sm->r, "swapoff");
	ST_GET(sm->r, "conts_freed");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(0ULL, st.swap_on);
	ASSERT_EQ(0ULL, st.cont_live);
	ST_ERR(ENODEV, sm->fd, sm->r, "slot alloc");
	ST_ERR(ENODEV, sm->fd, sm->r, "slot alloc-pmd");

	ST_OK(sm->fd, sm->r, "swapon");
	s = sm_alloc(_metadata, sm, NULL);
	ST_OK(sm->fd, sm->r, "slot uncache %llu", s);
}

/*
 * README's errnos: ENODEV "swap is off", EBUSY "device in use".  A second
 * swapoff finds swap off; a second swapon finds the device in use (as
 * swapon(2) of an active device says EBUSY).
 */
TEST_F(swapmap, swapoff_swapon_twice)
{
	struct sm *sm = &self->sm;

	ST_OK(sm->fd, sm->r, "swapoff");
	ST_ERR(ENODEV, sm->fd, sm->r, "swapoff");
	ST_OK(sm->fd, sm->r, "swapon");
	ST_ERR(EBUSY, sm->fd, sm->r, "swapon");
}

TEST_F_TIMEOUT(swapmap, enospc_clusters, 600)
{
	struct sm *sm = &self->sm;
	unsigned long long nclusters = sm->base.nr_slots / ST_PMD_NR;
	unsigned long long c, s, nfree = 0, got = 0;
	struct st_stats st;
	struct st_slot q;
	char *seen;

	seen = calloc(nclusters, 1);
	ASSERT_NE(NULL, seen);
	for (c = 0; c < nclusters; c++) {
		st_query(_metadata, sm->fd, c * ST_PMD_NR, &q);
		if (!strcmp(q.cluster, "free"))
			nfree++;
		else if (c == 0)
			continue;
		else
			ksft_print_msg("cluster %llu is not free: %s\n", c, q.reply);
	}
	st_query(_metadata, sm->fd, 0, &q);
	ASSERT_STRNE("free", q.cluster) {
		TH_LOG("cluster 0 holds bad slot 0, it cannot be free: '%s'", q.reply);
	}

	for (;;) {
		int err = st_cmd(_metadata, sm->fd, sm->r, "slot alloc-pmd");

		if (err == ENOSPC)
			break;
		ASSERT_EQ(0, err) {
			TH_LOG("'slot alloc-pmd' -> '%s' after %llu clusters", sm->r, got);
		}
		s = ST_GET(sm->r, "slot");
		sm_own(_metadata, sm, s, ST_PMD_NR);
		ASSERT_TRUE(s % ST_PMD_NR == 0 && s / ST_PMD_NR < nclusters &&
			    !seen[s / ST_PMD_NR]) {
			TH_LOG("'slot alloc-pmd' -> '%s': unaligned, out of range or given twice",
			       sm->r);
		}
		seen[s / ST_PMD_NR] = 1;
		got++;
	}
	ASSERT_EQ(nfree, got) {
		TH_LOG("%llu clusters queried free, %llu allocated before ENOSPC", nfree, got);
	}
	ST_ERR(ENOSPC, sm->fd, sm->r, "slot alloc-pmd");
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.clusters_huge + got, st.clusters_huge);
	ASSERT_EQ(sm->base.slots_used + got * ST_PMD_NR, st.slots_used);

	for (c = 0; c < nclusters; c++)
		if (seen[c])
			sm_release_cluster(_metadata, sm, c * ST_PMD_NR);
	free(seen);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(sm->base.clusters_huge, st.clusters_huge);
	ASSERT_EQ(sm->base.slots_used, st.slots_used);
}

/*
 * The logical entry and its pte and pmd; the arch's pte layout itself is
 * checked by pgtable.c.
 */
TEST_F(swapmap, entry_encoding)
{
	struct sm *sm = &self->sm;
	unsigned long long slots[] = { 1, 12345, sm->base.nr_slots - 1 };
	unsigned long long entry, pte, pmd;
	unsigned int i;

	/* The kernel's swp_entry_t: type above BITS_PER_XA_VALUE - 5 = 58. */
	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		if (slots[i] >= sm->base.nr_slots)
			continue;
		ST_OK(sm->fd, sm->r, "slot entry %llu", slots[i]);
		entry = ST_GET(sm->r, "entry");
		pte = ST_GET(sm->r, "pte");
		pmd = ST_GET(sm->r, "pmd");
		ASSERT_TRUE(ST_GET(sm->r, "slot") == slots[i] &&
			    ST_GET(sm->r, "type") == ST_SWAP_TYPE &&
			    ST_GET(sm->r, "offset") == slots[i] &&
			    entry == ((unsigned long long)ST_SWAP_TYPE << 58 | slots[i])) {
			TH_LOG("'slot entry %llu' -> '%s'", slots[i], sm->r);
		}
		ASSERT_NE(0ULL, pmd) {
			TH_LOG("swp_entry_to_pmd() is 0: THP migration off? '%s'", sm->r);
		}
		/* x86-64 and arm64 build both from the same __swp_entry() */
		ASSERT_EQ(pte, pmd) {
			TH_LOG("'%s': __swp_entry_to_pmd() and _pte() differ", sm->r);
		}
	}
	ST_ERR(EINVAL, sm->fd, sm->r, "slot entry %llu", sm->base.nr_slots);
}

TEST_HARNESS_MAIN
