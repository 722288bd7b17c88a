// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading with live state, and gates whose other side went away.
 *
 * The contract (README, "Unloading"): every open descriptor of a swaptrack
 * file holds a module reference (debugfs takes one on each open), so
 * delete_module() refuses with EWOULDBLOCK while any is open, and a thread
 * parked at a gate always holds one: it is inside a write() on its own
 * descriptor.  Once every descriptor is closed, rmmod completes at once
 * whatever the objects hold (swap entries, continuation pages, stranded
 * swap-cache pages, a migration in flight, poisoned pages, uffd-wp
 * markers, PMD swap entries), frees all of it, and a fresh insmod starts
 * from nothing.  On the debug target kmemleak and page_owner then check
 * that nothing leaked (scripts/vm-init.sh).
 *
 * A parked thread always wakes: killed (SIGKILL) it leaves at once; a gate
 * armed and never reached is disarmed when its descriptor closes; a
 * descriptor closed by another thread while its command is parked at a
 * gate armed elsewhere is released when the command returns.
 *
 * This program reloads the module: it runs last (vm-init.sh runs the
 * programs in order) and leaves the module loaded with its parameters.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "st_race.h"

#define U_MODULE	"swaptrack"
#define U_KO		"/swaptrack.ko"
#define U_PARAMS	"/etc/swaptrack.params"
#define U_GATE		"swapin.after_lookup"
#define U_TAG		0x0d1eULL
#define U_PROC_MODULES	"/proc/modules"
#define U_GATE_TIMEOUT	"/sys/module/" U_MODULE "/parameters/gate_timeout_ms"
#define U_LOG_BUF	(1024 * 1024)

FIXTURE(unload)
{
	struct se se;
	int space;
};

/* Is the module in /proc/modules? */
static bool u_loaded(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen(U_PROC_MODULES, "re");

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = !strncmp(line, U_MODULE " ", strlen(U_MODULE) + 1);
	fclose(f);
	return found;
}

/* delete_module() as busybox rmmod calls it: 0 or the errno. */
static int u_rmmod(void)
{
	return syscall(SYS_delete_module, U_MODULE, O_NONBLOCK) ? errno : 0;
}

/* finit_module() of /swaptrack.ko with the suite's parameters. */
static int u_insmod(void)
{
	char params[256] = "";
	int fd, err = 0;
	ssize_t n;

	fd = open(U_PARAMS, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, params, sizeof(params) - 1);
		params[n > 0 ? n : 0] = '\0';
		params[strcspn(params, "\n")] = '\0';
		close(fd);
	}
	fd = open(U_KO, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	if (syscall(SYS_finit_module, fd, params, 0))
		err = errno;
	close(fd);
	return err;
}

