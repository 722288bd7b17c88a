// SPDX-License-Identifier: GPL-2.0
/*
 * The swaptrack engine on anonymous memory: do_anonymous_page(),
 * do_wp_page(), shrink_folio_list() to swap and do_swap_page() back,
 * copy_pte_range() of present and swap ptes, zap, stranded swap-cache pages
 * and their reclaim, swap counts past SWAP_MAP_MAX from fork, and two
 * threads racing on one space.
 *
 * Each test checks the entries "space pte" decodes, the slot counts
 * "slot query" reports and the data every read returns, and ends with
 * every space destroyed, slots_used at its baseline and a clean audit.
 */
#define _GNU_SOURCE
#include "st_engine.h"

SE_FIXTURE(engine);

/* Write @tag at @page of space @id and swap it out: the slot it went to. */
static unsigned long long swap_one(struct __test_metadata *_metadata,
				   struct se *se, int id, unsigned int page,
				   unsigned long long tag)
{
	struct se_pte p;

	se_write(_metadata, se, id, SE_ADDR(page), tag);
	se_swapout(_metadata, se, "space", id, SE_ADDR(page), 1, 1, 0);
	se_check_pte(_metadata, se, id, SE_ADDR(page), "swap", SE_ANY, SE_ANY, 0, &p);
	/* swap_duplicate() for the pte, SWAP_HAS_CACHE gone with the page */
	se_check_slot(_metadata, se, p.offset, 1, 1, 0, 0, 0);
	return p.offset;
}

