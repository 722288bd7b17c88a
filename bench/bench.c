// SPDX-License-Identifier: GPL-2.0
/*
 * swaptrack's benchmark ("make bench"): in one VM run, the real kernel's
 * swap cycle on zram beside the engine's, driven through ctl the way the
 * selftests drive it, and the costs of the engine's other walks.
 *
 * Every figure is measured BENCH_RUNS times and printed as the median with
 * the spread (min..max); the engine figures that have a kernel counterpart
 * are also printed as a ratio, engine over kernel, of the medians.  A
 * benchmark asserts nothing: "make check" keeps no timing.
 *
 * Figures (all per page or per entry unless said otherwise):
 *	kernel.write/pageout/swapin N	a store to each page, MADV_PAGEOUT of
 *					the range, a load of each page
 *	engine.write/swapout/swapin N	"space write", "space swapout",
 *					"space read" of each page
 *	engine.fork/destroy N		"space fork" of a space of N swapped
 *					pages, "space destroy" of the child
 *	engine.fork_tree		children of one space of swapped pages,
 *					as many as the model allows (per child)
 *	engine.audit N			the audit file, per slot of the device
 *					and per mapped page
 *	lens N				"lens" over N swapped pages of this
 *					process, per entry
 *	ctl.round_trip			one command and its reply
 *	race.round			gate arm, a read parked there, gate
 *					open, the read's reply (per round)
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

#define BENCH_RUNS	5
#define BENCH_PAGE	4096UL
#define BENCH_BASE	0x7f0000000000ULL
#define BENCH_CHUNK	4096		/* ST_SPACE_PAGES_MAX: pages per mapping */
#define BENCH_TRIPS	2000		/* ctl round trips per run */
#define BENCH_ROUNDS	50		/* race rounds per run */
#define BENCH_GATE	"swapin.after_lookup"
#define BENCH_CTL	"/sys/kernel/debug/" ST_DEBUGFS_DIR "/" ST_CTL_FILE
#define BENCH_AUDIT	"/sys/kernel/debug/" ST_DEBUGFS_DIR "/audit"

static const unsigned int bench_sizes[] = { 1024, 4096, 16384 };

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
	double v[BENCH_RUNS];
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

static void print_figure(struct figure *f, const char *unit, double kernel)
{
	double m = median(f);

	printf("%-22s %6u %10.3f %s  (%.3f..%.3f)", f->name, f->size, m, unit,
	       f->v[0], f->v[f->n - 1]);
	if (kernel > 0)
		printf("  x%.2f of the kernel", m / kernel);
	printf("\n");
	fflush(stdout);
}

/* The real kernel: store, MADV_PAGEOUT, load of @pages pages on zram. */
static void kernel_cycle(unsigned int pages, struct figure *w,
			 struct figure *o, struct figure *i)
{
	size_t len = (size_t)pages * BENCH_PAGE;
	unsigned char vec[16384];
	unsigned long *p;
	unsigned long sum = 0;
	unsigned int k, resident = 0;
	double t;
	char *m;

	m = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
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

static void engine_cycle(int fd, unsigned int pages, struct figure *w,
			 struct figure *o, struct figure *i)
{
	char r[ST_REPLY_MAX + 1];
	unsigned int k;
	double t;
	int id;

