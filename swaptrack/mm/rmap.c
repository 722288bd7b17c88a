// SPDX-License-Identifier: GPL-2.0
/*
 * The rmap walk of the model.  It has no anon_vma or i_mmap: a page's
 * mappings are found by looking at every pte of every space for its pfn,
 * as try_to_unmap(), try_to_migrate() and the KSM and hwpoison rmap walks
 * of the kernel find them through the rmap.
 */
#include <linux/lockdep.h>

#include "mm/rmap.h"
#include "mm/space.h"
#include "swapdev/page.h"

/*
 * Call fn on every pte of the space's PTE tables, table lock held (a
 * destroyed space has no tables left).  Stops at the first non-zero
 * return of fn and returns it.
 */
static int walk_ptes(struct st_space *s, st_pte_fn fn, void *arg)
{
	unsigned long addr, i;
	pte_t *ptep;
	int ret;

	lockdep_assert_held(&s->ptl);
	for (addr = ST_SPACE_BASE; addr < ST_SPACE_END && s->pt.pmd;
	     addr += PMD_SIZE) {
		ptep = st_pte_offset(&s->pt, addr);
		for (i = 0; ptep && i < PTRS_PER_PTE; i++) {
			ret = fn(s, addr + i * PAGE_SIZE, ptep + i, arg);
			if (ret)
				return ret;
		}
	}
	return 0;
}

struct rmap_arg {
	st_pte_fn fn;
	void *arg;
};

static int rmap_space(struct st_space *s, void *data)
{
	struct rmap_arg *a = data;
	int ret;

	spin_lock(&s->ptl);
	ret = walk_ptes(s, a->fn, a->arg);
	spin_unlock(&s->ptl);
	return ret;
}

/*
 * Call fn on every pte of every live space, in id order, each space's
 * table lock held around its ptes; stops at the first non-zero return of
 * fn and returns it.  fn may change the pte, not the tables.
 *
 * Locking: the caller holds the page lock of the page it looks for (or
 * nothing that a space's ptl nests in); takes each space's ptl in turn,
 * and the space registry's lock to find the spaces.  No mmap_lock: as the kernel's
 * rmap walk, this runs beside faults and exit_mmap(), which frees the
 * tables under the ptl.
 */
int st_rmap_walk(st_pte_fn fn, void *arg)
{
	struct rmap_arg a = { .fn = fn, .arg = arg };

	return st_space_for_each(rmap_space, &a);
}

/*
 * The page mapped at addr, referenced; NULL if none.
 *
 * Locking: the caller holds the mmap_lock; takes the ptl.
 */
struct st_page *st_present_page(struct st_space *s, unsigned long addr)
{
	struct st_pte_info info;
	struct st_page *p = NULL;
	pte_t *ptep;

	spin_lock(&s->ptl);
	ptep = st_pte_offset(&s->pt, addr);
	if (ptep) {
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT)
			p = st_page_get_pfn(info.pfn);
	}
	spin_unlock(&s->ptl);
	return p;
}

/* The anonymous page mapped at addr, referenced: as st_present_page(). */
struct st_page *st_present_anon_page(struct st_space *s, unsigned long addr)
{
	struct st_page *p = st_present_page(s, addr);

	if (p && !st_page_anon(p)) {
		st_page_put(p);
		p = NULL;
	}
	return p;
}

struct xform_arg {
	struct st_page *p;
	unsigned long pfn;
	enum st_pte_kind kind;		/* entries of this kind and pfn */
	st_pte_xform fn;
	void *arg;
	unsigned long n;
};

static int xform_pte(struct st_space *s, unsigned long addr, pte_t *ptep,
		     void *data)
{
	struct xform_arg *a = data;
	struct st_pte_info info;

	st_pte_decode(ptep_get(ptep), &info);
	if (info.kind == a->kind && info.pfn == a->pfn) {
		st_set_pte(ptep, a->fn(a->p, ptep_get(ptep), a->arg));
		a->n++;
	}
	return 0;
}

/*
 * Replace every entry of this kind and pfn, in every space, with what fn
 * makes of it; returns how many.
 *
 * Locking: as st_rmap_walk(); the caller holds the page lock of p.
 */
unsigned long st_rmap_replace(struct st_page *p, unsigned long pfn,
			      enum st_pte_kind kind, st_pte_xform fn,
			      void *arg)
{
	struct xform_arg a = {
		.p = p, .pfn = pfn, .kind = kind, .fn = fn, .arg = arg,
	};

	st_rmap_walk(xform_pte, &a);
	return a.n;
}
