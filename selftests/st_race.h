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

/* Rounds of a gated race, per policy: the outcome must never vary. */
#define SE_RACE_ROUNDS		100

struct se_async {
	pthread_t thread;
	int fd;
	int err;		/* 0, the command's errno, or -1 */
	char cmd[ST_LINE_MAX];
	char reply[ST_REPLY_MAX + 1];
};

static inline void *se_async_run(void *arg)
{
	struct se_async *a = arg;

	a->err = se_tcmd(a->fd, a->reply, "%s", a->cmd);
	return NULL;
}

/* Run one command from a new thread on a descriptor of its own. */
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
