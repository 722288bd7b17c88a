// SPDX-License-Identifier: GPL-2.0
/*
 * Real page tables for model address spaces.
 *
 * The tables are in the hardware format of the arch: a PMD table page
 * whose entries are PTE tables linked with pmd_populate_kernel() (there is
 * no mm: init_mm is not exported, and both x86-64 and arm64 accept NULL
 * there), walked with pte_offset_kernel().  Nothing here hand-crafts a bit:
 * entries come from pfn_pte(), swp_entry_to_pte(), pte_swp_mkuffd_wp(),
 * make_pte_marker() and friends, and are decoded with their inverses.
 * The tables are never loaded into a CPU: they are data, in the real
 * encoding, so that a dump shows what the kernel would have written.
 *
 * For the traces, each table page knows where it is, as the kernel's
 * page-table pages do through their struct ptdesc: page_private() of the
 * PMD table is its space's id, and that of a PTE table the pmd entry it
 * hangs from (or will: st_pte_table_bind()).  Every write of an entry goes
 * through st_set_pte() and friends, which read both back.
 */
#include <linux/gfp.h>
#include <linux/kernel.h>

#include <asm/pgalloc.h>

#include "swaptrack.h"
#include "mm/compat.h"
#include "mm/pgtable.h"
#include "race/policy.h"
#include "trace/events.h"

static_assert(ST_SPACE_SIZE == (ST_SPACE_END - ST_SPACE_BASE));

int st_pgtable_init(struct st_pgtable *pt)
{
	pt->pmd = (pmd_t *)get_zeroed_page(GFP_KERNEL);
	return pt->pmd ? 0 : -ENOMEM;
}

/* Every entry must already be none: the caller zapped the whole space. */
void st_pgtable_free(struct st_pgtable *pt)
{
	unsigned int i;

	if (!pt->pmd)
		return;
	for (i = 0; i < PTRS_PER_PMD; i++) {
		pmd_t pmd = st_pmdp_get(&pt->pmd[i]);

		if (pmd_none(pmd) || !pmd_present(pmd))
			continue;
		st_pte_table_free((pte_t *)pmd_page_vaddr(pmd));
	}
	set_page_private(virt_to_page(pt->pmd), 0);
	free_page((unsigned long)pt->pmd);
	pt->pmd = NULL;
}

pmd_t *st_pmd_offset(struct st_pgtable *pt, unsigned long addr)
{
	return &pt->pmd[pmd_index(addr)];
}

/* The pte of addr, or NULL if no PTE table covers it (or a PMD leaf does). */
pte_t *st_pte_offset(struct st_pgtable *pt, unsigned long addr)
{
	pmd_t *pmdp = st_pmd_offset(pt, addr);
	pmd_t pmd = st_pmdp_get(pmdp);

	if (pmd_none(pmd) || !pmd_present(pmd))
		return NULL;
	return pte_offset_kernel(pmdp, addr);
}

/* __pte_alloc() allocates before taking the table lock... */
pte_t *st_pte_prealloc(void)
{
	return (pte_t *)get_zeroed_page(GFP_KERNEL);
}

/*
 * ...and installs under it, unless another thread was first.  Returns true
 * when the table was used; the caller frees it otherwise.
 */
bool st_pte_install(struct st_pgtable *pt, unsigned long addr, pte_t *table)
{
	pmd_t *pmdp = st_pmd_offset(pt, addr);

	if (!pmd_none(st_pmdp_get(pmdp)))
		return false;
	st_pmd_populate(pmdp, table);
	return true;
}

/*
 * The space's id, once it has one, in its PMD table page.  Locking: none;
 * before the space is reachable by anyone else.
 */
void st_pgtable_set_owner(struct st_pgtable *pt, int id)
{
	set_page_private(virt_to_page(pt->pmd), id);
}

/* The space id and address of a pmd entry, from its table page. */
static int pmd_where(pmd_t *pmdp, unsigned long *addr)
{
	unsigned long i = offset_in_page(pmdp) / sizeof(pmd_t);

	*addr = ST_SPACE_BASE + i * PMD_SIZE;
	return page_private(virt_to_page(pmdp));
}

