// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 002: the swapin race in do_swap_page() with the KSM copy (linux-mm,
 * July 2010, Andrea Arcangeli and Hugh Dickins, "fix swapin race
 * condition").
 *
 * A KSM page merged from two unrelated spaces A and B is swapped out to
 * slot S and read back for A; when B faults on S, the page is A's, so
 * ksm_might_need_to_copy() copies it for B.  In 2.6.35 the copy unlocked
 * the page first ("any racers will COW it"): while B's fault copied, its
 * entry S was no longer pinned.  Another thread of B faulted the same pte,
 * wrote new data, the last other user of S dropped it, and B's page was
 * swapped out again, to S, the slot just freed.  B's pte held exactly the
 * entry the first fault had read, so its pte_same() passed and it mapped
 * the stale copy over the new data.  Andrea's fix keeps the page locked
 * until pte_same(); Hugh's alternative pins the entry with an extra
 * swap_duplicate() until then.
 *
 * Hugh's second point in the same mail: PageUptodate was checked after
 * pte_same(), on the copy, which is always uptodate, so the junk of a
 * failed read was copied into a clean page and mapped.  The check belongs
 * before the copy.
 *
 *	thread 1 (B reads X)		main, and thread 2 (B writes X ...)
 *	page = lookup_swap_cache(S)
 *	lock_page(page)
 *	[unlock_early: unlock_page]
 *	== gate swapin.ksm_copy ==	B writes X: copies page, S-- , new data
 *					B2 zaps X: S free, page leaves the cache
 *					B's page swapped out: to S again
 *	copy page			(hold_lock: thread 2 sleeps on the lock)
 *	pte_same(S) passes
 *	map the stale copy
 *
 * Andrea's second concern: lookup_swap_cache() returns the page referenced
 * but unlocked, and it can leave the swap cache (and its slot be reused)
 * before the lock is taken.  2.6.35 had no check after lock_page(); his
 * merged fix tests PageSwapCache, and Hugh's "further fix" (Sep 2010) that
 * the page is still that entry's: the page may be back in the swap cache
 * for another slot, reclaim having been unable to free it while the fault
 * held its reference (__remove_mapping()'s refcount freeze).
 *
 *	thread 1 (reads X)		main
 *	page = lookup_swap_cache(S)
 *	== gate swapin.after_lookup ==	X written: page leaves the cache, S free
 *					X's copy swapped out: to S again
 *					[further: page swapped out from D to S2]
 *	lock_page(page)
 *	[recheck: not S's page: retry]
 *	pte_same(S) passes: stale page mapped
 *
 * The reuse of S is a property of the allocator: slot_reuse=immediate gives
 * S out again at once; under deferred (6.12's per-CPU return batch) it is
 * parked and X's copy gets another slot, so pte_same() fails.  Each gated
 * test sets the allocator it needs.
 *
 * The tests are tables: a fixture per question, a variant per policy value
 * (or combination), a test per scenario; staged with gates, 100 rounds (10
 * for swapin_recheck, failed_read_pte_changed and the *_deferred variants),
 * each under the slot_reuse its variant names:
 *   ksm_copy.*.aba    unlock_early: stale data mapped after pte_same()
 *                     passed on a reused slot (audit "bad data"); under
 *                     hold_lock thread 2 sleeps on the page lock until the
 *                     gate opens, and the right data is read; swap_dup pins
 *                     the slot instead; the *_deferred variants show 0 hits
 *                     with 6.12's return batch of slots.
 *   ksm_copy.*.stress the same threads, no gate, 2 s: hits reported, never
 *                     required, and 0 under the fixes.
 *   uptodate_check.*  the failed read ("slot ioerr", "slot reread": the
 *                     swap-cache page re-read, left !uptodate with the junk
 *                     tag ST_TAG_JUNK): after_copy maps the junk as clean
 *                     data; no_copy sends SIGBUS after pte_same(), as 6.12
 *                     does; before_copy (Hugh's 2010 suggestion, a reading of
 *                     the mail) sends it before.  failed_read_pte_changed
 *                     tells the last two apart: B's pte zapped while fault 1
 *                     waits, 6.12 retries and reads zeroes, before_copy
 *                     sends SIGBUS for a pte that is gone.
 *   swapin_recheck.*.left     Andrea's second concern: under none the page
 *                     that left the swap cache is mapped over the new data.
 *   swapin_recheck.*.further  Hugh's further fix (his A, B, C and kswapd
 *                     scenario): the page is swapped out again from another
 *                     space to a new slot and stays in the swap cache
 *                     because the parked fault holds a reference, so
 *                     PageSwapCache alone (swapcache) passes and only the
 *                     entry comparison (swapcache_entry) catches it.
 *
 * Policies: ksm_copy=unlock_early|hold_lock, swapin_pin=page_lock|swap_dup,
 * uptodate_check=after_copy|no_copy|before_copy (the last a reading of the
 * thread), swapin_recheck=none|swapcache|
 * swapcache_entry (the defaults are the fixes), slot_reuse=immediate|deferred.
 */
#define _GNU_SOURCE
#include "st_race.h"

#define X		SE_ADDR(0)
#define S2_OLD		0x2000ULL	/* what A and B wrote, then merged */
#define S2_NEW		0x2b2bULL	/* what B writes while fault 1 copies */
/* the gated tests added with the recheck and the allocator: 10 rounds */
#define S2_ROUNDS	10

SE_FIXTURE(seed002);

/* The three spaces of one round: A unrelated to B; B2 forked from B. */
struct s2_round {
	int a, b, b2;
	unsigned long long slot;	/* S */
};

/*
 * A and B write the same data, KSM merges it, the page goes to slot S and
 * leaves memory; B2 is forked from B then.  A reads X back, so the page in
 * the cache for S is A's, and A drops it again: S is held by B and B2.
 */
static void s2_stage(struct __test_metadata *_metadata, struct se *se,
		     struct s2_round *w)
{
	struct se_pte p;

	w->a = se_space_map(_metadata, se, 1, "anon");
	w->b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, w->a, X, S2_OLD);
	se_write(_metadata, se, w->b, X, S2_OLD);
	SE_OK(se, "ksm merge %d 0x%llx %d 0x%llx", w->a, X, w->b, X);
	se_swapout(_metadata, se, "space", w->a, X, 1, 1, 0);
	w->b2 = se_fork(_metadata, se, w->b);
	se_check_pte(_metadata, se, w->b, X, "swap", SE_ANY, SE_ANY, 0, &p);
	w->slot = p.offset;
	se_read(_metadata, se, w->a, X, S2_OLD);
	SE_OK(se, "space zap %d 0x%llx 1", w->a, X);
	se_check_slot(_metadata, se, w->slot, SE_ANY, 2, 1, 0, 0);
}

/* The audit finds exactly one page of B at X holding @tag, not @expected. */
static void s2_audit_bad_data(struct __test_metadata *_metadata, int b,
			      unsigned long long tag, unsigned long long expected)
{
	const char *want[2];
	char line[128];

	snprintf(line, sizeof(line),
		 "bad data space=%d addr=0x%llx tag=0x%llx expected=0x%llx",
		 b, X, tag, expected);
	want[0] = line;
	want[1] = "violations 1";
	se_audit_exact(_metadata, want, ARRAY_SIZE(want));
}

/* The slots slot_reuse=deferred parked go back: drain_slots_cache_cpu(). */
static void s2_drain(struct __test_metadata *_metadata, struct se *se)
{
	SE_OK(se, "slot drain");
}

static void s2_unstage(struct __test_metadata *_metadata, struct se *se,
		       struct s2_round *w)
{
	se_destroy(_metadata, se, w->a);
	se_destroy(_metadata, se, w->b);
	se_destroy(_metadata, se, w->b2);
	SE_OK(se, "reclaim");
	s2_drain(_metadata, se);
	se_check_free(_metadata, se, w->slot);
	se_audit(_metadata);
}

/*
 * One round of the ABA.  Returns true when fault 1 mapped stale data: its
 * read saw the old tag where B's last write was the new one.
 */
static bool s2_aba_round(struct __test_metadata *_metadata, struct se *se,
			 bool blocks)
{
	struct se_async t1, t2;
	unsigned long long tag, expected;
	struct s2_round w;
	bool stale, done;
	int err;

	s2_stage(_metadata, se, &w);
	se_gate_arm(_metadata, se, "swapin.ksm_copy");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", w.b, X);
	se_gate_wait(_metadata, se, "swapin.ksm_copy");
	se_async_start(_metadata, &t2,
		       "space write %d 0x%llx 0x%llx\n"
		       "space zap %d 0x%llx 1\n"
		       "space swapout %d 0x%llx 1\n"
		       "reclaim",
		       w.b, X, S2_NEW, w.b2, X, w.b, X);
	done = se_async_settle(&t2);
	/* with the page lock held, B's second fault must wait for fault 1 */
	ASSERT_EQ(!blocks, done) {
		TH_LOG("thread 2 %s while fault 1 was parked",
		       done ? "ran through" : "blocked");
	}
	se_gate_open(_metadata, se, "swapin.ksm_copy");
	err = se_async_join(&t1);
	ASSERT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	err = se_async_join(&t2);
	ASSERT_EQ(0, err) {
		TH_LOG("thread 2 line %d -> '%s'", t2.failed, t2.reply);
	}
	/*
	 * Read X again with both threads done: fault 1's own reply may pair
	 * its tag with the expectation of a write that legitimately came
	 * after it (hold_lock lets thread 2 go once the copy is mapped).
	 */
	SE_OK(se, "space read %d 0x%llx", w.b, X);
	tag = ST_GET(se->r, "tag");
	expected = ST_GET(se->r, "expected");
	stale = tag == S2_OLD && expected == S2_NEW;
	if (stale) {
		/* the auditor sees it too: B's data is not what B wrote */
		s2_audit_bad_data(_metadata, w.b, S2_OLD, S2_NEW);
	} else {
		ASSERT_EQ(tag, expected) {
			TH_LOG("B read 0x%llx, expected 0x%llx", tag, expected);
		}
		ASSERT_EQ(S2_NEW, tag);
		/* the page fault 1 held could not be reclaimed until now */
		SE_OK(se, "reclaim");
		se_audit(_metadata);
	}
	s2_unstage(_metadata, se, &w);
	return stale;
}

/*
 * The KSM copy is a table: one variant per combination of ksm_copy,
 * swapin_pin and slot_reuse; the gated ABA and its ungated stress each run
 * under all of them.  @stale: the ABA maps stale data on every round;
 * @blocks: B's second fault waits for fault 1 on the page lock; @may_hit:
 * the stress may see stale data.
 */
FIXTURE_VARIANT(ksm_copy)
{
	struct se_setting set[SE_SETTINGS_MAX];
	bool deferred;
	bool stale;
	bool blocks;
	bool may_hit;
};

SE_FIXTURE_POLICIES(ksm_copy);

/*
 * 2.6.35: the page unlocked across the copy, nothing pins the entry; the
 * ABA needs S given out again while fault 1 copies: slot_reuse=immediate.
 */
FIXTURE_VARIANT_ADD(ksm_copy, unlock_early)
{
	.set = { { "ksm_copy", "unlock_early" }, { "swapin_pin", "page_lock" },
		 { "slot_reuse", "immediate" } },
	.stale = true,
	.may_hit = true,
};

/* The same under 6.12's return batch: S is parked, B's page gets another slot. */
FIXTURE_VARIANT_ADD(ksm_copy, unlock_early_deferred)
{
	.set = { { "ksm_copy", "unlock_early" }, { "swapin_pin", "page_lock" },
		 { "slot_reuse", "deferred" } },
	.deferred = true,
	.may_hit = true,
};

/* Andrea's fix: B's second fault sleeps on the page lock until the copy is mapped. */
FIXTURE_VARIANT_ADD(ksm_copy, hold_lock)
{
	.set = { { "ksm_copy", "hold_lock" }, { "swapin_pin", "page_lock" },
		 { "slot_reuse", "immediate" } },
	.blocks = true,
};

FIXTURE_VARIANT_ADD(ksm_copy, hold_lock_deferred)
{
	.set = { { "ksm_copy", "hold_lock" }, { "swapin_pin", "page_lock" },
		 { "slot_reuse", "deferred" } },
	.deferred = true,
	.blocks = true,
};

/* Hugh's alternative: unlocked, but swap_duplicate() keeps S from reuse. */
FIXTURE_VARIANT_ADD(ksm_copy, swap_dup)
{
	.set = { { "ksm_copy", "unlock_early" }, { "swapin_pin", "swap_dup" },
		 { "slot_reuse", "immediate" } },
};

TEST_F_TIMEOUT(ksm_copy, aba, 90)
{
	struct se_tally t = { .what = "stale data mapped after pte_same()" };
	int rounds = variant->deferred ? se_rounds(S2_ROUNDS) : SE_RACE_ROUNDS;
	char name[96];

	for (t.rounds = 0; t.rounds < (unsigned int)rounds; t.rounds++)
		t.hits += s2_aba_round(_metadata, &self->se, variant->blocks);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->stale ? t.rounds : 0, t.hits);
}

