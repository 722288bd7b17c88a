// SPDX-License-Identifier: GPL-2.0
/*
 * Loads that meet stores.  A file page is stored to through a shared
 * mapping or through write(2), and loaded through another shared mapping,
 * a private mapping that never writes, or read(2): each pair of a store
 * and a load from two threads at once (two, so that on two CPUs they meet
 * as often as they can).  Every load must see a whole tag (never a page whose
 * words disagree, which the module reports as EIO "page torn") and reply
 * with the record of what was written that goes with it: "tag=T
 * expected=E" with T == E.  A load that reads the data, lets a store land,
 * and only then reads the record replies T != E although nothing is
 * wrong: the explorer and the stress test would take that for lost data.
 *
 * A count of commands per thread, not a time: ST_ROUNDS caps it.
 */
#define _GNU_SOURCE

#include "st_race.h"

#define LD_PER_ROUND	50	/* commands of a thread per round */

SE_FIXTURE(loads);

struct ld_thread {
	pthread_t tid;
	int fd;
	int kind;
	int map, private, file;	/* the ids it uses */
	unsigned int cmds;
	unsigned int loads;	/* loads checked */
	char failure[768];
};

/* "tag=T expected=E" with T == E, or the reason it is not. */
static bool ld_agree(struct ld_thread *t, const char *cmd, int err,
		     const char *r)
{
	unsigned long long tag, want;

	if (err) {
		snprintf(t->failure, sizeof(t->failure), "'%.120s' -> '%.400s'", cmd, r);
		return false;
	}
	if (!st_field_u64(r, "tag", &tag) || !st_field_u64(r, "expected", &want) ||
	    tag != want) {
		snprintf(t->failure, sizeof(t->failure),
			 "'%.120s' -> '%.400s': the data and its record disagree", cmd, r);
		return false;
	}
	t->loads++;
	return true;
}

static void *ld_run(void *arg)
{
	struct ld_thread *t = arg;
	char r[ST_REPLY_MAX + 1], cmd[ST_LINE_MAX];
	unsigned int i;
	int err;

	for (i = 0; i < t->cmds; i++) {
		switch (t->kind) {
		case 0:		/* stores through a shared mapping */
			snprintf(cmd, sizeof(cmd), "space write %d 0x%llx 0x%x",
				 t->map, SE_BASE, 0x100000 + i);
			break;
		case 1:		/* stores through write(2) */
			snprintf(cmd, sizeof(cmd), "file write %d 0 0x%x", t->file,
				 0x200000 + i);
			break;
		case 2:		/* loads through a shared and a private mapping */
			snprintf(cmd, sizeof(cmd), "space read %d 0x%llx",
				 i & 1 ? t->private : t->map, SE_BASE);
			break;
		default:	/* read(2) */
			snprintf(cmd, sizeof(cmd), "file read %d 0", t->file);
			break;
		}
		err = se_tcmd(t->fd, r, "%s", cmd);
		if (t->kind >= 2) {
			if (!ld_agree(t, cmd, err, r))
				break;
		} else if (err) {
			snprintf(t->failure, sizeof(t->failure), "'%.120s' -> '%.400s'", cmd, r);
			break;
		}
	}
	return NULL;
}

/* kinds: 0 stores through a mapping, 1 write(2), 2 loads, 3 read(2) */
static const int ld_pairs[][2] = { { 0, 2 }, { 0, 3 }, { 1, 2 }, { 1, 3 } };

TEST_F_TIMEOUT(loads, file_page_loads_meet_stores, 120)
{
	struct se *se = &self->se;
	struct ld_thread t[2];
	unsigned int i, j, loads, stores;
	int f, a, b, c;

	f = se_file_new(_metadata, se, 1);
	a = se_file_map(_metadata, se, 1, "shared", f);
	b = se_file_map(_metadata, se, 1, "shared", f);
	c = se_file_map(_metadata, se, 1, "private", f);
	se_file_write(_metadata, se, f, 0, 0x5a5a);

	for (j = 0; j < ARRAY_SIZE(ld_pairs); j++) {
		memset(t, 0, sizeof(t));
		for (i = 0; i < 2; i++) {
			t[i].kind = ld_pairs[j][i];
			t[i].map = i ? b : a;
			t[i].private = c;
			t[i].file = f;
			t[i].cmds = LD_PER_ROUND * se_rounds(40);
			t[i].fd = st_open_ctl();
			ASSERT_LE(0, t[i].fd);
		}
		for (i = 0; i < 2; i++)
			ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, ld_run, &t[i]));
		for (i = 0; i < 2; i++)
			pthread_join(t[i].tid, NULL);
		for (i = 0; i < 2; i++) {
			close(t[i].fd);
			EXPECT_STREQ("", t[i].failure) {
				TH_LOG("kinds %d+%d, thread %u: %s", ld_pairs[j][0],
				       ld_pairs[j][1], i, t[i].failure);
			}
		}
		loads = t[1].loads;
		stores = t[0].cmds;
		ksft_print_msg("kinds %d+%d: %u loads checked against %u stores\n",
			       ld_pairs[j][0], ld_pairs[j][1], loads, stores);
		ASSERT_EQ(t[1].cmds, loads);
	}
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
