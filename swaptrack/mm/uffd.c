// SPDX-License-Identifier: GPL-2.0
/*
 * userfaultfd: UFFDIO_REGISTER of missing and write-protect modes, and
 * UFFDIO_WRITEPROTECT.  The uffd-wp bit goes on present and swap ptes; on
 * a none pte of a file mapping it goes into a pte marker, since there is
 * nothing else to carry it (seed 004).  Protecting registers the range.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/uffd.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "race/gate.h"
#include "swapdev/page.h"

/*
 * UFFDIO_REGISTER_MODE_MISSING over [start, end) (seed 004): a fault on a
 * hole of the file then raises a missing userfault, answered with
 * UFFDIO_COPY.  Modelled for shared file mappings only: -EINVAL if any
 * mapping of the range is another kind, -EFAULT if part of it is unmapped.
 *
 * Locking: the caller holds the mmap_lock for write, the space alive;
 * takes the ptl.
 */
int st_uffd_missing(struct st_space *s, unsigned long start,
		    unsigned long end)
{
	unsigned long addr;
	struct st_vma *v;
	int err = 0;

	lockdep_assert_held_write(&s->mmap_lock);
	for (addr = start; addr < end && !err; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		if (!v)
			err = -EFAULT;
		else if (v->kind != ST_VMA_SHARED)
			err = -EINVAL;
	}
	spin_lock(&s->ptl);
	for (addr = start; addr < end && !err; addr += PAGE_SIZE)
		st_find_vma(s, addr)->uffd_missing = true;
	spin_unlock(&s->ptl);
	return err;
}

/*
 * UFFDIO_REGISTER_MODE_WP over [start, end), then UFFDIO_WRITEPROTECT on
 * or off: present, swap and migration ptes get or lose the bit; a none pte
 * of a file mapping gets a marker.
 *
 * Locking: the caller holds the mmap_lock for write, the space alive;
 * takes the ptl (a table allocation in between, without it).
 */
void st_uffd_wp(struct st_space *s, unsigned long start, unsigned long end,
		bool on)
{
	struct st_pte_info info;
	unsigned long addr;
	struct st_vma *v;
	pte_t *ptep, pte;
	unsigned int i;

	lockdep_assert_held_write(&s->mmap_lock);
	spin_lock(&s->ptl);
	for (i = 0; i < s->nr_vmas; i++)
		if (start < s->vmas[i].end && end > s->vmas[i].start)
			s->vmas[i].uffd_wp = true;	/* UFFDIO_REGISTER */
	spin_unlock(&s->ptl);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		/* between two ptes: mmap_lock for write; cannot fail: goes on */
		if (addr != start)
			st_gate(ST_GATE_UFFD_WP_NEXT);
		v = st_find_vma(s, addr);
		if (!v)
			continue;
		/* a marker may need a table where there is none yet */
		ptep = on && !st_vma_is_anon(v) ? st_pte_get_alloc(s, addr) :
		       st_pte_offset(&s->pt, addr);
		st_wp_expect(s, addr, on && (ptep || st_vma_is_anon(v)));
		if (!ptep)
			continue;
		spin_lock(&s->ptl);
		pte = ptep_get(ptep);
		st_pte_decode(pte, &info);
		switch (info.kind) {
		case ST_PTE_PRESENT:
			pte = on ? st_pte_mkuffd_wp(pte) : pte_clear_uffd_wp(pte);
			break;
		case ST_PTE_SWAP:
		case ST_PTE_MIGRATION:
			pte = on ? pte_swp_mkuffd_wp(pte) :
				   pte_swp_clear_uffd_wp(pte);
			break;
		case ST_PTE_NONE:
			if (on && !st_vma_is_anon(v))
				pte = make_pte_marker(PTE_MARKER_UFFD_WP);
			break;
		case ST_PTE_MARKER:
			if (!on)
				pte = __pte(0);
			break;
		default:
			break;
		}
		st_set_pte(ptep, pte);
		spin_unlock(&s->ptl);
	}
	/* anon none ptes carry nothing: nothing there to protect */
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		v = st_find_vma(s, addr);
		ptep = st_pte_offset(&s->pt, addr);
		if (v && st_vma_is_anon(v) &&
		    (!ptep || pte_none(ptep_get(ptep))))
			st_wp_expect(s, addr, false);
	}
}
