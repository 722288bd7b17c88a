/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a fault gives the access that caused it, where that is not a plain
 * errno: the model's VM_FAULT_* codes, returned negated.
 */
#ifndef _ST_VM_FAULT_H
#define _ST_VM_FAULT_H

#include <linux/errno.h>

/* what a real process would get instead of its access */
#define ST_SIGBUS	EFAULT		/* VM_FAULT_SIGBUS */
#define ST_USERFAULT	EPERM		/* a uffd-wp write fault to handle */
#define ST_USERFAULT_MISSING ENODATA	/* a missing fault: UFFDIO_COPY it */

#endif /* _ST_VM_FAULT_H */