TEST_F(engine, anon_fault_write_read)
{
	struct se *se = &self->se;
	struct se_pte p;
	int s;

	s = se_space_map(_metadata, se, 4, "anon");
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);

	/* A read fault maps a zeroed page, read-only. */
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, &p);

	/* The write reuses that page (exclusive), now writable and dirty. */
	se_write(_metadata, se, s, SE_ADDR(0), 0x1234);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", p.pfn, 1, 0, &p);
	ASSERT_EQ(1ULL, p.dirty);
	se_read(_metadata, se, s, SE_ADDR(0), 0x1234);

	/* A write fault on a none pte maps writable at once. */
	se_write(_metadata, se, s, SE_ADDR(3), 0x7fffffffffffffffULL);
	se_check_pte(_metadata, se, s, SE_ADDR(3), "present", SE_ANY, 1, 0, NULL);
	se_read(_metadata, se, s, SE_ADDR(3), 0x7fffffffffffffffULL);
	se_read(_metadata, se, s, SE_ADDR(1), 0);
	se_audit(_metadata);

	/* Outside the mapping: SIGSEGV; a tag must fit 63 bits. */
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space read %d 0x%llx", s, SE_ADDR(4));
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space write %d 0x%llx 1", s,
		SE_ADDR(4));
	ST_ERR(ERANGE, se->fd, se->r, "space write %d 0x%llx 0x8000000000000000", s,
	       SE_ADDR(1));
	se_read(_metadata, se, s, SE_ADDR(1), 0);

	se_destroy(_metadata, se, s);
	ST_ERR(ENOENT, se->fd, se->r, "space read %d 0x%llx", s, SE_ADDR(0));
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, swapout_read_write_back)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p;
	int s;

	s = se_space_map(_metadata, se, 2, "anon");
	slot = swap_one(_metadata, se, s, 0, 0xa0);
	se_check_used(_metadata, se, 1);
	se_audit(_metadata);

	/*
	 * A read fault maps the page read-only and leaves it in the swap
	 * cache: the pte's count is gone, SWAP_HAS_CACHE stays.  Mapped, it
	 * is not stranded.
	 */
	se_read(_metadata, se, s, SE_ADDR(0), 0xa0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, &p);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_check_used(_metadata, se, 1);
	se_audit(_metadata);

	/* The write frees the swap (folio_free_swap()) and reuses the page. */
	se_write(_metadata, se, s, SE_ADDR(0), 0xa1);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", p.pfn, 1, 0, NULL);
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_read(_metadata, se, s, SE_ADDR(0), 0xa1);

	/* A write fault on the swap pte itself frees the swap at once. */
	slot = swap_one(_metadata, se, s, 1, 0xb0);
	SE_OK(se, "space touch %d 0x%llx write", s, SE_ADDR(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	se_check_free(_metadata, se, slot);
	se_read(_metadata, se, s, SE_ADDR(1), 0xb0);
	se_audit(_metadata);

	/* Swapped out again: a new slot, the old data. */
	slot = swap_one(_metadata, se, s, 1, 0xb1);
	se_read(_metadata, se, s, SE_ADDR(1), 0xb1);
	se_write(_metadata, se, s, SE_ADDR(1), 0xb2);
	se_check_free(_metadata, se, slot);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, fork_cow)
{
	struct se *se = &self->se;
	struct se_pte pp, cp;
	int s, c;

	s = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), 0xc0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &pp);

	/* copy_present_pte(): one page, write-protected in both. */
	c = se_fork(_metadata, se, s);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", pp.pfn, 0, 0, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", pp.pfn, 0, 0, NULL);
	se_read(_metadata, se, c, SE_ADDR(0), 0xc0);
	se_audit(_metadata);

	/* The child's write copies; the parent keeps its data and page. */
	se_write(_metadata, se, c, SE_ADDR(0), 0xc1);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", SE_ANY, 1, 0, &cp);
	ASSERT_NE(pp.pfn, cp.pfn);
	se_read(_metadata, se, s, SE_ADDR(0), 0xc0);
	se_read(_metadata, se, c, SE_ADDR(0), 0xc1);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", pp.pfn, 0, 0, NULL);

	/* Exclusive again: the parent's write reuses its page. */
	se_write(_metadata, se, s, SE_ADDR(0), 0xc2);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", pp.pfn, 1, 0, NULL);
	se_read(_metadata, se, c, SE_ADDR(0), 0xc1);
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	se_read(_metadata, se, s, SE_ADDR(0), 0xc2);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, fork_swapped)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte pp, cp;
	int s, c;

	s = se_space_map(_metadata, se, 1, "anon");
	slot = swap_one(_metadata, se, s, 0, 0xd0);

	/* copy_nonpresent_pte(): swap_duplicate() */
	c = se_fork(_metadata, se, s);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, 2, 2, 0, 0, 0);
	se_audit(_metadata);

	/* Both swap in the same swap-cache page. */
	se_read(_metadata, se, s, SE_ADDR(0), 0xd0);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, 0);
	se_read(_metadata, se, c, SE_ADDR(0), 0xd0);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, &pp);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", pp.pfn, 0, 0, NULL);
	se_audit(_metadata);

	/*
	 * The child's write copies: wp_can_reuse_anon_folio() gives up on
	 * the reference count (two ptes and the cache) before it would free
	 * the swap, so the slot stays with the cache alone.  The parent's
	 * write then finds one pte and the cache: folio_free_swap() frees the
	 * slot and the page is reused in place.
	 */
	se_write(_metadata, se, c, SE_ADDR(0), 0xd1);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", SE_ANY, 1, 0, &cp);
	ASSERT_NE(pp.pfn, cp.pfn);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_write(_metadata, se, s, SE_ADDR(0), 0xd2);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", pp.pfn, 1, 0, NULL);
	se_check_free(_metadata, se, slot);
	se_read(_metadata, se, c, SE_ADDR(0), 0xd1);
	se_read(_metadata, se, s, SE_ADDR(0), 0xd2);
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, zap_gives_zeroes_frees_slots)
{
	struct se *se = &self->se;
	unsigned long long s0, s1;
	int s, i;

	s = se_space_map(_metadata, se, 4, "anon");
	s0 = swap_one(_metadata, se, s, 0, 0xe0);
	s1 = swap_one(_metadata, se, s, 1, 0xe1);
	se_write(_metadata, se, s, SE_ADDR(2), 0xe2);
	se_read(_metadata, se, s, SE_ADDR(3), 0);
	se_check_used(_metadata, se, 2);

	SE_OK(se, "space zap %d 0x%llx 4", s, SE_ADDR(0));
	ASSERT_EQ(4ULL, ST_GET(se->r, "zapped"));
	for (i = 0; i < 4; i++)
		se_check_pte(_metadata, se, s, SE_ADDR(i), "none", SE_ANY, SE_ANY,
			     SE_ANY, NULL);
	se_check_free(_metadata, se, s0);
	se_check_free(_metadata, se, s1);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	/* A zapped range reads zeroes; zapping nothing zaps nothing. */
	for (i = 0; i < 4; i++)
		se_read(_metadata, se, s, SE_ADDR(i), 0);
	SE_OK(se, "space zap %d 0x%llx 4", s, SE_ADDR(0));
	ASSERT_EQ(4ULL, ST_GET(se->r, "zapped"));
	SE_OK(se, "space zap %d 0x%llx 4", s, SE_ADDR(0));
	ASSERT_EQ(0ULL, ST_GET(se->r, "zapped"));
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, swapout_shared_before_cow)
{
	struct se *se = &self->se;
	struct se_pte pp, cp;
	unsigned long long slot;
	int s, c;

	s = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), 0xf0);
	c = se_fork(_metadata, se, s);

	/* try_to_unmap() finds both ptes: two counts on one slot. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &pp);
	slot = pp.offset;
	se_check_pte(_metadata, se, c, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, 2, 2, 0, 0, 0);
	se_check_used(_metadata, se, 1);
	se_audit(_metadata);

	se_read(_metadata, se, c, SE_ADDR(0), 0xf0);
	se_read(_metadata, se, s, SE_ADDR(0), 0xf0);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, &pp);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", pp.pfn, 0, 0, NULL);

	se_write(_metadata, se, c, SE_ADDR(0), 0xf1);
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", SE_ANY, 1, 0, &cp);
	ASSERT_NE(pp.pfn, cp.pfn);
	se_read(_metadata, se, s, SE_ADDR(0), 0xf0);
	se_write(_metadata, se, s, SE_ADDR(0), 0xf2);
	se_check_free(_metadata, se, slot);
	se_read(_metadata, se, c, SE_ADDR(0), 0xf1);
	se_read(_metadata, se, s, SE_ADDR(0), 0xf2);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_destroy(_metadata, se, c);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, swapin_io_error)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int s;

	s = se_space_map(_metadata, se, 1, "anon");
	slot = swap_one(_metadata, se, s, 0, 0x10);

	/* swap_read_folio() fails: the page stays !uptodate, the fault SIGBUS */
	se_ioerr(_metadata, se, slot, true);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, SE_ANY, 1, SE_ANY, 0, 0);

	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));

	/*
	 * The device reads again, but the !uptodate page is still the slot's
	 * swap-cache page: do_swap_page() finds it and SIGBUSes again until
	 * reclaim drops it (clean, unmapped; the data is on the device).
	 * Then the fault reads the slot anew.
	 */
	se_ioerr(_metadata, se, slot, false);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_reclaim(_metadata, se, 1);
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
	se_read(_metadata, se, s, SE_ADDR(0), 0x10);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, NULL);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_audit(_metadata);

	se_write(_metadata, se, s, SE_ADDR(0), 0x11);
	se_check_free(_metadata, se, slot);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(engine, reclaim_stranded)
{
	struct se *se = &self->se;
	unsigned long long slot;
	char note[64];
	int s;

	s = se_space_map(_metadata, se, 1, "anon");
	slot = swap_one(_metadata, se, s, 0, 0x20);
	se_read(_metadata, se, s, SE_ADDR(0), 0x20);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	/* mapped: not stranded, and reclaim leaves it */
	se_reclaim(_metadata, se, 0);
	se_audit(_metadata);

	/* zap_present_pte() leaves the swap-cache page: stranded */
	SE_OK(se, "space zap %d 0x%llx", s, SE_ADDR(0));
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_check_used(_metadata, se, 1);
	snprintf(note, sizeof(note), "note stranded slot=%llu", slot);
	se_audit_notes(_metadata, note, 1);

	se_reclaim(_metadata, se, 1);
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	se_reclaim(_metadata, se, 0);

	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_destroy(_metadata, se, s);
	se_audit(_metadata);
}

