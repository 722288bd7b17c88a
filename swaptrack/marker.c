// SPDX-License-Identifier: GPL-2.0
/*
 * The pte_none() callers of seed 004 (the uffd-wp "special swap pte" of
 * 2021, merged in 5.19 as the pte marker).
 *
 * A marker is a non-present, non-swap pte that carries nothing but the
 * uffd-wp state of a file page that is not mapped.  pte_none() is false
 * for it, so every caller of pte_none() has to decide whether it means
 * "nothing here" or "no page here, maybe a marker" (pte_none_mostly()).
 * Alistair Popple asked whether pte_none() should simply say true for it;
 * Peter Xu kept pte_none() as it was and changed the callers one by one.
 *
 * The marker_none switch: "strict" is every caller with plain pte_none(),
 * "mostly" (the default) is the callers that mean "none or marker" saying
 * so.  The callers kept here are the ones that only walk: populate, the
 * memcg charge move, migrate_vma collection and the rmap walk.  The fault
 * is in fault.c and the zap in zap.c, each next to what it changes.
 */
#include <linux/sched.h>
#include <linux/xarray.h>

#include "fault.h"
#include "gate.h"
#include "marker.h"
#include "page.h"
#include "policy.h"
#include "shmem.h"
#include "space.h"

/* pte_none_mostly() where the policy says so, pte_none() otherwise. */
bool st_pte_none_mostly(pte_t pte)
{
	if (pte_none(pte))
		return true;
	return st_policy(ST_POL_MARKER_NONE) == ST_MARKER_MOSTLY &&
	       is_pte_marker(pte);
}

/* The entry at addr; none where no table covers it.  ptl held. */
static pte_t read_pte(struct st_space *s, unsigned long addr)
{
	pte_t *ptep = st_pte_offset(&s->pt, addr);

	return ptep ? ptep_get(ptep) : __pte(0);
}

static pte_t read_pte_locked(struct st_space *s, unsigned long addr)
{
	pte_t pte;

	spin_lock(&s->ptl);
	pte = read_pte(s, addr);
	spin_unlock(&s->ptl);
	return pte;
}

/* Mapped as the access needs: nothing to fault in. */
static bool populated(pte_t pte, bool write)
{
	return pte_present(pte) && (!write || pte_write(pte));
}

/*
 * MADV_POPULATE_READ / _WRITE: fault in every page of the range that is not
 * mapped as the access needs, as a read or a write.  The entry is peeked
 * at without the lock first; the walker then parks at marker.walk (with
 * mmap_lock for read: a zap or a fault of another thread may run) and
 * reads it again under the lock, as follow_page_pte() does.
 *
 * strict: a marker is not none, not present, and no swap entry to swap
 * in: the walker leaves it, and a write populate passes a page that is
 * write-protected.  mostly: a marker is a page to fault in; the fault
 * keeps the protection, and a write raises the userfault.
 *
 * Caller holds mmap_lock for read.  Returns 0, a fault's error, the gate's
 * -ETIMEDOUT / -EINTR, or -ENOMEM at a hole in the mappings.
 */
int st_populate(struct st_space *s, unsigned long start, unsigned long end,
		bool write, unsigned long *done, unsigned long *skipped)
{
	unsigned long addr;
	pte_t pte;
	int err;

	*done = 0;
	*skipped = 0;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (!st_find_vma(s, addr))
			return -ENOMEM;
		if (populated(read_pte_locked(s, addr), write)) {
			(*done)++;
			continue;
		}
		err = st_gate(ST_GATE_MARKER_WALK);
		if (err)
			return err;
		pte = read_pte_locked(s, addr);
		if (is_pte_marker(pte) && !st_pte_none_mostly(pte)) {
			(*skipped)++;
			continue;
		}
		if (!populated(pte, write)) {
			err = st_fault(s, addr, write);
			if (err)
				return err;
		}
		(*done)++;
		cond_resched();
	}
	return 0;
}

/*
 * mem_cgroup_move_charge_pte_range() / get_mctgt_type(): what each entry of
 * the range has a charge to move for.  A page of the file may hide behind
 * a marker as well as behind a none pte (Peter Xu: "the page/swap cache
 * could hide behind the special pte just like a none pte").
 *
 * strict: the marker is taken for a swap pte, mc_handle_swap_pte() finds a
 * non-swap entry and moves nothing: the file page stays charged to the
 * old group.  mostly: mc_handle_file_pte() finds the page.
 */
