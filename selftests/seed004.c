// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 004: the uffd-wp "special swap pte" (linux-mm, July 2021, Peter Xu's
 * uffd-wp shmem series; merged in 5.19 as the pte marker).
 *
 * Write-protecting a file page that is not mapped leaves a pte that is not
 * present and not a swap entry: it only says "protected".  pte_none() is
 * false for it.  Alistair Popple went through the callers: get_mctgt_type()
 * took it for a swap pte though "the page/swap cache could hide behind the
 * special pte just like a none pte" (Peter); migrate_vma_collect_pmd() had
 * to see it as a hole; page_vma_mapped_walk() must skip it (check_pte()
 * returns false) so that it stays for the fault to deal with; do_swap_page()
 * must never see one.  He asked whether pte_none() should not simply be
 * true for it; Peter kept pte_none() and changed the callers that mean
 * "none or marker" one by one (later pte_none_mostly()), and zap learnt to
 * keep markers unless told to drop them.
 *
 * "policy set marker_none strict" is every caller with plain pte_none();
 * "mostly" (the default) is the fix.  For each caller, strict shows its
 * damage and mostly the right outcome:
 *   fault           SIGBUS (do_swap_page() on a marker)  | page in, wp kept
 *   populate        a write populate passes a protected  | the userfault
 *                   page, which is left unpopulated      |
 *   charge move     the file page behind it not moved    | moved
 *   migrate collect the marker ignored as a swap entry   | a hole
 *   rmap walk       the marker taken for a mapping       | skipped
 *   zap             the marker cleared: protection lost  | kept
 * The headline race is populate against MADV_DONTNEED: the populate peeks
 * at a protected page that needs a write fault, parks at marker.walk, the
 * zap turns the page into a marker, and the populate reads it again.
 *
 * Every test resets the policy when it ends.
 */
#define _GNU_SOURCE
#include "st_race.h"

/* The tags of the file's pages. */
#define S4_TAG(i)	(0x400ULL + 0x10ULL * (i))
#define S4_PAGES	4

FIXTURE(seed004)
{
	struct se se;
};

FIXTURE_SETUP(seed004)
{
	if (!se_setup(_metadata, &self->se))
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	/* pte markers exist for uffd-wp alone */
	if (!se_wp_supported(_metadata, &self->se))
		SKIP(return, SE_WP_SKIP_REASON);
	ST_OK(self->se.fd, self->se.r, "policy reset");
}

FIXTURE_TEARDOWN_PARENT(seed004)
{
	se_teardown_policies(_metadata, &self->se);
}

/*
 * A file of @pages pages, every page written, mapped shared by a new space
 * (*sp) registered for uffd-wp and protected: page 0 is mapped (present,
 * read-only, uffd-wp), the others were never faulted and are markers.
 */
static int s4_protected(struct __test_metadata *_metadata, struct se *se,
			unsigned int pages, int *sp)
{
	unsigned int i;
	char how[64];
	int f, s;

	f = se_file_new(_metadata, se, pages);
	for (i = 0; i < pages; i++)
		se_file_write(_metadata, se, f, i, S4_TAG(i));
	snprintf(how, sizeof(how), "shared %d 0", f);
	s = se_space_map(_metadata, se, pages, how);
	se_read(_metadata, se, s, SE_ADDR(0), S4_TAG(0));
	SE_OK(se, "space uffd-wp %d 0x%llx %u on", s, SE_BASE, pages);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 1, NULL);
	for (i = 1; i < pages; i++)
		se_check_pte(_metadata, se, s, SE_ADDR(i), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
	se_audit(_metadata);
	*sp = s;
	return f;
}

static void s4_done(struct __test_metadata *_metadata, struct se *se, int s, int f)
{
	SE_OK(se, "policy reset");
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_audit(_metadata);
}

