// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tracepoints (system "swaptrack", swaptrack/trace/events.h),
 * read through tracefs as a user without trace-cmd would: enable
 * events/swaptrack, run a staged race, stop tracing and read the "trace"
 * file.  Each line names the thread that emitted it, so the events must
 * tell the interleaving in order:
 *
 *	main				thread 1 (B reads X)
 *	policy swapin_recheck->none
 *	gate arm
 *					gate park   (then nothing of it)
 *	B writes X: pte swap->present,
 *	S's count, S leaves the cache
 *	B swapped out: S added again,
 *	pte present->swap
 *	gate open
 *					pte swap->present: stale page mapped
 *	audit: bad data
 *
 * That is seed 002's "left" round (selftests/seed002.c) under the
 * historical swapin_recheck=none.  The other tests check the events a
 * plain round does not give: a PMD swapped out and zapped (THP), a gate
 * that times out, a count carried into a continuation page.
 *
 * Skipped, with the reason, when the kernel has no tracefs or the module's
 * events are not there.
 */
#define _GNU_SOURCE
#include <sys/mount.h>

#include "st_race.h"

#define TR_ROOT		"/sys/kernel/tracing"
#define TR_TIMEOUT_PATH	"/sys/module/swaptrack/parameters/gate_timeout_ms"
#define TR_GATE		"swapin.after_lookup"
#define X		SE_ADDR(0)
#define TR_OLD		0x7a0aULL
#define TR_NEW		0x7a0bULL

/* One swaptrack event of the trace: its thread, name and arguments. */
struct tr_ev {
	pid_t pid;
	const char *name;	/* "swaptrack_gate" */
	const char *args;	/* "gate=swapin.after_lookup park" */
};

struct tr {
	char *text;		/* the trace file, lines cut in place */
	struct tr_ev *ev;
	int n;
};

/* Write @val to the tracefs file @file; false if that failed. */
static bool tr_write(const char *file, const char *val)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), TR_ROOT "/%s", file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = write(fd, val, strlen(val));
	close(fd);
	return n == (ssize_t)strlen(val);
}

/*
 * tracefs at /sys/kernel/tracing, mounted if it is not, and the module's
 * events there.  NULL when ready, else why not.
 */
static const char *tr_available(void)
{
	if (access(TR_ROOT "/trace", F_OK) &&
	    mount("tracefs", TR_ROOT, "tracefs", 0, NULL))
		return "no tracefs in this kernel (CONFIG_FTRACE)";
	if (access(TR_ROOT "/events/swaptrack/enable", F_OK))
		return "no events/swaptrack in tracefs";
	return NULL;
}

/* Tracing off, the buffer emptied, a clock all CPUs agree on. */
static void tr_reset(void)
{
	tr_write("tracing_on", "0");
	tr_write("events/swaptrack/enable", "0");
	tr_write("trace", "");
}

static void tr_start(struct __test_metadata *_metadata)
{
	tr_reset();
	ASSERT_TRUE(tr_write("trace_clock", "global"));
	ASSERT_TRUE(tr_write("buffer_size_kb", "4096"));
	ASSERT_TRUE(tr_write("events/swaptrack/enable", "1"));
	ASSERT_TRUE(tr_write("tracing_on", "1"));
}

