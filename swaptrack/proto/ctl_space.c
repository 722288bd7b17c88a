// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on model address spaces: "space ...", "ksm merge",
 * "reclaim", "slot ioerr", "slot reread".  Each parses its words, calls
 * the entry layer (entry/sys_space.c), which finds, locks and checks, and
 * formats what came back.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "swaptrack.h"
#include "entry/entry.h"
#include "proto/ctl.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

/* A space id: only its syntax here, the entry layer looks it up. */
static int parse_id(struct st_reply *r, const char *arg, unsigned long *id)
{
	return st_parse_ulong(r, "space", arg, id);
}

/* A page-aligned model address and a page count that stays in the space. */
static int parse_range(struct st_reply *r, const char *a, const char *n,
		       unsigned long *addr, unsigned long *nr)
{
	int err = st_parse_ulong(r, "address", a, addr);

	if (err)
		return err;
	if (*addr < ST_SPACE_BASE || *addr >= ST_SPACE_END ||
	    !PAGE_ALIGNED(*addr))
		return st_reply_error(r, -EINVAL,
				      "address 0x%lx not a page in [0x%lx, 0x%lx)",
				      *addr, ST_SPACE_BASE, ST_SPACE_END);
	*nr = 1;
	if (!n)
		return 0;
	err = st_parse_ulong(r, "pages", n, nr);
	if (err)
		return err;
	if (!*nr || *nr > ST_SPACE_PAGES_MAX)
		return st_reply_error(r, *nr ? -E2BIG : -EINVAL,
				      "pages %lu not in 1..%d", *nr,
				      ST_SPACE_PAGES_MAX);
	if (*nr > (ST_SPACE_END - *addr) >> PAGE_SHIFT)
		return st_reply_error(r, -EINVAL, "range runs past 0x%lx",
				      ST_SPACE_END);
	return 0;
}

/* A command on "ID ADDR [PAGES]": the space's id and the range. */
struct st_at {
	unsigned long id;
	unsigned long addr;
	unsigned long nr;
};

static int parse_at(struct st_reply *r, char **argv, const char *pages,
		    struct st_at *at)
{
	return parse_id(r, argv[0], &at->id) ?:
	       parse_range(r, argv[1], pages, &at->addr, &at->nr);
}

/* One of two words; *is_first tells which. */
static int parse_choice(struct st_reply *r, const char *arg,
			const char *first, const char *second, bool *is_first)
{
	if (!strcmp(arg, first) || !strcmp(arg, second)) {
		*is_first = !strcmp(arg, first);
		return 0;
	}
	return st_reply_error(r, -EINVAL, "'%s' is not %s or %s", arg, first,
			      second);
}

/* A tag a page may hold: what the model writes is below LONG_MAX. */
static int parse_tag(struct st_reply *r, const char *arg, unsigned long *tag)
{
	int err = st_parse_ulong(r, "tag", arg, tag);

	if (!err && *tag > LONG_MAX)
		err = st_reply_error(r, -ERANGE, "tag above 0x%lx", LONG_MAX);
	return err;
}

static int cmd_new(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	int id, err = st_reply_err(r, st_sys_space_new(&id, &r->e));

	if (!err)
		st_reply_add(r, "space=%d base=0x%lx", id, ST_SPACE_BASE);
	return err;
}

static int cmd_destroy(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long id;

	return parse_id(r, argv[0], &id) ?:
	       st_reply_err(r, st_sys_space_destroy(id, &r->e));
}

/* "anon", or "shared FILE PGOFF" / "private FILE PGOFF" */
static int parse_kind(struct st_reply *r, int argc, char **argv,
		      enum st_sys_map_kind *kind, unsigned long *file,
		      unsigned long *pgoff)
{
	int err;

	*file = 0;
	*pgoff = 0;
	*kind = ST_SYS_MAP_ANON;
	if (argc == 0 || (argc == 1 && !strcmp(argv[0], "anon")))
		return 0;
	if (argc != 3 || (strcmp(argv[0], "shared") && strcmp(argv[0], "private")))
		return st_reply_error(r, -EINVAL,
				      "usage: space map ID ADDR PAGES [anon | shared FILE PGOFF | private FILE PGOFF]");
	*kind = strcmp(argv[0], "shared") ? ST_SYS_MAP_PRIVATE :
					    ST_SYS_MAP_SHARED;
	err = st_parse_ulong(r, "file", argv[1], file) ?:
	      st_parse_ulong(r, "pgoff", argv[2], pgoff);
	if (err)
		return err;
	if (*pgoff > ST_FILE_PAGES_MAX)
		return st_reply_error(r, -EINVAL, "pgoff %lu beyond %d", *pgoff,
				      ST_FILE_PAGES_MAX);
	return 0;
}