/* handle_pte_fault(): a marker is a missing page, faulted in protected. */
TEST_F(seed004, fault)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, 2, &s);
	/* not pte_none(): do_swap_page(), which knows no such entry */
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, 2, &s);
	se_read(_metadata, se, s, SE_ADDR(1), S4_TAG(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1, NULL);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1", s,
		SE_ADDR(1));
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/* MADV_POPULATE_READ / _WRITE over markers, no race. */
TEST_F(seed004, populate)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, 3, &s);
	/* The write populate passes the protected page and leaves it unmapped. */
	SE_OK(se, "space populate %d 0x%llx 1 write", s, SE_ADDR(1));
	ASSERT_EQ(0ULL, ST_GET(se->r, "populated"));
	ASSERT_EQ(1ULL, ST_GET(se->r, "skipped"));
	SE_OK(se, "space populate %d 0x%llx 2 read", s, SE_ADDR(1));
	ASSERT_EQ(0ULL, ST_GET(se->r, "populated"));
	ASSERT_EQ(2ULL, ST_GET(se->r, "skipped"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, 3, &s);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault",
		"space populate %d 0x%llx 1 write", s, SE_ADDR(1));
	SE_OK(se, "space populate %d 0x%llx 3 read", s, SE_ADDR(0));
	ASSERT_EQ(3ULL, ST_GET(se->r, "populated"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "skipped"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "present", SE_ANY, 0, 1, NULL);
	se_read(_metadata, se, s, SE_ADDR(2), S4_TAG(2));
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/* get_mctgt_type(): the file page behind a marker has a charge to move. */
TEST_F(seed004, charge_move)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, S4_PAGES, &s);
	SE_OK(se, "space charge-move %d 0x%llx %d", s, SE_BASE, S4_PAGES);
	ASSERT_EQ(1ULL, ST_GET(se->r, "present"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "swap"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "file"));
	ASSERT_EQ(S4_PAGES - 1ULL, ST_GET(se->r, "none"));
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, S4_PAGES, &s);
	SE_OK(se, "space charge-move %d 0x%llx %d", s, SE_BASE, S4_PAGES);
	ASSERT_EQ(1ULL, ST_GET(se->r, "present"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "swap"));
	ASSERT_EQ(S4_PAGES - 1ULL, ST_GET(se->r, "file"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "none"));
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/* migrate_vma_collect_pmd(): a marker is a hole, not a swapped page. */
TEST_F(seed004, migrate_collect)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, S4_PAGES, &s);
	SE_OK(se, "space migrate-collect %d 0x%llx %d", s, SE_BASE, S4_PAGES);
	ASSERT_EQ(1ULL, ST_GET(se->r, "collected"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "holes"));
	ASSERT_EQ(S4_PAGES - 1ULL, ST_GET(se->r, "ignored"));
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, S4_PAGES, &s);
	SE_OK(se, "space migrate-collect %d 0x%llx %d", s, SE_BASE, S4_PAGES);
	/* file holes are not migrated: only the present page is collected */
	ASSERT_EQ(1ULL, ST_GET(se->r, "collected"));
	ASSERT_EQ(S4_PAGES - 1ULL, ST_GET(se->r, "holes"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "ignored"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/* page_vma_mapped_walk(): a marker maps nothing; the walk steps over it. */
TEST_F(seed004, rmap_walk)
{
	struct se *se = &self->se;
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, 2, &s);
	SE_OK(se, "file rmap %d 0", f);
	ASSERT_EQ(1ULL, ST_GET(se->r, "walked"));
	ASSERT_EQ(1ULL, ST_GET(se->r, "mapcount"));
	/* the page of index 1 is mapped nowhere, yet the walk found a pte */
	SE_OK(se, "file rmap %d 1", f);
	ASSERT_EQ(1ULL, ST_GET(se->r, "walked"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "mapcount"));
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, 2, &s);
	SE_OK(se, "file rmap %d 0", f);
	ASSERT_EQ(1ULL, ST_GET(se->r, "walked"));
	ASSERT_EQ(1ULL, ST_GET(se->r, "mapcount"));
	SE_OK(se, "file rmap %d 1", f);
	ASSERT_EQ(0ULL, ST_GET(se->r, "walked"));
	ASSERT_EQ(0ULL, ST_GET(se->r, "mapcount"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/* zap_pte_range(): a marker stays unless the zap drops markers. */
TEST_F(seed004, zap)
{
	struct se *se = &self->se;
	char lost[96];
	const char *want[2];
	int f, s;

	se_policy(_metadata, se, "marker_none", "strict");
	f = s4_protected(_metadata, se, 2, &s);
	SE_OK(se, "space zap %d 0x%llx", s, SE_ADDR(1));
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	snprintf(lost, sizeof(lost), "bad lost-wp space=%d addr=0x%llx kind=0", s,
		 SE_ADDR(1));
	want[0] = lost;
	want[1] = "violations 1";
	se_audit_exact(_metadata, want, ARRAY_SIZE(want));
	/* the write that should have raised a userfault goes through */
	se_write(_metadata, se, s, SE_ADDR(1), S4_TAG(1) + 1);
	s4_done(_metadata, se, s, f);

	se_policy(_metadata, se, "marker_none", "mostly");
	f = s4_protected(_metadata, se, 2, &s);
	SE_OK(se, "space zap %d 0x%llx", s, SE_ADDR(1));
	ASSERT_EQ(0ULL, ST_GET(se->r, "zapped"));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1", s,
		SE_ADDR(1));
	se_audit(_metadata);
	/* exit_mmap() drops them: nothing left to audit either way */
	s4_done(_metadata, se, s, f);
}

/*
 * The headline race, @rounds times on one protected page: a write populate
 * peeks at it (present, read-only: it needs a write fault) and parks at
 * marker.walk; MADV_DONTNEED zaps the page, leaving a marker; the populate
 * reads the entry again under the lock.  Returns the rounds in which the
 * populate passed the protected page (strict's damage).
 */
static unsigned int s4_race(struct __test_metadata *_metadata, struct se *se,
			    bool strict, unsigned int rounds)
{
	unsigned int round, passed = 0;
	struct se_async a;
	int f, s, err;

	se_policy(_metadata, se, "marker_none", strict ? "strict" : "mostly");
	f = s4_protected(_metadata, se, 1, &s);
	for (round = 0; round < rounds; round++) {
		if (round) {
			/* the page mapped and protected again */
			SE_OK(se, "space uffd-wp %d 0x%llx 1 off", s, SE_BASE);
			se_read(_metadata, se, s, SE_ADDR(0), S4_TAG(0));
			SE_OK(se, "space uffd-wp %d 0x%llx 1 on", s, SE_BASE);
			se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0,
				     1, NULL);
		}

		se_gate_arm(_metadata, se, "marker.walk");
		se_async_start(_metadata, &a, "space populate %d 0x%llx 1 write", s,
			       SE_ADDR(0));
		se_gate_wait(_metadata, se, "marker.walk");
		SE_OK(se, "space zap %d 0x%llx", s, SE_ADDR(0));
		ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
		se_gate_open(_metadata, se, "marker.walk");
		err = se_async_join(&a);

		if (strict) {
			/* MADV_POPULATE_WRITE succeeded over a protected page */
			ASSERT_EQ(0, err) {
				TH_LOG("round %u: '%s' -> '%s'", round, a.cmd, a.reply);
			}
			ASSERT_EQ(0ULL, ST_GET(a.reply, "populated"));
			ASSERT_EQ(1ULL, ST_GET(a.reply, "skipped"));
			passed++;
		} else {
			ASSERT_EQ(EPERM, err) {
				TH_LOG("round %u: '%s' -> '%s'", round, a.cmd, a.reply);
			}
			ASSERT_NE(NULL, strstr(a.reply, "uffd-wp userfault"));
		}
		/* either way the protection is still there, and the data */
		se_check_pte(_metadata, se, s, SE_ADDR(0), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
		se_audit(_metadata);
	}
	s4_done(_metadata, se, s, f);
	return passed;
}

TEST_F_TIMEOUT(seed004, historical_populate_write_vs_zap, 60)
{
	struct se_tally t = {
		.what = "MADV_POPULATE_WRITE passed a uffd-wp protected page",
		.rounds = SE_RACE_ROUNDS,
	};
	double t0 = se_now();

	t.hits = s4_race(_metadata, &self->se, true, t.rounds);
	se_tally_report(&t, "marker_none=strict");
	ksft_print_msg("%u rounds in %.1f s\n", t.rounds, se_now() - t0);
	ASSERT_EQ(t.rounds, t.hits);
}

TEST_F_TIMEOUT(seed004, fixed_populate_write_vs_zap, 60)
{
	struct se_tally t = {
		.what = "MADV_POPULATE_WRITE passed a uffd-wp protected page",
		.rounds = SE_RACE_ROUNDS,
	};
	double t0 = se_now();

	t.hits = s4_race(_metadata, &self->se, false, t.rounds);
	se_tally_report(&t, "marker_none=mostly");
	ksft_print_msg("%u rounds in %.1f s\n", t.rounds, se_now() - t0);
	ASSERT_EQ(0U, t.hits);
}

/*
 * Stress: the populate and the zap of the headline race started together,
 * with no gate, for a bounded time.  A round "hits" when the populate
 * passes the protected page; reported, not required; never under mostly.
 */
#define S4_STRESS_SECONDS	2.0

static void s4_stress(struct __test_metadata *_metadata, struct se *se,
		      bool strict)
{
	struct se_tally t = { .what = "populate passed a protected page, no gate" };
	struct se_async a, z;
	double end;
	int f, s;

	se_policy(_metadata, se, "marker_none", strict ? "strict" : "mostly");
	f = s4_protected(_metadata, se, 1, &s);
	end = se_now() + S4_STRESS_SECONDS;
	for (t.rounds = 0; se_now() < end; t.rounds++) {
		if (t.rounds) {
			SE_OK(se, "space uffd-wp %d 0x%llx 1 off", s, SE_BASE);
			se_read(_metadata, se, s, SE_ADDR(0), S4_TAG(0));
			SE_OK(se, "space uffd-wp %d 0x%llx 1 on", s, SE_BASE);
		}
		se_async_start(_metadata, &a, "space populate %d 0x%llx 1 write", s,
			       SE_ADDR(0));
		se_async_start(_metadata, &z, "space zap %d 0x%llx", s, SE_ADDR(0));
		ASSERT_EQ(0, se_async_join(&z)) {
			TH_LOG("'%s' -> '%s'", z.cmd, z.reply);
		}
		if (!se_async_join(&a)) {
			t.hits++;
			ASSERT_TRUE(strict) {
				TH_LOG("mostly: '%s' -> '%s'", a.cmd, a.reply);
			}
		} else {
			ASSERT_NE(NULL, strstr(a.reply, "uffd-wp userfault")) {
				TH_LOG("'%s' -> '%s'", a.cmd, a.reply);
			}
		}
		se_check_pte(_metadata, se, s, SE_ADDR(0), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
		se_audit(_metadata);
	}
	s4_done(_metadata, se, s, f);
	se_tally_report(&t, strict ? "stress marker_none=strict" :
				     "stress marker_none=mostly");
}

TEST_F(seed004, stress_strict)
{
	s4_stress(_metadata, &self->se, true);
}

TEST_F(seed004, stress_mostly)
{
	s4_stress(_metadata, &self->se, false);
}

/* Every new command refuses what it cannot mean. */
TEST_F(seed004, bad_input)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_protected(_metadata, se, 2, &s);

	se_fail(_metadata, se, EINVAL, "usage", "space populate %d 0x%llx 1", s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space", "space populate 999 0x%llx 1 read",
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "not a page", "space populate %d 0x%llx 1 read",
		s, SE_BASE + 1);
	se_fail(_metadata, se, EINVAL, "not in", "space populate %d 0x%llx 0 read", s,
		SE_BASE);
	se_fail(_metadata, se, E2BIG, "not in", "space populate %d 0x%llx 4097 read", s,
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "is not read or write",
		"space populate %d 0x%llx 1 rw", s, SE_BASE);
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space populate %d 0x%llx 1 read", s,
		SE_ADDR(2));
	se_fail(_metadata, se, ENOMEM, "not mapped", "space populate %d 0x%llx 3 read",
		s, SE_BASE);

	se_fail(_metadata, se, EINVAL, "usage", "space charge-move %d 0x%llx", s,
		SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space", "space charge-move 999 0x%llx 1",
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "not a page", "space charge-move %d 0x10 1", s);
	se_fail(_metadata, se, E2BIG, "not in", "space charge-move %d 0x%llx 4097", s,
		SE_BASE);
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space charge-move %d 0x%llx 1", s,
		SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "space migrate-collect %d 0x%llx 1 2",
		s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space",
		"space migrate-collect 999 0x%llx 1", SE_BASE);
	se_fail(_metadata, se, EINVAL, "not a number",
		"space migrate-collect %d 0x%llx x", s, SE_BASE);
	se_fail(_metadata, se, EINVAL, "not in", "space migrate-collect %d 0x%llx 0",
		s, SE_BASE);
	se_fail(_metadata, se, EFAULT, "SIGSEGV",
		"space migrate-collect %d 0x%llx 1", s, SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "file rmap %d", f);
	se_fail(_metadata, se, ENOENT, "no file", "file rmap 999 0");
	se_fail(_metadata, se, EINVAL, "not a number", "file rmap %d x", f);
	se_fail(_metadata, se, EINVAL, "beyond the end", "file rmap %d 2", f);
	SE_OK(se, "file punch %d 1 1", f);
	se_fail(_metadata, se, ENOENT, "no page at index", "file rmap %d 1", f);

	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

TEST_HARNESS_MAIN