/*
 * Stress: the same two threads with no gate, started together, for a
 * bounded time.  How often does the race hit by chance?  Reported, never
 * required; under the fixes it must never hit.
 */
#define S2_STRESS_SECONDS	2.0

static void s2_stress(struct __test_metadata *_metadata, struct se *se,
		      const struct se_setting *set, bool may_hit)
{
	struct se_tally t = { .what = "stale data, no gate" };
	unsigned long long tag, expected;
	char name[104], label[96];
	struct se_async t1, t2;
	struct s2_round w;
	double end;

	end = se_now() + se_stress_secs(S2_STRESS_SECONDS);
	for (t.rounds = 0; se_now() < end; t.rounds++) {
		s2_stage(_metadata, se, &w);
		se_async_start(_metadata, &t1, "space read %d 0x%llx", w.b, X);
		se_async_start(_metadata, &t2,
			       "space write %d 0x%llx 0x%llx\n"
			       "space zap %d 0x%llx 1\n"
			       "space swapout %d 0x%llx 1",
			       w.b, X, S2_NEW, w.b2, X, w.b, X);
		ASSERT_EQ(0, se_async_join(&t1)) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
		ASSERT_EQ(0, se_async_join(&t2)) {
			TH_LOG("thread 2 line %d -> '%s'", t2.failed, t2.reply);
		}
		/* as in s2_aba_round(): what B holds once both are done */
		SE_OK(se, "space read %d 0x%llx", w.b, X);
		tag = ST_GET(se->r, "tag");
		expected = ST_GET(se->r, "expected");
		if (tag != expected) {
			t.hits++;
			ASSERT_TRUE(may_hit) {
				TH_LOG("stale data under %s: '%s'",
				       se_settings_str(set, label, sizeof(label)), se->r);
			}
		} else {
			se_audit_lines(_metadata, "note stranded", 0, true);
		}
		s2_unstage(_metadata, se, &w);
	}
	se_settings_str(set, label, sizeof(label));
	snprintf(name, sizeof(name), "stress %s", label);
	se_tally_report(&t, name);
}

