// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the engine's commands ("space ...", "file ...", "ksm merge",
 * "policy ..."): unknown ids, addresses outside the model space or off a
 * page, page counts out of range, mapping kinds and words the commands do
 * not know, the limits on spaces, files and mappings, and tags above
 * LONG_MAX.  Each must get its errno and reason; st_ctl.h checks every
 * reply is "error <NAME> <reason>".  Nothing a refused command half did
 * may stay: each test ends with no space or file left in debugfs and
 * slots_used at its baseline.
 */
#define _GNU_SOURCE
#include <dirent.h>

#include "st_engine.h"

/* The model space: [SE_BASE, CE_END), 1 GiB (one PMD table). */
#define CE_END			(SE_BASE + (1ULL << 30))
#define CE_PAGES_MAX		4096
#define CE_VMAS_MAX		16

FIXTURE(ctl_engine)
{
	struct se se;
};

FIXTURE_SETUP(ctl_engine)
{
	se_fixture_setup(_metadata, &self->se, NULL);
}

/* Names of the spaceN / fileN directories left in debugfs, if any. */
static unsigned int ce_leftovers(char *names, size_t size)
{
	DIR *d = opendir(ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR);
	struct dirent *e;
	unsigned int n = 0;
	size_t len = 0;
	int id;

	names[0] = '\0';
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		if (sscanf(e->d_name, "space%d", &id) != 1 &&
		    sscanf(e->d_name, "file%d", &id) != 1)
			continue;
		n++;
		if (len + strlen(e->d_name) + 2 < size)
			len += snprintf(names + len, size - len, " %s", e->d_name);
	}
	closedir(d);
	return n;
}

FIXTURE_TEARDOWN_PARENT(ctl_engine)
{
	bool failed = _metadata->exit_code == KSFT_FAIL;
	char names[256];

	se_fixture_teardown(_metadata, &self->se);
	if (!failed) {
		EXPECT_EQ(0U, ce_leftovers(names, sizeof(names))) {
			TH_LOG("left in debugfs:%s", names);
		}
	}
}

/*
 * Every command that names a space, as a format with one %s for the id
 * and, after it, a mapped address and a page count where it takes them.
 */
static const char *const ce_space_cmds[] = {
	"space destroy %s",
	"space map %s 0x7f0000100000 1",
	"space touch %s 0x7f0000000000 read",
	"space write %s 0x7f0000000000 1",
	"space read %s 0x7f0000000000",
	"space swapout %s 0x7f0000000000 1",
	"space zap %s 0x7f0000000000 1",
	"space fork %s",
	"space pte %s 0x7f0000000000",
	"space swapout-pmd %s 0x7f0000000000",
	"space split-pmd %s 0x7f0000000000",
	"space uffd-wp %s 0x7f0000000000 1 on",
	"space migrate %s 0x7f0000000000 begin",
	"space migrate %s 0x7f0000000000 end",
	"space poison %s 0x7f0000000000",
	"ksm merge %s 0x7f0000000000 1 0x7f0000000000",
	"ksm merge 1 0x7f0000000000 %s 0x7f0000000000",
};

/* Every command that names a file, as above. */
static const char *const ce_file_cmds[] = {
	"file destroy %s",
	"file write %s 0 1",
	"file read %s 0",
	"file swapout %s 0 1",
	"file truncate %s 0",
	"file punch %s 0 1",
	"space map 1 0x7f0000100000 1 shared %s 0",
	"space map 1 0x7f0000100000 1 private %s 0",
};

/* Format @fmt with the word @arg and expect @err with @reason in the reply. */
static void ce_fail(struct __test_metadata *_metadata, struct se *se,
		    const char *fmt, const char *arg, int err, const char *reason)
{
	char cmd[ST_LINE_MAX];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(cmd, sizeof(cmd), fmt, arg);
#pragma GCC diagnostic pop
	se_fail(_metadata, se, err, reason, "%s", cmd);
}

/* "error EFAULT SIGSEGV...": a load or store where nothing is mapped. */
static void ce_segv(struct __test_metadata *_metadata, struct se *se,
		    const char *cmd)
{
	static const char want[] = "error EFAULT SIGSEGV";

	se_fail(_metadata, se, EFAULT, "not mapped", "%s", cmd);
	ASSERT_EQ(0, strncmp(se->r, want, strlen(want))) {
		TH_LOG("'%s' -> '%s': the reason must start with SIGSEGV", cmd, se->r);
	}
}

