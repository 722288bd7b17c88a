// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 000: "[PATCH -V5 RESEND 03/21] swap: Support PMD swap mapping in
 * swap_duplicate()" (linux-mm, September 2018, Huang Ying and Daniel
 * Jordan), read side by side with the model's copy_pte_range() (fork.c).
 *
 * Before the series, swap_duplicate() returned 0 for every error of
 * __swap_duplicate() but -ENOMEM (570a335b8e22, 2.6.34): "which might
 * occur if a page table entry has got corrupted".  The series returns them
 * all, for the -ENOTDIR of a PMD swap entry whose huge cluster was split.
 * Daniel: copy_one_pte() still returns entry.val, and copy_pte_range()
 * takes it "unconditionally as 'try adding a swap count continuation'":
 *
 *	the thread				the model (dup_errors)
 *	copy_pte_range				copy_range()
 *	 copy_one_pte				 copy_one_pte()
 *	  swap_duplicate			  fork_swap_duplicate()
 *	   __swap_duplicate -> -EEXIST ...	   __st_swap_duplicate() -> -ENOENT
 *						   (the pte's slot count is gone:
 *						    "space drop-count")
 *	  return entry.val			  pre_series, mainline: 0, the pte
 *						  is copied uncounted
 *	 add_swap_count_continuation		 series_v5: a page allocated and
 *	  "allocs and frees a page needlessly"	 freed, the same pte again,
 *	 retry: "the CPU may hang with dead	 ST_DUP_RETRIES times, then ELOOP
 *	 loop" (Ying)				 (the code would loop for ever)
 *	"change copy_one_pte's return to int"	 daniel (a reading of the thread,
 *	 (Daniel's proposal)			 never posted): the fork fails
 *						 with ENOENT, nothing allocated
 *
 * Ying's answer, taken in -V6 and -V8: VM_BUG_ON(err && err != -ENOMEM &&
 * err != -ENOTDIR) in swap_duplicate(); the series was never merged, and
 * 6.12's swap_duplicate() still swallows all but -ENOMEM (mainline, the
 * default).  -ENOMEM itself takes the same path in every value: the
 * GFP_ATOMIC continuation under the table locks, and when that fails
 * ("slot fail-atomic"), the GFP_KERNEL one outside them.
 *
 * The race of the series that -ENOTDIR exists for, the same in every value
 * (copy_huge_pmd(), -mm v4 and -V6 15/21):
 *
 *	fork of P				main
 *	copy_huge_pmd(): P's PMD is a swap entry
 *	== gate fork.before_dup ==		the THP behind it is split:
 *						split_swap_cluster()
 *	swap_duplicate(&entry, HPAGE_PMD_NR) = -ENOTDIR
 *	__split_huge_swap_pmd(), copy 512 ptes
 *
 * The needless pages are counted where they are allocated and freed
 * (cont_pages_* in stats), apart from the swap map's own statistics; the
 * auditor and swapoff compare them with the pages on the continuation
 * lists, so that a leaked page shows ("bad cont-leak", "leaked=").
 *
 * Only a corrupt pte gives __swap_duplicate() such an error (the comment
 * above swap_duplicate() since 2.6.34); "space drop-count" makes one: the
 * slot's last count is dropped and the pte stays, so __swap_duplicate()
 * says -ENOENT.  What each value of dup_errors does with it, and what the
 * tests see:
 *   pre_series, mainline  the pte is copied uncounted: "bad count ...
 *                         count=0 refs=2" in the audit, the child's read
 *                         fails with EIO, then its page 0 reads another
 *                         page's tag once the slot is reused.
 *   series_v5             add_swap_count_continuation(GFP_KERNEL)
 *                         allocates a page and frees it, since the count
 *                         is not SWAP_MAP_MAX ("allocs and frees a page
 *                         needlessly"), and the same pte is tried again:
 *                         in the kernel for ever; the model counts the
 *                         rounds of one pte and fails the fork with ELOOP
 *                         after 4 (ST_DUP_RETRIES, a bound of the model
 *                         applied to every value; no kernel did that).  4
 *                         pages really allocated and freed
 *                         (cont_pages_allocated, cont_pages_freed), never
 *                         listed.
 *   daniel                the fork fails with ENOENT, nothing allocated.
 *                         No posted version implemented Daniel's proposal:
 *                         the thread settled on Ying's VM_BUG_ON (-V8 03/21
 *                         has it; without CONFIG_DEBUG_VM that is
 *                         series_v5), so daniel is a reading:
 *                         copy_one_pte() returns the error,
 *                         copy_pte_range() adds a continuation for -ENOMEM
 *                         only and returns any other error as it returns
 *                         -ENOMEM, failing the fork (retrying would loop as
 *                         the series does; copying would be pre_series).
 *
 * -ENOMEM under every value: swap_duplicate() loops with
 * add_swap_count_continuation(GFP_ATOMIC) under the table locks; when that
 * allocation fails ("slot fail-atomic 1") copy_pte_range() drops the locks,
 * adds the continuation with GFP_KERNEL and copies the same pte again.  In
 * the PMD race, -ENOMEM from the PMD duplicate adds a continuation with
 * GFP_KERNEL and retries; -ENOTDIR splits P's PMD, 512 ptes are copied and
 * counted, the audit is clean, under every value.  Where the model differs:
 * the series' swap_duplicate() retried __swap_duplicate() with *entry moved
 * to the failing slot of the PMD (unaligned); the model retries from the
 * first slot.
 */
