// SPDX-License-Identifier: GPL-2.0
/*
 * The swaptrack control surface: the ctl line protocol (one command per
 * write, one reply line per command, read once), argument checking with the
 * errnos Documentation/protocol.md documents, limits from swaptrack.h, and who may open ctl.
 *
 * Every reply is checked by st_raw(): one printable line, "ok..." after a
 * successful write, "error <NAME> <reason>" naming the write's errno after a
 * failed one.  The tests here add the exact errno each input must get.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "st_ctl.h"

/* Shared with the teardown, which runs in the parent (see st_ctl.h). */
FIXTURE(ctl)
{
	int fd;
	struct st_stats base;
	char r[ST_REPLY_BUF];
	unsigned long long held;	/* a slot the test allocated, or 0 */
};

FIXTURE_SETUP(ctl)
{
	self->fd = st_open_ctl();
	if (self->fd == -ENOENT)
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	ASSERT_LE(0, self->fd) {
		TH_LOG("open %s: %s", ST_CTL_PATH, strerror(-self->fd));
	}
	self->held = 0;
	st_stats_read(_metadata, &self->base);
	ASSERT_EQ(1ULL, self->base.swap_on) {
		TH_LOG("swap is off: an earlier test did not swapon");
	}
}

FIXTURE_TEARDOWN_PARENT(ctl)
{
	struct st_stats now;
	int fd;

	/* This may be another process than the test's: a descriptor of its own. */
	fd = st_open_ctl();
	ASSERT_LE(0, fd);
	if (self->held)
		st_scrub_slot(_metadata, fd, self->held);
	st_stats_read(_metadata, &now);
	EXPECT_EQ(self->base.slots_used, now.slots_used) {
		TH_LOG("the test left %lld slots in use",
		       (long long)(now.slots_used - self->base.slots_used));
	}
	close(fd);
}

/* Bytes that must be refused with @err, with a label for the log. */
struct ctl_bad {
	const char *what;
	const char *buf;
	size_t len;	/* 0: strlen(buf) */
	int err;
};

static void ctl_expect_bad(struct __test_metadata *_metadata, int fd, char *reply,
			   const struct ctl_bad *b, size_t n)
{
	char shown[ST_SHOW_MAX];
	size_t i, len;
	int err;

	for (i = 0; i < n; i++) {
		len = b[i].len ? b[i].len : strlen(b[i].buf);
		err = st_raw(_metadata, fd, b[i].buf, len, reply);
		ASSERT_EQ(b[i].err, err) {
			TH_LOG("%s: '%s' -> '%s', expected %s", b[i].what,
			       st_show(b[i].buf, len, shown, sizeof(shown)), reply,
			       st_errstr(b[i].err));
		}
	}
}

/* A slot for tests that need one held, recorded for the teardown. */
static unsigned long long ctl_alloc(struct __test_metadata *_metadata, int fd, char *reply,
				    unsigned long long *held)
{
	ST_OK(fd, reply, "slot alloc");
	*held = ST_GET(reply, "slot");
	return *held;
}

/* A slot nobody holds, counted down from the top of the device. */
static unsigned long long ctl_free_slot(struct __test_metadata *_metadata, int fd,
					unsigned long long nr_slots)
{
	unsigned long long s;
	struct st_slot q;

	for (s = nr_slots - 1; s > nr_slots - 64; s--) {
		st_query(_metadata, fd, s, &q);
		if (!q.count && !q.cache && !q.bad)
			return s;
	}
	ASSERT_TRUE(false) {
		TH_LOG("no free slot among the top 64");
	}
	return 0;
}

TEST_F(ctl, read_before_command_is_eof)
{
	char buf[ST_REPLY_BUF];

	ASSERT_EQ(0, read(self->fd, buf, sizeof(buf))) {
		TH_LOG("read before any command must be EOF");
	}
}

