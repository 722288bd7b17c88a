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
 * migration entry of an anonymous COW on its unlocked first pass; the
 * migration entry of a file page goes on every pass.
 *
 * "policy set zap_details ...":
 *   skip_swap  up to 5.17 ("If details->check_mapping, we leave swap
 *              entries"): every non-present entry stays, even on truncate.
 *   rfc_v2     "[PATCH RFC v2 1/2] mm: Don't skip swap entry even if
 *              zap_details specified" (Nov 2021): every swap entry and
 *              hwpoison entry goes, so a hole punch drops a private COW's
 *              swapped data and unpoisons a poisoned COW (Hugh's
 *              "complementary mistake").
 *   even_cows  5.18+ (the series as merged, 6.12's zap_nonpresent_ptes()),
 *              the default.
 *
 * The gated races go through zap.first_pass, between the unlocked first
 * unmap_mapping_range() pass and shmem_undo_range():
 *   - truncate: a fault that found the page before the size changed makes
 *     its private COW after the first pass, and the COW is swapped out;
 *     shmem_setattr()'s second pass ("unmap again to remove racily COWed
 *     private pages") must take it.  Under skip_swap it stays beyond EOF,
 *     every round; under even_cows and rfc_v2, never.  The fault is
 *     staged at shmem.before_add, the truncation at zap.first_pass; 25
 *     rounds.
 *   - hole punch: a file page is under migration; the first pass leaves
 *     its migration entries under skip_swap (Peter: "we can only wrongly
 *     skip some entries"), the migration ends between the passes and maps
 *     the new page again, and the locked pass of shmem_undo_range()
 *     unmaps it (Hugh: "no problem if migration entry was wrongly skipped
 *     on the earlier unlocked pass").  Every round under skip_swap; under
 *     even_cows and rfc_v2 the first pass already took the entries.  25
 *     rounds.
 *
 * What every value goes through is a table, the fixture zap_details with
 * one variant per value: the two gated races, a COW's migration entry on a
 * punch, and a punch or a truncate waiting for a file page's migration.
 * The fixture seed001 holds the scenarios of one or two values each.
 * Every test resets the policy when it ends.
 */
#define _GNU_SOURCE
#include "st_race.h"

/* The tags: file pages and the mapping's private copies of them. */
#define S1_FILE0	0x500ULL
#define S1_FILE1	0x510ULL
#define S1_COW0		0x5a0ULL
#define S1_COW1		0x5b0ULL

/* Rounds of a truncate test: the outcome must be the same every time. */
#define S1_ROUNDS	3

/*
 * Rounds of a gated race, per value: each round builds its own file and
 * spaces and takes about 0.4 s in the TCG VM, so 100 of them per value
 * would take the program past its time budget; every round must come out
 * the same way.
 */
#define S1_RACE_ROUNDS	25

SE_FIXTURE(seed001);

/*
 * The scenarios every value of zap_details goes through are a table: one
 * variant per value; @skips: the unlocked first pass leaves every
 * non-present entry (skip_swap), so the races hit on every round.
 */
FIXTURE_VARIANT(zap_details)
{
	struct se_setting set[SE_SETTINGS_MAX];
	bool skips;
};

SE_FIXTURE_POLICIES(zap_details);

FIXTURE_VARIANT_ADD(zap_details, skip_swap)
{
	.set = { { "zap_details", "skip_swap" } },
	.skips = true,
};

FIXTURE_VARIANT_ADD(zap_details, rfc_v2)
{
	.set = { { "zap_details", "rfc_v2" } },
	.skips = false,
};

FIXTURE_VARIANT_ADD(zap_details, even_cows)
{
	.set = { { "zap_details", "even_cows" } },
	.skips = false,
};

/*
 * A 2-page file mapped private by a new space (*sp): page 0 COWed and
 * swapped out (its slot in *slot), page 1 COWed and present.
 */
static int s1_cows(struct __test_metadata *_metadata, struct se *se, int *sp,
		   unsigned long long *slot)
{
	struct se_pte p;
	int f;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	se_file_write(_metadata, se, f, 1, S1_FILE1);
	*sp = se_file_map(_metadata, se, 2, "private", f);
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

	for (round = 0; round < se_rounds(S1_ROUNDS); round++) {
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

	for (round = 0; round < se_rounds(S1_ROUNDS); round++) {
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
	int f, s;

	se_policy(_metadata, se, "zap_details", "even_cows");
	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	s = se_file_map(_metadata, se, 2, "private", f);
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

/* No value zaps the migration entry of an anonymous COW on a hole punch. */
TEST_F(zap_details, migration_of_cow_survives_punch)
{
	struct se *se = &self->se;
	struct se_pte p;
	int f, s;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	se_file_write(_metadata, se, f, 1, S1_FILE1);
	s = se_file_map(_metadata, se, 2, "private", f);
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

/*
 * RFC v2 1/2: with the skip gone, a hole punch zaps the swap entry of a
 * private COW: the data written through the mapping is lost, and a read
 * finds the punched file's zeroes.  The present COW stays (its page is
 * checked against the mapping).
 */
TEST_F(seed001, rfc_v2_punch_drops_cow_swap)
{
	struct se *se = &self->se;
	unsigned long long slot;
	char lost[96], *audit;
	bool found;
	int f, s;

	se_policy(_metadata, se, "zap_details", "rfc_v2");
	f = s1_cows(_metadata, se, &s, &slot);

	SE_OK(se, "file punch %d 0 2", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_free(_metadata, se, slot);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	snprintf(lost, sizeof(lost), "bad lost space=%d addr=0x%llx expected=0x%llx",
		 s, SE_ADDR(0), S1_COW0);
	audit = se_audit_text(_metadata);
	found = strstr(audit, lost);
	if (!found)
		ksft_print_msg("audit: want '%s' in:\n%s", lost, audit);
	free(audit);
	ASSERT_TRUE(found);

	/* The tag read back is the hole's, not the COW's. */
	SE_OK(se, "space read %d 0x%llx", s, SE_ADDR(0));
	ASSERT_TRUE(ST_GET(se->r, "tag") == 0 && ST_GET(se->r, "expected") == S1_COW0) {
		TH_LOG("want tag=0x0 expected=0x%llx: '%s'", S1_COW0, se->r);
	}
	se_read(_metadata, se, s, SE_ADDR(1), S1_COW1);

	SE_OK(se, "policy reset");
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/* RFC v2 1/2: a hole punch zaps a poisoned COW's entry: no SIGBUS. */
TEST_F(seed001, rfc_v2_punch_unpoisons_cow)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "zap_details", "rfc_v2");
	f = se_file_new(_metadata, se, 1);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	s = se_file_map(_metadata, se, 1, "private", f);
	se_write(_metadata, se, s, SE_ADDR(0), S1_COW0);
	SE_OK(se, "space poison %d 0x%llx", s, SE_ADDR(0));
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));

	SE_OK(se, "file punch %d 0 1", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	SE_OK(se, "space read %d 0x%llx", s, SE_ADDR(0));
	ASSERT_TRUE(ST_GET(se->r, "tag") == 0 && ST_GET(se->r, "expected") == S1_COW0) {
		TH_LOG("want tag=0x0 expected=0x%llx, no SIGBUS: '%s'", S1_COW0, se->r);
	}

	SE_OK(se, "policy reset");
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * One round of the truncate race: a write fault on page 1 of a private
 * mapping, its swapin parked at shmem.before_add; "file truncate F 1"
 * parked at zap.first_pass after its first pass; the fault goes on and
 * makes its COW beyond the new EOF, which is swapped out; the truncation
 * goes on.  True when the COW's swap entry outlived the truncation.
 */
static bool s1_racy_cow(struct __test_metadata *_metadata, struct se *se)
{
	struct se_async w, tr;
	unsigned long long slot;
	char eof[96];
	struct se_pte p;
	bool hit;
	int f, s;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 1, S1_FILE1);
	se_swapout(_metadata, se, "file", f, 1, 1, 1, 0);
	s = se_file_map(_metadata, se, 2, "private", f);

	se_gate_arm(_metadata, se, "shmem.before_add");
	se_async_start(_metadata, &w, "space write %d 0x%llx 0x%llx", s, SE_ADDR(1),
		       S1_COW1);
	se_gate_wait(_metadata, se, "shmem.before_add");
	se_gate_arm(_metadata, se, "zap.first_pass");
	se_async_start(_metadata, &tr, "file truncate %d 1", f);
	se_gate_wait(_metadata, se, "zap.first_pass");

	/* The fault found the page before the size changed: it COWs now. */
	se_gate_open(_metadata, se, "shmem.before_add");
	ASSERT_EQ(0, se_async_join(&w)) {
		TH_LOG("'%s' -> '%s'", w.cmd, w.reply);
	}
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	se_swapout(_metadata, se, "space", s, SE_ADDR(1), 1, 1, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "swap", SE_ANY, SE_ANY, 0, &p);
	slot = p.offset;

	se_gate_open(_metadata, se, "zap.first_pass");
	ASSERT_EQ(0, se_async_join(&tr)) {
		TH_LOG("'%s' -> '%s'", tr.cmd, tr.reply);
	}
	se_pte(_metadata, se, s, SE_ADDR(1), &p);
	hit = !strcmp(p.kind, "swap");
	if (hit) {
		/* beyond EOF, its slot held, its data the truncation dropped */
		ASSERT_EQ(slot, p.offset);
		se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
		snprintf(eof, sizeof(eof), "bad beyond-eof space=%d addr=0x%llx", s,
			 SE_ADDR(1));
		se_audit_first_last(_metadata, eof, "violations 2");
	} else {
		ASSERT_STREQ("none", p.kind);
		se_check_free(_metadata, se, slot);
		se_audit(_metadata);
		se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s,
			SE_ADDR(1));
	}
	/* exit_mmap() has no details: whatever stayed goes. */
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	return hit;
}

/*
 * Under skip_swap the racy COW outlives the truncation on every round;
 * under rfc_v2 and even_cows the second pass takes it on every round.
 */
TEST_F_TIMEOUT(zap_details, racy_cow_truncate, 60)
{
	struct se_tally t = { .what = "a racily COWed swap entry beyond EOF" };
	char label[64];
	int round;

	for (round = 0; round < se_rounds(S1_RACE_ROUNDS); round++) {
		t.rounds++;
		if (s1_racy_cow(_metadata, &self->se))
			t.hits++;
	}
	se_tally_report(&t, se_settings_str(variant->set, label, sizeof(label)));
	ASSERT_EQ(variant->skips ? t.rounds : 0, t.hits);
}

/*
 * One round of the punch race over a file page under migration, mapped by
 * a shared and a private (not COWed) mapping.  True when the first pass
 * left the migration entries and the locked pass had to unmap the page
 * the migration mapped again between the passes.
 */
static bool s1_file_migration(struct __test_metadata *_metadata, struct se *se)
{
	struct se_pte pa, pb;
	struct se_async pu;
	unsigned long long pfn;
	int f, a, b;
	bool hit;

	f = se_file_new(_metadata, se, 1);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	a = se_file_map(_metadata, se, 1, "shared", f);
	b = se_file_map(_metadata, se, 1, "private", f);
	se_read(_metadata, se, a, SE_ADDR(0), S1_FILE0);
	se_read(_metadata, se, b, SE_ADDR(0), S1_FILE0);
	se_check_pte(_metadata, se, a, SE_ADDR(0), "present", SE_ANY, SE_ANY, 0, &pa);
	pfn = pa.pfn;
	se_check_pte(_metadata, se, b, SE_ADDR(0), "present", pfn, 0, 0, NULL);

	/* try_to_migrate() of the file page: both ptes become entries */
	SE_OK(se, "space migrate %d 0x%llx begin", a, SE_ADDR(0));
	se_check_pte(_metadata, se, a, SE_ADDR(0), "migration", pfn, SE_ANY, 0, NULL);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "migration", pfn, 0, 0, NULL);
	se_audit(_metadata);

	se_gate_arm(_metadata, se, "zap.first_pass");
	se_async_start(_metadata, &pu, "file punch %d 0 1", f);
	se_gate_wait(_metadata, se, "zap.first_pass");
	se_pte(_metadata, se, a, SE_ADDR(0), &pa);
	se_pte(_metadata, se, b, SE_ADDR(0), &pb);
	hit = !strcmp(pa.kind, "migration");
	ASSERT_STREQ(pa.kind, pb.kind);
	if (!hit)
		ASSERT_STREQ("none", pa.kind);

	/* remove_migration_ptes() between the passes */
	SE_OK(se, "space migrate %d 0x%llx end", a, SE_ADDR(0));
	ASSERT_EQ(pfn, ST_GET(se->r, "pfn"));
	se_pte(_metadata, se, a, SE_ADDR(0), &pa);
	se_pte(_metadata, se, b, SE_ADDR(0), &pb);
	ASSERT_STREQ(hit ? "present" : "none", pa.kind);
	ASSERT_STREQ(pa.kind, pb.kind);

	se_gate_open(_metadata, se, "zap.first_pass");
	ASSERT_EQ(0, se_async_join(&pu)) {
		TH_LOG("'%s' -> '%s'", pu.cmd, pu.reply);
	}
	se_check_pte(_metadata, se, a, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	se_file_read(_metadata, se, f, 0, 0);
	se_read(_metadata, se, a, SE_ADDR(0), 0);
	se_read(_metadata, se, b, SE_ADDR(0), 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, a);
	se_destroy(_metadata, se, b);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	return hit;
}

/*
 * Under skip_swap the locked pass unmaps the page the migration mapped
 * again, on every round; under rfc_v2 and even_cows the first pass zaps
 * the file page's migration entries, on every round.
 */
TEST_F_TIMEOUT(zap_details, file_migration_punch, 60)
{
	struct se_tally t = {
		.what = "file migration entries skipped, the page unmapped by the locked pass",
	};
	char label[64];
	int round;

	for (round = 0; round < se_rounds(S1_RACE_ROUNDS); round++) {
		t.rounds++;
		if (s1_file_migration(_metadata, &self->se))
			t.hits++;
	}
	se_tally_report(&t, se_settings_str(variant->set, label, sizeof(label)));
	ASSERT_EQ(variant->skips ? t.rounds : 0, t.hits);
}

/*
 * No gate: a punch (@truncate false) or a truncate over a file page under
 * migration waits for the page lock in shmem_undo_range() until the
 * migration ends, under every value, and leaves nothing mapped.
 */
static void s1_cut_waits_for_migration(struct __test_metadata *_metadata,
				       struct se *se, bool truncate)
{
	struct se_async op;
	int f, a, b;

	f = se_file_new(_metadata, se, 1);
	se_file_write(_metadata, se, f, 0, S1_FILE0);
	a = se_file_map(_metadata, se, 1, "shared", f);
	b = se_file_map(_metadata, se, 1, "private", f);
	se_read(_metadata, se, a, SE_ADDR(0), S1_FILE0);
	se_read(_metadata, se, b, SE_ADDR(0), S1_FILE0);
	SE_OK(se, "space migrate %d 0x%llx begin", b, SE_ADDR(0));
	if (truncate)
		se_async_start(_metadata, &op, "file truncate %d 0", f);
	else
		se_async_start(_metadata, &op, "file punch %d 0 1", f);
	ASSERT_FALSE(se_async_settle(&op)) {
		TH_LOG("'%s' did not wait for the migration: '%s'", op.cmd, op.reply);
	}
	SE_OK(se, "space migrate %d 0x%llx end", b, SE_ADDR(0));
	ASSERT_EQ(0, se_async_join(&op)) {
		TH_LOG("'%s' -> '%s'", op.cmd, op.reply);
	}
	se_check_pte(_metadata, se, a, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	if (truncate) {
		se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", b,
			SE_ADDR(0));
	} else {
		se_read(_metadata, se, a, SE_ADDR(0), 0);
		se_read(_metadata, se, b, SE_ADDR(0), 0);
	}
	se_destroy(_metadata, se, a);
	se_destroy(_metadata, se, b);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(zap_details, punch_waits_for_file_migration)
{
	s1_cut_waits_for_migration(_metadata, &self->se, false);
}

TEST_F(zap_details, truncate_waits_for_file_migration)
{
	s1_cut_waits_for_migration(_metadata, &self->se, true);
}

TEST_HARNESS_MAIN
