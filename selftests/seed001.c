// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 001: zap_pte_range() with zap_details (linux-mm, January 2022,
 * "mm: Don't skip swap entry even if zap_details specified").
 *
 * Up to 5.17, a zap with details set (unmap_mapping_range() of a file)
 * left every non-present entry alone, so truncating a file left the swap
 * entry of a private COW copy mapped beyond EOF: its data outlives the
 * truncation and its slot stays held.  Since 5.18 only COWs are special,
 * and only unless even_cows: truncation takes them, hole punch keeps them,
 * keeps a poisoned COW's hwpoison entry (SIGBUS stays) and never zaps the
 * migration entry of an anonymous COW on its unlocked first pass.
 *
 * The historical policy is "policy set zap_details skip_swap", the fix
 * "even_cows" (the default).  Every test resets the policy when it ends.
 */
#define _GNU_SOURCE
#include "st_engine.h"

/* The tags: file pages and the mapping's private copies of them. */
#define S1_FILE0	0x500ULL
#define S1_FILE1	0x510ULL
#define S1_COW0		0x5a0ULL
#define S1_COW1		0x5b0ULL

/* Rounds of a truncate test: the outcome must be the same every time. */
#define S1_ROUNDS	3

FIXTURE(seed001)
{
	struct se se;
};

FIXTURE_SETUP(seed001)
{
	if (!se_setup(_metadata, &self->se))
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	ST_OK(self->se.fd, self->se.r, "policy reset");
}

FIXTURE_TEARDOWN_PARENT(seed001)
{
	se_teardown_policies(_metadata, &self->se);
}

/*
 * A 2-page file mapped private by a new space (*sp): page 0 COWed and
 * swapped out (its slot in *slot), page 1 COWed and present.
 */
static int s1_cows(struct __test_metadata *_metadata, struct se *se, int *sp,
		   unsigned long long *slot)
{
	struct se_pte p;
	char how[64];
	int f;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	se_file_write(_metadata, se, f, 1, S1_FILE1);
	snprintf(how, sizeof(how), "private %d 0", f);
	*sp = se_space_map(_metadata, se, 2, how);
	se_write(_metadata, se, *sp, SE_ADDR(0), S1_COW0);
	se_write(_metadata, se, *sp, SE_ADDR(1), S1_COW1);
	se_swapout(_metadata, se, "space", *sp, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, *sp, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &p);
	*slot = p.offset;
	se_check_slot(_metadata, se, *slot, 1, 1, 0, 0, 0);
	se_check_pte(_metadata, se, *sp, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	se_file_read(_metadata, se, f, 0, S1_FILE0);
	se_audit(_metadata);
	return f;
}

TEST_F(seed001, historical_truncate_leaves_cow_swap)
{
	struct se *se = &self->se;
	char eof[96], data[128];
	const char *want[3];
	unsigned long long slot;
	int f, s, round;

	for (round = 0; round < S1_ROUNDS; round++) {
		se_policy(_metadata, se, "zap_details", "skip_swap");
		f = s1_cows(_metadata, se, &s, &slot);

		/*
		 * "If details->check_mapping, we leave swap entries": the
		 * present COW goes, its swapped sibling stays beyond EOF,
		 * holding its slot and the data the truncation dropped.
		 */
		SE_OK(se, "file truncate %d 0", f);
		se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
		se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY,
			     SE_ANY, NULL);
		se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
		se_check_used(_metadata, se, 1);
		snprintf(eof, sizeof(eof), "bad beyond-eof space=%d addr=0x%llx", s,
			 SE_ADDR(0));
		snprintf(data, sizeof(data),
			 "bad data space=%d addr=0x%llx slot=%llu tag=0x%llx expected=0x0",
			 s, SE_ADDR(0), slot, S1_COW0);
		want[0] = eof;
		want[1] = data;
		want[2] = "violations 2";
		se_audit_exact(_metadata, want, ARRAY_SIZE(want));

		/* exit_mmap() has no details: the entry and its slot go. */
		SE_OK(se, "policy reset");
		se_destroy(_metadata, se, s);
		se_check_free(_metadata, se, slot);
		se_file_destroy(_metadata, se, f);
		se_check_used(_metadata, se, 0);
		se_audit(_metadata);
	}
}

