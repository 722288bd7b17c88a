/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ctl line protocol: command tables, argument parsing and replies.
 */
#ifndef _ST_PROTO_CTL_H
#define _ST_PROTO_CTL_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/types.h>

#include "proto/line.h"
#include "race/gate.h"
#include "swaptrack.h"

/* One open file descriptor of ctl: a line-protocol descriptor (line.h). */
struct st_ctl_file {
	struct st_line line;
	bool trace;			/* "gate trace on" */
	struct st_gate_trace gates;	/* of the command running traced */
};

struct st_cmd {
	const char *name;	/* one or two words, e.g. "slot alloc" */
	const char *args;	/* usage of the arguments, for the reason */
	int min_args;
	int max_args;
	int (*fn)(struct st_ctl_file *f, int argc, char **argv,
		  struct st_reply *r);
};

void st_ctl_trace_reply(struct st_reply *r, const struct st_gate_trace *t);
int st_parse_ulong(struct st_reply *r, const char *what, const char *s,
		   unsigned long *val);

extern const struct st_cmd st_slot_cmds[];
extern const struct st_cmd st_space_cmds[];
extern const struct st_cmd st_file_cmds[];
extern const struct st_cmd st_policy_cmds[];
extern const struct st_cmd st_gate_cmds[];
extern const struct st_cmd st_lens_cmds[];

int st_ctl_init(struct dentry *root);
int st_lens_init(struct dentry *root);

#endif /* _ST_PROTO_CTL_H */
