// SPDX-License-Identifier: GPL-2.0
/*
 * The batch commands: "space write-range ID ADDR PAGES TAG" (page i gets
 * TAG + i) and "space read-range ID ADDR PAGES" (how many pages hold what
 * the auditor expects, and the first that does not), over fresh anonymous
 * pages, swapped-out pages and a shared file mapping; and their bad input:
 * 0 pages, more than 4096, a tag range above LONG_MAX, an unknown space,
 * a range that runs off its mappings part way ("stopped after K of N
 * pages: <reason>", the first K done).
 */
#define _GNU_SOURCE

#include "st_engine.h"

#define BT_PAGES	512

SE_FIXTURE(batch);

/* "space read-range" of @nr pages at @addr: all read, @matched of them. */
static void bt_read_range(struct __test_metadata *_metadata, struct se *se,
			  int id, unsigned long long addr, unsigned int nr,
			  unsigned int matched, const char *first)
{
	char want[64];

	SE_OK(se, "space read-range %d 0x%llx %u", id, addr, nr);
	snprintf(want, sizeof(want), " first_mismatch=%s", first);
	ASSERT_TRUE(ST_GET(se->r, "read") == nr &&
		    ST_GET(se->r, "matched") == matched &&
		    strstr(se->r, want)) {
		TH_LOG("read-range of %u at 0x%llx: want matched=%u%s, got '%s'",
		       nr, addr, matched, want, se->r);
	}
}

TEST_F(batch, write_read_range_anon)
{
	struct se *se = &self->se;
	int s = se_space_map(_metadata, se, BT_PAGES, "anon");

	SE_OK(se, "space write-range %d 0x%llx %u 0x1000", s, SE_BASE, BT_PAGES);
	ASSERT_EQ((unsigned long long)BT_PAGES, ST_GET(se->r, "written"));
	se_read(_metadata, se, s, SE_ADDR(0), 0x1000);
	se_read(_metadata, se, s, SE_ADDR(7), 0x1007);
	se_read(_metadata, se, s, SE_ADDR(BT_PAGES - 1), 0x1000 + BT_PAGES - 1);
	bt_read_range(_metadata, se, s, SE_BASE, BT_PAGES, BT_PAGES, "none");
	se_audit(_metadata);

	/* swapped out: the reads fault them back, the stores go the slow way */
	se_swapout(_metadata, se, "space", s, SE_BASE, BT_PAGES, BT_PAGES, 0);
	bt_read_range(_metadata, se, s, SE_BASE, BT_PAGES, BT_PAGES, "none");
	se_swapout(_metadata, se, "space", s, SE_BASE, BT_PAGES, BT_PAGES, 0);
	SE_OK(se, "space write-range %d 0x%llx %u 0x5000", s, SE_ADDR(1),
	      BT_PAGES - 1);
	ASSERT_EQ((unsigned long long)BT_PAGES - 1, ST_GET(se->r, "written"));
	se_read(_metadata, se, s, SE_ADDR(0), 0x1000);
	se_read(_metadata, se, s, SE_ADDR(1), 0x5000);
	se_read(_metadata, se, s, SE_ADDR(BT_PAGES - 1), 0x5000 + BT_PAGES - 2);
	bt_read_range(_metadata, se, s, SE_BASE, BT_PAGES, BT_PAGES, "none");
	se_audit(_metadata);
	se_destroy(_metadata, se, s);
	SE_OK(se, "reclaim");	/* the pages the reads left in the swap cache */
	se_check_used(_metadata, se, 0);
}

TEST_F(batch, write_range_shared_file)
{
	struct se *se = &self->se;
	int f = se_file_new(_metadata, se, 16);
	int s = se_space_new(_metadata, se);

	SE_OK(se, "space map %d 0x%llx 16 shared %d 0", s, SE_BASE, f);
	SE_OK(se, "space write-range %d 0x%llx 16 0x200", s, SE_BASE);
	ASSERT_EQ(16ULL, ST_GET(se->r, "written"));
	se_file_read(_metadata, se, f, 3, 0x203);
	se_file_read(_metadata, se, f, 15, 0x20f);
	bt_read_range(_metadata, se, s, SE_BASE, 16, 16, "none");
	se_audit(_metadata);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
}

/*
 * A page that does not hold what the auditor expects: seed 001's COW left
 * beyond EOF under skip_swap (tag 0xc0ffee where zeroes are expected).
 */
