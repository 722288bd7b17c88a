// SPDX-License-Identifier: GPL-2.0
/*
 * The auditor, behind the "audit" file.
 *
 * It walks every mapping of every space (mmap_lock for read, so the tables
 * stay; entries read with ptep_get()), every file index and the swap
 * cache, and checks:
 *  - each slot's count equals the swap ptes and file entries referring to
 *    it, a file's entry being counted SWAP_MAP_SHMEM;
 *  - SWAP_HAS_CACHE is set iff the slot has a swap-cache page;
 *  - a COUNT_CONTINUED slot has continuation pages behind it;
 *  - every continuation page the allocator handed out and did not get
 *    back is on a continuation list (counted at the allocator, contpage.c,
 *    not from the swap map's statistics);
 *  - every present pte maps a live page, and each page's mapcount equals
 *    the present ptes mapping it;
 *  - every present pte is reachable by its page's rmap (rmap-miss): an
 *    anonymous page's lineage lists the space and the page's address is
 *    the pte's (or a KSM rmap item names them), a file page's vma is on
 *    the file's i_mmap;
 *  - the data an address or file index holds (in its page, in the swap
 *    cache or in the backing store) is the tag last written there, and
 *    private data is not lost while its mapping stands;
 *  - nothing is mapped or indexed beyond the end of a file;
 *  - an address write-protected with uffd-wp still carries the bit (or a
 *    marker), and no entry carries one it was not given (seed 004).
 * A swap-cache page that no pte refers to and nobody maps is stranded but
 * reclaimable: a note, not a violation.
 *
 * One finding per line, "bad <check> ..." or "note <check> ...", then a
 * last line "ok" or "violations N".  Meaningful when no operation is in
 * flight; safe at any time.
 *
 * The audit runs once per open: each space, file and slot is walked once,
 * the findings go into a report (report.c) under the walk's locks, and
 * read() copies the finished text out with no lock held.  The swap map is
 * walked by runs: a run of free slots (st_swap_free_run_end()) is skipped
 * unless a pte or file entry referred to one of its slots or one has a
 * swap-cache page, and those slots are checked one by one.
 */
#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/xarray.h>

#include "mm/anon.h"
#include "mm/compat.h"
#include "mm/i_mmap.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "race/audit.h"
#include "race/report.h"
#include "swapdev/contpage.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"
#include "trace/events.h"

struct audit {
	struct st_report out;
	unsigned long *refs;		/* per slot: swap ptes found */
	unsigned long *refd;		/* bitmap: refs[slot] != 0 */
	struct xarray mapped;		/* pfn -> present ptes found */
	unsigned long bad;
};

/*
 * One line of the audit; a "bad ..." line is a violation, counted and
 * traced (swaptrack_audit), a longer one cut at the event's 128 bytes.
 * Locking: whatever the walk that found it holds.
 */
