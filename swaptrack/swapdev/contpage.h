/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator of swap count continuation pages, counted where the pages
 * are really allocated and freed, apart from the swap map's statistics.
 */
#ifndef _ST_CONTPAGE_H
#define _ST_CONTPAGE_H

#include <linux/gfp.h>
#include <linux/types.h>

struct page;

/* "slot fail-atomic N": N is 0..ST_FAIL_ATOMIC_MAX */
#define ST_FAIL_ATOMIC_MAX	1024

struct page *st_cont_page_alloc(gfp_t gfp);
void st_cont_page_free(struct page *page);
void st_cont_page_counts(unsigned long *allocated, unsigned long *freed);
unsigned long st_cont_pages_atomic(void);

void st_cont_fail_atomic(unsigned int n);
unsigned int st_cont_fail_atomic_left(void);
unsigned long st_cont_atomic_failed(void);

#endif /* _ST_CONTPAGE_H */
