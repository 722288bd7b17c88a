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

/* 6.1 has no pmdp_get(); the generic one of 6.12 (x86-64, arm64) is this READ_ONCE(). */
#define st_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/* arm64 6.9+ with LPA2: pte bits 8-9 are address bits, boot strips them from vm_page_prot. */
static inline pgprot_t st_user_prot(bool write)
{
	/* not PAGE_SHARED / PAGE_READONLY: the constants keep PTE_SHARED */
	return vm_get_page_prot(write ? VM_READ | VM_WRITE | VM_SHARED : VM_READ);
}

/* arm64 before 6.10 has no uffd-wp bits or pte markers (no HAVE_ARCH_USERFAULTFD_WP). */
#define ST_HAVE_UFFD_WP		IS_ENABLED(CONFIG_PTE_MARKER_UFFD_WP)

#endif /* _ST_COMPAT_H */
