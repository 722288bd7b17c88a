// SPDX-License-Identifier: GPL-2.0
/*
 * Shmem-like files of the swaptrack engine: reads, writes and holes
 * (shmem_get_folio()), shared and private mappings (do_fault(),
 * do_cow_fault()), shmem_writepage() and swapin, and what hole punch and
 * truncation do to the private COW copies of a mapping (seed 001: punch
 * keeps them, truncate takes them) and to a refillable hole (seed 003).
 */
#define _GNU_SOURCE
#include "st_engine.h"

SE_FIXTURE(files);

TEST_F(files, write_read_hole)
{
	struct se *se = &self->se;
	int f;

	f = se_file_new(_metadata, se, 8);
	se_file_read(_metadata, se, f, 3, 0);
	se_file_write(_metadata, se, f, 0, 0x100);
	se_file_write(_metadata, se, f, 7, 0x107);
	se_file_read(_metadata, se, f, 0, 0x100);
	se_file_read(_metadata, se, f, 7, 0x107);
	se_file_read(_metadata, se, f, 6, 0);
	se_file_write(_metadata, se, f, 0, 0x101);
	se_file_read(_metadata, se, f, 0, 0x101);
	se_audit(_metadata);

	/* Beyond the end: EINVAL, as Documentation/protocol.md says of an index past EOF. */
	se_fail(_metadata, se, EINVAL, "beyond the end", "file read %d 8", f);
	se_fail(_metadata, se, EINVAL, "beyond the end", "file write %d 8 1", f);

	se_file_destroy(_metadata, se, f);
	ST_ERR(ENOENT, se->fd, se->r, "file read %d 0", f);
	ST_ERR(ENOENT, se->fd, se->r, "file destroy %d", f);
	se_audit(_metadata);
}

TEST_F(files, shared_mapping)
{
	struct se *se = &self->se;
	struct se_pte p;
	int f, s;

	f = se_file_new(_metadata, se, 4);
	se_file_write(_metadata, se, f, 1, 0x210);
	s = se_file_map(_metadata, se, 4, "shared", f);

	/* The mapping sees the file... */
	se_read(_metadata, se, s, SE_ADDR(1), 0x210);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 0, &p);
	se_file_write(_metadata, se, f, 1, 0x211);
	se_read(_metadata, se, s, SE_ADDR(1), 0x211);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", p.pfn, 0, 0, NULL);

	/* ...and the file sees stores through the mapping, in place. */
	se_write(_metadata, se, s, SE_ADDR(1), 0x212);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", p.pfn, 1, 0, NULL);
	se_file_read(_metadata, se, f, 1, 0x212);
	se_write(_metadata, se, s, SE_ADDR(2), 0x220);
	se_file_read(_metadata, se, f, 2, 0x220);
	se_read(_metadata, se, s, SE_ADDR(3), 0);
	se_audit(_metadata);

	/* Nothing anonymous to reclaim here: the file page is skipped. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(1), 1, 0, 1);

	se_destroy(_metadata, se, s);
	se_file_read(_metadata, se, f, 1, 0x212);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(files, private_mapping_cow)
{
	struct se *se = &self->se;
	struct se_pte p;
	int f, s;

	f = se_file_new(_metadata, se, 2);
	se_file_write(_metadata, se, f, 0, 0x300);
	s = se_file_map(_metadata, se, 2, "private", f);

	/* Until written, a private mapping reads the file page itself. */
	se_read(_metadata, se, s, SE_ADDR(0), 0x300);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 0, 0, &p);
	se_file_write(_metadata, se, f, 0, 0x301);
	se_read(_metadata, se, s, SE_ADDR(0), 0x301);

	/* The write copies (wp_page_copy()): the file keeps its data. */
	se_write(_metadata, se, s, SE_ADDR(0), 0x3a0);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "present", SE_ANY, 1, 0, NULL);
	se_read(_metadata, se, s, SE_ADDR(0), 0x3a0);
	se_file_read(_metadata, se, f, 0, 0x301);

	/* The copy stays the mapping's, whatever the file does. */
	se_file_write(_metadata, se, f, 0, 0x302);
	se_read(_metadata, se, s, SE_ADDR(0), 0x3a0);
	se_file_read(_metadata, se, f, 0, 0x302);

	/* A write fault on a none pte copies at once (do_cow_fault()). */
	se_file_write(_metadata, se, f, 1, 0x310);
	se_write(_metadata, se, s, SE_ADDR(1), 0x3b0);
	se_file_read(_metadata, se, f, 1, 0x310);
	se_read(_metadata, se, s, SE_ADDR(1), 0x3b0);
	se_audit(_metadata);

	/* The COW copy is anonymous: it swaps like any other. */
	se_swapout(_metadata, se, "space", s, SE_ADDR(0), 2, 2, 0);
	se_check_used(_metadata, se, 2);
	se_read(_metadata, se, s, SE_ADDR(0), 0x3a0);
	se_read(_metadata, se, s, SE_ADDR(1), 0x3b0);
	se_write(_metadata, se, s, SE_ADDR(0), 0x3a1);
	se_write(_metadata, se, s, SE_ADDR(1), 0x3b1);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_audit(_metadata);
}