#define _GNU_SOURCE
#include "st_race.h"

#define S0_TAG(i)	(0x0a000ULL + (i))
#define S0_RETRIES	4	/* ST_DUP_RETRIES in swaptrack/fork.h */
#define S0_PROBE	7	/* a page of the PMD looked at after the fork */
#define S0_PMD_ROUNDS	25	/* gated rounds per value: 4 values */

enum s0_corrupt_outcome {
	S0_COPIED_UNCOUNTED,	/* the child has the pte, its count never raised */
	S0_LOOPED,		/* needless continuations, then ELOOP */
	S0_FAILED,		/* the fork failed with the error, nothing copied */
};

/*
 * The tests of fork's duplicate are a table: one variant per value of
 * dup_errors.  They run first; the fixture seed000 holds what no value
 * changes, and its leak check comes after them.
 */
FIXTURE_VARIANT(dup_errors)
{
	struct se_setting set[SE_SETTINGS_MAX];
	enum s0_corrupt_outcome corrupt;	/* what a corrupt pte does */
};

SE_FIXTURE_POLICIES(dup_errors);

/* 570a335b8e22 to 4.19: the error swallowed, the pte copied uncounted. */
FIXTURE_VARIANT_ADD(dup_errors, pre_series)
{
	.set = { { "dup_errors", "pre_series" } },
	.corrupt = S0_COPIED_UNCOUNTED,
};

/* -V5 RESEND 03/21: any error is "add a continuation", the pte retried. */
FIXTURE_VARIANT_ADD(dup_errors, series_v5)
{
	.set = { { "dup_errors", "series_v5" } },
	.corrupt = S0_LOOPED,
};

/* Daniel's proposal (a reading of the thread): only -ENOMEM continues. */
FIXTURE_VARIANT_ADD(dup_errors, daniel)
{
	.set = { { "dup_errors", "daniel" } },
	.corrupt = S0_FAILED,
};

/* 6.12: swallowed in swap_duplicate(), as before the series. */
FIXTURE_VARIANT_ADD(dup_errors, mainline)
{
	.set = { { "dup_errors", "mainline" } },
	.corrupt = S0_COPIED_UNCOUNTED,
};

SE_FIXTURE(seed000);

/* What the allocator of continuation pages saw (contpage.c). */
struct s0_pages {
	unsigned long long allocated, atomic, freed, listed;
	unsigned long long fail_left, atomic_failed, cont_unused;
};

static unsigned long long s0_stat(struct __test_metadata *_metadata,
				  const char *text, const char *name)
{
	unsigned long long v = 0;

	EXPECT_TRUE(st_stat_find(text, name, &v)) {
		TH_LOG("stats has no line '%s':\n%s", name, text);
	}
	return v;
}

static void s0_pages(struct __test_metadata *_metadata, struct s0_pages *p)
{
	struct st_stats st;

	st_stats_read(_metadata, &st);
	p->allocated = s0_stat(_metadata, st.text, "cont_pages_allocated");
	p->atomic = s0_stat(_metadata, st.text, "cont_pages_atomic");
	p->freed = s0_stat(_metadata, st.text, "cont_pages_freed");
	p->listed = s0_stat(_metadata, st.text, "cont_pages_listed");
	p->fail_left = s0_stat(_metadata, st.text, "cont_fail_atomic");
	p->atomic_failed = s0_stat(_metadata, st.text, "cont_atomic_failed");
	p->cont_unused = st.cont_unused;
}

