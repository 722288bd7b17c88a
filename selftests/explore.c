// SPDX-License-Identifier: GPL-2.0
/*
 * The race explorer: is there a race between two operations at all, and is
 * it gone with the fix?  Nobody says where to park which thread.
 *
 * A scenario (selftests/st_scenario.h, files in selftests/scenarios/) is a
 * small world built with ctl lines, an operation A, an operation B, and what
 * must hold afterwards.  Under each policy label of the scenario:
 *
 *   1. A alone, traced ("gate trace on"), then B: the gate points A passes,
 *      NAME#K each, and the first interleaving checked (A;B).
 *   2. B alone, traced, then A (B;A).
 *   3. For each pass of A (K up to the scenario's depth): the world is built
 *      again, A runs with "gate arm NAME pid=A nth=K" and parks there, B runs
 *      to completion, or until it sleeps uninterruptibly for 20 ms (it waits
 *      on something A holds: A is released then), A finishes, and the
 *      outcome is checked: every line of A and B ok (or failed as allowed),
 *      each "expect:" line ok and each tag read back as last written, the
 *      audit ok, no slot left in use once the world is gone.
 *   4. The same with B parked and A run.
 *
 * Each failed check is a finding, printed as a replay: the scenario, the
 * park point, the policy values, what failed and the audit lines; "-p LABEL
 * -k A@NAME#K FILE" runs exactly that interleaving again.  The order is
 * fixed and every interleaving is forced by a gate: deterministic.
 *
 * By hand in the VM: /tests/explore [-v] [-p LABEL] [-k ORDER@POINT] FILE...
 * As a kselftest (no file): the seed scenarios must be found under their
 * historical values and not under the fixes, the catalogue must find nothing
 * under the fixes, and every gate must be reached by some scenario.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <time.h>

#include "st_race.h"
#include "st_scenario.h"

#define EX_DIR		"/scenarios"
#define EX_PASSES_MAX	64
#define EX_GATES_MAX	64
#define EX_D_MS		20	/* B asleep in D this long: it waits on A */
#define EX_B_MAX_MS	3000	/* B still not done: release A anyway */
#define EX_PARK_MS	3000	/* A must be parked by then */
#define EX_REPORT_MAX	4096

struct ex_pass {
	char gate[48];
	unsigned int k;
};

struct ex_trace {
	struct ex_pass p[EX_PASSES_MAX];
	int n;
	bool more;
};

struct ex_tally {
	unsigned int explored;		/* interleavings checked */
	unsigned int findings;		/* not counting the known ones */
	unsigned int known;
	unsigned int unreached;		/* park points not reached again */
	unsigned int first;		/* interleavings up to the first finding */
	double first_s;			/* seconds up to it */
	double secs;
};

struct ex_run {
	int fd;
	bool verbose;
	const char *only_label;		/* -p */
	const char *only_park;		/* -k */
	unsigned int cap;		/* park points per order and label */
	unsigned long long base_used;
	struct ex_tally t[SC_LABELS_MAX];
	char gates[EX_GATES_MAX][48];	/* every gate point any trace saw */
	int ngates;
	char r[ST_REPLY_BUF];
};

struct ex_thread {
	pthread_t th;
	int fd;
	char order;			/* 'A' or 'B' */
	const struct sc_section *sec;
	struct sc_vars vars;
	bool trace;
	struct ex_trace tr;
	pid_t tid;			/* atomic */
	int go;				/* atomic */
	int done;			/* atomic */
	bool failed;
	bool unsupported;		/* a line failed with EOPNOTSUPP */
	char bad[ST_REPLY_BUF + ST_LINE_MAX + 48];
};

static double ex_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void __printf(2, 3) ex_add(char *rep, const char *fmt, ...)
{
	size_t len = strlen(rep);
	va_list ap;

	if (len >= EX_REPORT_MAX - 2)
		return;
	va_start(ap, fmt);
	vsnprintf(rep + len, EX_REPORT_MAX - len, fmt, ap);
	va_end(ap);
}

