// SPDX-License-Identifier: GPL-2.0
/*
 * The reason of a failed call, for the reply.
 */
#include <linux/kernel.h>

#include "entry/err.h"

/* Record why; returns the (negative) errno given. */
int st_fail(struct st_err *e, int err, const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vscnprintf(e->why, sizeof(e->why), fmt, args);
	va_end(args);
	return err;
}