/* swapoff frees every continuation page: none may be left unaccounted. */
static void s0_swapoff_no_leak(struct __test_metadata *_metadata, struct se *se)
{
	SE_OK(se, "swapoff");
	ASSERT_EQ(0ULL, ST_GET(se->r, "leaked")) {
		TH_LOG("'swapoff' -> '%s'", se->r);
	}
	SE_OK(se, "swapon");
}

/*
 * P has two pages; page 0 is swapped out to slot S and its count dropped
 * ("space drop-count"): a pte whose slot count is already gone.  Then P
 * forks, and the fork does what the value of dup_errors does: @want.
 */
static void s0_corrupt(struct __test_metadata *_metadata, struct se *se,
		       enum s0_corrupt_outcome want)
{
	struct s0_pages a, b;
	unsigned long long slot;
	char line[3][128];
	const char *audit[2];
	struct se_pte pte;
	int p, c;

	se_fresh_device(_metadata, se);
	p = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, p, SE_ADDR(0), S0_TAG(0));
	se_write(_metadata, se, p, SE_ADDR(1), S0_TAG(1));
	se_swapout(_metadata, se, "space", p, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, p, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &pte);
	slot = pte.offset;
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);

	SE_OK(se, "space drop-count %d 0x%llx", p, SE_ADDR(0));
	ASSERT_TRUE(ST_GET(se->r, "slot") == slot && ST_GET(se->r, "count") == 0) {
		TH_LOG("'space drop-count' -> '%s', want slot=%llu count=0", se->r, slot);
	}
	se_check_free(_metadata, se, slot);
	snprintf(line[0], sizeof(line[0]), "bad count slot=%llu count=0 refs=1", slot);
	audit[0] = line[0];
	audit[1] = "violations 1";
	se_audit_exact(_metadata, audit, 2);

	s0_pages(_metadata, &a);
	switch (want) {
	case S0_COPIED_UNCOUNTED:
		c = se_fork(_metadata, se, p);
		/* the child refers to the free slot too: refs=2 */
		se_check_pte(_metadata, se, c, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
		snprintf(line[0], sizeof(line[0]),
			 "bad count slot=%llu count=0 refs=2", slot);
		se_audit_exact(_metadata, audit, 2);
		se_fail(_metadata, se, EIO, "", "space read %d 0x%llx", c, SE_ADDR(0));
		/* the slot is handed out again under both live ptes */
		se_swapout(_metadata, se, "space", p, SE_ADDR(1), 1, 1, 0);
		se_check_pte(_metadata, se, p, SE_ADDR(1), "swap", slot, SE_ANY, 0, NULL);
		SE_OK(se, "space read %d 0x%llx", c, SE_ADDR(0));
		ASSERT_TRUE(ST_GET(se->r, "tag") == S0_TAG(1) &&
			    ST_GET(se->r, "expected") == S0_TAG(0)) {
			TH_LOG("child's read of its page 0: '%s', want page 1's tag", se->r);
		}
		se_destroy(_metadata, se, c);
		break;
	case S0_LOOPED:
		se_fail(_metadata, se, ELOOP, "loops for ever", "space fork %d", p);
		s0_pages(_metadata, &b);
		/* really allocated and freed, never listed: the needless pages */
		ASSERT_TRUE(b.allocated == a.allocated + S0_RETRIES &&
			    b.freed == a.freed + S0_RETRIES &&
			    b.listed == a.listed &&
			    b.cont_unused == a.cont_unused + S0_RETRIES) {
			TH_LOG("allocated %llu->%llu freed %llu->%llu",
			       a.allocated, b.allocated, a.freed, b.freed);
			TH_LOG("listed %llu->%llu unused %llu->%llu", a.listed,
			       b.listed, a.cont_unused, b.cont_unused);
		}
		se_audit_exact(_metadata, audit, 2);
		break;
	case S0_FAILED:
		se_fail(_metadata, se, ENOENT, "slot is free", "space fork %d", p);
		s0_pages(_metadata, &b);
		ASSERT_TRUE(b.allocated == a.allocated && b.freed == a.freed) {
			TH_LOG("allocated %llu->%llu freed %llu->%llu: want none",
			       a.allocated, b.allocated, a.freed, b.freed);
		}
		se_audit_exact(_metadata, audit, 2);
		break;
	}

	/* exit: the corrupt ptes give up what they can; every slot ends free */
	se_destroy(_metadata, se, p);
	SE_OK(se, "reclaim");	/* the child's swapin left S in the cache */
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	s0_swapoff_no_leak(_metadata, se);
}

