/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ctl line protocol: command tables, argument parsing and replies.
 */
#ifndef _ST_PROTO_CTL_H
#define _ST_PROTO_CTL_H

#include <linux/compiler.h>
#include <linux/mutex.h>
#include <linux/fs.h>
#include <linux/types.h>

#include "entry/entry.h"
#include "swaptrack.h"

/* What a command handler builds: the "ok" fields, or the error reason. */
struct st_reply {
	char text[ST_REPLY_MAX];
	size_t len;
	bool failed;
	struct st_err e;	/* why the entry layer failed a call */
};

/* One open file descriptor of ctl: its last reply, read once. */
struct st_ctl_file {
	struct mutex lock;	/* one command at a time per descriptor */
	struct st_reply reply;	/* scratch of the command running */
	char out[ST_REPLY_MAX];
	size_t out_len;
	size_t out_pos;
};

struct st_cmd {
	const char *name;	/* one or two words, e.g. "slot alloc" */
	const char *args;	/* usage of the arguments, for the reason */
	int min_args;
	int max_args;
	int (*fn)(struct st_ctl_file *f, int argc, char **argv,
		  struct st_reply *r);
};

__printf(2, 3)
void st_reply_add(struct st_reply *r, const char *fmt, ...);
__printf(3, 4)
int st_reply_error(struct st_reply *r, int err, const char *fmt, ...);

int st_reply_err(struct st_reply *r, int err);

int st_parse_ulong(struct st_reply *r, const char *what, const char *s,
		   unsigned long *val);

const char *st_errname(int err);
int st_split_line(char *line, size_t len, char **argv, int *argc,
		  struct st_reply *r);

extern const struct st_cmd st_slot_cmds[];
extern const struct st_cmd st_space_cmds[];
extern const struct st_cmd st_file_cmds[];
extern const struct st_cmd st_policy_cmds[];
extern const struct st_cmd st_gate_cmds[];
extern const struct st_cmd st_lens_cmds[];

int st_ctl_init(struct dentry *root);

#endif /* _ST_PROTO_CTL_H */