/*
 * A new file of @pages pages, page 0 written with @tag, mapped shared by a
 * new space *@sp that reads it, then swapped out by the file: *@slot.
 */
static int swapped_shared(struct __test_metadata *_metadata, struct se *se,
			  int pages, unsigned long long tag, int *sp,
			  unsigned long long *slot)
{
	int f;

	f = se_file_new(_metadata, se, pages);
	se_file_write(_metadata, se, f, 0, tag);
	*sp = se_file_map(_metadata, se, pages, "shared", f);
	se_read(_metadata, se, *sp, SE_ADDR(0), tag);
	se_swapout(_metadata, se, "file", f, 0, 1, 1, 0);
	*slot = se_file_slot(_metadata, f, 0);
	EXPECT_NE(SE_ABSENT, *slot);
	return f;
}

TEST_F(files, file_swapout_swapin)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s;

	/* try_to_unmap() leaves nothing in a file pte; the slot is SHMEM. */
	f = swapped_shared(_metadata, se, 2, 0x400, &s, &slot);
	ASSERT_NE(SE_ABSENT, slot);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_slot(_metadata, se, slot, 0xbf, 1, 0, 0, 1);
	se_check_used(_metadata, se, 1);
	se_audit(_metadata);
	/* a hole, and a swapped page, have nothing to swap out */
	se_swapout(_metadata, se, "file", f, 0, 2, 0, 2);

	/* shmem_swapin_folio(): the page is back, the slot freed. */
	se_file_read(_metadata, se, f, 0, 0x400);
	ASSERT_EQ(SE_ABSENT, se_file_slot(_metadata, f, 0));
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	/* Swapped out again, back in by a fault through the mapping. */
	se_swapout(_metadata, se, "file", f, 0, 1, 1, 0);
	slot = se_file_slot(_metadata, f, 0);
	se_check_slot(_metadata, se, slot, 0xbf, 1, 0, 0, 1);
	se_write(_metadata, se, s, SE_ADDR(0), 0x401);
	se_check_free(_metadata, se, slot);
	se_file_read(_metadata, se, f, 0, 0x401);
	se_audit(_metadata);

	/* The last iput frees what the file had on swap. */
	se_swapout(_metadata, se, "file", f, 0, 1, 1, 0);
	slot = se_file_slot(_metadata, f, 0);
	se_check_used(_metadata, se, 1);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/* A private COW copy of file page 0 of a new 4-page file, swapped out. */
static int swapped_cow(struct __test_metadata *_metadata, struct se *se, int *sp,
		       unsigned long long *slot)
{
	struct se_pte p;
	int f;

	f = se_file_new(_metadata, se, 4);
	se_file_write(_metadata, se, f, 0, 0x500);
	se_file_write(_metadata, se, f, 1, 0x510);
	*sp = se_file_map(_metadata, se, 4, "private", f);
	se_write(_metadata, se, *sp, SE_ADDR(0), 0x5a0);
	se_swapout(_metadata, se, "space", *sp, SE_ADDR(0), 1, 1, 0);
	se_check_pte(_metadata, se, *sp, SE_ADDR(0), "swap", SE_ANY, SE_ANY, 0, &p);
	*slot = p.offset;
	se_check_slot(_metadata, se, *slot, 1, 1, 0, 0, 0);
	/* and a present COW copy of page 1 */
	se_write(_metadata, se, *sp, SE_ADDR(1), 0x5b0);
	se_audit(_metadata);
	return f;
}

