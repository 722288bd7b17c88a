// SPDX-License-Identifier: GPL-2.0
/*
 * The race gates themselves: arm, wait, open; the "gates" file; a parked
 * thread always wakes (opened, timed out, or the arming descriptor closed);
 * bad input is refused with a reason.  Tracing ("gate trace on"): each reply
 * names the gate points its command passed; an arming for one thread
 * (pid=TID) and one pass (nth=K) parks exactly that.
 */
#define _GNU_SOURCE
#include "st_race.h"

#define G_TIMEOUT_PATH	"/sys/module/swaptrack/parameters/gate_timeout_ms"
#define G_TAG		0x6a7eULL
#define G_GATE		"swapin.after_lookup"

FIXTURE(gates)
{
	struct se se;
	int space;
	unsigned long long slot;
};

FIXTURE_SETUP(gates)
{
	if (!se_fixture_setup(_metadata, &self->se, NULL))
		return;
	/* one swapped-out page: a read of it passes the swapin gates */
	self->space = se_space_map(_metadata, &self->se, 1, "anon");
	se_write(_metadata, &self->se, self->space, SE_ADDR(0), G_TAG);
	se_swapout(_metadata, &self->se, "space", self->space, SE_ADDR(0), 1, 1, 0);
	ST_OK(self->se.fd, self->se.r, "space pte %d 0x%llx", self->space, SE_ADDR(0));
	self->slot = ST_GET(self->se.r, "offset");
}

FIXTURE_TEARDOWN_PARENT(gates)
{
	se_fixture_teardown(_metadata, &self->se);
}

/* The space goes; its page read back leaves the slot cached until reclaim. */
static void g_finish(struct __test_metadata *_metadata, struct se *se, int space)
{
	se_destroy(_metadata, se, space);
	SE_OK(se, "reclaim");
	se_audit(_metadata);
}

/* The line of the gates file for @gate, into @line. */
static void g_line(struct __test_metadata *_metadata, const char *gate,
		   char *line, size_t len)
{
	char text[2048], *p, *end;
	ssize_t n;
	int fd;

	fd = open(ST_GATES_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_LT(0, n);
	text[n] = '\0';
	p = strstr(text, gate);
	ASSERT_NE(NULL, p);
	end = strchrnul(p, '\n');
	snprintf(line, len, "%.*s", (int)(end - p), p);
}

static void g_set_timeout(struct __test_metadata *_metadata, const char *ms)
{
	int fd = open(G_TIMEOUT_PATH, O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(ms), write(fd, ms, strlen(ms)));
	close(fd);
}

TEST_F(gates, park_and_open)
{
	struct se *se = &self->se;
	struct se_async t;
	char line[256];

	se_gate_arm(_metadata, se, G_GATE);
	g_line(_metadata, G_GATE, line, sizeof(line));
	ASSERT_EQ(0, strncmp(line, G_GATE " armed ", strlen(G_GATE " armed ")));
	se_async_start(_metadata, &t, "space read %d 0x%llx", self->space, SE_ADDR(0));
	se_gate_wait(_metadata, se, G_GATE);
	g_line(_metadata, G_GATE, line, sizeof(line));
	ASSERT_NE(NULL, strstr(line, " parked pid=")) {
		TH_LOG("gates: '%s'", line);
	}
	/* the parked thread holds a page reference: the slot stays cached */
	se_check_slot(_metadata, se, self->slot, SE_ANY, 1, 1, 0, 0);
	se_gate_open(_metadata, se, G_GATE);
	ASSERT_EQ(0, se_async_join(&t));
	ASSERT_EQ(G_TAG, ST_GET(t.reply, "tag"));
	g_line(_metadata, G_GATE, line, sizeof(line));
	ASSERT_EQ(0, strncmp(line, G_GATE " idle ", strlen(G_GATE " idle ")));
	/* only one thread parks: the next one passes */
	SE_OK(se, "space read %d 0x%llx", self->space, SE_ADDR(0));
	se_audit(_metadata);
	g_finish(_metadata, se, self->space);
}

/* Nobody opens the gate: the thread goes on with ETIMEDOUT, cleanly. */
TEST_F(gates, timeout)
{
	struct se *se = &self->se;
	struct se_async t;
	char line[256];

	g_set_timeout(_metadata, "300");
	se_gate_arm(_metadata, se, G_GATE);
	se_async_start(_metadata, &t, "space read %d 0x%llx", self->space, SE_ADDR(0));
	se_gate_wait(_metadata, se, G_GATE);
	ASSERT_EQ(ETIMEDOUT, se_async_join(&t)) {
		TH_LOG("'%s' -> '%s'", t.cmd, t.reply);
	}
	g_set_timeout(_metadata, "10000");
	g_line(_metadata, G_GATE, line, sizeof(line));
	ASSERT_NE(NULL, strstr(line, " idle ")) {
		TH_LOG("gates: '%s'", line);
	}
	ASSERT_NE(NULL, strstr(line, "timeouts=")) {
		TH_LOG("gates: '%s'", line);
	}
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", G_GATE);
	/* nothing was left behind: the read works and the audit is clean */
	se_read(_metadata, se, self->space, SE_ADDR(0), G_TAG);
	g_finish(_metadata, se, self->space);
}

/* Closing the descriptor that armed a gate opens it. */
TEST_F(gates, close_opens)
{
	struct se *se = &self->se;
	struct se_async t;
	char r[ST_REPLY_MAX + 1];
	int fd = st_open_ctl();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, se_tcmd(fd, r, "gate arm %s", G_GATE));
	se_async_start(_metadata, &t, "space read %d 0x%llx", self->space, SE_ADDR(0));
	se_gate_wait(_metadata, se, G_GATE);
	close(fd);
	ASSERT_EQ(0, se_async_join(&t)) {
		TH_LOG("'%s' -> '%s'", t.cmd, t.reply);
	}
	ASSERT_EQ(G_TAG, ST_GET(t.reply, "tag"));
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", G_GATE);
	g_finish(_metadata, se, self->space);
}

