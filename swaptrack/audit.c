// SPDX-License-Identifier: GPL-2.0
/*
 * The auditor, behind the "audit" file.
 *
 * It walks every space's tables (mmap_lock for read, so the tables stay;
 * entries read with ptep_get()) and the swap cache, and checks:
 *  - each slot's count equals the swap ptes referring to it;
 *  - SWAP_HAS_CACHE is set iff the slot has a swap-cache page;
 *  - a COUNT_CONTINUED slot has continuation pages behind it;
 *  - every present pte maps a live page, and each page's mapcount equals
 *    the present ptes mapping it;
 *  - the data an address holds (in its page, in the swap cache or in the
 *    backing store) is the tag last written there.
 * A swap-cache page that no pte refers to and nobody maps is stranded but
 * reclaimable: a note, not a violation.
 *
 * One finding per line, "bad <check> ..." or "note <check> ...", then a
 * last line "ok" or "violations N".  Meaningful when no operation is in
 * flight; safe at any time.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "audit.h"
#include "page.h"
#include "space.h"
#include "swapcache.h"
#include "swapio.h"
#include "swapmap.h"

struct audit {
	struct seq_file *m;
	unsigned long *refs;		/* per slot: swap ptes found */
	struct xarray mapped;		/* pfn -> present ptes found */
	unsigned long bad;
};

__printf(2, 3)
static void finding(struct audit *a, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	seq_printf(a->m, "%pV\n", &vaf);
	va_end(args);
	if (!strncmp(fmt, "bad", 3))
		a->bad++;
}

/* The data a swap pte stands for: the cache page if any, else the store. */
static int swapped_tag(unsigned long slot, u64 *tag)
{
	struct st_page *p = st_swapcache_lookup(slot);
	int err;

	if (!p)
		return st_swapio_stored(slot, tag);
	err = st_page_test(p, ST_PG_UPTODATE) ? st_page_tag(p, tag) : -EIO;
	st_page_put(p);
	return err;
}

static void audit_present(struct audit *a, struct st_space *s,
			  unsigned long addr, struct st_pte_info *i)
{
	struct st_page *p = st_page_get_pfn(i->pfn);
	u64 tag, want = st_expect_get(s, addr);
	void *v;

	if (!p) {
		finding(a, "bad freed space=%d addr=0x%lx pfn=0x%lx",
			s->id, addr, i->pfn);
		return;
	}
	v = xa_load(&a->mapped, i->pfn);
	xa_store(&a->mapped, i->pfn, xa_mk_value(v ? xa_to_value(v) + 1 : 1),
		 GFP_KERNEL);
	if (st_page_tag(p, &tag))
		finding(a, "bad torn space=%d addr=0x%lx", s->id, addr);
	else if (tag != want)
		finding(a, "bad data space=%d addr=0x%lx tag=0x%llx expected=0x%llx",
			s->id, addr, tag, want);
	st_page_put(p);
}

static void audit_swap(struct audit *a, struct st_space *s,
		       unsigned long addr, struct st_pte_info *i)
{
	u64 tag, want = st_expect_get(s, addr);

	if (i->slot >= st_swap_nr_slots()) {
		finding(a, "bad swap-offset space=%d addr=0x%lx offset=%lu",
			s->id, addr, i->slot);
		return;
	}
	a->refs[i->slot]++;
	if (swapped_tag(i->slot, &tag))
		finding(a, "bad data space=%d addr=0x%lx slot=%lu unreadable",
			s->id, addr, i->slot);
	else if (tag != want)
		finding(a, "bad data space=%d addr=0x%lx slot=%lu tag=0x%llx expected=0x%llx",
			s->id, addr, i->slot, tag, want);
}

static int audit_space(struct st_space *s, void *data)
{
	struct audit *a = data;
	struct st_pte_info info;
	unsigned long addr;
	pte_t *ptep;

	down_read(&s->mmap_lock);
	for (addr = ST_SPACE_BASE; addr < ST_SPACE_END && !s->dead;
	     addr += PAGE_SIZE) {
		ptep = st_pte_offset(&s->pt, addr);
		if (!ptep) {
			addr = ALIGN(addr + 1, PMD_SIZE) - PAGE_SIZE;
			continue;
		}
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT)
			audit_present(a, s, addr, &info);
		else if (info.kind == ST_PTE_SWAP)
			audit_swap(a, s, addr, &info);
		else if (info.kind == ST_PTE_NONE && st_expect_get(s, addr))
			finding(a, "bad lost space=%d addr=0x%lx expected=0x%llx",
				s->id, addr, st_expect_get(s, addr));
	}
	up_read(&s->mmap_lock);
	return 0;
}

static void audit_slots(struct audit *a)
{
	unsigned long slot, nr = st_swap_nr_slots();
	struct st_slot_info info;
	struct st_page *p;
	bool cached;

	for (slot = 0; slot < nr; slot++) {
		st_swap_query(slot, &info);
		if (info.bad)
			continue;
		if (info.count != a->refs[slot])
			finding(a, "bad count slot=%lu count=%lu refs=%lu",
				slot, info.count, a->refs[slot]);
		cached = st_swapcache_has(slot);
		if (info.cache != cached)
			finding(a, "bad cache slot=%lu has_cache=%d cached=%d",
				slot, info.cache, cached);
		if (info.continued && !info.conts)
			finding(a, "bad cont slot=%lu continued without pages",
				slot);
		if (!cached || info.count)
			continue;
		p = st_swapcache_lookup(slot);
		if (p && !atomic_read(&p->mapcount))
			finding(a, "note stranded slot=%lu", slot);
		if (p)
			st_page_put(p);
	}
}

static int audit_show(struct seq_file *m, void *v)
{
	struct audit a = { .m = m };
	unsigned long pfn;
	struct st_page *p;
	void *entry;

	a.refs = vzalloc(array_size(st_swap_nr_slots(), sizeof(*a.refs)));
	if (!a.refs)
		return -ENOMEM;
	xa_init(&a.mapped);
	st_space_for_each(audit_space, &a);
	audit_slots(&a);
	xa_for_each(&a.mapped, pfn, entry) {
		p = st_page_get_pfn(pfn);
		if (!p)
			continue;
		if (atomic_read(&p->mapcount) != xa_to_value(entry))
			finding(&a, "bad mapcount pfn=0x%lx mapcount=%d ptes=%lu",
				pfn, atomic_read(&p->mapcount),
				xa_to_value(entry));
		st_page_put(p);
	}
	xa_destroy(&a.mapped);
	vfree(a.refs);
	if (a.bad)
		seq_printf(m, "violations %lu\n", a.bad);
	else
		seq_puts(m, "ok\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(audit);

int st_audit_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file("audit", 0400, root, NULL, &audit_fops);
	return PTR_ERR_OR_ZERO(d);
}