void st_charge_move(struct st_space *s, unsigned long start,
		    unsigned long end, struct st_charge_move *mc)
{
	struct st_pte_info info;
	unsigned long addr;
	struct st_vma *v;
	pte_t pte;

	memset(mc, 0, sizeof(*mc));
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			continue;
		spin_lock(&s->ptl);
		pte = read_pte(s, addr);
		st_pte_decode(pte, &info);
		if (info.kind == ST_PTE_PRESENT)
			mc->present++;
		else if (st_pte_none_mostly(pte) && v->file &&
			 xa_load(&v->file->pages, st_vma_index(v, addr)))
			mc->file++;	/* a page, or shmem's swap entry */
		else if (info.kind == ST_PTE_SWAP)
			mc->swap++;
		else
			mc->none++;	/* non_swap_entry(), or nothing */
		spin_unlock(&s->ptl);
	}
}

/*
 * migrate_vma_collect_pmd(): a none pte of an anonymous mapping is a hole
 * to migrate into, a present page is collected, and of the non-present
 * entries only device-private ones (none in the model) are migratable.
 *
 * strict: a marker goes with the non-present entries, ignored as a
 * swapped-out page would be.  mostly: it is a hole, as the 2021 patch
 * wrote (pte_none(pte) || is_swap_special_pte(pte)); markers live only in
 * file mappings, whose holes are not migrated either way.
 */
void st_migrate_collect(struct st_space *s, unsigned long start,
			unsigned long end, struct st_collect *c)
{
	unsigned long addr;
	struct st_vma *v;
	pte_t pte;

	memset(c, 0, sizeof(*c));
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			continue;
		pte = read_pte_locked(s, addr);
		if (st_pte_none_mostly(pte)) {
			c->holes++;
			if (st_vma_is_anon(v))
				c->collected++;
		} else if (pte_present(pte)) {
			c->collected++;
		} else {
			c->ignored++;
		}
	}
}

struct rmap_walk {
	struct st_file *f;
	unsigned long index;
	unsigned long pfn;
	unsigned long walked;
};

/*
 * check_pte() of page_vma_mapped_walk(): does this entry map the page?
 * The walk steps over none entries.  strict: it stops at a marker and
 * takes it for a mapping of the page.  mostly: a marker maps nothing and
 * is stepped over too, left in place for the fault to deal with (Alistair
 * Popple: "check_pte returns false for special pte's").
 */
static bool check_pte(pte_t pte, unsigned long pfn)
{
	if (st_pte_none_mostly(pte))
		return false;
	if (pte_present(pte))
		return pte_pfn(pte) == pfn;
	return is_pte_marker(pte);
}

static int rmap_walk_space(struct st_space *s, void *data)
{
	struct rmap_walk *w = data;
	unsigned long addr;
	struct st_vma *v;
	unsigned int i;

	down_read(&s->mmap_lock);
	for (i = 0; i < s->nr_vmas && !s->dead; i++) {
		v = &s->vmas[i];
		if (v->file != w->f || w->index < v->pgoff ||
		    w->index >= st_vma_index(v, v->end))
			continue;
		addr = v->start + ((w->index - v->pgoff) << PAGE_SHIFT);
		spin_lock(&s->ptl);
		if (check_pte(read_pte(s, addr), w->pfn))
			w->walked++;
		spin_unlock(&s->ptl);
	}
	up_read(&s->mmap_lock);
	return 0;
}

/*
 * rmap_walk_file() over the file page at index: the ptes that
 * page_vma_mapped_walk() takes for mappings of it (what try_to_unmap() and
 * folio_referenced() would then act on), against its mapcount.  -ENOENT
 * if the index holds no page, -ERANGE beyond the end of the file.
 */
int st_rmap_walk(struct st_file *f, unsigned long index,
		 unsigned long *walked, int *mapcount)
{
	struct rmap_walk w = { .f = f, .index = index };
	struct st_page *p;
	void *entry;

	mutex_lock(&f->lock);
	if (index >= f->size) {
		mutex_unlock(&f->lock);
		return -ERANGE;
	}
	entry = xa_load(&f->pages, index);
	if (!entry || xa_is_value(entry)) {
		mutex_unlock(&f->lock);
		return -ENOENT;
	}
	p = entry;
	st_page_get(p);
	mutex_unlock(&f->lock);
	w.pfn = st_page_pfn(p);
	st_space_for_each(rmap_walk_space, &w);
	*walked = w.walked;
	*mapcount = atomic_read(&p->mapcount);
	st_page_put(p);
	return 0;
}
