// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 004: the uffd-wp "special swap pte" (linux-mm, July 2021, Peter Xu's
 * "userfaultfd-wp: Support shmem and hugetlbfs" v5, review of 05/26
 * "mm/swap: Introduce the idea of special swap ptes" by Alistair Popple;
 * merged in 5.19 as the pte marker, with pte_none_mostly()).
 *
 * Write-protecting a file page that is not mapped leaves a pte that is not
 * present and no swap entry (a marker).  pte_none() is false for it.
 * Alistair: "As I understand things pte_none() == False for a special swap
 * pte, but shouldn't this be treated as pte_none() here?" (get_mctgt_type());
 * Peter: "the page/swap cache could hide behind the special pte just like a
 * none pte.  Will fix it."  Peter kept pte_none() and changed the callers
 * that mean "nothing mapped here" one by one, pte_none_mostly() in 5.19.
 *
 * Every test runs under both variants of "policy set marker_none": strict
 * (the caller asks plain pte_none()) and mostly (6.12, the default).
 *
 *   test            kernel function                  strict            | mostly
 *   fault_marker    handle_pte_marker(); v5's guard  safe: page in, wp kept, both
 *                   in do_swap_page() ("We should never call do_swap_page
 *                   upon a swap special pte")
 *   zap_keeps       zap_pte_range(), zap_drop_markers() safe: marker kept, both
 *   charge_move     get_mctgt_type()                 page behind the    | moved
 *                   (Alistair's finding)             marker stays in
 *                                                    the old memcg
 *   must_wait       userfaultfd_must_wait()          missing fault on   | userfault
 *                                                    a marker retried    delivered
 *                                                    for ever (bounded)
 *   uffd_copy       mfill_atomic_install_pte()       -EEXIST: the data  | copied
 *                   ("We allow to overwrite a pte    never lands
 *                   marker")
 *   mincore         mincore_pte_range() ("We need    resident for a     | page cache
 *                   to do cache lookup too for pte   page that is not    lookup
 *                   markers")
 *   hmm_fault       hmm_vma_handle_pte()             -EFAULT: the device| faulted in,
 *                                                    gets no page        data read
 *   race_must_wait  the gated race: a uffd-wp write fault parked at
 *                   uffd.must_wait, hole punch turns its pte into a marker
 *                   over a hole: strict retries for ever, mostly delivers
 *
 * Under strict, in the caller's words: get_mctgt_type() asks is_swap_pte(),
 * then mc_handle_swap_pte() finds no swap entry: no target, and the page
 * stays charged to the old memcg ("file memcg" reads it); mostly goes to
 * mc_handle_file_pte(): moved.  userfaultfd_must_wait() is false for a
 * marker: VM_FAULT_RETRY without waking the monitor, so a missing fault on
 * a marker over a hole repeats for ever (EAGAIN after 1000 retries in the
 * model).  mfill_atomic_install_pte() fails UFFDIO_COPY over a marker with
 * -EEXIST and the new page leaves the page cache: the data never lands.
 * mincore_pte_range() takes a marker for "migration or hwpoison entries
 * are always uptodate": 1 for a page swapped out or a hole.
 * hmm_vma_handle_pte() "Report error for everything else":
 * hmm_range_fault() fails with -EFAULT.
 *
 * Not modelled: page_vma_mapped_walk()/check_pte() returns false for a
 * marker in every version (Alistair: "check_pte returns false for special
 * pte's"): the model's try_to_unmap() matches ptes by pfn, and the mincore
 * test checks a marker survives a file swapout; migrate_vma_collect_pmd()
 * never migrates a file hole, so a marker there is skipped either way;
 * insert_pfn(), remap_pte_range() and apply_to_pte_range() never see a
 * RAM-backed vma (Peter) and the model has no pfn mappings;
 * migrate_vma_insert_page() rechecks pte_none() itself; MADV_POPULATE asks
 * no pte_none() question (GUP's follow_page_pte() faults in any pte that
 * is not present).  fault_marker: v5's WARN_ON_ONCE guard in do_swap_page()
 * is never reached, since a write maps the page read-only first, as
 * finish_fault() does.  For get_mctgt_type(), strict is also v5 05/26 as
 * posted (July 2021), which Alistair found broken: no target either.
 *
 * In the model: the five callers and handle_pte_marker() sit with the
 * fault, memcg and userfaultfd code they come from (userfaultfd_must_wait()
 * beside handle_userfault()).
 *
 * pte markers exist for uffd-wp alone: arm64 before 6.10 has no uffd-wp,
 * and every test SKIPs there.  Every test resets the policy when it ends.
 */
#define _GNU_SOURCE
#include "st_race.h"

/* The tags of the file's pages. */
#define S4_TAG(i)	(0x400ULL + 0x10ULL * (i))
#define S4_COPY_TAG	0x4c0ULL

FIXTURE(seed004)
{
	struct se se;
};

FIXTURE_VARIANT(seed004)
{
	const char *value;
	bool strict;
};

FIXTURE_VARIANT_ADD(seed004, strict)
{
	.value = "strict",
	.strict = true,
};

FIXTURE_VARIANT_ADD(seed004, mostly)
{
	.value = "mostly",
	.strict = false,
};

FIXTURE_SETUP(seed004)
{
	if (!se_fixture_setup(_metadata, &self->se, NULL))
		return;
	/* pte markers exist for uffd-wp alone */
	if (!se_wp_supported(_metadata, &self->se))
		SKIP(return, SE_WP_SKIP_REASON);
	se_policy(_metadata, &self->se, "marker_none", variant->value);
}

FIXTURE_TEARDOWN_PARENT(seed004)
{
	se_fixture_teardown(_metadata, &self->se);
}

/*
 * A file of @pages pages, written except the indexes in @holes (a bit
 * mask), mapped shared by a new space (*sp); page 0 read (present), then
 * the range registered for missing faults if @missing, and write-protected:
 * page 0 present read-only with uffd-wp, every other page a marker (over
 * the page, or over a hole).
 */
static int s4_setup(struct __test_metadata *_metadata, struct se *se,
		    unsigned int pages, unsigned int holes, bool missing, int *sp)
{
	unsigned int i;
	int f, s;

	f = se_file_new(_metadata, se, pages);
	for (i = 0; i < pages; i++)
		if (!(holes & (1U << i)))
			se_file_write(_metadata, se, f, i, S4_TAG(i));
	s = se_file_map(_metadata, se, pages, "shared", f);
	se_read(_metadata, se, s, SE_ADDR(0), S4_TAG(0));
	if (missing)
		SE_OK(se, "space uffd-missing %d 0x%llx %u", s, SE_BASE, pages);
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
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_audit(_metadata);
}

static void s4_memcg(struct __test_metadata *_metadata, struct se *se, int f,
		     unsigned int index, unsigned long long want)
{
	SE_OK(se, "file memcg %d %u", f, index);
	ASSERT_EQ(want, ST_GET(se->r, "memcg")) {
		TH_LOG("file %d index %u: '%s', want memcg=%llu", f, index, se->r,
		       want);
	}
}

static void s4_mincore(struct __test_metadata *_metadata, struct se *se, int s,
		       unsigned int pages, const char *want)
{
	char got[80];

	SE_OK(se, "space mincore %d 0x%llx %u", s, SE_BASE, pages);
	ASSERT_TRUE(st_field_str(se->r, "vec", got, sizeof(got)));
	ASSERT_STREQ(want, got);
}

/*
 * handle_pte_fault(): a marker is a missing page under both values (5.19's
 * handle_pte_marker() from do_swap_page(); v5 checked it in
 * handle_pte_fault() and put a WARN_ON_ONCE guard in do_swap_page(), which
 * never fires here: the VM log would show it).  A read maps the page with
 * the protection; a write maps it read-only first, then raises the
 * userfault on the present pte.
 */
TEST_F(seed004, fault_marker)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_setup(_metadata, se, 3, 0, false, &s);
	se_read(_metadata, se, s, SE_ADDR(1), S4_TAG(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1, NULL);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1", s,
		SE_ADDR(2));
	se_check_pte(_metadata, se, s, SE_ADDR(2), "present", SE_ANY, 0, 1, NULL);
	se_file_read(_metadata, se, f, 2, S4_TAG(2));
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * zap_pte_range(): MADV_DONTNEED turns a protected page into a marker and
 * keeps a marker, under both values (zap_drop_markers(); v5's "Persist
 * uffd-wp bit across zapping for file-backed").
 */
TEST_F(seed004, zap_keeps)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_setup(_metadata, se, 2, 0, false, &s);
	SE_OK(se, "space zap %d 0x%llx 2", s, SE_BASE);
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1", s,
		SE_ADDR(1));
	se_file_read(_metadata, se, f, 1, S4_TAG(1));
	s4_done(_metadata, se, s, f);
}

/*
 * get_mctgt_type() (mm/memcontrol-v1.c in 6.12): the task's range moves
 * from memcg 0 to memcg 1.  strict: the file pages behind the markers stay
 * charged to memcg 0 (is_swap_pte(), mc_handle_swap_pte() on a non-swap
 * entry: nothing); mostly: mc_handle_file_pte() finds and moves them.
 */
TEST_F(seed004, charge_move)
{
	struct se *se = &self->se;
	unsigned int i;
	int f, s;

	f = s4_setup(_metadata, se, 4, 0, false, &s);
	for (i = 0; i < 4; i++)
		s4_memcg(_metadata, se, f, i, 0);
	SE_OK(se, "space charge-move %d 0x%llx 4", s, SE_BASE);
	s4_memcg(_metadata, se, f, 0, 1);
	for (i = 1; i < 4; i++)
		s4_memcg(_metadata, se, f, i, variant->strict ? 0 : 1);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * userfaultfd_must_wait() (fs/userfaultfd.c): missing mode and uffd-wp on
 * a file with holes at 1 and 2; page 2 stays a none pte (only 0-1 are
 * protected), page 1 is a marker over a hole.  A fault on either raises a
 * missing userfault and must_wait re-reads the pte.  none: true under both
 * values.  A marker: mostly, true: the thread sleeps, the monitor is told;
 * strict, false: VM_FAULT_RETRY without waking the monitor, and the retry
 * finds the same marker over the same hole: the fault never ends (the model
 * stops after 1000 retries, EAGAIN).
 */
TEST_F(seed004, must_wait)
{
	struct se *se = &self->se;
	int f, s;

	f = se_file_new(_metadata, se, 3);
	se_file_write(_metadata, se, f, 0, S4_TAG(0));
	s = se_file_map(_metadata, se, 3, "shared", f);
	SE_OK(se, "space uffd-missing %d 0x%llx 3", s, SE_BASE);
	SE_OK(se, "space uffd-wp %d 0x%llx 2 on", s, SE_BASE);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "none", SE_ANY, SE_ANY, SE_ANY, NULL);

	se_fail(_metadata, se, ENODATA, "uffd missing userfault", "space read %d 0x%llx",
		s, SE_ADDR(2));
	if (variant->strict)
		se_fail(_metadata, se, EAGAIN, "fault kept retrying",
			"space read %d 0x%llx", s, SE_ADDR(1));
	else
		se_fail(_metadata, se, ENODATA, "uffd missing userfault",
			"space read %d 0x%llx", s, SE_ADDR(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * mfill_atomic_install_pte() under UFFDIO_COPY (shmem_mfill_atomic_pte()):
 * the monitor copies a page into the hole behind a marker, write-protected
 * (UFFDIO_COPY_MODE_WP).  mostly: installed over the marker, the data is in
 * the file and mapped.  strict: -EEXIST, the page leaves the page cache
 * again: the file still has a hole, the thread would fault on it again.
 * Into a none pte it works under both.
 */
TEST_F(seed004, uffd_copy)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_setup(_metadata, se, 2, 1U << 1, true, &s);
	if (variant->strict) {
		se_fail(_metadata, se, EEXIST, "already populated",
			"space uffd-copy %d 0x%llx 0x%llx wp", s, SE_ADDR(1),
			S4_COPY_TAG);
		se_file_read(_metadata, se, f, 1, 0);
		se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
	} else {
		SE_OK(se, "space uffd-copy %d 0x%llx 0x%llx wp", s, SE_ADDR(1),
		      S4_COPY_TAG);
		se_file_read(_metadata, se, f, 1, S4_COPY_TAG);
		se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1,
			     NULL);
		se_read(_metadata, se, s, SE_ADDR(1), S4_COPY_TAG);
	}
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);

	/* a none pte over a hole: no question of markers */
	f = se_file_new(_metadata, se, 1);
	s = se_file_map(_metadata, se, 1, "shared", f);
	SE_OK(se, "space uffd-missing %d 0x%llx 1", s, SE_BASE);
	SE_OK(se, "space uffd-copy %d 0x%llx 0x%llx", s, SE_BASE, S4_COPY_TAG);
	se_check_pte(_metadata, se, s, SE_BASE, "present", SE_ANY, 1, 0, NULL);
	se_file_read(_metadata, se, f, 0, S4_COPY_TAG);
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * mincore_pte_range(): page 0 mapped, page 1 a marker over a page of the
 * cache, page 2 a marker over a page swapped out (file swapout: the rmap
 * walk leaves the marker, check_pte() being false for it), page 3 a marker
 * over a hole.  mostly: "0" for the two that are not in memory; strict:
 * every marker reads as resident.
 */
TEST_F(seed004, mincore)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_setup(_metadata, se, 4, 1U << 3, false, &s);
	SE_OK(se, "file swapout %d 2", f);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "marker", SE_ANY, SE_ANY, 1, NULL);
	s4_mincore(_metadata, se, s, 4, variant->strict ? "1111" : "1100");
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * hmm_vma_handle_pte() under hmm_range_fault() with HMM_PFN_REQ_FAULT: a
 * device reads the page behind a marker.  mostly: faulted in (wp kept),
 * the device reads the data.  strict: "Report error for everything else":
 * -EFAULT, nothing for the device, the marker left as it was.
 */
TEST_F(seed004, hmm_fault)
{
	struct se *se = &self->se;
	int f, s;

	f = s4_setup(_metadata, se, 2, 0, false, &s);
	if (variant->strict) {
		se_fail(_metadata, se, EFAULT, "hmm_range_fault: -EFAULT",
			"space hmm-fault %d 0x%llx", s, SE_ADDR(1));
		se_check_pte(_metadata, se, s, SE_ADDR(1), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
	} else {
		SE_OK(se, "space hmm-fault %d 0x%llx", s, SE_ADDR(1));
		ASSERT_EQ(S4_TAG(1), ST_GET(se->r, "tag"));
		ASSERT_EQ(S4_TAG(1), ST_GET(se->r, "expected"));
		se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1,
			     NULL);
	}
	/* a present page: the same under both */
	SE_OK(se, "space hmm-fault %d 0x%llx", s, SE_ADDR(0));
	ASSERT_EQ(S4_TAG(0), ST_GET(se->r, "tag"));
	se_audit(_metadata);
	s4_done(_metadata, se, s, f);
}

/*
 * The gated race, @rounds times: a write to page 0 (present, read-only,
 * uffd-wp; the file registered for missing faults too) goes to do_wp_page()
 * and handle_userfault(), which parks at uffd.must_wait before
 * userfaultfd_must_wait() reads the pte again.  Hole punch zaps the page
 * (a marker, the protection kept) and takes it out of the file.  mostly:
 * the marker means "wait", the monitor gets the userfault.  strict: the
 * thread does not wait, retries, and finds a marker over a hole: a missing
 * fault whose must_wait is false again, for ever.  Returns those rounds.
 */
static unsigned int s4_race(struct __test_metadata *_metadata, struct se *se,
			    bool strict, unsigned int rounds)
{
	unsigned int round, hits = 0;
	struct se_async a;
	int f, s, err;

	f = s4_setup(_metadata, se, 1, 0, true, &s);
	for (round = 0; round < rounds; round++) {
		se_gate_arm(_metadata, se, "uffd.must_wait");
		se_async_start(_metadata, &a, "space write %d 0x%llx 0x%llx", s,
			       SE_ADDR(0), S4_COPY_TAG);
		se_gate_wait(_metadata, se, "uffd.must_wait");
		SE_OK(se, "file punch %d 0 1", f);
		se_gate_open(_metadata, se, "uffd.must_wait");
		err = se_async_join(&a);

		if (strict) {
			ASSERT_EQ(EAGAIN, err) {
				TH_LOG("round %u: '%s' -> '%s'", round, a.cmd, a.reply);
			}
			ASSERT_NE(NULL, strstr(a.reply, "fault kept retrying"));
			hits++;
		} else {
			ASSERT_EQ(EPERM, err) {
				TH_LOG("round %u: '%s' -> '%s'", round, a.cmd, a.reply);
			}
			ASSERT_NE(NULL, strstr(a.reply, "uffd-wp userfault"));
		}
		se_check_pte(_metadata, se, s, SE_ADDR(0), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
		se_file_read(_metadata, se, f, 0, 0);
		se_audit(_metadata);
		/* the page back in the file and mapped, still protected */
		se_file_write(_metadata, se, f, 0, S4_TAG(0));
		se_read(_metadata, se, s, SE_ADDR(0), S4_TAG(0));
		se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 1,
			     NULL);
	}
	s4_done(_metadata, se, s, f);
	return hits;
}

TEST_F_TIMEOUT(seed004, race_must_wait, 60)
{
	struct se_tally t = {
		.what = "a uffd-wp fault racing hole punch never reached the monitor",
		.rounds = SE_RACE_ROUNDS,
	};
	char policy[32];
	double t0 = se_now();

	t.hits = s4_race(_metadata, &self->se, variant->strict, t.rounds);
	snprintf(policy, sizeof(policy), "marker_none=%s", variant->value);
	se_tally_report(&t, policy);
	ksft_print_msg("%u rounds in %.1f s\n", t.rounds, se_now() - t0);
	ASSERT_EQ(variant->strict ? t.rounds : 0U, t.hits);
}

/* Every new command refuses what it cannot mean. */
TEST_F(seed004, bad_input)
{
	struct se *se = &self->se;
	int f, s, a;

	f = s4_setup(_metadata, se, 2, 1U << 1, false, &s);
	a = se_space_map(_metadata, se, 1, "anon");

	se_fail(_metadata, se, EINVAL, "usage", "space charge-move %d 0x%llx", s,
		SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space", "space charge-move 999 0x%llx 1",
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "not a page", "space charge-move %d 0x10 1", s);
	se_fail(_metadata, se, E2BIG, "not in", "space charge-move %d 0x%llx 4097", s,
		SE_BASE);
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space charge-move %d 0x%llx 1", s,
		SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "space uffd-missing %d 0x%llx", s,
		SE_BASE);
	se_fail(_metadata, se, ENOENT, "no space", "space uffd-missing 999 0x%llx 1",
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "shared file mappings only",
		"space uffd-missing %d 0x%llx 1", a, SE_BASE);
	se_fail(_metadata, se, EFAULT, "not mapped", "space uffd-missing %d 0x%llx 3",
		s, SE_BASE);

	se_fail(_metadata, se, EINVAL, "usage", "space uffd-copy %d 0x%llx", s,
		SE_BASE);
	se_fail(_metadata, se, EINVAL, "is not wp",
		"space uffd-copy %d 0x%llx 0x1 rw", s, SE_ADDR(1));
	se_fail(_metadata, se, ERANGE, "tag above",
		"space uffd-copy %d 0x%llx 0x8000000000000000", s, SE_ADDR(1));
	se_fail(_metadata, se, ENOENT, "not registered",
		"space uffd-copy %d 0x%llx 0x1", a, SE_BASE);
	se_fail(_metadata, se, EEXIST, "already populated",
		"space uffd-copy %d 0x%llx 0x1", s, SE_ADDR(0));
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space uffd-copy %d 0x%llx 0x1", s,
		SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "space mincore %d 0x%llx", s, SE_BASE);
	se_fail(_metadata, se, E2BIG, "above 64", "space mincore %d 0x%llx 65", s,
		SE_BASE);
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space mincore %d 0x%llx 1", s,
		SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "space hmm-fault %d", s);
	se_fail(_metadata, se, EFAULT, "SIGSEGV", "space hmm-fault %d 0x%llx", s,
		SE_ADDR(2));

	se_fail(_metadata, se, EINVAL, "usage", "file memcg %d", f);
	se_fail(_metadata, se, ENOENT, "no file", "file memcg 999 0");
	se_fail(_metadata, se, EINVAL, "not a number", "file memcg %d x", f);
	se_fail(_metadata, se, EINVAL, "beyond the end", "file memcg %d 2", f);
	se_fail(_metadata, se, ENOENT, "no page at index", "file memcg %d 1", f);

	/* UFFDIO_COPY beyond the end of the file: mfill_file_over_size() */
	SE_OK(se, "space uffd-missing %d 0x%llx 2", s, SE_BASE);
	SE_OK(se, "file truncate %d 1", f);
	se_fail(_metadata, se, EFAULT, "beyond the end", "space uffd-copy %d 0x%llx 0x1",
		s, SE_ADDR(1));

	se_audit(_metadata);
	se_destroy(_metadata, se, a);
	s4_done(_metadata, se, s, f);
}

TEST_HARNESS_MAIN
