// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on shmem-like files: "file ...".
 */
#include <linux/err.h>

#include "mm/marker.h"
#include "mm/shmem.h"
#include "proto/ctl.h"

static int lookup_file(struct st_reply *r, const char *arg, struct st_file **fp)
{
	unsigned long id;
	int err = st_parse_ulong(r, "file", arg, &id);

	if (err)
		return err;
	*fp = id <= ST_FILES_MAX ? st_file_get(id) : NULL;
	if (!*fp)
		return st_reply_error(r, -ENOENT, "no file %lu", id);
	return 0;
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

static int file_error(struct st_reply *r, int err, unsigned long index)
{
	switch (err) {
	case -ERANGE:
		return st_reply_error(r, -EINVAL, "index %lu beyond the end",
				      index);
	case -ENOENT:
		return st_reply_error(r, err, "no page at index %lu", index);
	case -EIO:
		return st_reply_error(r, err, "index %lu: read failed", index);
	case -EBUSY:
		return st_reply_error(r, err, "index %lu: still mapped", index);
	case -ENOSPC:
		return st_reply_error(r, err, "no free swap slot");
	default:
		return st_reply_error(r, err, "index %lu: failed", index);
	}
}

static int cmd_new(struct st_ctl_file *cf, int argc, char **argv,
		   struct st_reply *r)
{
	struct st_file *f;
	unsigned long size;
	int err = parse_pages(r, "pages", argv[0], 0, &size);

	if (err)
		return err;
	f = st_file_new(size);
	if (IS_ERR(f))
		return st_reply_error(r, PTR_ERR(f), PTR_ERR(f) == -ENOSPC ?
				      "%d files already" : "no memory",
				      ST_FILES_MAX);
	st_reply_add(r, "file=%d", f->id);
	st_file_put(f);
	return 0;
}

static int cmd_destroy(struct st_ctl_file *cf, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long id;
	int err = st_parse_ulong(r, "file", argv[0], &id);

	if (err)
		return err;
	err = id <= ST_FILES_MAX ? st_file_destroy(id) : -ENOENT;
	if (err == -EBUSY)
		return st_reply_error(r, err, "file %lu is mapped", id);
	if (err)
		return st_reply_error(r, err, "no file %lu", id);
	return 0;
}

static int cmd_write(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long index, tag;
	struct st_file *f;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = st_parse_ulong(r, "index", argv[1], &index) ?:
	      st_parse_ulong(r, "tag", argv[2], &tag);
	if (!err && tag > LONG_MAX)
		err = st_reply_error(r, -ERANGE, "tag above 0x%lx", LONG_MAX);
	if (!err) {
		err = st_file_write(f, index, tag);
		if (err)
			err = file_error(r, err, index);
	}
	st_file_put(f);
	return err;
}

static int cmd_read(struct st_ctl_file *cf, int argc, char **argv,
		    struct st_reply *r)
{
	unsigned long index;
	struct st_file *f;
	u64 tag;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = st_parse_ulong(r, "index", argv[1], &index);
	if (!err) {
		err = st_file_read(f, index, &tag);
		if (err)
			err = file_error(r, err, index);
		else
			st_reply_add(r, "tag=0x%llx expected=0x%llx", tag,
				     st_file_expect(f, index));
	}
	st_file_put(f);
	return err;
}

static int cmd_swapout(struct st_ctl_file *cf, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long index, n = 1, i, done = 0;
	struct st_file *f;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = st_parse_ulong(r, "index", argv[1], &index);
	if (!err && argc > 2)
		err = parse_pages(r, "pages", argv[2], 1, &n);
	if (!err) {
		for (i = index; i < index + n; i++)
			if (!st_file_swapout(f, i))
				done++;
		st_reply_add(r, "swapped=%lu skipped=%lu", done, n - done);
	}
	st_file_put(f);
	return err;
}

static int cmd_truncate(struct st_ctl_file *cf, int argc, char **argv,
			struct st_reply *r)
{
	unsigned long size;
	struct st_file *f;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = parse_pages(r, "pages", argv[1], 0, &size);
	if (!err)
		st_file_truncate(f, size);
	st_file_put(f);
	return err;
}

static int cmd_punch(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long index, n;
	struct st_file *f;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = st_parse_ulong(r, "index", argv[1], &index) ?:
	      parse_pages(r, "pages", argv[2], 1, &n);
	if (!err && index > ST_FILE_PAGES_MAX)
		err = st_reply_error(r, -EINVAL, "index %lu beyond %d", index,
				     ST_FILE_PAGES_MAX);
	if (!err)
		st_file_punch(f, index, n);
	st_file_put(f);
	return err;
}

static int cmd_memcg(struct st_ctl_file *cf, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long index;
	unsigned int memcg;
	struct st_file *f;
	int err;

	err = lookup_file(r, argv[0], &f);
	if (err)
		return err;
	err = st_parse_ulong(r, "index", argv[1], &index);
	if (!err) {
		err = st_file_memcg(f, index, &memcg);
		if (err)
			err = file_error(r, err, index);
		else
			st_reply_add(r, "memcg=%u", memcg);
	}
	st_file_put(f);
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
