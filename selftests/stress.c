// SPDX-License-Identifier: GPL-2.0
/*
 * Many-thread stress: eight threads, each on its own ctl descriptor, run
 * random operations of every kind over one shared address space and one
 * shared file for 30 s (se_stress_secs(), capped by ST_STRESS_MS; then on
 * until every kind of operation has succeeded once) under the fixed
 * policies.
 *
 * Space A: anonymous pages 0..71 (8 owned by each thread, 8 shared), one
 * anonymous PMD-aligned 2 MiB extent owned by each thread from 2 MiB on, and
 * file F (80 pages: 8 owned by each thread, a shared tail of 16) mapped
 * shared at 20 MiB.  Each thread also has a scratch file and a scratch space
 * mapping it, destroyed and made again while the others look at them, and
 * forks A now and then.
 *
 * A thread is the only one to change the data of its own pages, so it keeps
 * its own record of what each holds (a tag, zero after its zap or punch, or
 * poisoned) and checks every read against that record first and then
 * against the module's expected=.  Operations that keep the data (swapout,
 * reclaim, migration, fork, reads, file swapout) go anywhere, the other
 * threads' pages included.  The shared pages are written, zapped, punched
 * and truncated by all: they must hold a tag some thread wrote, and at the
 * end exactly what the module expects.  Every reply must be ok or one of the
 * errnos listed for that operation; anything else stops the thread with the
 * command and its reply.  Then the audit must be clean and the counts show
 * that each kind of operation succeeded at least once.
 */
#define _GNU_SOURCE
#include <stdint.h>

#include "st_race.h"

#define SX_THREADS	8
#define SX_OWN		8	/* anonymous pages of a thread in A */
#define SX_SHARED	8	/* anonymous pages everyone writes */
#define SX_ANON		(SX_THREADS * SX_OWN + SX_SHARED)
#define SX_FOWN		8	/* file pages of a thread in F */
#define SX_FOWNED	(SX_THREADS * SX_FOWN)
#define SX_FSHARED	16	/* F's tail: everyone writes, truncates */
#define SX_FPAGES	(SX_FOWNED + SX_FSHARED)
#define SX_PMD_SIZE	(2ULL << 20)
#define SX_PMD(t)	(SE_BASE + SX_PMD_SIZE * (1 + (t)))
#define SX_FMAP		(SE_BASE + 10 * SX_PMD_SIZE)
#define SX_FADDR(i)	(SX_FMAP + (unsigned long long)(i) * SE_PAGE)
#define SX_NR_TAGGED	4	/* pages of a thread's PMD it writes tags to */
#define SX_SCRATCH	8	/* pages of a scratch file; anon pages after */
#define SX_STALL_SECS	25
#define SX_GRACE_SECS	20
#define SX_MARK(t)	((0x5300ULL + (t)) << 48)
#define SX_MARK_MASK	0xffff000000000000ULL

static const unsigned int sx_tagged[SX_NR_TAGGED] = { 0, 1, 256, 511 };

enum sx_op {
	SX_WRITE, SX_READ, SX_TOUCH, SX_SWAPOUT, SX_RECLAIM, SX_FORK, SX_ZAP,
	SX_FWRITE, SX_FREAD, SX_FSWAPOUT, SX_PUNCH, SX_TRUNCATE, SX_WP_ON,
	SX_WP_OFF, SX_MIGRATE_BEGIN, SX_MIGRATE_END, SX_POISON, SX_KSM,
	SX_POPULATE, SX_SWAPOUT_PMD, SX_SPLIT_PMD, SX_SPACE_NEW,
	SX_SPACE_DESTROY, SX_FILE_NEW, SX_FILE_DESTROY, SX_MAP, SX_NOPS
};

static const char *const sx_names[SX_NOPS] = {
	"write", "read", "touch", "swapout", "reclaim", "fork", "zap",
	"fwrite", "fread", "fswapout", "punch", "truncate", "wp-on", "wp-off",
	"mig-begin", "mig-end", "poison", "ksm", "populate", "swapout-pmd",
	"split-pmd", "space-new", "space-destroy", "file-new", "file-destroy",
	"map",
};

/* What a thread's own anonymous page holds, in its own record. */
enum sx_state { SX_TAG, SX_POISONED };

struct sx_world {
	int a, f;		/* the shared space and file */
	bool wp;		/* uffd-wp in this kernel */
	double end;
	unsigned long long seed;
	int scratch_space[SX_THREADS];	/* __atomic: for the others' reads */
	int scratch_file[SX_THREADS];
	int child[SX_THREADS];
	unsigned long long ok[SX_NOPS];	/* __atomic: every thread's */
	unsigned long long enomem_retries; /* __atomic: sx_cmd()'s */
};

struct sx_thread {
	struct sx_world *w;
	pthread_t tid;
	int nr;
	int fd;
	unsigned long long rng;
	unsigned long long seq;
	/* the own record */
	unsigned long long anon[SX_OWN];
	enum sx_state state[SX_OWN];
	int partner[SX_OWN];		/* KSM-merged with, or -1 */
	unsigned long long file[SX_FOWN];
	unsigned long long pmd[SX_NR_TAGGED];
	int child;
	int sspace, sfile;
	unsigned int ssize;
	unsigned long long sfile_tag[SX_SCRATCH], sanon[SX_SCRATCH];
	/* per operation: sent and ok */
	unsigned long long sent[SX_NOPS], ok[SX_NOPS];
	char r[ST_REPLY_BUF];
	char line[ST_LINE_MAX + 64];
	char current[ST_LINE_MAX + 64];	/* the line in flight, for a hang */
	unsigned long long progress;	/* __atomic: read by the watchdog */
	int done;			/* __atomic */
	char failure[2048];
};