/*
 * The space id and address of a pte: through the pmd entry its table is
 * bound to; space 0 and the offset in the table for an unbound one.
 */
static int pte_where(pte_t *ptep, unsigned long *addr)
{
	pmd_t *pmdp = (pmd_t *)page_private(virt_to_page(ptep));
	unsigned long off = offset_in_page(ptep) / sizeof(pte_t) * PAGE_SIZE;
	int id = 0;

	*addr = 0;
	if (pmdp)
		id = pmd_where(pmdp, addr);
	*addr += off;
	return id;
}

/*
 * set_pte(), traced.  Locking: the table lock of the space (s->ptl), or a
 * table nobody else can reach yet.
 */
void st_set_pte(pte_t *ptep, pte_t pte)
{
	if (trace_swaptrack_pte_enabled()) {
		struct st_pte_info o, n;
		pte_t old = ptep_get(ptep);
		unsigned long addr;
		int id = pte_where(ptep, &addr);

		st_pte_decode(old, &o);
		st_pte_decode(pte, &n);
		trace_swaptrack_pte(id, addr, pte_val(old), pte_val(pte),
				    st_pte_kind_name(o.kind),
				    st_pte_kind_name(n.kind));
	}
	set_pte(ptep, pte);
}

/* The pmd event of pmdp going from old to pmd. */
static void trace_pmd(pmd_t *pmdp, pmd_t old, pmd_t pmd)
{
	struct st_pte_info o, n;
	unsigned long addr;
	int id = pmd_where(pmdp, &addr);
	const char *ok = "table", *nk = "table";

	/* a PTE table linked is not a leaf: named so, not decoded */
	if (!pmd_present(old) || pmd_none(old)) {
		st_pmd_decode(old, &o);
		ok = st_pte_kind_name(o.kind);
	}
	if (!pmd_present(pmd) || pmd_none(pmd)) {
		st_pmd_decode(pmd, &n);
		nk = st_pte_kind_name(n.kind);
	}
	trace_swaptrack_pmd(id, addr, pmd_val(old), pmd_val(pmd), ok, nk);
}

/* set_pmd(), traced.  Locking: s->ptl, as st_set_pte(). */
void st_set_pmd(pmd_t *pmdp, pmd_t pmd)
{
	if (trace_swaptrack_pmd_enabled())
		trace_pmd(pmdp, st_pmdp_get(pmdp), pmd);
	set_pmd(pmdp, pmd);
}

/* pmd_clear(), traced.  Locking: s->ptl. */
void st_pmd_clear(pmd_t *pmdp)
{
	if (trace_swaptrack_pmd_enabled())
		trace_pmd(pmdp, st_pmdp_get(pmdp), __pmd(0));
	pmd_clear(pmdp);
}

/*
 * The PTE table that will hang from pmdp, told so before it is filled
 * (a split fills it first).  Locking: s->ptl, or a table not linked yet.
 */
void st_pte_table_bind(pte_t *table, pmd_t *pmdp)
{
	set_page_private(virt_to_page(table), (unsigned long)pmdp);
}

/* pmd_populate_kernel(), traced, the table bound.  Locking: s->ptl. */
void st_pmd_populate(pmd_t *pmdp, pte_t *table)
{
	pmd_t old = st_pmdp_get(pmdp);

	st_pte_table_bind(table, pmdp);
	pmd_populate_kernel(NULL, pmdp, table);
	if (trace_swaptrack_pmd_enabled())
		trace_pmd(pmdp, old, st_pmdp_get(pmdp));
}

/* free_page() of a PTE table, unbound first.  Locking: none needed. */
void st_pte_table_free(pte_t *table)
{
	set_page_private(virt_to_page(table), 0);
	free_page((unsigned long)table);
}

pte_t st_mk_present(unsigned long pfn, bool write)
{
	return pfn_pte(pfn, st_user_prot(write));
}

pte_t st_mk_swap(unsigned long slot, bool uffd_wp)
{
	pte_t pte = swp_entry_to_pte(swp_entry(ST_SWAP_TYPE, slot));

	return uffd_wp ? pte_swp_mkuffd_wp(pte) : pte;
}

