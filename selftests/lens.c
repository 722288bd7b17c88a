// SPDX-License-Identifier: GPL-2.0
/*
 * The lens on real page tables, cross-checked against /proc/self/pagemap
 * entry by entry: anonymous pages swapped out to the VM's zram with
 * MADV_PAGEOUT and faulted back, uffd-wp bits on present and swapped ptes
 * and a uffd-wp marker on shmem, a hwpoison entry (MADV_HWPOISON), a THP
 * as one PMD leaf; then paging of a long answer, and bad requests.
 *
 * pagemap (Documentation/admin-guide/mm/pagemap.rst) says, per page: bit
 * 63 present, 62 swapped (any non-present entry: swap, marker, hwpoison,
 * migration), 57 uffd-wp, 56 exclusively mapped, 55 soft-dirty; bits 0-54
 * the pfn of a present page, or swap type (bits 0-4) and offset (5-54),
 * the offset being the pfn for a pfn entry (hwpoison, migration).  Pfns
 * need CAP_SYS_ADMIN, which these tests have.
 */
#define _GNU_SOURCE
#include <grp.h>
#include <linux/userfaultfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "st_ctl.h"

#define LENS_PATH	ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/" ST_LENS_FILE
#define PAGE		4096UL
#define PMD_SIZE_2M	(2UL << 20)

#define PM_PRESENT	0x8000000000000000ULL	/* bit 63 */
#define PM_SWAP		0x4000000000000000ULL	/* bit 62 */
#define PM_FILE		0x2000000000000000ULL	/* bit 61 */
#define PM_UFFD_WP	0x0200000000000000ULL	/* bit 57 */
#define PM_EXCLUSIVE	0x0100000000000000ULL	/* bit 56 */
#define PM_SOFT_DIRTY	0x0080000000000000ULL	/* bit 55 */
#define PM_PFN		0x007fffffffffffffULL	/* bits 0-54 */
#define PM_SWP_TYPE(v)	((v) & 0x1f)
#define PM_SWP_OFF(v)	(((v) & PM_PFN) >> 5)

/* One line of the lens file, decoded; SE-style: absent fields are ~0. */
struct lens_entry {
	unsigned long long addr, raw, pfn, type, offset, uffd_wp, soft_dirty;
	unsigned long long exclusive, mapcount, anon, large, nr;
	char kind[20];
	char level[8];
	char line[ST_LENS_LINE_MAX];
};

struct lens_dump {
	struct lens_entry *e;
	unsigned int n;
	char summary[ST_REPLY_BUF];
	char *text;
};

#define LENS_TEXT_MAX	((ST_LENS_ENTRIES_MAX + 1) * ST_LENS_LINE_MAX)

/* The descriptors of a test and the last answer of the lens. */
struct lens_ctx {
	int ctl, lf, pm;
	char r[ST_REPLY_BUF];
	struct lens_dump d;
};

FIXTURE(lens)
{
	struct lens_ctx c;
};

static bool swap_active(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/swaps", "r");

	if (!f)
		return false;
	if (fgets(line, sizeof(line), f))	/* the header */
		found = !!fgets(line, sizeof(line), f);
	fclose(f);
	return found;
}

FIXTURE_SETUP(lens)
{
	struct lens_ctx *c = &self->c;

	c->ctl = st_open_ctl();
	if (c->ctl == -ENOENT)
		SKIP(return, "%s does not exist: swaptrack not loaded", ST_CTL_PATH);
	ASSERT_LE(0, c->ctl);
	c->lf = open(LENS_PATH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, c->lf) {
		TH_LOG("open %s: %s", LENS_PATH, strerror(errno));
	}
	c->pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, c->pm);
	c->d.e = calloc(ST_LENS_ENTRIES_MAX, sizeof(*c->d.e));
	c->d.text = malloc(LENS_TEXT_MAX + 1);
	ASSERT_TRUE(c->d.e && c->d.text);
	ASSERT_TRUE(swap_active()) {
		TH_LOG("no swap in /proc/swaps: the VM's zram set-up failed (see ST-SWAP)");
	}
}