TEST_F(seed001, fixed_truncate_takes_cow_swap)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s, round;

	for (round = 0; round < S1_ROUNDS; round++) {
		/* From the historical value back to the fix, every round. */
		se_policy(_metadata, se, "zap_details", "skip_swap");
		se_policy(_metadata, se, "zap_details", "even_cows");
		f = s1_cows(_metadata, se, &s, &slot);

		/* even_cows: both COWs go, the swapped one with its slot. */
		SE_OK(se, "file truncate %d 0", f);
		se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY,
			     SE_ANY, NULL);
		se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY,
			     SE_ANY, NULL);
		se_check_free(_metadata, se, slot);
		se_check_used(_metadata, se, 0);
		se_audit(_metadata);
		se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s,
			SE_ADDR(0));

		se_destroy(_metadata, se, s);
		se_file_destroy(_metadata, se, f);
		se_check_used(_metadata, se, 0);
		se_audit(_metadata);
	}
}

TEST_F(seed001, fixed_punch_keeps_cow_swap)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s;

	se_policy(_metadata, se, "zap_details", "even_cows");
	f = s1_cows(_metadata, se, &s, &slot);

	/* Hole punch (even_cows=0): the private data is not the file's. */
	SE_OK(se, "file punch %d 0 2", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
	se_file_read(_metadata, se, f, 0, 0);
	se_file_read(_metadata, se, f, 1, 0);
	se_audit(_metadata);

	se_read(_metadata, se, s, SE_ADDR(0), S1_COW0);
	se_read(_metadata, se, s, SE_ADDR(1), S1_COW1);
	se_write(_metadata, se, s, SE_ADDR(0), S1_COW0 + 1);
	se_check_free(_metadata, se, slot);
	se_read(_metadata, se, s, SE_ADDR(0), S1_COW0 + 1);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(seed001, fixed_hwpoison_cow_punch_then_truncate)
{
	struct se *se = &self->se;
	struct se_pte p;
	char how[64];
	int f, s;

	se_policy(_metadata, se, "zap_details", "even_cows");
	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	snprintf(how, sizeof(how), "private %d 0", f);
	s = se_space_map(_metadata, se, 2, how);
	se_write(_metadata, se, s, SE_ADDR(0), S1_COW0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &p);

	/* memory_failure() on the COW: a hwpoison entry, SIGBUS on access. */
	SE_OK(se, "space poison %d 0x%llx", s, SE_ADDR(0));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "hwpoison", p.pfn, SE_ANY, SE_ANY,
		     NULL);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_audit(_metadata);

	/* Punching the file does not unpoison the private copy. */
	SE_OK(se, "file punch %d 0 2", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "hwpoison", p.pfn, SE_ANY, SE_ANY,
		     NULL);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_file_read(_metadata, se, f, 0, 0);
	se_audit(_metadata);

	/* Truncation takes it like any COW. */
	SE_OK(se, "file truncate %d 0", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);

	/* Grown again: a hole, zeroes, no SIGBUS left behind. */
	SE_OK(se, "file truncate %d 2", f);
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(seed001, fixed_migration_of_cow_survives_punch)
{
	struct se *se = &self->se;
	struct se_pte p;
	char how[64];
	int f, s;

	se_policy(_metadata, se, "zap_details", "even_cows");
	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	se_file_write(_metadata, se, f, 1, S1_FILE1);
	snprintf(how, sizeof(how), "private %d 0", f);
	s = se_space_map(_metadata, se, 2, how);
	se_write(_metadata, se, s, SE_ADDR(0), S1_COW0);
	se_read(_metadata, se, s, SE_ADDR(1), S1_FILE1);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &p);

	/* try_to_migrate(): the anonymous COW is under migration. */
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_ADDR(0));
	ASSERT_EQ(p.pfn, ST_GET(se->r, "pfn"));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "migration", p.pfn, 1, SE_ANY, NULL);
	se_audit(_metadata);

	/* The file page goes; the migration entry of the COW must not. */
	SE_OK(se, "file punch %d 0 2", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "migration", p.pfn, 1, SE_ANY, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_file_read(_metadata, se, f, 0, 0);
	se_audit(_metadata);

	/* remove_migration_ptes(): the copy is mapped with the COW's data. */
	SE_OK(se, "space migrate %d 0x%llx end", s, SE_ADDR(0));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, NULL);
	se_read(_metadata, se, s, SE_ADDR(0), S1_COW0);
	se_read(_metadata, se, s, SE_ADDR(1), 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
