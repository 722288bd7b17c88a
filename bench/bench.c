// SPDX-License-Identifier: GPL-2.0
/*
 * swaptrack's benchmark ("make bench"): in one VM run, the real kernel's
 * swap cycle on zram beside the engine's, driven through ctl the way the
 * selftests drive it, and the costs of the engine's other walks.
 *
 * Every figure is measured BENCH_RUNS times (environment, default 5, at
 * most 15) and printed as a markdown table row: the median, the spread
 * (min..max), and for the engine figures that have a kernel counterpart
 * the ratio, engine over kernel, of the medians.  Sizes above BENCH_MAX
 * (default 16384) or beyond what the model allows (nr_slots, 16 mappings
 * of 4096 pages) are left out.  A benchmark asserts nothing: "make check"
 * keeps no timing.
 *
 * Figures (all per page or per entry unless said otherwise):
 *	kernel.write/pageout/swapin N	a store to each page, MADV_PAGEOUT of
 *					the range, a load of each page (left
 *					out when zram has not room for N)
 *	engine.write/swapout/swapin N	"space write-range", "space swapout",
 *					"space read-range" of each 4096 pages
 *	engine.fork/destroy N		"space fork" of a space of N swapped
 *					pages, "space destroy" of the child
 *	engine.fork_tree		children of one space of swapped pages,
 *					min(10000, what the model allows), per
 *					child
 *	engine.audit/idle		the audit file with nothing mapped,
 *					per slot of the device
 *	engine.audit/mapping N		the audit file with 2N pages mapped
 *					(N swapped, shared by a fork), per
 *					mapped page
 *	lens N				"lens" over N swapped pages of this
 *					process, per entry
 *	ctl.round_trip			one command and its reply
 *	race.round			gate arm, a read parked there, gate
 *					open, the read's reply (per round; the
 *					swap-out that sets it up not counted)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"		/* __printf(), ARRAY_SIZE() */
#include "swaptrack.h"

#define BENCH_RUNS_MAX	15
#define BENCH_TREE_MAX	10000		/* children in the fork tree */
#define BENCH_PAGE	4096UL
#define BENCH_BASE	0x7f0000000000ULL
#define BENCH_CHUNK	4096		/* ST_SPACE_PAGES_MAX: pages per mapping */
#define BENCH_TRIPS	2000		/* ctl round trips per run */
#define BENCH_ROUNDS	50		/* race rounds per run */
#define BENCH_GATE	"swapin.after_lookup"
#define BENCH_CTL	"/sys/kernel/debug/" ST_DEBUGFS_DIR "/" ST_CTL_FILE
#define BENCH_AUDIT	"/sys/kernel/debug/" ST_DEBUGFS_DIR "/audit"

static const unsigned int bench_sizes[] = { 1024, 4096, 16384, 65536 };
static unsigned int bench_runs = 5;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static void __printf(1, 2) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("bench: error: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(1);
}

/* One command on @fd; its reply into @reply.  Returns 0 or the errno. */
static int vcmd(int fd, char *reply, const char *fmt, va_list ap)
{
	char line[ST_LINE_MAX + 2];
	ssize_t n;
	int len, err = 0;

	len = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	line[len++] = '\n';
	if (write(fd, line, len) != len)
		err = errno;
	n = read(fd, reply, ST_REPLY_MAX);
	reply[n > 0 ? n : 0] = '\0';
	return err;
}

static int __printf(3, 4) cmd(int fd, char *reply, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vcmd(fd, reply, fmt, ap);
	va_end(ap);
	return err;
}

/* A command that must succeed. */
static void __printf(3, 4) ok(int fd, char *reply, const char *fmt, ...)
{
	va_list ap;
	int err;

	va_start(ap, fmt);
	err = vcmd(fd, reply, fmt, ap);
	va_end(ap);
	if (err)
		die("'%s' after '%s'", reply, fmt);
}

static unsigned long long field(const char *reply, const char *name)
{
	char key[32];
	const char *p;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(reply, key);
	if (!p)
		die("no %s= in '%s'", name, reply);
	return strtoull(p + strlen(key), NULL, 0);
}

