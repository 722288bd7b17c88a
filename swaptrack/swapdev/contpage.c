// SPDX-License-Identifier: GPL-2.0
/*
 * Continuation pages come from here and go back here, and nowhere else.
 *
 * The counts below are taken at the page allocator, not where the swap map
 * keeps its statistics (cont_alloc, cont_freed), so that a page the model
 * allocates and then neither links into a continuation list nor frees is
 * seen: the auditor and swapoff compare allocated - freed with the pages
 * they find on the lists.  The statistics are bumped by the same code that
 * would forget the page, and cannot tell.
 *
 * Fault injection: "slot fail-atomic N" makes the next N allocations that
 * cannot sleep fail, as CONFIG_FAIL_PAGE_ALLOC does with its default
 * ignore-gfp-wait=Y (only !__GFP_DIRECT_RECLAIM allocations are failed).
 * That is what swap_duplicate()'s add_swap_count_continuation(GFP_ATOMIC)
 * meets under memory pressure, and what sends copy_pte_range() to its
 * GFP_KERNEL retry outside the table locks.
 */
#include <linux/atomic.h>
#include <linux/mm.h>

#include "swapdev/contpage.h"

static atomic_long_t st_cont_allocated;
static atomic_long_t st_cont_freed;
static atomic_long_t st_cont_atomic;	/* of those, allocated not sleeping */
static atomic_t st_fail_atomic;
static atomic_long_t st_atomic_failed;

/* should_fail_alloc_page() with ignore-gfp-wait=Y: sleeping ones pass */
static bool fail_this(gfp_t gfp)
{
	if (gfpflags_allow_blocking(gfp))
		return false;
	if (!atomic_add_unless(&st_fail_atomic, -1, 0))
		return false;
	atomic_long_inc(&st_atomic_failed);
	return true;
}

struct page *st_cont_page_alloc(gfp_t gfp)
{
	struct page *page;

	if (fail_this(gfp))
		return NULL;
	page = alloc_page(gfp | __GFP_HIGHMEM);
	if (page) {
		atomic_long_inc(&st_cont_allocated);
		if (!gfpflags_allow_blocking(gfp))
			atomic_long_inc(&st_cont_atomic);
	}
	return page;
}

void st_cont_page_free(struct page *page)
{
	atomic_long_inc(&st_cont_freed);
	__free_page(page);
}

void st_cont_page_counts(unsigned long *allocated, unsigned long *freed)
{
	*allocated = atomic_long_read(&st_cont_allocated);
	*freed = atomic_long_read(&st_cont_freed);
}

unsigned long st_cont_pages_atomic(void)
{
	return atomic_long_read(&st_cont_atomic);
}

void st_cont_fail_atomic(unsigned int n)
{
	atomic_set(&st_fail_atomic, n);
}

unsigned int st_cont_fail_atomic_left(void)
{
	return atomic_read(&st_fail_atomic);
}

unsigned long st_cont_atomic_failed(void)
{
	return atomic_long_read(&st_atomic_failed);
}
