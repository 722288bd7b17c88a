// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 005: the swapin that skips the swap cache on a SWP_SYNCHRONOUS_IO
 * device, and its ABA (commit 13ddaf26be32 "mm/swap: fix race when
 * skipping swapcache", Kairui Song, February 2024, merged for 6.8; reported
 * by Huang Ying; Fixes: 0bcac06f27d7 "mm, swap: skip swapcache for swapin of
 * synchronous device", 4.15).
 *
 * From the fix's changelog: when skipping the swap cache, two threads that
 * swap in the same entry at the same time get different pages (A, B).
 * Before T0 installs A, T1 finishes the swapin of B, swap_free()s the entry,
 * writes B and swaps it out again to the same entry.  T0's pte_same() passes,
 * since the pte holds the same value, and T0 maps its stale page A: B's data
 * is lost, and T0's swap_free() frees the slot that held it.
 *
 *	thread 1 (reads X)		main, and thread 2 (same mm)
 *	no swap-cache page, count 1
 *	[swapcache_prepare: pin S]
 *	page A = alloc, read S
 *	== gate swapin.sync_read ==	thread 2 reads X: page B, maps it,
 *					  swap_free(S): S is free
 *					  (the fix: its swapcache_prepare()
 *					  fails, it sleeps and retries)
 *					writes X, swaps it out: to S again,
 *					  the pte holds the same value
 *	pte_same(S) passes
 *	swap_free(S), map stale A
 *
 * The model reuses a freed slot at once (lowest free slot first), which
 * is what lets one gated round stage the reuse.
 *
 * 6.12's do_swap_page() skips the swap cache when no swap-cache page is
 * there and __swap_count() is 1 (the map byte without SWAP_HAS_CACHE; an
 * entry a fork shares goes through the cache).  The fault reads the slot
 * into a page of its own, takes the table lock, checks pte_same() and
 * PG_uptodate, swap_free()s the slot and maps the page.  Under none, the
 * first fault passes pte_same(), frees the slot that held the new data and
 * maps its stale copy: a read gives the old tag, audit "bad data", every
 * round.  Under swapcache_prepare the first fault holds SWAP_HAS_CACHE from
 * before its read until after its table lock ("slot query" shows cache=1
 * with no swap-cache page); the second fault's swapcache_prepare() fails
 * and it sleeps on swapcache_wq (at most a tick, as in 6.12) and retries
 * until the first has mapped: the new data is read back, the audit is
 * clean.  A zap while the first fault is parked makes its pte_same() fail
 * under both values.  Stress (2 s per value, no gate): hits reported, 0
 * required under the fix.  Left out: large folios (6.10+), zram's discard
 * at swap_free() (the changelog's second case), memcg.
 *
 * Policy: sync_pin=none (4.15 to 6.7) | swapcache_prepare (the fix, default).
 * The device is made SWP_SYNCHRONOUS_IO with "swap sync on" for each test.
 * The races are a table: the fixture sync_pin has one variant per value and
 * one test per scenario (the ABA, a zap while parked, the ungated stress);
 * the fixture seed005 holds what no value changes.
 */
#define _GNU_SOURCE
#include "st_race.h"

#define X		SE_ADDR(0)
#define S5_OLD		0x5000ULL	/* what the slot held when both faulted */
#define S5_NEW		0x5b5bULL	/* what thread 2 writes after mapping */

FIXTURE(seed005)
{
	struct se se;
};

FIXTURE_SETUP(seed005)
{
	if (!se_fixture_setup(_metadata, &self->se, NULL))
		return;
	ST_OK(self->se.fd, self->se.r, "swap sync on");
}

/* The teardown turns "swap sync" off again (se_switches_reset()). */
FIXTURE_TEARDOWN_PARENT(seed005)
{
	se_fixture_teardown(_metadata, &self->se);
}

/*
 * The races are a table: one variant per value of sync_pin, each test
 * one scenario.  @fix: the entry is pinned, no round may hit.
 */
FIXTURE(sync_pin)
{
	struct se se;
};

FIXTURE_VARIANT(sync_pin)
{
	struct se_setting set[SE_SETTINGS_MAX];
	bool fix;
};

/* 4.15 to 6.7: nothing pins the entry between the read and pte_same(). */
FIXTURE_VARIANT_ADD(sync_pin, none)
{
	.set = { { "sync_pin", "none" } },
	.fix = false,
};

/* The fix: thread 2's swapcache_prepare() fails, it waits and retries. */
FIXTURE_VARIANT_ADD(sync_pin, swapcache_prepare)
{
	.set = { { "sync_pin", "swapcache_prepare" } },
	.fix = true,
};

FIXTURE_SETUP(sync_pin)
{
	if (!se_fixture_setup(_metadata, &self->se, variant->set))
		return;
	ST_OK(self->se.fd, self->se.r, "swap sync on");
}

FIXTURE_TEARDOWN_PARENT(sync_pin)
{
	se_fixture_teardown(_metadata, &self->se);
}

/* "swap_sync" of the stats file. */
static unsigned long long s5_stat_sync(struct __test_metadata *_metadata)
{
	unsigned long long v = ~0ULL;
	struct st_stats s;

	st_stats_read(_metadata, &s);
	ASSERT_TRUE(st_stat_find(s.text, "swap_sync", &v)) {
		TH_LOG("stats has no swap_sync line:\n%s", s.text);
	}
	return v;
}

/* The policy file has the line @line. */
static void s5_policy_shows(struct __test_metadata *_metadata, const char *line)
{
	char text[2048], *hit;
	ssize_t n;
	int fd;

	fd = open(ST_POLICY_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_LE(0, n);
	text[n] = '\0';
	hit = strstr(text, line);
	ASSERT_TRUE(hit && (hit == text || hit[-1] == '\n') &&
		    hit[strlen(line)] == '\n') {
		TH_LOG("%s has no line '%s':\n%s", ST_POLICY_PATH, line, text);
	}
}

TEST_F(seed005, sync_command)
{
	struct se *se = &self->se;

	ASSERT_EQ(1ULL, s5_stat_sync(_metadata));
	/* after "policy reset" (setup) the switch is at the fix */
	s5_policy_shows(_metadata, "sync_pin=swapcache_prepare values=none,swapcache_prepare");
	se_fail(_metadata, se, EINVAL, "no value 'prepare'", "policy set sync_pin prepare");
	se_fail(_metadata, se, EINVAL, "no value 'None'", "policy set sync_pin None");
	SE_OK(se, "swap sync off");
	ASSERT_STREQ("ok sync=off", se->r);
	ASSERT_EQ(0ULL, s5_stat_sync(_metadata));
	se_fail(_metadata, se, EINVAL, "want on or off", "swap sync maybe");
	se_fail(_metadata, se, EINVAL, "want on or off", "swap sync ON");
	se_fail(_metadata, se, EINVAL, "want on or off", "swap sync 1");
	se_fail(_metadata, se, EINVAL, "usage: swap sync on|off", "swap sync");
	se_fail(_metadata, se, EINVAL, "usage: swap sync on|off", "swap sync on off");
	se_fail(_metadata, se, EINVAL, "unknown command", "swap");
	se_fail(_metadata, se, EINVAL, "unknown command", "swap frob on");
	/* a refused command changed nothing */
	ASSERT_EQ(0ULL, s5_stat_sync(_metadata));
	SE_OK(se, "swap sync on");
	ASSERT_STREQ("ok sync=on", se->r);
	ASSERT_EQ(1ULL, s5_stat_sync(_metadata));
	SE_OK(se, "swap sync on");
	ASSERT_EQ(1ULL, s5_stat_sync(_metadata));
}

/* One page of a new space written with @tag and swapped out; returns S. */
static unsigned long long s5_stage(struct __test_metadata *_metadata,
				   struct se *se, int *s, unsigned long long tag,
				   struct se_pte *p)
{
	*s = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, *s, X, tag);
	se_swapout(_metadata, se, "space", *s, X, 1, 1, 0);
	se_check_pte(_metadata, se, *s, X, "swap", SE_ANY, SE_ANY, 0, p);
	se_check_slot(_metadata, se, p->offset, 1, 1, 0, 0, 0);
	return p->offset;
}

/*
 * A fault on a count-1 entry of a sync device maps a page of its own and
 * frees the slot: no swap-cache page is left behind.  With the flag off,
 * the same read leaves the page in the swap cache (cache=1, no count).
 */
TEST_F(seed005, skip_swapcache)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p;
	int s;

	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	se_read(_metadata, se, s, X, S5_OLD);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
	se_destroy(_metadata, se, s);

	SE_OK(se, "swap sync off");
	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	se_read(_metadata, se, s, X, S5_OLD);
	se_check_slot(_metadata, se, slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	se_destroy(_metadata, se, s);
	se_reclaim(_metadata, se, 1);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
}

/*
 * __swap_count(entry) == 1 only: an entry a fork shares (count 2) goes
 * through the swap cache, and parent and child map the one page read.
 */
TEST_F(seed005, shared_entry_uses_swapcache)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p, pc;
	int s, c;

	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	c = se_fork(_metadata, se, s);
	se_check_slot(_metadata, se, slot, 2, 2, 0, 0, 0);
	se_read(_metadata, se, s, X, S5_OLD);
	/* the parent's read left the page in the cache, the child's count */
	se_check_slot(_metadata, se, slot, 1 | ST_SWAP_HAS_CACHE, 1, 1, 0, 0);
	se_read(_metadata, se, c, X, S5_OLD);
	se_check_pte(_metadata, se, s, X, "present", SE_ANY, 0, 0, &p);
	se_check_pte(_metadata, se, c, X, "present", SE_ANY, 0, 0, &pc);
	ASSERT_EQ(p.pfn, pc.pfn) {
		TH_LOG("parent and child read the shared entry into two pages");
	}
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_reclaim(_metadata, se, 1);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
}

/*
 * A failed read: SIGBUS after pte_same(), nothing mapped, the entry and its
 * count kept, and the pin dropped again.
 */
TEST_F(seed005, read_error_sigbus)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p;
	int s;

	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	se_ioerr(_metadata, se, slot, true);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, X);
	se_check_pte(_metadata, se, s, X, "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
	se_ioerr(_metadata, se, slot, false);
	se_read(_metadata, se, s, X, S5_OLD);
	se_check_free(_metadata, se, slot);
	se_destroy(_metadata, se, s);
	se_audit(_metadata);
}