static int open_ctl(void)
{
	int fd = open(BENCH_CTL, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		die("open %s: %s", BENCH_CTL, strerror(errno));
	return fd;
}

/* BENCH_RUNS samples of one figure. */
struct figure {
	const char *name;
	unsigned int size;
	double v[BENCH_RUNS_MAX];
	unsigned int n;
};

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(struct figure *f)
{
	qsort(f->v, f->n, sizeof(f->v[0]), cmp_double);
	return f->n ? f->v[f->n / 2] : 0;
}

/* One markdown row: figure, size, median, spread, ratio to the kernel. */
static void print_figure(struct figure *f, const char *unit, double kernel)
{
	double m = median(f);

	if (!f->n)
		return;
	printf("| %s | %u | %.3f %s | %.3f..%.3f |", f->name, f->size, m, unit,
	       f->v[0], f->v[f->n - 1]);
	if (kernel > 0)
		printf(" %.2f |\n", m / kernel);
	else
		printf(" |\n");
	fflush(stdout);
}

/* SwapFree of /proc/meminfo, in pages. */
static unsigned long long swap_free_pages(void)
{
	FILE *f = fopen("/proc/meminfo", "re");
	unsigned long long kb = 0;
	char line[128];

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "SwapFree: %llu kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb / (BENCH_PAGE / 1024);
}

/* The real kernel: store, MADV_PAGEOUT, load of @pages pages on zram. */
static void kernel_cycle(unsigned int pages, struct figure *w,
			 struct figure *o, struct figure *i)
{
	size_t len = (size_t)pages * BENCH_PAGE;
	unsigned char *vec = malloc(pages);
	unsigned long *p;
	unsigned long sum = 0;
	unsigned int k, resident = 0;
	double t;
	char *m;

	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || !vec)
		die("mmap %zu: %s", len, strerror(errno));
	madvise(m, len, MADV_NOHUGEPAGE);
	t = now_us();
	for (k = 0; k < pages; k++) {
		p = (unsigned long *)(m + k * BENCH_PAGE);
		*p = k + 1;
	}
	w->v[w->n++] = (now_us() - t) / pages;
	t = now_us();
	if (madvise(m, len, MADV_PAGEOUT))
		die("MADV_PAGEOUT: %s", strerror(errno));
	o->v[o->n++] = (now_us() - t) / pages;
	if (!mincore(m, len, vec))
		for (k = 0; k < pages; k++)
			resident += vec[k] & 1;
	if (resident > pages / 10)
		die("MADV_PAGEOUT left %u of %u pages resident: no swap?",
		    resident, pages);
	t = now_us();
	for (k = 0; k < pages; k++) {
		p = (unsigned long *)(m + k * BENCH_PAGE);
		sum += *p;
	}
	i->v[i->n++] = (now_us() - t) / pages;
	if (sum != (unsigned long)pages * (pages + 1) / 2)
		die("the kernel's pages came back wrong");
	munmap(m, len);
	free(vec);
}

/* A new space of @pages anonymous pages, mapped in BENCH_CHUNK pieces. */
static int engine_space(int fd, char *r, unsigned int pages)
{
	unsigned int k, n;
	int id;

	ok(fd, r, "space new");
	id = field(r, "space");
	for (k = 0; k < pages; k += n) {
		n = pages - k < BENCH_CHUNK ? pages - k : BENCH_CHUNK;
		ok(fd, r, "space map %d 0x%llx %u anon", id,
		   BENCH_BASE + k * BENCH_PAGE, n);
	}
	return id;
}

/* "space swapout" of every page, in BENCH_CHUNK pieces. */
static void engine_swapout(int fd, char *r, int id, unsigned int pages)
{
	unsigned int k, n;

	for (k = 0; k < pages; k += n) {
		n = pages - k < BENCH_CHUNK ? pages - k : BENCH_CHUNK;
		ok(fd, r, "space swapout %d 0x%llx %u", id,
		   BENCH_BASE + k * BENCH_PAGE, n);
		if (field(r, "swapped") != n)
			die("swapout of %u pages: '%s'", n, r);
	}
}

