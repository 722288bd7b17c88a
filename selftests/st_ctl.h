/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the swaptrack selftests: the ctl line protocol, reply
 * fields and the stats file.
 *
 * Every helper that can see a protocol violation takes the harness metadata,
 * so a mismatch fails the calling test with the command and the reply
 * printed, instead of returning a code the caller might ignore.  The
 * protocol itself (Documentation/protocol.md): one command per write(2);
 * the reply is one line read back from the same descriptor, "ok ..." after a
 * successful write, "error <ERRNO> <reason>" after a write that failed with
 * that errno.
 */
#ifndef _ST_CTL_H
#define _ST_CTL_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * kselftest_harness.h is not -Wextra clean: an unused signal handler
 * parameter, and the fork/setjmp in TEST_F() trips -Wclobbered.  The
 * clobbering is real at -O2 (after a failed ASSERT the test child can take
 * the parent's path and skip a child-side teardown), so our fixtures use
 * FIXTURE_TEARDOWN_PARENT(), which runs exactly once either way.
 */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"
#pragma GCC diagnostic pop
#pragma GCC diagnostic ignored "-Wclobbered"
#include "swaptrack.h"

/*
 * st_env_cap(NAME, DFLT): DFLT, or the environment's NAME if that is a
 * smaller positive number.  On a debug kernel (KASAN, lockdep under TCG,
 * 10-20 times slower) vm-init.sh exports ST_ROUNDS and ST_STRESS_MS from
 * st.rounds= and st.stress_ms= of the command line (scripts/arch.sh
 * kind_load); elsewhere they are unset and the defaults stand.
 */
static inline unsigned int st_env_cap(const char *name, unsigned int dflt)
{
	const char *v = getenv(name);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return dflt;
	n = strtoul(v, &end, 10);
	return *end || !n || n > dflt ? dflt : n;
}

/*
 * The harness gives each test 30 s (TEST_TIMEOUT_DEFAULT) or its
 * TEST_F_TIMEOUT(); on a debug kernel the same work takes up to 20 times
 * longer.  Once every test has registered (KSELFTEST_PRIO_TEST), multiply
 * each limit by ST_TIMEOUT_SCALE (st.timeout_scale= of the command line).
 */
static void __attribute__((constructor(KSELFTEST_PRIO_XFAIL + 1)))
st_scale_timeouts(void)
{
	const char *v = getenv("ST_TIMEOUT_SCALE");
	int scale = v ? atoi(v) : 0;
	struct __fixture_metadata *f;
	struct __test_metadata *t;

	if (scale <= 1 || scale > 100)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}

#define ST_DEBUGFS_MNT		"/sys/kernel/debug"
#define ST_CTL_PATH		ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/" ST_CTL_FILE
#define ST_STATS_PATH		ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/" ST_STATS_FILE

/* A reply buffer: the longest reply plus the NUL we add. */
#define ST_REPLY_BUF		(ST_REPLY_MAX + 1)

/* Slots per PMD cluster: HPAGE_PMD_NR with 4K pages, "nr=512" in Documentation/protocol.md. */
#define ST_PMD_NR		((int)ST_CLUSTER_NR)

/* Room for a shown command or reply in a diagnostic. */
#define ST_SHOW_MAX		160

/*
 * The highest id of the live objects named "<prefix>N" in the module's
 * debugfs directory (spaces, files), at least floor: a loop over the ids
 * up to it visits every object without walking the whole id range.
 */
static inline int st_max_id(const char *prefix, int floor)
{
	DIR *d = opendir(ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR);
	size_t len = strlen(prefix);
	struct dirent *de;
	int id, max = floor;

	if (!d)
		return max;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, len) &&
		    sscanf(de->d_name + len, "%d", &id) == 1 && id > max)
			max = id;
	closedir(d);
	return max;
}

/* The errnos the module names (swaptrack.h), no other; NULL for others. */
static inline const char *st_errname(int err)
{
	return st_errno_name(err);
}