/*
 * This runs in the parent, where the test's descriptors and buffers never
 * were: they went with the test's process.
 */
FIXTURE_TEARDOWN_PARENT(lens)
{
}

/*
 * Ask the lens file for [start, end) of @pid: every entry into @d, the
 * summary line (without "ok") into d->summary.  Returns 0 or the errno of
 * the write; the answer must then be exactly one "error <NAME> ..." line.
 */
static int lens_ask(struct __test_metadata *_metadata, int lf, struct lens_dump *d,
		    pid_t pid, unsigned long start, unsigned long end)
{
	char req[96], *line, *next, *last = NULL;
	struct lens_entry *e;
	ssize_t n, len = 0;
	int err = 0;

	snprintf(req, sizeof(req), "%d 0x%lx 0x%lx\n", pid, start, end);
	if (write(lf, req, strlen(req)) < 0)
		err = errno;
	while ((n = read(lf, d->text + len, LENS_TEXT_MAX - len)) > 0)
		len += n;
	ASSERT_LE(0, n);
	d->text[len] = '\0';
	d->n = 0;
	d->summary[0] = '\0';
	for (line = d->text; *line; line = next) {
		next = strchr(line, '\n');
		ASSERT_NE(NULL, next) {
			TH_LOG("lens %s: unterminated line '%s'", req, line);
		}
		*next++ = '\0';
		if (!*next) {
			last = line;
			break;
		}
		ASSERT_LT(d->n, (unsigned int)ST_LENS_ENTRIES_MAX);
		e = &d->e[d->n++];
		snprintf(e->line, sizeof(e->line), "%s", line);
		e->addr = strtoull(line, NULL, 16);
		ASSERT_TRUE(st_field_str(line, "kind", e->kind, sizeof(e->kind))) {
			TH_LOG("lens line without kind=: '%s'", line);
		}
		if (!st_field_str(line, "level", e->level, sizeof(e->level)))
			e->level[0] = '\0';
		e->raw = st_field(line, "raw");
		e->pfn = st_field(line, "pfn");
		e->type = st_field(line, "type");
		e->offset = st_field(line, "offset");
		e->uffd_wp = st_field(line, "uffd_wp");
		e->soft_dirty = st_field(line, "soft_dirty");
		e->exclusive = st_field(line, "exclusive");
		e->mapcount = st_field(line, "mapcount");
		e->anon = st_field(line, "anon");
		e->large = st_field(line, "large");
		e->nr = st_field(line, "nr");
	}
	ASSERT_NE(NULL, last) {
		TH_LOG("lens %s: empty answer", req);
	}
	if (err) {
		ASSERT_EQ(0U, d->n);
		snprintf(d->summary, sizeof(d->summary), "%s", last);
		ASSERT_EQ(0, strncmp(last, "error ", 6)) {
			TH_LOG("lens %s failed (%s) but answered '%s'", req, strerror(err), last);
		}
		return err;
	}
	ASSERT_EQ(0, strncmp(last, "ok ", 3)) {
		TH_LOG("lens %s: last line '%s' is not the summary", req, last);
	}
	snprintf(d->summary, sizeof(d->summary), "%s", last + 2);
	ASSERT_EQ((unsigned long long)d->n, st_field(d->summary, "entries")) {
		TH_LOG("lens %s: %u lines, summary '%s'", req, d->n, d->summary);
	}
	return 0;
}

/* The dump of @d's entry at @addr, or NULL. */
static struct lens_entry *lens_at(struct lens_dump *d, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < d->n; i++)
		if (d->e[i].addr == addr)
			return &d->e[i];
	return NULL;
}

static unsigned long long pagemap(struct __test_metadata *_metadata, int pm,
				  unsigned long addr)
{
	unsigned long long v;

	ASSERT_EQ((ssize_t)sizeof(v), pread(pm, &v, sizeof(v), addr / PAGE * sizeof(v)));
	return v;
}

