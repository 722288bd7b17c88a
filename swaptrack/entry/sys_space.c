// SPDX-License-Identifier: GPL-2.0
/*
 * The entry of the calls on model address spaces: the mmap(), munmap(),
 * fork(), madvise(), userfaultfd and access paths of "space ...", and
 * "ksm merge".  See entry.h for what every st_sys_*() does; the locks and
 * their order are at the top of mm/space.h.
 */
#include <linux/err.h>
#include <linux/lockdep.h>
#include <linux/slab.h>

#include "entry/entry.h"
#include "mm/batch.h"
#include "mm/compat.h"
#include "mm/fault.h"
#include "mm/fork.h"
#include "mm/hwpoison.h"
#include "mm/inject.h"
#include "mm/ksm.h"
#include "mm/marker.h"
#include "mm/migrate.h"
#include "mm/mmap.h"
#include "mm/reclaim.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "mm/thp.h"
#include "mm/uffd.h"
#include "mm/zap.h"
#include "swapdev/page.h"
#include "swapdev/swapmap.h"

static_assert(ST_SYS_PTE_FMT_MAX == ST_PTE_FMT_MAX);

/* How a call holds its space between sys_enter() and sys_exit(). */
enum sys_hold {
	SYS_REF,	/* a reference only */
	SYS_READ,	/* mmap_lock for read, the space alive */
	SYS_MAPPED,	/* SYS_READ, and the address mapped */
	SYS_WRITE,	/* mmap_lock for write, the space alive */
	SYS_WRITE_MAPPED, /* SYS_WRITE, and the address mapped */
};

static bool sys_writes(enum sys_hold how)
{
	return how == SYS_WRITE || how == SYS_WRITE_MAPPED;
}

/* Drop what sys_hold() took: the mmap_lock, then the reference. */
static void sys_exit(struct st_space *s, enum sys_hold how)
{
	if (sys_writes(how))
		up_write(&s->mmap_lock);
	else if (how != SYS_REF)
		up_read(&s->mmap_lock);
	st_space_put(s);
}

/* The space of id, referenced; NULL and the reason if there is none. */
static struct st_space *space_get(unsigned long id, struct st_err *e)
{
	struct st_space *s = id <= ST_SPACES_MAX ? st_space_get(id) : NULL;

	if (!s)
		st_fail(e, -ENOENT, "no space %lu", id);
	return s;
}

/*
 * Hold the referenced space s as @how says: a destroyed space has no
 * tables left (exit_mmap() ran under its mmap_lock for write), an unmapped
 * address is the SIGSEGV of the access.  On error the reference is
 * dropped and nothing is held.
 */
static int sys_hold(struct st_space *s, unsigned long addr,
		    enum sys_hold how, struct st_err *e)
{
	int err = 0;

	if (sys_writes(how))
		down_write(&s->mmap_lock);
	else if (how != SYS_REF)
		down_read(&s->mmap_lock);
	if (how != SYS_REF && s->dead)
		err = st_fail(e, -ENOENT, "space %d destroyed", s->id);
	else if ((how == SYS_MAPPED || how == SYS_WRITE_MAPPED) &&
		 !st_find_vma(s, addr))
		err = st_fail(e, -EFAULT, "SIGSEGV: 0x%lx not mapped", addr);
	if (err)
		sys_exit(s, how);
	return err;
}

/* The space of id, referenced and held as @how says (sys_hold()). */
static int sys_enter(unsigned long id, unsigned long addr, enum sys_hold how,
		     struct st_space **sp, struct st_err *e)
{
	*sp = space_get(id, e);
	if (!*sp)
		return -ENOENT;
	return sys_hold(*sp, addr, how, e);
}

/* What the access at addr got instead of its data. */
static int fault_error(struct st_err *e, int err, unsigned long addr)
{
	switch (err) {
	case -ST_SIGBUS:
		return st_fail(e, err, "SIGBUS at 0x%lx", addr);
	case -ST_USERFAULT:
		return st_fail(e, err, "uffd-wp userfault at 0x%lx", addr);
	case -ST_USERFAULT_MISSING:
		return st_fail(e, err, "uffd missing userfault at 0x%lx",
			       addr);
	case -ETIMEDOUT:
		return st_fail(e, err,
			       "0x%lx: timed out at a gate or behind a migration entry",
			       addr);
	case -EINTR:
		return st_fail(e, err, "0x%lx: killed while waiting", addr);
	case -EIO:
		return st_fail(e, err, "0x%lx: page torn or entry corrupt",
			       addr);
	case -EAGAIN:
		return st_fail(e, err, "0x%lx: fault kept retrying", addr);
	case -EBUSY:
		return st_fail(e, err,
			       "0x%lx: the slot has SWAP_HAS_CACHE but no swap-cache page",
			       addr);
	default:
		return st_fail(e, err, "0x%lx: fault failed", addr);
	}
}

