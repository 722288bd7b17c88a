// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on shmem-like files: "file ...".  Each parses its words,
 * calls the entry layer (entry/sys_file.c) and formats what came back.
 */
#include <linux/kernel.h>

#include "entry/entry.h"
#include "proto/ctl.h"

static int parse_id(struct st_reply *r, const char *arg, unsigned long *id)
{
	return st_parse_ulong(r, "file", arg, id);
}

static int parse_pages(struct st_reply *r, const char *what, const char *arg,
		       unsigned long min, unsigned long *n)
{
	int err = st_parse_ulong(r, what, arg, n);

	if (err)
		return err;
	if (*n < min || *n > ST_FILE_PAGES_MAX)
		return st_reply_error(r, *n > ST_FILE_PAGES_MAX ? -E2BIG : -EINVAL,
				      "%s %lu not in %lu..%d", what, *n, min,
				      ST_FILE_PAGES_MAX);
	return 0;
}

static int cmd_new(struct st_ctl_file *cf, int argc, char **argv,
		   struct st_reply *r)
{
	unsigned long size;
	int id, err;

	err = parse_pages(r, "pages", argv[0], 0, &size) ?:
	      st_reply_err(r, st_sys_file_new(size, &id, &r->e));
	if (!err)
		st_reply_add(r, "file=%d", id);
	return err;
}

static int cmd_destroy(struct st_ctl_file *cf, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long id;

	return parse_id(r, argv[0], &id) ?:
	       st_reply_err(r, st_sys_file_destroy(id, &r->e));
}

static int cmd_write(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long id, index, tag;
	int err;

	err = parse_id(r, argv[0], &id) ?:
	      st_parse_ulong(r, "index", argv[1], &index) ?:
	      st_parse_ulong(r, "tag", argv[2], &tag);
	if (!err && tag > LONG_MAX)
		err = st_reply_error(r, -ERANGE, "tag above 0x%lx", LONG_MAX);
	return err ?: st_reply_err(r, st_sys_file_write(id, index, tag, &r->e));
}

static int cmd_read(struct st_ctl_file *cf, int argc, char **argv,
		    struct st_reply *r)
{
	unsigned long id, index;
	u64 tag, want;
	int err;

	err = parse_id(r, argv[0], &id) ?:
	      st_parse_ulong(r, "index", argv[1], &index) ?:
	      st_reply_err(r, st_sys_file_read(id, index, &tag, &want, &r->e));
	if (!err)
		st_reply_add(r, "tag=0x%llx expected=0x%llx", tag, want);
	return err;
}

static int cmd_swapout(struct st_ctl_file *cf, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long id, index, n = 1, done;
	int err;

	err = parse_id(r, argv[0], &id) ?:
	      st_parse_ulong(r, "index", argv[1], &index);
	if (!err && argc > 2)
		err = parse_pages(r, "pages", argv[2], 1, &n);
	if (!err)
		err = st_reply_err(r, st_sys_file_swapout(id, index, n, &done,
							  &r->e));
	if (!err)
		st_reply_add(r, "swapped=%lu skipped=%lu", done, n - done);
	return err;
}

static int cmd_truncate(struct st_ctl_file *cf, int argc, char **argv,
			struct st_reply *r)
{
	unsigned long id, size;

	return parse_id(r, argv[0], &id) ?:
	       parse_pages(r, "pages", argv[1], 0, &size) ?:
	       st_reply_err(r, st_sys_file_truncate(id, size, &r->e));
}

static int cmd_punch(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long id, index, n;
	int err;

	err = parse_id(r, argv[0], &id) ?:
	      st_parse_ulong(r, "index", argv[1], &index) ?:
	      parse_pages(r, "pages", argv[2], 1, &n);
	if (!err && index > ST_FILE_PAGES_MAX)
		err = st_reply_error(r, -EINVAL, "index %lu beyond %d", index,
				     ST_FILE_PAGES_MAX);
	return err ?: st_reply_err(r, st_sys_file_punch(id, index, n, &r->e));
}

static int cmd_memcg(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long id, index;
	unsigned int memcg;
	int err;

	err = parse_id(r, argv[0], &id) ?:
	      st_parse_ulong(r, "index", argv[1], &index) ?:
	      st_reply_err(r, st_sys_file_memcg(id, index, &memcg, &r->e));
	if (!err)
		st_reply_add(r, "memcg=%u", memcg);
	return err;
}

const struct st_cmd st_file_cmds[] = {
	{ "file new", "PAGES", 1, 1, cmd_new },
	{ "file destroy", "ID", 1, 1, cmd_destroy },
	{ "file write", "ID INDEX TAG", 3, 3, cmd_write },
	{ "file read", "ID INDEX", 2, 2, cmd_read },
	{ "file swapout", "ID INDEX [PAGES]", 2, 3, cmd_swapout },
	{ "file truncate", "ID PAGES", 2, 2, cmd_truncate },
	{ "file punch", "ID INDEX PAGES", 3, 3, cmd_punch },
	{ "file memcg", "ID INDEX", 2, 2, cmd_memcg },
	{ }
};
