// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl file: the command tables, argument parsing and replies.  The line
 * protocol of its descriptors is line.c's: each write(2) carries one
 * command line, its reply "ok ..." or "error <ERRNO> <reason>" is read
 * back.
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
#include "proto/line.h"
#include "race/gate.h"

static const struct st_cmd *const st_cmd_tables[] = {
	st_slot_cmds,
	st_space_cmds,
	st_file_cmds,
	st_policy_cmds,
	st_gate_cmds,
	st_lens_cmds,
};

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

static int run_line(struct st_line *d, char *line, size_t len)
{
	struct st_ctl_file *f = container_of(d, struct st_ctl_file, line);
	struct st_reply *r = &d->reply;
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
	if (!f->trace)
		return cmd->fn(f, nargs, argv + words, r);
	st_gate_trace_begin(&f->gates);
	err = cmd->fn(f, nargs, argv + words, r);
	st_gate_trace_end(&f->gates);
	st_ctl_trace_reply(r, &f->gates);
	return err;
}

/* The gates a descriptor armed open when it goes. */
static void ctl_release(struct st_line *d)
{
	st_gates_release(container_of(d, struct st_ctl_file, line));
}

/* line.c allocates and frees the descriptor as its struct st_line */
static_assert(offsetof(struct st_ctl_file, line) == 0);

static const struct st_line_ops ctl_ops = {
	.size = sizeof(struct st_ctl_file),
	.out_size = ST_REPLY_MAX,
	.run = run_line,
	.release = ctl_release,
};

static int ctl_open(struct inode *inode, struct file *file)
{
	return st_line_open(inode, file, &ctl_ops);
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = ctl_open,
	.release = st_line_release,
	.read = st_line_read,
	.write = st_line_write,
};

int st_ctl_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file(ST_CTL_FILE, 0600, root, NULL, &ctl_fops);
	return PTR_ERR_OR_ZERO(d);
}
