/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and arch differences, in one place.  The rest of the code
 * is written for 6.12 and reads as if there were only one kernel.
 */
#ifndef _ST_COMPAT_H
#define _ST_COMPAT_H

#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>

/*
 * pmdp_get() is not in 6.1.  Its generic form, the one x86-64 and arm64
 * use in 6.12 too, is a READ_ONCE() of the entry.
 */
#define st_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/* PTE_MARKER_POISONED came in 6.5; 6.1 has a swapin-error swap type instead. */
#ifdef PTE_MARKER_POISONED
#define ST_PTE_MARKER_POISONED	PTE_MARKER_POISONED
#else
#define ST_PTE_MARKER_POISONED	0
#endif

#endif /* _ST_COMPAT_H */