static unsigned long long sx_next(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static unsigned int sx_below(struct sx_thread *t, unsigned int n)
{
	return n ? sx_next(&t->rng) % n : 0;
}

static unsigned long long sx_tag(struct sx_thread *t)
{
	return SX_MARK(t->nr) | ++t->seq;
}

static bool sx_valid_tag(unsigned long long tag)
{
	unsigned long long mark = tag & SX_MARK_MASK;

	return !tag || (mark >= SX_MARK(0) && mark < SX_MARK(SX_THREADS));
}

static unsigned long long sx_own_addr(int t, unsigned int k)
{
	return SE_ADDR(t * SX_OWN + k);
}

static unsigned int sx_own_index(int t, unsigned int k)
{
	return t * SX_FOWN + k;
}

static bool __printf(2, 3) sx_fail(struct sx_thread *t, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (!t->failure[0])
		snprintf(t->failure, sizeof(t->failure),
			 "thread %d: '%s' -> '%s': %s", t->nr, t->line, t->r, why);
	return false;
}

static bool sx_failed(struct sx_thread *t)
{
	return t->failure[0];
}

#define SX_ALLOW(...)	((const int[]){ __VA_ARGS__, 0 })
#define SX_NONE		SX_ALLOW(0)

/*
 * Send one command of kind @op.  Returns 0 for ok, the errno when it is in
 * @allow (zero-terminated), -1 (and the thread's failure set) otherwise.
 */
static int __printf(4, 5) sx_cmd(struct sx_thread *t, enum sx_op op,
				 const int *allow, const char *fmt, ...)
{
	va_list ap;
	int err, i, tries;

	va_start(ap, fmt);
	vsnprintf(t->line, sizeof(t->line), fmt, ap);
	va_end(ap);
	if (sx_failed(t))
		return -1;
	memcpy(t->current, t->line, sizeof(t->current));
	t->r[0] = '\0';
	/*
	 * read(2) and write(2) of a shmem file get -ENOMEM when a swapin
	 * found the slot free and the same entry is back in the index (a
	 * swapin elsewhere freed the slot, a swap-out gave it to this index
	 * again: 6.12 shmem_swapin_folio()); the caller tries again.
	 */
	for (tries = 0; tries < 100; tries++) {
		err = se_tcmd(t->fd, t->r, "%s", t->line);
		if (err != ENOMEM || !strstr(t->r, "came back"))
			break;
		__atomic_add_fetch(&t->w->enomem_retries, 1, __ATOMIC_RELAXED);
	}
	__atomic_add_fetch(&t->progress, 1, __ATOMIC_RELAXED);
	t->sent[op]++;
	if (err < 0) {
		sx_fail(t, "not one line 'ok ...' or 'error <ERRNO> <reason>'");
		return -1;
	}
	if (!err) {
		t->ok[op]++;
		__atomic_add_fetch(&t->w->ok[op], 1, __ATOMIC_RELAXED);
		return 0;
	}
	for (i = 0; allow[i]; i++)
		if (allow[i] == err)
			return err;
	sx_fail(t, "%s is not a reply this operation may give here", st_errstr(err));
	return -1;
}

static unsigned long long sx_field(struct sx_thread *t, const char *key)
{
	unsigned long long v = st_field(t->r, key);

	if (v == SE_ABSENT)
		sx_fail(t, "no %s= in the reply", key);
	return v;
}

/* The reply of a read: tag= and expected= both @want. */
static bool sx_check(struct sx_thread *t, unsigned long long want)
{
	unsigned long long tag = sx_field(t, "tag"), exp = sx_field(t, "expected");

	if (sx_failed(t))
		return false;
	if (tag != want)
		return sx_fail(t, "read 0x%llx, the thread's own record says 0x%llx",
			       tag, want);
	if (exp != want)
		return sx_fail(t, "expected=0x%llx, the thread's own record says 0x%llx",
			       exp, want);
	return true;
}

/* An error reply must give this reason. */
static bool sx_reason(struct sx_thread *t, const char *what)
{
	return strstr(t->r, what) ? true :
	       sx_fail(t, "the error should say '%s'", what);
}

/* partner[k] == SX_OWN: merged with a page of the scratch space */
static void sx_forget_partner(struct sx_thread *t, unsigned int k)
{
	if (t->partner[k] >= 0 && t->partner[k] < SX_OWN)
		t->partner[t->partner[k]] = -1;
	t->partner[k] = -1;
}

/* Read own anonymous page @k in space @s against the record. */
static bool sx_check_anon(struct sx_thread *t, int s, unsigned int k)
{
	int err;

	if (t->state[k] == SX_POISONED) {
		err = sx_cmd(t, SX_READ, SX_ALLOW(EFAULT), "space read %d 0x%llx", s,
			     sx_own_addr(t->nr, k));
		if (err < 0)
			return false;
		if (!err)
			return sx_fail(t, "a poisoned page was read");
		return sx_reason(t, "SIGBUS");
	}
	if (sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", s,
		   sx_own_addr(t->nr, k)))
		return false;
	return sx_check(t, t->anon[k]);
}

/* Own file page @k, through `file read` or the mapping in space @s. */
static bool sx_check_file(struct sx_thread *t, int s, unsigned int k, bool mapped)
{
	unsigned int i = sx_own_index(t->nr, k);

	if (mapped ? sx_cmd(t, SX_FREAD, SX_NONE, "space read %d 0x%llx", s,
			    SX_FADDR(i)) :
		     sx_cmd(t, SX_FREAD, SX_NONE, "file read %d %u", t->w->f, i))
		return false;
	return sx_check(t, t->file[k]);
}

static bool sx_check_pmd(struct sx_thread *t, int s, unsigned int j)
{
	if (sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", s,
		   SX_PMD(t->nr) + sx_tagged[j] * SE_PAGE))
		return false;
	return sx_check(t, t->pmd[j]);
}

/* ---- the operations */

static void sx_write(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_OWN);
	unsigned long long tag = sx_tag(t);
	bool poisoned = t->state[k] == SX_POISONED;
	int err;

	err = sx_cmd(t, SX_WRITE, poisoned ? SX_ALLOW(EFAULT) : SX_NONE,
		     "space write %d 0x%llx 0x%llx", t->w->a, sx_own_addr(t->nr, k), tag);
	if (err < 0)
		return;
	if (poisoned) {
		if (!err)
			sx_fail(t, "a write to a poisoned page succeeded");
		else
			sx_reason(t, "SIGBUS");
		return;
	}
	t->anon[k] = tag;
	sx_forget_partner(t, k);
}

static void sx_read(struct sx_thread *t)
{
	if (sx_below(t, 4))
		sx_check_anon(t, t->w->a, sx_below(t, SX_OWN));
	else
		sx_check_pmd(t, t->w->a, sx_below(t, SX_NR_TAGGED));
}

static void sx_touch(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_OWN);
	bool poisoned = t->state[k] == SX_POISONED;
	int err;

	err = sx_cmd(t, SX_TOUCH, poisoned ? SX_ALLOW(EFAULT) : SX_NONE,
		     "space touch %d 0x%llx %s", t->w->a, sx_own_addr(t->nr, k),
		     sx_below(t, 2) ? "read" : "write");
	if (err > 0)
		sx_reason(t, "SIGBUS");
	else if (!err && poisoned)
		sx_fail(t, "a fault on a poisoned page succeeded");
}

