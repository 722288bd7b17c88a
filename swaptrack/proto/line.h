/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The line protocol of the ctl and lens files, written once (line.c).
 */
#ifndef _ST_PROTO_LINE_H
#define _ST_PROTO_LINE_H

#include <linux/compiler.h>
#include <linux/fs.h>
#include <linux/mutex.h>
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

__printf(2, 3)
void st_reply_add(struct st_reply *r, const char *fmt, ...);
__printf(3, 4)
int st_reply_error(struct st_reply *r, int err, const char *fmt, ...);
int st_reply_err(struct st_reply *r, int err);
const char *st_errname(int err);
int st_split_line(char *line, size_t len, char **argv, int *argc,
		  struct st_reply *r);

struct st_line;

struct st_line_ops {
	size_t size;		/* of the descriptor embedding struct st_line */
	size_t out_size;	/* room for the longest answer */
	/*
	 * Run one checked line (NUL-terminated, at most ST_LINE_MAX bytes);
	 * an answer may put lines of its own into d->out before the "ok"
	 * line, whose fields go into d->reply.
	 */
	int (*run)(struct st_line *d, char *line, size_t len);
	void (*release)(struct st_line *d);	/* optional */
};

/* One open descriptor: its last answer, read until EOF. */
struct st_line {
	struct mutex lock;	/* one request at a time per descriptor */
	struct st_reply reply;	/* scratch of the request running */
	const struct st_line_ops *ops;
	char *out;		/* the answer: out_len bytes of out_size */
	size_t out_size;
	size_t out_len;
	size_t out_pos;
};

int st_line_open(struct inode *inode, struct file *file,
		 const struct st_line_ops *ops);
int st_line_release(struct inode *inode, struct file *file);
ssize_t st_line_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos);
ssize_t st_line_read(struct file *file, char __user *ubuf, size_t count,
		     loff_t *ppos);

#endif /* _ST_PROTO_LINE_H */
