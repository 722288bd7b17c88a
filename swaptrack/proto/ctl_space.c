// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on model address spaces: "space ...", "reclaim",
 * "slot ioerr".
 */
#include <linux/err.h>
#include <linux/slab.h>

#include "mm/compat.h"
#include "mm/fault.h"
#include "mm/fork.h"
#include "mm/inject.h"
#include "mm/marker.h"
#include "mm/mmap.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/special.h"
#include "mm/thp.h"
#include "mm/zap.h"
#include "proto/ctl.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

static int get_space(struct st_reply *r, const char *arg,
		     struct st_space **sp)
{
	unsigned long id;
	int err = st_parse_ulong(r, "space", arg, &id);

	if (err)
		return err;
	*sp = id <= ST_SPACES_MAX ? st_space_get(id) : NULL;
	if (!*sp)
		return st_reply_error(r, -ENOENT, "no space %lu", id);
	return 0;
}

/* A page-aligned model address and a page count that stays in the space. */
static int parse_range(struct st_reply *r, const char *a, const char *n,
		       unsigned long *addr, unsigned long *nr)
{
	int err = st_parse_ulong(r, "address", a, addr);

	if (err)
		return err;
	if (*addr < ST_SPACE_BASE || *addr >= ST_SPACE_END ||
	    !PAGE_ALIGNED(*addr))
		return st_reply_error(r, -EINVAL,
				      "address 0x%lx not a page in [0x%lx, 0x%lx)",
				      *addr, ST_SPACE_BASE, ST_SPACE_END);
	*nr = 1;
	if (!n)
		return 0;
	err = st_parse_ulong(r, "pages", n, nr);
	if (err)
		return err;
	if (!*nr || *nr > ST_SPACE_PAGES_MAX)
		return st_reply_error(r, *nr ? -E2BIG : -EINVAL,
				      "pages %lu not in 1..%d", *nr,
				      ST_SPACE_PAGES_MAX);
	if (*nr > (ST_SPACE_END - *addr) >> PAGE_SHIFT)
		return st_reply_error(r, -EINVAL, "range runs past 0x%lx",
				      ST_SPACE_END);
	return 0;
}

/* Take the space's mmap_lock for read; a destroyed space has no tables. */
static int lock_live(struct st_reply *r, struct st_space *s)
{
	down_read(&s->mmap_lock);
	if (s->dead) {
		up_read(&s->mmap_lock);
		return st_reply_error(r, -ENOENT, "space %d destroyed", s->id);
	}
	return 0;
}

/* lock_live(), and the address must be mapped. */
static int lock_mapped(struct st_reply *r, struct st_space *s,
		       unsigned long addr)
{
	int err = lock_live(r, s);

	if (err)
		return err;
	if (!st_find_vma(s, addr)) {
		up_read(&s->mmap_lock);
		return st_reply_error(r, -EFAULT, "SIGSEGV: 0x%lx not mapped",
				      addr);
	}
	return 0;
}

/* A command on "ID ADDR [PAGES]": the space, referenced, and the range. */
struct st_at {
	struct st_space *s;
	unsigned long addr;
	unsigned long nr;
};

/* The space and the range; on error nothing is held. */
static int at_get(struct st_reply *r, char **argv, const char *pages,
		  struct st_at *at)
{
	int err = get_space(r, argv[0], &at->s);

	if (err)
		return err;
	err = parse_range(r, argv[1], pages, &at->addr, &at->nr);
	if (err)
		st_space_put(at->s);
	return err;
}

/* at_get(), then the mmap_lock for read with the address mapped. */
static int at_lock(struct st_reply *r, char **argv, const char *pages,
		   struct st_at *at)
{
	int err = at_get(r, argv, pages, at);

	if (err)
		return err;
	err = lock_mapped(r, at->s, at->addr);
	if (err)
		st_space_put(at->s);
	return err;
}

static void at_unlock(struct st_at *at)
{
	up_read(&at->s->mmap_lock);
	st_space_put(at->s);
}