/* Anywhere in A: reclaim keeps the data. */
static void sx_swapout(struct sx_thread *t)
{
	unsigned int n = 1 + sx_below(t, 16), at;
	unsigned long long addr;

	switch (sx_below(t, 4)) {
	case 0:		/* a PMD extent, anybody's */
		at = sx_below(t, 512 - n + 1);
		addr = SX_PMD(sx_below(t, SX_THREADS)) + at * SE_PAGE;
		break;
	case 1:		/* the file mapping: nothing anonymous there */
		at = sx_below(t, SX_FPAGES - n + 1);
		addr = SX_FADDR(at);
		break;
	default:
		at = sx_below(t, SX_ANON - n + 1);
		addr = SE_ADDR(at);
	}
	sx_cmd(t, SX_SWAPOUT, SX_NONE, "space swapout %d 0x%llx %u", t->w->a, addr, n);
}

static void sx_reclaim(struct sx_thread *t)
{
	sx_cmd(t, SX_RECLAIM, SX_NONE, "reclaim");
}

static void sx_drop_child(struct sx_thread *t)
{
	if (!t->child)
		return;
	__atomic_store_n(&t->w->child[t->nr], 0, __ATOMIC_RELEASE);
	sx_cmd(t, SX_SPACE_DESTROY, SX_NONE, "space destroy %d", t->child);
	t->child = 0;
}

/*
 * dup_mmap(): the child holds what the thread's pages held at the fork;
 * its writes stay in the child.
 */
static void sx_fork(struct sx_thread *t)
{
	unsigned long long tag;
	unsigned int k, j;
	int err, c;

	sx_drop_child(t);
	err = sx_cmd(t, SX_FORK, SX_ALLOW(ENOSPC), "space fork %d", t->w->a);
	if (err)
		return;
	c = (int)sx_field(t, "space");
	if (sx_failed(t))
		return;
	t->child = c;
	__atomic_store_n(&t->w->child[t->nr], c, __ATOMIC_RELEASE);
	for (k = 0; k < SX_OWN; k++)
		if (!sx_check_anon(t, c, k))
			return;
	for (k = 0; k < SX_FOWN; k += 1 + sx_below(t, 3))
		if (!sx_check_file(t, c, k, true))
			return;
	for (j = 0; j < SX_NR_TAGGED; j++)
		if (!sx_check_pmd(t, c, j))
			return;
	/* the child's write is the child's */
	k = sx_below(t, SX_OWN);
	if (t->state[k] == SX_POISONED)
		return;
	tag = sx_tag(t);
	if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", c,
		   sx_own_addr(t->nr, k), tag) ||
	    sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", c,
		   sx_own_addr(t->nr, k)) || !sx_check(t, tag))
		return;
	sx_check_anon(t, t->w->a, k);
}

static void sx_zap(struct sx_thread *t)
{
	unsigned int k;

	switch (sx_below(t, 6)) {
	case 0:		/* a shared page */
		sx_cmd(t, SX_ZAP, SX_NONE, "space zap %d 0x%llx", t->w->a,
		       SE_ADDR(SX_THREADS * SX_OWN + sx_below(t, SX_SHARED)));
		return;
	case 1:		/* the whole PMD extent: a swap PMD goes at once */
		if (sx_below(t, 3))
			break;
		if (!sx_cmd(t, SX_ZAP, SX_NONE, "space zap %d 0x%llx 512", t->w->a,
			    SX_PMD(t->nr)))
			memset(t->pmd, 0, sizeof(t->pmd));
		return;
	default:
		break;
	}
	k = sx_below(t, SX_OWN);
	if (sx_cmd(t, SX_ZAP, SX_NONE, "space zap %d 0x%llx", t->w->a,
		   sx_own_addr(t->nr, k)))
		return;
	t->anon[k] = 0;
	t->state[k] = SX_TAG;
	sx_forget_partner(t, k);
}

static void sx_fwrite(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_FOWN), i = sx_own_index(t->nr, k);
	unsigned long long tag = sx_tag(t);
	int err;

	if (sx_below(t, 2))
		err = sx_cmd(t, SX_FWRITE, SX_NONE, "file write %d %u 0x%llx", t->w->f,
			     i, tag);
	else
		err = sx_cmd(t, SX_FWRITE, SX_NONE, "space write %d 0x%llx 0x%llx",
			     t->w->a, SX_FADDR(i), tag);
	if (!err)
		t->file[k] = tag;
}

static void sx_fread(struct sx_thread *t)
{
	sx_check_file(t, t->w->a, sx_below(t, SX_FOWN), sx_below(t, 2));
}

/* Anywhere in F, the truncated tail included (nothing there: skipped). */
static void sx_fswapout(struct sx_thread *t)
{
	unsigned int n = 1 + sx_below(t, 8);

	sx_cmd(t, SX_FSWAPOUT, SX_NONE, "file swapout %d %u %u", t->w->f,
	       sx_below(t, SX_FPAGES), n);
}

static void sx_punch(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_FOWN), n = 1 + sx_below(t, 2);

	if (!sx_below(t, 4)) {
		sx_cmd(t, SX_PUNCH, SX_NONE, "file punch %d %u %u", t->w->f,
		       SX_FOWNED + sx_below(t, SX_FSHARED), n);
		return;
	}
	if (k + n > SX_FOWN)
		n = 1;
	if (sx_cmd(t, SX_PUNCH, SX_NONE, "file punch %d %u %u", t->w->f,
		   sx_own_index(t->nr, k), n))
		return;
	while (n--)
		t->file[k + n] = 0;
}

/*
 * F's shared tail goes and comes back; its file must stay: a mapped file
 * cannot be destroyed (EBUSY).
 */
static void sx_truncate(struct sx_thread *t)
{
	int err;

	if (sx_cmd(t, SX_TRUNCATE, SX_NONE, "file truncate %d %u", t->w->f,
		   SX_FOWNED + sx_below(t, SX_FSHARED)) ||
	    sx_cmd(t, SX_TRUNCATE, SX_NONE, "file truncate %d %u", t->w->f,
		   SX_FPAGES))
		return;
	if (sx_below(t, 4))
		return;
	err = sx_cmd(t, SX_FILE_DESTROY, SX_ALLOW(EBUSY), "file destroy %d", t->w->f);
	if (!err)
		sx_fail(t, "the file mapped in space %d was destroyed", t->w->a);
	else if (err > 0)
		sx_reason(t, "mapped");
}

/*
 * UFFDIO_WRITEPROTECT of a page the thread just wrote: a write must raise
 * the userfault (wherever reclaim or migration took the page meanwhile)
 * and the data stay; off again, the write goes through.
 */
