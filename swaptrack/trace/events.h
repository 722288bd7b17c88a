/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's tracepoints, system "swaptrack": every swap count change,
 * swap-cache add and delete, every pte or pmd the model sets or clears,
 * the gates, the policy switches and each audit violation.  They tell the
 * interleaving of a staged race in order, thread by thread (the pid of
 * each line): enable events/swaptrack in tracefs and read trace_pipe
 * (Documentation/ecosystem.md).
 *
 * The events carry plain values only (this is the lowest layer): the
 * callers decode what they pass, a pte's kind included.
 *
 * An out-of-tree module's trace header is found by define_trace.h through
 * TRACE_INCLUDE_PATH; Kbuild adds this folder to the include path, so "."
 * names it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM swaptrack

#if !defined(_ST_TRACE_EVENTS_H) || defined(TRACE_HEADER_MULTI_READ)
#define _ST_TRACE_EVENTS_H

#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/types.h>

#ifndef _ST_TRACE_ONCE
#define _ST_TRACE_ONCE

/* Room for a kind, gate or switch name in an event (longest: 22). */
#define ST_TRACE_NAME	24

/* What a gate event says happened (swaptrack_gate's "what"). */
enum st_trace_gate {
	ST_TRACE_GATE_ARM,	/* armed by a ctl descriptor */
	ST_TRACE_GATE_PARK,	/* a thread parked there */
	ST_TRACE_GATE_OPEN,	/* opened (by ctl, close or unload) */
	ST_TRACE_GATE_TIMEOUT,	/* the parked thread gave up */
	ST_TRACE_GATE_KILL,	/* the parked thread was killed */
};
#endif /* _ST_TRACE_ONCE */

TRACE_DEFINE_ENUM(ST_TRACE_GATE_ARM);
TRACE_DEFINE_ENUM(ST_TRACE_GATE_PARK);
TRACE_DEFINE_ENUM(ST_TRACE_GATE_OPEN);
TRACE_DEFINE_ENUM(ST_TRACE_GATE_TIMEOUT);
TRACE_DEFINE_ENUM(ST_TRACE_GATE_KILL);

/*
 * A map byte changed: in the swap map (cont 0) or in the n-th continuation
 * page of the slot (cont n, from 1).
 */
TRACE_EVENT(swaptrack_swap_count,
	TP_PROTO(unsigned long slot, u8 old, u8 new, unsigned int cont),
	TP_ARGS(slot, old, new, cont),
	TP_STRUCT__entry(
		__field(unsigned long, slot)
		__field(u8, old)
		__field(u8, new)
		__field(unsigned int, cont)
	),
	TP_fast_assign(
		__entry->slot = slot;
		__entry->old = old;
		__entry->new = new;
		__entry->cont = cont;
	),
	TP_printk("slot=%lu old=0x%02x new=0x%02x cont=%u",
		  __entry->slot, __entry->old, __entry->new, __entry->cont)
);

DECLARE_EVENT_CLASS(swaptrack_swapcache,
	TP_PROTO(unsigned long slot, unsigned long pfn),
	TP_ARGS(slot, pfn),
	TP_STRUCT__entry(
		__field(unsigned long, slot)
		__field(unsigned long, pfn)
	),
	TP_fast_assign(
		__entry->slot = slot;
		__entry->pfn = pfn;
	),
	TP_printk("slot=%lu pfn=0x%lx", __entry->slot, __entry->pfn)
);

DEFINE_EVENT(swaptrack_swapcache, swaptrack_swapcache_add,
	TP_PROTO(unsigned long slot, unsigned long pfn),
	TP_ARGS(slot, pfn)
);

DEFINE_EVENT(swaptrack_swapcache, swaptrack_swapcache_del,
	TP_PROTO(unsigned long slot, unsigned long pfn),
	TP_ARGS(slot, pfn)
);

