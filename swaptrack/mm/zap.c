// SPDX-License-Identifier: GPL-2.0
/*
 * zap_pte_range() and unmap_mapping_range().
 *
 * Without details (MADV_DONTNEED) everything goes, but a file mapping
 * registered for uffd-wp keeps its write-protection as a pte marker.
 * With details, what stays depends on zap_details (seed 001):
 *  - skip_swap (up to 5.17: "If details->check_mapping, we leave swap
 *    entries"): every non-present entry, even on truncate.
 *  - even_cows (5.18+ and 6.12's zap_nonpresent_ptes(); Peter Xu's "mm:
 *    Rework zap ptes on swap entries" v4/v5, merged as "mm: don't skip swap
 *    entry even if zap_details specified", "mm: rename
 *    zap_skip_check_mapping() to should_zap_page()", "mm: change
 *    zap_details.zap_mapping into even_cows", "mm: rework swap handling of
 *    zap_pte_range"): private COWed pages, their swap entries and hwpoison
 *    entries stay unless even_cows (truncate asks for it, hole punch does
 *    not); a migration entry stays if its page is an anonymous COW
 *    (should_zap_folio()); markers of file mappings stay unless the caller
 *    drops them.
 *  - rfc_v2 ("[PATCH RFC v2 1/2] mm: Don't skip swap entry even if
 *    zap_details specified", Nov 2021): the skip removed and nothing put in
 *    its place for swap entries, so a hole punch zaps a private COW's swap
 *    entry and its data ("the complementary mistake", Hugh Dickins, Jan
 *    2022), and the hwpoison entry of a COW with it ("we should simply zap
 *    that hwpoison entry", Peter Xu).  Migration entries are checked
 *    against the mapping as RFC v1 1/2 says ("we should do the same mapping
 *    check upon migration entries too"): that part is read from the
 *    posting's text and the thread, not from the v2 diff.
 *
 * What data a range should hold is not changed here: that is decided by
 * the operation (st_zap_range() forgets the range, hole punch forgets the
 * file's data only), so the auditor can tell a wrong zap from a right one.
 */
#include <linux/lockdep.h>

#include "mm/compat.h"
#include "mm/i_mmap.h"
#include "mm/space.h"
#include "mm/thp.h"
#include "mm/zap.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapmap.h"

static bool should_zap_cows(const struct st_zap_details *d)
{
	return !d || d->even_cows;
}

static bool should_zap_page(const struct st_zap_details *d,
			    struct st_page *p)
{
	return should_zap_cows(d) || !st_page_anon(p);
}

/* Does this zap leave genuine swap entries, private anonymous data? */
bool st_zap_keeps_swap(const struct st_zap_details *d)
{
	if (d && d->mapping &&
	    st_policy(ST_POL_ZAP_DETAILS) == ST_ZAP_SKIP_SWAP)
		return true;
	/* RFC v2 1/2: "if (!non_swap_entry(entry)) rss[MM_SWAPENTS]--;" */
	if (st_policy(ST_POL_ZAP_DETAILS) == ST_ZAP_RFC_V2)
		return false;
	return !should_zap_cows(d);
}

/* A hwpoison entry: kept by hole punch since 5.18; RFC v2 zapped it. */
static bool should_zap_hwpoison(const struct st_zap_details *d)
{
	return should_zap_cows(d) ||
	       st_policy(ST_POL_ZAP_DETAILS) == ST_ZAP_RFC_V2;
}

/* zap_install_uffd_wp_if_needed(): the wp state of a file pte survives */
static void install_marker_if_needed(struct st_vma *v, pte_t *ptep,
				     struct st_pte_info *was,
				     const struct st_zap_details *d)
{
	if (st_vma_is_anon(v) || !v->uffd_wp || (d && d->drop_markers))
		return;
	if (was->uffd_wp)
		st_set_pte(ptep, make_pte_marker(PTE_MARKER_UFFD_WP));
}

/* One entry, table lock held.  Returns true if it was zapped. */
static bool zap_one(struct st_vma *v, pte_t *ptep,
		    const struct st_zap_details *d)
{
	struct st_pte_info info;
	struct st_page *p = NULL;

	st_pte_decode(ptep_get(ptep), &info);
	/*
	 * Up to 5.17: "If details->check_mapping, we leave swap entries",
	 * and every other non-present entry with them, even on truncate.
	 */
	if (d && d->mapping && info.kind != ST_PTE_PRESENT &&
	    st_policy(ST_POL_ZAP_DETAILS) == ST_ZAP_SKIP_SWAP)
		return false;
	switch (info.kind) {
	case ST_PTE_PRESENT:
		p = st_page_get_pfn(info.pfn);
		if (WARN_ON_ONCE(!p))
			return false;
		if (!should_zap_page(d, p)) {
			st_page_put(p);
			return false;
		}
		st_set_pte(ptep, __pte(0));
		atomic_dec(&p->mapcount);
		st_page_put(p);		/* the pte's reference */
		st_page_put(p);
		break;
	case ST_PTE_SWAP:
		if (st_zap_keeps_swap(d))
			return false;
		st_set_pte(ptep, __pte(0));
		st_free_swap_and_cache(info.slot);
		break;
	case ST_PTE_MIGRATION:
		p = st_page_get_pfn(info.pfn);
		if (p && !should_zap_page(d, p)) {
			st_page_put(p);
			return false;
		}
		if (p)
			st_page_put(p);
		st_set_pte(ptep, __pte(0));
		break;
	case ST_PTE_MARKER:
		/*
		 * zap_drop_markers() (6.12; ZAP_FLAG_DROP_MARKER since v5's
		 * "Persist uffd-wp bit across zapping for file-backed"): a
		 * marker stays unless the caller drops markers.
		 */
		if (!st_vma_is_anon(v) && !(d && d->drop_markers))
			return false;
		st_set_pte(ptep, __pte(0));
		return true;
	case ST_PTE_HWPOISON:
		if (!should_zap_hwpoison(d))
			return false;
		st_set_pte(ptep, __pte(0));
		break;
	default:
		st_set_pte(ptep, __pte(0));
		break;
	}
	install_marker_if_needed(v, ptep, &info, d);
	return true;
}