static void sx_wp(struct sx_thread *t)
{
	unsigned long long addr, x = sx_tag(t), y = sx_tag(t);
	bool file = sx_below(t, 2);
	unsigned int k;
	int err;

	if (!t->w->wp)
		return;
	if (file) {
		k = sx_below(t, SX_FOWN);
		addr = SX_FADDR(sx_own_index(t->nr, k));
		if (sx_cmd(t, SX_FWRITE, SX_NONE, "file write %d %u 0x%llx", t->w->f,
			   sx_own_index(t->nr, k), x))
			return;
		t->file[k] = x;
	} else {
		k = sx_below(t, SX_OWN);
		if (t->state[k] == SX_POISONED)
			return;
		addr = sx_own_addr(t->nr, k);
		if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx",
			   t->w->a, addr, x))
			return;
		t->anon[k] = x;
		sx_forget_partner(t, k);
	}
	if (sx_cmd(t, SX_WP_ON, SX_NONE, "space uffd-wp %d 0x%llx 1 on", t->w->a, addr))
		return;
	/* the protection goes with the page to swap (a marker for a file page) */
	if (sx_below(t, 2) &&
	    (file ? sx_cmd(t, SX_FSWAPOUT, SX_NONE, "file swapout %d %u 1", t->w->f,
			   sx_own_index(t->nr, k)) :
		    sx_cmd(t, SX_SWAPOUT, SX_NONE, "space swapout %d 0x%llx 1", t->w->a,
			   addr)))
		return;
	err = sx_cmd(t, SX_WRITE, SX_ALLOW(EPERM), "space write %d 0x%llx 0x%llx",
		     t->w->a, addr, y);
	if (!err)
		sx_fail(t, "a write to a uffd-wp protected page went through");
	if (err <= 0 || !sx_reason(t, "uffd-wp userfault"))
		return;
	if (sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->w->a, addr) ||
	    !sx_check(t, x))
		return;
	if (sx_cmd(t, SX_WP_OFF, SX_NONE, "space uffd-wp %d 0x%llx 1 off", t->w->a, addr) ||
	    sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		   addr, y))
		return;
	if (file)
		t->file[k] = y;
	else
		t->anon[k] = y;
}

/*
 * try_to_migrate() ... remove_migration_ptes() of any page of A, the same
 * thread ending what it began (fuzz.c: a begun migration holds its page
 * locked).
 */
static void sx_migrate(struct sx_thread *t)
{
	unsigned long long addr;
	int err;

	switch (sx_below(t, 4)) {
	case 0:
		addr = SE_ADDR(sx_below(t, SX_ANON));
		break;
	case 1:
		addr = SX_FADDR(sx_below(t, SX_FPAGES));
		break;
	case 2:
		addr = SX_PMD(sx_below(t, SX_THREADS)) +
		       sx_tagged[sx_below(t, SX_NR_TAGGED)] * SE_PAGE;
		break;
	default:
		addr = sx_own_addr(t->nr, sx_below(t, SX_OWN));
	}
	/* ENOENT: nothing present; EBUSY: swap cache or KSM; EAGAIN: locked */
	err = sx_cmd(t, SX_MIGRATE_BEGIN, SX_ALLOW(ENOENT, EBUSY, EAGAIN),
		     "space migrate %d 0x%llx begin", t->w->a, addr);
	if (err)
		return;
	if (sx_below(t, 2))
		usleep(sx_below(t, 500));
	sx_cmd(t, SX_MIGRATE_END, SX_NONE, "space migrate %d 0x%llx end", t->w->a, addr);
}

static void sx_poison(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_OWN);
	int err;

	/* a KSM page would take its partner's pte with it */
	if (t->state[k] == SX_POISONED || t->partner[k] >= 0)
		return;
	/* ENOENT: not present; EAGAIN: page locked; EBUSY: in swap cache */
	err = sx_cmd(t, SX_POISON, SX_ALLOW(ENOENT, EAGAIN, EBUSY),
		     "space poison %d 0x%llx", t->w->a, sx_own_addr(t->nr, k));
	if (err)
		return;
	t->state[k] = SX_POISONED;
	sx_check_anon(t, t->w->a, k);
}

/*
 * KSM across two lineages: A's page and one of the scratch space.  Swapped
 * out and read back first through A, the swap-cache page belongs to A's
 * lineage: the scratch space's fault must copy it (ksm_might_need_to_copy()).
 */
static void sx_ksm_scratch(struct sx_thread *t)
{
	unsigned int k = sx_below(t, SX_OWN), i = sx_below(t, SX_SCRATCH);
	unsigned long long tag = sx_tag(t), addr = sx_own_addr(t->nr, k);
	int err;

	if (t->state[k] == SX_POISONED)
		return;
	if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		   addr, tag))
		return;
	t->anon[k] = tag;
	sx_forget_partner(t, k);
	if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->sspace,
		   SE_ADDR(SX_SCRATCH + i), tag))
		return;
	t->sanon[i] = tag;
	err = sx_cmd(t, SX_KSM, SX_ALLOW(ENOENT, EAGAIN, EBUSY),
		     "ksm merge %d 0x%llx %d 0x%llx", t->w->a, addr, t->sspace,
		     SE_ADDR(SX_SCRATCH + i));
	if (err)
		return;
	t->partner[k] = SX_OWN;
	if (sx_cmd(t, SX_SWAPOUT, SX_NONE, "space swapout %d 0x%llx 1", t->w->a, addr) ||
	    !sx_check_anon(t, t->w->a, k) ||
	    sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->sspace,
		   SE_ADDR(SX_SCRATCH + i)))
		return;
	sx_check(t, tag);
}

static void sx_ksm(struct sx_thread *t)
{
	unsigned int k1 = sx_below(t, SX_OWN), k2 = sx_below(t, SX_OWN);
	unsigned long long tag = sx_tag(t);
	int err;

	if (t->sspace && sx_below(t, 2)) {
		sx_ksm_scratch(t);
		return;
	}
	if (k1 == k2 || t->state[k1] == SX_POISONED || t->state[k2] == SX_POISONED)
		return;
	if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		   sx_own_addr(t->nr, k1), tag))
		return;
	t->anon[k1] = tag;
	sx_forget_partner(t, k1);
	if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		   sx_own_addr(t->nr, k2), tag))
		return;
	t->anon[k2] = tag;
	sx_forget_partner(t, k2);
	/* ENOENT: a page not present; EAGAIN: locked; EBUSY: swap cache */
	err = sx_cmd(t, SX_KSM, SX_ALLOW(ENOENT, EAGAIN, EBUSY),
		     "ksm merge %d 0x%llx %d 0x%llx", t->w->a, sx_own_addr(t->nr, k1),
		     t->w->a, sx_own_addr(t->nr, k2));
	if (err)
		return;
	t->partner[k1] = k2;
	t->partner[k2] = k1;
	if (sx_check_anon(t, t->w->a, k1))
		sx_check_anon(t, t->w->a, k2);
}