TEST_F(ctl, reply_is_read_once)
{
	char buf[ST_REPLY_BUF];

	ST_OK(self->fd, self->r, "slot query 0");
	ASSERT_EQ(0, read(self->fd, buf, sizeof(buf))) {
		TH_LOG("second read of the reply to 'slot query 0' is not EOF");
	}
	/* And the descriptor takes the next command. */
	ST_OK(self->fd, self->r, "slot query 0");
	ASSERT_EQ(0, read(self->fd, buf, sizeof(buf)));
}

TEST_F(ctl, reply_read_bytewise)
{
	static const char cmd[] = "slot query 0\n";
	char line[ST_REPLY_BUF], c;
	size_t n = 0;
	ssize_t ret;

	ST_OK(self->fd, self->r, "slot query 0");
	ASSERT_EQ((ssize_t)strlen(cmd), write(self->fd, cmd, strlen(cmd)));
	do {
		ret = read(self->fd, &c, 1);
		ASSERT_EQ(1, ret) {
			TH_LOG("byte %zu of the reply: read returned %zd (%s)", n, ret,
			       ret < 0 ? strerror(errno) : "EOF");
		}
		line[n++] = c;
	} while (c != '\n' && n < ST_REPLY_MAX);
	line[n - 1] = '\0';
	ASSERT_STREQ(self->r, line);
	ASSERT_EQ(0, read(self->fd, &c, 1));
}

/* An unread reply is replaced by the next command's. */
TEST_F(ctl, latest_reply_wins)
{
	static const char q[] = "slot query 0\n", bad[] = "frobnicate\n";
	char buf[ST_REPLY_BUF];

	ASSERT_EQ((ssize_t)strlen(q), write(self->fd, q, strlen(q)));
	ASSERT_EQ(-1, write(self->fd, bad, strlen(bad)));
	ASSERT_EQ(EINVAL, errno);
	st_read_reply(_metadata, self->fd, buf, "slot query 0; frobnicate");
	ASSERT_EQ(0, strncmp(buf, "error EINVAL ", 13)) {
		TH_LOG("reply after 'slot query 0' then 'frobnicate': '%s'", buf);
	}
	ASSERT_EQ(0, read(self->fd, buf, sizeof(buf)));
}

TEST_F(ctl, descriptors_are_independent)
{
	static const char q[] = "slot query 0\n";
	char buf[ST_REPLY_BUF];
	int b;

	b = st_open_ctl();
	ASSERT_LE(0, b);
	ASSERT_EQ((ssize_t)strlen(q), write(self->fd, q, strlen(q)));
	ASSERT_EQ(0, read(b, buf, sizeof(buf))) {
		TH_LOG("a reply to a command on descriptor A was readable on B");
	}
	ASSERT_EQ(EINVAL, st_cmd(_metadata, b, self->r, "frobnicate"));
	st_read_reply(_metadata, self->fd, buf, "slot query 0");
	ASSERT_EQ(0, strncmp(buf, "ok slot=0 ", 10)) {
		TH_LOG("A's reply after a command on B: '%s'", buf);
	}
	ASSERT_EQ(0, read(b, buf, sizeof(buf)));
	close(b);
}

TEST_F(ctl, unknown_command)
{
	static const struct ctl_bad bad[] = {
		{ "unknown word", "frobnicate\n", 0, EINVAL },
		{ "unknown slot op", "slot frobnicate 1\n", 0, EINVAL },
		{ "words run together", "slotquery 0\n", 0, EINVAL },
		{ "prefix of a command", "slot que 0\n", 0, EINVAL },
		{ "command with a suffix", "slot queryx 0\n", 0, EINVAL },
		{ "upper case", "SLOT QUERY 0\n", 0, EINVAL },
		{ "swap op prefix", "swap\n", 0, EINVAL },
	};

	ctl_expect_bad(_metadata, self->fd, self->r, bad, ARRAY_SIZE(bad));
}

