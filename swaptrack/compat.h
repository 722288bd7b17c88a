/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version and arch differences, in one place.  The rest of the code
 * is written for 6.12 and reads as if there were only one kernel.
 */
#ifndef _ST_COMPAT_H
#define _ST_COMPAT_H

#include <linux/version.h>
#include <linux/pgtable.h>

/*
 * pmdp_get(): not in 6.1.  Below 6.12 (the newer kernel we build for) read
 * the entry the way pmdp_get()'s generic version does.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
#define st_pmdp_get(pmdp)	pmdp_get(pmdp)
#else
#define st_pmdp_get(pmdp)	READ_ONCE(*(pmdp))
#endif

#endif /* _ST_COMPAT_H */