/* One of two words; *is_first tells which. */
static int parse_choice(struct st_reply *r, const char *arg,
			const char *first, const char *second, bool *is_first)
{
	if (!strcmp(arg, first) || !strcmp(arg, second)) {
		*is_first = !strcmp(arg, first);
		return 0;
	}
	return st_reply_error(r, -EINVAL, "'%s' is not %s or %s", arg, first,
			      second);
}

static int fault_error(struct st_reply *r, int err, unsigned long addr)
{
	switch (err) {
	case -ST_SIGBUS:
		return st_reply_error(r, err, "SIGBUS at 0x%lx", addr);
	case -ST_USERFAULT:
		return st_reply_error(r, err, "uffd-wp userfault at 0x%lx",
				      addr);
	case -ST_USERFAULT_MISSING:
		return st_reply_error(r, err, "uffd missing userfault at 0x%lx",
				      addr);
	case -ETIMEDOUT:
		return st_reply_error(r, err,
				      "0x%lx: timed out at a gate or behind a migration entry",
				      addr);
	case -EINTR:
		return st_reply_error(r, err, "0x%lx: killed while waiting",
				      addr);
	case -EIO:
		return st_reply_error(r, err, "0x%lx: page torn or entry corrupt",
				      addr);
	case -EAGAIN:
		return st_reply_error(r, err, "0x%lx: fault kept retrying",
				      addr);
	case -EBUSY:
		return st_reply_error(r, err,
				      "0x%lx: the slot has SWAP_HAS_CACHE but no swap-cache page",
				      addr);
	default:
		return st_reply_error(r, err, "0x%lx: fault failed", addr);
	}
}

static int cmd_new(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	struct st_space *s = st_space_new();

	if (IS_ERR(s))
		return st_reply_error(r, PTR_ERR(s), PTR_ERR(s) == -ENOSPC ?
				      "%d spaces already" : "no memory",
				      ST_SPACES_MAX);
	st_reply_add(r, "space=%d base=0x%lx", s->id, ST_SPACE_BASE);
	st_space_put(s);
	return 0;
}

static int cmd_destroy(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long id;
	int err = st_parse_ulong(r, "space", argv[0], &id);

	if (err)
		return err;
	if (id > ST_SPACES_MAX || st_space_destroy(id))
		return st_reply_error(r, -ENOENT, "no space %lu", id);
	return 0;
}

/* "anon", or "shared FILE PGOFF" / "private FILE PGOFF" */
static int parse_kind(struct st_reply *r, int argc, char **argv,
		      enum st_vma_kind *kind, struct st_file **f,
		      unsigned long *pgoff)
{
	unsigned long id;
	int err;

	*f = NULL;
	*pgoff = 0;
	*kind = ST_VMA_ANON;
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "anon")))
		return 0;
	if (argc != 3 || (strcmp(argv[0], "shared") && strcmp(argv[0], "private")))
		return st_reply_error(r, -EINVAL,
				      "usage: space map ID ADDR PAGES [anon | shared FILE PGOFF | private FILE PGOFF]");
	*kind = strcmp(argv[0], "shared") ? ST_VMA_PRIVATE : ST_VMA_SHARED;
	err = st_parse_ulong(r, "file", argv[1], &id) ?:
	      st_parse_ulong(r, "pgoff", argv[2], pgoff);
	if (err)
		return err;
	if (*pgoff > ST_FILE_PAGES_MAX)
		return st_reply_error(r, -EINVAL, "pgoff %lu beyond %d", *pgoff,
				      ST_FILE_PAGES_MAX);
	*f = id <= ST_FILES_MAX ? st_file_get(id) : NULL;
	if (!*f)
		return st_reply_error(r, -ENOENT, "no file %lu", id);
	return 0;
}