	id = engine_space(fd, r, pages);
	t = now_us();
	for (k = 0; k < pages; k++)
		ok(fd, r, "space write %d 0x%llx 0x%x", id,
		   BENCH_BASE + k * BENCH_PAGE, k + 1);
	w->v[w->n++] = (now_us() - t) / pages;
	t = now_us();
	engine_swapout(fd, r, id, pages);
	o->v[o->n++] = (now_us() - t) / pages;
	t = now_us();
	for (k = 0; k < pages; k++) {
		ok(fd, r, "space read %d 0x%llx", id, BENCH_BASE + k * BENCH_PAGE);
		if (field(r, "tag") != k + 1)
			die("engine page %u came back as '%s'", k, r);
	}
	i->v[i->n++] = (now_us() - t) / pages;
	ok(fd, r, "space destroy %d", id);
	ok(fd, r, "reclaim");
}

/* fork and destroy of a space of @pages swapped pages; the audit too. */
static void engine_fork(int fd, unsigned int pages, struct figure *fk,
			struct figure *ds, struct figure *as, struct figure *am,
			unsigned long long nr_slots)
{
	char r[ST_REPLY_MAX + 1], *buf;
	unsigned int k;
	int id, child, afd;
	ssize_t n;
	double t;

	id = engine_space(fd, r, pages);
	for (k = 0; k < pages; k++)
		ok(fd, r, "space write %d 0x%llx 0x%x", id,
		   BENCH_BASE + k * BENCH_PAGE, k + 1);
	engine_swapout(fd, r, id, pages);
	t = now_us();
	ok(fd, r, "space fork %d", id);
	fk->v[fk->n++] = (now_us() - t) / pages;
	child = field(r, "space");

	/* the audit with 2 * @pages mappings of @pages slots */
	buf = malloc(1 << 20);
	if (!buf)
		die("no memory");
	afd = open(BENCH_AUDIT, O_RDONLY | O_CLOEXEC);
	if (afd < 0)
		die("open %s: %s", BENCH_AUDIT, strerror(errno));
	t = now_us();
	while ((n = read(afd, buf, 1 << 20)) > 0)
		;
	t = now_us() - t;
	close(afd);
	free(buf);
	as->v[as->n++] = t / nr_slots;
	am->v[am->n++] = t / (2.0 * pages);

	t = now_us();
	ok(fd, r, "space destroy %d", child);
	ds->v[ds->n++] = (now_us() - t) / pages;
	ok(fd, r, "space destroy %d", id);
}

/* Children of one space of 64 swapped pages, until the model refuses. */
static void engine_fork_tree(int fd, struct figure *f, unsigned int *max)
{
	int ids[1024], id, n = 0, k;
	char r[ST_REPLY_MAX + 1];
	double t;

	id = engine_space(fd, r, 64);
	for (k = 0; k < 64; k++)
		ok(fd, r, "space write %d 0x%llx 0x%x", id,
		   BENCH_BASE + k * BENCH_PAGE, k + 1);
	engine_swapout(fd, r, id, 64);
	t = now_us();
	while (n < 1024 && !cmd(fd, r, "space fork %d", id))
		ids[n++] = field(r, "space");
	t = now_us() - t;
	f->v[f->n++] = n ? t / n : 0;
	*max = n + 1;
	while (n--)
		ok(fd, r, "space destroy %d", ids[n]);
	ok(fd, r, "space destroy %d", id);
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
	double t;
	int k;

	rc.space = engine_space(fd, r, 1);
	rc.fd = open_ctl();
	ok(fd, r, "space write %d 0x%llx 0x77", rc.space, BENCH_BASE);
	t = now_us();
	for (k = 0; k < BENCH_ROUNDS; k++) {
		ok(fd, r, "space swapout %d 0x%llx 1", rc.space, BENCH_BASE);
		ok(fd, r, "gate arm %s", BENCH_GATE);
		if (pthread_create(&th, NULL, race_read, &rc))
			die("pthread_create");
		ok(fd, r, "gate wait %s", BENCH_GATE);
		ok(fd, r, "gate open %s", BENCH_GATE);
		pthread_join(th, NULL);
		if (rc.err || field(rc.reply, "tag") != 0x77)
			die("raced read: '%s'", rc.reply);
	}
	f->v[f->n++] = (now_us() - t) / BENCH_ROUNDS;
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

int main(void)
{
	struct figure kw, ko, ki, ew, eo, ei, fk, ds, as, am, ln, tree, rt, rr;
	unsigned int s, run, size, max_children = 0;
	unsigned long long nr_slots;
	int fd = open_ctl();

	setvbuf(stdout, NULL, _IOLBF, 0);
	nr_slots = read_nr_slots();
	printf("%-22s %6s %10s     %s\n", "figure", "size", "median", "(min..max)");
	for (s = 0; s < ARRAY_SIZE(bench_sizes); s++) {
		size = bench_sizes[s];
		memset(&kw, 0, sizeof(kw));
		kw.size = size;
		kw.name = "kernel.write";
		ko = kw;
		ko.name = "kernel.pageout";
		ki = kw;
		ki.name = "kernel.swapin";
		ew = kw;
		ew.name = "engine.write";
		eo = kw;
		eo.name = "engine.swapout";
		ei = kw;
		ei.name = "engine.swapin";
		fk = kw;
		fk.name = "engine.fork";
		ds = kw;
		ds.name = "engine.destroy";
		as = kw;
		as.name = "engine.audit/slot";
		am = kw;
		am.name = "engine.audit/mapping";
		ln = kw;
		ln.name = "lens";
		for (run = 0; run < BENCH_RUNS; run++) {
			kernel_cycle(size, &kw, &ko, &ki);
			engine_cycle(fd, size, &ew, &eo, &ei);
			engine_fork(fd, size, &fk, &ds, &as, &am, nr_slots);
			if (size <= ST_LENS_ENTRIES_MAX)
				lens_cycle(fd, size, &ln);
		}
		print_figure(&kw, "us", 0);
		print_figure(&ko, "us", 0);
		print_figure(&ki, "us", 0);
		print_figure(&ew, "us", median(&kw));
		print_figure(&eo, "us", median(&ko));
		print_figure(&ei, "us", median(&ki));
		printf("%-22s %6u %10.3f us  x%.2f of the kernel\n", "cycle", size,
		       median(&ew) + median(&eo) + median(&ei),
		       (median(&ew) + median(&eo) + median(&ei)) /
		       (median(&kw) + median(&ko) + median(&ki)));
		print_figure(&fk, "us", 0);
		print_figure(&ds, "us", 0);
		print_figure(&as, "us", 0);
		print_figure(&am, "us", 0);
		if (ln.n)
			print_figure(&ln, "us", 0);
	}
	memset(&tree, 0, sizeof(tree));
	tree.name = "engine.fork_tree";
	rt = tree;
	rt.name = "ctl.round_trip";
	rr = tree;
	rr.name = "race.round";
	for (run = 0; run < BENCH_RUNS; run++) {
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
