/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zapping ranges of model address spaces.
 */
#ifndef _ST_ZAP_H
#define _ST_ZAP_H

struct st_space;

unsigned long st_zap_range(struct st_space *s, unsigned long start,
			   unsigned long end);

#endif /* _ST_ZAP_H */