static inline const char *st_errstr(int err)
{
	const char *name = err ? st_errname(err) : "ok";

	return name ? name : "(unnamed errno)";
}

/* Printable copy of @len bytes of @buf for a diagnostic: C escapes, truncated. */
static inline const char *st_show(const void *buf, size_t len, char *out, size_t size)
{
	const unsigned char *p = buf;
	size_t i, o = 0;

	for (i = 0; i < len && o + 8 < size; i++) {
		if (p[i] == '\n')
			o += snprintf(out + o, size - o, "\\n");
		else if (p[i] < 0x20 || p[i] >= 0x7f || p[i] == '\\')
			o += snprintf(out + o, size - o, "\\x%02x", p[i]);
		else
			out[o++] = p[i];
	}
	if (i < len)
		snprintf(out + o, size - o, "...(%zu bytes)", len);
	else
		out[o] = '\0';
	return out;
}

/* Open the ctl file; returns the descriptor or -errno. */
static inline int st_open_ctl(void)
{
	int fd = open(ST_CTL_PATH, O_RDWR | O_CLOEXEC);

	return fd < 0 ? -errno : fd;
}

/*
 * Read the one-line reply pending on @fd into @reply (ST_REPLY_BUF bytes),
 * without its newline.  Fails the test unless it is exactly one line.
 */
static inline void st_read_reply(struct __test_metadata *_metadata, int fd,
				 char *reply, const char *cmd)
{
	ssize_t n = read(fd, reply, ST_REPLY_MAX);
	char *nl;

	ASSERT_LE(0, n) {
		TH_LOG("'%s': read of the reply failed: %s", cmd, strerror(errno));
	}
	reply[n] = '\0';
	ASSERT_LT(0, n) {
		TH_LOG("'%s': no reply to read (EOF)", cmd);
	}
	nl = strchr(reply, '\n');
	ASSERT_TRUE(nl == reply + n - 1) {
		TH_LOG("'%s': reply '%s' is not exactly one newline-terminated line",
		       cmd, reply);
	}
	*nl = '\0';
	for (nl = reply; *nl; nl++) {
		ASSERT_TRUE(*nl >= 0x20 && *nl < 0x7f) {
			TH_LOG("'%s': reply has a non-printable byte 0x%02x: '%s'",
			       cmd, (unsigned char)*nl, reply);
		}
	}
}

/*
 * Check @reply against the write's outcome @err: "ok" or "ok ..." after a
 * successful write, "error <NAME> <reason>" with NAME naming @err and a
 * non-empty reason after a failed one.
 */
static inline void st_check_reply(struct __test_metadata *_metadata, int err,
				  const char *reply, const char *cmd)
{
	const char *name, *reason;
	size_t nlen;

	if (!err) {
		ASSERT_TRUE(!strncmp(reply, "ok", 2) && (reply[2] == '\0' || reply[2] == ' ')) {
			TH_LOG("'%s': write succeeded but the reply is '%s'", cmd, reply);
		}
		return;
	}
	name = st_errname(err);
	ASSERT_NE(NULL, name) {
		TH_LOG("'%s': write failed with errno %d (%s), not a documented errno: '%s'",
		       cmd, err, strerror(err), reply);
	}
	nlen = strlen(name);
	ASSERT_TRUE(!strncmp(reply, "error ", 6) && !strncmp(reply + 6, name, nlen) &&
		    reply[6 + nlen] == ' ') {
		TH_LOG("'%s': write failed with %s but the reply is '%s'", cmd, name, reply);
	}
	reason = reply + 6 + nlen + 1;
	ASSERT_TRUE(*reason && *reason != ' ') {
		TH_LOG("'%s': reply '%s' has no reason after the errno name", cmd, reply);
	}
}

/*
 * Send @len raw bytes as one write and read the reply into @reply.  Returns
 * 0 if the write succeeded, else its errno; the reply must match either way.
 */