TEST_F(ksm_copy, stress)
{
	s2_stress(_metadata, &self->se, variant->set, variant->may_hit);
}

/*
 * One round of Hugh's point: fault 1 has found the page (not locked yet)
 * when its read is redone and fails.  Returns true when the junk was mapped.
 */
static bool s2_junk_round(struct __test_metadata *_metadata, struct se *se)
{
	struct se_async t1;
	struct s2_round w;
	bool junk;
	int err;

	s2_stage(_metadata, se, &w);
	se_gate_arm(_metadata, se, "swapin.after_lookup");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", w.b, X);
	se_gate_wait(_metadata, se, "swapin.after_lookup");
	se_ioerr(_metadata, se, w.slot, true);
	SE_OK(se, "slot reread %llu", w.slot);
	ASSERT_EQ(0ULL, ST_GET(se->r, "uptodate"));
	se_gate_open(_metadata, se, "swapin.after_lookup");
	err = se_async_join(&t1);
	/* the device reads again: the audit looks at B2's slot too */
	se_ioerr(_metadata, se, w.slot, false);
	junk = !err && ST_GET(t1.reply, "tag") == ST_TAG_JUNK;
	if (junk) {
		ASSERT_EQ(S2_OLD, ST_GET(t1.reply, "expected"));
		/* the failed page itself goes; B2 reads the device again */
		se_reclaim(_metadata, se, 1);
		s2_audit_bad_data(_metadata, w.b, ST_TAG_JUNK, S2_OLD);
	} else {
		/* the failed read is a SIGBUS, and nothing was mapped */
		ASSERT_EQ(EFAULT, err) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
		se_check_pte(_metadata, se, w.b, X, "swap", w.slot, SE_ANY, 0, NULL);
		SE_OK(se, "reclaim");
		se_read(_metadata, se, w.b, X, S2_OLD);
		se_audit(_metadata);
	}
	s2_unstage(_metadata, se, &w);
	return junk;
}