TEST_F(ctl, wrong_arity)
{
	static const struct ctl_bad bad[] = {
		{ "no op", "slot\n", 0, EINVAL },
		{ "query without slot", "slot query\n", 0, EINVAL },
		{ "dup without slot", "slot dup\n", 0, EINVAL },
		{ "free without slot", "slot free\n", 0, EINVAL },
		{ "cache without slot", "slot cache\n", 0, EINVAL },
		{ "dup-pmd without slot", "slot dup-pmd\n", 0, EINVAL },
		{ "query, two slots", "slot query 0 1\n", 0, EINVAL },
		{ "dup, three args", "slot dup 0 1 2\n", 0, EINVAL },
		{ "cache, two args", "slot cache 0 1\n", 0, EINVAL },
		{ "split, two args", "slot split 0 1\n", 0, EINVAL },
		{ "alloc with an arg", "slot alloc 1\n", 0, EINVAL },
		{ "alloc-pmd with an arg", "slot alloc-pmd 1\n", 0, EINVAL },
		{ "swapoff with an arg", "swapoff now\n", 0, EINVAL },
		{ "swapon with an arg", "swapon 1\n", 0, EINVAL },
	};

	ctl_expect_bad(_metadata, self->fd, self->r, bad, ARRAY_SIZE(bad));
}

TEST_F(ctl, not_a_number)
{
	unsigned long long s = ctl_alloc(_metadata, self->fd, self->r, &self->held);

	ST_ERR(EINVAL, self->fd, self->r, "slot query abc");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 12abc");
	ST_ERR(EINVAL, self->fd, self->r, "slot query -1");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 1.5");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 0x");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 0xg1");
	ST_ERR(EINVAL, self->fd, self->r, "slot dup %llu x", s);
	ST_ERR(EINVAL, self->fd, self->r, "slot dup %llu -1", s);
	ST_ERR(EINVAL, self->fd, self->r, "slot free %llu 1e3", s);
	/* N is 1..ST_DUP_MAX: zero is a bad argument, not a no-op. */
	ST_ERR(EINVAL, self->fd, self->r, "slot dup %llu 0", s);
	/* A refused command changed nothing. */
	ST_OK(self->fd, self->r, "slot query %llu", s);
	ASSERT_EQ(0ULL, ST_GET(self->r, "count"));
	ST_OK(self->fd, self->r, "slot uncache %llu", s);
}

TEST_F(ctl, number_overflow)
{
	unsigned long long s = ctl_alloc(_metadata, self->fd, self->r, &self->held);

	ST_ERR(ERANGE, self->fd, self->r, "slot dup %llu 99999999999999999999999", s);
	ST_ERR(ERANGE, self->fd, self->r, "slot dup %llu 18446744073709551616", s);
	ST_ERR(ERANGE, self->fd, self->r, "slot query 99999999999999999999999");
	ST_ERR(ERANGE, self->fd, self->r, "slot query 18446744073709551616");
	ST_ERR(ERANGE, self->fd, self->r, "slot query 0x10000000000000000");
	ST_OK(self->fd, self->r, "slot query %llu", s);
	ASSERT_EQ(0ULL, ST_GET(self->r, "count"));
	ST_OK(self->fd, self->r, "slot uncache %llu", s);
}

TEST_F(ctl, dup_n_limit)
{
	unsigned long long s = ctl_alloc(_metadata, self->fd, self->r, &self->held);

	ST_ERR(E2BIG, self->fd, self->r, "slot dup %llu %d", s, ST_DUP_MAX + 1);
	ST_ERR(E2BIG, self->fd, self->r, "slot dup %llu 0x%x", s, ST_DUP_MAX + 1);
	ST_ERR(E2BIG, self->fd, self->r, "slot dup %llu 18446744073709551615", s);
	ST_OK(self->fd, self->r, "slot query %llu", s);
	ASSERT_EQ(0ULL, ST_GET(self->r, "count"));

	/* The limit itself is allowed: three continuation digits deep. */
	ST_OK(self->fd, self->r, "slot dup %llu %d", s, ST_DUP_MAX);
	ASSERT_EQ((unsigned long long)ST_DUP_MAX, ST_GET(self->r, "count"));
	ST_OK(self->fd, self->r, "slot free %llu %d", s, ST_DUP_MAX);
	ASSERT_EQ(0ULL, ST_GET(self->r, "count"));
	ST_OK(self->fd, self->r, "slot uncache %llu", s);
}

