/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the selftests of the swaptrack engine: address spaces, files,
 * the entries "space pte" decodes, slot queries and the auditor.
 *
 * The fixture state (struct se) records every space, file, failing slot and
 * raw slot a test made, so the teardown, which runs in the parent (see st_ctl.h),
 * can give them back when the test stopped half way.  A test that passes
 * gives them back itself: the teardown then only checks that slots_used is
 * at its value from before the test and that the auditor is clean.
 */
#ifndef _ST_ENGINE_H
#define _ST_ENGINE_H

#include <pthread.h>
#include <time.h>

#include "st_ctl.h"

#define ST_AUDIT_PATH		ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/audit"

/* The model address space (Documentation/protocol.md) and its 4 KiB pages. */
#define SE_BASE			((unsigned long long)ST_SPACE_BASE)
#define SE_PAGE			4096ULL
#define SE_ADDR(i)		(SE_BASE + (unsigned long long)(i) * SE_PAGE)

/* Limits of the module (swaptrack/space.h, swaptrack/shmem.h). */
#define SE_SPACES_MAX		ST_SPACES_MAX
#define SE_FILES_MAX		ST_FILES_MAX

/* Don't-care value for the checks below. */
#define SE_ANY			(-1LL)
/* A field the reply did not carry. */
#define SE_ABSENT		(~0ULL)

#define SE_AUDIT_BUF		(256 * 1024)

/* Raw slots a test took with "slot alloc" / "slot alloc-pmd". */
struct se_range {
	unsigned long long slot;
	unsigned int nr;
};

/* Every cluster of the largest device, plus single slots. */
#define SE_OWN_MAX		(ST_SLOTS_MAX / ST_PMD_NR + 64)

struct se {
	int fd;
	char r[ST_REPLY_BUF];
	struct st_stats base;
	int spaces[SE_SPACES_MAX + 1];
	unsigned int nspaces;
	int files[SE_FILES_MAX + 1];
	unsigned int nfiles;
	unsigned long long ioerr[8];
	unsigned int nioerr;
	struct se_range own[SE_OWN_MAX];
	unsigned int nown;
};

/*
 * Destroy the spaces and files an earlier test left (one whose teardown
 * did not run to the end): every test starts without any.
 */
static inline void se_scrub(struct __test_metadata *_metadata, struct se *se)
{
	int id, n = 0, max = st_max_id("space", 0);
	char path[64];

	for (id = 1; id <= max; id++) {
		snprintf(path, sizeof(path), "%s/%s/space%d", ST_DEBUGFS_MNT,
			 ST_DEBUGFS_DIR, id);
		if (!access(path, F_OK) &&
		    !st_cmd(_metadata, se->fd, se->r, "space destroy %d", id))
			n++;
	}
	max = st_max_id("file", 0);
	for (id = 1; id <= max; id++) {
		snprintf(path, sizeof(path), "%s/%s/file%d", ST_DEBUGFS_MNT,
			 ST_DEBUGFS_DIR, id);
		if (!access(path, F_OK) &&
		    !st_cmd(_metadata, se->fd, se->r, "file destroy %d", id))
			n++;
	}
	if (n) {
		ksft_print_msg("destroyed %d spaces and files left by an earlier test\n", n);
		st_cmd(_metadata, se->fd, se->r, "reclaim");
	}
}

/* Open ctl and take the baseline; false if the module is not loaded. */
static inline bool se_setup(struct __test_metadata *_metadata, struct se *se)
{
	memset(se, 0, sizeof(*se));
	se->fd = st_open_ctl();
	if (se->fd == -ENOENT)
		return false;
	ASSERT_LE(0, se->fd) {
		TH_LOG("open %s: %s", ST_CTL_PATH, strerror(-se->fd));
	}
	se_scrub(_metadata, se);
	st_stats_read(_metadata, &se->base);
	if (!se->base.swap_on) {
		ksft_print_msg("swap was left off by an earlier test: swapon\n");
		ST_OK(se->fd, se->r, "swapon");
		st_stats_read(_metadata, &se->base);
	}
	return true;
}