/* The kernel log since boot, into a buffer the caller frees. */
static char *u_klog(void)
{
	char *buf = malloc(U_LOG_BUF + 1);
	int n;

	if (!buf)
		return NULL;
	n = klogctl(3, buf, U_LOG_BUF);	/* SYSLOG_ACTION_READ_ALL */
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* How often @what occurs in the kernel log. */
static int u_klog_count(const char *what)
{
	char *log = u_klog(), *p;
	int n = 0;

	for (p = log; p && (p = strstr(p, what)); p++)
		n++;
	free(log);
	return n;
}

FIXTURE_SETUP(unload)
{
	if (!se_setup(_metadata, &self->se))
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	ASSERT_TRUE(u_loaded());
	/* one swapped-out page: a read of it passes U_GATE */
	self->space = se_space_map(_metadata, &self->se, 1, "anon");
	se_write(_metadata, &self->se, self->space, SE_ADDR(0), U_TAG);
	se_swapout(_metadata, &self->se, "space", self->space, SE_ADDR(0), 1, 1, 0);
}

/*
 * After a test that unloaded: the module is back (a failed test may have
 * left it out), and the teardown checks the new instance.
 */
FIXTURE_TEARDOWN_PARENT(unload)
{
	if (!u_loaded())
		ASSERT_EQ(0, u_insmod());
	se_teardown(_metadata, &self->se);
}

/*
 * The end of a test that kept the module: the space goes, and its page,
 * read back into the swap cache, goes with reclaim; a clean audit.
 */
static void u_finish(struct __test_metadata *_metadata, struct se *se, int space)
{
	se_destroy(_metadata, se, space);
	SE_OK(se, "reclaim");
	se_audit(_metadata);
}

/* Any descriptor open: refused, and the descriptor still works. */
TEST_F(unload, refused_while_descriptor_open)
{
	struct se *se = &self->se;

	ASSERT_EQ(EWOULDBLOCK, u_rmmod());
	ASSERT_TRUE(u_loaded());
	se_read(_metadata, se, self->space, SE_ADDR(0), U_TAG);
	u_finish(_metadata, se, self->space);
}

/* The gates file shows @gate parked, within 10 s. */
static bool u_parked(const char *gate)
{
	char text[2048], *p;
	ssize_t n;
	int fd, i;

	for (i = 0; i < 10000; i++) {
		fd = open(ST_GATES_PATH, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return false;
		n = read(fd, text, sizeof(text) - 1);
		close(fd);
		text[n > 0 ? n : 0] = '\0';
		p = strstr(text, gate);
		if (p && !strncmp(p + strlen(gate), " parked", 7))
			return true;
		usleep(1000);
	}
	return false;
}

static void u_gate_timeout(struct __test_metadata *_metadata, const char *ms)
{
	int fd = open(U_GATE_TIMEOUT, O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(ms), write(fd, ms, strlen(ms)));
	close(fd);
}

/*
 * A thread parked at a gate its own descriptor armed: with every other
 * descriptor closed, that one alone refuses the unload; the gate's timeout
 * lets the thread go on (ETIMEDOUT), and the module stays sound.
 */
TEST_F(unload, refused_while_parked)
{
	struct se *se = &self->se;
	struct se_async t;

	u_gate_timeout(_metadata, "1000");
	se_async_start(_metadata, &t, "gate arm %s\nspace read %d 0x%llx", U_GATE,
		       self->space, SE_ADDR(0));
	ASSERT_TRUE(u_parked(U_GATE));
	close(se->fd);
	se->fd = -1;
	ASSERT_EQ(EWOULDBLOCK, u_rmmod());
	ASSERT_EQ(ETIMEDOUT, se_async_join(&t)) {
		TH_LOG("'%s' -> '%s'", t.cmd, t.reply);
	}
	u_gate_timeout(_metadata, "10000");
	ASSERT_TRUE(u_loaded());
	se->fd = st_open_ctl();
	ASSERT_LE(0, se->fd);
	se_read(_metadata, se, self->space, SE_ADDR(0), U_TAG);
	u_finish(_metadata, se, self->space);
}

/* Build everything an object can hold; returns nothing, fails on error. */
static void u_populate(struct __test_metadata *_metadata, struct se *se, int s)
{
	unsigned long long slot;
	int child, thp, f, i;

	/* swap entries shared with a child, and a continuation page */
	se_write(_metadata, se, s, SE_ADDR(0), U_TAG);
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 1, 1, 0);
	SE_OK(se, "space pte %d 0x%llx", s, SE_ADDR(0));
	slot = ST_GET(se->r, "offset");
	child = se_fork(_metadata, se, s);
	SE_OK(se, "slot dup %llu 200", slot);
	ASSERT_NE(NULL, strstr(se->r, "count=202")) {
		TH_LOG("'slot dup %llu 200' -> '%s'", slot, se->r);
	}
	/* a stranded swap-cache page: read back, then its space goes */
	i = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, i, SE_ADDR(0), U_TAG + 1);
	se_swapout(_metadata, se, "space", i, SE_ADDR(0), 1, 1, 0);
	se_read(_metadata, se, i, SE_ADDR(0), U_TAG + 1);
	se_destroy(_metadata, se, i);
	/* a migration in flight, a poisoned page, uffd-wp markers */
	SE_OK(se, "space map %d 0x%llx 4 anon", s, SE_ADDR(8));
	se_write(_metadata, se, s, SE_ADDR(8), U_TAG + 8);
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_ADDR(8));
	se_write(_metadata, se, s, SE_ADDR(9), U_TAG + 9);
	SE_OK(se, "space poison %d 0x%llx", s, SE_ADDR(9));
	if (se_wp_supported(_metadata, se)) {
		se_write(_metadata, se, s, SE_ADDR(10), U_TAG + 10);
		SE_OK(se, "space uffd-wp %d 0x%llx 2 on", s, SE_ADDR(10));
		se_swapout(_metadata, se, "space", s, SE_ADDR(10), 1, 1, 0);
	}
	/* a PMD swap entry */
	thp = se_space_map(_metadata, se, ST_PMD_NR, "anon");
	SE_OK(se, "space populate %d 0x%llx %d write", thp, SE_BASE, ST_PMD_NR);
	for (i = 0; i < ST_PMD_NR; i += 64)
		se_write(_metadata, se, thp, SE_ADDR(i), U_TAG + i);
	SE_OK(se, "space swapout-pmd %d 0x%llx", thp, SE_BASE);
	/* a file: pages, swapped pages, a shared mapping */
	f = se_file_new(_metadata, se, 8);
	for (i = 0; i < 8; i++)
		se_file_write(_metadata, se, f, i, U_TAG + 0x100 + i);
	SE_OK(se, "file swapout %d 0 4", f);
	SE_OK(se, "space map %d 0x%llx 8 shared %d 0", child, SE_ADDR(16), f);
	se_read(_metadata, se, child, SE_ADDR(20), U_TAG + 0x104);
}