int st_sys_space_new(int *id, struct st_err *e)
{
	struct st_space *s = st_space_new();

	if (IS_ERR(s))
		return st_fail(e, PTR_ERR(s), PTR_ERR(s) == -ENOSPC ?
			       "%d spaces already" : "no memory",
			       ST_SPACES_MAX);
	*id = s->id;
	st_space_put(s);
	return 0;
}

/* exit_mmap() of the space; its mmap_lock is taken by the teardown. */
int st_sys_space_destroy(unsigned long id, struct st_err *e)
{
	if (id > ST_SPACES_MAX || st_space_destroy(id))
		return st_fail(e, -ENOENT, "no space %lu", id);
	return 0;
}

/* mmap(MAP_FIXED_NOREPLACE): mmap_lock for write. */
int st_sys_mmap(unsigned long id, unsigned long addr, unsigned long nr,
		enum st_sys_map_kind kind, unsigned long file,
		unsigned long pgoff, struct st_err *e)
{
	static const enum st_vma_kind kinds[] = {
		[ST_SYS_MAP_ANON] = ST_VMA_ANON,
		[ST_SYS_MAP_SHARED] = ST_VMA_SHARED,
		[ST_SYS_MAP_PRIVATE] = ST_VMA_PRIVATE,
	};
	struct st_file *f = NULL;
	struct st_space *s;
	int err;

	s = space_get(id, e);
	if (!s)
		return -ENOENT;
	if (kind != ST_SYS_MAP_ANON) {
		f = file <= ST_FILES_MAX ? st_file_get(file) : NULL;
		if (!f) {
			st_space_put(s);
			return st_fail(e, -ENOENT, "no file %lu", file);
		}
	}
	down_write(&s->mmap_lock);
	if (s->dead)
		err = st_fail(e, -ENOENT, "space %d destroyed", s->id);
	else
		err = st_space_map(s, addr, nr, kinds[kind], f, pgoff);
	up_write(&s->mmap_lock);
	if (err == -EEXIST)
		st_fail(e, err, "overlaps a mapping");
	else if (err == -ENOSPC)
		st_fail(e, err, "%d mappings already", ST_VMAS_MAX);
	if (f)
		st_file_put(f);
	st_space_put(s);
	return err;
}

/* A read or write access that may fault: mmap_lock for read. */
int st_sys_touch(unsigned long id, unsigned long addr, bool write,
		 struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_fault(s, addr, write);
	sys_exit(s, SYS_MAPPED);
	return err ? fault_error(e, err, addr) : 0;
}

int st_sys_write(unsigned long id, unsigned long addr, u64 tag,
		 struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_access_write(s, addr, tag);
	sys_exit(s, SYS_MAPPED);
	return err ? fault_error(e, err, addr) : 0;
}

/* The data at addr, and what the auditor holds it should be. */
int st_sys_read(unsigned long id, unsigned long addr, u64 *tag, u64 *want,
		struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_access_read(s, addr, tag, want);
	sys_exit(s, SYS_MAPPED);
	return err ? fault_error(e, err, addr) : 0;
}

/*
 * A range access that stopped at page done of nr, at addr: the reason of
 * that page's access, after how far the range got.  Locking: the caller
 * holds s's mmap_lock (st_find_vma()).
 */
static int range_error(struct st_space *s, int err, unsigned long done,
		       unsigned long nr, unsigned long addr, struct st_err *e)
{
	struct st_err page;

	if (err == -EFAULT && !st_find_vma(s, addr))
		st_fail(&page, err, "SIGSEGV: 0x%lx not mapped", addr);
	else
		fault_error(&page, err, addr);
	return st_fail(e, err, "stopped after %lu of %lu pages: %s", done, nr,
		       page.why);
}

/*
 * Stores of tag + i to page i of the range, under one hold of the space.
 * Locking: takes the mmap_lock for read, as a process's stores do, for the
 * whole range; the model takes page locks and the ptl page by page.
 */
int st_sys_write_range(unsigned long id, unsigned long addr,
		       unsigned long nr, u64 tag, unsigned long *done,
		       struct st_err *e)
{
	unsigned long where;
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_READ, &s, e);

	*done = 0;
	if (err)
		return err;
	err = st_write_range(s, addr, nr, tag, done, &where);
	if (err)
		range_error(s, err, *done, nr, where, e);
	sys_exit(s, SYS_READ);
	return err;
}