/*
 * The lens entry @e of the pte at @addr and pagemap's word @pm say the same:
 * none, present (pfn, exclusive, uffd-wp, soft-dirty), or a swap-format
 * entry (type and offset of a swap entry, pfn of a pfn entry, bits).
 */
static void agree(struct __test_metadata *_metadata, unsigned long addr,
		  struct lens_entry *e, unsigned long long pm)
{
	bool present = pm & PM_PRESENT, swapped = pm & PM_SWAP;

	if (!present && !swapped) {
		ASSERT_EQ(NULL, e) {
			TH_LOG("0x%lx: pagemap 0x%llx says none, lens '%s'", addr, pm,
			       e->line);
		}
		return;
	}
	ASSERT_NE(NULL, e) {
		TH_LOG("0x%lx: pagemap 0x%llx, but the lens has no entry", addr, pm);
	}
	if (present) {
		ASSERT_TRUE(!strcmp(e->kind, "present") && e->pfn == (pm & PM_PFN) &&
			    e->anon == !(pm & PM_FILE) &&
			    !!(pm & PM_EXCLUSIVE) == (e->mapcount == 1)) {
			TH_LOG("0x%lx: pagemap present pfn 0x%llx exclusive %d file %d; lens '%s'",
			       addr, pm & PM_PFN, !!(pm & PM_EXCLUSIVE), !!(pm & PM_FILE),
			       e->line);
		}
	} else if (!strcmp(e->kind, "swap")) {
		ASSERT_TRUE(e->type == PM_SWP_TYPE(pm) && e->offset == PM_SWP_OFF(pm)) {
			TH_LOG("0x%lx: pagemap swap type %llu offset %llu; lens '%s'", addr,
			       PM_SWP_TYPE(pm), PM_SWP_OFF(pm), e->line);
		}
	} else if (!strcmp(e->kind, "hwpoison") || !strcmp(e->kind, "migration")) {
		ASSERT_EQ(PM_SWP_OFF(pm), e->pfn) {
			TH_LOG("0x%lx: pagemap pfn-entry offset 0x%llx; lens '%s'", addr,
			       PM_SWP_OFF(pm), e->line);
		}
	} else {
		ASSERT_STREQ("marker", e->kind) {
			TH_LOG("0x%lx: pagemap says swapped (0x%llx); lens '%s'", addr, pm,
			       e->line);
		}
	}
	if (strcmp(e->kind, "hwpoison")) {
		ASSERT_TRUE(!!(pm & PM_UFFD_WP) == (e->uffd_wp == 1)) {
			TH_LOG("0x%lx: pagemap uffd-wp %d; lens '%s'", addr,
			       !!(pm & PM_UFFD_WP), e->line);
		}
	}
	if (e->soft_dirty != ~0ULL) {
		ASSERT_TRUE(!!(pm & PM_SOFT_DIRTY) == (e->soft_dirty == 1)) {
			TH_LOG("0x%lx: pagemap soft-dirty %d; lens '%s'", addr,
			       !!(pm & PM_SOFT_DIRTY), e->line);
		}
	}
}

/*
 * Lens [base, base + pages) of this process and check every page against
 * pagemap, then the ctl summary against the lens file's.  Returns the
 * number of entries of @kind.
 */
static unsigned int lens_check(struct __test_metadata *_metadata,
			       struct lens_ctx *c, char *base,
			       unsigned int pages, const char *kind)
{
	unsigned long start = (unsigned long)base, end = start + pages * PAGE;
	unsigned int i, n = 0;
	struct lens_entry *e;

	ASSERT_EQ(0, lens_ask(_metadata, c->lf, &c->d, getpid(), start, end));
	for (i = 0; i < pages; i++) {
		e = lens_at(&c->d, start + i * PAGE);
		agree(_metadata, start + i * PAGE, e,
		      pagemap(_metadata, c->pm, start + i * PAGE));
		if (e && !strcmp(e->kind, kind))
			n++;
	}
	ST_OK(c->ctl, c->r, "lens %d 0x%lx 0x%lx", getpid(), start, end);
	ASSERT_STREQ(c->d.summary, c->r + 2) {
		TH_LOG("the lens file and ctl disagree on the summary");
	}
	return n;
}