TEST_F(ctl, slot_out_of_range)
{
	unsigned long long n = self->base.nr_slots;

	ST_OK(self->fd, self->r, "slot query %llu", n - 1);
	ST_OK(self->fd, self->r, "slot query 0x%llx", n - 1);
	ST_ERR(EINVAL, self->fd, self->r, "slot query %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot query 0x%llx", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot query %llu", n + 1);
	ST_ERR(EINVAL, self->fd, self->r, "slot dup %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot free %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot cache %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot uncache %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot bad %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot split %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot cont %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot entry %llu", n);
	ST_ERR(EINVAL, self->fd, self->r, "slot dup-pmd %llu", n);
	/* Huge values that fit 64 bits, and ones that alias slot 0/1 in 32. */
	ST_ERR(EINVAL, self->fd, self->r, "slot query 18446744073709551615");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 0xffffffffffffffff");
	ST_ERR(EINVAL, self->fd, self->r, "slot query 4294967296");
	ST_ERR(EINVAL, self->fd, self->r, "slot dup 4294967297");
	ST_ERR(EINVAL, self->fd, self->r, "slot dup-pmd %llu", 1ULL << 32);
}

TEST_F(ctl, free_slot_is_enoent)
{
	unsigned long long s = ctl_free_slot(_metadata, self->fd, self->base.nr_slots);

	ST_ERR(ENOENT, self->fd, self->r, "slot dup %llu", s);
	ST_ERR(ENOENT, self->fd, self->r, "slot dup %llu 5", s);
	ST_ERR(ENOENT, self->fd, self->r, "slot free %llu", s);
	ST_ERR(ENOENT, self->fd, self->r, "slot cache %llu", s);
	/* Free is the more basic fault than "not in swap cache". */
	ST_ERR(ENOENT, self->fd, self->r, "slot uncache %llu", s);
	ST_OK(self->fd, self->r, "slot query %llu", s);
	ASSERT_TRUE(ST_GET(self->r, "count") == 0 && ST_GET(self->r, "cache") == 0) {
		TH_LOG("refused commands changed free slot %llu: '%s'", s, self->r);
	}
}

TEST_F(ctl, line_length_limit)
{
	char line[ST_LINE_MAX + 2];
	size_t pre = strlen("slot query ");
	char *big;

	/* Exactly ST_LINE_MAX bytes with the newline: a zero-padded slot 0. */
	memset(line, '0', sizeof(line));
	memcpy(line, "slot query ", pre);
	line[ST_LINE_MAX - 1] = '\n';
	ASSERT_EQ(0, st_raw(_metadata, self->fd, line, ST_LINE_MAX, self->r));
	ASSERT_EQ(0ULL, ST_GET(self->r, "slot"));

	line[ST_LINE_MAX - 1] = '0';
	line[ST_LINE_MAX] = '\n';
	ASSERT_EQ(E2BIG, st_raw(_metadata, self->fd, line, ST_LINE_MAX + 1, self->r));

	big = malloc(1 << 20);
	ASSERT_NE(NULL, big);
	memset(big, ' ', 1 << 20);
	memcpy(big, "slot query 0", 12);
	big[(1 << 20) - 1] = '\n';
	ASSERT_EQ(E2BIG, st_raw(_metadata, self->fd, big, 4096, self->r));
	ASSERT_EQ(E2BIG, st_raw(_metadata, self->fd, big, 1 << 20, self->r));
	free(big);
}

TEST_F(ctl, word_count_limit)
{
	static const struct ctl_bad bad[] = {
		/* ST_ARGS_MAX (8) words: counted, then refused for arity. */
		{ "8 words", "slot query 0 a b c d e\n", 0, EINVAL },
		{ "9 words", "slot query 0 a b c d e f\n", 0, E2BIG },
		{ "20 words", "slot dup 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1\n", 0, E2BIG },
		{ "9 unknown words", "a b c d e f g h i\n", 0, E2BIG },
	};

	ctl_expect_bad(_metadata, self->fd, self->r, bad, ARRAY_SIZE(bad));
}

TEST_F(ctl, binary_garbage)
{
	static const struct ctl_bad bad[] = {
		{ "lone newline", "\n", 0, EINVAL },
		{ "blank line", "\x20\t\x20\n", 0, EINVAL },
		{ "CR LF", "\r\n", 0, EINVAL },
		{ "NUL and newline", "\0\n", 2, EINVAL },
		{ "NUL bytes", "\0\0\0\0", 4, EINVAL },
		{ "0xff bytes", "\xff\xfe\xfd\n", 0, EINVAL },
		{ "0xff alone", "\xff", 0, EINVAL },
		{ "high byte in a number", "slot query \x80\n", 0, EINVAL },
		{ "control byte inside", "slot\x01query 0\n", 0, EINVAL },
		{ "escape sequence", "\x1b[2J\n", 0, EINVAL },
		{ "NUL after a command", "slot query 0\0\n", 14, EINVAL },
		{ "NUL then another command", "slot query 0\0slot alloc\n", 24, EINVAL },
		{ "NUL inside a word", "slot qu\0ery 0\n", 14, EINVAL },
	};
	struct st_stats st;

	ctl_expect_bad(_metadata, self->fd, self->r, bad, ARRAY_SIZE(bad));
	/* "slot alloc" behind a NUL must not have run. */
	st_stats_read(_metadata, &st);
	ASSERT_EQ(self->base.slots_used, st.slots_used);
}

TEST_F(ctl, zero_length_write)
{
	char buf[ST_REPLY_BUF];

	/* Documentation/protocol.md is silent: a 0-byte write is no command, no reply, no error. */
	ASSERT_EQ(0, write(self->fd, "", 0));
	ASSERT_EQ(0, read(self->fd, buf, sizeof(buf))) {
		TH_LOG("a zero-length write produced a reply");
	}
	ST_OK(self->fd, self->r, "slot query 0");
}

TEST_F(ctl, one_command_per_write)
{
	static const struct ctl_bad bad[] = {
		{ "two queries", "slot query 0\nslot query 0\n", 0, EINVAL },
		{ "two allocs", "slot alloc\nslot alloc\n", 0, EINVAL },
		{ "second unterminated", "slot alloc\nslot alloc", 0, EINVAL },
		{ "empty second line", "slot alloc\n\n", 0, EINVAL },
	};
	struct st_stats st;

	ctl_expect_bad(_metadata, self->fd, self->r, bad, ARRAY_SIZE(bad));
	st_stats_read(_metadata, &st);
	ASSERT_EQ(self->base.slots_used, st.slots_used) {
		TH_LOG("a refused two-command write allocated slots");
	}
}

/* Run @fn in a child; its exit status, or -1 if it did not exit. */
static int ctl_in_child(int (*fn)(void *), void *arg)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* Child exit codes: an errno below 100, or one of these. */
#define CHILD_OPENED	100
#define CHILD_SETUP	101
#define CHILD_WRONG	102

static int ctl_child_nobody(void *arg)
{
	int fd;

	(void)arg;
	if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	    setresuid(65534, 65534, 65534))
		return CHILD_SETUP;
	fd = open(ST_CTL_PATH, O_RDWR);
	if (fd >= 0)
		return CHILD_OPENED;
	return errno < 100 ? errno : CHILD_WRONG;
}