/*
 * Park @cmd at @gate, check what the world looks like meanwhile with
 * @check (a ctl command whose reply must contain @seen), open, and the
 * command must then succeed.
 */
static void g_park(struct __test_metadata *_metadata, struct se *se,
		   const char *gate, const char *cmd, const char *check,
		   const char *seen)
{
	struct se_async t;

	se_gate_arm(_metadata, se, gate);
	se_async_start(_metadata, &t, "%s", cmd);
	se_gate_wait(_metadata, se, gate);
	SE_OK(se, "%s", check);
	ASSERT_NE(NULL, strstr(se->r, seen)) {
		TH_LOG("parked at %s, '%s' -> '%s', want '%s'", gate, check,
		       se->r, seen);
	}
	se_gate_open(_metadata, se, gate);
	ASSERT_EQ(0, se_async_join(&t)) {
		TH_LOG("'%s' -> '%s'", t.cmd, t.reply);
	}
}

/* Reclaim parked after try_to_unmap(): the pte is already the swap entry. */
TEST_F(gates, reclaim_after_unmap)
{
	struct se *se = &self->se;
	char cmd[128], check[128];

	se_read(_metadata, se, self->space, SE_ADDR(0), G_TAG);
	snprintf(cmd, sizeof(cmd), "space swapout %d 0x%llx 1", self->space, SE_ADDR(0));
	snprintf(check, sizeof(check), "space pte %d 0x%llx", self->space, SE_ADDR(0));
	g_park(_metadata, se, "reclaim.after_unmap", cmd, check, "kind=swap");
	se_read(_metadata, se, self->space, SE_ADDR(0), G_TAG);
	g_finish(_metadata, se, self->space);
}

/*
 * A reclaim that stopped at the gate (timed out) left its page unmapped in
 * the swap cache, never written to its slot.  The slot is a reused one: the
 * store still holds its previous life's data.  That page is dirty, and
 * stranded-cache reclaim must keep it (PG_dirty): freeing it as clean made
 * the next swapin read the previous life's tag.
 */