/*
 * A non-present entry, pte or pmd alike: the swap-entry format carries
 * every kind that is not a page mapped, in the order the kernel tests
 * them (is_pte_marker_entry() first: a marker is a non_swap_entry too).
 */
static void decode_swp(swp_entry_t entry, struct st_pte_info *info)
{
	info->type = swp_type(entry);
	if (is_pte_marker_entry(entry)) {
		info->kind = ST_PTE_MARKER;
		info->marker = pte_marker_get(entry);
		info->uffd_wp = info->marker & PTE_MARKER_UFFD_WP;
	} else if (is_migration_entry(entry)) {
		info->kind = ST_PTE_MIGRATION;
		info->pfn = swp_offset_pfn(entry);
		info->write = is_writable_migration_entry(entry);
		info->exclusive = is_readable_exclusive_migration_entry(entry);
	} else if (is_hwpoison_entry(entry)) {
		info->kind = ST_PTE_HWPOISON;
		info->pfn = swp_offset_pfn(entry);
	} else if (is_device_private_entry(entry)) {
		info->kind = ST_PTE_DEVICE_PRIVATE;
		info->pfn = swp_offset_pfn(entry);
		info->write = is_writable_device_private_entry(entry);
	} else if (is_device_exclusive_entry(entry)) {
		info->kind = ST_PTE_DEVICE_EXCLUSIVE;
		info->pfn = swp_offset_pfn(entry);
		info->write = is_writable_device_exclusive_entry(entry);
	} else if (!non_swap_entry(entry)) {
		info->kind = ST_PTE_SWAP;
		info->slot = swp_offset(entry);
	} else {
		info->kind = ST_PTE_OTHER;
	}
}

void st_pte_decode(pte_t pte, struct st_pte_info *info)
{
	memset(info, 0, sizeof(*info));
	if (pte_none(pte))
		return;
	if (pte_present(pte)) {
		info->kind = ST_PTE_PRESENT;
		info->pfn = pte_pfn(pte);
		info->write = pte_write(pte);
		info->dirty = pte_dirty(pte);
		info->young = pte_young(pte);
		info->soft_dirty = pte_soft_dirty(pte);
		info->uffd_wp = pte_uffd_wp(pte);
		return;
	}
	decode_swp(pte_to_swp_entry(pte), info);
	if (info->kind == ST_PTE_MARKER)
		return;
	/* the bits pte_to_swp_entry() leaves out, kept beside the entry */
	info->uffd_wp = pte_swp_uffd_wp(pte);
	info->soft_dirty = pte_swp_soft_dirty(pte);
	if (info->kind == ST_PTE_SWAP)
		info->exclusive = pte_swp_exclusive(pte);
}

/* A leaf pmd: a huge page mapped, or a non-present entry of PMD size. */
void st_pmd_decode(pmd_t pmd, struct st_pte_info *info)
{
	memset(info, 0, sizeof(*info));
	if (pmd_none(pmd))
		return;
	if (pmd_present(pmd)) {
		info->kind = ST_PTE_PRESENT;
		info->pfn = pmd_pfn(pmd);
		info->write = pmd_write(pmd);
		info->dirty = pmd_dirty(pmd);
		info->young = pmd_young(pmd);
		info->soft_dirty = pmd_soft_dirty(pmd);
		info->uffd_wp = pmd_uffd_wp(pmd);
		return;
	}
	decode_swp(pmd_to_swp_entry(pmd), info);
	if (info->kind == ST_PTE_MARKER)
		return;
	info->uffd_wp = pmd_swp_uffd_wp(pmd);
	info->soft_dirty = pmd_swp_soft_dirty(pmd);
}

static const char *const kind_names[] = {
	[ST_PTE_NONE] = "none",
	[ST_PTE_PRESENT] = "present",
	[ST_PTE_SWAP] = "swap",
	[ST_PTE_MARKER] = "marker",
	[ST_PTE_MIGRATION] = "migration",
	[ST_PTE_HWPOISON] = "hwpoison",
	[ST_PTE_DEVICE_PRIVATE] = "device_private",
	[ST_PTE_DEVICE_EXCLUSIVE] = "device_exclusive",
	[ST_PTE_OTHER] = "other",
};

