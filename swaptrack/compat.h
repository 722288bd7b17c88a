/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and arch differences, in one place.  The rest of the code
 * is written for 6.12 and reads as if there were only one kernel.
 */
#ifndef _ST_COMPAT_H
#define _ST_COMPAT_H

#include <linux/mm.h>
#include <linux/pgtable.h>

/*
 * pmdp_get() is not in 6.1.  Its generic form, the one x86-64 and arm64
 * use in 6.12 too, is a READ_ONCE() of the entry.
 */
#define st_pmdp_get(pmdp)	READ_ONCE(*(pmdp))

/*
 * The protections of a user pte, as vma->vm_page_prot would hold them
 * (PAGE_SHARED or PAGE_READONLY on x86-64 and on arm64 without LPA2).
 * arm64 6.9+ with LPA2 (Debian 6.12's 52-bit VA on a CPU that has it):
 * pte bits 8-9 are address bits, so boot strips PTE_SHARED from
 * protection_map[] and the PAGE_* constants themselves are wrong there.
 */
static inline pgprot_t st_user_prot(bool write)
{
	return vm_get_page_prot(write ? VM_READ | VM_WRITE | VM_SHARED : VM_READ);
}

/*
 * uffd-wp bits on ptes and uffd-wp pte markers.  arm64 only has them from
 * 6.10 (HAVE_ARCH_USERFAULTFD_WP); before, the helpers are stubs and
 * make_pte_marker() WARNs, so "space uffd-wp" says EOPNOTSUPP there.
 */
#define ST_HAVE_UFFD_WP		IS_ENABLED(CONFIG_PTE_MARKER_UFFD_WP)

#endif /* _ST_COMPAT_H */