/* Close every descriptor, then unload: must succeed at once. */
static void u_reload(struct __test_metadata *_metadata, struct se *se)
{
	int leaks = u_klog_count(U_MODULE ": leak");
	double start;

	close(se->fd);
	se->fd = -1;
	start = se_now();
	ASSERT_EQ(0, u_rmmod());
	ksft_print_msg("rmmod took %.3f s\n", se_now() - start);
	ASSERT_FALSE(u_loaded());
	ASSERT_EQ(leaks, u_klog_count(U_MODULE ": leak")) {
		TH_LOG("the module's exit reported a leak: see the kernel log");
	}
	ASSERT_EQ(0, u_insmod());
	se->fd = st_open_ctl();
	ASSERT_LE(0, se->fd);
	/* the objects of the old instance are gone with it */
	se->nspaces = 0;
	se->nfiles = 0;
	st_stats_read(_metadata, &se->base);
}

/* Live state of every kind, no descriptor open: unloaded and freed. */
TEST_F(unload, live_state_freed)
{
	struct se *se = &self->se;
	struct st_stats s;
	int id;

	u_populate(_metadata, se, self->space);
	st_stats_read(_metadata, &s);
	ASSERT_LT(0ULL, s.slots_used);
	ASSERT_LT(0ULL, s.cont_live);
	ASSERT_LT(0ULL, s.pages_live);
	u_reload(_metadata, se);

	/* a fresh instance: nothing used, ids from 1, a clean audit */
	st_stats_read(_metadata, &s);
	ASSERT_EQ(0ULL, s.slots_used);
	ASSERT_EQ(0ULL, s.cont_live);
	ASSERT_EQ(0ULL, s.pages_live);
	id = se_space_new(_metadata, se);
	ASSERT_EQ(1, id);
	se_audit(_metadata);
}