static char *map_anon(struct __test_metadata *_metadata, size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, madvise(p, len, MADV_NOHUGEPAGE));
	return p;
}

static void fill(char *p, unsigned int pages)
{
	unsigned int i;

	for (i = 0; i < pages; i++)
		memset(p + i * PAGE, 0x40 + i % 64, PAGE);
}

static void check_fill(struct __test_metadata *_metadata, char *p, unsigned int i)
{
	ASSERT_TRUE(p[i * PAGE] == 0x40 + (char)(i % 64) &&
		    p[i * PAGE + PAGE - 1] == 0x40 + (char)(i % 64)) {
		TH_LOG("page %u lost its data across swap", i);
	}
}

static void pageout(struct __test_metadata *_metadata, char *p, unsigned int first,
		    unsigned int pages)
{
	ASSERT_EQ(0, madvise(p + first * PAGE, pages * PAGE, MADV_PAGEOUT)) {
		TH_LOG("MADV_PAGEOUT: %s", strerror(errno));
	}
}

#define SWAP_PAGES	64U

TEST_F(lens, swapped_and_faulted_back)
{
	char *p = map_anon(_metadata, SWAP_PAGES * PAGE);
	unsigned int i, want = 0;

	fill(p, SWAP_PAGES);
	ASSERT_EQ(SWAP_PAGES, lens_check(_metadata, &self->c, p, SWAP_PAGES, "present"));
	/* every other page of the first half, and a run of eight */
	for (i = 0; i < SWAP_PAGES / 2; i += 2, want++)
		pageout(_metadata, p, i, 1);
	pageout(_metadata, p, 40, 8);
	want += 8;
	ASSERT_EQ(want, lens_check(_metadata, &self->c, p, SWAP_PAGES, "swap")) {
		TH_LOG("MADV_PAGEOUT left pages present: %s", self->c.d.summary);
	}
	ASSERT_EQ((unsigned long long)want, st_field(self->c.d.summary, "swap"));
	/* a swapped anonymous page is exclusive: the entry says so */
	for (i = 0; i < self->c.d.n; i++)
		if (!strcmp(self->c.d.e[i].kind, "swap"))
			ASSERT_EQ(1ULL, self->c.d.e[i].exclusive) {
				TH_LOG("'%s'", self->c.d.e[i].line);
			}
	/* fault every fourth page back by reading it */
	for (i = 0; i < SWAP_PAGES; i++) {
		if (!(i % 4))
			check_fill(_metadata, p, i);
	}
	ASSERT_EQ(want - 8 - 2, lens_check(_metadata, &self->c, p, SWAP_PAGES, "swap"));
	for (i = 0; i < SWAP_PAGES; i++)
		check_fill(_metadata, p, i);
	ASSERT_EQ(0U, lens_check(_metadata, &self->c, p, SWAP_PAGES, "swap"));
	munmap(p, SWAP_PAGES * PAGE);
}

/* userfaultfd with @features, or -1 with errno (SKIP if the kernel lacks them). */
static int uffd_open(__u64 features)
{
	struct uffdio_api api = { .api = UFFD_API, .features = features };
	int fd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (ioctl(fd, UFFDIO_API, &api)) {
		close(fd);
		return -1;
	}
	return fd;
}