const char *st_pte_kind_name(enum st_pte_kind kind)
{
	return kind_names[kind];
}

/*
 * "kind=K raw=0x.." and the words of that kind: one vocabulary for the
 * engine's dumps and replies and for the lens, pte or pmd.
 */
static int format_info(const struct st_pte_info *i, unsigned long long raw,
		       char *buf, size_t len)
{
	int n;

	n = scnprintf(buf, len, "kind=%s raw=0x%llx", kind_names[i->kind], raw);
	switch (i->kind) {
	case ST_PTE_PRESENT:
		n += scnprintf(buf + n, len - n,
			       " pfn=0x%lx write=%d dirty=%d young=%d soft_dirty=%d uffd_wp=%d",
			       i->pfn, i->write, i->dirty, i->young,
			       i->soft_dirty, i->uffd_wp);
		break;
	case ST_PTE_SWAP:
		n += scnprintf(buf + n, len - n,
			       " type=%u offset=%lu uffd_wp=%d exclusive=%d soft_dirty=%d",
			       i->type, i->slot, i->uffd_wp, i->exclusive,
			       i->soft_dirty);
		break;
	case ST_PTE_MARKER:
		n += scnprintf(buf + n, len - n,
			       " marker=0x%x uffd_wp=%d poisoned=%d", i->marker,
			       i->uffd_wp,
			       !!(i->marker & ST_PTE_MARKER_POISONED));
		break;
	case ST_PTE_MIGRATION:
		n += scnprintf(buf + n, len - n,
			       " pfn=0x%lx write=%d exclusive=%d uffd_wp=%d soft_dirty=%d",
			       i->pfn, i->write, i->exclusive, i->uffd_wp,
			       i->soft_dirty);
		break;
	case ST_PTE_HWPOISON:
		n += scnprintf(buf + n, len - n, " pfn=0x%lx", i->pfn);
		break;
	case ST_PTE_DEVICE_PRIVATE:
	case ST_PTE_DEVICE_EXCLUSIVE:
		n += scnprintf(buf + n, len - n, " pfn=0x%lx write=%d uffd_wp=%d",
			       i->pfn, i->write, i->uffd_wp);
		break;
	case ST_PTE_OTHER:
		n += scnprintf(buf + n, len - n, " type=%u", i->type);
		break;
	default:
		break;
	}
	return n;
}

/* "kind=... raw=0x..." and the fields of that kind, for dumps and replies */
int st_pte_format(pte_t pte, char *buf, size_t len)
{
	struct st_pte_info i;

	st_pte_decode(pte, &i);
	return format_info(&i, (unsigned long long)pte_val(pte), buf, len);
}

/* is_swap_pmd(): a leaf PMD holding a swap entry */
bool st_pmd_is_swap(pmd_t pmd)
{
	return !pmd_none(pmd) && !pmd_present(pmd);
}

unsigned long st_pmd_slot(pmd_t pmd)
{
	return swp_offset(pmd_to_swp_entry(pmd));
}

pmd_t st_mk_pmd_swap(unsigned long slot)
{
	return swp_entry_to_pmd(swp_entry(ST_SWAP_TYPE, slot));
}

/* "level=pmd", the words of st_pte_format(), and "nr=512" pages covered */
int st_pmd_format(pmd_t pmd, char *buf, size_t len)
{
	struct st_pte_info i;
	int n;

	st_pmd_decode(pmd, &i);
	n = scnprintf(buf, len, "level=pmd ");
	n += format_info(&i, (unsigned long long)pmd_val(pmd), buf + n,
			 len - n);
	n += scnprintf(buf + n, len - n, " nr=%lu",
		       (unsigned long)PTRS_PER_PTE);
	return n;
}

/* pte_none_mostly() where the policy says so, pte_none() otherwise. */
bool st_pte_none_mostly(pte_t pte)
{
	if (pte_none(pte))
		return true;
	return st_policy(ST_POL_MARKER_NONE) == ST_MARKER_MOSTLY &&
	       is_pte_marker(pte);
}