TEST_F(ctl, non_root_refused)
{
	int ret = ctl_in_child(ctl_child_nobody, NULL);

	ASSERT_TRUE(ret == EACCES || ret == EPERM) {
		TH_LOG("uid 65534 opening %s: child returned %d (%s)", ST_CTL_PATH, ret,
		       ret == CHILD_OPENED ? "opened it" :
		       ret == CHILD_SETUP ? "could not drop root" :
		       ret > 0 && ret < 100 ? strerror(ret) : "died");
	}
	ksft_print_msg("uid 65534 is refused with %s\n", ret == EACCES ? "EACCES" : "EPERM");
}

/* Drop CAP_SYS_ADMIN from the bounding, effective, permitted, inheritable sets. */
static int ctl_drop_sys_admin(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	unsigned int bit = 1U << CAP_SYS_ADMIN;

	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -1;
	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~bit;
	data[0].permitted &= ~bit;
	data[0].inheritable &= ~bit;
	if (syscall(SYS_capset, &hdr, data))
		return -1;
	if (syscall(SYS_capget, &hdr, data) || (data[0].effective & bit))
		return -1;
	return 0;
}

static int ctl_child_no_cap(void *arg)
{
	int fd;

	(void)arg;
	if (ctl_drop_sys_admin())
		return CHILD_SETUP;
	/* stats only wants root's uid: it must still open. */
	fd = open(ST_STATS_PATH, O_RDONLY);
	if (fd < 0)
		return CHILD_WRONG;
	close(fd);
	fd = open(ST_CTL_PATH, O_RDWR);
	if (fd >= 0)
		return CHILD_OPENED;
	return errno < 100 ? errno : CHILD_WRONG;
}