static void uffd_wp(struct __test_metadata *_metadata, int fd, char *p, unsigned int first,
		    unsigned int pages, bool reg)
{
	struct uffdio_register r = {
		.range = { (unsigned long)p + first * PAGE, pages * PAGE },
		.mode = UFFDIO_REGISTER_MODE_WP,
	};
	struct uffdio_writeprotect wp = {
		.range = { (unsigned long)p + first * PAGE, pages * PAGE },
		.mode = UFFDIO_WRITEPROTECT_MODE_WP,
	};

	if (reg)
		ASSERT_EQ(0, ioctl(fd, UFFDIO_REGISTER, &r)) {
			TH_LOG("UFFDIO_REGISTER(WP): %s", strerror(errno));
		}
	ASSERT_EQ(0, ioctl(fd, UFFDIO_WRITEPROTECT, &wp)) {
		TH_LOG("UFFDIO_WRITEPROTECT: %s", strerror(errno));
	}
}

static void want_wp(struct __test_metadata *_metadata, struct lens_ctx *c, char *p,
		    unsigned int i, const char *kind, unsigned long long wp)
{
	struct lens_entry *e = lens_at(&c->d, (unsigned long)p + i * PAGE);

	ASSERT_TRUE(e && !strcmp(e->kind, kind) && e->uffd_wp == wp) {
		TH_LOG("page %u: want kind=%s uffd_wp=%llu, got '%s'", i, kind, wp,
		       e ? e->line : "none");
	}
}

#define WP_PAGES	16U

TEST_F(lens, uffd_wp_present_and_swapped)
{
	char *p = map_anon(_metadata, WP_PAGES * PAGE);
	unsigned int i;
	int fd;

	fd = uffd_open(UFFD_FEATURE_PAGEFAULT_FLAG_WP);
	if (fd < 0)
		SKIP(return, "userfaultfd with UFFD_FEATURE_PAGEFAULT_FLAG_WP: %s",
		     strerror(errno));
	fill(p, WP_PAGES);
	pageout(_metadata, p, 8, 8);
	uffd_wp(_metadata, fd, p, 0, WP_PAGES, true);
	/* UFFDIO_WRITEPROTECT of pages 0-11: present 0-7, swapped 8-11 */
	{
		struct uffdio_writeprotect un = {
			.range = { (unsigned long)p + 12 * PAGE, 4 * PAGE },
			.mode = 0,
		};

		ASSERT_EQ(0, ioctl(fd, UFFDIO_WRITEPROTECT, &un));
	}
	lens_check(_metadata, &self->c, p, WP_PAGES, "swap");
	for (i = 0; i < 8; i++)
		want_wp(_metadata, &self->c, p, i, "present", 1);
	for (; i < 12; i++)
		want_wp(_metadata, &self->c, p, i, "swap", 1);
	for (; i < WP_PAGES; i++)
		want_wp(_metadata, &self->c, p, i, "swap", 0);
	/* swapout keeps the bit (try_to_unmap_one()), and so does a read fault */
	pageout(_metadata, p, 0, 2);
	check_fill(_metadata, p, 8);
	lens_check(_metadata, &self->c, p, WP_PAGES, "swap");
	want_wp(_metadata, &self->c, p, 0, "swap", 1);
	want_wp(_metadata, &self->c, p, 1, "swap", 1);
	want_wp(_metadata, &self->c, p, 8, "present", 1);
	close(fd);
	munmap(p, WP_PAGES * PAGE);
}

/* A none pte of shmem write-protected: a uffd-wp pte marker. */
TEST_F(lens, uffd_wp_marker_on_shmem)
{
	int fd, mfd;
	char *p;

	fd = uffd_open(UFFD_FEATURE_PAGEFAULT_FLAG_WP | UFFD_FEATURE_WP_HUGETLBFS_SHMEM);
	if (fd < 0)
		SKIP(return, "userfaultfd with uffd-wp on shmem: %s", strerror(errno));
	mfd = memfd_create("lens", MFD_CLOEXEC);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, 4 * PAGE));
	p = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	uffd_wp(_metadata, fd, p, 0, 4, true);
	lens_check(_metadata, &self->c, p, 4, "marker");
	want_wp(_metadata, &self->c, p, 0, "present", 1);
	want_wp(_metadata, &self->c, p, 1, "marker", 1);
	want_wp(_metadata, &self->c, p, 3, "marker", 1);
	close(fd);
	munmap(p, 4 * PAGE);
	close(mfd);
}

