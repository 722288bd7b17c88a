// SPDX-License-Identifier: GPL-2.0
/*
 * Race gates.
 *
 * A gate is armed by one ctl descriptor.  The next thread to reach it parks
 * there (only one: the others pass), and stays until the gate is opened,
 * until gate_timeout_ms has passed (it then goes on with -ETIMEDOUT and the
 * operation fails cleanly), or until it is killed.  Closing the descriptor
 * that armed a gate opens it, and so does unloading the module.
 *
 * A gate is passed only where the thread may sleep: never under a spinlock.
 * What the thread holds while parked (mmap_lock, a page reference, the page
 * lock) is named at each st_gate() call.
 *
 * An arming may name the thread (pid=TID) and its pass (nth=K): then only
 * that thread parks, at its K-th pass since the arming, and every other
 * pass goes through.  A traced command (st_gate_trace_begin()) records the
 * gate points its task passes, in order, armed or not.
 */
#include <linux/debugfs.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/wait.h>

#include "race/gate.h"
#include "trace/events.h"

static unsigned int gate_timeout_ms = 10000;
module_param(gate_timeout_ms, uint, 0600);
MODULE_PARM_DESC(gate_timeout_ms, "how long a thread stays parked at a gate (ms)");

enum st_gate_state {
	ST_GATE_IDLE,
	ST_GATE_ARMED,
	ST_GATE_PARKED,
};

static const char *const st_gate_states[] = {
	[ST_GATE_IDLE] = "idle",
	[ST_GATE_ARMED] = "armed",
	[ST_GATE_PARKED] = "parked",
};

struct st_gate {
	const char *name;
	enum st_gate_state state;
	struct st_ctl_file *owner;	/* the descriptor that armed it */
	pid_t pid;			/* the parked thread */
	pid_t for_pid;			/* only this thread parks (0: any) */
	unsigned int nth;		/* at its nth pass since the arming */
	unsigned int seen;		/* passes counted since the arming */
	unsigned long seq;		/* bumped at every open */
	unsigned long parks;
	unsigned long timeouts;
	wait_queue_head_t wq;		/* parked thread and waiters */
};

static struct st_gate st_gates[ST_GATE_NR] = {
	[ST_GATE_SWAPIN_AFTER_LOOKUP]	 = { .name = "swapin.after_lookup" },
	[ST_GATE_SWAPIN_AFTER_LOCK]	 = { .name = "swapin.after_lock" },
	[ST_GATE_SWAPIN_KSM_COPY]	 = { .name = "swapin.ksm_copy" },
	[ST_GATE_SWAPIN_BEFORE_PTE_SAME] = { .name = "swapin.before_pte_same" },
	[ST_GATE_FORK_BEFORE_DUP]	 = { .name = "fork.before_dup" },
	[ST_GATE_ZAP_FIRST_PASS]	 = { .name = "zap.first_pass" },
	[ST_GATE_SHMEM_BEFORE_ADD]	 = { .name = "shmem.before_add" },
	[ST_GATE_SHMEM_UNDO]		 = { .name = "shmem.undo" },
	[ST_GATE_RECLAIM_AFTER_UNMAP]	 = { .name = "reclaim.after_unmap" },
	[ST_GATE_SWAPIN_SYNC_READ]	 = { .name = "swapin.sync_read" },
	[ST_GATE_UFFD_MUST_WAIT]	 = { .name = "uffd.must_wait" },
	[ST_GATE_SHMEM_WRITEPAGE]	 = { .name = "shmem.writepage" },
	[ST_GATE_RECLAIM_AFTER_ADD]	 = { .name = "reclaim.after_add_to_swap" },
	[ST_GATE_KSM_BEFORE_REPLACE]	 = { .name = "ksm.before_replace" },
	[ST_GATE_MIGRATE_AFTER_UNMAP]	 = { .name = "migrate.after_unmap" },
	[ST_GATE_ZAP_SECOND_PASS]	 = { .name = "zap.second_pass" },
	[ST_GATE_THP_BEFORE_SPLIT]	 = { .name = "thp.before_split" },
	[ST_GATE_THP_AFTER_ADD]		 = { .name = "thp.after_add_to_swap" },
	[ST_GATE_UFFD_WP_NEXT]		 = { .name = "uffd.wp_next" },
	[ST_GATE_FAULT_FILE_PAGE]	 = { .name = "fault.file_page" },
	[ST_GATE_FAULT_COW_COPIED]	 = { .name = "fault.cow_copied" },
};

/* Protects every gate's state and the traces; never held across a sleep. */
static DEFINE_SPINLOCK(st_gate_lock);
static bool st_gates_closed;

