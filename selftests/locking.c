// SPDX-License-Identifier: GPL-2.0
/*
 * Lock order across objects.  Where a command takes two spaces' mmap_locks
 * (ksm merge, fork), it takes them in one global order, the lower id first.
 * Taken in argument order instead, "ksm merge X Y" holding X waits for Y
 * while "ksm merge Y X" holding Y waits for X, each behind a writer queued
 * on the other space (an rwsem reader waits behind a queued writer): four
 * threads, stuck for good.
 *
 * A thread that makes no progress for LK_STALL_SECONDS is taken for
 * deadlocked: the test says where each thread is and fails (the stuck
 * threads cannot be woken; the VM's time limit ends the run).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <time.h>

#include "st_engine.h"

#define LK_THREADS		4
#define LK_SECONDS		3
#define LK_STALL_SECONDS	15

struct lk_thread {
	pthread_t tid;
	char line[2][96];	/* what it sends, in turn */
	unsigned long long rounds;	/* __atomic: read by the watcher */
	int done;
	int deadline;
	char failure[200];
};

static void *lk_run(void *arg)
{
	struct lk_thread *t = arg;
	char reply[ST_REPLY_BUF];
	int fd = st_open_ctl(), i;
	ssize_t n;

	if (fd < 0) {
		snprintf(t->failure, sizeof(t->failure), "open ctl: %s", strerror(-fd));
		goto out;
	}
	for (i = 0; time(NULL) < t->deadline; i ^= 1) {
		if (write(fd, t->line[i], strlen(t->line[i])) < 0 && errno != ENOENT &&
		    errno != EEXIST && errno != EBUSY && errno != EINVAL &&
		    errno != EAGAIN)
			snprintf(t->failure, sizeof(t->failure), "'%s': %s",
				 t->line[i], strerror(errno));
		n = read(fd, reply, ST_REPLY_MAX);
		if (n <= 0)
			snprintf(t->failure, sizeof(t->failure), "no reply to '%s'",
				 t->line[i]);
		__atomic_add_fetch(&t->rounds, 1, __ATOMIC_RELAXED);
	}
	close(fd);
out:
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

FIXTURE(locking) {
	struct se se;
	int x, y;
};

FIXTURE_SETUP(locking)
{
	if (!se_fixture_setup(_metadata, &self->se, NULL))
		return;
	self->x = se_space_map(_metadata, &self->se, 2, "anon");
	self->y = se_space_map(_metadata, &self->se, 2, "anon");
	se_write(_metadata, &self->se, self->x, SE_ADDR(0), 0x1234);
	se_write(_metadata, &self->se, self->y, SE_ADDR(0), 0x1234);
}

FIXTURE_TEARDOWN_PARENT(locking)
{
	se_fixture_teardown(_metadata, &self->se);
}

/*
 * Two opposite merges of the same pair, and a writer on each space: with
 * the locks in argument order this deadlocks within a few rounds.
 */
TEST_F_TIMEOUT(locking, ksm_opposite_merges_with_writers, 60)
{
	struct lk_thread t[LK_THREADS];
	unsigned long long last[LK_THREADS] = { 0 }, now;
	unsigned int still[LK_THREADS] = { 0 }, i, running;
	int deadline = time(NULL) + LK_SECONDS;
	bool stuck = false;

	memset(t, 0, sizeof(t));
	for (i = 0; i < 2; i++) {
		int a = i ? self->y : self->x, b = i ? self->x : self->y;

		/* a merge, then the same one again (the first may merge) */
		snprintf(t[i].line[0], sizeof(t[i].line[0]),
			 "ksm merge %d 0x%llx %d 0x%llx\n", a, SE_ADDR(0), b,
			 SE_ADDR(0));
		memcpy(t[i].line[1], t[i].line[0], sizeof(t[i].line[1]));
		/* mmap() over a taken range: EEXIST, but under the write lock */
		snprintf(t[i + 2].line[0], sizeof(t[i + 2].line[0]),
			 "space map %d 0x%llx 1 anon\n", a, SE_ADDR(0));
		snprintf(t[i + 2].line[1], sizeof(t[i + 2].line[1]),
			 "space read %d 0x%llx\n", a, SE_ADDR(1));
	}
	for (i = 0; i < LK_THREADS; i++) {
		t[i].deadline = deadline;
		ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, lk_run, &t[i]));
	}
	do {
		sleep(1);
		for (i = 0, running = 0; i < LK_THREADS; i++) {
			if (__atomic_load_n(&t[i].done, __ATOMIC_ACQUIRE))
				continue;
			running++;
			now = __atomic_load_n(&t[i].rounds, __ATOMIC_RELAXED);
			still[i] = now == last[i] ? still[i] + 1 : 0;
			last[i] = now;
			if (still[i] >= LK_STALL_SECONDS)
				stuck = true;
		}
	} while (running && !stuck);
	if (stuck) {
		for (i = 0; i < LK_THREADS; i++)
			ksft_print_msg("thread %u: %s after %llu rounds, at '%.*s'\n",
				       i, t[i].done ? "done" : "stuck", t[i].rounds,
				       (int)strcspn(t[i].line[0], "\n"), t[i].line[0]);
		ASSERT_FALSE(stuck) {
			TH_LOG("deadlock: no progress for %d s", LK_STALL_SECONDS);
		}
	}
	for (i = 0; i < LK_THREADS; i++) {
		pthread_join(t[i].tid, NULL);
		EXPECT_STREQ("", t[i].failure);
		ASSERT_LT(0ULL, t[i].rounds);
	}
	ksft_print_msg("merges %llu and %llu, writers %llu and %llu rounds, no deadlock\n",
		       t[0].rounds, t[1].rounds, t[2].rounds, t[3].rounds);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