static inline int st_raw(struct __test_metadata *_metadata, int fd, const void *buf,
			 size_t len, char *reply)
{
	char cmd[ST_SHOW_MAX];
	ssize_t ret;
	int err = 0;

	st_show(buf, len, cmd, sizeof(cmd));
	ret = write(fd, buf, len);
	if (ret < 0) {
		err = errno;
	} else {
		ASSERT_EQ((ssize_t)len, ret) {
			TH_LOG("'%s': short write of a command line", cmd);
		}
	}
	st_read_reply(_metadata, fd, reply, cmd);
	st_check_reply(_metadata, err, reply, cmd);
	return err;
}

static inline int __printf(4, 0)
st_vcmd(struct __test_metadata *_metadata, int fd, char *reply, const char *fmt, va_list ap)
{
	char line[ST_LINE_MAX + 64];
	int len;

	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	ASSERT_TRUE(len >= 0 && (size_t)len < sizeof(line) - 1) {
		TH_LOG("command '%s' does not fit the test's buffer", fmt);
	}
	line[len++] = '\n';
	return st_raw(_metadata, fd, line, len, reply);
}

/*
 * Format one command, send it with its newline in one write, read the reply.
 * Returns 0 or the positive errno of the failed write.
 */
static inline int __printf(4, 5)
st_cmd(struct __test_metadata *_metadata, int fd, char *reply, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = st_vcmd(_metadata, fd, reply, fmt, ap);
	va_end(ap);
	return err;
}

/* As st_cmd(), and the outcome must be @want (0 for ok, else an errno). */
static inline void __printf(5, 6)
st_expect(struct __test_metadata *_metadata, int fd, char *reply, int want,
	  const char *fmt, ...)
{
	char cmd[ST_LINE_MAX + 64];
	va_list ap;
	int err;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	err = st_cmd(_metadata, fd, reply, "%s", cmd);
	ASSERT_EQ(want, err) {
		TH_LOG("'%s' -> '%s', expected %s", cmd, reply, st_errstr(want));
	}
}

#define ST_OK(fd, reply, fmt, ...) \
	st_expect(_metadata, fd, reply, 0, fmt, ##__VA_ARGS__)
#define ST_ERR(want, fd, reply, fmt, ...) \
	st_expect(_metadata, fd, reply, want, fmt, ##__VA_ARGS__)

/* Copy the value of " key=" in @reply into @val; false if absent. */
static inline bool st_field_str(const char *reply, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key), n;
	const char *p = reply;

	while ((p = strchr(p, ' '))) {
		p++;
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			p += klen + 1;
			n = strcspn(p, " ");
			if (n >= size)
				return false;
			memcpy(val, p, n);
			val[n] = '\0';
			return true;
		}
	}
	return false;
}

/* Parse a decimal or 0x-prefixed hex number that is the whole of @s. */
static inline bool st_parse_u64(const char *s, unsigned long long *v)
{
	int base = 10;
	char *end;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	if (!isxdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, base);
	return !errno && !*end;
}

static inline bool st_field_u64(const char *reply, const char *key, unsigned long long *v)
{
	char val[32];

	return st_field_str(reply, key, val, sizeof(val)) && st_parse_u64(val, v);
}

/* The numeric field @key of @reply, or ~0 (SE_ABSENT) if it is missing. */
static inline unsigned long long st_field(const char *reply, const char *key)
{
	unsigned long long v;

	return st_field_u64(reply, key, &v) ? v : ~0ULL;
}

/* The numeric field @key of @reply; fails the test if it is missing. */
static inline unsigned long long st_get(struct __test_metadata *_metadata,
					const char *reply, const char *key)
{
	unsigned long long v = 0;

	ASSERT_TRUE(st_field_u64(reply, key, &v)) {
		TH_LOG("reply '%s' has no numeric field '%s='", reply, key);
	}
	return v;
}

#define ST_GET(reply, key)	st_get(_metadata, reply, key)

/* "slot query" decoded. */
struct st_slot {
	unsigned long long map, count, cache, bad, continued, gen, conts;
	char cluster[16];
	char reply[ST_REPLY_BUF];
};