/* A THP's worth of the thread's own extent out as one PMD swap entry. */
static void sx_pmd(struct sx_thread *t)
{
	unsigned int j = sx_below(t, SX_NR_TAGGED);
	unsigned long long tag = sx_tag(t);
	int err;

	/* every page present and exclusive again (a fork shares them) */
	if (sx_cmd(t, SX_POPULATE, SX_NONE, "space populate %d 0x%llx 512 write",
		   t->w->a, SX_PMD(t->nr)) ||
	    sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		   SX_PMD(t->nr) + sx_tagged[j] * SE_PAGE, tag))
		return;
	t->pmd[j] = tag;
	/*
	 * EBUSY: a page shared by a fork since, or in the swap cache;
	 * ENOENT: a page reclaimed since; EAGAIN: a page locked or moved;
	 * ENOSPC: no free cluster.
	 */
	err = sx_cmd(t, SX_SWAPOUT_PMD, SX_ALLOW(EBUSY, ENOENT, EAGAIN, ENOSPC),
		     "space swapout-pmd %d 0x%llx", t->w->a, SX_PMD(t->nr));
	if (err < 0)
		return;
	if (sx_below(t, 2)) {
		/* ENOENT: no swap PMD (a fault or a fork split it) */
		err = sx_cmd(t, SX_SPLIT_PMD, SX_ALLOW(ENOENT), "space split-pmd %d 0x%llx",
			     t->w->a, SX_PMD(t->nr));
		if (err < 0)
			return;
	}
	for (j = 0; j < SX_NR_TAGGED; j++)
		if (!sx_check_pmd(t, t->w->a, j))
			return;
}

/* ---- scratch objects: destroyed and made again */

static void sx_scratch_drop(struct sx_thread *t)
{
	int err, tries;

	__atomic_store_n(&t->w->scratch_space[t->nr], 0, __ATOMIC_RELEASE);
	__atomic_store_n(&t->w->scratch_file[t->nr], 0, __ATOMIC_RELEASE);
	if (t->sspace &&
	    sx_cmd(t, SX_SPACE_DESTROY, SX_NONE, "space destroy %d", t->sspace))
		return;
	t->sspace = 0;
	/* EBUSY while another thread's command holds the file */
	for (tries = 0; t->sfile && tries < 1000; tries++) {
		err = sx_cmd(t, SX_FILE_DESTROY, SX_ALLOW(EBUSY), "file destroy %d",
			     t->sfile);
		if (err < 0)
			return;
		if (!err)
			t->sfile = 0;
		else
			usleep(1000);
	}
	if (t->sfile)
		sx_fail(t, "file %d still busy after 1000 tries", t->sfile);
}

/* A new file and space: what they hold is nothing of the old ones. */
static void sx_scratch_new(struct sx_thread *t)
{
	unsigned int i;

	if (sx_cmd(t, SX_FILE_NEW, SX_NONE, "file new %u", SX_SCRATCH))
		return;
	t->sfile = (int)sx_field(t, "file");
	if (sx_cmd(t, SX_SPACE_NEW, SX_NONE, "space new"))
		return;
	t->sspace = (int)sx_field(t, "space");
	if (sx_failed(t) ||
	    sx_cmd(t, SX_MAP, SX_NONE, "space map %d 0x%llx %u shared %d 0", t->sspace,
		   SE_BASE, SX_SCRATCH, t->sfile) ||
	    sx_cmd(t, SX_MAP, SX_NONE, "space map %d 0x%llx %u anon", t->sspace,
		   SE_ADDR(SX_SCRATCH), SX_SCRATCH))
		return;
	t->ssize = SX_SCRATCH;
	memset(t->sfile_tag, 0, sizeof(t->sfile_tag));
	memset(t->sanon, 0, sizeof(t->sanon));
	__atomic_store_n(&t->w->scratch_file[t->nr], t->sfile, __ATOMIC_RELEASE);
	__atomic_store_n(&t->w->scratch_space[t->nr], t->sspace, __ATOMIC_RELEASE);
	for (i = 0; i < SX_SCRATCH; i++) {
		if (sx_cmd(t, SX_FREAD, SX_NONE, "file read %d %u", t->sfile, i) ||
		    !sx_check(t, 0) ||
		    sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->sspace,
			   SE_ADDR(SX_SCRATCH + i)) ||
		    !sx_check(t, 0))
			return;
	}
}

/* One scratch page against the record: file pages beyond EOF SIGBUS. */
static void sx_scratch_check(struct sx_thread *t, unsigned int i)
{
	int err;

	switch (sx_below(t, 3)) {
	case 0:
		if (!sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->sspace,
			    SE_ADDR(SX_SCRATCH + i)))
			sx_check(t, t->sanon[i]);
		return;
	case 1:
		err = sx_cmd(t, SX_FREAD, i < t->ssize ? SX_NONE : SX_ALLOW(EINVAL),
			     "file read %d %u", t->sfile, i);
		break;
	default:
		err = sx_cmd(t, SX_FREAD, i < t->ssize ? SX_NONE : SX_ALLOW(EFAULT),
			     "space read %d 0x%llx", t->sspace, SE_ADDR(i));
	}
	if (!err && i >= t->ssize)
		sx_fail(t, "a read beyond the end of the file (%u pages) succeeded",
			t->ssize);
	else if (!err)
		sx_check(t, t->sfile_tag[i]);
	else if (err > 0)
		sx_reason(t, err == EINVAL ? "beyond the end" : "SIGBUS");
}