TEST_F(ctl, no_cap_sys_admin_refused)
{
	int ret = ctl_in_child(ctl_child_no_cap, NULL);

	ASSERT_EQ(EPERM, ret) {
		TH_LOG("root without CAP_SYS_ADMIN opening %s: child returned %d (%s)",
		       ST_CTL_PATH, ret,
		       ret == CHILD_OPENED ? "opened it" :
		       ret == CHILD_SETUP ? "could not drop CAP_SYS_ADMIN" :
		       ret == CHILD_WRONG ? "stats refused too" :
		       ret > 0 && ret < 100 ? strerror(ret) : "died");
	}
}

static int ctl_child_inherited_fd(void *arg)
{
	static const char q[] = "slot query 0\n";
	int fd = *(int *)arg;
	char buf[ST_REPLY_BUF];

	if (ctl_drop_sys_admin())
		return CHILD_SETUP;
	if (write(fd, q, strlen(q)) != (ssize_t)strlen(q))
		return errno < 100 ? errno : CHILD_WRONG;
	if (read(fd, buf, sizeof(buf)) < 3 || strncmp(buf, "ok ", 3))
		return CHILD_WRONG;
	return 0;
}

/* The check is on the opener (Documentation/protocol.md: "opener lacks CAP_SYS_ADMIN"). */
TEST_F(ctl, opener_capability_is_kept)
{
	int ret = ctl_in_child(ctl_child_inherited_fd, &self->fd);

	ASSERT_EQ(0, ret) {
		TH_LOG("a descriptor opened with CAP_SYS_ADMIN, used after dropping it: %d (%s)",
		       ret, ret == CHILD_SETUP ? "could not drop CAP_SYS_ADMIN" :
		       ret > 0 && ret < 100 ? strerror(ret) : "bad reply");
	}
}

TEST_F(ctl, churn_leaves_stats_unchanged)
{
	static const char *const bad[] = {
		"frobnicate\n", "slot\n", "slot query\n", "slot query x\n",
		"slot dup 0\n", "slot query 99999999999999999999999\n", "\n",
		"slot query 0 a b c d e f g\n", "slot alloc\nslot alloc\n",
	};
	struct st_stats before, after;
	unsigned int i;
	int fd;

	st_stats_read(_metadata, &before);
	for (i = 0; i < 1000; i++) {
		fd = st_open_ctl();
		ASSERT_LE(0, fd) {
			TH_LOG("open number %u: %s", i, strerror(-fd));
		}
		/* Every tenth descriptor goes away with an unread reply. */
		if (i % 10 == 0)
			ASSERT_EQ(-1, write(fd, bad[0], strlen(bad[0])));
		close(fd);
	}
	for (i = 0; i < 1000; i++) {
		const char *b = bad[i % ARRAY_SIZE(bad)];

		ASSERT_NE(0, st_raw(_metadata, self->fd, b, strlen(b), self->r));
	}
	st_stats_read(_metadata, &after);
	ASSERT_STREQ(before.text, after.text);
}

TEST_HARNESS_MAIN
