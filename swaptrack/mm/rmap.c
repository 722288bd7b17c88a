// SPDX-License-Identifier: GPL-2.0
/*
 * The rmap walk of the model, rmap_walk() of the kernel: a page's
 * mappings are found through its rmap, never by looking at every space.
 * An anonymous page names its lineage and address (anon.c); a file page
 * is found through the vmas on its file's i_mmap (i_mmap.c); a KSM page
 * through its own lineage and its rmap items (ksm.c).  try_to_unmap(),
 * try_to_migrate(), KSM and hwpoison use st_rmap_walk_page().
 *
 * st_rmap_walk(), every pte of every space, is left for a page that has
 * no rmap and is still mapped, which should not happen: it is counted
 * (rmap_walks_all in the stats file) so that a test can assert it is not
 * used.
 */
#include <linux/lockdep.h>

#include "mm/anon.h"
#include "mm/file.h"
#include "mm/i_mmap.h"
#include "mm/rmap.h"
#include "mm/space.h"
#include "swapdev/page.h"

static atomic_long_t st_rmap_walks_all = ATOMIC_LONG_INIT(0);

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

/* The whole-world walks made for pages without an rmap, for the stats. */
unsigned long st_rmap_walks_all_count(void)
{
	return atomic_long_read(&st_rmap_walks_all);
}

/*
 * rmap_walk_ksm(): the page's own lineage at its own address, then each
 * rmap item's lineage at the item's address.
 */
static int rmap_walk_ksm(struct st_page *p, st_pte_fn fn, void *arg)
{
	struct st_rmap_item *it;
	int ret;

	ret = st_anon_walk(p->anon_root, p->index << PAGE_SHIFT, fn, arg);
	list_for_each_entry(it, &p->rmap_items, node) {
		if (ret)
			break;
		ret = st_anon_walk(it->anon_root, it->addr, fn, arg);
	}
	return ret;
}

/*
 * rmap_walk(): fn on the ptes that can map p, and only those: each
 * space's pte at the address the rmap gives, the space's ptl held around
 * it (fn checks that the pte maps p).  Stops at the first non-zero return
 * of fn and returns it.  A page with no rmap that is still mapped (none
 * should be) falls back to every pte of every space, counted.
 *
 * Locking: the caller holds p's page lock, no ptl; takes the lineage
 * rwsems or the file's i_mmap_rwsem for read, then each space's ptl.
 */
int st_rmap_walk_page(struct st_page *p, st_pte_fn fn, void *arg)
{
	struct st_file *f = READ_ONCE(p->file);

	if (f)
		return st_i_mmap_walk_page(f, p->index, fn, arg);
	if (st_page_test(p, ST_PG_KSM))
		return rmap_walk_ksm(p, fn, arg);
	if (p->anon_root)
		return st_anon_walk(p->anon_root, p->index << PAGE_SHIFT, fn,
				    arg);
	if (!atomic_read(&p->mapcount))
		return 0;
	atomic_long_inc(&st_rmap_walks_all);
	return st_rmap_walk(fn, arg);
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
 * Replace every entry of this kind and pfn that via's rmap reaches with
 * what fn makes of it (fn is given p); returns how many.
 * remove_migration_ptes() walks the new page's rmap for the old page's
 * entries: the old one has left its file's index by then.
 *
 * Locking: as st_rmap_walk_page(); the caller holds the page lock of p
 * (and of via, unless nobody else can see it yet).
 */
unsigned long st_rmap_replace_via(struct st_page *via, struct st_page *p,
				  unsigned long pfn, enum st_pte_kind kind,
				  st_pte_xform fn, void *arg)
{
	struct xform_arg a = {
		.p = p, .pfn = pfn, .kind = kind, .fn = fn, .arg = arg,
	};

	st_rmap_walk_page(via, xform_pte, &a);
	return a.n;
}

/*
 * Replace every entry of this kind and pfn that p's rmap reaches with
 * what fn makes of it; returns how many.
 *
 * Locking: as st_rmap_walk_page(); the caller holds the page lock of p.
 */
unsigned long st_rmap_replace(struct st_page *p, unsigned long pfn,
			      enum st_pte_kind kind, st_pte_xform fn,
			      void *arg)
{
	return st_rmap_replace_via(p, p, pfn, kind, fn, arg);
}