/*
 * Loads of every page of the range against what the auditor expects.
 * Locking: as st_sys_write_range().
 */
int st_sys_read_range(unsigned long id, unsigned long addr, unsigned long nr,
		      unsigned long *done, unsigned long *matched,
		      unsigned long *first_mismatch, struct st_err *e)
{
	struct st_range_read res = { };
	unsigned long where;
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_READ, &s, e);

	if (err)
		return err;
	err = st_read_range(s, addr, nr, &res, &where);
	if (err)
		range_error(s, err, res.read, nr, where, e);
	sys_exit(s, SYS_READ);
	*done = res.read;
	*matched = res.matched;
	*first_mismatch = res.first_mismatch;
	return err;
}

/*
 * MADV_PAGEOUT of the anonymous pages mapped in a range: the pages are
 * gathered under the mmap_lock and reclaimed after it is dropped, as
 * kswapd would.
 */
int st_sys_pageout(unsigned long id, unsigned long addr, unsigned long nr,
		   unsigned long *swapped, unsigned long *skipped,
		   struct st_err *e)
{
	unsigned long i, n, done = 0;
	struct st_page **pages;
	struct st_space *s;
	int err;

	s = space_get(id, e);
	if (!s)
		return -ENOENT;
	pages = kvcalloc(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		st_space_put(s);
		return st_fail(e, -ENOMEM, "no memory");
	}
	err = sys_hold(s, addr, SYS_MAPPED, e);
	if (err)
		goto out;
	n = st_present_pages(s, addr, nr, pages);
	sys_exit(s, SYS_MAPPED);
	for (i = 0; i < n; i++) {
		if (!st_swapout_page(pages[i]))
			done++;
		st_page_put(pages[i]);
	}
	*swapped = done;
	*skipped = n - done;
out:
	kvfree(pages);
	return err;
}

/* MADV_DONTNEED: mmap_lock for read. */
int st_sys_zap(unsigned long id, unsigned long addr, unsigned long nr,
	       unsigned long *zapped, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	*zapped = st_zap_range(s, addr, addr + nr * PAGE_SIZE);
	sys_exit(s, SYS_MAPPED);
	return 0;
}

/*
 * fork(): the child is created (and visible by its id) first, then
 * dup_mmap() copies under both mmap_locks for write, taken in id order.
 */
int st_sys_fork(unsigned long id, int *child, struct st_err *e)
{
	struct st_space *src, *dst;
	int err;

	src = space_get(id, e);
	if (!src)
		return -ENOENT;
	dst = st_space_new();
	if (IS_ERR(dst)) {
		st_space_put(src);
		return st_fail(e, PTR_ERR(dst), "fork failed");
	}
	st_space_lock_two(src, dst, true);
	if (src->dead)
		err = st_fail(e, -ENOENT, "space %d destroyed", src->id);
	else
		err = st_fork_copy(src, dst);
	if (err == -ELOOP)
		st_fail(e, err,
			"fork failed: one swap entry retried %d times, the model's bound (with dup_errors=series_v5 the code loops for ever)",
			ST_DUP_RETRIES);
	else if (err == -ENOENT && !src->dead)
		st_fail(e, err,
			"fork failed: copy_pte_range() got swap_duplicate()'s error for a swap pte whose slot is free");
	else if (err && err != -ENOENT)
		st_fail(e, err, "fork failed");
	st_space_unlock_two(src, dst, true);
	st_space_put(src);
	if (err)
		st_space_destroy(dst->id);
	else
		*child = dst->id;
	st_space_put(dst);
	return err;
}

/* Fault injection (inject.c): the pte stays, one count of its slot goes. */
int st_sys_drop_count(unsigned long id, unsigned long addr,
		      unsigned long *slot, unsigned long *count,
		      struct st_err *e)
{
	struct st_slot_info info;
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	*slot = ULONG_MAX;
	err = st_inject_drop_swap_count(s, addr, slot);
	sys_exit(s, SYS_MAPPED);
	if (err && *slot == ULONG_MAX)
		return st_fail(e, err, "0x%lx holds no swap pte", addr);
	if (err == -ENOENT)
		return st_fail(e, err, "slot %lu of 0x%lx is already free",
			       *slot, addr);
	if (err)
		return st_fail(e, err, "slot %lu of 0x%lx has no map count",
			       *slot, addr);
	st_swap_query(*slot, &info);
	*count = info.count;
	return 0;
}

/*
 * The entry at addr, decoded into buf: mmap_lock for read, the table lock
 * inside.  A destroyed space shows none.
 */
