/* SPDX-License-Identifier: GPL-2.0 */
/*
 * userfaultfd registration and write-protection (uffd.c).
 */
#ifndef _ST_UFFD_H
#define _ST_UFFD_H

#include <linux/types.h>

struct st_space;

void st_uffd_wp(struct st_space *s, unsigned long start, unsigned long end,
		bool on);
int st_uffd_missing(struct st_space *s, unsigned long start,
		    unsigned long end);

#endif /* _ST_UFFD_H */
