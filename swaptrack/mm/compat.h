/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and arch differences, in one place, each with the version
 * or arch that makes it.  The rest of the code is written for 6.12 and
 * reads as if there were only one kernel and one arch.
 */
#ifndef _ST_COMPAT_H
#define _ST_COMPAT_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

/* 6.1 has no pmdp_get(); the generic one of 6.12 (x86-64, arm64) is this READ_ONCE(). */
#define st_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/* PTE_MARKER_POISONED came in 6.5; 6.1 has a swapin-error swap type instead. */
#ifdef PTE_MARKER_POISONED
#define ST_PTE_MARKER_POISONED	PTE_MARKER_POISONED
#else
#define ST_PTE_MARKER_POISONED	0
#endif

/*
 * The pte table under a pmd value read once.  __pte_offset_map() (6.5+,
 * behind pte_offset_map()) is not exported; without CONFIG_HIGHPTE, which
 * no 64-bit arch has, the map it makes is pte_offset_kernel(), as 6.1's
 * pte_offset_map() macro is.  The caller holds rcu_read_lock() for the
 * tables freed by RCU since 6.5 (pte_free_defer()).
 */
#ifdef CONFIG_HIGHPTE
#error "swaptrack's lens needs page tables in the direct map (no CONFIG_HIGHPTE)"
#endif
#define st_pte_map(pmdvalp, addr)	pte_offset_kernel(pmdvalp, addr)

/*
 * How many entries map this page, a PMD counting once.  page_mapcount() is
 * gone in 6.12 and out of line for large folios in 6.1: both keep the
 * page's own count in _mapcount and the PMD mappings in the folio's entire
 * mapcount, so this is its body on both (6.1's double-mapped THPs aside).
 */
static inline int st_page_mapcount(struct page *page)
{
	struct folio *folio = page_folio(page);
	int n = atomic_read(&page->_mapcount) + 1;

	if (folio_test_large(folio))
		n += folio_entire_mapcount(folio);
	return n;
}

/* arm64 6.9+ with LPA2: pte bits 8-9 are address bits, boot strips them from vm_page_prot. */
static inline pgprot_t st_user_prot(bool write)
{
	/* not PAGE_SHARED / PAGE_READONLY: the constants keep PTE_SHARED */
	return vm_get_page_prot(write ? VM_READ | VM_WRITE | VM_SHARED : VM_READ);
}

/* arm64 before 6.10 has no uffd-wp bits or pte markers (no HAVE_ARCH_USERFAULTFD_WP). */
#define ST_HAVE_UFFD_WP		IS_ENABLED(CONFIG_PTE_MARKER_UFFD_WP)

/*
 * x86 before 6.5 (pte_mkuffd_wp() implies pte_wrprotect() since "x86/mm:
 * Make pte_mkuffd_wp() imply pte_wrprotect()"): callers such as
 * change_pte_range() and do_swap_page() wrprotected the pte themselves.
 */
#define st_pte_mkuffd_wp(pte)	pte_mkuffd_wp(pte_wrprotect(pte))

#endif /* _ST_COMPAT_H */
