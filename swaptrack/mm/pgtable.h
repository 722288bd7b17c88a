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

#include "swaptrack.h"

/*
 * Model addresses (ST_SPACE_BASE): PUD-aligned, so the PMD table covers
 * them exactly.
 */
#define ST_SPACE_SIZE	(PTRS_PER_PMD * PMD_SIZE)

enum st_pte_kind {
	ST_PTE_NONE,
	ST_PTE_PRESENT,
	ST_PTE_SWAP,
	ST_PTE_MARKER,
	ST_PTE_MIGRATION,
	ST_PTE_HWPOISON,
	ST_PTE_DEVICE_PRIVATE,
	ST_PTE_DEVICE_EXCLUSIVE,
	ST_PTE_OTHER,
	ST_PTE_KINDS
};

/*
 * One entry decoded, a pte or a leaf pmd.  The bits are what the kernel's
 * helpers say for the kind at hand; a bit a kind cannot carry stays false.
 */
struct st_pte_info {
	enum st_pte_kind kind;
	unsigned long pfn;	/* present, migration, hwpoison, device */
	unsigned long slot;	/* swap: the offset */
	unsigned int type;	/* swap type of a non-present entry */
	unsigned int marker;	/* pte marker bits (PTE_MARKER_*) */
	bool write;		/* present, writable migration or device */
	bool dirty;
	bool young;
	bool soft_dirty;
	bool uffd_wp;
	/* swap: PG_anon_exclusive kept in the entry; migration: read-exclusive */
	bool exclusive;
};

/* Room for st_pte_format() and st_pmd_format(), whatever the kind. */
#define ST_PTE_FMT_MAX	224

struct st_pgtable {
	pmd_t *pmd;		/* the PMD table page */
};

int st_pgtable_init(struct st_pgtable *pt);
void st_pgtable_free(struct st_pgtable *pt);
pmd_t *st_pmd_offset(struct st_pgtable *pt, unsigned long addr);
pte_t *st_pte_offset(struct st_pgtable *pt, unsigned long addr);
pte_t *st_pte_prealloc(void);
bool st_pte_install(struct st_pgtable *pt, unsigned long addr, pte_t *table);
void st_pgtable_set_owner(struct st_pgtable *pt, int id);

/*
 * Every pte or pmd the model sets or clears goes through these: each is
 * the kernel call it names, traced (swaptrack_pte, swaptrack_pmd) with the
 * space and address the table page tells.
 */
void st_set_pte(pte_t *ptep, pte_t pte);
void st_set_pmd(pmd_t *pmdp, pmd_t pmd);
void st_pmd_clear(pmd_t *pmdp);
void st_pte_table_bind(pte_t *table, pmd_t *pmdp);
void st_pmd_populate(pmd_t *pmdp, pte_t *table);
void st_pte_table_free(pte_t *table);

void st_pte_decode(pte_t pte, struct st_pte_info *info);
pte_t st_mk_present(unsigned long pfn, bool write);
pte_t st_mk_swap(unsigned long slot, bool uffd_wp);
int st_pte_format(pte_t pte, char *buf, size_t len);
const char *st_pte_kind_name(enum st_pte_kind kind);

void st_pmd_decode(pmd_t pmd, struct st_pte_info *info);
int st_pmd_format(pmd_t pmd, char *buf, size_t len);
bool st_pmd_is_swap(pmd_t pmd);
unsigned long st_pmd_slot(pmd_t pmd);
pmd_t st_mk_pmd_swap(unsigned long slot);

/* pte_none_mostly() where the policy says so, pte_none() otherwise. */
bool st_pte_none_mostly(pte_t pte);

struct st_space;

/*
 * What an rmap walk calls on each pte it visits (rmap.c, anon.c,
 * i_mmap.c): the space, the address, its pte, under the space's ptl.
 */
typedef int (*st_pte_fn)(struct st_space *s, unsigned long addr, pte_t *ptep,
			 void *arg);

#endif /* _ST_PGTABLE_H */