TEST_F(gates, reclaim_keeps_dirty_page)
{
	struct se *se = &self->se;
	struct se_pte pte;
	int other;

	/* slot S read back, zapped, its clean cache page reclaimed: free */
	se_read(_metadata, se, self->space, SE_ADDR(0), G_TAG);
	SE_OK(se, "space zap %d 0x%llx 1", self->space, SE_ADDR(0));
	SE_OK(se, "reclaim");
	se_check_free(_metadata, se, self->slot);

	other = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, other, SE_ADDR(0), G_TAG + 1);
	g_set_timeout(_metadata, "300");
	se_gate_arm(_metadata, se, "reclaim.after_unmap");
	se_swapout(_metadata, se, "space", other, SE_ADDR(0), 1, 0, 1);
	g_set_timeout(_metadata, "10000");
	se_pte(_metadata, se, other, SE_ADDR(0), &pte);
	ASSERT_STREQ("swap", pte.kind);
	ASSERT_EQ(self->slot, pte.offset) {
		TH_LOG("the allocator did not hand slot %llu out again", self->slot);
	}
	SE_OK(se, "reclaim");
	se_read(_metadata, se, other, SE_ADDR(0), G_TAG + 1);
	g_finish(_metadata, se, other);
	g_finish(_metadata, se, self->space);
}

/* A hole punch parked between its unmap pass and the index: page unmapped, still indexed. */
TEST_F(gates, zap_first_pass)
{
	struct se *se = &self->se;
	char cmd[128], check[128];
	int f, s;

	f = se_file_new(_metadata, se, 1);
	se_file_write(_metadata, se, f, 0, G_TAG);
	s = se_file_map(_metadata, se, 1, "shared", f);
	se_read(_metadata, se, s, SE_ADDR(0), G_TAG);
	snprintf(cmd, sizeof(cmd), "file punch %d 0 1", f);
	snprintf(check, sizeof(check), "space pte %d 0x%llx", s, SE_ADDR(0));
	g_park(_metadata, se, "zap.first_pass", cmd, check, "kind=none");
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	g_finish(_metadata, se, self->space);
}

/*
 * A punch parked in shmem_undo_range() with a swap entry seen but not yet
 * freed; a read swaps the page in, replacing the entry.  The punch must
 * look at the index again and drop the page ("Swap was replaced by page:
 * retry"), or the punched hole keeps the old data.
 */
TEST_F(gates, shmem_undo_swap_replaced_by_page)
{
	struct se *se = &self->se;
	struct se_async t;
	int f;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 1, G_TAG);
	se_swapout(_metadata, se, "file", f, 1, 1, 1, 0);
	se_gate_arm(_metadata, se, "shmem.undo");
	se_async_start(_metadata, &t, "file punch %d 1 1", f);
	se_gate_wait(_metadata, se, "shmem.undo");
	se_file_read(_metadata, se, f, 1, G_TAG);
	ASSERT_EQ(SE_ABSENT, se_file_slot(_metadata, f, 1));
	se_gate_open(_metadata, se, "shmem.undo");
	ASSERT_EQ(0, se_async_join(&t)) {
		TH_LOG("'%s' -> '%s'", t.cmd, t.reply);
	}
	se_file_read(_metadata, se, f, 1, 0);
	se_audit(_metadata);
	se_file_destroy(_metadata, se, f);
	g_finish(_metadata, se, self->space);
}

/*
 * @cmd run from @parked and parked at @gate; then @then from @second, which
 * must sleep on the page the parked one holds (D, not done) until the gate
 * opens.  Both are joined by the caller.
 */
static void g_waits_behind(struct __test_metadata *_metadata, struct se *se,
			   const char *gate, struct se_async *parked,
			   const char *cmd, struct se_async *second,
			   const char *then)
{
	se_gate_arm(_metadata, se, gate);
	se_async_start(_metadata, parked, "%s", cmd);
	se_gate_wait(_metadata, se, gate);
	se_async_start(_metadata, second, "%s", then);
	EXPECT_FALSE(se_async_settle(second)) {
		TH_LOG("'%s' ended while '%s' was parked at %s: '%s'", then, cmd,
		       gate, second->reply);
	}
	se_gate_open(_metadata, se, gate);
}

/*
 * A COW fault of a private file mapping parked with its copy made, not
 * mapped: do_cow_fault() holds the file page's lock until finish_fault()
 * has mapped the copy, so a truncate over the page waits for it in its
 * undo range, and its second unmap_mapping_range() comes after the copy's
 * pte and takes it.  Unlocked before the copy was mapped (the model's bug
 * until 81a2e26), the truncate ran to its end meanwhile and the copy
 * stayed beyond EOF ("bad beyond-eof").
 */
