// SPDX-License-Identifier: GPL-2.0
/*
 * One logical swap entry, two page-table encodings.  swp_entry(1, 12345)
 * is the same entry on every arch, but swp_entry_to_pte() lays it out in
 * the arch's own pte format, and the module's tables hold exactly that:
 *
 *   x86-64		offset inverted in bits 9-58 (L1TF), type in 59-63
 *			type 1 offset 12345 = 0x0fffffffff9f8c00
 *   arm64 6.10+	type in bits 6-10, offset from bit 12 (bit 3 is
 *			uffd-wp, bit 11 PTE_PRESENT_INVALID)
 *			type 1 offset 12345 = 0x3039040
 *   arm64 6.1		type in bits 3-7, offset from bit 8 (bit 2 is
 *			anon-exclusive)
 *			type 1 offset 12345 = 0x303908
 *
 * "slot entry" gives the raw value the kernel's helpers build; "space pte"
 * reads a swap pte from a real table and decodes it with
 * pte_to_swp_entry(): both must agree with the layout above.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/utsname.h>

#include "st_engine.h"

#define PT_OFFSET	12345ULL

SE_FIXTURE(pgtable);

#if defined(__aarch64__)
/* arm64 moved its swap pte fields for uffd-wp in 6.10: is this kernel older? */
static bool pt_arm64_old_layout(void)
{
	unsigned int major, minor;
	struct utsname u;

	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return false;
	return major * 100 + minor < 610;
}
#endif

/*
 * swp_entry_to_pte(swp_entry(type, offset)) as this arch's pgtable.h
 * computes it; false on an arch this test does not know.
 */
static bool pt_arch_pte(unsigned long long type, unsigned long long offset,
			unsigned long long *pte, const char **arch)
{
#if defined(__x86_64__)
	*arch = "x86-64";
	*pte = (~offset << 14 >> 5) | (type << 59);
	return true;
#elif defined(__aarch64__)
	if (pt_arm64_old_layout()) {
		*arch = "arm64 before 6.10";
		*pte = (type << 3) | (offset << 8);
	} else {
		*arch = "arm64 6.10+";
		*pte = (type << 6) | (offset << 12);
	}
	return true;
#else
	return false;
#endif
}

/* The raw value of type 1 offset 12345, written out for this arch. */
static bool pt_arch_pte_12345(unsigned long long *pte)
{
#if defined(__x86_64__)
	*pte = 0x0fffffffff9f8c00ULL;
	return true;
#elif defined(__aarch64__)
	*pte = pt_arm64_old_layout() ? 0x303908ULL : 0x3039040ULL;
	return true;
#else
	return false;
#endif
}

TEST_F(pgtable, same_entry_arch_encoding)
{
	struct se *se = &self->se;
	unsigned long long entry, want, formula;
	const char *arch;

	if (se->base.nr_slots <= PT_OFFSET)
		SKIP(return, "nr_slots=%llu has no slot %llu", se->base.nr_slots, PT_OFFSET);
	if (!pt_arch_pte_12345(&want) || !pt_arch_pte(ST_SWAP_TYPE, PT_OFFSET, &formula, &arch))
		SKIP(return, "no known pte encoding for this arch");

	SE_OK(se, "slot entry %llu", PT_OFFSET);
	/* the logical entry (swp_entry_t): the same bits on every arch */
	entry = (unsigned long long)ST_SWAP_TYPE << 58 | PT_OFFSET;
	ASSERT_TRUE(ST_GET(se->r, "type") == ST_SWAP_TYPE &&
		    ST_GET(se->r, "offset") == PT_OFFSET &&
		    ST_GET(se->r, "entry") == entry) {
		TH_LOG("'slot entry %llu' -> '%s'", PT_OFFSET, se->r);
	}
	/* its pte: this arch's own layout */
	ASSERT_EQ(want, ST_GET(se->r, "pte")) {
		TH_LOG("%s: want pte=0x%llx, got '%s'", arch, want, se->r);
	}
	ASSERT_EQ(formula, want);
	ksft_print_msg("%s: swap type %u offset %llu is pte 0x%llx\n", arch, ST_SWAP_TYPE,
		       PT_OFFSET, want);
}

TEST_F(pgtable, table_entry_decodes_back)
{
	struct se *se = &self->se;
	unsigned long long raw, want;
	const char *arch;
	struct se_pte p;
	int s;

	s = se_space_map(_metadata, se, 1, "anon");
	se_write(_metadata, se, s, SE_BASE, 0xe1);
	se_swapout(_metadata, se, "space", s, SE_BASE, 1, 1, 0);
	/* kind, type and offset come from pte_to_swp_entry() of the table's pte */
	se_check_pte(_metadata, se, s, SE_BASE, "swap", SE_ANY, SE_ANY, 0, &p);
	raw = st_field(p.reply, "raw");

	SE_OK(se, "slot entry %llu", p.offset);
	ASSERT_EQ(raw, ST_GET(se->r, "pte")) {
		TH_LOG("the table holds '%s', swp_entry_to_pte() gives '%s'", p.reply, se->r);
	}
	if (pt_arch_pte(ST_SWAP_TYPE, p.offset, &want, &arch)) {
		ASSERT_EQ(want, raw) {
			TH_LOG("%s: want raw=0x%llx, got '%s'", arch, want, p.reply);
		}
	}

	/* the data come back from that slot; the write frees it */
	se_read(_metadata, se, s, SE_BASE, 0xe1);
	se_write(_metadata, se, s, SE_BASE, 0xe2);
	se_check_free(_metadata, se, p.offset);
	se_destroy(_metadata, se, s);
	se_check_used(_metadata, se, 0);
	se_audit(_metadata);
}

TEST_HARNESS_MAIN