/* The traces of the commands running traced (struct st_gate_trace). */
static LIST_HEAD(st_gate_traces);
static unsigned int st_gate_traces_nr;

/*
 * Record a pass of gate id in the trace of the current task, if it has
 * one.  Locking: takes st_gate_lock.
 */
static void gate_trace_pass(enum st_gate_id id)
{
	struct st_gate_trace *t;

	spin_lock(&st_gate_lock);
	list_for_each_entry(t, &st_gate_traces, node) {
		if (t->task != current)
			continue;
		t->passes[id]++;
		if (t->nr < ST_GATE_TRACE_MAX) {
			t->id[t->nr] = id;
			t->nth[t->nr] = t->passes[id];
			t->nr++;
		} else {
			t->more = true;
		}
		break;
	}
	spin_unlock(&st_gate_lock);
}

/*
 * Start recording the gate points the current task passes into t.
 * Locking: takes st_gate_lock; st_gate_trace_end() before t goes.
 */
void st_gate_trace_begin(struct st_gate_trace *t)
{
	memset(t, 0, sizeof(*t));
	t->task = current;
	spin_lock(&st_gate_lock);
	list_add(&t->node, &st_gate_traces);
	WRITE_ONCE(st_gate_traces_nr, st_gate_traces_nr + 1);
	spin_unlock(&st_gate_lock);
}

/* Stop recording into t.  Locking: takes st_gate_lock. */
void st_gate_trace_end(struct st_gate_trace *t)
{
	spin_lock(&st_gate_lock);
	list_del(&t->node);
	WRITE_ONCE(st_gate_traces_nr, st_gate_traces_nr - 1);
	spin_unlock(&st_gate_lock);
}

/*
 * Open g: the parked thread (if any) goes on.  what says why, for the
 * trace: opened, or the parked thread timed out or was killed.
 * Locking: st_gate_lock held.
 */
static bool gate_open_locked(struct st_gate *g, int what)
{
	bool parked = g->state == ST_GATE_PARKED;

	if (g->state != ST_GATE_IDLE)
		trace_swaptrack_gate(g->name, what);
	g->state = ST_GATE_IDLE;
	g->owner = NULL;
	g->pid = 0;
	g->for_pid = 0;
	g->nth = 0;
	g->seen = 0;
	g->seq++;
	wake_up_all(&g->wq);
	return parked;
}

/*
 * Pass gate id: park if it is armed (for this thread and this pass), until
 * opened.  Returns 0, -ETIMEDOUT when nobody opened it in time, or -EINTR
 * when the thread was killed.
 *
 * Locking: may sleep; the caller holds what its call site names, never a
 * spinlock.  Takes st_gate_lock.
 */
int st_gate(enum st_gate_id id)
{
	struct st_gate *g = &st_gates[id];
	unsigned long seq;
	long left;
	int err = 0;

	if (READ_ONCE(st_gate_traces_nr))
		gate_trace_pass(id);
	if (READ_ONCE(g->state) != ST_GATE_ARMED)
		return 0;
	might_sleep();
	spin_lock(&st_gate_lock);
	if (g->state != ST_GATE_ARMED || st_gates_closed ||
	    (g->for_pid && g->for_pid != task_pid_nr(current)) ||
	    ++g->seen < g->nth) {
		spin_unlock(&st_gate_lock);
		return 0;
	}
	g->state = ST_GATE_PARKED;
	g->pid = task_pid_nr(current);
	g->parks++;
	trace_swaptrack_gate(g->name, ST_TRACE_GATE_PARK);
	seq = g->seq;
	wake_up_all(&g->wq);		/* "gate wait" */
	spin_unlock(&st_gate_lock);

	left = wait_event_killable_timeout(g->wq, READ_ONCE(g->seq) != seq,
					   msecs_to_jiffies(gate_timeout_ms));
	if (left > 0)
		return 0;
	spin_lock(&st_gate_lock);
	if (g->seq == seq) {
		gate_open_locked(g, left ? ST_TRACE_GATE_KILL :
				 ST_TRACE_GATE_TIMEOUT);
		if (!left) {
			g->timeouts++;
			err = -ETIMEDOUT;
		} else {
			err = -EINTR;
		}
	}
	spin_unlock(&st_gate_lock);
	return err;
}

/* The name of gate id.  Locking: none (the names never change). */
const char *st_gate_name(int id)
{
	return st_gates[id].name;
}

