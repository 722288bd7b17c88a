// SPDX-License-Identifier: GPL-2.0
/*
 * Special entries of the swaptrack engine: uffd-wp bits and pte markers
 * (seed 004), migration entries, hwpoison entries, and KSM pages, alone
 * and coming back from swap (seed 002).
 */
#define _GNU_SOURCE
#include "st_engine.h"

SE_FIXTURE(special);

/*
 * A 4-page private mapping of a new file, registered and protected with
 * uffd-wp: page 0 the file page mapped, page 1 a COW copy swapped out,
 * pages 2 and 3 none (markers once protected).
 */
static int wp_file_space(struct __test_metadata *_metadata, struct se *se,
			 int *fp, unsigned long long *slot)
{
	struct se_pte p;
	int s;

	*fp = se_file_new(_metadata, se, 4);
	se_file_write(_metadata, se, *fp, 0, 0x800);
	se_file_write(_metadata, se, *fp, 1, 0x810);
	s = se_file_map(_metadata, se, 4, "private", *fp);
	se_read(_metadata, se, s, SE_ADDR(0), 0x800);
	se_write(_metadata, se, s, SE_ADDR(1), 0x8a0);
	se_swapout(_metadata, se, "space", s, SE_ADDR(1), 1, 1, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "swap", SE_ANY, SE_ANY, 0, &p);
	*slot = p.offset;

	SE_OK(se, "space uffd-wp %d 0x%llx 4 on", s, SE_BASE);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "swap", *slot, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(3), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_check_slot(_metadata, se, *slot, 1, 1, 0, 0, 0);
	se_audit(_metadata);
	return s;
}