/*
 * The pte zapped (MADV_DONTNEED) while thread 1 is parked after its read:
 * under either policy pte_same() fails, the fault is retried and finds a
 * hole, which reads zeroes.  The pin keeps the zapped slot from being freed
 * until thread 1 drops it.  Returns true when thread 1 mapped what it read.
 */
static bool s5_zap_round(struct __test_metadata *_metadata, struct se *se,
			 bool fix)
{
	unsigned long long slot;
	struct se_async t1;
	struct se_pte p;
	bool mapped;
	int s, err;

	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	se_gate_arm(_metadata, se, "swapin.sync_read");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", s, X);
	se_gate_wait(_metadata, se, "swapin.sync_read");
	SE_OK(se, "space zap %d 0x%llx 1", s, X);
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	/* the map count is gone; only the pin still holds the slot */
	se_check_slot(_metadata, se, slot, fix ? ST_SWAP_HAS_CACHE : 0, 0, fix,
		      0, 0);
	se_gate_open(_metadata, se, "swapin.sync_read");
	err = se_async_join(&t1);
	ASSERT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	ASSERT_EQ(0ULL, ST_GET(t1.reply, "expected"));
	mapped = ST_GET(t1.reply, "tag") == S5_OLD;
	if (!mapped) {
		ASSERT_EQ(0ULL, ST_GET(t1.reply, "tag")) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
	}
	se_check_free(_metadata, se, slot);
	if (!mapped)
		se_audit(_metadata);
	se_destroy(_metadata, se, s);
	se_audit(_metadata);
	return mapped;
}