static int cmd_map(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	enum st_sys_map_kind kind;
	unsigned long file, pgoff;
	struct st_at at;

	return parse_at(r, argv, argv[2], &at) ?:
	       parse_kind(r, argc - 3, argv + 3, &kind, &file, &pgoff) ?:
	       st_reply_err(r, st_sys_mmap(at.id, at.addr, at.nr, kind, file,
					   pgoff, &r->e));
}

static int cmd_touch(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	struct st_at at;
	bool read;

	return parse_at(r, argv, NULL, &at) ?:
	       parse_choice(r, argv[2], "read", "write", &read) ?:
	       st_reply_err(r, st_sys_touch(at.id, at.addr, !read, &r->e));
}

static int cmd_write(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long tag;
	struct st_at at;

	return parse_at(r, argv, NULL, &at) ?:
	       parse_tag(r, argv[2], &tag) ?:
	       st_reply_err(r, st_sys_write(at.id, at.addr, tag, &r->e));
}

static int cmd_read(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	struct st_at at;
	u64 tag, want;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      st_reply_err(r, st_sys_read(at.id, at.addr, &tag, &want, &r->e));
	if (!err)
		st_reply_add(r, "tag=0x%llx expected=0x%llx", tag, want);
	return err;
}

/* "space write-range ID ADDR PAGES TAG": page i gets TAG + i. */
static int cmd_write_range(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long tag, done;
	struct st_at at;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?: parse_tag(r, argv[3], &tag);
	if (err)
		return err;
	if (tag > LONG_MAX - (at.nr - 1))
		return st_reply_error(r, -ERANGE,
				      "tag 0x%lx + %lu pages runs above 0x%lx",
				      tag, at.nr - 1, LONG_MAX);
	err = st_reply_err(r, st_sys_write_range(at.id, at.addr, at.nr, tag,
						 &done, &r->e));
	if (!err)
		st_reply_add(r, "written=%lu", done);
	return err;
}

/* "space read-range ID ADDR PAGES": how many hold what is expected. */
static int cmd_read_range(struct st_ctl_file *f, int argc, char **argv,
			  struct st_reply *r)
{
	unsigned long done, matched, first;
	struct st_at at;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?:
	      st_reply_err(r, st_sys_read_range(at.id, at.addr, at.nr, &done,
						&matched, &first, &r->e));
	if (err)
		return err;
	st_reply_add(r, "read=%lu matched=%lu", done, matched);
	if (first)
		st_reply_add(r, "first_mismatch=0x%lx", first);
	else
		st_reply_add(r, "first_mismatch=none");
	return 0;
}

static int cmd_swapout(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long swapped, skipped;
	struct st_at at;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?:
	      st_reply_err(r, st_sys_pageout(at.id, at.addr, at.nr, &swapped,
					     &skipped, &r->e));
	if (!err)
		st_reply_add(r, "swapped=%lu skipped=%lu", swapped, skipped);
	return err;
}

static int cmd_zap(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	unsigned long n;
	struct st_at at;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?:
	      st_reply_err(r, st_sys_zap(at.id, at.addr, at.nr, &n, &r->e));
	if (!err)
		st_reply_add(r, "zapped=%lu", n);
	return err;
}

static int cmd_fork(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	unsigned long id;
	int child, err;

	err = parse_id(r, argv[0], &id) ?:
	      st_reply_err(r, st_sys_fork(id, &child, &r->e));
	if (!err)
		st_reply_add(r, "space=%d", child);
	return err;
}

static int cmd_drop_count(struct st_ctl_file *f, int argc, char **argv,
			  struct st_reply *r)
{
	unsigned long slot, count;
	struct st_at at;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      st_reply_err(r, st_sys_drop_count(at.id, at.addr, &slot, &count,
						&r->e));
	if (!err)
		st_reply_add(r, "slot=%lu count=%lu", slot, count);
	return err;
}

static int cmd_pte(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	char buf[ST_SYS_PTE_FMT_MAX];
	struct st_at at;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      st_reply_err(r, st_sys_pte(at.id, at.addr, buf, sizeof(buf),
					 &r->e));
	if (!err)
		st_reply_add(r, "addr=0x%lx %s", at.addr, buf);
	return err;
}