TEST_F(dup_errors, corrupt_pte)
{
	s0_corrupt(_metadata, &self->se, variant->corrupt);
}

/*
 * -ENOMEM, the same in every value: P's swapped page has a count of SWAP_MAP_MAX,
 * so its duplicate needs a continuation page.  With @fail_atomic 0 it is
 * had with GFP_ATOMIC under the table locks (swap_duplicate()); with 1
 * that allocation fails and copy_pte_range() drops the locks and adds it
 * with GFP_KERNEL, then copies the same pte again.
 */
static void s0_enomem(struct __test_metadata *_metadata, struct se *se,
		      unsigned int fail_atomic)
{
	unsigned long long slot;
	struct s0_pages a, b;
	struct se_pte pte;
	struct st_slot q;
	int p, c;

	se_fresh_device(_metadata, se);
	p = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, p, SE_ADDR(0), S0_TAG(0));
	se_swapout(_metadata, se, "space", p, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, p, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &pte);
	slot = pte.offset;
	SE_OK(se, "slot dup %llu %d", slot, ST_SWAP_MAP_MAX - 1);
	se_check_slot(_metadata, se, slot, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX, 0, 0, 0);

	SE_OK(se, "slot fail-atomic %u", fail_atomic);
	s0_pages(_metadata, &a);
	ASSERT_EQ(fail_atomic, a.fail_left);
	c = se_fork(_metadata, se, p);
	s0_pages(_metadata, &b);
	ASSERT_TRUE(b.fail_left == 0 &&
		    b.atomic_failed == a.atomic_failed + fail_atomic &&
		    b.allocated == a.allocated + 1 && b.freed == a.freed &&
		    b.listed == a.listed + 1 &&
		    b.atomic == a.atomic + !fail_atomic) {
		TH_LOG("fail-atomic %u: left %llu failed %llu->%llu allocated %llu->%llu",
		       fail_atomic, b.fail_left, a.atomic_failed,
		       b.atomic_failed, a.allocated, b.allocated);
		TH_LOG("atomic %llu->%llu freed %llu->%llu listed %llu->%llu",
		       a.atomic, b.atomic, a.freed, b.freed, a.listed, b.listed);
	}
	se_check_pte(_metadata, se, c, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	st_query(_metadata, se->fd, slot, &q);
	ASSERT_TRUE(q.count == ST_SWAP_MAP_MAX + 1 && q.continued && q.conts == 1) {
		TH_LOG("slot %llu: want count=%d continued=1 conts=1, got '%s'",
		       slot, ST_SWAP_MAP_MAX + 1, q.reply);
	}

	/* back to the two ptes' references: clean */
	SE_OK(se, "slot free %llu %d", slot, ST_SWAP_MAP_MAX - 1);
	ASSERT_EQ(2ULL, ST_GET(se->r, "count"));
	se_audit(_metadata);
	se_read(_metadata, se, c, SE_ADDR(0), S0_TAG(0));
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, p);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	s0_swapoff_no_leak(_metadata, se);
}

TEST_F(dup_errors, enomem_gfp_atomic_under_table_lock)
{
	s0_enomem(_metadata, &self->se, 0);
}

TEST_F(dup_errors, enomem_gfp_kernel_retry_after_atomic_fails)
{
	s0_enomem(_metadata, &self->se, 1);
}

/*
 * The series' copy_huge_pmd() on -ENOMEM, the same under every value:
 * slot + S0_PROBE of P's PMD is at SWAP_MAP_MAX, the GFP_ATOMIC
 * continuation of swap_duplicate(&entry, HPAGE_PMD_NR) fails, and the
 * fork adds it with GFP_KERNEL outside the locks and copies the PMD whole.
 */