/*
 * The failed read is a table: one variant per value of uptodate_check.
 * @junk: the junk is mapped on every round; @sigbus_changed: SIGBUS for a
 * pte zapped meanwhile, on every round.
 */
FIXTURE_VARIANT(uptodate_check)
{
	struct se_setting set[SE_SETTINGS_MAX];
	bool junk;
	bool sigbus_changed;
};

SE_FIXTURE_POLICIES(uptodate_check);

/* 2.6.35 to 3.8: the !uptodate page copied, the copy checked. */
FIXTURE_VARIANT_ADD(uptodate_check, after_copy)
{
	.set = { { "uptodate_check", "after_copy" } },
	.junk = true,
};

/* 3.9+: the !uptodate page is not copied; SIGBUS after pte_same(). */
FIXTURE_VARIANT_ADD(uptodate_check, no_copy)
{
	.set = { { "uptodate_check", "no_copy" } },
};

/* Hugh's 2010 suggestion, a reading of the thread: never posted as code. */
FIXTURE_VARIANT_ADD(uptodate_check, before_copy)
{
	.set = { { "uptodate_check", "before_copy" } },
	.sigbus_changed = true,
};

TEST_F_TIMEOUT(uptodate_check, failed_read, 90)
{
	struct se_tally t = { .what = "junk of a failed read mapped" };
	char name[64];

	for (t.rounds = 0; t.rounds < SE_RACE_ROUNDS; t.rounds++)
		t.hits += s2_junk_round(_metadata, &self->se);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->junk ? t.rounds : 0, t.hits);
}