static int cmd_map(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	enum st_vma_kind kind;
	struct st_file *file;
	unsigned long pgoff;
	struct st_at at;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	err = parse_kind(r, argc - 3, argv + 3, &kind, &file, &pgoff);
	if (!err) {
		err = st_space_map(at.s, at.addr, at.nr, kind, file, pgoff);
		if (err == -EEXIST)
			st_reply_error(r, err, "overlaps a mapping");
		else if (err == -ENOSPC)
			st_reply_error(r, err, "%d mappings already",
				       ST_VMAS_MAX);
		else if (err)
			st_reply_error(r, err, "space destroyed");
		if (file)
			st_file_put(file);
	}
	st_space_put(at.s);
	return err;
}

static int cmd_touch(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	struct st_at at;
	bool read;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	err = parse_choice(r, argv[2], "read", "write", &read) ?:
	      lock_mapped(r, at.s, at.addr);
	if (!err) {
		err = st_fault(at.s, at.addr, !read);
		up_read(&at.s->mmap_lock);
		if (err)
			fault_error(r, err, at.addr);
	}
	st_space_put(at.s);
	return err;
}

static int cmd_write(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long tag;
	struct st_at at;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_parse_ulong(r, "tag", argv[2], &tag);
	if (!err && tag > LONG_MAX)
		err = st_reply_error(r, -ERANGE, "tag above 0x%lx", LONG_MAX);
	if (!err)
		err = lock_mapped(r, at.s, at.addr);
	if (!err) {
		err = st_access_write(at.s, at.addr, tag);
		up_read(&at.s->mmap_lock);
		if (err)
			fault_error(r, err, at.addr);
	}
	st_space_put(at.s);
	return err;
}

static int cmd_read(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	struct st_at at;
	u64 tag, want;
	int err;

	err = at_lock(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_access_read(at.s, at.addr, &tag);
	want = st_expect_at(at.s, st_find_vma(at.s, at.addr), at.addr);
	at_unlock(&at);
	if (err)
		return fault_error(r, err, at.addr);
	st_reply_add(r, "tag=0x%llx expected=0x%llx", tag, want);
	return 0;
}

/*
 * Reclaim the anonymous pages mapped in a range.  The pages are gathered
 * under the mmap_lock and reclaimed after it is dropped, as kswapd would.
 */
static int cmd_swapout(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long i, n = 0, done = 0;
	struct st_page **pages;
	struct st_pte_info info;
	struct st_at at;
	pte_t *ptep;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	pages = kvcalloc(at.nr, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		st_space_put(at.s);
		return st_reply_error(r, -ENOMEM, "no memory");
	}
	err = lock_mapped(r, at.s, at.addr);
	if (err)
		goto out;
	spin_lock(&at.s->ptl);
	for (i = 0; i < at.nr; i++) {
		ptep = st_pte_offset(&at.s->pt, at.addr + i * PAGE_SIZE);
		if (!ptep)
			continue;
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT)
			pages[n] = st_page_get_pfn(info.pfn);
		if (pages[n])
			n++;
	}
	spin_unlock(&at.s->ptl);
	up_read(&at.s->mmap_lock);
	for (i = 0; i < n; i++) {
		if (!st_swapout_page(pages[i]))
			done++;
		st_page_put(pages[i]);
	}
	st_reply_add(r, "swapped=%lu skipped=%lu", done, n - done);
out:
	kvfree(pages);
	st_space_put(at.s);
	return err;
}

static int cmd_zap(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	unsigned long n;
	struct st_at at;
	int err;

	err = at_lock(r, argv, argv[2], &at);
	if (err)
		return err;
	n = st_zap_range(at.s, at.addr, at.addr + at.nr * PAGE_SIZE);
	at_unlock(&at);
	st_reply_add(r, "zapped=%lu", n);
	return 0;
}

static int cmd_fork(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	struct st_space *s, *child;
	int err;

	err = get_space(r, argv[0], &s);
	if (err)
		return err;
	child = st_fork(s);
	st_space_put(s);
	if (PTR_ERR(child) == -ELOOP)
		return st_reply_error(r, -ELOOP,
				      "fork failed: one swap entry retried %d times, the model's bound (with dup_errors=series_v5 the code loops for ever)",
				      ST_DUP_RETRIES);
	if (PTR_ERR(child) == -ENOENT)
		return st_reply_error(r, -ENOENT,
				      "fork failed: copy_pte_range() got swap_duplicate()'s error for a swap pte whose slot is free");
	if (IS_ERR(child))
		return st_reply_error(r, PTR_ERR(child), "fork failed");
	st_reply_add(r, "space=%d", child->id);
	st_space_put(child);
	return 0;
}