/*
 * zap_huge_pmd() for a swap PMD, table lock held: a whole PMD drops one
 * count from each slot; a partial range splits it (GFP_ATOMIC, under the
 * lock) and leaves the ptes to the caller.  Returns the slots freed.
 */
static unsigned long zap_pmd_swap(struct st_vma *v, pmd_t *pmdp,
				  unsigned long addr, unsigned long start,
				  unsigned long end,
				  const struct st_zap_details *d)
{
	unsigned long base = addr & PMD_MASK, slot, i;
	pte_t *table;

	if (st_zap_keeps_swap(d))
		return 0;
	if (start > base || end < base + PMD_SIZE) {
		table = (pte_t *)get_zeroed_page(GFP_ATOMIC);
		if (table && st_split_pmd_swap_locked(pmdp, table))
			st_pte_table_free(table);
		return 0;
	}
	slot = st_pmd_slot(st_pmdp_get(pmdp));
	st_pmd_clear(pmdp);
	if (st_swap_free_pmd(slot) == -ENOTDIR)
		for (i = 0; i < ST_CLUSTER_NR; i++)
			st_free_swap_and_cache(slot + i);
	return ST_CLUSTER_NR;
}

/* Caller holds the table lock. Returns the entries zapped. */
unsigned long st_zap_vma_range(struct st_space *s, struct st_vma *v,
			       unsigned long start, unsigned long end,
			       const struct st_zap_details *details)
{
	unsigned long addr, n = 0;
	pte_t *ptep;

	lockdep_assert_held(&s->ptl);
	start = max(start, v->start);
	end = min(end, v->end);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pmd_t *pmdp = st_pmd_offset(&s->pt, addr);

		if (st_pmd_is_swap(st_pmdp_get(pmdp)))
			n += zap_pmd_swap(v, pmdp, addr, start, end, details);
		ptep = st_pte_offset(&s->pt, addr);
		if (!ptep) {
			addr = ALIGN(addr + 1, PMD_SIZE) - PAGE_SIZE;
			continue;
		}
		if (!pte_none(ptep_get(ptep)) && zap_one(v, ptep, details))
			n++;
	}
	return n;
}

/* MADV_DONTNEED: the range is zapped and its private data forgotten. */
unsigned long st_zap_range(struct st_space *s, unsigned long start,
			   unsigned long end)
{
	unsigned long addr, n = 0;
	unsigned int i;

	spin_lock(&s->ptl);
	for (i = 0; i < s->nr_vmas; i++)
		if (start < s->vmas[i].end && end > s->vmas[i].start)
			n += st_zap_vma_range(s, &s->vmas[i], start, end, NULL);
	/* the records go with the data, under the lock (st_expect_set()) */
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		struct st_vma *v = st_find_vma(s, addr);

		st_expect_clear(s, addr);
		/* zap on anonymous memory drops everything, wp included */
		if (v && st_vma_is_anon(v))
			st_wp_expect(s, addr, false);
	}
	spin_unlock(&s->ptl);
	return n;
}

struct unmap_mapping {
	struct st_file *f;
	unsigned long first;
	unsigned long last;	/* inclusive */
	bool even_cows;
};

/* unmap_mapping_range_vma(): the covered part of one vma of i_mmap */
static int unmap_mapping_vma(struct st_space *s, struct st_vma *v,
			     unsigned long start, unsigned long end,
			     void *data)
{
	struct unmap_mapping *m = data;
	struct st_zap_details d = { .mapping = true, .even_cows = m->even_cows };
	unsigned long addr;

	lockdep_assert_held(&s->ptl);
	st_zap_vma_range(s, v, start, end, &d);
	/*
	 * Truncation takes the private copies with it; markers stay (no
	 * ZAP_FLAG_DROP_MARKER on this pass).
	 */
	if (m->even_cows)
		for (addr = start; addr < end; addr += PAGE_SIZE)
			st_expect_clear(s, addr);
	return 0;
}

/*
 * unmap_mapping_pages(): every mapping of the file pages [start, +nr),
 * found through the file's i_mmap.
 *
 * Locking: the caller holds the file's lock; as st_i_mmap_walk().
 */
void st_unmap_mapping_range(struct st_file *f, unsigned long start,
			    unsigned long nr, bool even_cows)
{
	struct unmap_mapping m = {
		.f = f, .first = start, .last = start + nr - 1,
		.even_cows = even_cows,
	};

	if (nr)
		st_i_mmap_walk(f, m.first, m.last, unmap_mapping_vma, &m);
}