/* The pid of a trace line: "  comm-PID   [cpu] ...". */
static pid_t tr_pid(const char *line, const char *end)
{
	const char *p = strstr(line, " [");

	if (!p || p > end)
		return -1;
	while (p > line && p[-1] == ' ')
		p--;
	while (p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	if (p == line || p[-1] != '-')
		return -1;
	return atoi(p);
}

/*
 * Stop tracing and read the trace file: every swaptrack event, in time
 * order.  Fails if the buffer lost any.
 */
static void tr_stop(struct __test_metadata *_metadata, struct tr *t)
{
	size_t len = 0, cap = 1 << 20;
	char *line, *save = NULL, *p;
	unsigned long in_buf, written;
	ssize_t n;
	int fd, max;

	tr_write("tracing_on", "0");
	memset(t, 0, sizeof(*t));
	t->text = malloc(cap + 1);
	ASSERT_NE(NULL, t->text);
	fd = open(TR_ROOT "/trace", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	while ((n = read(fd, t->text + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			t->text = realloc(t->text, cap + 1);
			ASSERT_NE(NULL, t->text);
		}
	}
	close(fd);
	t->text[len] = '\0';
	p = strstr(t->text, "entries-in-buffer/entries-written: ");
	ASSERT_NE(NULL, p);
	n = sscanf(p, "entries-in-buffer/entries-written: %lu/%lu", &in_buf,
		   &written);
	ASSERT_EQ(2, n);
	ASSERT_EQ(written, in_buf) {
		TH_LOG("the trace buffer lost %lu events", written - in_buf);
	}
	max = in_buf + 1;
	t->ev = calloc(max, sizeof(*t->ev));
	ASSERT_NE(NULL, t->ev);
	for (line = strtok_r(t->text, "\n", &save); line && t->n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct tr_ev *e = &t->ev[t->n];
		char *name = strstr(line, ": swaptrack_"), *colon;

		if (line[0] == '#' || !name)
			continue;
		e->pid = tr_pid(line, name);
		name += 2;
		colon = strchr(name, ':');
		if (!colon)
			continue;
		*colon = '\0';
		e->name = name;
		e->args = colon[1] == ' ' ? colon + 2 : colon + 1;
		t->n++;
	}
}

static void tr_free(struct tr *t)
{
	free(t->ev);
	free(t->text);
}

/*
 * The first event from index @from on of thread @pid (0: any) named
 * "swaptrack_@name" whose arguments hold @what; -1 if none.
 */
static int tr_find(const struct tr *t, int from, pid_t pid, const char *name,
		   const char *what)
{
	int i;

	for (i = from < 0 ? 0 : from; i < t->n; i++) {
		const struct tr_ev *e = &t->ev[i];

		if ((!pid || e->pid == pid) &&
		    !strcmp(e->name + strlen("swaptrack_"), name) &&
		    strstr(e->args, what))
			return i;
	}
	return -1;
}

/* Show the events [from, to) in the test's log, for a failure. */
static void tr_dump(const struct tr *t, int from, int to)
{
	int i;

	for (i = from < 0 ? 0 : from; i < to && i < t->n; i++)
		ksft_print_msg("  %d %s: %s\n", t->ev[i].pid, t->ev[i].name,
			       t->ev[i].args);
}

/* The index of event @name with @what at or after @from; fails if none. */
static int tr_after(struct __test_metadata *_metadata, const struct tr *t,
		    int from, pid_t pid, const char *name, const char *what)
{
	int i = tr_find(t, from, pid, name, what);

	ASSERT_LE(0, i) {
		tr_dump(t, from, from + 40);
		TH_LOG("no %s '%s' of pid %d after event %d", name, what,
		       (int)pid, from);
	}
	return i;
}

#define TR_AFTER(...)	tr_after(_metadata, __VA_ARGS__)

FIXTURE(trace) {
	struct se se;
};

FIXTURE_SETUP(trace)
{
	const char *why = tr_available();

	if (why)
		SKIP(return, "%s", why);
	se_fixture_setup(_metadata, &self->se, NULL);
}

FIXTURE_TEARDOWN_PARENT(trace)
{
	tr_reset();
	se_fixture_teardown(_metadata, &self->se);
}

/*
 * The whole interleaving of seed 002's "left" round, thread by thread;
 * the policies, the swap cache, the counts and the audit on the way.
 */
TEST_F_TIMEOUT(trace, seed002_interleaving, 60)
{
	struct se *se = &self->se;
	int arm, park, open, i, b, del, add, out, wr, mine;
	pid_t me = gettid(), t1;
	unsigned long long slot;
	struct se_async a;
	char what[128];
	struct tr t;

	tr_start(_metadata);
	se_policy(_metadata, se, "swapin_recheck", "none");
	se_policy(_metadata, se, "slot_reuse", "immediate");
	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, b, X, TR_OLD);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	ST_OK(se->fd, se->r, "space pte %d 0x%llx", b, X);
	slot = ST_GET(se->r, "offset");

	se_gate_arm(_metadata, se, TR_GATE);
	se_async_start(_metadata, &a, "space read %d 0x%llx", b, X);
	se_gate_wait(_metadata, se, TR_GATE);
	se_write(_metadata, se, b, X, TR_NEW);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	se_gate_open(_metadata, se, TR_GATE);
	ASSERT_EQ(0, se_async_join(&a)) {
		TH_LOG("'%s' -> '%s'", a.cmd, a.reply);
	}
	t1 = a.tid;
	/* the stale page mapped: the historical behaviour */
	ASSERT_EQ(TR_OLD, ST_GET(a.reply, "tag"));
	free(se_audit_text(_metadata));
	tr_stop(_metadata, &t);

	i = TR_AFTER(&t, 0, me, "policy", "swapin_recheck=swapcache_entry->none");
	arm = TR_AFTER(&t, i, me, "gate", "gate=" TR_GATE " arm");
	park = TR_AFTER(&t, arm, t1, "gate", "gate=" TR_GATE " park");
	open = TR_AFTER(&t, park, me, "gate", "gate=" TR_GATE " open");

	/* between park and open: main's steps only, thread 1 is parked */
	for (i = park + 1; i < open; i++)
		ASSERT_NE(t1, t.ev[i].pid) {
			tr_dump(&t, park, open + 1);
			TH_LOG("thread 1 (%d) ran while parked: event %d", t1, i);
		}
	snprintf(what, sizeof(what), "space=%d addr=0x%llx ", b, X);
	wr = TR_AFTER(&t, park, me, "pte", what);
	ASSERT_NE(NULL, strstr(t.ev[wr].args, "kind=swap->present"));
	snprintf(what, sizeof(what), "slot=%llu old=", slot);
	TR_AFTER(&t, park, me, "swap_count", what);
	snprintf(what, sizeof(what), "slot=%llu ", slot);
	del = TR_AFTER(&t, park, me, "swapcache_del", what);
	add = TR_AFTER(&t, del, me, "swapcache_add", what);
	snprintf(what, sizeof(what), "space=%d addr=0x%llx ", b, X);
	out = TR_AFTER(&t, add, me, "pte", what);
	ASSERT_NE(NULL, strstr(t.ev[out].args, "kind=present->swap"));
	ASSERT_LT(out, open);

	/* after open: thread 1 maps the page it looked up, over S */
	mine = TR_AFTER(&t, open, t1, "pte", what);
	ASSERT_NE(NULL, strstr(t.ev[mine].args, "kind=swap->present")) {
		tr_dump(&t, open, mine + 1);
	}
	snprintf(what, sizeof(what), "bad data space=%d addr=0x%llx ", b, X);
	TR_AFTER(&t, mine, me, "audit", what);
	tr_free(&t);

	se_destroy(_metadata, se, b);
	SE_OK(se, "reclaim");
	SE_OK(se, "slot drain");
	se_audit(_metadata);
}

/* A PMD swapped out and zapped: swaptrack_pmd, table->swap->none. */
TEST_F_TIMEOUT(trace, pmd_swapout_and_zap, 60)
{
	struct se *se = &self->se;
	unsigned long long slot;
	char what[128];
	int id, i, out;
	struct tr t;

	id = se_space_map(_metadata, se, 2 * ST_PMD_NR, "anon");
	for (i = 0; i < ST_PMD_NR; i++)
		se_write(_metadata, se, id, SE_ADDR(i), 0x700 + i);
	tr_start(_metadata);
	SE_OK(se, "space swapout-pmd %d 0x%llx", id, SE_BASE);
	slot = ST_GET(se->r, "slot");
	se_destroy(_metadata, se, id);
	tr_stop(_metadata, &t);

	snprintf(what, sizeof(what), "space=%d addr=0x%llx ", id, SE_BASE);
	out = TR_AFTER(&t, 0, 0, "pmd", what);
	ASSERT_NE(NULL, strstr(t.ev[out].args, "kind=table->swap")) {
		tr_dump(&t, out, out + 1);
	}
	i = TR_AFTER(&t, out + 1, 0, "pmd", what);
	ASSERT_NE(NULL, strstr(t.ev[i].args, "kind=swap->none")) {
		tr_dump(&t, i, i + 1);
	}
	/* every slot of the cluster counted, the last one too */
	snprintf(what, sizeof(what), "slot=%llu old=",
		 slot + ST_PMD_NR - 1);
	TR_AFTER(&t, 0, 0, "swap_count", what);
	tr_free(&t);
	SE_OK(se, "reclaim");
	se_audit(_metadata);
}

/* Nobody opens the gate: arm, park and timeout, the last two its thread's. */
TEST_F_TIMEOUT(trace, gate_timeout, 60)
{
	struct se *se = &self->se;
	int b, arm, park, fd;
	struct se_async a;
	struct tr t;

	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, b, X, TR_OLD);
	se_swapout(_metadata, se, "space", b, X, 1, 1, 0);
	fd = open(TR_TIMEOUT_PATH, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(3, write(fd, "300", 3));
	tr_start(_metadata);
	se_gate_arm(_metadata, se, TR_GATE);
	se_async_start(_metadata, &a, "space read %d 0x%llx", b, X);
	se_gate_wait(_metadata, se, TR_GATE);
	ASSERT_EQ(ETIMEDOUT, se_async_join(&a));
	tr_stop(_metadata, &t);
	ASSERT_EQ(5, write(fd, "10000", 5));
	close(fd);

	arm = TR_AFTER(&t, 0, gettid(), "gate", "gate=" TR_GATE " arm");
	park = TR_AFTER(&t, arm, a.tid, "gate", "gate=" TR_GATE " park");
	TR_AFTER(&t, park, a.tid, "gate", "gate=" TR_GATE " timeout");
	ASSERT_GT(0, tr_find(&t, 0, 0, "gate", "gate=" TR_GATE " open"));
	tr_free(&t);

	se_read(_metadata, se, b, X, TR_OLD);
	se_destroy(_metadata, se, b);
	SE_OK(se, "reclaim");
	se_audit(_metadata);
}

/* A count past SWAP_MAP_MAX: its digit in continuation page 1, and back. */
TEST_F(trace, count_continuation)
{
	struct se *se = &self->se;
	unsigned long long s;
	char what[128];
	int i;
	struct tr t;

	s = se_alloc(_metadata, se, NULL);
	se_dup(_metadata, se, "dup", s, ST_SWAP_MAP_MAX, ST_SWAP_MAP_MAX);
	tr_start(_metadata);
	se_dup(_metadata, se, "dup", s, 1, ST_SWAP_MAP_MAX + 1);
	se_dup(_metadata, se, "free", s, 1, ST_SWAP_MAP_MAX);
	tr_stop(_metadata, &t);

	/* up: digit 1 in page 1, then the map byte COUNT_CONTINUED */
	snprintf(what, sizeof(what), "slot=%llu old=0x00 new=0x01 cont=1", s);
	i = TR_AFTER(&t, 0, 0, "swap_count", what);
	snprintf(what, sizeof(what), "slot=%llu old=0x%02x new=0x%02x cont=0", s,
		 ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX,
		 ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED);
	i = TR_AFTER(&t, i, 0, "swap_count", what);
	/* down: the digit back to 0, the map byte SWAP_MAP_MAX again */
	snprintf(what, sizeof(what), "slot=%llu old=0x01 new=0x00 cont=1", s);
	i = TR_AFTER(&t, i, 0, "swap_count", what);
	snprintf(what, sizeof(what), "slot=%llu old=0x%02x new=0x%02x cont=0", s,
		 ST_SWAP_HAS_CACHE | ST_COUNT_CONTINUED,
		 ST_SWAP_HAS_CACHE | ST_SWAP_MAP_MAX);
	TR_AFTER(&t, i, 0, "swap_count", what);
	tr_free(&t);

	se_dup(_metadata, se, "free", s, ST_SWAP_MAP_MAX, 0);
	SE_OK(se, "slot uncache %llu", s);
	se_check_free(_metadata, se, s);
}

TEST_HARNESS_MAIN