/* "space write-range" of every page (page k gets k + 1), by BENCH_CHUNK. */
static void engine_write(int fd, char *r, int id, unsigned int pages)
{
	unsigned int k, n;

	for (k = 0; k < pages; k += n) {
		n = pages - k < BENCH_CHUNK ? pages - k : BENCH_CHUNK;
		ok(fd, r, "space write-range %d 0x%llx %u 0x%x", id,
		   BENCH_BASE + k * BENCH_PAGE, n, k + 1);
	}
}

static void engine_cycle(int fd, unsigned int pages, struct figure *w,
			 struct figure *o, struct figure *i)
{
	char r[ST_REPLY_MAX + 1];
	unsigned int k, n;
	double t;
	int id;

	id = engine_space(fd, r, pages);
	t = now_us();
	engine_write(fd, r, id, pages);
	w->v[w->n++] = (now_us() - t) / pages;
	t = now_us();
	engine_swapout(fd, r, id, pages);
	o->v[o->n++] = (now_us() - t) / pages;
	t = now_us();
	for (k = 0; k < pages; k += n) {
		n = pages - k < BENCH_CHUNK ? pages - k : BENCH_CHUNK;
		ok(fd, r, "space read-range %d 0x%llx %u", id,
		   BENCH_BASE + k * BENCH_PAGE, n);
		if (field(r, "matched") != n)
			die("engine pages %u.. came back as '%s'", k, r);
	}
	i->v[i->n++] = (now_us() - t) / pages;
	ok(fd, r, "space destroy %d", id);
	ok(fd, r, "reclaim");
}

/* The audit file opened and read whole: its time in us. */
static double audit_time(void)
{
	char *buf = malloc(1 << 20);
	ssize_t n;
	double t;
	int afd;

	if (!buf)
		die("no memory");
	t = now_us();		/* the audit runs at open, the read copies */
	afd = open(BENCH_AUDIT, O_RDONLY | O_CLOEXEC);
	if (afd < 0)
		die("open %s: %s", BENCH_AUDIT, strerror(errno));
	while ((n = read(afd, buf, 1 << 20)) > 0)
		;
	t = now_us() - t;
	close(afd);
	free(buf);
	return t;
}

/* fork and destroy of a space of @pages swapped pages; the audit too. */
/* fork and destroy of a space of @pages swapped pages; the audit too. */
static void engine_fork(int fd, unsigned int pages, struct figure *fk,
			struct figure *ds, struct figure *am)
{
	char r[ST_REPLY_MAX + 1];
	int id, child;
	double t;

	id = engine_space(fd, r, pages);
	engine_write(fd, r, id, pages);
	engine_swapout(fd, r, id, pages);
	t = now_us();
	ok(fd, r, "space fork %d", id);
	fk->v[fk->n++] = (now_us() - t) / pages;
	child = field(r, "space");

	/* the audit with 2 * @pages mapped pages of @pages slots */
	am->v[am->n++] = audit_time() / (2.0 * pages);

	t = now_us();
	ok(fd, r, "space destroy %d", child);
	ds->v[ds->n++] = (now_us() - t) / pages;
	ok(fd, r, "space destroy %d", id);
}

/*
 * Children of one space of 64 swapped pages: min(BENCH_TREE_MAX, as many
 * as the model allows), so that it runs before and after the space limit
 * is raised.
 */
static void engine_fork_tree(int fd, struct figure *f, unsigned int *max)
{
	int *ids = calloc(BENCH_TREE_MAX, sizeof(*ids)), id, n = 0;
	char r[ST_REPLY_MAX + 1];
	double t;

	if (!ids)
		die("no memory");
	id = engine_space(fd, r, 64);
	engine_write(fd, r, id, 64);
	engine_swapout(fd, r, id, 64);
	t = now_us();
	while (n < BENCH_TREE_MAX && !cmd(fd, r, "space fork %d", id))
		ids[n++] = field(r, "space");
	t = now_us() - t;
	f->v[f->n++] = n ? t / n : 0;
	*max = n;
	while (n--)
		ok(fd, r, "space destroy %d", ids[n]);
	ok(fd, r, "space destroy %d", id);
	free(ids);
}

