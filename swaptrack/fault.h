/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Page faults on model address spaces, and the accesses that cause them.
 */
#ifndef _ST_FAULT_H
#define _ST_FAULT_H

#include <linux/types.h>

struct st_space;

/* what a real process would get instead of its access */
#define ST_SIGBUS	EFAULT		/* VM_FAULT_SIGBUS */
#define ST_USERFAULT	EPERM		/* a uffd-wp write fault to handle */
#define ST_USERFAULT_MISSING ENODATA	/* a missing fault: UFFDIO_COPY it */

int st_fault(struct st_space *s, unsigned long addr, bool write);
int st_access_write(struct st_space *s, unsigned long addr, u64 tag);
int st_access_read(struct st_space *s, unsigned long addr, u64 *tag);
int st_populate(struct st_space *s, unsigned long start, unsigned long end,
		bool write, unsigned long *populated);

#endif /* _ST_FAULT_H */
