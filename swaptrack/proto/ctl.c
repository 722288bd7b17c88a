// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl file: a line protocol per open file descriptor.
 *
 * Each write(2) carries exactly one command line.  Its reply, "ok ..." or
 * "error <ERRNO> <reason>", waits in the descriptor until read; a failed
 * command also fails the write with the same errno, so that a caller who
 * does not read still sees it.  The line is checked before any word of it
 * is believed: length, printable bytes, one line, word count.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "proto/ctl.h"
#include "race/gate.h"

static const struct st_cmd *const st_cmd_tables[] = {
	st_slot_cmds,
	st_space_cmds,
	st_file_cmds,
	st_policy_cmds,
	st_gate_cmds,
	st_lens_cmds,
};

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

/* Decimal, or hexadecimal with 0x: never the octal a leading 0 would give. */
int st_parse_ulong(struct st_reply *r, const char *what, const char *s,
		   unsigned long *val)
{
	int err;

	if ((s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) && s[2])
		err = kstrtoul(s + 2, 16, val);
	else
		err = kstrtoul(s, 10, val);
	if (err == -ERANGE)
		return st_reply_error(r, -ERANGE, "%s '%s' overflows", what, s);
	if (err)
		return st_reply_error(r, -EINVAL, "%s '%s' is not a number",
				      what, s);
	return 0;
}

/* Does the command name, one or two words, match the first words given? */
static int cmd_words_match(const struct st_cmd *cmd, int argc, char **argv)
{
	const char *space = strchr(cmd->name, ' ');

	if (!space)
		return strcmp(cmd->name, argv[0]) ? 0 : 1;
	if (argc < 2 || strlen(argv[0]) != space - cmd->name ||
	    strncmp(cmd->name, argv[0], space - cmd->name))
		return 0;
	return strcmp(space + 1, argv[1]) ? 0 : 2;
}

static const struct st_cmd *find_cmd(int argc, char **argv, int *words)
{
	const struct st_cmd *cmd;
	size_t t;

	for (t = 0; t < ARRAY_SIZE(st_cmd_tables); t++) {
		for (cmd = st_cmd_tables[t]; cmd->name; cmd++) {
			*words = cmd_words_match(cmd, argc, argv);
			if (*words)
				return cmd;
		}
	}
	return NULL;
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

static int run_line(struct st_ctl_file *f, char *line, size_t len,
		    struct st_reply *r)
{
	char *argv[ST_ARGS_MAX];
	const struct st_cmd *cmd;
	int argc, words, nargs, err;

	err = st_split_line(line, len, argv, &argc, r);
	if (err)
		return err;
	cmd = find_cmd(argc, argv, &words);
	if (!cmd) {
		if (argc > 1)
			return st_reply_error(r, -EINVAL,
					      "unknown command '%s %s'",
					      argv[0], argv[1]);
		return st_reply_error(r, -EINVAL, "unknown command '%s'",
				      argv[0]);
	}
	nargs = argc - words;
	if (nargs < cmd->min_args || nargs > cmd->max_args)
		return st_reply_error(r, -EINVAL, "usage: %s%s%s", cmd->name,
				      cmd->args ? " " : "",
				      cmd->args ? cmd->args : "");
	return cmd->fn(f, nargs, argv + words, r);
}

static void set_output(struct st_ctl_file *f, int err, struct st_reply *r)
{
	if (err)
		f->out_len = scnprintf(f->out, sizeof(f->out) - 1,
				       "error %s %s", st_errname(-err),
				       r->len ? r->text : "failed");
	else
		f->out_len = scnprintf(f->out, sizeof(f->out) - 1, "ok%s",
				       r->text);
	f->out[f->out_len++] = '\n';
	f->out_pos = 0;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t count, loff_t *ppos)
{
	struct st_ctl_file *f = file->private_data;
	struct st_reply *r = &f->reply;
	char line[ST_LINE_MAX + 1];
	int err;

	if (!count)
		return 0;
	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	memset(r, 0, sizeof(*r));
	if (count > ST_LINE_MAX) {
		err = st_reply_error(r, -E2BIG, "line longer than %d bytes",
				     ST_LINE_MAX);
	} else if (copy_from_user(line, ubuf, count)) {
		err = st_reply_error(r, -EFAULT, "bad buffer");
	} else {
		line[count] = '\0';
		err = run_line(f, line, count, r);
	}
	set_output(f, err, r);
	mutex_unlock(&f->lock);
	return err ? err : count;
}

static ssize_t ctl_read(struct file *file, char __user *ubuf, size_t count,
			loff_t *ppos)
{
	struct st_ctl_file *f = file->private_data;
	size_t n;

	if (mutex_lock_killable(&f->lock))
		return -EINTR;
	n = min(count, f->out_len - f->out_pos);
	if (n && copy_to_user(ubuf, f->out + f->out_pos, n)) {
		mutex_unlock(&f->lock);
		return -EFAULT;
	}
	f->out_pos += n;
	mutex_unlock(&f->lock);
	return n;
}

static int ctl_open(struct inode *inode, struct file *file)
{
	struct st_ctl_file *f;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	mutex_init(&f->lock);
	file->private_data = f;
	return stream_open(inode, file);
}

static int ctl_release(struct inode *inode, struct file *file)
{
	struct st_ctl_file *f = file->private_data;

	st_gates_release(f);
	mutex_destroy(&f->lock);
	kfree(f);
	return 0;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = ctl_release,
	.read = ctl_read,
	.write = ctl_write,
};

int st_ctl_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file(ST_CTL_FILE, 0600, root, NULL, &ctl_fops);
	return PTR_ERR_OR_ZERO(d);
}