/* The lens over @pages pages of this process, swapped out on zram. */
static void lens_cycle(int fd, unsigned int pages, struct figure *f)
{
	size_t len = (size_t)pages * BENCH_PAGE;
	char r[ST_REPLY_MAX + 1];
	unsigned int k;
	double t;
	char *m;

	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	for (k = 0; k < pages; k++)
		m[k * BENCH_PAGE] = 1;
	madvise(m, len, MADV_PAGEOUT);
	t = now_us();
	ok(fd, r, "lens %d 0x%lx 0x%lx", getpid(), (unsigned long)m,
	   (unsigned long)m + len);
	t = now_us() - t;
	if (field(r, "entries") != pages)
		die("lens over %u pages: '%s'", pages, r);
	f->v[f->n++] = t / pages;
	munmap(m, len);
}

struct racer {
	int fd, space;
	char reply[ST_REPLY_MAX + 1];
	int err;
};

static void *race_read(void *arg)
{
	struct racer *rc = arg;

	rc->err = cmd(rc->fd, rc->reply, "space read %d 0x%llx", rc->space,
		      BENCH_BASE);
	return NULL;
}

/* Staged race rounds: arm, park a read, open, its reply. */
static void race(int fd, struct figure *f)
{
	char r[ST_REPLY_MAX + 1];
	struct racer rc;
	pthread_t th;
	double t, sum;
	int k;

	rc.space = engine_space(fd, r, 1);
	rc.fd = open_ctl();
	ok(fd, r, "space write %d 0x%llx 0x77", rc.space, BENCH_BASE);
	sum = 0;
	for (k = 0; k < BENCH_ROUNDS; k++) {
		/* the swap-out sets the round up; the round is the gate's */
		ok(fd, r, "space swapout %d 0x%llx 1", rc.space, BENCH_BASE);
		t = now_us();
		ok(fd, r, "gate arm %s", BENCH_GATE);
		if (pthread_create(&th, NULL, race_read, &rc))
			die("pthread_create");
		ok(fd, r, "gate wait %s", BENCH_GATE);
		ok(fd, r, "gate open %s", BENCH_GATE);
		pthread_join(th, NULL);
		sum += now_us() - t;
		if (rc.err || field(rc.reply, "tag") != 0x77)
			die("raced read: '%s'", rc.reply);
	}
	f->v[f->n++] = sum / BENCH_ROUNDS;
	close(rc.fd);
	ok(fd, r, "space destroy %d", rc.space);
	ok(fd, r, "reclaim");
}

static void round_trips(int fd, struct figure *f)
{
	char r[ST_REPLY_MAX + 1];
	double t = now_us();
	int k;

	for (k = 0; k < BENCH_TRIPS; k++)
		ok(fd, r, "slot entry 1");
	f->v[f->n++] = (now_us() - t) / BENCH_TRIPS;
}

static unsigned long long read_nr_slots(void)
{
	FILE *f = fopen("/sys/module/swaptrack/parameters/nr_slots", "re");
	unsigned long long n = 0;

	if (!f || fscanf(f, "%llu", &n) != 1 || !n)
		die("cannot read the nr_slots parameter");
	fclose(f);
	return n;
}

/* A positive number from the environment, or @def. */
static unsigned int env_uint(const char *name, unsigned int def)
{
	const char *v = getenv(name);

	return v && atoi(v) > 0 ? (unsigned int)atoi(v) : def;
}

static void figure_init(struct figure *f, const char *name, unsigned int size)
{
	memset(f, 0, sizeof(*f));
	f->name = name;
	f->size = size;
}

/* The sizes the model and BENCH_MAX allow: room for N slots, N pages. */
static bool size_allowed(unsigned int size, unsigned int max,
			 unsigned long long nr_slots)
{
	return size <= max && size < nr_slots - ST_CLUSTER_NR &&
	       size <= ST_VMAS_MAX * BENCH_CHUNK;
}