TEST_F(gates, cow_copy_keeps_file_page_locked)
{
	struct se_async cow, trunc;
	struct se *se = &self->se;
	char cmd[96], then[96];
	int f, s, err;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 1, G_TAG);
	s = se_file_map(_metadata, se, 2, "private", f);
	snprintf(cmd, sizeof(cmd), "space write %d 0x%llx 0x%llx", s, SE_ADDR(1),
		 G_TAG + 1);
	snprintf(then, sizeof(then), "file truncate %d 1", f);
	g_waits_behind(_metadata, se, "fault.cow_copied", &cow, cmd, &trunc, then);
	/* the store after the fault may meet the second unmap: SIGBUS */
	err = se_async_join(&cow);
	ASSERT_TRUE(!err || (err == EFAULT && strstr(cow.reply, "SIGBUS"))) {
		TH_LOG("'%s' -> '%s'", cow.cmd, cow.reply);
	}
	ASSERT_EQ(0, se_async_join(&trunc)) {
		TH_LOG("'%s' -> '%s'", trunc.cmd, trunc.reply);
	}
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	g_finish(_metadata, se, self->space);
}

/*
 * 6.12's own window, reproduced: a read fault on a shared file page's
 * uffd-wp marker, parked with the page locked after shmem_falloc_wait()
 * let it through (no punch yet), while a hole punch over that page runs.
 * The punch's first pass keeps the marker, its undo range sleeps on the
 * page lock, the fault maps the page with the marker's protection, and
 * truncate_inode_folio() then unmaps it with ZAP_FLAG_DROP_MARKER: the
 * pte ends none and the protection is gone (or the read's load, retried
 * after that, faulted the hole in unprotected).  The auditor reports the
 * loss and names its cause.
 */
TEST_F(gates, punch_drops_wp_of_a_racing_fault)
{
	const char *audit[2];
	struct se_async rd, punch;
	struct se *se = &self->se;
	char lost[128], cmd[96], then[96];
	struct se_pte p;
	bool none;
	int f, s;

	if (!se_wp_supported(_metadata, se))
		SKIP(return, SE_WP_SKIP_REASON);
	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 1, G_TAG);
	s = se_file_map(_metadata, se, 2, "shared", f);
	SE_OK(se, "space uffd-wp %d 0x%llx 2 on", s, SE_BASE);
	snprintf(cmd, sizeof(cmd), "space read %d 0x%llx", s, SE_ADDR(1));
	snprintf(then, sizeof(then), "file punch %d 1 1", f);
	g_waits_behind(_metadata, se, "fault.file_page", &rd, cmd, &punch, then);
	ASSERT_EQ(0, se_async_join(&rd)) {
		TH_LOG("'%s' -> '%s'", rd.cmd, rd.reply);
	}
	ASSERT_EQ(0, se_async_join(&punch)) {
		TH_LOG("'%s' -> '%s'", punch.cmd, punch.reply);
	}
	/*
	 * The load after the fault retries if the second unmap came first:
	 * it faults the hole in, a new page with nothing to protect it.
	 */
	se_pte(_metadata, se, s, SE_ADDR(1), &p);
	none = !strcmp(p.kind, "none");
	ASSERT_TRUE(none || (!strcmp(p.kind, "present") && !p.uffd_wp)) {
		TH_LOG("want none, or present without uffd-wp: '%s'", p.reply);
	}
	snprintf(lost, sizeof(lost),
		 "bad lost-wp space=%d addr=0x%llx kind=%d by=truncate_inode_folio",
		 s, SE_ADDR(1), none ? 0 : 1);
	audit[0] = lost;
	audit[1] = "violations 1";
	se_audit_exact(_metadata, audit, 2);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	g_finish(_metadata, se, self->space);
}

