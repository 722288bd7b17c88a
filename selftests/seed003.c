// SPDX-License-Identifier: GPL-2.0
/*
 * Seed 003: shmem swapin racing with truncate and hole punch (linux-mm,
 * May 2020, "mm: memcontrol: convert page cache to a new
 * mem_cgroup_charge() API").
 *
 * shmem_swapin_page() reads the swap entry's page, locks it and confirms the
 * entry is still in the file, then shmem_add_to_page_cache() replaces the
 * entry by the page.  The page lock does not hold truncation off: its
 * free_swap_and_cache() only trylocks the page, so the entry can go between
 * the confirmation and the add.  Johannes's series told the cases apart,
 * -EEXIST when something else is at the index and -ENOENT when nothing is;
 * Hugh pointed out that only -EEXIST was retried, so -ENOENT would reach
 * shmem_fault() as SIGBUS (or a read as an error) where the hole should
 * just be refilled.  Johannes made -ENOENT retry too.  Both agreed that the
 * swap-cache page swapin held locked is left stranded when the truncation
 * could not lock it, and that page reclaim frees it later (as after the
 * same race with zap_pte_range()); Hugh's conclusion, as merged, was to
 * stop deleting it from the swap cache in swapin at all.
 *
 * The race, staged with the gate shmem.before_add: thread 2 faults a
 * swapped-out page of a file through a shared mapping (or reads it) and is
 * parked with the swap-cache page locked; the main thread punches a hole
 * there (or truncates the file below the page and back, so that the size
 * still covers it); then the gate opens.
 *
 * "policy set shmem_conflict ...":
 *   eexist_only      v3.7 (215c02bc33bb) to 5.7: every mismatch is -EEXIST;
 *                    swapin deletes the page from the swap cache and looks
 *                    again: zeroes.
 *   enoent_no_retry  Johannes's patch as posted in v2 of "mm: memcontrol:
 *                    charge swapin pages on instantiation" (May 2020):
 *                    -ENOENT, the page deleted, not retried.
 *   enoent_retry     his delta fix of 11 May 2020 (never merged): -ENOENT
 *                    still deletes the page, and is retried: zeroes.
 *   retry            what 5.8 merged (14235ab36019, Hugh's alternative:
 *                    -EEXIST only, no deletion), the default: zeroes, the
 *                    page stranded in the swap cache (an audit note) until
 *                    "reclaim" frees it.
 *
 * The SIGBUS of enoent_no_retry needs "policy set swapin_reconfirm
 * omitted": every kernel re-confirms the entry at the "failed:" label of
 * shmem_swapin_page() (shmem_swapin_folio() in 6.12) and turns the error
 * into -EEXIST when the entry went, so the posted patch would have retried
 * after all.  Hugh's reading in the thread leaves the re-confirmation out;
 * the default, failed_label, keeps it, and under it enoent_no_retry refills
 * the hole on every round too.
 *
 * The tests are a table: the fixture shmem_conflict has one variant per
 * value (with swapin_reconfirm where it matters), and one test per way of
 * losing the entry: a fault or a "file read" against a hole punch, a
 * truncate and regrow, or a truncate beyond EOF (SIGBUS under every
 * value; only what becomes of the page differs).  The fixture seed003
 * holds what no policy changes: the stress runs, the swapout that counts
 * the slot before the index, the gate timeout, bad input.  Every test
 * resets the policies when it ends.
 */
#define _GNU_SOURCE
#include "st_race.h"

#define S3_GATE		"shmem.before_add"
#define S3_TAG		0x3a0ULL
#define S3_GATE_TIMEOUT	"/sys/module/swaptrack/parameters/gate_timeout_ms"

/* What the main thread does while thread 2 is parked. */
enum s3_cut {
	S3_PUNCH,		/* FALLOC_FL_PUNCH_HOLE over the page */
	S3_TRUNCATE_REGROW,	/* truncate below it, then back: a hole again */
	S3_TRUNCATE,		/* truncate below it: beyond EOF */
};

