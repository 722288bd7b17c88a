// SPDX-License-Identifier: GPL-2.0
/*
 * zap_pte_range() without zap_details: MADV_DONTNEED, munmap and exit_mmap.
 *
 * A present pte drops its page reference and mapcount; a swap pte drops
 * its slot reference through free_swap_and_cache(), which only trylocks the
 * swap-cache page; markers, migration and hwpoison entries are simply
 * cleared.  What the range should hold is forgotten with it.
 */
#include "page.h"
#include "space.h"
#include "swapcache.h"
#include "zap.h"

static void zap_one(struct st_space *s, unsigned long addr, pte_t *ptep)
{
	struct st_pte_info info;
	struct st_page *p;

	st_pte_decode(ptep_get(ptep), &info);
	set_pte(ptep, __pte(0));
	switch (info.kind) {
	case ST_PTE_PRESENT:
		p = st_page_get_pfn(info.pfn);
		if (WARN_ON_ONCE(!p))
			break;
		atomic_dec(&p->mapcount);
		st_page_put(p);		/* the pte's reference */
		st_page_put(p);
		break;
	case ST_PTE_SWAP:
		st_free_swap_and_cache(info.slot);
		break;
	default:
		break;
	}
}

/* Caller holds mmap_lock (read or write). Returns the entries zapped. */
unsigned long st_zap_range(struct st_space *s, unsigned long start,
			   unsigned long end)
{
	unsigned long addr, n = 0;
	pte_t *ptep;

	spin_lock(&s->ptl);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		st_expect_clear(s, addr);
		ptep = st_pte_offset(&s->pt, addr);
		if (!ptep || pte_none(ptep_get(ptep)))
			continue;
		zap_one(s, addr, ptep);
		n++;
	}
	spin_unlock(&s->ptl);
	return n;
}
