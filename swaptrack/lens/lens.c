// SPDX-License-Identifier: GPL-2.0
/*
 * The lens: given a pid and an address range, read that process's real
 * page tables and decode every entry that is not none, with the decoder
 * the engine's dumps use (pgtable.c), so that a model entry and a real one
 * of the same kind print the same words.
 *
 * Only reads.  The walk follows the VMAs under mmap_read_lock(), as
 * /proc/PID/pagemap does: tables outside every VMA may be freed by a
 * munmap() that downgraded its lock.  A pte table is read as
 * pte_offset_map_lock() would: under rcu_read_lock() (khugepaged frees
 * tables of file mappings by RCU since 6.5, without the mmap lock) and
 * under its table lock, once the pmd is seen unchanged with the lock held.
 * A PMD leaf is read under the pmd lock.  A present page is looked at only
 * while the lock of the entry mapping it is held: it cannot be unmapped,
 * so neither freed, and no reference is taken.
 *
 * The work of a request is bounded: END - START is at most
 * ST_LENS_SPAN_MAX, at most ST_LENS_ENTRIES_MAX entries are reported (the
 * reply says where to go on), and the walk reschedules between pmds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/threads.h>

#include "lens/lens.h"
#include "mm/compat.h"

struct lens_walk {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	struct st_lens_out *out;
	bool full;
};

/*
 * ptrace_may_access(task, PTRACE_MODE_READ_FSCREDS), which is not exported
 * (6.1, 6.12): its credential and dumpable checks, as __ptrace_may_access()
 * makes them.  The LSM hook it ends with cannot be called from a module;
 * the caller already needed CAP_SYS_ADMIN to open the file.
 */
static bool may_read(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;
	task_lock(task);
	mm = task->mm;
	ok = !mm || get_dumpable(mm) == SUID_DUMP_USER ||
	     ns_capable(mm->user_ns, CAP_SYS_PTRACE);
	task_unlock(task);
	return ok;
}

/* The task of pid, its mm, and the right to read it. */
static int lens_mm(struct st_err *e, pid_t nr, struct mm_struct **mmp)
{
	struct task_struct *task;
	struct pid *pid;
	int err = 0;

	*mmp = NULL;
	pid = find_get_pid(nr);
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return st_fail(e, -ESRCH, "no process with pid %d", nr);
	if (task->flags & PF_KTHREAD)
		err = st_fail(e, -EINVAL,
			      "pid %d is a kernel thread: no user address space",
			      nr);
	else if (!may_read(task))
		err = st_fail(e, -EACCES,
			      "pid %d: no right to read its memory (ptrace read)",
			      nr);
	else
		*mmp = get_task_mm(task);
	if (!err && !*mmp)
		err = st_fail(e, -ESRCH,
			      "pid %d has exited: no address space", nr);
	put_task_struct(task);
	return err;
}

/* What the page mapped at pfn is, read under the lock of its entry. */
static int page_facts(struct vm_area_struct *vma, unsigned long pfn,
		      bool special, char *buf, size_t len)
{
	struct folio *folio;
	struct page *page;

	if (is_zero_pfn(pfn))
		return scnprintf(buf, len, " zero=1");
	if (special || !pfn_valid(pfn) ||
	    (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP | VM_IO)))
		return 0;
	page = pfn_to_page(pfn);
	folio = page_folio(page);
	return scnprintf(buf, len, " anon=%d swapcache=%d mapcount=%d large=%d",
			 folio_test_anon(folio), folio_test_swapcache(folio),
			 st_page_mapcount(page), folio_test_large(folio));
}

/* Room for one more entry?  Else the walk stops, to go on from addr. */
static bool lens_room(struct lens_walk *w, unsigned long addr)
{
	if (w->out->entries < ST_LENS_ENTRIES_MAX)
		return true;
	w->out->next = addr;
	w->full = true;
	return false;
}

/* Count one entry and, for a dump, print its line: address, words, page. */
static void lens_emit(struct lens_walk *w, unsigned long addr,
		      const struct st_pte_info *i, const char *words,
		      bool special, bool leaf)
{
	struct st_lens_out *out = w->out;
	char *p;
	size_t room;
	int n;

	out->entries++;
	out->kinds[i->kind]++;
	if (leaf)
		out->leaves++;
	if (!out->text)
		return;
	p = out->text + out->len;
	room = min_t(size_t, out->size - out->len, ST_LENS_LINE_MAX);
	n = scnprintf(p, room, "0x%lx %s", addr, words);
	if (i->kind == ST_PTE_PRESENT)
		n += page_facts(w->vma, i->pfn, special, p + n, room - n);
	n += scnprintf(p + n, room - n, "\n");
	out->len += n;
}

/* A leaf pmd: a huge page, or a PMD-sized migration (or swap) entry. */
static bool lens_pmd_leaf(struct lens_walk *w, pmd_t *pmdp, pmd_t seen,
			  unsigned long addr)
{
	char words[ST_PTE_FMT_MAX];
	struct st_pte_info i;
	spinlock_t *ptl;	/* the pmd lock */
	pmd_t pmd;

	ptl = pmd_lock(w->mm, pmdp);
	pmd = st_pmdp_get(pmdp);
	if (!pmd_same(pmd, seen)) {
		spin_unlock(ptl);
		return false;		/* changed: look again */
	}
	if (lens_room(w, addr)) {
		st_pmd_decode(pmd, &i);
		st_pmd_format(pmd, words, sizeof(words));
		lens_emit(w, addr & PMD_MASK, &i, words,
			  pmd_present(pmd) && pmd_devmap(pmd), true);
	}
	spin_unlock(ptl);
	return true;
}