/* Fault injection (inject.c): the pte stays, one count of its slot goes. */
static int cmd_drop_count(struct st_ctl_file *f, int argc, char **argv,
			  struct st_reply *r)
{
	struct st_slot_info info;
	unsigned long slot = ULONG_MAX;
	struct st_at at;
	int err;

	err = at_lock(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_inject_drop_swap_count(at.s, at.addr, &slot);
	at_unlock(&at);
	if (err && slot == ULONG_MAX)
		return st_reply_error(r, err, "0x%lx holds no swap pte", at.addr);
	if (err == -ENOENT)
		return st_reply_error(r, err, "slot %lu of 0x%lx is already free",
				      slot, at.addr);
	if (err)
		return st_reply_error(r, err, "slot %lu of 0x%lx has no map count",
				      slot, at.addr);
	st_swap_query(slot, &info);
	st_reply_add(r, "slot=%lu count=%lu", slot, info.count);
	return 0;
}

static int cmd_pte(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	struct st_at at;
	char buf[ST_PTE_FMT_MAX];
	pte_t *ptep;
	pmd_t pmd;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	down_read(&at.s->mmap_lock);
	spin_lock(&at.s->ptl);
	ptep = at.s->dead ? NULL : st_pte_offset(&at.s->pt, at.addr);
	pmd = at.s->dead ? __pmd(0) :
			   st_pmdp_get(st_pmd_offset(&at.s->pt, at.addr));
	if (ptep)
		st_pte_format(ptep_get(ptep), buf, sizeof(buf));
	else if (st_pmd_is_swap(pmd))
		st_pmd_format(pmd, buf, sizeof(buf));
	else
		st_pte_format(__pte(0), buf, sizeof(buf));
	spin_unlock(&at.s->ptl);
	up_read(&at.s->mmap_lock);
	st_space_put(at.s);
	st_reply_add(r, "addr=0x%lx %s", at.addr, buf);
	return 0;
}

static int cmd_reclaim(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	st_reply_add(r, "reclaimed=%lu", st_swapcache_reclaim());
	return 0;
}

static int cmd_ioerr(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long slot;
	bool on;
	int err = st_parse_ulong(r, "slot", argv[0], &slot);

	if (err)
		return err;
	if (slot >= st_swap_nr_slots())
		return st_reply_error(r, -EINVAL, "slot %lu out of range", slot);
	err = parse_choice(r, argv[1], "on", "off", &on);
	if (err)
		return err;
	st_swapio_fail_reads(slot, on);
	st_reply_add(r, "slot=%lu", slot);
	return 0;
}

static int cmd_reread(struct st_ctl_file *f, int argc, char **argv,
		      struct st_reply *r)
{
	unsigned long slot;
	bool uptodate = false;
	int err = st_parse_ulong(r, "slot", argv[0], &slot);