/* A 2-page file mapped shared by a space; page 1 is the one raced for. */
struct s3_round {
	int f, s;
	unsigned long long slot;
	int err;		/* thread 2's outcome */
	char reply[ST_REPLY_MAX + 1];
};

SE_FIXTURE(seed003);

static void s3_begin(struct __test_metadata *_metadata, struct se *se,
		     struct s3_round *r)
{
	r->f = se_file_new(_metadata, se, 2);
	r->s = se_file_map(_metadata, se, 2, "shared", r->f);
}

static void s3_end(struct __test_metadata *_metadata, struct se *se,
		   struct s3_round *r)
{
	se_audit(_metadata);
	se_destroy(_metadata, se, r->s);
	se_file_destroy(_metadata, se, r->f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * Stage the race: page 1 written and swapped out; thread 2 faults or reads
 * it (@fault) and parks at shmem.before_add with the swap-cache page
 * locked; @cut happens; the gate opens.
 */
static void s3_race(struct __test_metadata *_metadata, struct se *se,
		    struct s3_round *r, bool fault, enum s3_cut cut)
{
	struct se_async a;

	se_file_write(_metadata, se, r->f, 1, S3_TAG);
	se_swapout(_metadata, se, "file", r->f, 1, 1, 1, 0);
	r->slot = se_file_slot(_metadata, r->f, 1);
	ASSERT_NE(SE_ABSENT, r->slot);

	se_gate_arm(_metadata, se, S3_GATE);
	if (fault)
		se_async_start(_metadata, &a, "space read %d 0x%llx", r->s,
			       SE_ADDR(1));
	else
		se_async_start(_metadata, &a, "file read %d 1", r->f);
	se_gate_wait(_metadata, se, S3_GATE);

	/* free_swap_and_cache() cannot lock the page: the entry goes alone. */
	switch (cut) {
	case S3_PUNCH:
		SE_OK(se, "file punch %d 1 1", r->f);
		break;
	case S3_TRUNCATE_REGROW:
		SE_OK(se, "file truncate %d 1", r->f);
		SE_OK(se, "file truncate %d 2", r->f);
		break;
	case S3_TRUNCATE:
		SE_OK(se, "file truncate %d 1", r->f);
		break;
	}
	ASSERT_EQ(SE_ABSENT, se_file_slot(_metadata, r->f, 1));
	se_check_slot(_metadata, se, r->slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);

	se_gate_open(_metadata, se, S3_GATE);
	r->err = se_async_join(&a);
	memcpy(r->reply, a.reply, sizeof(r->reply));
}

/* Thread 2 read zeroes: the hole was refilled. */
static bool s3_zeroes(struct s3_round *r)
{
	unsigned long long tag, expected;

	return !r->err && st_field_u64(r->reply, "tag", &tag) &&
	       st_field_u64(r->reply, "expected", &expected) && !tag &&
	       !expected;
}

/* Thread 2 failed with @err, the reason containing @reason. */
static bool s3_failed(struct s3_round *r, int err, const char *reason)
{
	return r->err == err && strstr(r->reply, reason);
}

/* Swapin deleted the page it lost the race with: the slot is free. */
static void s3_cleaned_up(struct __test_metadata *_metadata, struct se *se,
			  struct s3_round *r)
{
	se_check_free(_metadata, se, r->slot);
	se_reclaim(_metadata, se, 0);
}

/* The page is stranded in the swap cache, a note, until reclaim frees it. */
static void s3_stranded(struct __test_metadata *_metadata, struct se *se,
			struct s3_round *r)
{
	char note[64];

	se_check_slot(_metadata, se, r->slot, ST_SWAP_HAS_CACHE, 0, 1, 0, 0);
	snprintf(note, sizeof(note), "note stranded slot=%llu", r->slot);
	se_audit_notes(_metadata, note, 1);
	se_reclaim(_metadata, se, 1);
	se_check_free(_metadata, se, r->slot);
}

/*
 * The race under each value of shmem_conflict (and swapin_reconfirm): one
 * variant per policy, one test per way of losing the entry.  Each test runs
 * S3_ROUNDS rounds, and the outcome must be the variant's on every round.
 */
enum s3_outcome {
	S3_SIGBUS,	/* a fault SIGBUS, a read ENOENT; the page deleted */
	S3_REFILLED,	/* zeroes; swapin deleted the page */
	S3_STRANDED,	/* zeroes; the page left in the swap cache */
};

FIXTURE_VARIANT(shmem_conflict)
{
	struct se_setting set[SE_SETTINGS_MAX];
	enum s3_outcome outcome;
	const char *what;	/* for the tally */
};

SE_FIXTURE_POLICIES(shmem_conflict);

/*
 * The patch as first posted, with Hugh's reading (no re-confirmation at
 * "failed:"): -ENOENT from shmem_add_to_page_cache() is not retried, so a
 * fault on the punched (or truncated and regrown) hole is SIGBUS and a
 * read fails with ENOENT.  The page went from the swap cache with it ("if
 * (error == -ENOENT) delete_from_swap_cache").
 */
FIXTURE_VARIANT_ADD(shmem_conflict, enoent_no_retry)
{
	.set = { { "swapin_reconfirm", "omitted" },
		 { "shmem_conflict", "enoent_no_retry" } },
	.outcome = S3_SIGBUS,
	.what = "SIGBUS (read: ENOENT) on a refillable hole",
};

/*
 * The same patch in a kernel as it was: the "failed:" label finds the
 * entry gone and makes the -ENOENT an -EEXIST, which is retried.  The hole
 * refills; the page went from the swap cache with the -ENOENT.  (The
 * switch is set there and back, as a test of "policy set".)
 */
FIXTURE_VARIANT_ADD(shmem_conflict, enoent_no_retry_reconfirmed)
{
	.set = { { "swapin_reconfirm", "omitted" },
		 { "swapin_reconfirm", "failed_label" },
		 { "shmem_conflict", "enoent_no_retry" } },
	.outcome = S3_REFILLED,
	.what = "zeroes, -ENOENT made -EEXIST at failed:",
};

/*
 * Johannes's delta fix: -ENOENT is retried, and still deletes the page
 * from the swap cache.  Without the re-confirmation too: the retry alone
 * refills the hole.
 */
FIXTURE_VARIANT_ADD(shmem_conflict, enoent_retry)
{
	.set = { { "swapin_reconfirm", "omitted" },
		 { "shmem_conflict", "enoent_retry" } },
	.outcome = S3_REFILLED,
	.what = "zeroes, the page deleted by swapin",
};

/* The delta fix in a kernel as it was: re-confirmed, and retried. */
FIXTURE_VARIANT_ADD(shmem_conflict, enoent_retry_reconfirmed)
{
	.set = { { "shmem_conflict", "enoent_retry" } },
	.outcome = S3_REFILLED,
	.what = "zeroes, the page deleted by swapin",
};

/*
 * Before the series: any mismatch was -EEXIST, swapin deleted the page
 * from the swap cache itself (215c02bc33bb) and shmem_getpage_gfp() looked
 * again.  The hole refills and nothing is stranded.
 */
FIXTURE_VARIANT_ADD(shmem_conflict, eexist_only)
{
	.set = { { "shmem_conflict", "eexist_only" } },
	.outcome = S3_REFILLED,
	.what = "zeroes, the page deleted by swapin",
};

/*
 * The fix: -ENOENT is retried like -EEXIST and the hole refills; the page
 * swapin held is left in the swap cache, an audit note, and reclaim frees
 * it.  (Set from enoent_no_retry, as a test of "policy set".)
 */
FIXTURE_VARIANT_ADD(shmem_conflict, retry)
{
	.set = { { "shmem_conflict", "enoent_no_retry" },
		 { "shmem_conflict", "retry" } },
	.outcome = S3_STRANDED,
	.what = "zeroes, the page stranded for reclaim",
};

/*
 * The rounds of one scenario: when the three scenarios took turns in one
 * test of SE_RACE_ROUNDS rounds, each had a third of them.
 */
#define S3_ROUNDS	se_rounds(34)

/*
 * S3_ROUNDS rounds of the race, @fault or read against @cut, under the
 * policies @set; each must end with @outcome.  Afterwards the refilled page is an ordinary shared
 * file page.
 */
static void s3_rounds(struct __test_metadata *_metadata, struct se *se,
		      const struct se_setting *set, enum s3_outcome outcome,
		      const char *what, bool fault, enum s3_cut cut)
{
	struct se_tally t = { .what = what };
	char label[128];
	struct s3_round r;
	bool hit;

	s3_begin(_metadata, se, &r);
	for (t.rounds = 0; t.rounds < (unsigned int)S3_ROUNDS;) {
		s3_race(_metadata, se, &r, fault, cut);
		t.rounds++;
		if (outcome == S3_SIGBUS)
			hit = fault ? s3_failed(&r, EFAULT, "SIGBUS") :
				      s3_failed(&r, ENOENT, "no page");
		else
			hit = s3_zeroes(&r);
		if (hit)
			t.hits++;
		else
			ksft_print_msg("round %u: thread 2 got %d '%s'\n",
				       t.rounds, r.err, r.reply);
		if (outcome == S3_STRANDED) {
			s3_stranded(_metadata, se, &r);
		} else {
			s3_cleaned_up(_metadata, se, &r);
			/* Nothing was wrong with the hole: the next fault fills it. */
			if (outcome == S3_SIGBUS)
				se_read(_metadata, se, r.s, SE_ADDR(1), 0);
		}
	}
	se_write(_metadata, se, r.s, SE_ADDR(1), S3_TAG + 1);
	se_file_read(_metadata, se, r.f, 1, S3_TAG + 1);
	s3_end(_metadata, se, &r);
	se_tally_report(&t, se_settings_str(set, label, sizeof(label)));
	ASSERT_EQ(t.rounds, t.hits);
}

TEST_F_TIMEOUT(shmem_conflict, fault_vs_punch, 60)
{
	s3_rounds(_metadata, &self->se, variant->set, variant->outcome,
		  variant->what, true, S3_PUNCH);
}

TEST_F_TIMEOUT(shmem_conflict, fault_vs_truncate_regrow, 60)
{
	s3_rounds(_metadata, &self->se, variant->set, variant->outcome,
		  variant->what, true, S3_TRUNCATE_REGROW);
}

TEST_F_TIMEOUT(shmem_conflict, read_vs_punch, 60)
{
	s3_rounds(_metadata, &self->se, variant->set, variant->outcome,
		  variant->what, false, S3_PUNCH);
}

/*
 * Beyond EOF, SIGBUS is right under every policy: the retry finds the
 * index past the size.  Only what becomes of the page differs.
 */
TEST_F(shmem_conflict, fault_vs_truncate_beyond_eof)
{
	struct se *se = &self->se;
	struct s3_round r;

	s3_begin(_metadata, se, &r);
	s3_race(_metadata, se, &r, true, S3_TRUNCATE);
	ASSERT_TRUE(s3_failed(&r, EFAULT, "SIGBUS")) {
		TH_LOG("thread 2 got %d '%s'", r.err, r.reply);
	}
	if (variant->outcome == S3_STRANDED)
		s3_stranded(_metadata, se, &r);
	else
		s3_cleaned_up(_metadata, se, &r);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx",
		r.s, SE_ADDR(1));
	s3_end(_metadata, se, &r);
}

/*
 * Stress: the fault and the hole punch of "fault vs punch" started
 * together, with no gate, for a bounded time.  A round hits when the
 * fault gets SIGBUS; reported, not required; never under retry.
 */
#define S3_STRESS_SECONDS	2.0

static void s3_stress(struct __test_metadata *_metadata, struct se *se,
		      const char *policy)
{
	struct se_tally t = { .what = "SIGBUS on a refillable hole, no gate" };
	bool may_hit = strcmp(policy, "retry");
	struct se_async a, p;
	struct s3_round r;
	char name[64];
	double end;

	/* enoent_no_retry can SIGBUS only without the re-confirmation */
	se_policy(_metadata, se, "swapin_reconfirm", "omitted");
	se_policy(_metadata, se, "shmem_conflict", policy);
	s3_begin(_metadata, se, &r);
	end = se_now() + se_stress_secs(S3_STRESS_SECONDS);
	for (t.rounds = 0; se_now() < end; t.rounds++) {
		se_file_write(_metadata, se, r.f, 1, S3_TAG);
		se_swapout(_metadata, se, "file", r.f, 1, 1, 1, 0);
		se_async_start(_metadata, &a, "space read %d 0x%llx", r.s, SE_ADDR(1));
		se_async_start(_metadata, &p, "file punch %d 1 1", r.f);
		ASSERT_EQ(0, se_async_join(&p)) {
			TH_LOG("'%s' -> '%s'", p.cmd, p.reply);
		}
		if (se_async_join(&a)) {
			ASSERT_NE(NULL, strstr(a.reply, "SIGBUS")) {
				TH_LOG("'%s' -> '%s'", a.cmd, a.reply);
			}
			t.hits++;
			ASSERT_TRUE(may_hit) {
				TH_LOG("%s: '%s' -> '%s'", policy, a.cmd, a.reply);
			}
		}
		SE_OK(se, "reclaim");
		se_audit(_metadata);
	}
	s3_end(_metadata, se, &r);
	snprintf(name, sizeof(name), "stress shmem_conflict=%s", policy);
	se_tally_report(&t, name);
}

TEST_F(seed003, stress_enoent_no_retry)
{
	s3_stress(_metadata, &self->se, "enoent_no_retry");
}

TEST_F(seed003, stress_retry)
{
	s3_stress(_metadata, &self->se, "retry");
}

/*
 * shmem_writepage() counts the slot SWAP_MAP_SHMEM (swap_shmem_alloc())
 * before shmem_delete_from_page_cache() puts the swap entry in the index.
 * Swapout is parked between the two at shmem.writepage, page locked, and
 * the file is truncated below the page.  The truncation waits for the page
 * lock and then frees the entry with its count.  Were the index entry
 * replaced first (as the model once did), the truncation would find the
 * swap entry with no count to free, drop it, and the count taken after it
 * would hold the slot for ever: a leak, "bad count" in the audit.
 */
TEST_F_TIMEOUT(seed003, swapout_counts_before_index, 60)
{
	struct se_tally t = { .what = "truncate waited for the counted swapout" };
	struct se *se = &self->se;
	struct se_async w, tr;
	int f, round;
	bool done;

	for (round = 0; round < SE_RACE_ROUNDS; round++) {
		f = se_file_new(_metadata, se, 2);
		se_file_write(_metadata, se, f, 1, S3_TAG);
		se_gate_arm(_metadata, se, "shmem.writepage");
		se_async_start(_metadata, &w, "file swapout %d 1 1", f);
		se_gate_wait(_metadata, se, "shmem.writepage");
		se_async_start(_metadata, &tr, "file truncate %d 1", f);
		done = se_async_settle(&tr);
		se_gate_open(_metadata, se, "shmem.writepage");
		ASSERT_EQ(0, se_async_join(&w)) {
			TH_LOG("'%s' -> '%s'", w.cmd, w.reply);
		}
		ASSERT_EQ(1ULL, st_field(w.reply, "swapped")) {
			TH_LOG("'%s' -> '%s'", w.cmd, w.reply);
		}
		ASSERT_EQ(0, se_async_join(&tr)) {
			TH_LOG("'%s' -> '%s'", tr.cmd, tr.reply);
		}
		t.rounds++;
		if (!done)
			t.hits++;
		ASSERT_EQ(SE_ABSENT, se_file_slot(_metadata, f, 1));
		se_check_used(_metadata, se, 0);
		se_audit(_metadata);
		se_file_destroy(_metadata, se, f);
		se_check_used(_metadata, se, 0);
	}
	se_tally_report(&t, "swapout vs truncate");
	ASSERT_EQ((unsigned int)SE_RACE_ROUNDS, t.hits);
}

static int s3_gate_timeout(int ms)
{
	char buf[32];
	int fd, n, old;

	fd = open(S3_GATE_TIMEOUT, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	old = n > 0 ? atoi(buf) : -1;
	n = snprintf(buf, sizeof(buf), "%d\n", ms);
	if (old < 0 || pwrite(fd, buf, n, 0) != n)
		old = -1;
	close(fd);
	return old;
}

/*
 * Nobody opens the gate: swapin gives up with ETIMEDOUT, unlocks and puts
 * the page, and the entry, its slot and the cached page are as a finished
 * swapin read would leave them.
 */
TEST_F(seed003, gate_timeout_unwinds)
{
	struct se *se = &self->se;
	struct se_async a;
	int f, s, err, old;
	unsigned long long slot;

	old = s3_gate_timeout(200);
	ASSERT_LT(0, old);
	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 1, S3_TAG);
	s = se_file_map(_metadata, se, 2, "shared", f);
	se_swapout(_metadata, se, "file", f, 1, 1, 1, 0);
	slot = se_file_slot(_metadata, f, 1);

	se_gate_arm(_metadata, se, S3_GATE);
	se_async_start(_metadata, &a, "space read %d 0x%llx", s, SE_ADDR(1));
	se_gate_wait(_metadata, se, S3_GATE);
	err = se_async_join(&a);
	ASSERT_EQ(200, s3_gate_timeout(old));
	ASSERT_TRUE(err == ETIMEDOUT && strstr(a.reply, "timed out at a gate")) {
		TH_LOG("thread 2 got %d '%s'", err, a.reply);
	}
	ST_ERR(EINVAL, se->fd, se->r, "gate open %s", S3_GATE);

	ASSERT_EQ(slot, se_file_slot(_metadata, f, 1));
	se_check_slot(_metadata, se, slot, SE_ANY, 1, 1, 0, 1);
	se_audit(_metadata);
	se_read(_metadata, se, s, SE_ADDR(1), S3_TAG);
	se_check_free(_metadata, se, slot);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(seed003, bad_input)
{
	struct se *se = &self->se;

	se_fail(_metadata, se, EINVAL, "no value", "policy set shmem_conflict eexist");
	se_fail(_metadata, se, EINVAL, "no value", "policy set shmem_conflict retry_");
	se_fail(_metadata, se, EINVAL, "usage", "policy set shmem_conflict");
	se_fail(_metadata, se, EINVAL, "usage", "policy set shmem_conflict retry x");
	se_fail(_metadata, se, EINVAL, "no policy", "policy set shmem_conflicts retry");
	se_fail(_metadata, se, EINVAL, "no value", "policy set swapin_reconfirm failed");
	se_fail(_metadata, se, EINVAL, "no value", "policy set swapin_reconfirm retry");
	se_fail(_metadata, se, EINVAL, "usage", "policy set swapin_reconfirm");
	se_fail(_metadata, se, EINVAL, "no policy", "policy set swapin_confirm omitted");
	se_fail(_metadata, se, EINVAL, "no gate", "gate arm shmem.write_page");
	se_fail(_metadata, se, EINVAL, "no gate", "gate arm shmem.before");
	se_fail(_metadata, se, EINVAL, "no gate", "gate arm shmem.before_add_");
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", S3_GATE);
	se_fail(_metadata, se, EINVAL, "not armed", "gate wait %s", S3_GATE);
	se_gate_arm(_metadata, se, S3_GATE);
	se_fail(_metadata, se, EBUSY, "already armed", "gate arm %s", S3_GATE);
	se_fail(_metadata, se, ETIMEDOUT, "nobody reached", "gate wait %s 10",
		S3_GATE);
	SE_OK(se, "gate open %s", S3_GATE);
	ASSERT_NE(NULL, strstr(se->r, "released=0"));
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", S3_GATE);
}

TEST_HARNESS_MAIN