TEST_F(files, punch_keeps_private_cows)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s;

	f = swapped_cow(_metadata, se, &s, &slot);

	/* zap_details without even_cows: the COWs, swapped or not, stay. */
	SE_OK(se, "file punch %d 0 4", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "swap", slot, SE_ANY, 0, NULL);
	se_check_slot(_metadata, se, slot, 1, 1, 0, 0, 0);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 1, 0, NULL);
	se_file_read(_metadata, se, f, 0, 0);
	se_file_read(_metadata, se, f, 1, 0);
	se_audit(_metadata);

	se_read(_metadata, se, s, SE_ADDR(0), 0x5a0);
	se_read(_metadata, se, s, SE_ADDR(1), 0x5b0);
	se_write(_metadata, se, s, SE_ADDR(0), 0x5a1);
	se_check_free(_metadata, se, slot);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(files, truncate_takes_private_cows)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s;

	f = swapped_cow(_metadata, se, &s, &slot);

	/* even_cows: the swap entry and the present COW go, and the slot */
	SE_OK(se, "file truncate %d 0", f);
	se_check_pte(_metadata, se, s, SE_ADDR(0), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_free(_metadata, se, slot);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);

	/* Beyond EOF a fault is SIGBUS, and the file has no index 0. */
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space read %d 0x%llx", s, SE_ADDR(0));
	se_fail(_metadata, se, EFAULT, "SIGBUS", "space write %d 0x%llx 1", s,
		SE_ADDR(1));
	se_fail(_metadata, se, EINVAL, "beyond the end", "file read %d 0", f);

	/* Grown again: holes, read as zeroes through the mapping. */
	SE_OK(se, "file truncate %d 4", f);
	se_read(_metadata, se, s, SE_ADDR(0), 0);
	se_file_read(_metadata, se, f, 1, 0);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(files, punch_then_refill)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s, t;

	f = se_file_new(_metadata, se, 4);
	se_file_write(_metadata, se, f, 1, 0x610);
	se_file_write(_metadata, se, f, 2, 0x620);
	s = se_file_map(_metadata, se, 4, "private", f);
	t = se_file_map(_metadata, se, 4, "shared", f);
	se_read(_metadata, se, s, SE_ADDR(1), 0x610);
	se_read(_metadata, se, t, SE_ADDR(1), 0x610);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "present", SE_ANY, 0, 0, NULL);

	/* The file page goes from both mappings: a hole, not a SIGBUS. */
	SE_OK(se, "file punch %d 1 1", f);
	se_check_pte(_metadata, se, s, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_check_pte(_metadata, se, t, SE_ADDR(1), "none", SE_ANY, SE_ANY, SE_ANY, NULL);
	se_audit(_metadata);
	se_read(_metadata, se, s, SE_ADDR(1), 0);
	se_read(_metadata, se, t, SE_ADDR(1), 0);
	se_file_read(_metadata, se, f, 1, 0);

	/* A swapped-out file page punched: the slot is freed, a hole refills. */
	se_swapout(_metadata, se, "file", f, 2, 1, 1, 0);
	slot = se_file_slot(_metadata, f, 2);
	ASSERT_NE(SE_ABSENT, slot);
	SE_OK(se, "file punch %d 2 1", f);
	ASSERT_EQ(SE_ABSENT, se_file_slot(_metadata, f, 2));
	se_check_free(_metadata, se, slot);
	se_read(_metadata, se, s, SE_ADDR(2), 0);
	se_write(_metadata, se, t, SE_ADDR(2), 0x621);
	se_file_read(_metadata, se, f, 2, 0x621);
	se_read(_metadata, se, s, SE_ADDR(2), 0x621);
	se_audit(_metadata);

	se_destroy(_metadata, se, s);
	se_destroy(_metadata, se, t);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_F(files, destroy_while_mapped)
{
	struct se *se = &self->se;
	int f, s, t;

	f = se_file_new(_metadata, se, 1);
	se_file_write(_metadata, se, f, 0, 0x700);
	s = se_file_map(_metadata, se, 1, "shared", f);
	t = se_file_map(_metadata, se, 1, "private", f);
	se_read(_metadata, se, s, SE_ADDR(0), 0x700);

	se_fail(_metadata, se, EBUSY, "mapped", "file destroy %d", f);
	se_destroy(_metadata, se, s);
	se_fail(_metadata, se, EBUSY, "mapped", "file destroy %d", f);
	se_file_read(_metadata, se, f, 0, 0x700);
	se_destroy(_metadata, se, t);
	se_file_destroy(_metadata, se, f);
	ST_ERR(ENOENT, se->fd, se->r, "file destroy %d", f);
	ST_ERR(ENOENT, se->fd, se->r, "space map %d 0x%llx 1 shared %d 0", s, SE_BASE, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * fileN/index of a file bigger than a seq_file buffer, read a few bytes at
 * a time: the size first, then every entry once, in index order, holes
 * left out, swapped pages as their slots (each a different one).
 */
#define BIG_PAGES	2048
#define BIG_SWAPPED	1024

TEST_F(files, index_of_a_big_file)
{
	static char text[BIG_PAGES * 64];
	static unsigned long long slot_of[BIG_PAGES];
	struct se *se = &self->se;
	unsigned long long index, slot, next = 0, size;
	size_t len = 0;
	char path[128], *line, *save;
	ssize_t n;
	int f, fd, i;

	f = se_file_new(_metadata, se, BIG_PAGES);
	for (i = 0; i < BIG_PAGES; i++)
		if (i % 5)
			se_file_write(_metadata, se, f, i, 0x5000 + i);
	SE_OK(se, "file swapout %d 0 %u", f, BIG_SWAPPED);

	snprintf(path, sizeof(path), "%s/%s/file%d/index", ST_DEBUGFS_MNT,
		 ST_DEBUGFS_DIR, f);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	while ((n = read(fd, text + len, 7)) > 0 && len < sizeof(text) - 8)
		len += n;
	close(fd);
	ASSERT_EQ(0, n);
	text[len] = '\0';

	line = strtok_r(text, "\n", &save);
	ASSERT_NE(NULL, line);
	if (sscanf(line, "size %llu", &size) != 1)
		size = 0;
	ASSERT_EQ((unsigned long long)BIG_PAGES, size);
	while ((line = strtok_r(NULL, "\n", &save))) {
		while (next % 5 == 0)
			next++;
		ASSERT_EQ(next, strtoull(line, NULL, 10)) {
			TH_LOG("'%s' where index %llu was due", line, next);
		}
		index = next++;
		if (index < BIG_SWAPPED) {
			ASSERT_TRUE(sscanf(line, "%llu swap slot=%llu", &index, &slot) == 2) {
				TH_LOG("index %llu: '%s'", index, line);
			}
			slot_of[index] = slot;
			for (i = 0; i < (int)index; i++)
				ASSERT_TRUE(i % 5 == 0 || slot_of[i] != slot);
		} else {
			ASSERT_NE(NULL, strstr(line, " page pfn=0x")) {
				TH_LOG("index %llu: '%s'", index, line);
			}
		}
	}
	ASSERT_EQ((unsigned long long)BIG_PAGES, next);
	se_file_read(_metadata, se, f, 7, 0x5007);
	se_file_read(_metadata, se, f, BIG_SWAPPED + 2, 0x5000 + BIG_SWAPPED + 2);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * A file's swap entry whose slot holds SWAP_HAS_CACHE and no page ("slot
 * cache"): a swapin gives up after ST_SWAPIN_CACHE_WAIT (1 s) with EIO,
 * through read(2) and through a fault alike, once (not a wait for each
 * retry of the fault); with the bit gone the page reads back.
 */
static double fl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST_F(files, stuck_cache_bit_fails_once)
{
	struct se *se = &self->se;
	unsigned long long slot;
	double t0;
	int f, s;

	f = swapped_shared(_metadata, se, 4, 0x700, &s, &slot);
	ASSERT_NE(SE_ABSENT, slot);
	SE_OK(se, "slot cache %llu", slot);

	t0 = fl_now();
	se_fail(_metadata, se, EIO, "read failed", "file read %d 0", f);
	se_fail(_metadata, se, EIO, "entry corrupt", "space read %d 0x%llx", s, SE_ADDR(0));
	ASSERT_GT(20.0, fl_now() - t0) {
		TH_LOG("two failed swapins took %.1f s", fl_now() - t0);
	}

	SE_OK(se, "slot uncache %llu", slot);
	se_file_read(_metadata, se, f, 0, 0x700);
	se_read(_metadata, se, s, SE_ADDR(0), 0x700);
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

/*
 * A file's swap entry whose slot has no count left but SWAP_HAS_CACHE and
 * no page: a slot parked by slot_reuse=deferred.  __read_swap_cache_async()
 * skips such a slot at once ("mm/swap: skip read ahead for unreferenced
 * swap slots", 4.11; swap_swapcount() == 0 in 6.1 and 6.12) instead of
 * waiting on its cache bit: shmem_swapin_folio() gets NULL while the index
 * still holds the entry, so read(2) gets -ENOMEM, not the EIO of a wait
 * given up.  The file's own reference is dropped by hand to get there (the
 * index is corrupt on purpose); "slot drain" frees the slot after.
 */
TEST_F(files, parked_slot_is_not_read)
{
	struct se *se = &self->se;
	unsigned long long slot;
	int f, s;

	f = swapped_shared(_metadata, se, 4, 0x710, &s, &slot);
	ASSERT_NE(SE_ABSENT, slot);
	se_policy(_metadata, se, "slot_reuse", "deferred");
	SE_OK(se, "slot free %llu", slot);
	SE_OK(se, "slot query %llu", slot);
	ASSERT_NE(NULL, strstr(se->r, "parked=1")) {
		TH_LOG("after 'slot free %llu': %s", slot, se->r);
	}
	ASSERT_NE(NULL, strstr(se->r, "count=0 cache=0"));

	se_fail(_metadata, se, ENOMEM, "came back", "file read %d 0", f);
	ASSERT_EQ(slot, se_file_slot(_metadata, f, 0));

	SE_OK(se, "slot drain");
	se_destroy(_metadata, se, s);
	se_file_destroy(_metadata, se, f);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
