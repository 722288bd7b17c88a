/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Real page tables for model address spaces: one PMD table page covering
 * PTRS_PER_PMD * PMD_SIZE of model addresses, PTE table pages hung off it
 * with pmd_populate_kernel(), entries built and read with the kernel's own
 * helpers only.
 */
#ifndef _ST_PGTABLE_H
#define _ST_PGTABLE_H

#include <linux/mm.h>
#include <linux/swap.h>
#include <linux/swapops.h>

/* Model addresses: PUD-aligned, so the PMD table covers them exactly. */
#define ST_SPACE_BASE	0x7f0000000000UL
#define ST_SPACE_SIZE	(PTRS_PER_PMD * PMD_SIZE)
#define ST_SPACE_END	(ST_SPACE_BASE + ST_SPACE_SIZE)

enum st_pte_kind {
	ST_PTE_NONE,
	ST_PTE_PRESENT,
	ST_PTE_SWAP,
	ST_PTE_MARKER,
	ST_PTE_MIGRATION,
	ST_PTE_HWPOISON,
	ST_PTE_OTHER,
};

struct st_pte_info {
	enum st_pte_kind kind;
	unsigned long pfn;	/* present, migration, hwpoison */
	unsigned long slot;	/* swap: the offset */
	unsigned int type;	/* swap type of a non-present entry */
	bool write;
	bool dirty;
	bool uffd_wp;
};

struct st_pgtable {
	pmd_t *pmd;		/* the PMD table page */
};

int st_pgtable_init(struct st_pgtable *pt);
void st_pgtable_free(struct st_pgtable *pt);
pmd_t *st_pmd_offset(struct st_pgtable *pt, unsigned long addr);
pte_t *st_pte_offset(struct st_pgtable *pt, unsigned long addr);
pte_t *st_pte_prealloc(void);
bool st_pte_install(struct st_pgtable *pt, unsigned long addr, pte_t *table);

void st_pte_decode(pte_t pte, struct st_pte_info *info);
pte_t st_mk_present(unsigned long pfn, bool write);
pte_t st_mk_swap(unsigned long slot, bool uffd_wp);
int st_pte_format(pte_t pte, char *buf, size_t len);

int st_pmd_format(pmd_t pmd, char *buf, size_t len);
bool st_pmd_is_swap(pmd_t pmd);
unsigned long st_pmd_slot(pmd_t pmd);
pmd_t st_mk_pmd_swap(unsigned long slot);

#endif /* _ST_PGTABLE_H */