TEST_F(seed000, pmd_enomem_gfp_kernel_retry)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct s0_pages a, b;
	struct st_slot q;
	int p, c;

	se_fresh_device(_metadata, se);
	p = se_space_map(_metadata, se, ST_PMD_NR, "anon");
	SE_OK(se, "space populate %d 0x%llx %d write", p, SE_BASE, ST_PMD_NR);
	se_write(_metadata, se, p, SE_ADDR(S0_PROBE), S0_TAG(S0_PROBE));
	SE_OK(se, "space swapout-pmd %d 0x%llx", p, SE_BASE);
	slot = ST_GET(se->r, "slot");
	SE_OK(se, "slot dup %llu %d", slot + S0_PROBE, ST_SWAP_MAP_MAX - 1);
	SE_OK(se, "slot fail-atomic 1");
	s0_pages(_metadata, &a);
	c = se_fork(_metadata, se, p);
	s0_pages(_metadata, &b);
	ASSERT_TRUE(b.fail_left == 0 && b.atomic_failed == a.atomic_failed + 1 &&
		    b.allocated == a.allocated + 1 && b.atomic == a.atomic &&
		    b.listed == a.listed + 1 && b.freed == a.freed) {
		TH_LOG("left %llu failed %llu->%llu allocated %llu->%llu",
		       b.fail_left, a.atomic_failed, b.atomic_failed,
		       a.allocated, b.allocated);
	}
	SE_OK(se, "space pte %d 0x%llx", c, SE_ADDR(S0_PROBE));
	ASSERT_NE(NULL, strstr(se->r, "level=pmd")) {
		TH_LOG("child: '%s', want the PMD copied whole", se->r);
	}
	st_query(_metadata, se->fd, slot + S0_PROBE, &q);
	ASSERT_TRUE(q.count == ST_SWAP_MAP_MAX + 1 && q.continued && q.conts == 1) {
		TH_LOG("slot %llu: '%s'", slot + S0_PROBE, q.reply);
	}
	SE_OK(se, "slot free %llu %d", slot + S0_PROBE, ST_SWAP_MAP_MAX - 1);
	se_audit(_metadata);
	se_read(_metadata, se, c, SE_ADDR(S0_PROBE), S0_TAG(S0_PROBE));
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, p);
	SE_OK(se, "reclaim");
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	s0_swapoff_no_leak(_metadata, se);
}

/*
 * After the tests above and those of dup_errors, which run first: every
 * continuation page the allocator handed out
 * was freed or is on a list.
 */
TEST_F(seed000, leak_check_counts_the_allocator)
{
	struct s0_pages p;

	s0_pages(_metadata, &p);
	ASSERT_EQ(p.allocated - p.freed, p.listed) {
		TH_LOG("allocated %llu freed %llu listed %llu", p.allocated,
		       p.freed, p.listed);
	}
	se_audit(_metadata);
	s0_swapoff_no_leak(_metadata, &self->se);
}

enum s0_outcome {
	S0_CLEAN,		/* the child has ptes, every count is right */
	S0_PMD,			/* the fork duplicated the PMD before the split */
};

/*
 * One round of the PMD race: P's first PMD swapped out as one entry, C1
 * forked from it (so the entry is shared), then a fork of P is parked
 * before its duplicate while the cluster is split ("slot split":
 * split_swap_cluster()).
 */
static enum s0_outcome s0_round(struct __test_metadata *_metadata,
				struct se *se, bool gated)
{
	unsigned long long slot, unused;
	enum s0_outcome out = S0_CLEAN;
	struct se_async t1;
	struct st_stats st;
	int p, c1, c2;

	p = se_space_map(_metadata, se, ST_PMD_NR, "anon");
	SE_OK(se, "space populate %d 0x%llx %d write", p, SE_BASE, ST_PMD_NR);
	se_write(_metadata, se, p, SE_ADDR(S0_PROBE), S0_TAG(S0_PROBE));
	SE_OK(se, "space swapout-pmd %d 0x%llx", p, SE_BASE);
	slot = ST_GET(se->r, "slot");
	c1 = se_fork(_metadata, se, p);

