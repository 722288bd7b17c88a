// SPDX-License-Identifier: GPL-2.0
/*
 * The lens on the control surface: "lens PID START END" on ctl answers
 * with the counts; the lens file, given the same "PID START END", reads
 * back one line per entry and then that same summary line.
 *
 * The lens file speaks ctl's line protocol (line.c), with a longer
 * answer: write one request, read its answer until EOF; a failed request
 * fails the write with its errno and reads back "error <ERRNO> <reason>".
 * The walk itself is lens/lens.c's.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/pid.h>
#include <linux/slab.h>
#include <linux/threads.h>

#include "lens/lens.h"
#include "proto/ctl.h"
#include "proto/line.h"

static int lens_parse(struct st_reply *r, char **argv, struct st_lens_req *req)
{
	unsigned long pid;
	int err;

	err = st_parse_ulong(r, "pid", argv[0], &pid) ?:
	      st_parse_ulong(r, "start", argv[1], &req->start) ?:
	      st_parse_ulong(r, "end", argv[2], &req->end);
	if (err)
		return err;
	if (!pid || pid > PID_MAX_LIMIT)
		return st_reply_error(r, -EINVAL, "pid %lu out of range", pid);
	req->pid = pid;
	if (!PAGE_ALIGNED(req->start) || !PAGE_ALIGNED(req->end))
		return st_reply_error(r, -EINVAL,
				      "range 0x%lx-0x%lx is not page-aligned",
				      req->start, req->end);
	if (req->start >= req->end)
		return st_reply_error(r, -EINVAL,
				      "range 0x%lx-0x%lx is empty or reversed",
				      req->start, req->end);
	if (req->end - req->start > ST_LENS_SPAN_MAX)
		return st_reply_error(r, -E2BIG,
				      "range of 0x%lx bytes above 0x%lx: ask in parts",
				      req->end - req->start, ST_LENS_SPAN_MAX);
	return 0;
}

/* "pid=P start=.. end=.. entries=N <kind>=N... leaves=N skipped=N next=.. more=0/1" */
static void lens_summary(struct st_reply *r, const struct st_lens_req *req,
			 const struct st_lens_out *out)
{
	int k;

	st_reply_add(r, "pid=%d start=0x%lx end=0x%lx entries=%lu", req->pid,
		     req->start, req->end, out->entries);
	for (k = ST_PTE_PRESENT; k < ST_PTE_KINDS; k++)
		st_reply_add(r, "%s=%lu", st_pte_kind_name(k), out->kinds[k]);
	st_reply_add(r, "leaves=%lu skipped=%lu next=0x%lx more=%d",
		     out->leaves, out->skipped, out->next,
		     out->next < req->end);
}

static int cmd_lens(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	struct st_lens_out *out;
	struct st_lens_req req;
	int err;

	err = lens_parse(r, argv, &req);
	if (err)
		return err;
	out = kzalloc(sizeof(*out), GFP_KERNEL);
	if (!out)
		return st_reply_error(r, -ENOMEM, "no memory");
	err = st_reply_err(r, st_lens_walk(&r->e, &req, out));
	if (!err)
		lens_summary(r, &req, out);
	kfree(out);
	return err;
}

const struct st_cmd st_lens_cmds[] = {
	{ "lens", "PID START END", 3, 3, cmd_lens },
	{ }
};

/* One request on the lens file: its entries into the descriptor's answer. */
static int lens_run(struct st_line *d, char *line, size_t len)
{
	struct st_reply *r = &d->reply;
	struct st_lens_out out = { .text = d->out, .size = d->out_size };
	char *argv[ST_ARGS_MAX];
	struct st_lens_req req;
	int argc, err;

	err = st_split_line(line, len, argv, &argc, r);
	if (!err && argc != 3)
		err = st_reply_error(r, -EINVAL, "usage: PID START END");
	if (!err)
		err = lens_parse(r, argv, &req) ?:
		      st_reply_err(r, st_lens_walk(&r->e, &req, &out));
	if (err)
		return err;
	d->out_len = out.len;
	lens_summary(r, &req, &out);
	return 0;
}

static const struct st_line_ops lens_ops = {
	.size = sizeof(struct st_line),
	/* every entry's line, and the summary or error line after them */
	.out_size = (ST_LENS_ENTRIES_MAX + 1) * ST_LENS_LINE_MAX,
	.run = lens_run,
};

static int lens_open(struct inode *inode, struct file *file)
{
	return st_line_open(inode, file, &lens_ops);
}

static const struct file_operations lens_fops = {
	.owner = THIS_MODULE,
	.open = lens_open,
	.release = st_line_release,
	.read = st_line_read,
	.write = st_line_write,
};

int st_lens_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file(ST_LENS_FILE, 0600, root, NULL, &lens_fops);
	return PTR_ERR_OR_ZERO(d);
}
