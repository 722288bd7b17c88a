// SPDX-License-Identifier: GPL-2.0
/*
 * Stores and loads over a range of pages, under one hold of the space.
 *
 * Page i of a write-range gets tag + i.  A page that is not there yet in
 * an anonymous mapping (a none pte, not a marker, not under a PMD swap
 * entry) is allocated already holding its tag and mapped writable and
 * dirty, as do_anonymous_page() followed by the store would leave it: one
 * fill, where the single "space write" fills it three times (junk at the
 * allocation, zeroes at the fault, the tag).  Every other page takes the
 * path of the single access, st_access_write() or st_access_read().
 */
#include <linux/mm.h>
#include <linux/sched.h>

#include "mm/batch.h"
#include "mm/compat.h"
#include "mm/fault.h"
#include "mm/mmap.h"
#include "mm/space.h"
#include "swapdev/page.h"

/*
 * The store to a none pte of an anonymous mapping, filling the page once.
 * -EAGAIN when the pte is anything else: the caller takes the slow path.
 * Locking: mmap_lock for read held; takes the ptl.
 */
static int write_fresh(struct st_space *s, unsigned long addr, u64 tag)
{
	struct st_pte_info info;
	pte_t *ptep, orig;
	int err;

	if (st_pmd_is_swap(st_pmdp_get(st_pmd_offset(&s->pt, addr))))
		return -EAGAIN;
	ptep = st_pte_get_alloc(s, addr);
	if (!ptep)
		return -ENOMEM;
	orig = ptep_get(ptep);
	st_pte_decode(orig, &info);
	if (info.kind != ST_PTE_NONE)
		return -EAGAIN;
	err = st_expect_reserve(s, addr);
	return err ?: st_fault_anon_tagged(s, addr, ptep, orig, tag);
}

/* Locking: see batch.h. */
int st_write_range(struct st_space *s, unsigned long addr, unsigned long nr,
		   u64 tag, unsigned long *done, unsigned long *where)
{
	struct st_vma *v;
	unsigned long i;
	int err = 0;

	for (i = 0; i < nr; i++, addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v) {
			err = -EFAULT;	/* SIGSEGV: entry tells it apart */
			break;
		}
		err = -EAGAIN;
		if (st_vma_is_anon(v))
			err = write_fresh(s, addr, tag + i);
		if (err == -EAGAIN)
			err = st_access_write(s, addr, tag + i);
		if (err)
			break;
		cond_resched();
	}
	*done = i;
	*where = addr;
	return err;
}

/* Locking: see batch.h. */
int st_read_range(struct st_space *s, unsigned long addr, unsigned long nr,
		  struct st_range_read *res, unsigned long *where)
{
	struct st_vma *v;
	unsigned long i;
	int err = 0;
	u64 tag, want;

	res->matched = 0;
	res->first_mismatch = 0;
	for (i = 0; i < nr; i++, addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v) {
			err = -EFAULT;	/* SIGSEGV: entry tells it apart */
			break;
		}
		err = st_access_read(s, addr, &tag, &want);
		if (err)
			break;
		if (tag == want)
			res->matched++;
		else if (!res->first_mismatch)
			res->first_mismatch = addr;
		cond_resched();
	}
	res->read = i;
	*where = addr;
	return err;
}
