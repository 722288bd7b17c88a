/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the seed-race programs: a command run from a second thread
 * (its own ctl descriptor), and the gates that stage the interleaving.
 *
 *	se_gate_arm(.., "swapin.ksm_copy");
 *	se_async_start(.., &a, "read %d 0x%llx", b, addr);	thread 2
 *	se_gate_wait(.., "swapin.ksm_copy");			it is parked
 *	... change the world under it ...
 *	se_gate_open(.., "swapin.ksm_copy");
 *	err = se_async_join(.., &a);				its outcome
 */
#ifndef _ST_RACE_H
#define _ST_RACE_H

#include <pthread.h>

#include "st_engine.h"

#define ST_GATES_PATH		ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/gates"

/*
 * Rounds of a gated race, per policy: the outcome must never vary.  An int
 * known to be non-negative (as the literal 100 was), so that comparing it
 * with a signed or an unsigned count raises no -Wsign-compare.
 */
#define SE_RACE_ROUNDS		se_rounds(100)

/*
 * N rounds of a loop, capped by ST_ROUNDS: an int known to be non-negative
 * (a macro, so that the compiler still sees the cast), like SE_RACE_ROUNDS.
 */
#define se_rounds(n)	((int)(unsigned short)st_env_cap("ST_ROUNDS", (n)))

/* Seconds of a stress loop, capped by ST_STRESS_MS. */
static inline double se_stress_secs(double secs)
{
	return st_env_cap("ST_STRESS_MS", secs * 1000) / 1000.0;
}

struct se_async {
	pthread_t thread;
	int fd;
	int err;		/* 0, the failed command's errno, or -1 */
	int failed;		/* which line failed, from 0; -1: none */
	pid_t tid;		/* the thread, once it runs (atomic) */
	int done;		/* all lines run (atomic) */
	char cmd[4 * ST_LINE_MAX];	/* command lines, '\n' between */
	char reply[ST_REPLY_MAX + 1];	/* of the last command run */
};

/* Run each line in turn; stop at the first that fails. */
static inline void *se_async_run(void *arg)
{
	struct se_async *a = arg;
	char *line, *save = NULL;
	int n = 0;

	__atomic_store_n(&a->tid, gettid(), __ATOMIC_RELEASE);
	a->failed = -1;
	for (line = strtok_r(a->cmd, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		a->err = se_tcmd(a->fd, a->reply, "%s", line);
		if (a->err) {
			a->failed = n;
			break;
		}
	}
	__atomic_store_n(&a->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Its state letter in /proc ('R', 'S', 'D'...), or 0 if unknown. */
static inline char se_task_state(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/*
 * Wait (at most 10 s) until the thread has run all its lines, or sleeps
 * uninterruptibly in the kernel: blocked on a page lock, say.  Returns
 * true when it is done.
 */
static inline bool se_async_settle(struct se_async *a)
{
	pid_t tid;
	int i;

	for (i = 0; i < 10000; i++) {
		if (__atomic_load_n(&a->done, __ATOMIC_ACQUIRE))
			return true;
		tid = __atomic_load_n(&a->tid, __ATOMIC_ACQUIRE);
		if (tid && se_task_state(tid) == 'D')
			return false;
		usleep(1000);
	}
	return __atomic_load_n(&a->done, __ATOMIC_ACQUIRE);
}

/*
 * Run command lines (one, or several separated by '\n') from a new thread
 * on a descriptor of its own.
 */
static inline void __printf(3, 4)
se_async_start(struct __test_metadata *_metadata, struct se_async *a,
	       const char *fmt, ...)
{
	va_list ap;

	memset(a, 0, sizeof(*a));
	va_start(ap, fmt);
	vsnprintf(a->cmd, sizeof(a->cmd), fmt, ap);
	va_end(ap);
	a->fd = st_open_ctl();
	ASSERT_LE(0, a->fd);
	ASSERT_EQ(0, pthread_create(&a->thread, NULL, se_async_run, a));
}

/* Wait for the command; returns 0 or its errno (-1: a broken reply). */
static inline int se_async_join(struct se_async *a)
{
	pthread_join(a->thread, NULL);
	close(a->fd);
	return a->err;
}

static inline void se_gate_arm(struct __test_metadata *_metadata,
			       struct se *se, const char *gate)
{
	SE_OK(se, "gate arm %s", gate);
}

/* The second thread must be parked at the gate within 10 s. */
static inline void se_gate_wait(struct __test_metadata *_metadata,
				struct se *se, const char *gate)
{
	SE_OK(se, "gate wait %s", gate);
}

/* Open the gate: a thread must have been parked there. */
static inline void se_gate_open(struct __test_metadata *_metadata,
				struct se *se, const char *gate)
{
	SE_OK(se, "gate open %s", gate);
	ASSERT_NE(NULL, strstr(se->r, "released=1")) {
		TH_LOG("'gate open %s' -> '%s'", gate, se->r);
	}
}

/*
 * The audit's first line is @first and its last @last: for a finding
 * repeated over many slots, where listing every line says nothing more.
 */
static inline void se_audit_first_last(struct __test_metadata *_metadata,
				       const char *first, const char *last)
{
	char *buf = se_audit_text(_metadata), *end, *tail;
	bool good;

	end = buf + strlen(buf);
	while (end > buf && end[-1] == '\n')
		*--end = '\0';
	tail = strrchr(buf, '\n');
	tail = tail ? tail + 1 : buf;
	good = !strncmp(buf, first, strlen(first)) &&
	       (buf[strlen(first)] == '\n' || !buf[strlen(first)]) &&
	       !strcmp(tail, last);
	if (!good) {
		ksft_print_msg("audit: want first '%s', last '%s'\n", first, last);
		ksft_print_msg("audit: got first '%.*s', last '%s'\n",
			       (int)(strchrnul(buf, '\n') - buf), buf, tail);
	}
	free(buf);
	ASSERT_TRUE(good);
}

/* Count one outcome of a round: the hit counts go to the TAP diagnostics. */
struct se_tally {
	const char *what;
	unsigned int rounds;
	unsigned int hits;
};

static inline void se_tally_report(struct se_tally *t, const char *policy)
{
	ksft_print_msg("%s: %s in %u of %u rounds\n", policy, t->what,
		       t->hits, t->rounds);
}

#endif /* _ST_RACE_H */
