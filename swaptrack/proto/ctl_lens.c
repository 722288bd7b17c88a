// SPDX-License-Identifier: GPL-2.0
/*
 * The lens on the control surface: "lens PID START END" on ctl answers
 * with the counts; the lens file, given the same "PID START END", reads
 * back one line per entry and then that same summary line.
 *
 * The lens file speaks ctl's protocol per descriptor, with a longer
 * answer: write one request, read its answer until EOF; a failed request
 * fails the write with its errno and reads back "error <ERRNO> <reason>".
 */
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "lens/lens.h"

static int cmd_lens(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	struct st_lens_out *out;
	struct st_lens_req req;
	int err;

	err = st_lens_parse(r, argv, &req);
	if (err)
		return err;
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return st_reply_error(r, -ENOMEM, "no memory");
	err = st_lens_walk(r, &req, out);
	if (!err)
		st_lens_summary(r, &req, out);
	kfree(out);
	return err;
}

const struct st_cmd st_lens_cmds[] = {
	{ "lens", "PID START END", 3, 3, cmd_lens },
	{ }
};

/* One open descriptor of the lens file: the answer to its last request. */
struct lens_file {
	struct mutex lock;	/* one request at a time per descriptor */
	struct st_reply reply;
	struct st_lens_out out;	/* out.text: the answer, out.len bytes */
	size_t pos;
};

/* The answer: the entries, then "ok <summary>" or "error <ERRNO> ...". */
static void lens_answer(struct lens_file *lf, int err,
			const struct st_lens_req *req)
{
	struct st_lens_out *out = &lf->out;
	struct st_reply *r = &lf->reply;

	if (err) {
		out->len = scnprintf(out->text, out->size, "error %s %s\n",
				     st_errname(-err), r->len ? r->text : "failed");
		return;
	}
	st_lens_summary(r, req, out);
	out->len += scnprintf(out->text + out->len, out->size - out->len,
			      "ok%s\n", r->text);
}

static ssize_t lens_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	struct lens_file *lf = file->private_data;
	struct st_reply *r = &lf->reply;
	char line[ST_LINE_MAX + 1], *argv[ST_ARGS_MAX];
	struct st_lens_req req;
	int argc, err;

	if (!count)
		return 0;
	if (mutex_lock_killable(&lf->lock))
		return -EINTR;
	memset(r, 0, sizeof(*r));
	lf->out.len = 0;
	lf->pos = 0;
	if (count > ST_LINE_MAX) {
		err = st_reply_error(r, -E2BIG, "line longer than %d bytes",
				     ST_LINE_MAX);
	} else if (copy_from_user(line, ubuf, count)) {
		err = st_reply_error(r, -EFAULT, "bad buffer");
	} else {
		line[count] = '\0';
		err = st_split_line(line, count, argv, &argc, r);
		if (!err && argc != 3)
			err = st_reply_error(r, -EINVAL, "usage: PID START END");
		if (!err)
			err = st_lens_parse(r, argv, &req) ?:
			      st_lens_walk(r, &req, &lf->out);
	}
	lens_answer(lf, err, &req);
	mutex_unlock(&lf->lock);
	return err ? err : count;
}

static ssize_t lens_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	struct lens_file *lf = file->private_data;
	size_t n;

	if (mutex_lock_killable(&lf->lock))
		return -EINTR;
	n = min(count, lf->out.len - lf->pos);
	if (n && copy_to_user(ubuf, lf->out.text + lf->pos, n)) {
		mutex_unlock(&lf->lock);
		return -EFAULT;
	}
	lf->pos += n;
	mutex_unlock(&lf->lock);
	return n;
}

static int lens_open(struct inode *inode, struct file *file)
{
	struct lens_file *lf;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	lf = kzalloc(sizeof(*lf), GFP_KERNEL);
	if (!lf)
		return -ENOMEM;
	/* every entry's line, and the summary or error line after them */
	lf->out.size = (ST_LENS_ENTRIES_MAX + 1) * ST_LENS_LINE_MAX;
	lf->out.text = kvmalloc(lf->out.size, GFP_KERNEL);
	if (!lf->out.text) {
		kfree(lf);
		return -ENOMEM;
	}
	mutex_init(&lf->lock);
	file->private_data = lf;
	return stream_open(inode, file);
}

static int lens_release(struct inode *inode, struct file *file)
{
	struct lens_file *lf = file->private_data;

	mutex_destroy(&lf->lock);
	kvfree(lf->out.text);
	kfree(lf);
	return 0;
}

static const struct file_operations lens_fops = {
	.owner = THIS_MODULE,
	.open = lens_open,
	.release = lens_release,
	.read = lens_read,
	.write = lens_write,
};

int st_lens_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file(ST_LENS_FILE, 0600, root, NULL, &lens_fops);
	return PTR_ERR_OR_ZERO(d);
}