static inline void st_query(struct __test_metadata *_metadata, int fd,
			    unsigned long long slot, struct st_slot *q)
{
	char *r = q->reply;

	ST_OK(fd, r, "slot query %llu", slot);
	ASSERT_EQ(slot, ST_GET(r, "slot")) {
		TH_LOG("query of slot %llu answered '%s'", slot, r);
	}
	q->map = ST_GET(r, "map");
	q->count = ST_GET(r, "count");
	q->cache = ST_GET(r, "cache");
	q->bad = ST_GET(r, "bad");
	q->continued = ST_GET(r, "continued");
	q->gen = ST_GET(r, "gen");
	q->conts = ST_GET(r, "conts");
	ASSERT_TRUE(st_field_str(r, "cluster", q->cluster, sizeof(q->cluster))) {
		TH_LOG("reply '%s' has no cluster= field", r);
	}
}

/* Give back whatever @slot still holds: map counts, then the cache bit. */
static inline void st_scrub_slot(struct __test_metadata *_metadata, int fd,
				 unsigned long long slot)
{
	struct st_slot q;

	st_query(_metadata, fd, slot, &q);
	if (q.bad)
		return;
	if (q.count)
		st_cmd(_metadata, fd, q.reply, "slot free %llu %llu", slot, q.count);
	if (q.cache)
		st_cmd(_metadata, fd, q.reply, "slot uncache %llu", slot);
}

/* The stats file, one "name value" per line. */
struct st_stats {
	unsigned long long nr_slots, swap_on, slots_used, slots_bad, clusters_huge;
	unsigned long long cont_alloc, cont_freed, cont_unused, cont_live;
	unsigned long long pages_live;
	char text[2048];
};

#define ST_STAT(f)	{ #f, offsetof(struct st_stats, f) }

static const struct {
	const char *name;
	size_t off;
} st_stat_names[] = {
	ST_STAT(nr_slots),
	ST_STAT(swap_on),
	ST_STAT(slots_used),
	ST_STAT(slots_bad),
	ST_STAT(clusters_huge),
	ST_STAT(cont_alloc),
	ST_STAT(cont_freed),
	ST_STAT(cont_unused),
	ST_STAT(cont_live),
	ST_STAT(pages_live),
};

/* Value of the "name value" line @name in stats text @text. */
static inline bool st_stat_find(const char *text, const char *name, unsigned long long *v)
{
	size_t nlen = strlen(name);
	const char *p = text;
	char val[32];
	size_t n;

	while (*p) {
		if (!strncmp(p, name, nlen) && p[nlen] == ' ') {
			p += nlen + 1;
			n = strcspn(p, "\n");
			if (n >= sizeof(val))
				return false;
			memcpy(val, p, n);
			val[n] = '\0';
			return st_parse_u64(val, v);
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	return false;
}

static inline void st_stats_read(struct __test_metadata *_metadata, struct st_stats *s)
{
	ssize_t n, len = 0;
	size_t i;
	int fd;

	fd = open(ST_STATS_PATH, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd) {
		TH_LOG("open %s: %s", ST_STATS_PATH, strerror(errno));
	}
	while ((n = read(fd, s->text + len, sizeof(s->text) - 1 - len)) > 0)
		len += n;
	ASSERT_LE(0, n) {
		TH_LOG("read %s: %s", ST_STATS_PATH, strerror(errno));
	}
	close(fd);
	s->text[len] = '\0';
	for (i = 0; i < ARRAY_SIZE(st_stat_names); i++) {
		unsigned long long *v = (void *)((char *)s + st_stat_names[i].off);

		ASSERT_TRUE(st_stat_find(s->text, st_stat_names[i].name, v)) {
			TH_LOG("%s has no line '%s <number>':\n%s", ST_STATS_PATH,
			       st_stat_names[i].name, s->text);
		}
	}
	ASSERT_EQ(s->cont_live, s->cont_alloc - s->cont_freed) {
		TH_LOG("stats disagree with themselves: cont_live != cont_alloc - cont_freed:\n%s",
		       s->text);
	}
}

#endif /* _ST_CTL_H */