static sig_atomic_t sigbus_seen;	/* read after the syscall that raised it */

static void on_sigbus(int sig)
{
	(void)sig;
	sigbus_seen = 1;
}

TEST_F(lens, hwpoison)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	char *p = map_anon(_metadata, 4 * PAGE);
	unsigned long long pm, pfn;
	struct lens_entry *e;

	/*
	 * memory_failure() may kill the caller of MADV_HWPOISON with SIGBUS
	 * (BUS_MCEERR_AR, 6.12); a forced signal ignores SIG_IGN, not a handler.
	 */
	ASSERT_EQ(0, sigaction(SIGBUS, &sa, NULL));
	fill(p, 4);
	pm = pagemap(_metadata, self->c.pm, (unsigned long)p + PAGE);
	ASSERT_TRUE(!!(pm & PM_PRESENT));
	pfn = pm & PM_PFN;
	if (madvise(p + PAGE, PAGE, MADV_HWPOISON)) {
		if (errno == EINVAL)
			SKIP(return, "MADV_HWPOISON: %s (no CONFIG_MEMORY_FAILURE)",
			     strerror(errno));
		ASSERT_TRUE(false) {
			TH_LOG("MADV_HWPOISON: %s", strerror(errno));
		}
	}
	ksft_print_msg("MADV_HWPOISON: %s\n", sigbus_seen ? "SIGBUS sent" : "no signal");
	ASSERT_EQ(1U, lens_check(_metadata, &self->c, p, 4, "hwpoison"));
	e = lens_at(&self->c.d, (unsigned long)p + PAGE);
	ASSERT_TRUE(e && !strcmp(e->kind, "hwpoison") && e->pfn == pfn) {
		TH_LOG("want kind=hwpoison pfn=0x%llx, got '%s'", pfn, e ? e->line : "none");
	}
	munmap(p, 4 * PAGE);
}

static bool thp_enabled(char *why, size_t len)
{
	char buf[128] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (!f) {
		snprintf(why, len, "no /sys/kernel/mm/transparent_hugepage: no THP");
		return false;
	}
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	if (strstr(buf, "[never]")) {
		snprintf(why, len, "THP is disabled ([never])");
		return false;
	}
	return true;
}