TEST_F(engine, destroy_frees_every_slot)
{
	struct se *se = &self->se;
	unsigned long long slots[8];
	struct se_pte p;
	struct st_stats before, after;
	int s, i;

	st_stats_read(_metadata, &before);
	s = se_space_map(_metadata, se, 8, "anon");
	for (i = 0; i < 8; i++)
		se_write(_metadata, se, s, SE_ADDR(i), 0x300 + i);
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 8, 8, 0);
	se_check_used(_metadata, se, 8);
	for (i = 0; i < 8; i++) {
		se_check_pte(_metadata, se, s, SE_ADDR(i), "swap", SE_ANY, SE_ANY, 0, &p);
		slots[i] = p.offset;
		se_check_slot(_metadata, se, slots[i], 1, 1, 0, 0, 0);
	}
	/* A second swapout finds nothing present. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 8, 0, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	for (i = 0; i < 8; i++)
		se_check_free(_metadata, se, slots[i]);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	/* every page went with the space: none leaked */
	st_stats_read(_metadata, &after);
	ASSERT_EQ(before.pages_live, after.pages_live);
}

TEST_F(engine, range64_swapped_forked)
{
	struct se *se = &self->se;
	unsigned long long slots[64];
	struct se_pte p;
	int s, c, i;

	s = se_space_map(_metadata, se, 64, "anon");
	for (i = 0; i < 64; i++)
		se_write(_metadata, se, s, SE_ADDR(i), 0x6400 + i);
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 64, 64, 0);
	se_check_used(_metadata, se, 64);
	c = se_fork(_metadata, se, s);
	for (i = 0; i < 64; i++) {
		se_check_pte(_metadata, se, c, SE_ADDR(i), "swap", SE_ANY, SE_ANY, 0, &p);
		slots[i] = p.offset;
		se_check_pte(_metadata, se, s, SE_ADDR(i), "swap", slots[i], SE_ANY, 0,
			     NULL);
		se_check_slot(_metadata, se, slots[i], 2, 2, 0, 0, 0);
	}
	se_audit(_metadata);

	for (i = 0; i < 64; i++)
		se_read(_metadata, se, c, SE_ADDR(i), 0x6400 + i);
	for (i = 63; i >= 0; i--)
		se_read(_metadata, se, s, SE_ADDR(i), 0x6400 + i);
	for (i = 0; i < 64; i++)
		se_check_slot(_metadata, se, slots[i], ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_audit(_metadata);

	/* Unmapped, 64 clean swap-cache pages are stranded until reclaim. */
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 64);
	se_audit_notes(_metadata, "note stranded", 64);
	se_reclaim(_metadata, se, 64);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * The auditor walks the swap map by runs of free slots: a run is skipped
 * only when no pte referred to a slot of it.  Here a whole cluster is free
 * but for a pte still referring to its first slot (a count dropped under
 * it, "space drop-count"): the run-skip must not miss it.
 */