/*
 * Read the audit file.  Every line before the last must be a note starting
 * with @note (none at all if @note is NULL), there must be @nr_notes of
 * them (any number if @any), and the last line must be "ok".  On a
 * mismatch every line is printed.
 */
static inline void se_audit_lines(struct __test_metadata *_metadata,
				  const char *note, unsigned int nr_notes,
				  bool any)
{
	char *buf = malloc(SE_AUDIT_BUF), *line, *next, *last = NULL;
	size_t nlen = note ? strlen(note) : 0;
	unsigned int notes = 0;
	bool good = true;
	ssize_t n, len = 0;
	int fd;

	ASSERT_NE(NULL, buf);
	fd = open(ST_AUDIT_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", ST_AUDIT_PATH, strerror(errno));
	}
	while ((n = read(fd, buf + len, SE_AUDIT_BUF - 1 - len)) > 0)
		len += n;
	close(fd);
	ASSERT_LE(0, n) {
		TH_LOG("read %s: %s", ST_AUDIT_PATH, strerror(errno));
	}
	buf[len] = '\0';
	for (line = buf; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			next++;
		if (!*next) {
			last = line;
			break;
		}
		if (note && !strncmp(line, note, nlen) &&
		    (line[nlen] == '\n' || line[nlen] == ' '))
			notes++;
		else
			good = false;
	}
	if (!last || strcmp(last, "ok\n") || (!any && notes != nr_notes))
		good = false;
	if (!good) {
		ksft_print_msg("audit: want %u line(s) '%s' and 'ok', got:\n",
			       nr_notes, note ? note : "");
		for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			ksft_print_msg("audit: %s\n", line);
	}
	free(buf);
	ASSERT_TRUE(good);
}

static inline void se_audit_notes(struct __test_metadata *_metadata,
				  const char *note, unsigned int nr_notes)
{
	se_audit_lines(_metadata, note, nr_notes, false);
}

/* A clean audit: "ok" and nothing else. */
static inline void se_audit(struct __test_metadata *_metadata)
{
	se_audit_notes(_metadata, NULL, 0);
}

static inline void se_own(int *ids, unsigned int *n, unsigned int max, int id,
			  bool add)
{
	unsigned int i;

	if (add) {
		if (*n < max)
			ids[(*n)++] = id;
		return;
	}
	for (i = 0; i < *n; i++)
		if (ids[i] == id) {
			ids[i] = ids[--(*n)];
			return;
		}
}

/* Give back the raw slots the test took (its teardown, when it failed). */
static inline void se_scrub_own(struct __test_metadata *_metadata, struct se *se)
{
	struct st_stats now;
	struct st_slot q;
	unsigned int i, j;

	for (i = 0; i < se->nown; i++) {
		st_query(_metadata, se->fd, se->own[i].slot, &q);
		if (!strcmp(q.cluster, "huge"))
			st_cmd(_metadata, se->fd, se->r, "slot split %llu",
			       se->own[i].slot);
		for (j = 0; j < se->own[i].nr; j++)
			st_scrub_slot(_metadata, se->fd, se->own[i].slot + j);
	}
	st_stats_read(_metadata, &now);
	if (now.slots_used != se->base.slots_used)
		ksft_print_msg("scrub left %lld slots in use: later tests may fail\n",
			       (long long)(now.slots_used - se->base.slots_used));
}

/* Give back what the test left and check the swap device is as it was. */
static inline void se_teardown(struct __test_metadata *_metadata, struct se *se)
{
	bool failed = _metadata->exit_code == KSFT_FAIL;
	struct st_stats now;
	unsigned int i;

	/* This may be another process than the test's: a descriptor of its own. */
	se->fd = st_open_ctl();
	ASSERT_LE(0, se->fd);
	st_stats_read(_metadata, &now);
	if (!now.swap_on)
		st_cmd(_metadata, se->fd, se->r, "swapon");
	for (i = 0; i < se->nioerr; i++)
		st_cmd(_metadata, se->fd, se->r, "slot ioerr %llu off", se->ioerr[i]);
	for (i = se->nspaces; i-- > 0;)
		st_cmd(_metadata, se->fd, se->r, "space destroy %d", se->spaces[i]);
	for (i = se->nfiles; i-- > 0;)
		st_cmd(_metadata, se->fd, se->r, "file destroy %d", se->files[i]);
	if (failed)
		st_cmd(_metadata, se->fd, se->r, "reclaim");
	st_stats_read(_metadata, &now);
	if (!failed) {
		EXPECT_EQ(se->base.slots_used, now.slots_used) {
			TH_LOG("the test left %lld slots in use",
			       (long long)(now.slots_used - se->base.slots_used));
		}
	}
	if (now.slots_used != se->base.slots_used || failed)
		se_scrub_own(_metadata, se);
	if (!failed)
		se_audit(_metadata);
	close(se->fd);
}