/* The gate called name, or -ENOENT.  Locking: none. */
int st_gate_lookup(const char *name)
{
	int i;

	for (i = 0; i < ST_GATE_NR; i++)
		if (!strcmp(st_gates[i].name, name))
			return i;
	return -ENOENT;
}

/*
 * Arm gate id for owner: the thread pid (any if 0) parks at its nth pass
 * (the first if 0).  -EBUSY if the gate is armed or has a thread parked
 * already.  Locking: takes st_gate_lock.
 */
int st_gate_arm(int id, struct st_ctl_file *owner, pid_t pid,
		unsigned int nth)
{
	struct st_gate *g = &st_gates[id];
	int err = 0;

	spin_lock(&st_gate_lock);
	if (st_gates_closed) {
		err = -ENODEV;
	} else if (g->state != ST_GATE_IDLE) {
		err = -EBUSY;
	} else {
		g->state = ST_GATE_ARMED;
		g->owner = owner;
		g->for_pid = pid;
		g->nth = nth ?: 1;
		g->seen = 0;
		trace_swaptrack_gate(g->name, ST_TRACE_GATE_ARM);
	}
	spin_unlock(&st_gate_lock);
	return err;
}

static bool gate_not_armed(struct st_gate *g)
{
	return READ_ONCE(g->state) != ST_GATE_ARMED;
}

/*
 * Wait until a thread is parked at the gate.  -ETIMEDOUT if none came in
 * time, -ECANCELED if the gate was opened (or timed out) meanwhile, -EINTR
 * on a signal, -EINVAL if it was not armed at all.
 */
int st_gate_wait(int id, unsigned long timeout_ms)
{
	struct st_gate *g = &st_gates[id];
	enum st_gate_state state;
	long left;

	state = READ_ONCE(g->state);
	if (state == ST_GATE_IDLE)
		return -EINVAL;
	left = wait_event_interruptible_timeout(g->wq, gate_not_armed(g),
						msecs_to_jiffies(timeout_ms));
	if (left < 0)
		return -EINTR;
	state = READ_ONCE(g->state);
	if (state == ST_GATE_PARKED)
		return 0;
	return state == ST_GATE_ARMED ? -ETIMEDOUT : -ECANCELED;
}

/* Open the gate; -EINVAL if it was idle. */
int st_gate_open(int id, bool *was_parked)
{
	struct st_gate *g = &st_gates[id];
	int err = 0;

	spin_lock(&st_gate_lock);
	if (g->state == ST_GATE_IDLE)
		err = -EINVAL;
	else
		*was_parked = gate_open_locked(g, ST_TRACE_GATE_OPEN);
	spin_unlock(&st_gate_lock);
	return err;
}

/* The descriptor owner is closing: open every gate it armed. */
void st_gates_release(struct st_ctl_file *owner)
{
	int i;

	spin_lock(&st_gate_lock);
	for (i = 0; i < ST_GATE_NR; i++)
		if (st_gates[i].owner == owner)
			gate_open_locked(&st_gates[i], ST_TRACE_GATE_OPEN);
	spin_unlock(&st_gate_lock);
}

static int gates_show(struct seq_file *m, void *v)
{
	struct st_gate *g;
	int i;

	spin_lock(&st_gate_lock);
	for (i = 0; i < ST_GATE_NR; i++) {
		g = &st_gates[i];
		seq_printf(m, "%s %s", g->name, st_gate_states[g->state]);
		if (g->state == ST_GATE_PARKED)
			seq_printf(m, " pid=%d", g->pid);
		seq_printf(m, " parks=%lu timeouts=%lu", g->parks,
			   g->timeouts);
		if (g->state == ST_GATE_ARMED && g->for_pid)
			seq_printf(m, " for=%d", g->for_pid);
		if (g->state == ST_GATE_ARMED && g->nth > 1)
			seq_printf(m, " nth=%u seen=%u", g->nth, g->seen);
		seq_putc(m, '\n');
	}
	spin_unlock(&st_gate_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(gates);

int st_gates_init(struct dentry *root)
{
	struct dentry *d;
	int i;

	for (i = 0; i < ST_GATE_NR; i++)
		init_waitqueue_head(&st_gates[i].wq);
	d = debugfs_create_file("gates", 0400, root, NULL, &gates_fops);
	return PTR_ERR_OR_ZERO(d);
}

/* Unload: no gate parks any more, and every parked thread goes on. */
void st_gates_exit(void)
{
	int i;

	spin_lock(&st_gate_lock);
	st_gates_closed = true;
	for (i = 0; i < ST_GATE_NR; i++)
		gate_open_locked(&st_gates[i], ST_TRACE_GATE_OPEN);
	spin_unlock(&st_gate_lock);
}