TEST_F(batch, read_range_first_mismatch)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "zap_details", "skip_swap");
	f = se_file_new(_metadata, se, 4);
	s = se_space_new(_metadata, se);
	se_file_write(_metadata, se, f, 1, 0x100);
	SE_OK(se, "space map %d 0x%llx 4 private %d 0", s, SE_BASE, f);
	se_write(_metadata, se, s, SE_ADDR(1), 0xc0ffee);
	se_swapout(_metadata, se, "space", s, SE_BASE, 4, 1, 0);
	SE_OK(se, "file truncate %d 1", f);
	bt_read_range(_metadata, se, s, SE_ADDR(0), 1, 1, "none");
	bt_read_range(_metadata, se, s, SE_ADDR(1), 1, 0, "0x7f0000001000");
	se_fail(_metadata, se, EFAULT, "stopped after 1 of 2 pages: SIGBUS at 0x7f0000002000",
		"space read-range %d 0x%llx 2", s, SE_ADDR(1));
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	SE_OK(se, "reclaim");
}

TEST_F(batch, range_bad_input)
{
	struct se *se = &self->se;
	int s = se_space_map(_metadata, se, 4, "anon");

	se_fail(_metadata, se, EINVAL, "pages 0 not in 1..4096",
		"space write-range %d 0x%llx 0 1", s, SE_BASE);
	se_fail(_metadata, se, EINVAL, "pages 0 not in 1..4096",
		"space read-range %d 0x%llx 0", s, SE_BASE);
	se_fail(_metadata, se, E2BIG, "pages 4097 not in 1..4096",
		"space write-range %d 0x%llx 4097 1", s, SE_BASE);
	se_fail(_metadata, se, E2BIG, "pages 4097 not in 1..4096",
		"space read-range %d 0x%llx 4097", s, SE_BASE);
	se_fail(_metadata, se, ERANGE, "runs above 0x7fffffffffffffff",
		"space write-range %d 0x%llx 2 0x7fffffffffffffff", s, SE_BASE);
	se_fail(_metadata, se, ERANGE, "runs above 0x7fffffffffffffff",
		"space write-range %d 0x%llx 4 0x7ffffffffffffffd", s, SE_BASE);
	se_fail(_metadata, se, ERANGE, "tag above",
		"space write-range %d 0x%llx 1 0x8000000000000000", s, SE_BASE);
	se_fail(_metadata, se, EINVAL, "usage: space write-range ID ADDR PAGES TAG",
		"space write-range %d 0x%llx 4", s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space 9",
		"space write-range 9 0x%llx 1 1", SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space 9",
		"space read-range 9 0x%llx 1", SE_BASE);
	se_fail(_metadata, se, EINVAL, "range runs past",
		"space read-range %d 0x%llx 2", s, SE_BASE + (1ULL << 30) - SE_PAGE);
	/* nothing was written by a refused command */
	bt_read_range(_metadata, se, s, SE_BASE, 4, 4, "none");
	se_check_used(_metadata, se, 0);

	/* the top tag itself fits, for one page */
	SE_OK(se, "space write-range %d 0x%llx 1 0x7fffffffffffffff", s, SE_BASE);
	se_read(_metadata, se, s, SE_BASE, 0x7fffffffffffffffULL);

	/* part way: the mapping ends after 4 pages */
	se_fail(_metadata, se, EFAULT,
		"stopped after 4 of 8 pages: SIGSEGV: 0x7f0000004000 not mapped",
		"space write-range %d 0x%llx 8 0x40", s, SE_BASE);
	se_read(_metadata, se, s, SE_ADDR(0), 0x40);
	se_read(_metadata, se, s, SE_ADDR(3), 0x43);
	se_fail(_metadata, se, EFAULT,
		"stopped after 2 of 3 pages: SIGSEGV: 0x7f0000004000 not mapped",
		"space read-range %d 0x%llx 3", s, SE_ADDR(2));
	se_fail(_metadata, se, EFAULT,
		"stopped after 0 of 1 pages: SIGSEGV: 0x7f0000010000 not mapped",
		"space write-range %d 0x%llx 1 1", s, SE_ADDR(16));
	se_audit(_metadata);
	se_destroy(_metadata, se, s);
}

TEST_HARNESS_MAIN