static int cmd_reclaim(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	st_reply_add(r, "reclaimed=%lu", st_swapcache_reclaim());
	return 0;
}

static int cmd_ioerr(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long slot;
	bool on;
	int err = st_parse_ulong(r, "slot", argv[0], &slot);

	if (err)
		return err;
	if (slot >= st_swap_nr_slots())
		return st_reply_error(r, -EINVAL, "slot %lu out of range", slot);
	err = parse_choice(r, argv[1], "on", "off", &on);
	if (err)
		return err;
	st_swapio_fail_reads(slot, on);
	st_reply_add(r, "slot=%lu", slot);
	return 0;
}

static int cmd_reread(struct st_ctl_file *f, int argc, char **argv,
		      struct st_reply *r)
{
	unsigned long slot;
	bool uptodate = false;
	int err = st_parse_ulong(r, "slot", argv[0], &slot);

	if (err)
		return err;
	if (slot >= st_swap_nr_slots())
		return st_reply_error(r, -EINVAL, "slot %lu out of range", slot);
	err = st_swapcache_reread(slot, &uptodate);
	if (err == -ENOENT)
		return st_reply_error(r, err, "slot %lu has no swap-cache page",
				      slot);
	if (err)
		return st_reply_error(r, err,
				      "the cache page of slot %lu is locked or mapped",
				      slot);
	st_reply_add(r, "slot=%lu uptodate=%d", slot, uptodate);
	return 0;
}

static int cmd_uffd_wp(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	struct st_at at;
	bool on;

	return parse_at(r, argv, argv[2], &at) ?:
	       parse_choice(r, argv[3], "on", "off", &on) ?:
	       st_reply_err(r, st_sys_uffd_wp(at.id, at.addr, at.nr, on,
					      &r->e));
}

static int cmd_migrate(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned long pfn;
	struct st_at at;
	bool begin;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      parse_choice(r, argv[2], "begin", "end", &begin) ?:
	      st_reply_err(r, st_sys_migrate(at.id, at.addr, begin, &pfn,
					     &r->e));
	if (!err)
		st_reply_add(r, "pfn=0x%lx", pfn);
	return err;
}

static int cmd_poison(struct st_ctl_file *f, int argc, char **argv,
		      struct st_reply *r)
{
	struct st_at at;

	return parse_at(r, argv, NULL, &at) ?:
	       st_reply_err(r, st_sys_poison(at.id, at.addr, &r->e));
}

static int cmd_ksm_merge(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at a1, a2;

	return parse_at(r, argv, NULL, &a1) ?:
	       parse_at(r, argv + 2, NULL, &a2) ?:
	       st_reply_err(r, st_sys_ksm_merge(a1.id, a1.addr, a2.id, a2.addr,
						&r->e));
}

static int cmd_swapout_pmd(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long slot;
	struct st_at at;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      st_reply_err(r, st_sys_pageout_pmd(at.id, at.addr, &slot, &r->e));
	if (!err)
		st_reply_add(r, "slot=%lu nr=%lu", slot, ST_CLUSTER_NR);
	return err;
}

static int cmd_split_pmd(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at at;

	return parse_at(r, argv, NULL, &at) ?:
	       st_reply_err(r, st_sys_split_pmd(at.id, at.addr, &r->e));
}

static int cmd_populate(struct st_ctl_file *f, int argc, char **argv,
			struct st_reply *r)
{
	unsigned long done;
	struct st_at at;
	bool read;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?:
	      parse_choice(r, argv[3], "read", "write", &read) ?:
	      st_reply_err(r, st_sys_populate(at.id, at.addr, at.nr, !read,
					      &done, &r->e));
	if (!err)
		st_reply_add(r, "populated=%lu", done);
	return err;
}

/* ---- seed 004: the pte_none_mostly() callers */

static int cmd_charge_move(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long moved;
	struct st_at at;
	int err;

	err = parse_at(r, argv, argv[2], &at) ?:
	      st_reply_err(r, st_sys_charge_move(at.id, at.addr, at.nr, &moved,
						 &r->e));
	if (!err)
		st_reply_add(r, "moved=%lu", moved);
	return err;
}

static int cmd_uffd_missing(struct st_ctl_file *f, int argc, char **argv,
			    struct st_reply *r)
{
	struct st_at at;

	return parse_at(r, argv, argv[2], &at) ?:
	       st_reply_err(r, st_sys_uffd_missing(at.id, at.addr, at.nr,
						   &r->e));
}

