/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Why a call into the model failed, in the words of the reply (err.c).
 */
#ifndef _ST_ERR_H
#define _ST_ERR_H

#include <linux/compiler.h>

#include "swaptrack.h"

/* Why a call failed: the reason of the reply. */
struct st_err {
	char why[ST_REPLY_MAX];
};

__printf(3, 4)
int st_fail(struct st_err *e, int err, const char *fmt, ...);

#endif /* _ST_ERR_H */