/* A gate armed by a descriptor that was then closed: unload still fine. */
TEST_F(unload, armed_gate_left_behind)
{
	struct se *se = &self->se;
	char line[128];
	int fd = st_open_ctl();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, se_tcmd(fd, line, "gate arm %s", U_GATE));
	close(fd);
	ASSERT_EQ(0, se_tcmd(se->fd, line, "gate arm %s", U_GATE));
	u_reload(_metadata, se);
	/* the new instance starts with every gate idle */
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", U_GATE);
}

/*
 * A thread killed while parked leaves at once (the wait is killable), its
 * command undone: the page is still swapped and reads back.
 */
TEST_F(unload, killed_while_parked)
{
	struct se *se = &self->se;
	char r[ST_REPLY_BUF];
	int status, fd, i;
	double start;
	pid_t pid;

	se_gate_arm(_metadata, se, U_GATE);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		fd = st_open_ctl();
		se_tcmd(fd, r, "space read %d 0x%llx", self->space, SE_ADDR(0));
		_exit(0);
	}
	se_gate_wait(_metadata, se, U_GATE);
	start = se_now();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	for (i = 0; i < 2000 && !waitpid(pid, &status, WNOHANG); i++)
		usleep(1000);
	ASSERT_GT(2000, i) {
		TH_LOG("the killed thread is still parked after 2 s");
		waitpid(pid, &status, 0);
	}
	ksft_print_msg("killed thread gone in %.3f s\n", se_now() - start);
	ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", U_GATE);
	se_audit(_metadata);
	se_read(_metadata, se, self->space, SE_ADDR(0), U_TAG);
	u_finish(_metadata, se, self->space);
}

/* Armed, never reached: waiting times out, and closing disarms it. */
TEST_F(unload, armed_never_waited)
{
	struct se *se = &self->se;
	char r[ST_REPLY_BUF];
	int fd = st_open_ctl();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, se_tcmd(fd, r, "gate arm %s", U_GATE));
	ASSERT_EQ(ETIMEDOUT, se_tcmd(fd, r, "gate wait %s 50", U_GATE)) {
		TH_LOG("'gate wait %s 50' -> '%s'", U_GATE, r);
	}
	close(fd);
	/* nobody parks: a read through the gate goes straight on */
	se_read(_metadata, se, self->space, SE_ADDR(0), U_TAG);
	se_fail(_metadata, se, EINVAL, "not armed", "gate open %s", U_GATE);
	u_finish(_metadata, se, self->space);
}

struct u_writer {
	int fd;
	char line[128];
	ssize_t ret;
	int err;
};

static void *u_write(void *arg)
{
	struct u_writer *w = arg;

	w->ret = write(w->fd, w->line, strlen(w->line));
	w->err = w->ret < 0 ? errno : 0;
	return NULL;
}

/*
 * The descriptor of a parked command closed by another thread: the command
 * finishes when the gate opens, and the descriptor is released after.
 */
TEST_F(unload, descriptor_closed_while_parked_elsewhere)
{
	struct se *se = &self->se;
	struct u_writer w;
	pthread_t th;

	memset(&w, 0, sizeof(w));
	w.fd = st_open_ctl();
	ASSERT_LE(0, w.fd);
	snprintf(w.line, sizeof(w.line), "space read %d 0x%llx\n", self->space,
		 SE_ADDR(0));
	se_gate_arm(_metadata, se, U_GATE);
	ASSERT_EQ(0, pthread_create(&th, NULL, u_write, &w));
	se_gate_wait(_metadata, se, U_GATE);
	ASSERT_EQ(0, close(w.fd));
	se_gate_open(_metadata, se, U_GATE);
	pthread_join(th, NULL);
	ASSERT_EQ((ssize_t)strlen(w.line), w.ret) {
		TH_LOG("write: %s", strerror(w.err));
	}
	se_audit(_metadata);
	se_read(_metadata, se, self->space, SE_ADDR(0), U_TAG);
	u_finish(_metadata, se, self->space);
}

TEST_HARNESS_MAIN