TEST_F(special, uffd_wp_file_markers)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s, i;

	if (!se_wp_supported(_metadata, se))
		SKIP(return, SE_WP_SKIP_REASON);

	s = wp_file_space(_metadata, se, &f, &slot);

	/*
	 * Every kind of entry write-protected: a userfault.  A marker is
	 * first faulted in read-only with its protection (finish_fault()),
	 * then do_wp_page() raises it.
	 */
	for (i = 0; i < 4; i++)
		se_fail(_metadata, se, EPERM, "uffd-wp userfault",
			"space write %d 0x%llx 0x8ff", s, SE_ADDR(i));
	se_check_pte(_metadata, se, s, SE_ADDR(3), "present", SE_ANY, 0, 1, NULL);

	/* A read fault on a marker maps the page and keeps the protection. */
	se_read(_metadata, se, s, SE_ADDR(2), 0);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "present", SE_ANY, 0, 1, NULL);
	se_audit(_metadata);

	/* Zap keeps the protection of a registered file mapping as markers. */
	SE_OK(se, "space zap %d 0x%llx 4", s, SE_BASE);
	ASSERT_EQ(4ULL, ST_GET(se->r, "zapped"));
	for (i = 0; i < 4; i++)
		se_check_pte(_metadata, se, s, SE_ADDR(i), "marker", SE_ANY, SE_ANY, 1,
			     NULL);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1",
		s, SE_ADDR(1));
	/* the COW copy went with the zap: the file's data again */
	se_read(_metadata, se, s, SE_ADDR(1), 0x810);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 1, NULL);

	/* Unprotect: markers go, bits go, writes go through. */
	SE_OK(se, "space uffd-wp %d 0x%llx 4 off", s, SE_BASE);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 0, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(3), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	for (i = 0; i < 4; i++)
		se_write(_metadata, se, s, SE_ADDR(i), 0x8b0 + i);
	se_check_pte(_metadata, se, s, SE_ADDR(3), "present", SE_ANY, 1, 0, NULL);
	se_file_read(_metadata, se, f, 3, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(special, uffd_wp_anon_zap_drops)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte p;
	int s;

	if (!se_wp_supported(_metadata, se))
		SKIP(return, SE_WP_SKIP_REASON);

	s = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), 0x900);
	SE_OK(se, "space uffd-wp %d 0x%llx 2 on", s, SE_BASE);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, SE_ANY, 1, NULL);
	/* anonymous memory has no markers: a none pte carries nothing */
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1",
		s, SE_ADDR(0));
	se_audit(_metadata);

	/* The bit survives swap out (pte_swp_mkuffd_wp()) and back. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 1, &p);
	slot = p.offset;
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1",
		s, SE_ADDR(0));
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
	se_audit(_metadata);

	/* Zap on anonymous memory drops the protection with the page. */
	SE_OK(se, "space zap %d 0x%llx 2", s, SE_BASE);
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);
	se_write(_metadata, se, s, SE_ADDR(0), 0x901);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, NULL);
	se_read(_metadata, se, s, SE_ADDR(0), 0x901);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(special, uffd_wp_fork_child_unprotected)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s, c;

	if (!se_wp_supported(_metadata, se))
		SKIP(return, SE_WP_SKIP_REASON);

	s = wp_file_space(_metadata, se, &f, &slot);
	c = se_fork(_metadata, se, s);

	/* No UFFD_FEATURE_EVENT_FORK: no markers, no bits in the child. */
	se_check_pte(_metadata, se, c, SE_ADDR(0), "present", SE_ANY, 0, 0, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(1), "swap", slot, SE_ANY, 0, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(2), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, c, SE_ADDR(3), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_slot(_metadata, se, slot, 2, 2, 0, 0, 0);
	/* the parent keeps all of it */
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "swap", slot, SE_ANY, 1, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(2), "marker", SE_ANY, SE_ANY, 1, NULL);
	se_audit(_metadata);

	se_write(_metadata, se, c, SE_ADDR(1), 0x8c1);
	se_write(_metadata, se, c, SE_ADDR(2), 0x8c2);
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1",
		s, SE_ADDR(1));
	se_fail(_metadata, se, EPERM, "uffd-wp userfault", "space write %d 0x%llx 1",
		s, SE_ADDR(2));
	se_read(_metadata, se, s, SE_ADDR(1), 0x8a0);
	se_read(_metadata, se, c, SE_ADDR(1), 0x8c1);
	se_audit(_metadata);

	se_destroy(_metadata, se, c);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	/* the parent's swapped-in page, stranded by its destroy */
	se_reclaim(_metadata, se, 1);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

struct reader {
	int space;
	unsigned long long addr;
	int started, done;	/* __atomic: the main thread polls them */
	int err;
	char reply[ST_REPLY_BUF];
};

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;
	int fd = st_open_ctl();

	if (fd < 0) {
		rd->err = -2;
		__atomic_store_n(&rd->done, 1, __ATOMIC_RELEASE);
		return NULL;
	}
	__atomic_store_n(&rd->started, 1, __ATOMIC_RELEASE);
	rd->err = se_tcmd(fd, rd->reply, "space read %d 0x%llx", rd->space, rd->addr);
	__atomic_store_n(&rd->done, 1, __ATOMIC_RELEASE);
	close(fd);
	return NULL;
}