/* Remember a gate point seen in a trace (for the gates_reached test). */
static void ex_seen(struct ex_run *run, const char *gate)
{
	int i;

	for (i = 0; i < run->ngates; i++)
		if (!strcmp(run->gates[i], gate))
			return;
	if (run->ngates < EX_GATES_MAX)
		snprintf(run->gates[run->ngates++], sizeof(run->gates[0]), "%s", gate);
}

/*
 * Add the " gates=NAME#K,..." of a traced reply to @tr; K counts the passes
 * of NAME over the whole operation, as "gate arm ... nth=K" counts them.
 */
static void ex_trace_add(struct ex_trace *tr, const char *reply)
{
	const char *p = strstr(reply, " gates=");
	char name[48];
	int i, n, k;

	if (strstr(reply, " gates_more=1"))
		tr->more = true;
	if (!p)
		return;
	p += strlen(" gates=");
	while (*p && *p != ' ' && tr->n < EX_PASSES_MAX) {
		n = strcspn(p, "#, ");
		snprintf(name, sizeof(name), "%.*s", n, p);
		p += n;
		if (*p == '#')
			p += 1 + strspn(p + 1, "0123456789");
		if (*p == ',')
			p++;
		for (i = 0, k = 1; i < tr->n; i++)
			k += !strcmp(tr->p[i].gate, name);
		snprintf(tr->p[tr->n].gate, sizeof(tr->p[0].gate), "%s", name);
		tr->p[tr->n++].k = k;
	}
	if (*p && *p != ' ')
		tr->more = true;
}

/* Run the lines of an operation on the thread's own descriptor. */
static void *ex_thread_run(void *arg)
{
	struct ex_thread *t = arg;
	char line[ST_LINE_MAX], reply[ST_REPLY_BUF], why[96];
	unsigned long long tag, want;
	const struct sc_line *l;
	int i, err;

	__atomic_store_n(&t->tid, gettid(), __ATOMIC_RELEASE);
	while (!__atomic_load_n(&t->go, __ATOMIC_ACQUIRE))
		usleep(100);
	for (i = 0; i < t->sec->n; i++) {
		l = &t->sec->l[i];
		if (!sc_expand(&t->vars, l->text, line, sizeof(line), why, sizeof(why))) {
			snprintf(reply, sizeof(reply), "%s", why);
			err = -1;
		} else {
			err = se_tcmd(t->fd, reply, "%s", line);
		}
		if (t->trace)
			ex_trace_add(&t->tr, reply);
		if (err == EOPNOTSUPP)
			t->unsupported = true;
		if (t->failed)
			continue;
		if (err && (err < 0 || !sc_allowed(l, err))) {
			t->failed = true;
			snprintf(t->bad, sizeof(t->bad), "%c '%s' -> '%s'", t->order,
				 line, reply);
		} else if (!err && st_field_u64(reply, "tag", &tag) &&
			   st_field_u64(reply, "expected", &want) && tag != want) {
			t->failed = true;
			snprintf(t->bad, sizeof(t->bad), "%c '%s' -> '%s': not what was written",
				 t->order, line, reply);
		}
	}
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Start a thread for operation @order; it waits for ex_go(). */
static bool ex_start(struct ex_thread *t, const struct sc_scenario *sc, int order,
		     const struct sc_vars *vars, bool trace)
{
	char reply[ST_REPLY_BUF];

	memset(t, 0, sizeof(*t));
	t->order = order ? 'B' : 'A';
	t->sec = &sc->op[order];
	t->vars = *vars;
	t->trace = trace;
	t->fd = st_open_ctl();
	if (t->fd < 0)
		return false;
	if (trace && se_tcmd(t->fd, reply, "gate trace on")) {
		close(t->fd);
		return false;
	}
	if (pthread_create(&t->th, NULL, ex_thread_run, t)) {
		close(t->fd);
		return false;
	}
	while (!__atomic_load_n(&t->tid, __ATOMIC_ACQUIRE))
		usleep(100);
	return true;
}

static void ex_go(struct ex_thread *t)
{
	__atomic_store_n(&t->go, 1, __ATOMIC_RELEASE);
}

static bool ex_done(struct ex_thread *t)
{
	return __atomic_load_n(&t->done, __ATOMIC_ACQUIRE);
}

static void ex_join(struct ex_thread *t)
{
	pthread_join(t->th, NULL);
	close(t->fd);
}

/* slots_used of the stats file, or ~0 if unreadable. */
static unsigned long long ex_slots_used(void)
{
	char text[2048];
	unsigned long long v = ~0ULL;
	ssize_t n;
	int fd;

	fd = open(ST_STATS_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return v;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n > 0) {
		text[n] = '\0';
		if (!st_stat_find(text, "slots_used", &v))
			v = ~0ULL;
	}
	return v;
}

/*
 * The world goes: every space and file, stranded swap-cache pages, every
 * switch back to its default.
 */
static void ex_reset(struct ex_run *run)
{
	static const char *const lines[] = {
		"reclaim", "policy reset", "swap sync off", "slot fail-atomic 0",
		"slot drain",
	};
	char path[96];
	unsigned int i;
	int id, max = st_max_id("space", 0);

	for (id = 1; id <= max; id++) {
		snprintf(path, sizeof(path), "%s/%s/space%d", ST_DEBUGFS_MNT,
			 ST_DEBUGFS_DIR, id);
		if (!access(path, F_OK))
			se_tcmd(run->fd, run->r, "space destroy %d", id);
	}
	max = st_max_id("file", 0);
	for (id = 1; id <= max; id++) {
		snprintf(path, sizeof(path), "%s/%s/file%d", ST_DEBUGFS_MNT,
			 ST_DEBUGFS_DIR, id);
		if (!access(path, F_OK))
			se_tcmd(run->fd, run->r, "file destroy %d", id);
	}
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		se_tcmd(run->fd, run->r, "%s", lines[i]);
}

/* The policy values of @label, "name=value ...", into @out. */
static void ex_policy_words(const struct sc_scenario *sc, const char *label,
			    char *out, size_t len)
{
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < sc->npol && o < len; i++)
		if (!strcmp(sc->pol[i].label, label))
			o += snprintf(out + o, len - o, "%s%s=%s", o ? " " : "",
				      sc->pol[i].name, sc->pol[i].value);
	if (!o)
		snprintf(out, len, "defaults");
}

