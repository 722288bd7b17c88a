/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Race gates: named points in the operations where one thread can be
 * parked while another changes the world under it, then released.
 */
#ifndef _ST_GATE_H
#define _ST_GATE_H

#include <linux/list.h>
#include <linux/types.h>

struct dentry;
struct st_ctl_file;
struct task_struct;

enum st_gate_id {
	ST_GATE_SWAPIN_AFTER_LOOKUP,	/* do_swap_page: page found, unlocked */
	ST_GATE_SWAPIN_AFTER_LOCK,	/* do_swap_page: page locked */
	ST_GATE_SWAPIN_KSM_COPY,	/* ksm_might_need_to_copy: before copy */
	ST_GATE_SWAPIN_BEFORE_PTE_SAME,	/* do_swap_page: before the ptl */
	ST_GATE_FORK_BEFORE_DUP,	/* copy_*_range: before a swap dup */
	ST_GATE_ZAP_FIRST_PASS,		/* punch: between unlocked and locked pass */
	ST_GATE_SHMEM_BEFORE_ADD,	/* shmem swapin: before the index add */
	ST_GATE_SHMEM_UNDO,		/* undo_range: a swap entry seen, not freed */
	ST_GATE_RECLAIM_AFTER_UNMAP,	/* shrink_folio_list: after try_to_unmap */
	ST_GATE_SWAPIN_SYNC_READ,	/* skip-swapcache swapin: page read */
	ST_GATE_UFFD_MUST_WAIT,		/* handle_userfault: before must_wait */
	ST_GATE_SHMEM_WRITEPAGE,	/* shmem_writepage: counted, not indexed */
	ST_GATE_RECLAIM_AFTER_ADD,	/* shrink_folio_list: add_to_swap, mapped */
	ST_GATE_KSM_BEFORE_REPLACE,	/* try_to_merge_one_page: before replace */
	ST_GATE_MIGRATE_AFTER_UNMAP,	/* try_to_migrate: migration entries set */
	ST_GATE_ZAP_SECOND_PASS,	/* truncate: index emptied, before pass 2 */
	ST_GATE_THP_BEFORE_SPLIT,	/* __split_huge_swap_pmd: before the ptl */
	ST_GATE_THP_AFTER_ADD,		/* THP swapout: cached, still mapped */
	ST_GATE_UFFD_WP_NEXT,		/* UFFDIO_WRITEPROTECT: between two ptes */
	ST_GATE_FAULT_FILE_PAGE,	/* do_fault: file page locked, unmapped */
	ST_GATE_FAULT_COW_COPIED,	/* do_cow_fault: copied, not mapped */
	ST_GATE_NR,
};

/* The passes a trace keeps in order; more set "gates_more=1". */
#define ST_GATE_TRACE_MAX	48

/*
 * The gate points one task passed during one traced command: in order,
 * each with its pass number (NAME#K is the K-th pass of NAME by the task
 * in this command).  Tracing changes nothing: a gate armed for the task
 * still parks it.
 */
struct st_gate_trace {
	struct list_head node;
	struct task_struct *task;
	unsigned int passes[ST_GATE_NR];
	u8 id[ST_GATE_TRACE_MAX];
	unsigned int nth[ST_GATE_TRACE_MAX];
	unsigned int nr;
	bool more;
};

int st_gate(enum st_gate_id id);

const char *st_gate_name(int id);
int st_gate_lookup(const char *name);
int st_gate_arm(int id, struct st_ctl_file *owner, pid_t pid,
		unsigned int nth);
void st_gate_trace_begin(struct st_gate_trace *t);
void st_gate_trace_end(struct st_gate_trace *t);
int st_gate_wait(int id, unsigned long timeout_ms);
int st_gate_open(int id, bool *was_parked);
void st_gates_release(struct st_ctl_file *owner);

int st_gates_init(struct dentry *root);
void st_gates_exit(void);

#endif /* _ST_GATE_H */