TEST_F(special, migration_entry)
{
	struct se *se = &self->se;
	unsigned long long pfn, slot;
	struct reader rd;
	struct se_pte p;
	pthread_t th;
	int s;

	s = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), 0xa00);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &p);
	pfn = p.pfn;

	/* A writable pte becomes a writable migration entry of the old pfn. */
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_ADDR(0));
	ASSERT_EQ(pfn, ST_GET(se->r, "pfn"));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "migration", pfn, 1, SE_ANY, NULL);
	se_audit(_metadata);

	/* A load waits on the page lock (migration_entry_wait()) until end. */
	memset(&rd, 0, sizeof(rd));
	rd.space = s;
	rd.addr = SE_ADDR(0);
	ASSERT_EQ(0, pthread_create(&th, NULL, reader_thread, &rd));
	while (!__atomic_load_n(&rd.started, __ATOMIC_ACQUIRE))
		usleep(1000);
	usleep(300 * 1000);
	ASSERT_EQ(0, __atomic_load_n(&rd.done, __ATOMIC_ACQUIRE)) {
		pthread_join(th, NULL);
		TH_LOG("the read did not wait for the migration: %d '%s'", rd.err,
		       rd.reply);
	}
	SE_OK(se, "space migrate %d 0x%llx end", s, SE_ADDR(0));
	ASSERT_EQ(pfn, ST_GET(se->r, "pfn"));
	ASSERT_EQ(0, pthread_join(th, NULL));
	ASSERT_TRUE(rd.err == 0 && st_field(rd.reply, "tag") == 0xa00) {
		TH_LOG("the waiting read got %d '%s', want tag=0xa00", rd.err, rd.reply);
	}
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &p);
	ASSERT_NE(pfn, p.pfn);
	se_read(_metadata, se, s, SE_ADDR(0), 0xa00);
	se_audit(_metadata);

	/* No migration in flight: end has nothing to end. */
	se_fail(_metadata, se, ENOENT, "no migration entry", "space migrate %d 0x%llx end",
		s, SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "no migration entry", "space migrate %d 0x%llx end",
		s, SE_ADDR(1));
	se_fail(_metadata, se, ENOENT, "no page mapped",
		"space migrate %d 0x%llx begin", s, SE_ADDR(1));

	/* A read-only pte gives a readable entry, and read-only it comes back. */
	se_read(_metadata, se, s, SE_ADDR(1), 0);
	SE_OK(se, "space migrate %d 0x%llx begin", s, SE_ADDR(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "migration", SE_ANY, 0, SE_ANY, NULL);
	SE_OK(se, "space migrate %d 0x%llx end", s, SE_ADDR(1));
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 0, NULL);
	se_read(_metadata, se, s, SE_ADDR(1), 0);

	/* Pages in the swap cache do not migrate here. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &p);
	slot = p.offset;
	se_read(_metadata, se, s, SE_ADDR(0), 0xa00);
	se_fail(_metadata, se, EBUSY, "swap cache", "space migrate %d 0x%llx begin", s,
		SE_ADDR(0));
	se_write(_metadata, se, s, SE_ADDR(0), 0xa01);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(special, hwpoison_entry)
{
	struct se *se = &self->se;
	struct se_pte p;
	int s;

	s = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, s, SE_ADDR(0), 0xb00);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, &p);

	SE_OK(se, "space poison %d 0x%llx", s, SE_ADDR(0));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "hwpoison", p.pfn, SE_ANY, SE_ANY, NULL);
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space write %d 0x%llx 1", s,
		SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "no anonymous page", "space poison %d 0x%llx", s,
		SE_ADDR(0));
	se_fail(_metadata, se, ENOENT, "no anonymous page", "space poison %d 0x%llx", s,
		SE_ADDR(1));
	se_audit(_metadata);

	/* MADV_DONTNEED clears it: a new zeroed page on the next access. */
	SE_OK(se, "space zap %d 0x%llx", s, SE_ADDR(0));
	ASSERT_EQ(1ULL, ST_GET(se->r, "zapped"));
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, SE_ANY, 0, &p);
	se_write(_metadata, se, s, SE_ADDR(0), 0xb01);
	se_read(_metadata, se, s, SE_ADDR(0), 0xb01);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(special, ksm_merge_and_cow)
{
	struct se *se = &self->se;
	struct se_pte pa, pb;
	int a, b;

	a = se_space_map(_metadata, se, 2, "anon");
	b = se_space_map(_metadata, se, 2, "anon");
	se_write(_metadata, se, a, SE_ADDR(0), 0xc00);
	se_write(_metadata, se, b, SE_ADDR(0), 0xc00);
	se_write(_metadata, se, a, SE_ADDR(1), 0xc10);
	se_write(_metadata, se, b, SE_ADDR(1), 0xc11);

	SE_OK(se, "ksm merge %d 0x%llx %d 0x%llx", a, SE_ADDR(0), b, SE_ADDR(0));
	se_check_pte(_metadata, se, a, SE_ADDR(0), "present", SE_ANY, 0, 0, &pa);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "present", pa.pfn, 0, 0, NULL);
	se_read(_metadata, se, a, SE_ADDR(0), 0xc00);
	se_read(_metadata, se, b, SE_ADDR(0), 0xc00);
	se_audit(_metadata);

	se_fail(_metadata, se, EINVAL, "differ", "ksm merge %d 0x%llx %d 0x%llx", a,
		SE_ADDR(1), b, SE_ADDR(1));
	se_fail(_metadata, se, ENOENT, "distinct", "ksm merge %d 0x%llx %d 0x%llx", a,
		SE_ADDR(0), b, SE_ADDR(0));

	/* A write to a KSM page always copies, in either space. */
	se_write(_metadata, se, b, SE_ADDR(0), 0xc01);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "present", SE_ANY, 1, 0, &pb);
	ASSERT_NE(pa.pfn, pb.pfn);
	se_check_pte(_metadata, se, a, SE_ADDR(0), "present", pa.pfn, 0, 0, NULL);
	se_read(_metadata, se, a, SE_ADDR(0), 0xc00);
	se_read(_metadata, se, b, SE_ADDR(0), 0xc01);
	se_write(_metadata, se, a, SE_ADDR(0), 0xc02);
	se_check_pte(_metadata, se, a, SE_ADDR(0), "present", SE_ANY, 1, 0, &pb);
	ASSERT_NE(pa.pfn, pb.pfn);
	se_read(_metadata, se, a, SE_ADDR(0), 0xc02);
	se_read(_metadata, se, b, SE_ADDR(1), 0xc11);
	se_audit(_metadata);

	se_destroy(_metadata, se, a);
	se_destroy(_metadata, se, b);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(special, ksm_page_back_from_swap_is_copied)
{
	struct se *se = &self->se;
	unsigned long long slot;
	struct se_pte pa, pb;
	int a, b;

	a = se_space_map(_metadata, se, 1, "anon");
	b = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, a, SE_ADDR(0), 0xd00);
	se_write(_metadata, se, b, SE_ADDR(0), 0xd00);
	SE_OK(se, "ksm merge %d 0x%llx %d 0x%llx", a, SE_ADDR(0), b, SE_ADDR(0));

	/* One page, two ptes: both become swap entries of one slot. */
	se_swapout(_metadata, se, "space", a, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, a, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &pa);
	slot = pa.offset;
	se_check_pte(_metadata, se, b, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, 2, 2, 0, 0, 0);
	se_audit(_metadata);

	/* ksm_might_need_to_copy(): each space gets a page of its own. */
	se_read(_metadata, se, a, SE_ADDR(0), 0xd00);
	se_read(_metadata, se, b, SE_ADDR(0), 0xd00);
	se_check_pte(_metadata, se, a, SE_ADDR(0), "present", SE_ANY, SE_ANY, 0, &pa);
	se_check_pte(_metadata, se, b, SE_ADDR(0), "present", SE_ANY, SE_ANY, 0, &pb);
	ASSERT_NE(pa.pfn, pb.pfn) {
		TH_LOG("spaces %d and %d share pfn 0x%llx after swapin of a KSM page",
		       a, b, pa.pfn);
	}
	se_audit(_metadata);

	se_write(_metadata, se, a, SE_ADDR(0), 0xd01);
	se_write(_metadata, se, b, SE_ADDR(0), 0xd02);
	se_read(_metadata, se, a, SE_ADDR(0), 0xd01);
	se_read(_metadata, se, b, SE_ADDR(0), 0xd02);
	se_destroy(_metadata, se, a);
	se_destroy(_metadata, se, b);
	SE_OK(se, "reclaim");
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