/*
 * A new world: reset, the label's switches, the setup lines.  False and
 * @why if it cannot be built; *@unsupported if a line needs what this
 * kernel lacks (EOPNOTSUPP: uffd-wp on arm64 before 6.10).
 */
static bool ex_build(struct ex_run *run, const struct sc_scenario *sc,
		     const char *label, struct sc_vars *vars, char *why, size_t len,
		     bool *unsupported)
{
	char line[ST_LINE_MAX];
	const struct sc_line *l;
	int i, err;

	ex_reset(run);
	memset(vars, 0, sizeof(*vars));
	for (i = 0; i < sc->npol; i++) {
		if (strcmp(sc->pol[i].label, label))
			continue;
		if (se_tcmd(run->fd, run->r, "policy set %s %s", sc->pol[i].name,
			    sc->pol[i].value)) {
			snprintf(why, len, "policy set %s %s -> '%s'", sc->pol[i].name,
				 sc->pol[i].value, run->r);
			return false;
		}
	}
	for (i = 0; i < sc->setup.n; i++) {
		l = &sc->setup.l[i];
		if (!sc_expand(vars, l->text, line, sizeof(line), why, len))
			return false;
		err = se_tcmd(run->fd, run->r, "%s", line);
		if (err && (err < 0 || !sc_allowed(l, err))) {
			snprintf(why, len, "setup line %d '%s' -> '%s'", l->lineno, line,
				 run->r);
			*unsupported = err == EOPNOTSUPP;
			return false;
		}
		if (!err && l->var[0] && !sc_keep(vars, l->var, run->r)) {
			snprintf(why, len, "setup line %d: no value to keep in '%s'",
				 l->lineno, run->r);
			return false;
		}
	}
	return true;
}