__printf(2, 3)
static void finding(struct audit *a, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	char line[128];

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	snprintf(line, sizeof(line), "%pV", &vaf);
	va_end(args);
	st_report_add(&a->out, "%s", line);
	if (!strncmp(fmt, "bad", 3)) {
		a->bad++;
		trace_swaptrack_audit(line);
	}
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

static void count_mapped(struct audit *a, unsigned long pfn)
{
	void *v = xa_load(&a->mapped, pfn);

	xa_store(&a->mapped, pfn, xa_mk_value(v ? xa_to_value(v) + 1 : 1),
		 GFP_KERNEL);
}

/*
 * Whether p's rmap reaches the pte at addr of s (st_rmap_walk_page()):
 * an anonymous page through its lineage, which s must be listed on, at
 * its own address, or, a KSM page, through one of its rmap items; a file
 * page through its file's i_mmap, which v must be on.
 */
static bool rmap_reaches(struct st_page *p, struct st_space *s,
			 struct st_vma *v, unsigned long addr)
{
	struct st_rmap_item *it;
	bool found = false;

	if (!st_page_anon(p))
		return st_i_mmap_linked(v);
	if (p->anon_root == s->anon_root && p->index == addr >> PAGE_SHIFT)
		return st_anon_linked(s, p->anon_root);
	if (!st_page_test(p, ST_PG_KSM))
		return false;
	rcu_read_lock();
	list_for_each_entry_rcu(it, &p->rmap_items, node)
		if (it->anon_root == s->anon_root && it->addr == addr)
			found = true;
	rcu_read_unlock();
	return found && st_anon_linked(s, s->anon_root);
}

static void audit_present(struct audit *a, struct st_space *s,
			  struct st_vma *v, unsigned long addr,
			  struct st_pte_info *i)
{
	struct st_page *p = st_page_get_pfn(i->pfn);
	u64 tag, want = st_expect_at(s, v, addr);

	if (!p) {
		finding(a, "bad freed space=%d addr=0x%lx pfn=0x%lx",
			s->id, addr, i->pfn);
		return;
	}
	count_mapped(a, i->pfn);
	if (!st_page_anon(p) &&
	    (p->file != v->file || p->index != st_vma_index(v, addr)))
		finding(a, "bad wrong-page space=%d addr=0x%lx", s->id, addr);
	else if (!rmap_reaches(p, s, v, addr))
		finding(a, "bad rmap-miss space=%d addr=0x%lx", s->id, addr);
	if (st_page_test(p, ST_PG_HWPOISON))
		finding(a, "bad poisoned-mapped space=%d addr=0x%lx", s->id,
			addr);
	else if (st_page_tag(p, &tag))
		finding(a, "bad torn space=%d addr=0x%lx", s->id, addr);
	else if (tag != want)
		finding(a, "bad data space=%d addr=0x%lx tag=0x%llx expected=0x%llx",
			s->id, addr, tag, want);
	st_page_put(p);
}

static void audit_swap(struct audit *a, struct st_space *s,
		       struct st_vma *v, unsigned long addr,
		       struct st_pte_info *i)
{
	u64 tag, want = st_expect_at(s, v, addr);

	if (i->slot >= st_swap_nr_slots()) {
		finding(a, "bad swap-offset space=%d addr=0x%lx offset=%lu",
			s->id, addr, i->slot);
		return;
	}
	a->refs[i->slot]++;
	__set_bit(i->slot, a->refd);
	if (swapped_tag(i->slot, &tag))
		finding(a, "bad data space=%d addr=0x%lx slot=%lu unreadable",
			s->id, addr, i->slot);
	else if (tag != want)
		finding(a, "bad data space=%d addr=0x%lx slot=%lu tag=0x%llx expected=0x%llx",
			s->id, addr, i->slot, tag, want);
}

/* The data of a migrating page is in the locked old page. */
static void audit_migration(struct audit *a, struct st_space *s,
			    struct st_vma *v, unsigned long addr,
			    struct st_pte_info *i)
{
	struct st_page *p = st_page_get_pfn(i->pfn);
	u64 tag, want = st_expect_at(s, v, addr);

	if (!p) {
		finding(a, "bad freed space=%d addr=0x%lx migration pfn=0x%lx",
			s->id, addr, i->pfn);
		return;
	}
	if (st_page_tag(p, &tag) || tag != want)
		finding(a, "bad data space=%d addr=0x%lx migrating expected=0x%llx",
			s->id, addr, want);
	st_page_put(p);
}

static bool has_wp(struct st_pte_info *i)
{
	return i->uffd_wp && i->kind != ST_PTE_NONE;
}

static void audit_entry(struct audit *a, struct st_space *s,
			struct st_vma *v, unsigned long addr, pte_t pte)
{
	bool private = xa_load(&s->expect, st_space_index(addr));
	struct st_pte_info i;

	st_pte_decode(pte, &i);
	if (v->file && st_vma_index(v, addr) >= READ_ONCE(v->file->size) &&
	    (i.kind == ST_PTE_PRESENT || i.kind == ST_PTE_SWAP ||
	     i.kind == ST_PTE_MIGRATION))
		finding(a, "bad beyond-eof space=%d addr=0x%lx", s->id, addr);
	switch (i.kind) {
	case ST_PTE_PRESENT:
		audit_present(a, s, v, addr, &i);
		break;
	case ST_PTE_SWAP:
		audit_swap(a, s, v, addr, &i);
		break;
	case ST_PTE_MIGRATION:
		audit_migration(a, s, v, addr, &i);
		break;
	case ST_PTE_HWPOISON:
		break;		/* the data is gone: SIGBUS is what it holds */
	case ST_PTE_MARKER:
		if (st_vma_is_anon(v) || !v->uffd_wp)
			finding(a, "bad stray-marker space=%d addr=0x%lx",
				s->id, addr);
		fallthrough;
	default:
		if (private && v->kind != ST_VMA_SHARED)
			finding(a, "bad lost space=%d addr=0x%lx expected=0x%llx",
				s->id, addr, st_expect_at(s, v, addr));
		break;
	}
	/*
	 * try_to_unmap_one() writes a plain hwpoison pte (6.12 mm/rmap.c):
	 * memory_failure() takes the protection with the page, SIGBUS stays.
	 */
	if (st_wp_expected(s, addr) && !has_wp(&i) &&
	    i.kind != ST_PTE_HWPOISON)
		finding(a, "bad lost-wp space=%d addr=0x%lx kind=%d%s", s->id,
			addr, i.kind, st_wp_dropped_at(s, addr) ?
			" by=truncate_inode_folio" : "");
	if (!st_wp_expected(s, addr) && has_wp(&i))
		finding(a, "bad stray-wp space=%d addr=0x%lx kind=%d", s->id,
			addr, i.kind);
}

static int audit_space(struct st_space *s, void *data)
{
	struct audit *a = data;
	unsigned long addr;
	struct st_vma *v;
	unsigned int n;
	pte_t *ptep, pte;

	down_read(&s->mmap_lock);
	for (n = 0; n < s->nr_vmas && !s->dead; n++) {
		v = &s->vmas[n];
		for (addr = v->start; addr < v->end; addr += PAGE_SIZE) {
			pmd_t pmd = st_pmdp_get(st_pmd_offset(&s->pt, addr));

			ptep = st_pte_offset(&s->pt, addr);
			if (ptep)
				pte = ptep_get(ptep);
			else if (st_pmd_is_swap(pmd))	/* one per slot */
				pte = st_mk_swap(st_pmd_slot(pmd) +
						 pte_index(addr), false);
			else
				pte = __pte(0);
			audit_entry(a, s, v, addr, pte);
		}
	}
	up_read(&s->mmap_lock);
	return 0;
}

static int audit_file(struct st_file *f, void *data)
{
	struct audit *a = data;
	unsigned long index, slot;
	struct st_slot_info info;
	struct st_page *p;
	void *entry;
	u64 tag;

	mutex_lock(&f->lock);
	xa_for_each(&f->pages, index, entry) {
		if (index >= f->size)
			finding(a, "bad beyond-eof file=%d index=%lu", f->id,
				index);
		if (xa_is_value(entry)) {
			slot = xa_to_value(entry);
			if (slot >= st_swap_nr_slots()) {
				finding(a, "bad swap-offset file=%d index=%lu",
					f->id, index);
				continue;
			}
			a->refs[slot]++;
			__set_bit(slot, a->refd);
			st_swap_query(slot, &info);
			if (!info.shmem)
				finding(a, "bad shmem-count file=%d index=%lu slot=%lu map=0x%02x",
					f->id, index, slot, info.map);
			if (swapped_tag(slot, &tag) ||
			    tag != st_file_expect(f, index))
				finding(a, "bad data file=%d index=%lu slot=%lu expected=0x%llx",
					f->id, index, slot,
					st_file_expect(f, index));
			continue;
		}
		p = entry;
		if (p->file != f || p->index != index)
			finding(a, "bad index file=%d index=%lu", f->id, index);
		if (st_page_tag(p, &tag) || tag != st_file_expect(f, index))
			finding(a, "bad data file=%d index=%lu expected=0x%llx",
				f->id, index, st_file_expect(f, index));
	}
	xa_for_each(&f->expect, index, entry)
		if (!xa_load(&f->pages, index))
			finding(a, "bad lost file=%d index=%lu expected=0x%llx",
				f->id, index, (u64)xa_to_value(entry));
	mutex_unlock(&f->lock);
	return 0;
}

/*
 * One slot's count, cache and continuation against what was found.
 * Locking: none held; the map lock and the swap cache's are taken inside.
 */
static void audit_slot(struct audit *a, unsigned long slot)
{
	struct st_slot_info info;
	struct st_page *p;
	bool cached;

	st_swap_query(slot, &info);
	if (info.bad)
		return;
	if (info.count != a->refs[slot])
		finding(a, "bad count slot=%lu count=%lu refs=%lu", slot,
			info.count, a->refs[slot]);
	cached = st_swapcache_has(slot);
	if (info.cache != cached)
		finding(a, "bad cache slot=%lu has_cache=%d cached=%d", slot,
			info.cache, cached);
	if (info.continued && !info.conts)
		finding(a, "bad cont slot=%lu continued without pages", slot);
	if (!cached || info.count)
		return;
	p = st_swapcache_lookup(slot);
	if (p && !atomic_read(&p->mapcount))
		finding(a, "note stranded slot=%lu", slot);
	if (p)
		st_page_put(p);
}

/*
 * The swap map by runs: a free slot that nothing referred to and that has
 * no swap-cache page is as it should be, and so is a run of them; every
 * other slot is audited alone.  Locking: none held; the map lock and the
 * swap cache's are taken inside.
 */
static void audit_slots(struct audit *a)
{
	unsigned long slot = 0, end, stop, nr = st_swap_nr_slots();

	while (slot < nr) {
		end = st_swap_free_run_end(slot);
		if (end > slot) {
			stop = min(find_next_bit(a->refd, end, slot),
				   st_swapcache_next(slot, end));
			if (stop > slot) {
				slot = stop;
				continue;
			}
		}
		audit_slot(a, slot++);
		cond_resched();
	}
}

/* A continuation page allocated, never freed and on no list is leaked. */
static void audit_cont_pages(struct audit *a)
{
	unsigned long allocated, freed, listed = st_swap_cont_listed();

	st_cont_page_counts(&allocated, &freed);
	if (allocated - freed != listed)
		finding(a, "bad cont-leak allocated=%lu freed=%lu listed=%lu",
			allocated, freed, listed);
}

/* Each page's mapcount against the present ptes found mapping it. */
static void audit_mapcount(struct st_page *p, void *data)
{
	struct audit *a = data;
	void *v = xa_load(&a->mapped, st_page_pfn(p));
	unsigned long ptes = v ? xa_to_value(v) : 0;

	if (atomic_read(&p->mapcount) != ptes)
		finding(a, "bad mapcount pfn=0x%lx mapcount=%d ptes=%lu",
			st_page_pfn(p), atomic_read(&p->mapcount), ptes);
}

/*
 * The whole audit into a->out.  Locking: none held; each walk takes the
 * locks of what it walks (mmap_lock, file lock, map lock, st_pages_lock),
 * one at a time.
 */
static int audit_run(struct audit *a)
{
	unsigned long nr = st_swap_nr_slots();

	a->refs = vzalloc(array_size(nr, sizeof(*a->refs)));
	a->refd = bitmap_zalloc(nr, GFP_KERNEL);
	if (!a->refs || !a->refd) {
		bitmap_free(a->refd);
		vfree(a->refs);
		return -ENOMEM;
	}
	xa_init(&a->mapped);
	st_space_for_each(audit_space, a);
	st_file_for_each(audit_file, a);
	audit_slots(a);
	audit_cont_pages(a);
	a->out.gfp = GFP_ATOMIC;	/* under st_pages_lock */
	st_pages_for_each(audit_mapcount, a);
	a->out.gfp = GFP_KERNEL;
	xa_destroy(&a->mapped);
	bitmap_free(a->refd);
	vfree(a->refs);
	if (a->out.lost)
		finding(a, "bad audit-truncated lines_lost=%lu", a->out.lost);
	if (a->bad)
		st_report_add(&a->out, "violations %lu", a->bad);
	else
		st_report_add(&a->out, "ok");
	return 0;
}

/* The text of one audit, read out until the descriptor is closed. */
struct audit_text {
	char *buf;
	size_t len;
};

/* Locking: none held; the audit takes its locks one walk at a time. */
static int audit_open(struct inode *inode, struct file *file)
{
	struct audit_text *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct audit *a = kzalloc(sizeof(*a), GFP_KERNEL);
	int err = -ENOMEM;

	if (!t || !a)
		goto out;
	st_report_init(&a->out);
	err = audit_run(a);
	if (err) {
		st_report_free(&a->out);
		goto out;
	}
	t->buf = st_report_flatten(&a->out, &t->len);
	if (!t->buf) {
		err = -ENOMEM;
		goto out;
	}
	file->private_data = t;
	kfree(a);
	return nonseekable_open(inode, file);
out:
	kfree(a);
	kfree(t);
	return err;
}

/* Locking: none; a plain copy of text built at open. */
static ssize_t audit_read(struct file *file, char __user *ubuf, size_t count,
			  loff_t *ppos)
{
	struct audit_text *t = file->private_data;

	return simple_read_from_buffer(ubuf, count, ppos, t->buf, t->len);
}

/* Locking: none. */
static int audit_release(struct inode *inode, struct file *file)
{
	struct audit_text *t = file->private_data;

	kvfree(t->buf);
	kfree(t);
	return 0;
}

static const struct file_operations audit_fops = {
	.owner = THIS_MODULE,
	.open = audit_open,
	.read = audit_read,
	.release = audit_release,
};

int st_audit_init(struct dentry *root)
{
	struct dentry *d;

	d = debugfs_create_file("audit", 0400, root, NULL, &audit_fops);
	return PTR_ERR_OR_ZERO(d);
}