TEST_F(gates, refused)
{
	struct se *se = &self->se;

	se_fail(_metadata, se, EINVAL, "no gate 'swapin'", "gate arm swapin");
	se_fail(_metadata, se, EINVAL, "no gate 'SWAPIN.AFTER_LOOKUP'",
		"gate arm SWAPIN.AFTER_LOOKUP");
	se_fail(_metadata, se, EINVAL, "usage", "gate arm");
	se_fail(_metadata, se, EINVAL, "neither pid=TID nor nth=K",
		"gate arm %s now", G_GATE);
	se_fail(_metadata, se, EINVAL, "usage", "gate arm %s nth=1 pid=1 nth=2",
		G_GATE);
	se_fail(_metadata, se, EINVAL, "pid 0 is not in 1..", "gate arm %s pid=0",
		G_GATE);
	se_fail(_metadata, se, EINVAL, "not in 1..", "gate arm %s pid=99999999",
		G_GATE);
	se_fail(_metadata, se, EINVAL, "nth 0 is not in 1..", "gate arm %s nth=0",
		G_GATE);
	se_fail(_metadata, se, EINVAL, "not a number", "gate arm %s nth=two", G_GATE);
	se_fail(_metadata, se, EINVAL, "not a number", "gate arm %s pid=", G_GATE);
	se_fail(_metadata, se, EINVAL, "not on or off", "gate trace maybe");
	se_fail(_metadata, se, EINVAL, "usage", "gate trace");
	se_fail(_metadata, se, EINVAL, "usage", "gate open");
	se_fail(_metadata, se, EINVAL, "usage", "gate wait %s 1 2", G_GATE);
	se_fail(_metadata, se, EINVAL, "unknown command", "gate close %s", G_GATE);
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", G_GATE);
	se_fail(_metadata, se, EINVAL, "not armed", "gate wait %s", G_GATE);
	se_fail(_metadata, se, EINVAL, "no gate", "gate wait nosuch 10");
	SE_OK(se, "gate arm %s", G_GATE);
	se_fail(_metadata, se, EBUSY, "already armed", "gate arm %s", G_GATE);
	se_fail(_metadata, se, ERANGE, "not in 1..", "gate wait %s 0", G_GATE);
	se_fail(_metadata, se, ERANGE, "not in 1..", "gate wait %s 60001", G_GATE);
	se_fail(_metadata, se, EINVAL, "not a number", "gate wait %s soon", G_GATE);
	se_fail(_metadata, se, ERANGE, "overflows", "gate wait %s 99999999999999999999",
		G_GATE);
	/* armed, but nobody comes */
	se_fail(_metadata, se, ETIMEDOUT, "nobody reached", "gate wait %s 50", G_GATE);
	SE_OK(se, "gate open %s", G_GATE);
	ASSERT_NE(NULL, strstr(se->r, "released=0"));
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", G_GATE);
}

/*
 * A traced read of the swapped-out page names the swapin gates it passed,
 * in order, each with its pass number, and reads what an untraced one
 * reads; untraced again, the reply has no gates=.
 */
TEST_F(gates, trace)
{
	struct se *se = &self->se;
	const char *g;

	SE_OK(se, "gate trace on");
	SE_OK(se, "space read %d 0x%llx", self->space, SE_ADDR(0));
	ASSERT_EQ(G_TAG, ST_GET(se->r, "tag"));
	g = strstr(se->r, " gates=");
	ASSERT_NE(NULL, g) {
		TH_LOG("traced read: '%s'", se->r);
	}
	ASSERT_EQ(0, strncmp(g, " gates=swapin.after_lookup#1,swapin.after_lock#1,",
			     strlen(" gates=swapin.after_lookup#1,swapin.after_lock#1,"))) {
		TH_LOG("traced read: '%s'", se->r);
	}
	ASSERT_NE(NULL, strstr(g, "swapin.before_pte_same#1"));
	ASSERT_EQ(NULL, strstr(se->r, "gates_more"));
	/* a command passing no gate point: an empty list */
	SE_OK(se, "space pte %d 0x%llx", self->space, SE_ADDR(0));
	ASSERT_NE(NULL, strstr(se->r, " gates=")) {
		TH_LOG("traced pte: '%s'", se->r);
	}
	ASSERT_EQ(NULL, strstr(se->r, "#1"));
	/* an error reply carries them too */
	se_fail(_metadata, se, EFAULT, "gates=", "space read %d 0x%llx",
		self->space, SE_ADDR(1));
	SE_OK(se, "gate trace off");
	SE_OK(se, "space read %d 0x%llx", self->space, SE_ADDR(0));
	ASSERT_EQ(NULL, strstr(se->r, "gates="));
	g_finish(_metadata, se, self->space);
}