	st_stats_read(_metadata, &st);
	unused = st.cont_unused;
	if (gated) {
		se_gate_arm(_metadata, se, "fork.before_dup");
		se_async_start(_metadata, &t1, "space fork %d", p);
		se_gate_wait(_metadata, se, "fork.before_dup");
		SE_OK(se, "slot split %llu", slot);
		se_gate_open(_metadata, se, "fork.before_dup");
	} else {
		/* stress: the fork and the split race by chance */
		se_async_start(_metadata, &t1, "space fork %d", p);
		SE_OK(se, "slot split %llu", slot);
	}
	ASSERT_EQ(0, se_async_join(&t1)) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	c2 = ST_GET(t1.reply, "space");
	se_own(se->spaces, &se->nspaces, SE_SPACES_MAX + 1, c2, true);
	st_stats_read(_metadata, &st);
	ASSERT_EQ(unused, st.cont_unused);
	SE_OK(se, "space pte %d 0x%llx", c2, SE_ADDR(S0_PROBE));
	if (strstr(se->r, "level=pmd")) {
		/* only without the gate: the duplicate came before the split */
		ASSERT_FALSE(gated);
		out = S0_PMD;
	} else {
		/* split, 512 ptes copied: C1's PMD, P's and C2's ptes */
		se_check_pte(_metadata, se, c2, SE_ADDR(S0_PROBE), "swap",
			     slot + S0_PROBE, SE_ANY, 0, NULL);
		se_check_slot(_metadata, se, slot + S0_PROBE, SE_ANY, 3, 0, 0, 0);
		se_read(_metadata, se, c2, SE_ADDR(S0_PROBE), S0_TAG(S0_PROBE));
	}
	se_audit(_metadata);
	se_destroy(_metadata, se, c2);
	se_destroy(_metadata, se, c1);
	se_destroy(_metadata, se, p);
	SE_OK(se, "reclaim");
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
	return out;
}

/* -ENOTDIR: split the PMD, copy ptes; the same under every value. */
TEST_F_TIMEOUT(dup_errors, pmd_split_falls_back_to_ptes, 60)
{
	struct se_tally t = {
		.what = "P's PMD split and 512 ptes copied and counted",
	};
	char name[64];

	for (t.rounds = 0; t.rounds < se_rounds(S0_PMD_ROUNDS); t.rounds++)
		t.hits += s0_round(_metadata, &self->se, true) == S0_CLEAN;
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(t.rounds, t.hits);
}

/*
 * Stress: the fork and the split started together, with no gate, for a
 * bounded time.  A round hits when the fork met the split cluster;
 * reported, not required; every round must be clean either way.
 */
#define S0_STRESS_SECONDS	2.0

TEST_F(seed000, stress_pmd_split)
{
	struct se_tally t = { .what = "the fork met the split cluster, no gate" };
	struct se *se = &self->se;
	double end;

	end = se_now() + se_stress_secs(S0_STRESS_SECONDS);
	for (t.rounds = 0; se_now() < end; t.rounds++)
		t.hits += s0_round(_metadata, se, false) == S0_CLEAN;
	se_tally_report(&t, "stress dup_errors=mainline");
}

/* The fault injection commands refuse what they cannot do. */
TEST_F(seed000, injection_bad_input)
{
	struct se *se = &self->se;
	int p;

	p = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, p, SE_ADDR(0), S0_TAG(0));
	se_fail(_metadata, se, EINVAL, "", "space drop-count %d", p);
	se_fail(_metadata, se, EINVAL, "", "space drop-count %d 0x%llx 1", p, SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "no space", "space drop-count 63 0x%llx", SE_ADDR(0));
	se_fail(_metadata, se, EINVAL, "", "space drop-count %d 0x%llx", p, SE_ADDR(0) + 1);
	se_fail(_metadata, se, EFAULT, "not mapped", "space drop-count %d 0x%llx", p, SE_ADDR(2));
	se_fail(_metadata, se, EINVAL, "no swap pte", "space drop-count %d 0x%llx", p, SE_ADDR(0));
	se_fail(_metadata, se, EINVAL, "no swap pte", "space drop-count %d 0x%llx", p, SE_ADDR(1));
	se_swapout(_metadata, se, "space", p, SE_ADDR(0), 1, 1, 0);
	SE_OK(se, "space drop-count %d 0x%llx", p, SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "already free", "space drop-count %d 0x%llx", p, SE_ADDR(0));
	se_destroy(_metadata, se, p);

	se_fail(_metadata, se, EINVAL, "", "slot fail-atomic");
	se_fail(_metadata, se, EINVAL, "", "slot fail-atomic x");
	se_fail(_metadata, se, EINVAL, "", "slot fail-atomic 1 2");
	se_fail(_metadata, se, E2BIG, "above", "slot fail-atomic 1025");
	se_fail(_metadata, se, ERANGE, "", "slot fail-atomic 99999999999999999999999");
	SE_OK(se, "slot fail-atomic 3");
	ASSERT_EQ(3ULL, ST_GET(se->r, "fail_atomic"));
	SE_OK(se, "slot fail-atomic 0");
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