static void bench_size(int fd, unsigned int size)
{
	struct figure kw, ko, ki, ew, eo, ei, fk, ds, am, ln;
	double kernel, engine;
	bool has_kernel;
	unsigned int run;

	figure_init(&kw, "kernel.write", size);
	figure_init(&ko, "kernel.pageout", size);
	figure_init(&ki, "kernel.swapin", size);
	figure_init(&ew, "engine.write", size);
	figure_init(&eo, "engine.swapout", size);
	figure_init(&ei, "engine.swapin", size);
	figure_init(&fk, "engine.fork", size);
	figure_init(&ds, "engine.destroy", size);
	figure_init(&am, "engine.audit/mapping", size);
	figure_init(&ln, "lens", size);
	/* zram holds a little less than its size, and the tests' pages */
	has_kernel = swap_free_pages() > size + size / 8;
	for (run = 0; run < bench_runs; run++) {
		if (has_kernel)
			kernel_cycle(size, &kw, &ko, &ki);
		engine_cycle(fd, size, &ew, &eo, &ei);
		engine_fork(fd, size, &fk, &ds, &am);
		if (size <= ST_LENS_ENTRIES_MAX && has_kernel)
			lens_cycle(fd, size, &ln);
	}
	print_figure(&kw, "us", 0);
	print_figure(&ko, "us", 0);
	print_figure(&ki, "us", 0);
	print_figure(&ew, "us", kw.n ? median(&kw) : 0);
	print_figure(&eo, "us", ko.n ? median(&ko) : 0);
	print_figure(&ei, "us", ki.n ? median(&ki) : 0);
	engine = median(&ew) + median(&eo) + median(&ei);
	kernel = kw.n ? median(&kw) + median(&ko) + median(&ki) : 0;
	if (kernel > 0)
		printf("| cycle | %u | %.3f us | kernel %.3f us | %.2f |\n", size,
		       engine, kernel, engine / kernel);
	else
		printf("| cycle | %u | %.3f us | no room on zram for the kernel's | |\n",
		       size, engine);
	print_figure(&fk, "us", 0);
	print_figure(&ds, "us", 0);
	print_figure(&am, "us", 0);
	print_figure(&ln, "us", 0);
}

int main(void)
{
	struct figure tree, rt, rr, ai;
	unsigned int s, run, max, max_children = 0;
	unsigned long long nr_slots;
	int fd = open_ctl();

	setvbuf(stdout, NULL, _IOLBF, 0);
	nr_slots = read_nr_slots();
	bench_runs = env_uint("BENCH_RUNS", bench_runs);
	if (bench_runs > BENCH_RUNS_MAX)
		bench_runs = BENCH_RUNS_MAX;
	max = env_uint("BENCH_MAX", 16384);
	printf("bench: %u runs, sizes up to %u, nr_slots %llu\n", bench_runs, max,
	       nr_slots);
	printf("| figure | size | median | min..max | engine / kernel |\n");
	printf("|---|---|---|---|---|\n");

	figure_init(&ai, "engine.audit/idle-slot", nr_slots);
	for (run = 0; run < bench_runs; run++)
		ai.v[ai.n++] = audit_time() / nr_slots;
	print_figure(&ai, "us", 0);
	for (s = 0; s < ARRAY_SIZE(bench_sizes); s++)
		if (size_allowed(bench_sizes[s], max, nr_slots))
			bench_size(fd, bench_sizes[s]);

	figure_init(&tree, "engine.fork_tree", 0);
	figure_init(&rt, "ctl.round_trip", 1);
	figure_init(&rr, "race.round", 1);
	for (run = 0; run < bench_runs; run++) {
		engine_fork_tree(fd, &tree, &max_children);
		round_trips(fd, &rt);
		race(fd, &rr);
	}
	tree.size = max_children;
	print_figure(&tree, "us", 0);
	print_figure(&rt, "us", 0);
	print_figure(&rr, "us", 0);
	printf("bench: done\n");
	close(fd);
	return 0;
}