/*
 * What tells before_copy from no_copy: the failed read, and B's pte zapped
 * before fault 1 locks the page (B2 keeps the slot and the page in the
 * cache).  6.12 finds the pte changed and retries: X is a hole, zeroes.
 * A check before pte_same() raises SIGBUS for a pte that is no longer
 * there.  Returns true on that SIGBUS.
 */
static bool s2_changed_round(struct __test_metadata *_metadata, struct se *se)
{
	struct se_async t1;
	struct s2_round w;
	bool sigbus;
	int err;

	s2_stage(_metadata, se, &w);
	se_gate_arm(_metadata, se, "swapin.after_lookup");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", w.b, X);
	se_gate_wait(_metadata, se, "swapin.after_lookup");
	se_ioerr(_metadata, se, w.slot, true);
	SE_OK(se, "slot reread %llu", w.slot);
	ASSERT_EQ(0ULL, ST_GET(se->r, "uptodate"));
	SE_OK(se, "space zap %d 0x%llx 1", w.b, X);
	se_gate_open(_metadata, se, "swapin.after_lookup");
	err = se_async_join(&t1);
	se_ioerr(_metadata, se, w.slot, false);
	sigbus = err == EFAULT;
	if (!sigbus) {
		ASSERT_EQ(0, err) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
		/* do_anonymous_page(): the hole reads as zeroes */
		ASSERT_EQ(0ULL, ST_GET(t1.reply, "tag")) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
	}
	s2_unstage(_metadata, se, &w);
	return sigbus;
}

TEST_F_TIMEOUT(uptodate_check, failed_read_pte_changed, 90)
{
	struct se_tally t = { .what = "SIGBUS for a zapped pte" };
	char name[64];

	for (t.rounds = 0; t.rounds < se_rounds(S2_ROUNDS); t.rounds++)
		t.hits += s2_changed_round(_metadata, &self->se);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->sigbus_changed ? t.rounds : 0, t.hits);
}

/*
 * Andrea's second concern.  B's X on slot S; fault 1 has the page from the
 * swap cache, not locked, when B writes X (the page leaves the cache with
 * S) and B's new page is swapped out, to S again under slot_reuse=immediate.
 * Returns true when fault 1 mapped the old page over B's new data.
 */