int st_sys_pte(unsigned long id, unsigned long addr, char *buf, size_t size,
	       struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_REF, &s, e);

	if (err)
		return err;
	down_read(&s->mmap_lock);
	st_space_format_entry(s, addr, buf, size);
	up_read(&s->mmap_lock);
	st_space_put(s);
	return 0;
}

/*
 * The PMD-sized extent at addr swapped out as one entry (seed 000), under
 * the mmap_lock for write: the model frees the extent's PTE table
 * (thp.c), and a table goes only where no fault can hold a pte of it.
 */
int st_sys_pageout_pmd(unsigned long id, unsigned long addr,
		       unsigned long *slot, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_WRITE_MAPPED, &s, e);

	if (err)
		return err;
	err = st_swapout_pmd(s, addr, slot);
	sys_exit(s, SYS_WRITE_MAPPED);
	switch (err) {
	case 0:
		return 0;
	case -EINVAL:
		return st_fail(e, err,
			       "0x%lx: not PMD-aligned, or no anonymous mapping covers the PMD",
			       addr);
	case -ENOENT:
		return st_fail(e, err,
			       "0x%lx: not every page of the PMD is present",
			       addr);
	case -EBUSY:
		return st_fail(e, err,
			       "0x%lx: a page is shared, KSM, file or uffd-wp",
			       addr);
	case -ENOSPC:
		return st_fail(e, err, "no free cluster");
	default:
		return st_fail(e, err, "0x%lx: a page is busy", addr);
	}
}

int st_sys_split_pmd(unsigned long id, unsigned long addr, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_split_pmd_swap(s, addr);
	sys_exit(s, SYS_MAPPED);
	if (err == -ENOENT)
		return st_fail(e, err, "no PMD swap entry at 0x%lx", addr);
	if (err)
		return st_fail(e, err, "no memory for a PTE table");
	return 0;
}

/*
 * UFFDIO_REGISTER_MODE_WP and UFFDIO_WRITEPROTECT over a range: the
 * mmap_lock for write, as userfaultfd_register() takes it.
 */
int st_sys_uffd_wp(unsigned long id, unsigned long addr, unsigned long nr,
		   bool on, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_REF, &s, e);

	if (err)
		return err;
	if (!ST_HAVE_UFFD_WP) {
		st_space_put(s);
		return st_fail(e, -EOPNOTSUPP, "no uffd-wp in this kernel");
	}
	err = sys_hold(s, addr, SYS_WRITE, e);
	if (err)
		return err;
	st_uffd_wp(s, addr, addr + nr * PAGE_SIZE, on);
	sys_exit(s, SYS_WRITE);
	return 0;
}

/*
 * The page at addr behind a migration entry (mmap_lock read), or back.
 * remove_migration_ptes() takes no mmap_lock: a fault waiting on the
 * migration entry holds it for read, and with a writer queued behind that
 * fault, end would wait for the fault that waits for end.
 */
int st_sys_migrate(unsigned long id, unsigned long addr, bool begin,
		   unsigned long *pfn, struct st_err *e)
{
	enum sys_hold how = begin ? SYS_READ : SYS_REF;
	struct st_space *s;
	int err = sys_enter(id, addr, how, &s, e);

	if (err)
		return err;
	err = begin ? st_migrate_begin(s, addr, pfn) :
		      st_migrate_end(s, addr, pfn);
	sys_exit(s, how);
	if (err == -ENOENT)
		return st_fail(e, err, begin ? "no page mapped at 0x%lx" :
			       "no migration entry at 0x%lx", addr);
	if (err == -EBUSY)
		return st_fail(e, err, "0x%lx: page in swap cache or KSM",
			       addr);
	if (err)
		return st_fail(e, err, "0x%lx: page busy", addr);
	return 0;
}

/* memory_failure() of the anonymous page at addr: mmap_lock read. */
int st_sys_poison(unsigned long id, unsigned long addr, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_READ, &s, e);

	if (err)
		return err;
	err = st_poison(s, addr);
	sys_exit(s, SYS_READ);
	if (err == -ENOENT)
		return st_fail(e, err, "no anonymous page mapped at 0x%lx",
			       addr);
	if (err)
		return st_fail(e, err, "0x%lx: page busy or in swap cache",
			       addr);
	return 0;
}

/* MADV_POPULATE_READ/WRITE: mmap_lock for read; *done pages were. */
int st_sys_populate(unsigned long id, unsigned long addr, unsigned long nr,
		    bool write, unsigned long *done, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_populate(s, addr, addr + nr * PAGE_SIZE, write, done);
	sys_exit(s, SYS_MAPPED);
	addr += *done << PAGE_SHIFT;
	if (err == -ENOMEM)
		return st_fail(e, err, "0x%lx: not mapped", addr);
	if (err)
		return fault_error(e, err, addr);
	return 0;
}