static void sx_scratch(struct sx_thread *t)
{
	unsigned int i = sx_below(t, SX_SCRATCH), size;
	unsigned long long tag = sx_tag(t);

	if (!t->sspace || !t->sfile) {
		sx_scratch_new(t);
		return;
	}
	switch (sx_below(t, 6)) {
	case 0:		/* destroyed and made again */
		sx_scratch_drop(t);
		sx_scratch_new(t);
		return;
	case 1:		/* the file shrinks and grows back: zeroes */
		size = sx_below(t, SX_SCRATCH);
		if (sx_cmd(t, SX_TRUNCATE, SX_NONE, "file truncate %d %u", t->sfile,
			   size))
			return;
		t->ssize = size;
		memset(t->sfile_tag + size, 0, (SX_SCRATCH - size) * sizeof(tag));
		sx_scratch_check(t, i);
		if (sx_cmd(t, SX_TRUNCATE, SX_NONE, "file truncate %d %u", t->sfile,
			   SX_SCRATCH))
			return;
		t->ssize = SX_SCRATCH;
		break;
	case 2:
		if (sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx",
			   t->sspace, SE_ADDR(SX_SCRATCH + i), tag))
			return;
		t->sanon[i] = tag;
		break;
	case 3:
		if (sx_cmd(t, SX_FWRITE, SX_NONE, "space write %d 0x%llx 0x%llx",
			   t->sspace, SE_ADDR(i), tag))
			return;
		t->sfile_tag[i] = tag;
		break;
	case 4:
		if (sx_cmd(t, SX_FWRITE, SX_NONE, "file write %d %u 0x%llx", t->sfile,
			   i, tag))
			return;
		t->sfile_tag[i] = tag;
		break;
	default:
		sx_cmd(t, SX_SWAPOUT, SX_NONE, "space swapout %d 0x%llx %u", t->sspace,
		       SE_BASE, 2 * SX_SCRATCH);
		sx_cmd(t, SX_FSWAPOUT, SX_NONE, "file swapout %d 0 %u", t->sfile,
		       SX_SCRATCH);
		break;
	}
	sx_scratch_check(t, sx_below(t, SX_SCRATCH));
}

/* ---- the others' pages: read, never changed */

/*
 * Thread @owner's page holds zeroes or a tag of that thread; with @owner
 * -1 (an object whose id may have been given to another thread's since)
 * a tag of any thread.
 */
static bool sx_check_foreign(struct sx_thread *t, int owner)
{
	unsigned long long tag = sx_field(t, "tag");

	if (sx_failed(t))
		return false;
	if (owner < 0 && !sx_valid_tag(tag))
		return sx_fail(t, "a page holds a tag no thread wrote");
	if (owner >= 0 && tag && (tag & SX_MARK_MASK) != SX_MARK(owner))
		return sx_fail(t, "thread %d's page holds a tag it did not write", owner);
	return true;
}

static void sx_foreign(struct sx_thread *t)
{
	int o = sx_below(t, SX_THREADS), id, err;

	switch (sx_below(t, 6)) {
	case 0:		/* its own anonymous page: SIGBUS if it poisoned it */
		err = sx_cmd(t, SX_READ, SX_ALLOW(EFAULT), "space read %d 0x%llx",
			     t->w->a, sx_own_addr(o, sx_below(t, SX_OWN)));
		break;
	case 1:
		err = sx_cmd(t, SX_FREAD, SX_NONE, "file read %d %u", t->w->f,
			     sx_own_index(o, sx_below(t, SX_FOWN)));
		break;
	case 2:
		err = sx_cmd(t, SX_FREAD, SX_NONE, "space read %d 0x%llx", t->w->a,
			     SX_FADDR(sx_own_index(o, sx_below(t, SX_FOWN))));
		break;
	case 3:
		err = sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->w->a,
			     SX_PMD(o) + sx_below(t, 512) * SE_PAGE);
		break;
	case 4:
		/* its scratch space, maybe gone, maybe not mapped yet or truncated */
		id = __atomic_load_n(&t->w->scratch_space[o], __ATOMIC_ACQUIRE);
		if (!id)
			return;
		err = sx_cmd(t, SX_READ, SX_ALLOW(ENOENT, EFAULT), "space read %d 0x%llx",
			     id, SE_ADDR(sx_below(t, 2 * SX_SCRATCH)));
		if (!err)
			sx_check_foreign(t, -1);
		if (!sx_below(t, 4))
			sx_cmd(t, SX_SWAPOUT, SX_ALLOW(ENOENT, EFAULT),
			       "space swapout %d 0x%llx %u", id, SE_BASE, 2 * SX_SCRATCH);
		id = __atomic_load_n(&t->w->scratch_file[o], __ATOMIC_ACQUIRE);
		if (!id)
			return;
		err = sx_cmd(t, SX_FREAD, SX_ALLOW(ENOENT, EINVAL), "file read %d %u", id,
			     sx_below(t, SX_SCRATCH));
		if (!err)
			sx_check_foreign(t, -1);
		if (!sx_below(t, 4))
			sx_cmd(t, SX_FSWAPOUT, SX_ALLOW(ENOENT), "file swapout %d 0 %u", id,
			       SX_SCRATCH);
		return;
	default:
		/* its fork child: a copy of A, maybe destroyed meanwhile */
		id = __atomic_load_n(&t->w->child[o], __ATOMIC_ACQUIRE);
		if (!id)
			return;
		err = sx_cmd(t, SX_READ, SX_ALLOW(ENOENT, EFAULT), "space read %d 0x%llx",
			     id, sx_own_addr(o, sx_below(t, SX_OWN)));
		/*
		 * The child may be gone and its id taken by another thread's
		 * scratch space since it was read: not mapped there.
		 */
		if (err == EFAULT && !strstr(t->r, "not mapped"))
			sx_reason(t, "SIGBUS");
		if (!err && !sx_check_foreign(t, -1))
			return;
		/* the same: a scratch space given the id may not be mapped yet */
		if (!sx_below(t, 2) &&
		    sx_cmd(t, SX_SWAPOUT, SX_ALLOW(ENOENT, EFAULT),
			   "space swapout %d 0x%llx %u", id, SE_BASE, SX_ANON) == EFAULT)
			sx_reason(t, "not mapped");
		return;
	}
	if (err == EFAULT)
		sx_reason(t, "SIGBUS");
	else if (!err)
		sx_check_foreign(t, o);
}

