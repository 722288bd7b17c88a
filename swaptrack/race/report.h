/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A text built once and read out many times: the audit's findings go into
 * a list of page-sized chunks as they are found (under whatever lock the
 * walk holds), then into one buffer that read() copies from with no lock
 * held (report.c).
 */
#ifndef _ST_REPORT_H
#define _ST_REPORT_H

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/types.h>

struct st_report {
	struct list_head chunks;
	size_t len;		/* bytes in all chunks */
	unsigned long lost;	/* lines no chunk could be had for */
	gfp_t gfp;		/* GFP_ATOMIC while a spinlock is held */
};

void st_report_init(struct st_report *r);
__printf(2, 3)
void st_report_add(struct st_report *r, const char *fmt, ...);
char *st_report_flatten(struct st_report *r, size_t *len);
void st_report_free(struct st_report *r);

#endif /* _ST_REPORT_H */