/*
 * A page-table entry set or cleared: the space (0: a table not linked to
 * one yet), the address, the raw values and the kinds they decode to.
 */
DECLARE_EVENT_CLASS(swaptrack_entry,
	TP_PROTO(int space, unsigned long addr, u64 old, u64 new,
		 const char *old_kind, const char *new_kind),
	TP_ARGS(space, addr, old, new, old_kind, new_kind),
	TP_STRUCT__entry(
		__field(int, space)
		__field(unsigned long, addr)
		__field(u64, old)
		__field(u64, new)
		__array(char, old_kind, ST_TRACE_NAME)
		__array(char, new_kind, ST_TRACE_NAME)
	),
	TP_fast_assign(
		__entry->space = space;
		__entry->addr = addr;
		__entry->old = old;
		__entry->new = new;
		strscpy(__entry->old_kind, old_kind, ST_TRACE_NAME);
		strscpy(__entry->new_kind, new_kind, ST_TRACE_NAME);
	),
	TP_printk("space=%d addr=0x%lx old=0x%llx new=0x%llx kind=%s->%s",
		  __entry->space, __entry->addr,
		  (unsigned long long)__entry->old,
		  (unsigned long long)__entry->new,
		  __entry->old_kind, __entry->new_kind)
);

DEFINE_EVENT(swaptrack_entry, swaptrack_pte,
	TP_PROTO(int space, unsigned long addr, u64 old, u64 new,
		 const char *old_kind, const char *new_kind),
	TP_ARGS(space, addr, old, new, old_kind, new_kind)
);

DEFINE_EVENT(swaptrack_entry, swaptrack_pmd,
	TP_PROTO(int space, unsigned long addr, u64 old, u64 new,
		 const char *old_kind, const char *new_kind),
	TP_ARGS(space, addr, old, new, old_kind, new_kind)
);

TRACE_EVENT(swaptrack_gate,
	TP_PROTO(const char *gate, int what),
	TP_ARGS(gate, what),
	TP_STRUCT__entry(
		__array(char, gate, ST_TRACE_NAME)
		__field(int, what)
	),
	TP_fast_assign(
		strscpy(__entry->gate, gate, ST_TRACE_NAME);
		__entry->what = what;
	),
	TP_printk("gate=%s %s", __entry->gate,
		  __print_symbolic(__entry->what,
				   { ST_TRACE_GATE_ARM, "arm" },
				   { ST_TRACE_GATE_PARK, "park" },
				   { ST_TRACE_GATE_OPEN, "open" },
				   { ST_TRACE_GATE_TIMEOUT, "timeout" },
				   { ST_TRACE_GATE_KILL, "kill" }))
);

/* A switch set to a value ("policy set", or "reset" putting it back). */
TRACE_EVENT(swaptrack_policy,
	TP_PROTO(const char *name, const char *old, const char *new),
	TP_ARGS(name, old, new),
	TP_STRUCT__entry(
		__array(char, name, ST_TRACE_NAME)
		__array(char, old, ST_TRACE_NAME)
		__array(char, new, ST_TRACE_NAME)
	),
	TP_fast_assign(
		strscpy(__entry->name, name, ST_TRACE_NAME);
		strscpy(__entry->old, old, ST_TRACE_NAME);
		strscpy(__entry->new, new, ST_TRACE_NAME);
	),
	TP_printk("%s=%s->%s", __entry->name, __entry->old, __entry->new)
);

/* One violation the auditor found, its line as the audit file shows it. */
TRACE_EVENT(swaptrack_audit,
	TP_PROTO(const char *finding),
	TP_ARGS(finding),
	TP_STRUCT__entry(
		__array(char, finding, 128)
	),
	TP_fast_assign(
		strscpy(__entry->finding, finding, sizeof(__entry->finding));
	),
	TP_printk("%s", __entry->finding)
);

#endif /* _ST_TRACE_EVENTS_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE events
#include <trace/define_trace.h>