/* The pages everyone writes: a tag some thread wrote, or zeroes. */
static void sx_shared(struct sx_thread *t)
{
	unsigned int i = SX_FOWNED + sx_below(t, SX_FSHARED);
	unsigned long long addr = SE_ADDR(SX_THREADS * SX_OWN + sx_below(t, SX_SHARED));
	unsigned long long tag = sx_tag(t);
	int err;

	switch (sx_below(t, 8)) {
	case 0:
		sx_cmd(t, SX_WRITE, SX_NONE, "space write %d 0x%llx 0x%llx", t->w->a,
		       addr, tag);
		return;
	case 6:
	case 7:		/* a herd: all out, and every thread faults one in */
		if (sx_cmd(t, SX_SWAPOUT, SX_NONE, "space swapout %d 0x%llx %d", t->w->a,
			   SE_ADDR(SX_THREADS * SX_OWN), SX_SHARED))
			return;
		err = sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->w->a, addr);
		break;
	case 1:
		err = sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->w->a, addr);
		break;
	case 2:		/* EINVAL: beyond a truncation of the tail */
		err = sx_cmd(t, SX_FWRITE, SX_ALLOW(EINVAL), "file write %d %u 0x%llx",
			     t->w->f, i, tag);
		if (err > 0)
			sx_reason(t, "beyond the end");
		return;
	case 3:		/* SIGBUS: beyond a truncation of the tail */
		err = sx_cmd(t, SX_FWRITE, SX_ALLOW(EFAULT), "space write %d 0x%llx 0x%llx",
			     t->w->a, SX_FADDR(i), tag);
		if (err > 0)
			sx_reason(t, "SIGBUS");
		return;
	case 4:
		err = sx_cmd(t, SX_FREAD, SX_ALLOW(EINVAL), "file read %d %u", t->w->f, i);
		break;
	default:
		err = sx_cmd(t, SX_FREAD, SX_ALLOW(EFAULT), "space read %d 0x%llx",
			     t->w->a, SX_FADDR(i));
	}
	if (err > 0) {
		sx_reason(t, err == EINVAL ? "beyond the end" : "SIGBUS");
		return;
	}
	if (!err && !sx_valid_tag(sx_field(t, "tag")))
		sx_fail(t, "a shared page holds a tag no thread wrote");
}

/* Everything the thread owns, against its record. */
static void sx_final(struct sx_thread *t)
{
	unsigned int k;

	for (k = 0; k < SX_OWN && !sx_failed(t); k++)
		sx_check_anon(t, t->w->a, k);
	for (k = 0; k < SX_FOWN && !sx_failed(t); k++) {
		sx_check_file(t, t->w->a, k, false);
		sx_check_file(t, t->w->a, k, true);
	}
	for (k = 0; k < SX_NR_TAGGED && !sx_failed(t); k++)
		sx_check_pmd(t, t->w->a, k);
	for (k = 0; t->sspace && k < SX_SCRATCH && !sx_failed(t); k++) {
		if (!sx_cmd(t, SX_READ, SX_NONE, "space read %d 0x%llx", t->sspace,
			    SE_ADDR(SX_SCRATCH + k)))
			sx_check(t, t->sanon[k]);
		if (!sx_cmd(t, SX_FREAD, SX_NONE, "file read %d %u", t->sfile, k))
			sx_check(t, t->sfile_tag[k]);
	}
}

/* Every kind of operation has succeeded once, in some thread. */
static bool sx_covered(struct sx_world *w)
{
	int op;

	for (op = 0; op < SX_NOPS; op++)
		if (!__atomic_load_n(&w->ok[op], __ATOMIC_RELAXED) &&
		    (w->wp || (op != SX_WP_ON && op != SX_WP_OFF)))
			return false;
	return true;
}

/*
 * Until the time is up, and then on (SX_GRACE_SECS at most) until every
 * kind of operation has succeeded: a run capped short (ST_STRESS_MS) still
 * covers them all.
 */
static bool sx_going(struct sx_thread *t)
{
	double now = se_now();

	if (sx_failed(t))
		return false;
	return now < t->w->end || (now < t->w->end + SX_GRACE_SECS && !sx_covered(t->w));
}

static void *sx_run(void *arg)
{
	struct sx_thread *t = arg;
	unsigned int k;

	for (k = 0; k < SX_OWN; k++)
		t->partner[k] = -1;
	t->fd = st_open_ctl();
	if (t->fd < 0) {
		snprintf(t->failure, sizeof(t->failure), "open ctl: %s",
			 strerror(-t->fd));
		goto out;
	}
	while (sx_going(t)) {
		k = sx_below(t, 100);
		if (k < 10)
			sx_write(t);
		else if (k < 18)
			sx_read(t);
		else if (k < 21)
			sx_touch(t);
		else if (k < 27)
			sx_swapout(t);
		else if (k < 29)
			sx_reclaim(t);
		else if (k < 31)
			sx_fork(t);
		else if (k < 35)
			sx_zap(t);
		else if (k < 41)
			sx_fwrite(t);
		else if (k < 46)
			sx_fread(t);
		else if (k < 50)
			sx_fswapout(t);
		else if (k < 53)
			sx_punch(t);
		else if (k < 55)
			sx_truncate(t);
		else if (k < 58)
			sx_wp(t);
		else if (k < 64)
			sx_migrate(t);
		else if (k < 66)
			sx_poison(t);
		else if (k < 69)
			sx_ksm(t);
		else if (k < 72)
			sx_pmd(t);
		else if (k < 78)
			sx_scratch(t);
		else if (k < 90)
			sx_foreign(t);
		else
			sx_shared(t);
	}
	if (!sx_failed(t))
		sx_final(t);
	if (!sx_failed(t)) {
		sx_drop_child(t);
		sx_scratch_drop(t);
	}
	close(t->fd);
out:
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/*
 * A command that does not come back within SX_STALL_SECS is a hang (the
 * longest legitimate wait is a fault behind a migration entry, 10 s): name
 * the line in flight and have the kernel show its blocked tasks.  Returns
 * the stuck thread, or -1 once every thread is done.
 */
static int sx_watch(struct sx_thread *t)
{
	unsigned long long last[SX_THREADS] = { 0 }, now;
	unsigned int still[SX_THREADS] = { 0 }, running;
	int i, fd;

	do {
		sleep(1);
		for (i = 0, running = 0; i < SX_THREADS; i++) {
			if (__atomic_load_n(&t[i].done, __ATOMIC_ACQUIRE))
				continue;
			running++;
			now = __atomic_load_n(&t[i].progress, __ATOMIC_RELAXED);
			still[i] = now == last[i] ? still[i] + 1 : 0;
			last[i] = now;
			if (still[i] < SX_STALL_SECS)
				continue;
			fd = open("/proc/sysrq-trigger", O_WRONLY | O_CLOEXEC);
			if (fd >= 0 && write(fd, "w", 1) < 0)
				ksft_print_msg("sysrq-w: %s\n", strerror(errno));
			if (fd >= 0)
				close(fd);
			return i;
		}
	} while (running);
	return -1;
}

/* The fixed value of every switch (README, "Policies"). */
static const char *const sx_fixed[] = {
	"dup_errors=mainline", "zap_details=even_cows", "ksm_copy=hold_lock",
	"uptodate_check=no_copy", "swapin_pin=page_lock", "shmem_conflict=retry",
	"marker_none=mostly", "sync_pin=swapcache_prepare",
	"swapin_reconfirm=failed_label", "swapin_recheck=swapcache_entry",
	"slot_reuse=immediate",
};

static void sx_policies_fixed(struct __test_metadata *_metadata, struct se *se)
{
	char text[4096], *line, *save = NULL;
	unsigned int i, lines = 0;
	ssize_t n;
	int fd;

	SE_OK(se, "policy reset");
	fd = open(ST_POLICY_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_LE(0, n);
	text[n] = '\0';
	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), lines++) {
		for (i = 0; i < ARRAY_SIZE(sx_fixed); i++)
			if (!strncmp(line, sx_fixed[i], strlen(sx_fixed[i])) &&
			    line[strlen(sx_fixed[i])] == ' ')
				break;
		ASSERT_LT(i, ARRAY_SIZE(sx_fixed)) {
			TH_LOG("after 'policy reset': '%s' is not a fixed value", line);
		}
	}
	ASSERT_EQ(ARRAY_SIZE(sx_fixed), lines);
}