/* The ptes of [addr, end) under one pmd; false if the pmd changed. */
static bool lens_ptes(struct lens_walk *w, pmd_t *pmdp, pmd_t seen,
		      unsigned long addr, unsigned long end)
{
	char words[ST_PTE_FMT_MAX];
	struct st_pte_info i;
	spinlock_t *ptl;	/* the pte table lock */
	pte_t *ptep;
	pte_t pte;
	bool same;

	rcu_read_lock();
	ptl = pte_lockptr(w->mm, &seen);
	ptep = st_pte_map(&seen, addr);
	spin_lock(ptl);
	same = pmd_same(seen, st_pmdp_get(pmdp));
	for (; same && addr < end; ptep++, addr += PAGE_SIZE) {
		pte = ptep_get(ptep);
		if (pte_none(pte))
			continue;
		if (!lens_room(w, addr))
			break;
		st_pte_decode(pte, &i);
		st_pte_format(pte, words, sizeof(words));
		lens_emit(w, addr, &i, words,
			  pte_present(pte) && pte_special(pte), false);
	}
	spin_unlock(ptl);
	rcu_read_unlock();
	return same;
}

static void lens_pmd(struct lens_walk *w, pmd_t *pmdp, unsigned long addr,
		     unsigned long end)
{
	pmd_t pmd;
	bool done;

	do {
		pmd = st_pmdp_get(pmdp);
		if (pmd_none(pmd))
			return;
		/* a bad pmd: the kernel would clear it; we only read */
		if (pmd_present(pmd) && !pmd_leaf(pmd) && pmd_bad(pmd))
			return;
		if (!pmd_present(pmd) || pmd_leaf(pmd))
			done = lens_pmd_leaf(w, pmdp, pmd, addr);
		else
			done = lens_ptes(w, pmdp, pmd, addr, end);
	} while (!done);
}

/* A PUD leaf (1 GiB page): its raw value and pfn; the decoder is pte/pmd. */
static void lens_pud_leaf(struct lens_walk *w, pud_t pud, unsigned long addr)
{
	struct st_pte_info i = { .kind = ST_PTE_OTHER };
	char words[64];

	if (!lens_room(w, addr))
		return;
	scnprintf(words, sizeof(words), "level=pud raw=0x%llx pfn=0x%lx",
		  (unsigned long long)pud_val(pud),
		  (unsigned long)pud_pfn(pud));
	lens_emit(w, addr & PUD_MASK, &i, words, true, true);
}

/* [addr, end) within one VMA, a pmd at a time. */
static int lens_range(struct lens_walk *w, unsigned long addr,
		      unsigned long end)
{
	unsigned long next;
	pgd_t *pgd;
	p4d_t *p4d;
	pud_t *pudp;
	pud_t pud;

	for (; addr < end && !w->full; addr = next) {
		next = pmd_addr_end(addr, end);
		pgd = pgd_offset(w->mm, addr);
		if (pgd_none(READ_ONCE(*pgd)) || pgd_bad(READ_ONCE(*pgd)))
			continue;
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(READ_ONCE(*p4d)) || p4d_bad(READ_ONCE(*p4d)))
			continue;
		pudp = pud_offset(p4d, addr);
		pud = READ_ONCE(*pudp);
		if (pud_none(pud))
			continue;
		if (pud_leaf(pud)) {
			lens_pud_leaf(w, pud, addr);
			next = pud_addr_end(addr, end);
			continue;
		}
		if (pud_bad(pud))
			continue;
		lens_pmd(w, pmd_offset(pudp, addr), addr, next);
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

int st_lens_walk(struct st_err *e, const struct st_lens_req *req,
		 struct st_lens_out *out)
{
	struct lens_walk w = { .out = out };
	unsigned long addr, end;
	int err;

	out->len = 0;
	out->entries = 0;
	out->leaves = 0;
	out->skipped = 0;
	memset(out->kinds, 0, sizeof(out->kinds));
	out->next = req->end;
	err = lens_mm(e, req->pid, &w.mm);
	if (err)
		return err;
	if (req->end > w.mm->task_size) {
		err = st_fail(e, -EINVAL,
			      "range 0x%lx-0x%lx beyond the address space (top 0x%lx)",
			      req->start, req->end, w.mm->task_size);
		goto out_mm;
	}
	if (mmap_read_lock_killable(w.mm)) {
		err = st_fail(e, -EINTR, "interrupted");
		goto out_mm;
	}
	for (addr = req->start; addr < req->end && !w.full && !err;
	     addr = end) {
		w.vma = find_vma(w.mm, addr);
		if (!w.vma || w.vma->vm_start >= req->end)
			break;
		addr = max(addr, w.vma->vm_start);
		end = min(req->end, w.vma->vm_end);
		if (is_vm_hugetlb_page(w.vma)) {
			/* shared tables, locked by the hugetlb vma lock */
			out->skipped++;
			continue;
		}
		err = lens_range(&w, addr, end);
	}
	mmap_read_unlock(w.mm);
	if (err)
		st_fail(e, err, "interrupted");
out_mm:
	mmput(w.mm);
	return err;
}