TEST_F(engine, audit_free_cluster_with_a_ref)
{
	struct se *se = &self->se;
	unsigned long long slot;
	const char *audit[2];
	char line[128];
	struct se_pte p;
	int s;

	se_fresh_device(_metadata, se);
	s = se_space_map(_metadata, se, ST_PMD_NR, "anon");
	SE_OK(se, "space write-range %d 0x%llx %d 0x100", s, SE_BASE, ST_PMD_NR);
	se_swapout(_metadata, se, "space", s, SE_BASE, ST_PMD_NR, ST_PMD_NR, 0);
	/* slot 0 is bad: pages 0..510 fill cluster 0, page 511 opens cluster 1 */
	se_check_pte(_metadata, se, s, SE_ADDR(ST_PMD_NR - 1), "swap", SE_ANY,
		     SE_ANY, 0, &p);
	slot = p.offset;
	ASSERT_EQ((unsigned long long)ST_PMD_NR, slot);
	SE_OK(se, "space zap %d 0x%llx %d", s, SE_BASE, ST_PMD_NR - 1);
	SE_OK(se, "space drop-count %d 0x%llx", s, SE_ADDR(ST_PMD_NR - 1));
	se_check_free(_metadata, se, slot);
	SE_OK(se, "slot query %llu", slot);
	ASSERT_NE(NULL, strstr(se->r, "cluster=free")) {
		TH_LOG("slot %llu: '%s', want its cluster free", slot, se->r);
	}
	snprintf(line, sizeof(line), "bad count slot=%llu count=0 refs=1", slot);
	audit[0] = line;
	audit[1] = "violations 1";
	se_audit_exact(_metadata, audit, 2);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * The other side of the run-skip: a slot in use that nothing refers to (a
 * count with no pte or file entry behind it) ends a free run and is
 * audited, whatever its cluster holds.
 */
TEST_F(engine, audit_count_without_a_ref)
{
	struct se *se = &self->se;
	unsigned long long slot;
	const char *audit[2];
	char line[128];

	se_fresh_device(_metadata, se);
	slot = se_alloc(_metadata, se, NULL);
	SE_OK(se, "slot dup %llu", slot);
	SE_OK(se, "slot uncache %llu", slot);
	snprintf(line, sizeof(line), "bad count slot=%llu count=1 refs=0", slot);
	audit[0] = line;
	audit[1] = "violations 1";
	se_audit_exact(_metadata, audit, 2);
	SE_OK(se, "slot free %llu", slot);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
}

TEST_F(engine, fork_past_swap_map_max)
{
	struct se *se = &self->se;
	int s, kids[63];
	unsigned long long slot;
	int i, n;

	s = se_space_map(_metadata, se, 1, "anon");
	slot = swap_one(_metadata, se, s, 0, 0x40);

	/* 63 forks, 64 counts on one slot. */
	for (n = 0; n < 63; n++)
		kids[n] = se_fork(_metadata, se, s);
	/* 64 = 1 + 1 * SWAP_MAP_MAX + 1: digit 1 in the map byte, 1 continued */
	se_check_slot(_metadata, se, slot, ST_COUNT_CONTINUED | 1, 64, 0, 1, 0);
	se_check_pte(_metadata, se, kids[n - 1], SE_ADDR(0), "swap", slot, SE_ANY, 0,
		     NULL);
	se_audit(_metadata);

	/* One child reads: 63 counts and the cache bit */
	se_read(_metadata, se, kids[n - 1], SE_ADDR(0), 0x40);
	se_check_slot(_metadata, se, slot, SE_ANY, 63, 1, 1, 0);
	se_audit(_metadata);

	for (i = 0; i < n; i++)
		se_destroy(_metadata, se, kids[i]);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE | 1, 1, 1, 0, 0);
	se_audit(_metadata);

	se_read(_metadata, se, s, SE_ADDR(0), 0x40);
	se_write(_metadata, se, s, SE_ADDR(0), 0x41);
	se_check_free(_metadata, se, slot);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/* The stress: each thread owns 4 pages, and both work on 4 shared ones. */
#define ST_STRESS_SECS		3.0
#define ST_STRESS_OWN		4
#define ST_STRESS_SHARED	4
#define ST_STRESS_THREADS	2
#define ST_STRESS_MARK(t)	(0x5100000000000000ULL + ((unsigned long long)(t) << 48))

struct stress {
	int space;
	int id;
	unsigned long iters;
	unsigned long long last[ST_STRESS_OWN];
	char failure[ST_REPLY_BUF + 128];
};

static bool stress_tag_ok(unsigned long long tag)
{
	unsigned long long mark = tag & 0xffff000000000000ULL;
	int t;

	if (!tag)
		return true;
	for (t = 0; t < ST_STRESS_THREADS; t++)
		if (mark == ST_STRESS_MARK(t))
			return true;
	return false;
}

static void *stress_thread(void *arg)
{
	struct stress *st = arg;
	unsigned long long tag, addr, own = SE_ADDR(st->id * ST_STRESS_OWN);
	unsigned long long shared = SE_ADDR(ST_STRESS_THREADS * ST_STRESS_OWN);
	double end = se_now() + st_env_cap("ST_STRESS_MS", ST_STRESS_SECS * 1000) / 1000.0;
	char r[ST_REPLY_BUF];
	unsigned long i;
	int fd, err;

	fd = st_open_ctl();
	if (fd < 0) {
		snprintf(st->failure, sizeof(st->failure), "open ctl: %s",
			 strerror(-fd));
		return NULL;
	}
	for (i = 0; se_now() < end; i++) {
		unsigned int k = i % ST_STRESS_OWN, j = i % ST_STRESS_SHARED;

		tag = ST_STRESS_MARK(st->id) | i;
		addr = own + k * SE_PAGE;
		err = se_tcmd(fd, r, "space write %d 0x%llx 0x%llx", st->space, addr, tag);
		if (err)
			goto fail;
		st->last[k] = tag;
		err = se_tcmd(fd, r, "space swapout %d 0x%llx %d", st->space, own,
			      ST_STRESS_OWN);
		if (err)
			goto fail;
		addr = own + ((i + 1) % ST_STRESS_OWN) * SE_PAGE;
		err = se_tcmd(fd, r, "space read %d 0x%llx", st->space, addr);
		if (err)
			goto fail;
		if (st_field(r, "tag") != st->last[(i + 1) % ST_STRESS_OWN]) {
			err = -1;
			goto fail;
		}

		addr = shared + j * SE_PAGE;
		if (i % 3 == 0)
			err = se_tcmd(fd, r, "space write %d 0x%llx 0x%llx", st->space,
				      addr, tag);
		else if (i % 3 == 1)
			err = se_tcmd(fd, r, "space swapout %d 0x%llx %d", st->space,
				      shared, ST_STRESS_SHARED);
		else
			err = se_tcmd(fd, r, "space read %d 0x%llx", st->space, addr);
		if (err)
			goto fail;
		if (i % 3 == 2 && !stress_tag_ok(st_field(r, "tag"))) {
			err = -1;
			goto fail;
		}
	}
	st->iters = i;
	close(fd);
	return NULL;
fail:
	snprintf(st->failure, sizeof(st->failure),
		 "thread %d iteration %lu: error %d, reply '%s'", st->id, i, err, r);
	st->iters = i;
	close(fd);
	return NULL;
}

TEST_F(engine, two_thread_stress)
{
	struct stress st[ST_STRESS_THREADS];
	unsigned int pages = ST_STRESS_THREADS * ST_STRESS_OWN + ST_STRESS_SHARED;
	struct se *se = &self->se;
	pthread_t th[ST_STRESS_THREADS];
	unsigned long long tag;
	int s, t, k;

	s = se_space_map(_metadata, se, pages, "anon");
	memset(st, 0, sizeof(st));
	for (t = 0; t < ST_STRESS_THREADS; t++) {
		st[t].space = s;
		st[t].id = t;
		ASSERT_EQ(0, pthread_create(&th[t], NULL, stress_thread, &st[t]));
	}
	for (t = 0; t < ST_STRESS_THREADS; t++)
		ASSERT_EQ(0, pthread_join(th[t], NULL));
	for (t = 0; t < ST_STRESS_THREADS; t++) {
		ksft_print_msg("stress thread %d: %lu iterations\n", t, st[t].iters);
		ASSERT_EQ('\0', st[t].failure[0]) {
			TH_LOG("%s", st[t].failure);
		}
		ASSERT_LT(0UL, st[t].iters);
	}
	/* pages read back and left in the cache are stranded: notes only */
	se_audit_lines(_metadata, "note stranded", 0, true);

	/* Each thread's own pages hold its last tag; shared ones a valid tag. */
	for (t = 0; t < ST_STRESS_THREADS; t++)
		for (k = 0; k < ST_STRESS_OWN; k++)
			se_read(_metadata, se, s, SE_ADDR(t * ST_STRESS_OWN + k),
				st[t].last[k]);
	for (k = 0; k < ST_STRESS_SHARED; k++) {
		SE_OK(se, "space read %d 0x%llx", s,
		      SE_ADDR(ST_STRESS_THREADS * ST_STRESS_OWN + k));
		tag = ST_GET(se->r, "tag");
		ASSERT_TRUE(tag == ST_GET(se->r, "expected") && stress_tag_ok(tag)) {
			TH_LOG("shared page %d: '%s'", k, se->r);
		}
	}
	se_audit_lines(_metadata, "note stranded", 0, true);

	/* What was read back last stays in the swap cache: reclaim frees it. */
	se_destroy(_metadata, se, s);
	SE_OK(se, "reclaim");
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