/* The audit file: false, and its lines into @rep, unless it ends in "ok". */
static bool ex_audit(char *rep)
{
	char *buf = malloc(SE_AUDIT_BUF), *line, *save = NULL, *last = NULL;
	ssize_t n, len = 0;
	int fd, shown = 0;
	bool ok;

	if (!buf)
		return false;
	fd = open(ST_AUDIT_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		ex_add(rep, "  audit: cannot open\n");
		return false;
	}
	while ((n = read(fd, buf + len, SE_AUDIT_BUF - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		last = line;
	ok = last && !strcmp(last, "ok");
	if (!ok) {
		/* strtok_r cut the buffer: walk its pieces again */
		for (line = buf; line < buf + len; line += strlen(line) + 1) {
			if (!*line || !strncmp(line, "note ", 5))
				continue;
			if (shown++ < 6)
				ex_add(rep, "  audit: %s\n", line);
		}
	}
	free(buf);
	return ok;
}

/*
 * What must hold after both operations: each "expect:" line, the audit,
 * and, once the world is gone, every slot free again.  Appends what failed
 * to @rep; true if all held.
 */
static bool ex_check(struct ex_run *run, const struct sc_scenario *sc,
		     struct sc_vars *vars, char *rep)
{
	unsigned long long tag, want;
	char line[ST_LINE_MAX], why[96];
	const struct sc_line *l;
	bool ok = true;
	int i, err;

	for (i = 0; i < sc->expect.n; i++) {
		l = &sc->expect.l[i];
		if (!strcmp(l->text, "audit")) {
			ok &= ex_audit(rep);
			continue;
		}
		if (!sc_expand(vars, l->text, line, sizeof(line), why, sizeof(why))) {
			ex_add(rep, "  expect line %d: %s\n", l->lineno, why);
			ok = false;
			continue;
		}
		err = se_tcmd(run->fd, run->r, "%s", line);
		if (err && (err < 0 || !sc_allowed(l, err))) {
			ex_add(rep, "  expect '%s' -> '%s'\n", line, run->r);
			ok = false;
		} else if (!err && st_field_u64(run->r, "tag", &tag) &&
			   st_field_u64(run->r, "expected", &want) && tag != want) {
			ex_add(rep, "  expect '%s' -> '%s': not what was written\n",
			       line, run->r);
			ok = false;
		}
	}
	ex_reset(run);
	if (ex_slots_used() != run->base_used) {
		ex_add(rep, "  %lld slots still in use once the world is gone\n",
		       (long long)(ex_slots_used() - run->base_used));
		ok = false;
		/* the next world starts from here */
		run->base_used = ex_slots_used();
	}
	return ok;
}

/* Is the gates file's line of @gate in state "parked"? */
static bool ex_parked(const char *gate)
{
	char text[4096], want[64], *p;
	ssize_t n;
	int fd;

	fd = open(ST_GATES_PATH, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return false;
	text[n] = '\0';
	snprintf(want, sizeof(want), "%s parked ", gate);
	p = strstr(text, want);
	return p && (p == text || p[-1] == '\n');
}

/*
 * Let @y run while @x is parked at @gate: until y is done, or has slept in
 * D for about EX_D_MS (it waits on what x holds; a sleep that retries every
 * tick counts too), or EX_B_MAX_MS passed.  Then open the gate.  Returns 0
 * (y done first), 1 (y waited on x), 2 (timeout).  Times are the clock's,
 * not a count of polls: on a loaded or debug kernel a poll takes more than
 * its millisecond, and x must be released well before its gate times out.
 */
static int ex_run_while_parked(struct ex_run *run, struct ex_thread *y,
			       const char *gate)
{
	double start = se_now(), last = start, now, d_s = 0, dt;
	int how = 0;

	ex_go(y);
	while (!ex_done(y)) {
		now = se_now();
		dt = now - last;
		last = now;
		if (se_task_state(y->tid) == 'D')
			d_s += dt;
		else
			d_s = d_s > 2 * dt ? d_s - 2 * dt : 0;
		if (d_s >= EX_D_MS / 1000.0) {
			how = 1;
			break;
		}
		if (now - start >= EX_B_MAX_MS / 1000.0) {
			how = 2;
			break;
		}
		usleep(1000);
	}
	se_tcmd(run->fd, run->r, "gate open %s", gate);
	return how;
}

static bool ex_is_known(const struct sc_scenario *sc, char order, const char *point,
			const char *label)
{
	const struct sc_known *k;
	const char *hash;
	int i;

	for (i = 0; i < sc->nknown; i++) {
		k = &sc->known[i];
		hash = strchr(point, '#');
		if ((k->order[0] != '*' && k->order[0] != order) ||
		    (strcmp(k->label, "*") && strcmp(k->label, label)))
			continue;
		if (!strcmp(k->point, "*") || !strcmp(k->point, point) ||
		    (hash && strlen(k->point) == (size_t)(hash - point) &&
		     !strncmp(k->point, point, hash - point)))
			return true;
	}
	return false;
}

enum { EX_CLEAN, EX_FINDING, EX_UNREACHED, EX_BROKEN, EX_UNSUPPORTED };

/*
 * One interleaving under @label: operation @first parked at @pass (or, when
 * @pass is NULL, run to the end, traced into @tr), then the other.  Counted
 * and reported only if @report.
 */
static int ex_one(struct ex_run *run, const struct sc_scenario *sc, const char *label,
		  int first, const struct ex_pass *pass, struct ex_trace *tr,
		  bool report)
{
	char rep[EX_REPORT_MAX] = "", point[64], pol[160], why[1200], *line;
	struct ex_thread x, y;
	struct sc_vars vars;
	bool ok, unsupported = false;
	struct ex_tally *t;
	int i, how = 0, li;
	double t0;

	for (li = 0; strcmp(sc->labels[li], label); li++)
		;
	t = &run->t[li];
	if (pass)
		snprintf(point, sizeof(point), "%s#%u", pass->gate, pass->k);
	else
		snprintf(point, sizeof(point), "none");
	if (!ex_build(run, sc, label, &vars, why, sizeof(why), &unsupported)) {
		ksft_print_msg("%s [%s]: %s\n", sc->name, label, why);
		return unsupported ? EX_UNSUPPORTED : EX_BROKEN;
	}
	if (!ex_start(&x, sc, first, &vars, !pass)) {
		ksft_print_msg("%s: cannot start a thread\n", sc->name);
		return EX_BROKEN;
	}
	if (pass && se_tcmd(run->fd, run->r, "gate arm %s pid=%d nth=%u", pass->gate,
			    x.tid, pass->k)) {
		ksft_print_msg("%s: gate arm %s -> '%s'\n", sc->name, pass->gate, run->r);
		ex_go(&x);
		ex_join(&x);
		return EX_BROKEN;
	}
	ex_go(&x);
	if (!pass) {
		ex_join(&x);
		*tr = x.tr;
		for (i = 0; i < tr->n; i++)
			ex_seen(run, tr->p[i].gate);
	} else {
		for (t0 = se_now(); se_now() - t0 < EX_PARK_MS / 1000.0 &&
		     !ex_parked(pass->gate) && !ex_done(&x);)
			usleep(1000);
		if (!ex_parked(pass->gate)) {
			/* it went another way this time: not an interleaving */
			se_tcmd(run->fd, run->r, "gate open %s", pass->gate);
			ex_join(&x);
			ex_reset(run);
			t->unreached++;
			return EX_UNREACHED;
		}
	}
	if (!ex_start(&y, sc, !first, &vars, false)) {
		ksft_print_msg("%s: cannot start a thread\n", sc->name);
		if (pass)
			se_tcmd(run->fd, run->r, "gate open %s", pass->gate);
		ex_join(&x);
		return EX_BROKEN;
	}
	if (pass) {
		how = ex_run_while_parked(run, &y, pass->gate);
		ex_join(&y);
		ex_join(&x);
	} else {
		ex_go(&y);
		ex_join(&y);
	}
	if (x.unsupported || y.unsupported) {
		ex_reset(run);
		ksft_print_msg("%s [%s]: not supported by this kernel: %s\n", sc->name,
			       label, x.unsupported ? x.bad : y.bad);
		return EX_UNSUPPORTED;
	}
	if (x.failed)
		ex_add(rep, "  %s\n", x.bad);
	if (y.failed)
		ex_add(rep, "  %s\n", y.bad);
	ok = ex_check(run, sc, &vars, rep) && !x.failed && !y.failed;
	if (!report)
		return ok ? EX_CLEAN : EX_FINDING;
	t->explored++;
	if (run->verbose)
		ksft_print_msg("%s [%s] %c@%s: %s%s\n", sc->name, label, x.order, point,
			       ok ? "clean" : "FINDING",
			       how == 1 ? " (the other waited on it)" :
			       how == 2 ? " (the other was still running)" : "");
	if (ok)
		return EX_CLEAN;
	if (ex_is_known(sc, x.order, point, label)) {
		t->known++;
		if (run->verbose)
			ksft_print_msg("  known (listed in known:), not counted\n");
		return EX_CLEAN;
	}
	if (!t->findings++) {
		t->first = t->explored;
		t->first_s = ex_now() - t->secs;
	}
	ex_policy_words(sc, label, pol, sizeof(pol));
	ksft_print_msg("FINDING %s [%s: %s] %c %s %s, then %c%s\n", sc->name, label,
		       pol, x.order, pass ? "parked at" : "ran alone", pass ? point : "first",
		       y.order,
		       how == 1 ? " (it waited on the parked one: released)" :
		       how == 2 ? " (still running after 3 s: released)" : "");
	ksft_print_msg("  replay: /tests/explore -v -p %s -k %c@%s %s\n", label, x.order,
		       point, sc->path);
	for (line = strtok(rep, "\n"); line; line = strtok(NULL, "\n"))
		ksft_print_msg("%s\n", line);
	return EX_FINDING;
}

/* Is the interleaving @order@@point under @label one -p/-k asked for? */
static bool ex_wanted(struct ex_run *run, const char *label, char order,
		      const char *point)
{
	char want[80];

	if (run->only_label && strcmp(run->only_label, label))
		return false;
	if (!run->only_park)
		return true;
	snprintf(want, sizeof(want), "%c@%s", order, point);
	return !strcmp(run->only_park, want);
}

/*
 * Explore one scenario under each of its labels: EX_CLEAN when done (the
 * tallies say what was found), EX_BROKEN, or EX_UNSUPPORTED.
 */
static int ex_scenario(struct ex_run *run, const struct sc_scenario *sc)
{
	struct ex_trace tr[2];
	struct ex_pass pass;
	struct ex_tally *t;
	int li, o, i, done, rc;
	char point[64];

	memset(run->t, 0, sizeof(run->t));
	for (li = 0; li < sc->nlabels; li++) {
		const char *label = sc->labels[li];

		if (run->only_label && strcmp(run->only_label, label))
			continue;
		t = &run->t[li];
		t->secs = ex_now();
		for (o = 0; o < 2; o++) {
			memset(&tr[o], 0, sizeof(tr[o]));
			/* the trace run is also the sequential interleaving */
			rc = ex_one(run, sc, label, o, NULL, &tr[o],
				    ex_wanted(run, label, o ? 'B' : 'A', "none"));
			if (rc == EX_BROKEN || rc == EX_UNSUPPORTED)
				return rc;
		}
		for (o = 0; o < 2; o++) {
			for (i = 0, done = 0; i < tr[o].n && done < (int)run->cap; i++) {
				pass = tr[o].p[i];
				if (pass.k > sc->depth)
					continue;
				snprintf(point, sizeof(point), "%s#%u", pass.gate, pass.k);
				if (!ex_wanted(run, label, o ? 'B' : 'A', point))
					continue;
				done++;
				rc = ex_one(run, sc, label, o, &pass, NULL, true);
				if (rc == EX_BROKEN || rc == EX_UNSUPPORTED)
					return rc;
			}
		}
		t->secs = ex_now() - t->secs;
		ksft_print_msg("%s [%s]: %u explored, %u found%s, first at %u (%.2f s), %.2f s%s\n",
			       sc->name, label, t->explored, t->findings,
			       t->known ? " (and known ones)" : "", t->first,
			       t->first_s, t->secs,
			       t->unreached ? " (some park points not reached again)" : "");
	}
	return EX_CLEAN;
}

static bool ex_open(struct ex_run *run)
{
	memset(run, 0, sizeof(*run));
	run->fd = st_open_ctl();
	if (run->fd < 0)
		return false;
	run->cap = se_rounds(EX_PASSES_MAX);
	ex_reset(run);
	run->base_used = ex_slots_used();
	return true;
}

/* The label's tally after ex_scenario(), or NULL if it has no such label. */
static struct ex_tally *ex_tally(struct ex_run *run, const struct sc_scenario *sc,
				 const char *label)
{
	int li;

	for (li = 0; li < sc->nlabels; li++)
		if (!strcmp(sc->labels[li], label))
			return &run->t[li];
	return NULL;
}

/* By hand: explore [-v] [-p LABEL] [-k ORDER@POINT] FILE... */
static int ex_main(int argc, char **argv)
{
	struct sc_scenario *sc = malloc(sizeof(*sc));
	struct ex_run *run = malloc(sizeof(*run));
	unsigned int findings = 0;
	const char *label = NULL, *park = NULL;
	bool verbose = false;
	char why[256];
	int i, rc = 0, li;

	if (!sc || !run || !ex_open(run)) {
		fprintf(stderr, "explore: cannot open %s\n", ST_CTL_PATH);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v")) {
			verbose = true;
		} else if (!strcmp(argv[i], "-p") && i + 1 < argc) {
			label = argv[++i];
		} else if (!strcmp(argv[i], "-k") && i + 1 < argc) {
			park = argv[++i];
		} else {
			if (!sc_load(sc, argv[i], why, sizeof(why))) {
				fprintf(stderr, "explore: %s: %s\n", argv[i], why);
				rc = 2;
				continue;
			}
			run->verbose = verbose;
			run->only_label = label;
			run->only_park = park;
			if (ex_scenario(run, sc) != EX_CLEAN) {
				rc = 2;
				continue;
			}
			for (li = 0; li < sc->nlabels; li++)
				findings += run->t[li].findings;
		}
	}
	ex_reset(run);
	close(run->fd);
	printf("%u findings\n", findings);
	free(sc);
	free(run);
	return rc ?: findings ? 1 : 0;
}

FIXTURE(explore)
{
	struct ex_run run;
	struct sc_scenario sc;
};

FIXTURE_SETUP(explore)
{
	if (!ex_open(&self->run))
		SKIP(return, "%s: swaptrack not loaded", ST_CTL_PATH);
}

FIXTURE_TEARDOWN_PARENT(explore)
{
	int fd = st_open_ctl();
	char r[ST_REPLY_BUF];

	if (fd < 0)
		return;
	se_tcmd(fd, r, "policy reset");
	se_tcmd(fd, r, "swap sync off");
	close(fd);
}

/*
 * Explore the scenario @name of EX_DIR; the findings under "historical"
 * must be at least @hist_min, under "fixed" none.
 */
static void ex_seed(struct __test_metadata *_metadata, struct ex_run *run,
		    struct sc_scenario *sc, const char *name, unsigned int hist_min)
{
	struct ex_tally *h, *f;
	char path[128], why[256];
	int rc;

	snprintf(path, sizeof(path), "%s/%s.txt", EX_DIR, name);
	ASSERT_TRUE(sc_load(sc, path, why, sizeof(why))) {
		TH_LOG("%s: %s", path, why);
	}
	rc = ex_scenario(run, sc);
	if (rc == EX_UNSUPPORTED)
		SKIP(return, "%s needs what this kernel lacks (uffd-wp)", name);
	ASSERT_EQ(EX_CLEAN, rc);
	h = ex_tally(run, sc, "historical");
	f = ex_tally(run, sc, "fixed");
	ASSERT_NE(NULL, h);
	ASSERT_NE(NULL, f);
	EXPECT_LE(hist_min, h->findings) {
		TH_LOG("%s: nothing found under its historical values", name);
	}
	EXPECT_EQ(0U, f->findings) {
		TH_LOG("%s: %u findings under the fixes", name, f->findings);
	}
}

/*
 * Seed 000 is not findable: its historical values (dup_errors) differ from
 * the fix only when swap_duplicate() fails on a pte whose count is already
 * gone (a corrupt pte, "space drop-count"), which no interleaving of two
 * sound operations makes.  Its scenario runs and must find nothing at all.
 */
TEST_F_TIMEOUT(explore, seed000, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed000", 0);
	ASSERT_NE(NULL, ex_tally(&self->run, &self->sc, "historical"));
	EXPECT_EQ(0U, ex_tally(&self->run, &self->sc, "historical")->findings);
}

TEST_F_TIMEOUT(explore, seed001, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed001", 1);
}

TEST_F_TIMEOUT(explore, seed002, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed002", 1);
}

TEST_F_TIMEOUT(explore, seed003, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed003", 1);
}

TEST_F_TIMEOUT(explore, seed004, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed004", 1);
}

TEST_F_TIMEOUT(explore, seed005, 120)
{
	ex_seed(_metadata, &self->run, &self->sc, "seed005", 1);
}

static int ex_name_cmp(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Every scenario file of EX_DIR, in name order, into @names. */
static int ex_catalogue(char names[][64], int max)
{
	struct dirent *e;
	int n = 0;
	DIR *d;

	d = opendir(EX_DIR);
	if (!d)
		return -1;
	while ((e = readdir(d)) && n < max) {
		if (strlen(e->d_name) < 5 || strlen(e->d_name) >= 64 ||
		    strcmp(e->d_name + strlen(e->d_name) - 4, ".txt"))
			continue;
		snprintf(names[n++], 64, "%s", e->d_name);
	}
	closedir(d);
	qsort(names, n, 64, ex_name_cmp);
	return n;
}

/*
 * The whole catalogue (seed scenarios included): nothing may be found under
 * the fixed values; what the historical ones find is reported.
 */
TEST_F_TIMEOUT(explore, catalogue, 600)
{
	char names[64][64], path[128], why[256];
	unsigned int fixed = 0, hist = 0, skipped = 0;
	struct ex_tally *t;
	double t0 = ex_now();
	int i, n, rc;

	n = ex_catalogue(names, 64);
	ASSERT_LT(0, n) {
		TH_LOG("no scenario in %s", EX_DIR);
	}
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.63s", EX_DIR, names[i]);
		ASSERT_TRUE(sc_load(&self->sc, path, why, sizeof(why))) {
			TH_LOG("%s: %s", path, why);
		}
		rc = ex_scenario(&self->run, &self->sc);
		if (rc == EX_UNSUPPORTED) {
			skipped++;
			continue;
		}
		ASSERT_EQ(EX_CLEAN, rc);
		t = ex_tally(&self->run, &self->sc, "fixed");
		fixed += t->findings;
		t = ex_tally(&self->run, &self->sc, "historical");
		hist += t ? t->findings : 0;
	}
	ksft_print_msg("catalogue: %d scenarios (%u unsupported): %u historical, %u fixed, %.1fs\n",
		       n, skipped, hist, fixed, ex_now() - t0);
	EXPECT_EQ(0U, fixed);
}

/* Every gate of the gates file is passed by some scenario's operation. */
TEST_F_TIMEOUT(explore, gates_reached, 300)
{
	char names[64][64], path[128], why[256], text[4096], *line, *save = NULL;
	struct ex_run *run = &self->run;
	struct ex_trace tr;
	int i, n, o, li, rc, missing = 0;
	bool uffd_skipped = false;
	ssize_t len;
	int fd;

	n = ex_catalogue(names, 64);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%.63s", EX_DIR, names[i]);
		ASSERT_TRUE(sc_load(&self->sc, path, why, sizeof(why)));
		for (li = 0; li < self->sc.nlabels; li++) {
			for (o = 0; o < 2; o++) {
				rc = ex_one(run, &self->sc, self->sc.labels[li], o, NULL,
					    &tr, false);
				ASSERT_NE(EX_BROKEN, rc);
				uffd_skipped |= rc == EX_UNSUPPORTED;
			}
		}
	}
	fd = open(ST_GATES_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_LT(0, len);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		line[strcspn(line, " ")] = '\0';
		for (i = 0; i < run->ngates && strcmp(run->gates[i], line); i++)
			;
		if (i < run->ngates)
			continue;
		/* without uffd-wp (arm64 before 6.10) its gates are out of reach */
		if (uffd_skipped && !strncmp(line, "uffd.", 5)) {
			ksft_print_msg("gate %s: its scenarios need uffd-wp\n", line);
			continue;
		}
		ksft_print_msg("gate %s: no scenario passes it\n", line);
		missing++;
	}
	EXPECT_EQ(0, missing);
}

int main(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strchr(argv[i], '/') || strstr(argv[i], ".txt"))
			return ex_main(argc, argv);
	return test_harness_run(argc, argv);
}