TEST_F(lens, thp_pmd_leaf)
{
	unsigned long start, i;
	struct lens_entry *e;
	char why[96], *raw, *p;

	if (!thp_enabled(why, sizeof(why)))
		SKIP(return, "%s", why);
	raw = mmap(NULL, 2 * PMD_SIZE_2M, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	start = ((unsigned long)raw + PMD_SIZE_2M - 1) & ~(PMD_SIZE_2M - 1);
	p = (char *)start;
	ASSERT_EQ(0, madvise(p, PMD_SIZE_2M, MADV_HUGEPAGE));
	memset(p, 0x5a, PMD_SIZE_2M);
	ASSERT_EQ(0, lens_ask(_metadata, self->c.lf, &self->c.d, getpid(), start,
			      start + PMD_SIZE_2M));
	e = lens_at(&self->c.d, start);
	if (!e || strcmp(e->level, "pmd"))
		SKIP(goto out, "no huge page at the fault (THP allocation failed): '%s'",
		     e ? e->line : "none");
	ASSERT_TRUE(self->c.d.n == 1 && !strcmp(e->kind, "present") && e->large == 1 &&
		    e->nr == PMD_SIZE_2M / PAGE && e->anon == 1 && e->mapcount == 1) {
		TH_LOG("want one PMD leaf, present, anon, large; got %u entries, '%s'",
		       self->c.d.n, e->line);
	}
	for (i = 0; i < PMD_SIZE_2M / PAGE; i += 37) {
		unsigned long long pm = pagemap(_metadata, self->c.pm, start + i * PAGE);

		ASSERT_TRUE((pm & PM_PRESENT) && (pm & PM_PFN) == e->pfn + i) {
			TH_LOG("subpage %lu: pagemap 0x%llx, leaf pfn 0x%llx", i, pm, e->pfn);
		}
	}
	ASSERT_EQ(1ULL, st_field(self->c.d.summary, "leaves"));
	/* swapped out, the THP is split: 512 swap ptes (no PMD swap entry upstream) */
	pageout(_metadata, p, 0, PMD_SIZE_2M / PAGE);
	ASSERT_EQ(PMD_SIZE_2M / PAGE,
		  lens_check(_metadata, &self->c, p, PMD_SIZE_2M / PAGE, "swap"));
	ASSERT_EQ(0x5a, p[PMD_SIZE_2M - 1]);
out:
	munmap(raw, 2 * PMD_SIZE_2M);
}

/* More entries than one answer holds: "next=" pages through them. */
TEST_F(lens, paging)
{
	unsigned int pages = ST_LENS_ENTRIES_MAX + 100;
	char *p = map_anon(_metadata, pages * PAGE);
	unsigned long start = (unsigned long)p, end = start + pages * PAGE, next;

	fill(p, pages);
	ASSERT_EQ(0, lens_ask(_metadata, self->c.lf, &self->c.d, getpid(), start, end));
	next = start + ST_LENS_ENTRIES_MAX * PAGE;
	ASSERT_TRUE(self->c.d.n == ST_LENS_ENTRIES_MAX &&
		    st_field(self->c.d.summary, "more") == 1 &&
		    st_field(self->c.d.summary, "next") == next) {
		TH_LOG("want %d entries and next=0x%lx more=1: '%s'", ST_LENS_ENTRIES_MAX,
		       next, self->c.d.summary);
	}
	ASSERT_EQ(0, lens_ask(_metadata, self->c.lf, &self->c.d, getpid(), next, end));
	ASSERT_TRUE(self->c.d.n == 100 && st_field(self->c.d.summary, "more") == 0 &&
		    st_field(self->c.d.summary, "next") == end) {
		TH_LOG("second part: '%s'", self->c.d.summary);
	}
	munmap(p, pages * PAGE);
}

/* A pid that no longer exists, and a zombie (exited, not reaped). */
static pid_t gone_pid(bool zombie)
{
	char path[64], buf[256], *s;
	pid_t pid = fork();
	int i, fd;
	ssize_t n;

	if (!pid)
		_exit(0);
	if (!zombie) {
		waitpid(pid, NULL, 0);
		return pid;
	}
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 1000; i++) {
		fd = open(path, O_RDONLY);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (fd >= 0)
			close(fd);
		if (n > 0) {
			buf[n] = '\0';
			s = strrchr(buf, ')');
			if (s && s[2] == 'Z')
				return pid;
		}
		usleep(1000);
	}
	return pid;
}

