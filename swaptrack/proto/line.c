// SPDX-License-Identifier: GPL-2.0
/*
 * The line protocol, per open file descriptor, of ctl and lens.
 *
 * Each write(2) carries exactly one request line.  Its answer waits in the
 * descriptor until read: lines of the request's own (the lens's entries),
 * then "ok ..." or, alone, "error <ERRNO> <reason>".  A failed request
 * also fails the write with the same errno, so that a caller who does not
 * read still sees it.  The line is checked before any word of it is
 * believed (st_split_line()).
 *
 * The descriptor's mutex is the one lock of the protocol: it orders the
 * requests of one descriptor and the reads of their answers.  Whatever
 * a request locks in the model, the entry layer takes and drops inside it.
 */
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "proto/line.h"

/* The name of an errno in a reply: include/swaptrack.h lists them. */
const char *st_errname(int err)
{
	return st_errno_name(err) ?: "EUNKNOWN";
}

void st_reply_add(struct st_reply *r, const char *fmt, ...)
{
	va_list args;

	if (r->failed || r->len >= sizeof(r->text) - 1)
		return;
	r->text[r->len++] = ' ';
	va_start(args, fmt);
	r->len += vscnprintf(r->text + r->len, sizeof(r->text) - r->len,
			     fmt, args);
	va_end(args);
}

/* Record the reason of a failure; returns the (negative) errno given. */
int st_reply_error(struct st_reply *r, int err, const char *fmt, ...)
{
	va_list args;

	r->failed = true;
	va_start(args, fmt);
	r->len = vscnprintf(r->text, sizeof(r->text), fmt, args);
	va_end(args);
	return err;
}

/* The reply of an entry call that returned err: its reason, if it failed. */
int st_reply_err(struct st_reply *r, int err)
{
	if (err)
		st_reply_error(r, err, "%s", r->e.why);
	return err;
}

/*
 * Check the raw bytes and cut them into at most ST_ARGS_MAX words; the line
 * is NUL-terminated.  The lens file reads its requests with it too.
 */
int st_split_line(char *line, size_t len, char **argv, int *argc,
		  struct st_reply *r)
{
	size_t i;
	int n = 0;

	if (len && line[len - 1] == '\n')
		line[--len] = '\0';
	for (i = 0; i < len; i++) {
		unsigned char c = line[i];

		if (c == '\n')
			return st_reply_error(r, -EINVAL,
					      "one command per write");
		if (c != '\t' && (c < 0x20 || c > 0x7e))
			return st_reply_error(r, -EINVAL,
					      "non-printable byte 0x%02x at column %zu",
					      c, i);
	}
	for (i = 0; i < len; ) {
		while (line[i] == ' ' || line[i] == '\t')
			line[i++] = '\0';
		if (!line[i])
			break;
		if (n == ST_ARGS_MAX)
			return st_reply_error(r, -E2BIG,
					      "more than %d words", ST_ARGS_MAX);
		argv[n++] = &line[i];
		while (line[i] && line[i] != ' ' && line[i] != '\t')
			i++;
	}
	if (!n)
		return st_reply_error(r, -EINVAL, "empty command");
	*argc = n;
	return 0;
}

/* The "ok" or "error" line closes the answer. */
static void answer(struct st_line *d, int err)
{
	struct st_reply *r = &d->reply;
	size_t room;

	if (err)
		d->out_len = 0;
	room = d->out_size - d->out_len - 1;	/* and the newline */
	if (err)
		d->out_len += scnprintf(d->out + d->out_len, room,
					"error %s %s", st_errname(-err),
					r->len ? r->text : "failed");
	else
		d->out_len += scnprintf(d->out + d->out_len, room, "ok%s",
					r->text);
	d->out[d->out_len++] = '\n';
	d->out_pos = 0;
}

ssize_t st_line_write(struct file *file, const char __user *ubuf,
		      size_t count, loff_t *ppos)
{
	struct st_line *d = file->private_data;
	struct st_reply *r = &d->reply;
	char line[ST_LINE_MAX + 1];
	int err;

	if (!count)
		return 0;
	if (mutex_lock_killable(&d->lock))
		return -EINTR;
	/* only what the next answer reads: the buffers are kilobytes */
	r->len = 0;
	r->failed = false;
	r->text[0] = '\0';
	r->e.why[0] = '\0';
	d->out_len = 0;
	d->out_pos = 0;
	if (count > ST_LINE_MAX) {
		err = st_reply_error(r, -E2BIG, "line longer than %d bytes",
				     ST_LINE_MAX);
	} else if (copy_from_user(line, ubuf, count)) {
		err = st_reply_error(r, -EFAULT, "bad buffer");
	} else {
		line[count] = '\0';
		err = d->ops->run(d, line, count);
	}
	answer(d, err);
	mutex_unlock(&d->lock);
	return err ? err : count;
}

ssize_t st_line_read(struct file *file, char __user *ubuf, size_t count,
		     loff_t *ppos)
{
	struct st_line *d = file->private_data;
	size_t n;

	if (mutex_lock_killable(&d->lock))
		return -EINTR;
	n = min(count, d->out_len - d->out_pos);
	if (n && copy_to_user(ubuf, d->out + d->out_pos, n)) {
		mutex_unlock(&d->lock);
		return -EFAULT;
	}
	d->out_pos += n;
	mutex_unlock(&d->lock);
	return n;
}

/* CAP_SYS_ADMIN only; the descriptor is ops->size bytes, zeroed. */
int st_line_open(struct inode *inode, struct file *file,
		 const struct st_line_ops *ops)
{
	struct st_line *d;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	d = kzalloc(ops->size, GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	d->out_size = ops->out_size;
	d->out = kvmalloc(d->out_size, GFP_KERNEL);
	if (!d->out) {
		kfree(d);
		return -ENOMEM;
	}
	d->ops = ops;
	mutex_init(&d->lock);
	file->private_data = d;
	return stream_open(inode, file);
}

int st_line_release(struct inode *inode, struct file *file)
{
	struct st_line *d = file->private_data;

	if (d->ops->release)
		d->ops->release(d);
	mutex_destroy(&d->lock);
	kvfree(d->out);
	kfree(d);
	return 0;
}