static bool s2_left_round(struct __test_metadata *_metadata, struct se *se)
{
	unsigned long long slot, tag, expected;
	struct se_async t1;
	struct se_pte p;
	bool stale;
	int b, err;

	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, b, X, S2_OLD);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	se_check_pte(_metadata, se, b, X, "swap", SE_ANY, SE_ANY, 0, &p);
	slot = p.offset;
	se_gate_arm(_metadata, se, "swapin.after_lookup");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", b, X);
	se_gate_wait(_metadata, se, "swapin.after_lookup");
	se_write(_metadata, se, b, X, S2_NEW);
	/* folio_free_swap() took the page out of the cache; S has no user */
	se_check_slot(_metadata, se, slot, SE_ANY, 0, 0, 0, 0);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	se_gate_open(_metadata, se, "swapin.after_lookup");
	err = se_async_join(&t1);
	ASSERT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	tag = ST_GET(t1.reply, "tag");
	expected = ST_GET(t1.reply, "expected");
	stale = tag == S2_OLD && expected == S2_NEW;
	if (stale) {
		s2_audit_bad_data(_metadata, b, S2_OLD, S2_NEW);
	} else {
		ASSERT_EQ(tag, expected) {
			TH_LOG("fault 1 read 0x%llx, expected 0x%llx", tag, expected);
		}
		se_read(_metadata, se, b, X, S2_NEW);
		se_audit(_metadata);
	}
	se_destroy(_metadata, se, b);
	SE_OK(se, "reclaim");
	s2_drain(_metadata, se);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
	return stale;
}

/*
 * Hugh's "further fix" (linux-mm, 19 Sep 2010), his A, B, C and kswapd:
 * C, D and A share X's slot S; fault 1 of A has the page P, unlocked.  A
 * writes X (its copy Q), D maps P, C writes X (P leaves the cache with S,
 * C gets its copy), Q is swapped out to S again, and P is swapped out from
 * D to S2, but stays in the swap cache: fault 1 holds a reference.  P is
 * swap cache, A's pte is S again: only the entry check tells P is not S's.
 */
static bool s2_further_round(struct __test_metadata *_metadata, struct se *se)
{
	unsigned long long s, s2, tag, expected;
	struct se_async t1;
	struct se_pte p;
	int a, c, d, err;
	bool stale;

	c = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, c, X, S2_OLD);
	se_swapout(_metadata, se, "space", c, X, 1, 1, 0);
	d = se_fork(_metadata, se, c);
	a = se_fork(_metadata, se, c);
	se_check_pte(_metadata, se, a, X, "swap", SE_ANY, SE_ANY, 0, &p);
	s = p.offset;
	se_check_slot(_metadata, se, s, SE_ANY, 3, 0, 0, 0);
	se_gate_arm(_metadata, se, "swapin.after_lookup");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", a, X);
	se_gate_wait(_metadata, se, "swapin.after_lookup");
	se_write(_metadata, se, a, X, S2_NEW);
	se_read(_metadata, se, d, X, S2_OLD);
	se_write(_metadata, se, c, X, S2_NEW + 1);
	se_swapout(_metadata, se, "space", a, X, 1, 1, 0);
	se_swapout(_metadata, se, "space", d, X, 1, 1, 0);
	se_check_pte(_metadata, se, d, X, "swap", SE_ANY, SE_ANY, 0, &p);
	s2 = p.offset;
	/* __remove_mapping() failed: fault 1's reference; P stays cached */
	se_check_slot(_metadata, se, s2, SE_ANY, 1, 1, 0, 0);
	se_gate_open(_metadata, se, "swapin.after_lookup");
	err = se_async_join(&t1);
	ASSERT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	tag = ST_GET(t1.reply, "tag");
	expected = ST_GET(t1.reply, "expected");
	stale = tag == S2_OLD && expected == S2_NEW;
	if (stale) {
		s2_audit_bad_data(_metadata, a, S2_OLD, S2_NEW);
	} else {
		ASSERT_EQ(tag, expected) {
			TH_LOG("fault 1 read 0x%llx, expected 0x%llx", tag, expected);
		}
		se_read(_metadata, se, a, X, S2_NEW);
		se_audit(_metadata);
	}
	se_read(_metadata, se, d, X, S2_OLD);
	se_read(_metadata, se, c, X, S2_NEW + 1);
	se_destroy(_metadata, se, a);
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, d);
	SE_OK(se, "reclaim");
	s2_drain(_metadata, se);
	se_check_free(_metadata, se, s);
	se_check_free(_metadata, se, s2);
	se_audit(_metadata);
	return stale;
}

/*
 * The recheck after lock_page() is a table: one variant per value of
 * swapin_recheck (and slot_reuse), one test per scenario.  @left, @further:
 * the stale page is mapped on every round of that scenario.
 */
FIXTURE_VARIANT(swapin_recheck)
{
	struct se_setting set[SE_SETTINGS_MAX];
	bool left;
	bool further;
};

SE_FIXTURE_POLICIES(swapin_recheck);