static int cmd_uffd_copy(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	bool wp = false;
	unsigned long tag;
	struct st_at at;
	int err;

	err = parse_at(r, argv, NULL, &at) ?: parse_tag(r, argv[2], &tag);
	if (!err && argc == 4) {
		wp = !strcmp(argv[3], "wp");
		if (!wp)
			err = st_reply_error(r, -EINVAL, "'%s' is not wp",
					     argv[3]);
	}
	return err ?: st_reply_err(r, st_sys_uffd_copy(at.id, at.addr, tag, wp,
						       &r->e));
}

static int cmd_mincore(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	unsigned char vec[ST_MINCORE_PAGES_MAX];
	char text[ST_MINCORE_PAGES_MAX + 1];
	struct st_at at;
	unsigned long i;
	int err;

	err = parse_at(r, argv, argv[2], &at);
	if (err)
		return err;
	if (at.nr > ST_MINCORE_PAGES_MAX)
		return st_reply_error(r, -E2BIG, "pages %lu above %d", at.nr,
				      ST_MINCORE_PAGES_MAX);
	err = st_reply_err(r, st_sys_mincore(at.id, at.addr, at.nr, vec,
					     &r->e));
	if (err)
		return err;
	for (i = 0; i < at.nr; i++)
		text[i] = '0' + vec[i];
	text[at.nr] = '\0';
	st_reply_add(r, "vec=%s", text);
	return 0;
}

static int cmd_hmm_fault(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	struct st_at at;
	u64 tag, want;
	int err;

	err = parse_at(r, argv, NULL, &at) ?:
	      st_reply_err(r, st_sys_hmm_fault(at.id, at.addr, &tag, &want,
					       &r->e));
	if (!err)
		st_reply_add(r, "tag=0x%llx expected=0x%llx", tag, want);
	return err;
}

const struct st_cmd st_space_cmds[] = {
	{ "space new", NULL, 0, 0, cmd_new },
	{ "space destroy", "ID", 1, 1, cmd_destroy },
	{ "space map", "ID ADDR PAGES [anon|shared FILE PGOFF|private FILE PGOFF]",
	  3, 6, cmd_map },
	{ "space touch", "ID ADDR read|write", 3, 3, cmd_touch },
	{ "space write", "ID ADDR TAG", 3, 3, cmd_write },
	{ "space read", "ID ADDR", 2, 2, cmd_read },
	{ "space write-range", "ID ADDR PAGES TAG", 4, 4, cmd_write_range },
	{ "space read-range", "ID ADDR PAGES", 3, 3, cmd_read_range },
	{ "space swapout", "ID ADDR [PAGES]", 2, 3, cmd_swapout },
	{ "space zap", "ID ADDR [PAGES]", 2, 3, cmd_zap },
	{ "space fork", "ID", 1, 1, cmd_fork },
	{ "space drop-count", "ID ADDR", 2, 2, cmd_drop_count },
	{ "space pte", "ID ADDR", 2, 2, cmd_pte },
	{ "space swapout-pmd", "ID ADDR", 2, 2, cmd_swapout_pmd },
	{ "space split-pmd", "ID ADDR", 2, 2, cmd_split_pmd },
	{ "space uffd-wp", "ID ADDR PAGES on|off", 4, 4, cmd_uffd_wp },
	{ "space migrate", "ID ADDR begin|end", 3, 3, cmd_migrate },
	{ "space poison", "ID ADDR", 2, 2, cmd_poison },
	{ "space populate", "ID ADDR PAGES read|write", 4, 4, cmd_populate },
	{ "space charge-move", "ID ADDR PAGES", 3, 3, cmd_charge_move },
	{ "space uffd-missing", "ID ADDR PAGES", 3, 3, cmd_uffd_missing },
	{ "space uffd-copy", "ID ADDR TAG [wp]", 3, 4, cmd_uffd_copy },
	{ "space mincore", "ID ADDR PAGES", 3, 3, cmd_mincore },
	{ "space hmm-fault", "ID ADDR", 2, 2, cmd_hmm_fault },
	{ "ksm merge", "ID1 ADDR1 ID2 ADDR2", 4, 4, cmd_ksm_merge },
	{ "reclaim", NULL, 0, 0, cmd_reclaim },
	{ "slot ioerr", "SLOT on|off", 2, 2, cmd_ioerr },
	{ "slot reread", "SLOT", 1, 1, cmd_reread },
	{ }
};