/*
 * Put the device's switches back as every program expects them: every policy
 * at the fix (exit_mmap() zaps the same under any policy), no GFP_ATOMIC
 * failure armed, not SWP_SYNCHRONOUS_IO.  Plain writes and reads, no ASSERT:
 * after a failed test the harness may abandon the rest of a teardown at its
 * first assertion.
 */
static inline void se_switches_reset(struct se *se)
{
	static const char *const lines[] = {
		"policy reset\n", "slot fail-atomic 0\n", "swap sync off\n",
	};
	unsigned int i;
	int fd = st_open_ctl();

	if (fd < 0)
		return;
	for (i = 0; i < ARRAY_SIZE(lines); i++)
		if (write(fd, lines[i], strlen(lines[i])) < 0 ||
		    read(fd, se->r, ST_REPLY_MAX) < 0)
			ksft_print_msg("'%.*s' failed: %s\n",
				       (int)strlen(lines[i]) - 1, lines[i],
				       strerror(errno));
	close(fd);
}

static inline void __printf(3, 4)
se_ok(struct __test_metadata *_metadata, struct se *se, const char *fmt, ...)
{
	char cmd[ST_LINE_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ST_OK(se->fd, se->r, "%s", cmd);
}

#define SE_OK(se, fmt, ...)	se_ok(_metadata, se, fmt, ##__VA_ARGS__)

/*
 * A command that must fail with @want, the reply's reason containing
 * @reason (e.g. "SIGBUS").
 */
static inline void __printf(5, 6)
se_fail(struct __test_metadata *_metadata, struct se *se, int want, const char *reason,
	const char *fmt, ...)
{
	char cmd[ST_LINE_MAX + 64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	ST_ERR(want, se->fd, se->r, "%s", cmd);
	ASSERT_NE(NULL, strstr(se->r, reason)) {
		TH_LOG("'%s' -> '%s': want a reason with '%s'", cmd, se->r, reason);
	}
}

static inline int se_space_new(struct __test_metadata *_metadata, struct se *se)
{
	int id;

	SE_OK(se, "space new");
	id = ST_GET(se->r, "space");
	ASSERT_EQ(SE_BASE, ST_GET(se->r, "base"));
	se_own(se->spaces, &se->nspaces, SE_SPACES_MAX + 1, id, true);
	return id;
}

/* A new space with one mapping of @pages at SE_BASE; @how as in "space map". */
static inline int se_space_map(struct __test_metadata *_metadata, struct se *se,
			       unsigned int pages, const char *how)
{
	int id = se_space_new(_metadata, se);

	SE_OK(se, "space map %d 0x%llx %u %s", id, SE_BASE, pages, how);
	return id;
}

/*
 * A new space mapping @pages pages of file @f at SE_BASE, from the file's
 * page 0; @kind "shared" or "private".
 */
static inline int se_file_map(struct __test_metadata *_metadata, struct se *se,
			      unsigned int pages, const char *kind, int f)
{
	char how[64];

	snprintf(how, sizeof(how), "%s %d 0", kind, f);
	return se_space_map(_metadata, se, pages, how);
}

static inline int se_fork(struct __test_metadata *_metadata, struct se *se, int id)
{
	int child;

	SE_OK(se, "space fork %d", id);
	child = ST_GET(se->r, "space");
	ASSERT_NE(id, child);
	se_own(se->spaces, &se->nspaces, SE_SPACES_MAX + 1, child, true);
	return child;
}

static inline void se_destroy(struct __test_metadata *_metadata, struct se *se, int id)
{
	SE_OK(se, "space destroy %d", id);
	se_own(se->spaces, &se->nspaces, SE_SPACES_MAX + 1, id, false);
}

static inline int se_file_new(struct __test_metadata *_metadata, struct se *se,
			      unsigned int pages)
{
	int id;

	SE_OK(se, "file new %u", pages);
	id = ST_GET(se->r, "file");
	se_own(se->files, &se->nfiles, SE_FILES_MAX + 1, id, true);
	return id;
}

static inline void se_file_destroy(struct __test_metadata *_metadata, struct se *se,
				   int id)
{
	SE_OK(se, "file destroy %d", id);
	se_own(se->files, &se->nfiles, SE_FILES_MAX + 1, id, false);
}

static inline void se_ioerr(struct __test_metadata *_metadata, struct se *se,
			    unsigned long long slot, bool on)
{
	SE_OK(se, "slot ioerr %llu %s", slot, on ? "on" : "off");
	ASSERT_EQ(slot, ST_GET(se->r, "slot"));
	if (on && se->nioerr < ARRAY_SIZE(se->ioerr))
		se->ioerr[se->nioerr++] = slot;
}

static inline void se_write(struct __test_metadata *_metadata, struct se *se,
			    int id, unsigned long long addr, unsigned long long tag)
{
	SE_OK(se, "space write %d 0x%llx 0x%llx", id, addr, tag);
}

/* "space read": the tag found and the auditor's expectation are @want. */
static inline void se_read(struct __test_metadata *_metadata, struct se *se,
			   int id, unsigned long long addr, unsigned long long want)
{
	SE_OK(se, "space read %d 0x%llx", id, addr);
	ASSERT_TRUE(ST_GET(se->r, "tag") == want && ST_GET(se->r, "expected") == want) {
		TH_LOG("space %d 0x%llx: want tag=expected=0x%llx, got '%s'",
		       id, addr, want, se->r);
	}
}

static inline void se_file_write(struct __test_metadata *_metadata, struct se *se,
				 int id, unsigned long long index,
				 unsigned long long tag)
{
	SE_OK(se, "file write %d %llu 0x%llx", id, index, tag);
}

static inline void se_file_read(struct __test_metadata *_metadata, struct se *se,
				int id, unsigned long long index,
				unsigned long long want)
{
	SE_OK(se, "file read %d %llu", id, index);
	ASSERT_TRUE(ST_GET(se->r, "tag") == want && ST_GET(se->r, "expected") == want) {
		TH_LOG("file %d index %llu: want tag=expected=0x%llx, got '%s'",
		       id, index, want, se->r);
	}
}

/* "space swapout" or "file swapout" with the counts its reply must give. */
static inline void se_swapout(struct __test_metadata *_metadata, struct se *se,
			      const char *what, int id, unsigned long long at,
			      unsigned int pages, unsigned long long swapped,
			      unsigned long long skipped)
{
	SE_OK(se, "%s swapout %d 0x%llx %u", what, id, at, pages);
	ASSERT_TRUE(ST_GET(se->r, "swapped") == swapped &&
		    ST_GET(se->r, "skipped") == skipped) {
		TH_LOG("%s %d 0x%llx %u: want swapped=%llu skipped=%llu, got '%s'",
		       what, id, at, pages, swapped, skipped, se->r);
	}
}

/* "space pte" decoded; fields the kind does not carry are SE_ABSENT. */
struct se_pte {
	char kind[16];
	unsigned long long pfn, write, dirty, uffd_wp, type, offset;
	char reply[ST_REPLY_BUF];
};

static inline void se_pte(struct __test_metadata *_metadata, struct se *se,
			  int id, unsigned long long addr, struct se_pte *p)
{
	ST_OK(se->fd, p->reply, "space pte %d 0x%llx", id, addr);
	ASSERT_TRUE(st_field_str(p->reply, "kind", p->kind, sizeof(p->kind)) &&
		    st_field(p->reply, "addr") == addr &&
		    st_field(p->reply, "raw") != SE_ABSENT) {
		TH_LOG("space pte %d 0x%llx: no addr=, kind= or raw= in '%s'",
		       id, addr, p->reply);
	}
	p->pfn = st_field(p->reply, "pfn");
	p->write = st_field(p->reply, "write");
	p->dirty = st_field(p->reply, "dirty");
	p->uffd_wp = st_field(p->reply, "uffd_wp");
	p->type = st_field(p->reply, "type");
	p->offset = st_field(p->reply, "offset");
}

static inline bool se_match(long long want, unsigned long long got)
{
	return want == SE_ANY || (unsigned long long)want == got;
}

/*
 * The entry at @addr is of @kind; @val is its pfn (present, migration,
 * hwpoison) or slot (swap), and @write / @uffd_wp its bits; SE_ANY where
 * the test does not care.  Returns the decoded entry in @p (may be NULL).
 */
static inline void se_check_pte(struct __test_metadata *_metadata, struct se *se,
				int id, unsigned long long addr, const char *kind,
				long long val, long long write, long long uffd_wp,
				struct se_pte *out)
{
	struct se_pte p;
	unsigned long long got_val;

	se_pte(_metadata, se, id, addr, &p);
	got_val = !strcmp(kind, "swap") ? p.offset : p.pfn;
	ASSERT_TRUE(!strcmp(p.kind, kind) && se_match(val, got_val) &&
		    se_match(write, p.write) && se_match(uffd_wp, p.uffd_wp)) {
		TH_LOG("space %d 0x%llx: want kind=%s %s=%lld write=%lld uffd_wp=%lld (-1: any)",
		       id, addr, kind, !strcmp(kind, "swap") ? "offset" : "pfn",
		       val, write, uffd_wp);
		TH_LOG("got '%s'", p.reply);
	}
	if (!strcmp(kind, "swap"))
		ASSERT_EQ((unsigned long long)ST_SWAP_TYPE, p.type);
	if (out)
		*out = p;
}

/* "slot query" against the map byte, count, cache, continued and shmem bits. */
static inline void se_check_slot(struct __test_metadata *_metadata, struct se *se,
				 unsigned long long slot, long long map,
				 long long count, long long cache,
				 long long continued, long long shmem)
{
	struct st_slot q;

	st_query(_metadata, se->fd, slot, &q);
	ASSERT_TRUE(se_match(map, q.map) && se_match(count, q.count) &&
		    se_match(cache, q.cache) && se_match(continued, q.continued) &&
		    se_match(shmem, st_field(q.reply, "shmem"))) {
		TH_LOG("slot %llu: want map=0x%llx count=%lld cache=%lld", slot, map,
		       count, cache);
		TH_LOG("and continued=%lld shmem=%lld (-1: any)", continued, shmem);
		TH_LOG("got '%s'", q.reply);
	}
}

/* A slot nobody holds. */
static inline void se_check_free(struct __test_metadata *_metadata, struct se *se,
				 unsigned long long slot)
{
	se_check_slot(_metadata, se, slot, 0, 0, 0, 0, 0);
}

/* slots_used against the baseline plus @delta. */
static inline void se_check_used(struct __test_metadata *_metadata, struct se *se,
				 long long delta)
{
	struct st_stats now;

	st_stats_read(_metadata, &now);
	ASSERT_EQ(se->base.slots_used + delta, now.slots_used) {
		TH_LOG("slots_used %llu, want the baseline %llu %+lld",
		       now.slots_used, se->base.slots_used, delta);
	}
}

static inline void se_own_slots(struct __test_metadata *_metadata, struct se *se,
				unsigned long long slot, unsigned int nr)
{
	ASSERT_GT((unsigned int)SE_OWN_MAX, se->nown);
	se->own[se->nown].slot = slot;
	se->own[se->nown].nr = nr;
	se->nown++;
}

/* "slot alloc": a slot below nr_slots, never bad slot 0. */
static inline unsigned long long se_alloc(struct __test_metadata *_metadata,
					  struct se *se, unsigned long long *gen)
{
	unsigned long long slot;

	SE_OK(se, "slot alloc");
	slot = ST_GET(se->r, "slot");
	if (gen)
		*gen = ST_GET(se->r, "gen");
	ASSERT_TRUE(slot > 0 && slot < se->base.nr_slots) {
		TH_LOG("'slot alloc' -> '%s': slot outside 1..nr_slots-1 (%llu)",
		       se->r, se->base.nr_slots);
	}
	se_own_slots(_metadata, se, slot, 1);
	return slot;
}

/* "slot alloc-pmd": a cluster-aligned slot and nr=ST_PMD_NR. */
static inline unsigned long long se_alloc_pmd(struct __test_metadata *_metadata,
					      struct se *se)
{
	unsigned long long slot;

	SE_OK(se, "slot alloc-pmd");
	slot = ST_GET(se->r, "slot");
	ASSERT_TRUE(slot % ST_PMD_NR == 0 && slot < se->base.nr_slots &&
		    ST_GET(se->r, "nr") == ST_PMD_NR) {
		TH_LOG("'slot alloc-pmd' -> '%s': want a multiple of %d below %llu and nr=%d",
		       se->r, ST_PMD_NR, se->base.nr_slots, ST_PMD_NR);
	}
	se_own_slots(_metadata, se, slot, ST_PMD_NR);
	return slot;
}

/* "slot dup/free SLOT N" and the count its reply reports. */
static inline void se_dup(struct __test_metadata *_metadata, struct se *se,
			  const char *op, unsigned long long slot,
			  unsigned long long n, unsigned long long want)
{
	SE_OK(se, "slot %s %llu %llu", op, slot, n);
	ASSERT_TRUE(ST_GET(se->r, "slot") == slot && ST_GET(se->r, "count") == want) {
		TH_LOG("'slot %s %llu %llu' -> '%s', want count=%llu", op, slot, n,
		       se->r, want);
	}
}

/* Give back a cluster holding only SWAP_HAS_CACHE: split, uncache each slot. */
static inline void se_release_cluster(struct __test_metadata *_metadata,
				      struct se *se, unsigned long long slot)
{
	unsigned int i;

	SE_OK(se, "slot split %llu", slot);
	for (i = 0; i < ST_PMD_NR; i++)
		SE_OK(se, "slot uncache %llu", slot + i);
}

static inline void se_reclaim(struct __test_metadata *_metadata, struct se *se,
			      unsigned long long want)
{
	SE_OK(se, "reclaim");
	ASSERT_EQ(want, ST_GET(se->r, "reclaimed")) {
		TH_LOG("'reclaim' -> '%s', want reclaimed=%llu", se->r, want);
	}
}

/*
 * The slot a file's index entry holds ("INDEX swap slot=S" in fileID/index),
 * SE_ABSENT if it holds a page or nothing.
 */
static inline unsigned long long se_file_slot(struct __test_metadata *_metadata,
					      int id, unsigned long long index)
{
	unsigned long long got = SE_ABSENT, i, slot;
	char path[128], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/file%d/index", ST_DEBUGFS_MNT,
		 ST_DEBUGFS_DIR, id);
	f = fopen(path, "re");
	ASSERT_NE(NULL, f) {
		TH_LOG("open %s: %s", path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llu swap slot=%llu", &i, &slot) == 2 && i == index)
			got = slot;
	fclose(f);
	return got;
}

/*
 * For threads, which must not use the harness's assertions (they longjmp
 * to the test's main thread): send one command, read its reply.  Returns
 * 0, the write's errno, or -1 when the reply is not what the write's
 * outcome calls for.
 */
static inline int __printf(3, 4)
se_tcmd(int fd, char *reply, const char *fmt, ...)
{
	char line[ST_LINE_MAX + 64];
	va_list ap;
	ssize_t n;
	int len, err = 0;

	va_start(ap, fmt);
	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= sizeof(line) - 1)
		return -1;
	line[len++] = '\n';
	if (write(fd, line, len) < 0)
		err = errno;
	n = read(fd, reply, ST_REPLY_MAX);
	if (n <= 0 || reply[n - 1] != '\n')
		return -1;
	reply[n - 1] = '\0';
	if (!err && strncmp(reply, "ok", 2))
		return -1;
	if (err && strncmp(reply, "error ", 6))
		return -1;
	return err;
}

/*
 * Read the whole audit file into a malloc()ed NUL-terminated buffer, which
 * the caller frees.
 */
static inline char *se_audit_text(struct __test_metadata *_metadata)
{
	char *buf = malloc(SE_AUDIT_BUF);
	ssize_t n, len = 0;
	int fd;

	ASSERT_NE(NULL, buf);
	fd = open(ST_AUDIT_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", ST_AUDIT_PATH, strerror(errno));
		free(buf);
	}
	while ((n = read(fd, buf + len, SE_AUDIT_BUF - 1 - len)) > 0)
		len += n;
	close(fd);
	ASSERT_LE(0, n) {
		TH_LOG("read %s: %s", ST_AUDIT_PATH, strerror(errno));
		free(buf);
	}
	buf[len] = '\0';
	return buf;
}

/*
 * The audit is exactly @nr lines: @lines[0..nr-1] in that order (the last
 * being "ok" or "violations N").  On a mismatch both are printed.
 */
static inline void se_audit_exact(struct __test_metadata *_metadata,
				  const char *const *lines, unsigned int nr)
{
	char *buf = se_audit_text(_metadata), *line, *next;
	unsigned int i = 0;
	bool good = true;
	size_t len;

	for (line = buf; *line && good; line = next, i++) {
		next = strchrnul(line, '\n');
		len = next - line;
		if (*next)
			next++;
		good = i < nr && strlen(lines[i]) == len &&
		       !strncmp(line, lines[i], len);
	}
	if (i != nr)
		good = false;
	if (!good) {
		for (i = 0; i < nr; i++)
			ksft_print_msg("audit: want '%s'\n", lines[i]);
		for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
			ksft_print_msg("audit: got  '%s'\n", line);
	}
	free(buf);
	ASSERT_TRUE(good);
}

/*
 * swapoff + swapon: frees every continuation page, so a test that counts
 * cont_alloc starts from swap_map pages without a continuation list.  Every
 * slot must be free (a test that leaked one before this one fails here).
 */
static inline void se_fresh_device(struct __test_metadata *_metadata, struct se *se)
{
	struct st_stats s;

	ASSERT_EQ(0, st_cmd(_metadata, se->fd, se->r, "swapoff")) {
		TH_LOG("'swapoff' -> '%s': slots in use before the test started", se->r);
	}
	ST_OK(se->fd, se->r, "swapon");
	st_stats_read(_metadata, &s);
	ASSERT_EQ(0ULL, s.cont_live);
	ASSERT_EQ(1ULL, s.swap_on);
	se->base = s;
}

#define ST_POLICY_PATH		ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/policy"

/*
 * "policy set @name @value", then the policy file must list the switch
 * with that value ("name=value values=...").
 */
static inline void se_policy(struct __test_metadata *_metadata, struct se *se,
			     const char *name, const char *value)
{
	char text[4096], want[128];
	ssize_t n;
	int fd;

	SE_OK(se, "policy set %s %s", name, value);
	fd = open(ST_POLICY_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", ST_POLICY_PATH, strerror(errno));
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	ASSERT_LE(0, n);
	text[n] = '\0';
	snprintf(want, sizeof(want), "%s=%s ", name, value);
	ASSERT_TRUE(!strncmp(text, want, strlen(want)) ||
		    (strstr(text, want) && strstr(text, want)[-1] == '\n')) {
		TH_LOG("after 'policy set %s %s', %s reads:\n%s", name, value,
		       ST_POLICY_PATH, text);
	}
}

static inline double se_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * uffd-wp needs HAVE_ARCH_USERFAULTFD_WP, which arm64 only has from 6.10:
 * before, "space uffd-wp" says EOPNOTSUPP (Documentation/kernels.md) and the uffd-wp
 * tests skip.
 */
static inline bool se_wp_supported(struct __test_metadata *_metadata, struct se *se)
{
	int s = se_space_map(_metadata, se, 1, "anon");
	int err;

	err = st_cmd(_metadata, se->fd, se->r, "space uffd-wp %d 0x%llx 1 off", s, SE_BASE);
	ASSERT_TRUE(!err || err == EOPNOTSUPP) {
		TH_LOG("'space uffd-wp %d 0x%llx 1 off' -> '%s'", s, SE_BASE, se->r);
	}
	se_destroy(_metadata, se, s);
	return !err;
}

#define SE_WP_SKIP_REASON	"no uffd-wp in this kernel (arm64 before 6.10)"

/* One switch a fixture variant sets up: "policy set @name @value". */
struct se_setting {
	const char *name;
	const char *value;
};

#define SE_SETTINGS_MAX		3

/* @set as "name=value ..." (the last value of each name) for a diagnostic. */
static inline const char *se_settings_str(const struct se_setting *set, char *buf,
					  size_t size)
{
	unsigned int i, j;
	size_t len = 0;

	buf[0] = '\0';
	for (i = 0; i < SE_SETTINGS_MAX && set[i].name; i++) {
		for (j = i + 1; j < SE_SETTINGS_MAX && set[j].name; j++)
			if (!strcmp(set[i].name, set[j].name))
				break;
		if (j < SE_SETTINGS_MAX && set[j].name)
			continue;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s%s=%s",
				len ? " " : "", set[i].name, set[i].value);
	}
	return buf;
}

/*
 * The set-up of every fixture on the engine: se_setup() and the switches
 * reset; the test is skipped (false) when the module is not loaded.  Then
 * @set, up to SE_SETTINGS_MAX policies (a NULL name ends it; @set may be
 * NULL), each checked in the policy file.
 */
static inline bool se_fixture_setup(struct __test_metadata *_metadata, struct se *se,
				    const struct se_setting *set)
{
	unsigned int i;

	if (!se_setup(_metadata, se))
		SKIP(return false, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	se_switches_reset(se);
	for (i = 0; set && i < SE_SETTINGS_MAX && set[i].name; i++)
		se_policy(_metadata, se, set[i].name, set[i].value);
	return true;
}

/* The teardown of every fixture on the engine, in the parent. */
static inline void se_fixture_teardown(struct __test_metadata *_metadata, struct se *se)
{
	se_switches_reset(se);
	se_teardown(_metadata, se);
}

/*
 * SE_FIXTURE(name): the fixture of a program on the engine, a struct se
 * set up by se_fixture_setup() and torn down by se_fixture_teardown():
 *
 *	SE_FIXTURE(files);
 *	TEST_F(files, write_read_hole) { struct se *se = &self->se; ... }
 *
 * SE_FIXTURE_POLICIES(name): the same, for a table of variants, each
 * setting the policies it tests before its test runs.  FIXTURE_VARIANT(name)
 * comes first and holds "struct se_setting set[SE_SETTINGS_MAX]"; the
 * variants follow:
 *
 *	FIXTURE_VARIANT(shmem_conflict) {
 *		struct se_setting set[SE_SETTINGS_MAX];
 *	};
 *	SE_FIXTURE_POLICIES(shmem_conflict);
 *	FIXTURE_VARIANT_ADD(shmem_conflict, retry) {
 *		.set = { { "shmem_conflict", "retry" } },
 *	};
 *
 * A fixture that sets more up writes its own FIXTURE_SETUP around
 * se_fixture_setup().
 */
#define SE_FIXTURE(...)		__SE_FIXTURE(NULL, __VA_ARGS__)
#define SE_FIXTURE_POLICIES(...)	__SE_FIXTURE(variant->set, __VA_ARGS__)

/*
 * The name is "..." only so that checkpatch does not take its reuse for a
 * side effect; the trailing declaration takes the caller's semicolon.
 */
#define __SE_FIXTURE(set, ...)						\
	FIXTURE(__VA_ARGS__) {						\
		struct se se;						\
	};								\
	FIXTURE_SETUP(__VA_ARGS__)					\
	{								\
		se_fixture_setup(_metadata, &self->se, set);		\
	}								\
	FIXTURE_TEARDOWN_PARENT(__VA_ARGS__)				\
	{								\
		se_fixture_teardown(_metadata, &self->se);		\
	}								\
	struct se_fixture

#endif /* _ST_ENGINE_H */