TEST_F(ctl_engine, unknown_space_ids)
{
	struct se *se = &self->se;
	char id[32];
	unsigned int i;
	int s, gone;

	/* Space 1 exists and is mapped, so only the id can be wrong. */
	s = se_space_map(_metadata, se, 1, "anon");
	ASSERT_EQ(1, s) {
		TH_LOG("the first space of a clean module is not space 1");
	}
	gone = se_space_new(_metadata, se);
	se_destroy(_metadata, se, gone);

	for (i = 0; i < ARRAY_SIZE(ce_space_cmds); i++) {
		ce_fail(_metadata, se, ce_space_cmds[i], "0", ENOENT, "no space 0");
		snprintf(id, sizeof(id), "%d", gone);
		ce_fail(_metadata, se, ce_space_cmds[i], id, ENOENT, "no space");
		ce_fail(_metadata, se, ce_space_cmds[i], "65", ENOENT, "no space 65");
		/* 2^32 + 1 must not be taken for space 1 */
		ce_fail(_metadata, se, ce_space_cmds[i], "4294967297", ENOENT,
			"no space 4294967297");
		ce_fail(_metadata, se, ce_space_cmds[i], "0x100000001", ENOENT,
			"no space 4294967297");
		ce_fail(_metadata, se, ce_space_cmds[i], "18446744073709551615",
			ENOENT, "no space 18446744073709551615");
		ce_fail(_metadata, se, ce_space_cmds[i], "18446744073709551616",
			ERANGE, "overflows");
		ce_fail(_metadata, se, ce_space_cmds[i], "-1", EINVAL, "not a number");
		ce_fail(_metadata, se, ce_space_cmds[i], "one", EINVAL, "not a number");
	}
	se_check_pte(_metadata, se, s, SE_BASE, "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, unknown_file_ids)
{
	struct se *se = &self->se;
	char id[32];
	unsigned int i;
	int s, f, gone;

	s = se_space_new(_metadata, se);
	ASSERT_EQ(1, s);
	f = se_file_new(_metadata, se, 1);
	ASSERT_EQ(1, f);
	gone = se_file_new(_metadata, se, 1);
	se_file_destroy(_metadata, se, gone);

	for (i = 0; i < ARRAY_SIZE(ce_file_cmds); i++) {
		ce_fail(_metadata, se, ce_file_cmds[i], "0", ENOENT, "no file 0");
		snprintf(id, sizeof(id), "%d", gone);
		ce_fail(_metadata, se, ce_file_cmds[i], id, ENOENT, "no file");
		ce_fail(_metadata, se, ce_file_cmds[i], "17", ENOENT, "no file 17");
		ce_fail(_metadata, se, ce_file_cmds[i], "4294967297", ENOENT,
			"no file 4294967297");
		ce_fail(_metadata, se, ce_file_cmds[i], "18446744073709551615",
			ENOENT, "no file 18446744073709551615");
		ce_fail(_metadata, se, ce_file_cmds[i], "18446744073709551616",
			ERANGE, "overflows");
		ce_fail(_metadata, se, ce_file_cmds[i], "f1", EINVAL, "not a number");
	}
	/* None of the refused maps took a mapping or a file reference. */
	ce_segv(_metadata, se, "space read 1 0x7f0000100000");
	se_file_read(_metadata, se, f, 0, 0);
	se_file_destroy(_metadata, se, f);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/* Every command that takes an address, a %s for it, on space 1. */
static const char *const ce_addr_cmds[] = {
	"space map 1 %s 1",
	"space touch 1 %s write",
	"space write 1 %s 1",
	"space read 1 %s",
	"space swapout 1 %s",
	"space zap 1 %s 1",
	"space pte 1 %s",
	"space swapout-pmd 1 %s",
	"space split-pmd 1 %s",
	"space uffd-wp 1 %s 1 off",
	"space migrate 1 %s begin",
	"space poison 1 %s",
	"ksm merge 1 %s 1 0x7f0000000000",
	"ksm merge 1 0x7f0000000000 1 %s",
};

TEST_F(ctl_engine, bad_addresses)
{
	static const char *const bad[] = {
		"0", "0x1000", "0x7efffffff000", "0x7effffffffff",
		"0x7f0040000000", "0x7f0040001000", "0xffffffffffff000",
		"0x7f0000000001", "0x7f0000000800", "0x7f003ffff800",
	};
	struct se *se = &self->se;
	unsigned int i, j;
	int s;

	s = se_space_map(_metadata, se, 2, "anon");
	ASSERT_EQ(1, s);
	se_write(_metadata, se, s, SE_BASE, 0x11);

	for (i = 0; i < ARRAY_SIZE(ce_addr_cmds); i++) {
		for (j = 0; j < ARRAY_SIZE(bad); j++)
			ce_fail(_metadata, se, ce_addr_cmds[i], bad[j], EINVAL,
				"not a page in [0x7f0000000000, 0x7f0040000000)");
		ce_fail(_metadata, se, ce_addr_cmds[i], "0x", EINVAL, "not a number");
		ce_fail(_metadata, se, ce_addr_cmds[i], "0x7f000000000g", EINVAL,
			"not a number");
		ce_fail(_metadata, se, ce_addr_cmds[i], "0x10000000000000000", ERANGE,
			"overflows");
	}
	se_read(_metadata, se, s, SE_BASE, 0x11);

	/* The last page of the model space is a page like any other. */
	SE_OK(se, "space map %d 0x%llx 1", s, CE_END - SE_PAGE);
	se_write(_metadata, se, s, CE_END - SE_PAGE, 0x12);
	se_read(_metadata, se, s, CE_END - SE_PAGE, 0x12);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/* Every command that takes ADDR PAGES, formats for the address and count. */
static const char *const ce_range_cmds[] = {
	"space map 1 0x%llx %s",
	"space swapout 1 0x%llx %s",
	"space zap 1 0x%llx %s",
	"space uffd-wp 1 0x%llx %s on",
};

static void ce_range_fail(struct __test_metadata *_metadata, struct se *se,
			  const char *fmt, unsigned long long addr,
			  const char *pages, int err, const char *reason)
{
	char cmd[ST_LINE_MAX];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(cmd, sizeof(cmd), fmt, addr, pages);
#pragma GCC diagnostic pop
	se_fail(_metadata, se, err, reason, "%s", cmd);
}

TEST_F(ctl_engine, bad_page_counts)
{
	struct se *se = &self->se;
	unsigned long long last = CE_END - 4 * SE_PAGE;
	unsigned int i;
	int s, f;

	s = se_space_map(_metadata, se, 4, "anon");
	ASSERT_EQ(1, s);
	SE_OK(se, "space map %d 0x%llx 4", s, last);
	se_write(_metadata, se, s, SE_BASE, 0x21);

	for (i = 0; i < ARRAY_SIZE(ce_range_cmds); i++) {
		ce_range_fail(_metadata, se, ce_range_cmds[i], SE_BASE, "0", EINVAL,
			      "pages 0 not in 1..4096");
		ce_range_fail(_metadata, se, ce_range_cmds[i], SE_BASE, "4097", E2BIG,
			      "pages 4097 not in 1..4096");
		ce_range_fail(_metadata, se, ce_range_cmds[i], SE_BASE,
			      "18446744073709551615", E2BIG, "not in 1..4096");
		ce_range_fail(_metadata, se, ce_range_cmds[i], SE_BASE,
			      "18446744073709551616", ERANGE, "overflows");
		ce_range_fail(_metadata, se, ce_range_cmds[i], SE_BASE, "four", EINVAL,
			      "not a number");
		/* past the end of the model space */
		ce_range_fail(_metadata, se, ce_range_cmds[i], last, "5", EINVAL,
			      "range runs past 0x7f0040000000");
		ce_range_fail(_metadata, se, ce_range_cmds[i], CE_END - SE_PAGE, "4096",
			      EINVAL, "range runs past");
	}
	/* Up to the end exactly is fine. */
	SE_OK(se, "space zap %d 0x%llx 4", s, last);
	SE_OK(se, "space swapout %d 0x%llx %d", s, SE_BASE, CE_PAGES_MAX);
	se_read(_metadata, se, s, SE_BASE, 0x21);
	se_check_used(_metadata, se, 1);
	se_write(_metadata, se, s, SE_BASE, 0x22);
	se_check_used(_metadata, se, 0);

	/* The file commands' page counts. */
	f = se_file_new(_metadata, se, 4);
	se_fail(_metadata, se, E2BIG, "not in 0..4096", "file new 4097");
	se_fail(_metadata, se, EINVAL, "not a number", "file new -1");
	se_fail(_metadata, se, EINVAL, "not in 1..4096", "file punch %d 0 0", f);
	se_fail(_metadata, se, E2BIG, "not in 1..4096", "file punch %d 0 4097", f);
	se_fail(_metadata, se, EINVAL, "beyond 4096", "file punch %d 4097 1", f);
	se_fail(_metadata, se, EINVAL, "not in 1..4096", "file swapout %d 0 0", f);
	se_fail(_metadata, se, E2BIG, "not in 0..4096", "file truncate %d 4097", f);
	se_fail(_metadata, se, EINVAL, "beyond the end", "file write %d 4 1", f);
	se_fail(_metadata, se, EINVAL, "beyond the end", "file read %d 4", f);
	se_file_destroy(_metadata, se, f);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, space_map_bad_kind)
{
	static const struct {
		const char *how, *reason;
	} bad[] = {
		{ "frob", "usage: space map" },
		{ "ANON", "usage: space map" },
		{ "anon 1", "usage: space map" },
		{ "anon shared 1", "usage: space map" },
		{ "shared", "usage: space map" },
		{ "private", "usage: space map" },
		{ "shared 1", "usage: space map" },
		{ "private 1", "usage: space map" },
		{ "copy 1 0", "usage: space map" },
		{ "shared x 0", "file 'x' is not a number" },
		{ "private 1 x", "pgoff 'x' is not a number" },
		{ "shared 1 4097", "pgoff 4097 beyond 4096" },
	};
	struct se *se = &self->se;
	unsigned int i;
	int s, f;

	s = se_space_new(_metadata, se);
	ASSERT_EQ(1, s);
	f = se_file_new(_metadata, se, 4);
	ASSERT_EQ(1, f);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		ce_fail(_metadata, se, "space map 1 0x7f0000000000 4 %s", bad[i].how,
			EINVAL, bad[i].reason);
	se_fail(_metadata, se, ENOENT, "no file 2",
		"space map %d 0x%llx 4 shared 2 0", s, SE_BASE);
	se_fail(_metadata, se, E2BIG, "more than 8 words",
		"space map %d 0x%llx 4 shared %d 0 more", s, SE_BASE, f);

	/* Nothing got mapped, and the file is not held by a mapping. */
	ce_segv(_metadata, se, "space read 1 0x7f0000000000");
	ce_segv(_metadata, se, "space touch 1 0x7f0000000000 write");
	se_file_destroy(_metadata, se, f);
	f = se_file_new(_metadata, se, 4);

	/* The good forms, for contrast. */
	SE_OK(se, "space map %d 0x%llx 1 anon", s, SE_BASE);
	SE_OK(se, "space map %d 0x%llx 1", s, SE_ADDR(1));
	SE_OK(se, "space map %d 0x%llx 1 shared %d 0", s, SE_ADDR(2), f);
	SE_OK(se, "space map %d 0x%llx 1 private %d 4096", s, SE_ADDR(3), f);
	se_fail(_metadata, se, EBUSY, "mapped", "file destroy %d", f);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, overlapping_and_too_many_mappings)
{
	struct se *se = &self->se;
	int s, c, i;

	s = se_space_map(_metadata, se, 4, "anon");
	ASSERT_EQ(1, s);
	se_write(_metadata, se, s, SE_ADDR(3), 0x33);
	se_fail(_metadata, se, EEXIST, "overlaps", "space map %d 0x%llx 4", s, SE_ADDR(2));
	se_fail(_metadata, se, EEXIST, "overlaps", "space map %d 0x%llx 1", s, SE_ADDR(3));
	se_fail(_metadata, se, EEXIST, "overlaps", "space map %d 0x%llx 1", s, SE_BASE);
	se_fail(_metadata, se, EEXIST, "overlaps", "space map %d 0x%llx 8", s, SE_BASE);
	/* Adjacent is not overlapping. */
	SE_OK(se, "space map %d 0x%llx 2", s, SE_ADDR(4));
	se_read(_metadata, se, s, SE_ADDR(3), 0x33);

	/* Up to 16 mappings a space, the two above among them. */
	for (i = 2; i < CE_VMAS_MAX; i++)
		SE_OK(se, "space map %d 0x%llx 1", s, SE_ADDR(8 + 2 * i));
	se_fail(_metadata, se, ENOSPC, "16 mappings", "space map %d 0x%llx 1", s,
		SE_ADDR(100));
	se_fail(_metadata, se, ENOSPC, "16 mappings", "space map %d 0x%llx 1 anon", s,
		SE_ADDR(101));
	/* an overlap is found before the limit */
	se_fail(_metadata, se, EEXIST, "overlaps", "space map %d 0x%llx 1", s,
		SE_ADDR(8 + 4));
	ce_segv(_metadata, se, "space read 1 0x7f0000064000");
	se_read(_metadata, se, s, SE_ADDR(8 + 2 * (CE_VMAS_MAX - 1)), 0);

	/* The child of a full space is full too. */
	c = se_fork(_metadata, se, s);
	se_fail(_metadata, se, ENOSPC, "16 mappings", "space map %d 0x%llx 1", c,
		SE_ADDR(100));
	se_read(_metadata, se, c, SE_ADDR(3), 0x33);
	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, access_words_and_unmapped)
{
	static const char *const touch[] = { "exec", "READ", "Write", "rw", "1" };
	static const char *const onoff[] = { "yes", "ON", "0", "of", "onn" };
	static const char *const mig[] = { "start", "BEGIN", "finish", "abort" };
	struct se *se = &self->se;
	unsigned int i;
	int s;

	s = se_space_map(_metadata, se, 2, "anon");
	ASSERT_EQ(1, s);
	se_write(_metadata, se, s, SE_BASE, 0x41);

	for (i = 0; i < ARRAY_SIZE(touch); i++)
		ce_fail(_metadata, se, "space touch 1 0x7f0000000000 %s", touch[i], EINVAL,
			"is not read or write");
	se_fail(_metadata, se, EINVAL, "usage", "space touch %d 0x%llx", s, SE_BASE);
	for (i = 0; i < ARRAY_SIZE(onoff); i++)
		ce_fail(_metadata, se, "space uffd-wp 1 0x7f0000000000 1 %s", onoff[i],
			EINVAL, "is not on or off");
	for (i = 0; i < ARRAY_SIZE(mig); i++)
		ce_fail(_metadata, se, "space migrate 1 0x7f0000000000 %s", mig[i], EINVAL,
			"is not begin or end");
	se_check_pte(_metadata, se, s, SE_BASE, "present", SE_ANY, 1, 0, NULL);

	/* "end" without a "begin": no migration entry there. */
	se_fail(_metadata, se, ENOENT, "no migration entry", "space migrate %d 0x%llx end",
		s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no page mapped", "space migrate %d 0x%llx begin",
		s, SE_ADDR(1));
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_BASE);
	SE_OK(se, "space migrate %d 0x%llx end", s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no migration entry", "space migrate %d 0x%llx end",
		s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "no anonymous page", "space poison %d 0x%llx", s,
		SE_ADDR(1));
	se_read(_metadata, se, s, SE_BASE, 0x41);

	/* A load or store where nothing is mapped: SIGSEGV. */
	ce_segv(_metadata, se, "space touch 1 0x7f0000002000 read");
	ce_segv(_metadata, se, "space touch 1 0x7f0000002000 write");
	ce_segv(_metadata, se, "space read 1 0x7f0000002000");
	ce_segv(_metadata, se, "space write 1 0x7f0000002000 1");
	ce_segv(_metadata, se, "space swapout 1 0x7f003ffff000");
	ce_segv(_metadata, se, "space zap 1 0x7f0000002000 4");
	ce_segv(_metadata, se, "space swapout-pmd 1 0x7f0000200000");
	ce_segv(_metadata, se, "space split-pmd 1 0x7f0000200000");
	se_check_pte(_metadata, se, s, SE_ADDR(2), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_fail(_metadata, se, ENOENT, "no page mapped", "space migrate %d 0x%llx begin",
		s, SE_ADDR(2));
	se_fail(_metadata, se, ENOENT, "no anonymous page", "space poison %d 0x%llx", s,
		SE_ADDR(2));

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, ksm_merge_refused)
{
	struct se *se = &self->se;
	int s, t;

	s = se_space_map(_metadata, se, 2, "anon");
	t = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, s, SE_BASE, 0x51);
	se_write(_metadata, se, t, SE_BASE, 0x52);
	se_write(_metadata, se, s, SE_ADDR(1), 0x52);

	se_fail(_metadata, se, EINVAL, "pages differ", "ksm merge %d 0x%llx %d 0x%llx",
		s, SE_BASE, t, SE_BASE);
	se_fail(_metadata, se, EINVAL, "pages differ", "ksm merge %d 0x%llx %d 0x%llx",
		s, SE_BASE, s, SE_ADDR(1));
	se_fail(_metadata, se, ENOENT, "two distinct", "ksm merge %d 0x%llx %d 0x%llx",
		s, SE_BASE, s, SE_BASE);
	se_fail(_metadata, se, ENOENT, "two distinct", "ksm merge %d 0x%llx %d 0x%llx",
		s, SE_BASE, t, SE_ADDR(1));
	se_fail(_metadata, se, EINVAL, "usage", "ksm merge %d 0x%llx %d", s, SE_BASE, t);
	se_check_pte(_metadata, se, s, SE_BASE, "present", SE_ANY, 1, 0, NULL);
	se_check_pte(_metadata, se, t, SE_BASE, "present", SE_ANY, 1, 0, NULL);
	se_read(_metadata, se, s, SE_BASE, 0x51);
	se_read(_metadata, se, t, SE_BASE, 0x52);

	se_destroy(_metadata, se, t);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(ctl_engine, policy_refused)
{
	struct se *se = &self->se;

	se_fail(_metadata, se, EINVAL, "no policy 'zap_detail'",
		"policy set zap_detail even_cows");
	se_fail(_metadata, se, EINVAL, "no policy 'ZAP_DETAILS'",
		"policy set ZAP_DETAILS even_cows");
	se_fail(_metadata, se, EINVAL, "no value 'even_cow'",
		"policy set zap_details even_cow");
	se_fail(_metadata, se, EINVAL, "no value 'SKIP_SWAP'",
		"policy set zap_details SKIP_SWAP");
	se_fail(_metadata, se, EINVAL, "no value 'fixed'", "policy set zap_details fixed");
	se_fail(_metadata, se, EINVAL, "usage", "policy set zap_details");
	se_fail(_metadata, se, EINVAL, "usage", "policy set");
	se_fail(_metadata, se, EINVAL, "usage", "policy set zap_details even_cows now");
	se_fail(_metadata, se, EINVAL, "usage", "policy reset now");
	se_fail(_metadata, se, EINVAL, "unknown command", "policy frob");
	se_fail(_metadata, se, EINVAL, "unknown command", "policy");

	/* Nothing moved: the switch still has its fixed value. */
	se_policy(_metadata, se, "zap_details", "even_cows");
	se_policy(_metadata, se, "zap_details", "skip_swap");
	SE_OK(se, "policy reset");
	se_policy(_metadata, se, "zap_details", "even_cows");
}

TEST_F(ctl_engine, tags_above_long_max)
{
	static const char *const big[] = {
		"0x8000000000000000", "9223372036854775808", "0xffffffffffffffff",
	};
	struct se *se = &self->se;
	unsigned int i;
	int s, f;

	s = se_space_map(_metadata, se, 1, "anon");
	ASSERT_EQ(1, s);
	f = se_file_new(_metadata, se, 1);
	ASSERT_EQ(1, f);
	se_write(_metadata, se, s, SE_BASE, 0x61);
	se_file_write(_metadata, se, f, 0, 0x62);

	for (i = 0; i < ARRAY_SIZE(big); i++) {
		ce_fail(_metadata, se, "space write 1 0x7f0000000000 %s", big[i], ERANGE,
			"tag above 0x7fffffffffffffff");
		ce_fail(_metadata, se, "file write 1 0 %s", big[i], ERANGE,
			"tag above 0x7fffffffffffffff");
	}
	ce_fail(_metadata, se, "space write 1 0x7f0000000000 %s", "0x10000000000000000",
		ERANGE, "overflows");
	ce_fail(_metadata, se, "file write 1 0 %s", "18446744073709551616", ERANGE,
		"overflows");
	ce_fail(_metadata, se, "space write 1 0x7f0000000000 %s", "-1", EINVAL,
		"not a number");
	se_read(_metadata, se, s, SE_BASE, 0x61);
	se_file_read(_metadata, se, f, 0, 0x62);

	/* LONG_MAX itself is a tag. */
	se_write(_metadata, se, s, SE_BASE, 0x7fffffffffffffffULL);
	se_read(_metadata, se, s, SE_BASE, 0x7fffffffffffffffULL);
	se_file_write(_metadata, se, f, 0, 0x7fffffffffffffffULL);
	se_file_read(_metadata, se, f, 0, 0x7fffffffffffffffULL);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