/* With nothing left that could hold a slot, show the slots still in use. */
static void sx_show_used(struct __test_metadata *_metadata, struct se *se)
{
	unsigned long long slot, nr;
	struct st_stats now;
	unsigned int shown = 0;

	st_stats_read(_metadata, &now);
	if (now.slots_used == se->base.slots_used)
		return;
	nr = now.nr_slots;
	for (slot = 1; slot < nr && shown < 16; slot++) {
		ST_OK(se->fd, se->r, "slot query %llu", slot);
		if (ST_GET(se->r, "map") || ST_GET(se->r, "parked")) {
			ksft_print_msg("still in use: %s\n", se->r);
			shown++;
		}
	}
}

SE_FIXTURE(stress);

TEST_F_TIMEOUT(stress, eight_threads, 120)
{
	static struct sx_thread t[SX_THREADS];
	unsigned long long sum[SX_NOPS] = { 0 }, sum_ok[SX_NOPS] = { 0 }, tag;
	struct se *se = &self->se;
	double secs = se_stress_secs(30.0);
	char counts[1024];
	struct sx_world w;
	bool good = true;
	int i, op, stuck;
	size_t len;

	memset(&w, 0, sizeof(w));
	sx_policies_fixed(_metadata, se);
	w.wp = se_wp_supported(_metadata, se);
	w.f = se_file_new(_metadata, se, SX_FPAGES);
	w.a = se_space_map(_metadata, se, SX_ANON, "anon");
	SE_OK(se, "space map %d 0x%llx %d anon", w.a, SX_PMD(0), SX_THREADS * 512);
	SE_OK(se, "space map %d 0x%llx %d shared %d 0", w.a, SX_FMAP, SX_FPAGES, w.f);
	w.seed = getenv("ST_STRESS_SEED") ? strtoull(getenv("ST_STRESS_SEED"), NULL, 0) :
		 (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 32);
	ksft_print_msg("%d threads for %.1f s, seed %llu (ST_STRESS_SEED=), uffd-wp %s\n",
		       SX_THREADS, secs, w.seed, w.wp ? "on" : "not in this kernel");
	w.end = se_now() + secs;
	memset(t, 0, sizeof(t));
	for (i = 0; i < SX_THREADS; i++) {
		t[i].w = &w;
		t[i].nr = i;
		t[i].rng = w.seed * 0x9e3779b97f4a7c15ULL + i + 1;
		ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, sx_run, &t[i]));
	}
	stuck = sx_watch(t);
	ASSERT_EQ(-1, stuck) {
		TH_LOG("thread %d stuck for %d s in '%s' (blocked tasks: sysrq-w in the log)",
		       stuck, SX_STALL_SECS, t[stuck].current);
	}
	for (i = 0; i < SX_THREADS; i++)
		pthread_join(t[i].tid, NULL);

	for (i = 0; i < SX_THREADS; i++) {
		len = 0;
		for (op = 0; op < SX_NOPS; op++) {
			len += snprintf(counts + len, sizeof(counts) - len, " %s=%llu/%llu",
					sx_names[op], t[i].ok[op], t[i].sent[op]);
			sum[op] += t[i].sent[op];
			sum_ok[op] += t[i].ok[op];
		}
		ksft_print_msg("thread %d (ok/sent):%s\n", i, counts);
		if (t[i].failure[0]) {
			ksft_print_msg("%s\n", t[i].failure);
			good = false;
		}
	}
	if (w.enomem_retries)
		ksft_print_msg("file accesses retried after ENOMEM (entry back): %llu\n",
			       w.enomem_retries);
	ASSERT_TRUE(good);
	for (op = 0; op < SX_NOPS; op++) {
		if (!w.wp && (op == SX_WP_ON || op == SX_WP_OFF))
			continue;
		EXPECT_LT(0ULL, sum_ok[op]) {
			TH_LOG("'%s' never succeeded (%llu sent)", sx_names[op], sum[op]);
		}
	}

	/* the pages everyone wrote hold what the module expects */
	for (i = 0; i < SX_SHARED; i++) {
		SE_OK(se, "space read %d 0x%llx", w.a, SE_ADDR(SX_THREADS * SX_OWN + i));
		tag = ST_GET(se->r, "tag");
		ASSERT_TRUE(tag == ST_GET(se->r, "expected") && sx_valid_tag(tag)) {
			TH_LOG("shared page %d: '%s'", i, se->r);
		}
	}
	for (i = SX_FOWNED; i < SX_FPAGES; i++) {
		SE_OK(se, "file read %d %d", w.f, i);
		tag = ST_GET(se->r, "tag");
		ASSERT_TRUE(tag == ST_GET(se->r, "expected") && sx_valid_tag(tag)) {
			TH_LOG("shared file page %d: '%s'", i, se->r);
		}
		SE_OK(se, "space read %d 0x%llx", w.a, SX_FADDR(i));
		ASSERT_TRUE(tag == ST_GET(se->r, "tag") && tag == ST_GET(se->r, "expected")) {
			TH_LOG("shared file page %d read 0x%llx, through the mapping '%s'",
			       i, tag, se->r);
		}
	}
	/* stranded swap-cache pages are notes, nothing else may be said */
	se_audit_lines(_metadata, "note stranded", 0, true);

	se_destroy(_metadata, se, w.a);
	se_file_destroy(_metadata, se, w.f);
	SE_OK(se, "reclaim");
	se_audit(_metadata);
	sx_show_used(_metadata, se);
	se_check_used(_metadata, se, 0);
}

TEST_HARNESS_MAIN