TEST_F_TIMEOUT(sync_pin, zap_while_parked, 90)
{
	struct se_tally t = { .what = "zapped entry's old data mapped" };
	char name[64];

	for (t.rounds = 0; t.rounds < SE_RACE_ROUNDS; t.rounds++)
		t.hits += s5_zap_round(_metadata, &self->se, variant->fix);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(0U, t.hits);
}

/* "raw=" of a "space pte" reply. */
static unsigned long long s5_raw(struct __test_metadata *_metadata,
				 const struct se_pte *p)
{
	return st_get(_metadata, p->reply, "raw");
}

/* The audit finds exactly one page at X holding the old tag, not the new. */
static void s5_audit_bad_data(struct __test_metadata *_metadata, int s)
{
	const char *want[2];
	char line[128];

	snprintf(line, sizeof(line),
		 "bad data space=%d addr=0x%llx tag=0x%llx expected=0x%llx",
		 s, X, S5_OLD, S5_NEW);
	want[0] = line;
	want[1] = "violations 1";
	se_audit_exact(_metadata, want, ARRAY_SIZE(want));
}

/*
 * One gated round.  Returns true when thread 1 mapped stale data: its page
 * holds the old tag where thread 2's write was the new one.
 */
static bool s5_aba_round(struct __test_metadata *_metadata, struct se *se,
			 bool fix)
{
	unsigned long long slot, raw, tag;
	struct se_async t1, t2;
	struct se_pte p;
	bool stale, done;
	int s, err;

	slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
	raw = s5_raw(_metadata, &p);
	se_gate_arm(_metadata, se, "swapin.sync_read");
	se_async_start(_metadata, &t1, "space read %d 0x%llx", s, X);
	se_gate_wait(_metadata, se, "swapin.sync_read");
	/* the fix pins S with SWAP_HAS_CACHE, no swap-cache page behind it */
	se_check_slot(_metadata, se, slot, fix ? 1 | ST_SWAP_HAS_CACHE : 1, 1,
		      fix, 0, 0);
	se_async_start(_metadata, &t2,
		       "space read %d 0x%llx\n"
		       "space write %d 0x%llx 0x%llx\n"
		       "space swapout %d 0x%llx 1",
		       s, X, s, X, S5_NEW, s, X);
	done = se_async_settle(&t2);
	/* under the fix thread 2 sleeps in the fault until thread 1 is done */
	ASSERT_EQ(!fix, done) {
		TH_LOG("thread 2 %s while thread 1 was parked",
		       done ? "ran through" : "blocked");
	}
	if (done) {
		ASSERT_EQ(0, t2.err) {
			TH_LOG("thread 2 line %d -> '%s'", t2.failed, t2.reply);
		}
		/* the ABA: the slot reused, the pte back to the same value */
		se_check_pte(_metadata, se, s, X, "swap", slot, SE_ANY, 0, &p);
		ASSERT_EQ(raw, s5_raw(_metadata, &p));
	}
	se_gate_open(_metadata, se, "swapin.sync_read");
	err = se_async_join(&t1);
	ASSERT_EQ(0, err) {
		TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
	}
	err = se_async_join(&t2);
	ASSERT_EQ(0, err) {
		TH_LOG("thread 2 line %d -> '%s'", t2.failed, t2.reply);
	}
	/* what the address holds now, read by main */
	SE_OK(se, "space read %d 0x%llx", s, X);
	ASSERT_EQ(S5_NEW, ST_GET(se->r, "expected"));
	stale = ST_GET(se->r, "tag") == S5_OLD;
	if (stale) {
		/* thread 1 read the old tag as data that is current */
		ASSERT_EQ(S5_OLD, ST_GET(t1.reply, "tag"));
		ASSERT_EQ(S5_NEW, ST_GET(t1.reply, "expected"));
		s5_audit_bad_data(_metadata, s);
	} else {
		ASSERT_EQ(S5_NEW, ST_GET(se->r, "tag")) {
			TH_LOG("main read '%s'", se->r);
		}
		/*
		 * Thread 1's load came before or after thread 2's store,
		 * which can run as soon as thread 1 has mapped the page.
		 */
		tag = ST_GET(t1.reply, "tag");
		ASSERT_TRUE(tag == S5_OLD || tag == S5_NEW) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
		se_audit(_metadata);
	}
	se_destroy(_metadata, se, s);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
	return stale;
}