/* 2.6.35: no check after lock_page(); pte_same() passes on the reused S. */
FIXTURE_VARIANT_ADD(swapin_recheck, none)
{
	.set = { { "swapin_recheck", "none" }, { "slot_reuse", "immediate" } },
	.left = true,
	.further = true,
};

/*
 * Andrea's fix (2.6.36-rc): !PageSwapCache, retry.  In the further
 * scenario PageSwapCache alone passes: P is swap cache, of S2.
 */
FIXTURE_VARIANT_ADD(swapin_recheck, swapcache)
{
	.set = { { "swapin_recheck", "swapcache" }, { "slot_reuse", "immediate" } },
	.further = true,
};

/* Hugh's further fix, 6.12: not S's page, retry. */
FIXTURE_VARIANT_ADD(swapin_recheck, swapcache_entry)
{
	.set = { { "swapin_recheck", "swapcache_entry" }, { "slot_reuse", "immediate" } },
};

/* No check, but 6.12's return batch parks S: X's copy gets another slot. */
FIXTURE_VARIANT_ADD(swapin_recheck, none_deferred)
{
	.set = { { "swapin_recheck", "none" }, { "slot_reuse", "deferred" } },
};

FIXTURE_VARIANT_ADD(swapin_recheck, swapcache_deferred)
{
	.set = { { "swapin_recheck", "swapcache" }, { "slot_reuse", "deferred" } },
};

TEST_F_TIMEOUT(swapin_recheck, left, 90)
{
	struct se_tally t = { .what = "stale page mapped after lookup" };
	char name[96];

	for (t.rounds = 0; t.rounds < se_rounds(S2_ROUNDS); t.rounds++)
		t.hits += s2_left_round(_metadata, &self->se);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->left ? t.rounds : 0, t.hits);
}

TEST_F_TIMEOUT(swapin_recheck, further, 90)
{
	struct se_tally t = { .what = "stale page mapped after lookup, further" };
	char name[96];

	for (t.rounds = 0; t.rounds < se_rounds(S2_ROUNDS); t.rounds++)
		t.hits += s2_further_round(_metadata, &self->se);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->further ? t.rounds : 0, t.hits);
}

/*
 * Model bug fixed: reclaim must not take a swap-cache page out of the cache
 * while a fault parked after lookup_swap_cache() holds a reference
 * (__remove_mapping()'s folio_ref_freeze()).  The page stays, with S.
 */
TEST_F(seed002, reclaim_keeps_referenced)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_async t1;
	struct se_pte p;
	int b;

	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, b, X, S2_OLD);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	se_check_pte(_metadata, se, b, X, "swap", SE_ANY, SE_ANY, 0, &p);
	slot = p.offset;
	se_gate_arm(_metadata, se, "swapin.after_lookup");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", b, X);
	se_gate_wait(_metadata, se, "swapin.after_lookup");
	se_reclaim(_metadata, se, 0);
	se_check_slot(_metadata, se, slot, SE_ANY, 1, 1, 0, 0);
	se_gate_open(_metadata, se, "swapin.after_lookup");
	ASSERT_EQ(0, se_async_join(&t1)) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	ASSERT_EQ(S2_OLD, ST_GET(t1.reply, "tag"));
	se_destroy(_metadata, se, b);
	SE_OK(se, "reclaim");
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
}

/* "slot drain" takes no argument; under deferred it returns what it parked. */
TEST_F(seed002, slot_drain)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p;
	int b;

	se_fail(_metadata, se, EINVAL, "usage", "slot drain 1");
	SE_OK(se, "slot drain");
	se_policy(_metadata, se, "slot_reuse", "deferred");
	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, b, X, S2_OLD);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	se_check_pte(_metadata, se, b, X, "swap", SE_ANY, SE_ANY, 0, &p);
	slot = p.offset;
	se_destroy(_metadata, se, b);
	/* free_swap_slot(): parked, the map byte still SWAP_HAS_CACHE */
	se_check_slot(_metadata, se, slot, 0x40, 0, 0, 0, 0);
	SE_OK(se, "slot query %llu", slot);
	ASSERT_EQ(1ULL, ST_GET(se->r, "parked"));
	se_fail(_metadata, se, ENOENT, "free", "slot free %llu", slot);
	SE_OK(se, "slot drain");
	ASSERT_EQ(1ULL, ST_GET(se->r, "returned"));
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