	if (err)
		return err;
	if (slot >= st_swap_nr_slots())
		return st_reply_error(r, -EINVAL, "slot %lu out of range", slot);
	err = st_swapcache_reread(slot, &uptodate);
	if (err == -ENOENT)
		return st_reply_error(r, err, "slot %lu has no swap-cache page",
				      slot);
	if (err)
		return st_reply_error(r, err,
				      "the cache page of slot %lu is locked or mapped",
				      slot);
	st_reply_add(r, "slot=%lu uptodate=%d", slot, uptodate);
	return 0;
}

static int cmd_uffd_wp(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	struct st_at at;
	bool on;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	err = parse_choice(r, argv[3], "on", "off", &on);
	if (!err && !ST_HAVE_UFFD_WP) {
		err = st_reply_error(r, -EOPNOTSUPP,
				     "no uffd-wp in this kernel");
	} else if (!err) {
		err = st_uffd_wp(at.s, at.addr, at.addr + at.nr * PAGE_SIZE,
				 on);
		if (err)
			st_reply_error(r, err, "space destroyed");
	}
	st_space_put(at.s);
	return err;
}

static int cmd_migrate(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long pfn;
	struct st_at at;
	bool begin;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	err = parse_choice(r, argv[2], "begin", "end", &begin) ?:
	      lock_live(r, at.s);
	if (err) {
		st_space_put(at.s);
		return err;
	}
	err = begin ? st_migrate_begin(at.s, at.addr, &pfn) :
		      st_migrate_end(at.s, at.addr, &pfn);
	at_unlock(&at);
	if (err == -ENOENT)
		return st_reply_error(r, err, begin ?
				      "no page mapped at 0x%lx" :
				      "no migration entry at 0x%lx", at.addr);
	if (err == -EBUSY)
		return st_reply_error(r, err,
				      "0x%lx: page in swap cache or KSM",
				      at.addr);
	if (err)
		return st_reply_error(r, err, "0x%lx: page busy", at.addr);
	st_reply_add(r, "pfn=0x%lx", pfn);
	return 0;
}

static int cmd_poison(struct st_ctl_file *f, int argc, char **argv,
		      struct st_reply *r)
{
	struct st_at at;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	err = lock_live(r, at.s);
	if (err) {
		st_space_put(at.s);
		return err;
	}
	err = st_poison(at.s, at.addr);
	at_unlock(&at);
	if (err == -ENOENT)
		return st_reply_error(r, err,
				      "no anonymous page mapped at 0x%lx",
				      at.addr);
	if (err)
		return st_reply_error(r, err,
				      "0x%lx: page busy or in swap cache",
				      at.addr);
	return 0;
}

static int cmd_ksm_merge(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at a1, a2;
	int err;

	err = at_get(r, argv, NULL, &a1);
	if (err)
		return err;
	err = at_get(r, argv + 2, NULL, &a2);
	if (err)
		goto out1;
	st_space_lock_two(a1.s, a2.s, false);
	if (a1.s->dead || a2.s->dead)
		err = st_reply_error(r, -ENOENT, "space %d destroyed",
				     a1.s->dead ? a1.s->id : a2.s->id);
	if (!err) {
		err = st_ksm_merge(a1.s, a1.addr, a2.s, a2.addr);
		if (err == -EINVAL)
			st_reply_error(r, err, "pages differ");
		else if (err == -ENOENT)
			st_reply_error(r, err,
				       "need two distinct anonymous pages");
		else if (err)
			st_reply_error(r, err,
				       "a page is busy or in swap cache");
	}
	st_space_unlock_two(a1.s, a2.s, false);
	st_space_put(a2.s);
out1:
	st_space_put(a1.s);
	return err;
}

static int cmd_swapout_pmd(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long slot;
	struct st_at at;
	int err;

	err = at_lock(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_swapout_pmd(at.s, at.addr, &slot);
	at_unlock(&at);
	switch (err) {
	case 0:
		st_reply_add(r, "slot=%lu nr=%lu", slot, ST_CLUSTER_NR);
		return 0;
	case -EINVAL:
		return st_reply_error(r, err,
				      "0x%lx: not PMD-aligned, or no anonymous mapping covers the PMD",
				      at.addr);
	case -ENOENT:
		return st_reply_error(r, err,
				      "0x%lx: not every page of the PMD is present",
				      at.addr);
	case -EBUSY:
		return st_reply_error(r, err,
				      "0x%lx: a page is shared, KSM, file or uffd-wp",
				      at.addr);
	case -ENOSPC:
		return st_reply_error(r, err, "no free cluster");
	default:
		return st_reply_error(r, err, "0x%lx: a page is busy",
				      at.addr);
	}
}

static int cmd_split_pmd(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at at;
	int err;

	err = at_lock(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_split_pmd_swap(at.s, at.addr);
	at_unlock(&at);
	if (err == -ENOENT)
		return st_reply_error(r, err, "no PMD swap entry at 0x%lx",
				      at.addr);
	if (err)
		return st_reply_error(r, err, "no memory for a PTE table");
	return 0;
}

static int cmd_populate(struct st_ctl_file *f, int argc, char **argv,
			struct st_reply *r)
{
	unsigned long done;
	struct st_at at;
	bool read;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	err = parse_choice(r, argv[3], "read", "write", &read) ?:
	      lock_mapped(r, at.s, at.addr);
	if (err) {
		st_space_put(at.s);
		return err;
	}
	err = st_populate(at.s, at.addr, at.addr + at.nr * PAGE_SIZE, !read,
			  &done);
	at_unlock(&at);
	at.addr += done << PAGE_SHIFT;
	if (err == -ENOMEM)
		return st_reply_error(r, err, "0x%lx: not mapped", at.addr);
	if (err)
		return fault_error(r, err, at.addr);
	st_reply_add(r, "populated=%lu", done);
	return 0;
}

/* ---- seed 004: the pte_none_mostly() callers (marker.c) */

static int cmd_charge_move(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long moved;
	struct st_at at;
	int err;

	err = at_lock(r, argv, argv[2], &at);
	if (err)
		return err;
	moved = st_charge_move(at.s, at.addr, at.addr + at.nr * PAGE_SIZE);
	at_unlock(&at);
	st_reply_add(r, "moved=%lu", moved);
	return 0;
}

static int cmd_uffd_missing(struct st_ctl_file *f, int argc, char **argv,
			    struct st_reply *r)
{
	struct st_at at;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	err = st_uffd_missing(at.s, at.addr, at.addr + at.nr * PAGE_SIZE);
	st_space_put(at.s);
	if (err == -EINVAL)
		return st_reply_error(r, err,
				      "missing mode is modelled for shared file mappings only");
	if (err == -EFAULT)
		return st_reply_error(r, err, "SIGSEGV: range not mapped");
	if (err)
		return st_reply_error(r, err, "space destroyed");
	return 0;
}

static int cmd_uffd_copy(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	bool wp = false;
	unsigned long tag;
	struct st_at at;
	int err;

	err = at_get(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_parse_ulong(r, "tag", argv[2], &tag);
	if (!err && tag > LONG_MAX)
		err = st_reply_error(r, -ERANGE, "tag above 0x%lx", LONG_MAX);
	if (!err && argc == 4) {
		wp = !strcmp(argv[3], "wp");
		if (!wp)
			err = st_reply_error(r, -EINVAL, "'%s' is not wp",
					     argv[3]);
	}
	if (!err)
		err = lock_mapped(r, at.s, at.addr);
	if (err) {
		st_space_put(at.s);
		return err;
	}
	err = st_uffd_copy(at.s, at.addr, tag, wp);
	at_unlock(&at);
	switch (err) {
	case 0:
		return 0;
	case -ENOENT:
		return st_reply_error(r, err,
				      "0x%lx: not registered with userfaultfd",
				      at.addr);
	case -EINVAL:
		return st_reply_error(r, err,
				      "0x%lx: the model copies into shared file mappings only",
				      at.addr);
	case -EEXIST:
		return st_reply_error(r, err, "0x%lx: already populated",
				      at.addr);
	case -EFAULT:
		return st_reply_error(r, err, "0x%lx: beyond the end of the file",
				      at.addr);
	default:
		return st_reply_error(r, err, "0x%lx: no memory", at.addr);
	}
}

static int cmd_mincore(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned char *vec;
	struct st_at at;
	unsigned long i;
	char *text;
	int err;

	err = at_get(r, argv, argv[2], &at);
	if (err)
		return err;
	if (at.nr > ST_MINCORE_PAGES_MAX) {
		st_space_put(at.s);
		return st_reply_error(r, -E2BIG, "pages %lu above %d", at.nr,
				      ST_MINCORE_PAGES_MAX);
	}
	err = lock_mapped(r, at.s, at.addr);
	if (err) {
		st_space_put(at.s);
		return err;
	}
	vec = kmalloc(at.nr, GFP_KERNEL);
	text = kmalloc(at.nr + 1, GFP_KERNEL);
	if (vec && text) {
		st_mincore(at.s, at.addr, at.nr, vec);
		for (i = 0; i < at.nr; i++)
			text[i] = '0' + vec[i];
		text[at.nr] = '\0';
	}
	at_unlock(&at);
	if (vec && text)
		st_reply_add(r, "vec=%s", text);
	else
		err = st_reply_error(r, -ENOMEM, "no memory for the vector");
	kfree(vec);
	kfree(text);
	return err;
}

static int cmd_hmm_fault(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at at;
	u64 tag, want;
	int err;

	err = at_lock(r, argv, NULL, &at);
	if (err)
		return err;
	err = st_hmm_fault(at.s, at.addr, &tag);
	want = st_expect_at(at.s, st_find_vma(at.s, at.addr), at.addr);
	at_unlock(&at);
	if (err == -ST_HMM_EFAULT)
		return st_reply_error(r, -EFAULT,
				      "hmm_range_fault: -EFAULT at 0x%lx",
				      at.addr);
	if (err == -EBUSY)
		return st_reply_error(r, err, "0x%lx: walk kept retrying",
				      at.addr);
	if (err)
		return fault_error(r, err, at.addr);
	st_reply_add(r, "tag=0x%llx expected=0x%llx", tag, want);
	return 0;
}

const struct st_cmd st_space_cmds[] = {
	{ "space new", NULL, 0, 0, cmd_new },
	{ "space destroy", "ID", 1, 1, cmd_destroy },
	{ "space map", "ID ADDR PAGES [anon|shared FILE PGOFF|private FILE PGOFF]",
	  3, 6, cmd_map },
	{ "space touch", "ID ADDR read|write", 3, 3, cmd_touch },
	{ "space write", "ID ADDR TAG", 3, 3, cmd_write },
	{ "space read", "ID ADDR", 2, 2, cmd_read },
	{ "space swapout", "ID ADDR [PAGES]", 2, 3, cmd_swapout },
	{ "space zap", "ID ADDR [PAGES]", 2, 3, cmd_zap },
	{ "space fork", "ID", 1, 1, cmd_fork },
	{ "space drop-count", "ID ADDR", 2, 2, cmd_drop_count },
	{ "space pte", "ID ADDR", 2, 2, cmd_pte },
	{ "space swapout-pmd", "ID ADDR", 2, 2, cmd_swapout_pmd },
	{ "space split-pmd", "ID ADDR", 2, 2, cmd_split_pmd },
	{ "space uffd-wp", "ID ADDR PAGES on|off", 4, 4, cmd_uffd_wp },
	{ "space migrate", "ID ADDR begin|end", 3, 3, cmd_migrate },
	{ "space poison", "ID ADDR", 2, 2, cmd_poison },
	{ "space populate", "ID ADDR PAGES read|write", 4, 4, cmd_populate },
	{ "space charge-move", "ID ADDR PAGES", 3, 3, cmd_charge_move },
	{ "space uffd-missing", "ID ADDR PAGES", 3, 3, cmd_uffd_missing },
	{ "space uffd-copy", "ID ADDR TAG [wp]", 3, 4, cmd_uffd_copy },
	{ "space mincore", "ID ADDR PAGES", 3, 3, cmd_mincore },
	{ "space hmm-fault", "ID ADDR", 2, 2, cmd_hmm_fault },
	{ "ksm merge", "ID1 ADDR1 ID2 ADDR2", 4, 4, cmd_ksm_merge },
	{ "reclaim", NULL, 0, 0, cmd_reclaim },
	{ "slot ioerr", "SLOT on|off", 2, 2, cmd_ioerr },
	{ "slot reread", "SLOT", 1, 1, cmd_reread },
	{ }
};