TEST_F_TIMEOUT(sync_pin, aba, 90)
{
	struct se_tally t = { .what = "stale data mapped after pte_same()" };
	char name[64];

	for (t.rounds = 0; t.rounds < SE_RACE_ROUNDS; t.rounds++)
		t.hits += s5_aba_round(_metadata, &self->se, variant->fix);
	se_tally_report(&t, se_settings_str(variant->set, name, sizeof(name)));
	ASSERT_EQ(variant->fix ? 0 : t.rounds, t.hits);
}

/*
 * Stress: the same two threads with no gate, started together, for a
 * bounded time.  A hit is main's read finding the old tag at the end.
 * Reported, never required; under the fix it must never hit.
 */
#define S5_STRESS_SECONDS	2.0

static void s5_stress(struct __test_metadata *_metadata, struct se *se,
		      const char *pin, bool may_hit)
{
	struct se_tally t = { .what = "stale data, no gate" };
	unsigned long long slot;
	struct se_async t1, t2;
	struct se_pte p;
	char name[64];
	double end;
	int s;

	end = se_now() + se_stress_secs(S5_STRESS_SECONDS);
	for (t.rounds = 0; se_now() < end; t.rounds++) {
		slot = s5_stage(_metadata, se, &s, S5_OLD, &p);
		se_async_start(_metadata, &t1, "space read %d 0x%llx", s, X);
		se_async_start(_metadata, &t2,
			       "space read %d 0x%llx\n"
			       "space write %d 0x%llx 0x%llx\n"
			       "space swapout %d 0x%llx 1",
			       s, X, s, X, S5_NEW, s, X);
		ASSERT_EQ(0, se_async_join(&t1)) {
			TH_LOG("'%s' -> '%s'", t1.cmd, t1.reply);
		}
		ASSERT_EQ(0, se_async_join(&t2)) {
			TH_LOG("thread 2 line %d -> '%s'", t2.failed, t2.reply);
		}
		SE_OK(se, "space read %d 0x%llx", s, X);
		ASSERT_EQ(S5_NEW, ST_GET(se->r, "expected"));
		if (ST_GET(se->r, "tag") != S5_NEW) {
			t.hits++;
			ASSERT_TRUE(may_hit) {
				TH_LOG("stale data under sync_pin=%s: '%s'", pin, se->r);
			}
		} else {
			se_audit(_metadata);
		}
		/*
		 * Some interleavings leave the slot's page in the swap cache
		 * (thread 2's swapout reusing the slot, main's read finding
		 * it there): stranded once the space goes, as in the kernel,
		 * until reclaim, which frees it only if nobody still holds it.
		 */
		se_destroy(_metadata, se, s);
		SE_OK(se, "reclaim");
		se_check_free(_metadata, se, slot);
	}
	snprintf(name, sizeof(name), "stress sync_pin=%s", pin);
	se_tally_report(&t, name);
	se_audit(_metadata);
}

TEST_F(sync_pin, stress)
{
	s5_stress(_metadata, &self->se, variant->set[0].value, !variant->fix);
}

TEST_HARNESS_MAIN