/* ---- seed 004: the pte_none_mostly() callers (marker.c) */

/* The memcg charge move of a task: mmap_lock for read. */
int st_sys_charge_move(unsigned long id, unsigned long addr,
		       unsigned long nr, unsigned long *moved,
		       struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	*moved = st_charge_move(s, addr, addr + nr * PAGE_SIZE);
	sys_exit(s, SYS_MAPPED);
	return 0;
}

/* UFFDIO_REGISTER_MODE_MISSING: mmap_lock for write. */
int st_sys_uffd_missing(unsigned long id, unsigned long addr,
			unsigned long nr, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_WRITE, &s, e);

	if (err)
		return err;
	err = st_uffd_missing(s, addr, addr + nr * PAGE_SIZE);
	sys_exit(s, SYS_WRITE);
	if (err == -EINVAL)
		return st_fail(e, err,
			       "missing mode is modelled for shared file mappings only");
	if (err == -EFAULT)
		return st_fail(e, err, "SIGSEGV: range not mapped");
	return err;
}

/* UFFDIO_COPY: mmap_lock for read. */
int st_sys_uffd_copy(unsigned long id, unsigned long addr, u64 tag, bool wp,
		     struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_uffd_copy(s, addr, tag, wp);
	sys_exit(s, SYS_MAPPED);
	switch (err) {
	case 0:
		return 0;
	case -ENOENT:
		return st_fail(e, err, "0x%lx: not registered with userfaultfd",
			       addr);
	case -EINVAL:
		return st_fail(e, err,
			       "0x%lx: the model copies into shared file mappings only",
			       addr);
	case -EEXIST:
		return st_fail(e, err, "0x%lx: already populated", addr);
	case -EFAULT:
		return st_fail(e, err, "0x%lx: beyond the end of the file",
			       addr);
	default:
		return st_fail(e, err, "0x%lx: no memory", addr);
	}
}

/* mincore(): mmap_lock for read; vec holds nr entries. */
int st_sys_mincore(unsigned long id, unsigned long addr, unsigned long nr,
		   unsigned char *vec, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	st_mincore(s, addr, nr, vec);
	sys_exit(s, SYS_MAPPED);
	return 0;
}

/* hmm_range_fault() of one page: mmap_lock for read. */
int st_sys_hmm_fault(unsigned long id, unsigned long addr, u64 *tag,
		     u64 *want, struct st_err *e)
{
	struct st_space *s;
	int err = sys_enter(id, addr, SYS_MAPPED, &s, e);

	if (err)
		return err;
	err = st_hmm_fault(s, addr, tag);
	*want = st_expect_at(s, st_find_vma(s, addr), addr);
	sys_exit(s, SYS_MAPPED);
	if (err == -ST_HMM_EFAULT)
		return st_fail(e, -EFAULT, "hmm_range_fault: -EFAULT at 0x%lx",
			       addr);
	if (err == -EBUSY)
		return st_fail(e, err, "0x%lx: walk kept retrying", addr);
	if (err)
		return fault_error(e, err, addr);
	return 0;
}

/*
 * KSM merging the anonymous page at addr1 of one space into addr2 of
 * another (or the same): both mmap_locks for read, lower id first.
 */
int st_sys_ksm_merge(unsigned long id1, unsigned long addr1,
		     unsigned long id2, unsigned long addr2, struct st_err *e)
{
	struct st_space *s1, *s2;
	int err;

	s1 = space_get(id1, e);
	if (!s1)
		return -ENOENT;
	s2 = space_get(id2, e);
	if (!s2) {
		st_space_put(s1);
		return -ENOENT;
	}
	st_space_lock_two(s1, s2, false);
	if (s1->dead || s2->dead)
		err = st_fail(e, -ENOENT, "space %d destroyed",
			      s1->dead ? s1->id : s2->id);
	else
		err = st_ksm_merge(s1, addr1, s2, addr2);
	if (err == -EINVAL)
		st_fail(e, err, "pages differ");
	else if (err == -ENOENT && !s1->dead && !s2->dead)
		st_fail(e, err, "need two distinct anonymous pages");
	else if (err && err != -ENOENT)
		st_fail(e, err, "a page is busy or in swap cache");
	st_space_unlock_two(s1, s2, false);
	st_space_put(s2);
	st_space_put(s1);
	return err;
}