TEST_F(lens, bad_input)
{
	unsigned long a = (unsigned long)&self->c.d;
	pid_t me = getpid(), zombie;

	a &= ~(PAGE - 1);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", me, a + 1, a + PAGE);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", me, a, a + PAGE + 8);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", me, a + PAGE, a);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", me, a, a);
	ST_ERR(E2BIG, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", me, a,
	       a + ST_LENS_SPAN_MAX + PAGE);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0xffff800000000000 0xffff800000001000", me);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx", me, a);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx 1", me, a, a + PAGE);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens self 0x%lx 0x%lx", a, a + PAGE);
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens 0 0x%lx 0x%lx", a, a + PAGE);
	ST_ERR(ERANGE, self->c.ctl, self->c.r, "lens %d 0x%lx 0x1%016lx", me, a, a);
	ST_ERR(ESRCH, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", gone_pid(false), a,
	       a + PAGE);
	zombie = gone_pid(true);
	ST_ERR(ESRCH, self->c.ctl, self->c.r, "lens %d 0x%lx 0x%lx", zombie, a, a + PAGE);
	waitpid(zombie, NULL, 0);
	/* kthreadd: no user address space */
	ST_ERR(EINVAL, self->c.ctl, self->c.r, "lens 2 0x1000 0x2000");
	ASSERT_NE(NULL, strstr(self->c.r, "kernel thread"));
	/* the lens file refuses the same way, with the same answer */
	ASSERT_EQ(EINVAL, lens_ask(_metadata, self->c.lf, &self->c.d, 2, 0x1000, 0x2000));
	ASSERT_STREQ(self->c.r, self->c.d.summary);
	ASSERT_EQ(E2BIG, lens_ask(_metadata, self->c.lf, &self->c.d, me, 0,
				  ST_LENS_SPAN_MAX + PAGE));
	/* nothing there is not an error: an empty answer */
	ST_OK(self->c.ctl, self->c.r, "lens %d 0x1000 0x2000", me);
	ASSERT_EQ(0ULL, st_field(self->c.r, "entries"));
}

#define CHILD_SETUP	101
#define CHILD_WRONG	102

/* In a child with uid 4321 and no capability: @fd is ctl, opened by root. */
static int lens_as_user(int fd, pid_t target, pid_t nondumpable)
{
	char line[96], buf[ST_REPLY_BUF];
	int err;

	if (setgroups(0, NULL) || setresgid(4321, 4321, 4321) ||
	    setresuid(4321, 4321, 4321))
		return CHILD_SETUP;
	/* its own memory: allowed (same thread group) */
	snprintf(line, sizeof(line), "lens %d 0x1000 0x2000\n", getpid());
	if (write(fd, line, strlen(line)) < 0)
		return 1;
	if (read(fd, buf, sizeof(buf)) < 3 || strncmp(buf, "ok ", 3))
		return 2;
	/* root's process */
	snprintf(line, sizeof(line), "lens %d 0x1000 0x2000\n", target);
	err = write(fd, line, strlen(line)) < 0 ? errno : 0;
	if (err != EACCES)
		return 3;
	if (read(fd, buf, sizeof(buf)) < 13 || strncmp(buf, "error EACCES ", 13))
		return 4;
	/* same uid, but not dumpable */
	snprintf(line, sizeof(line), "lens %d 0x1000 0x2000\n", nondumpable);
	err = write(fd, line, strlen(line)) < 0 ? errno : 0;
	if (err != EACCES)
		return 5;
	return 0;
}

TEST_F(lens, ptrace_read_refused)
{
	int pipefd[2], ready[2], status;
	pid_t target, nd, child;
	char c;

	ASSERT_EQ(0, pipe(pipefd));
	ASSERT_EQ(0, pipe(ready));
	target = getpid();
	/* a process of uid 4321 that is not dumpable, until the pipe closes */
	nd = fork();
	ASSERT_LE(0, nd);
	if (!nd) {
		close(pipefd[1]);
		close(ready[0]);
		if (setresgid(4321, 4321, 4321) || setresuid(4321, 4321, 4321) ||
		    prctl(PR_SET_DUMPABLE, 0))
			_exit(1);
		if (write(ready[1], "r", 1) != 1 || read(pipefd[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(pipefd[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	child = fork();
	ASSERT_LE(0, child);
	if (!child)
		_exit(lens_as_user(self->c.ctl, target, nd));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	close(pipefd[1]);
	waitpid(nd, NULL, 0);
	ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		TH_LOG("uid 4321 using root's ctl: step %d failed (%s, %d: set-up)",
		       WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		       "1-2 own memory refused, 3-4 root's allowed, 5 non-dumpable allowed",
		       CHILD_SETUP);
	}
}

TEST_HARNESS_MAIN