/* More passes than a reply holds: the list ends with gates_more=1. */
TEST_F(gates, trace_more)
{
	struct se *se = &self->se;
	int space, child, i;

	space = se_space_map(_metadata, se, 128, "anon");
	for (i = 0; i < 128; i++)
		se_write(_metadata, se, space, SE_ADDR(i), G_TAG + i);
	SE_OK(se, "space swapout %d 0x%llx 128", space, SE_ADDR(0));
	SE_OK(se, "gate trace on");
	SE_OK(se, "space fork %d", space);
	ASSERT_NE(NULL, strstr(se->r, "fork.before_dup#1,fork.before_dup#2,"));
	ASSERT_NE(NULL, strstr(se->r, " gates_more=1")) {
		TH_LOG("traced fork: '%s'", se->r);
	}
	ASSERT_GT((size_t)ST_REPLY_MAX, strlen(se->r));
	child = ST_GET(se->r, "space");
	SE_OK(se, "gate trace off");
	se_destroy(_metadata, se, child);
	se_destroy(_metadata, se, space);
	g_finish(_metadata, se, self->space);
}

/*
 * nth=2: the first read of a thread passes, its second parks; the first
 * page is mapped again by then, the second still swapped out.
 */
TEST_F(gates, arm_nth)
{
	struct se *se = &self->se;
	struct se_async t;
	char line[256];
	int space;

	space = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, space, SE_ADDR(0), G_TAG);
	se_write(_metadata, se, space, SE_ADDR(1), G_TAG + 1);
	SE_OK(se, "space swapout %d 0x%llx 2", space, SE_ADDR(0));
	SE_OK(se, "gate arm %s nth=2", G_GATE);
	g_line(_metadata, G_GATE, line, sizeof(line));
	ASSERT_NE(NULL, strstr(line, " nth=2 seen=0")) {
		TH_LOG("gates: '%s'", line);
	}
	se_async_start(_metadata, &t, "space read %d 0x%llx\nspace read %d 0x%llx",
		       space, SE_ADDR(0), space, SE_ADDR(1));
	se_gate_wait(_metadata, se, G_GATE);
	SE_OK(se, "space pte %d 0x%llx", space, SE_ADDR(0));
	ASSERT_NE(NULL, strstr(se->r, "kind=present"));
	SE_OK(se, "space pte %d 0x%llx", space, SE_ADDR(1));
	ASSERT_NE(NULL, strstr(se->r, "kind=swap"));
	se_gate_open(_metadata, se, G_GATE);
	ASSERT_EQ(0, se_async_join(&t));
	ASSERT_EQ(G_TAG + 1, ST_GET(t.reply, "tag"));
	se_destroy(_metadata, se, space);
	g_finish(_metadata, se, self->space);
}

/*
 * pid=TID: armed for this (main) thread, so a read from another thread
 * passes and the gate stays armed for us; nobody was parked at the open.
 */
TEST_F(gates, arm_pid)
{
	struct se *se = &self->se;
	struct se_async t;
	char line[256], want[64];

	SE_OK(se, "gate arm %s pid=%d", G_GATE, gettid());
	se_async_start(_metadata, &t, "space read %d 0x%llx", self->space,
		       SE_ADDR(0));
	ASSERT_EQ(0, se_async_join(&t));
	ASSERT_EQ(G_TAG, ST_GET(t.reply, "tag"));
	g_line(_metadata, G_GATE, line, sizeof(line));
	snprintf(want, sizeof(want), " for=%d", gettid());
	ASSERT_EQ(0, strncmp(line, G_GATE " armed ", strlen(G_GATE " armed ")));
	ASSERT_NE(NULL, strstr(line, want)) {
		TH_LOG("gates: '%s'", line);
	}
	SE_OK(se, "gate open %s", G_GATE);
	ASSERT_NE(NULL, strstr(se->r, "released=0"));
	g_finish(_metadata, se, self->space);
}

TEST_HARNESS_MAIN
