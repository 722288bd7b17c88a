// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on the swap map: "slot ...", "swapoff", "swapon", "swap sync".
 */
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/string_helpers.h>	/* str_on_off(): string_choices.h from 6.7 */
#include <linux/swap.h>
#include <linux/swapops.h>

#include "mm/swapin_sync.h"
#include "proto/ctl.h"
#include "swapdev/contpage.h"
#include "swapdev/swapmap.h"

static const char *const cluster_names[] = {
	[ST_CLUSTER_FREE] = "free",
	[ST_CLUSTER_NORMAL] = "normal",
	[ST_CLUSTER_HUGE] = "huge",
};

static int parse_slot(struct st_reply *r, const char *s, unsigned long *slot)
{
	int err = st_parse_ulong(r, "slot", s, slot);

	if (err)
		return err;
	if (*slot >= st_swap_nr_slots())
		return st_reply_error(r, -EINVAL,
				      "slot %lu out of range (nr_slots %lu)",
				      *slot, st_swap_nr_slots());
	return 0;
}

static int parse_repeat(struct st_reply *r, int argc, char **argv,
			unsigned long *n)
{
	int err;

	*n = 1;
	if (argc < 2)
		return 0;
	err = st_parse_ulong(r, "N", argv[1], n);
	if (err)
		return err;
	if (!*n)
		return st_reply_error(r, -EINVAL, "N must be at least 1");
	if (*n > ST_DUP_MAX)
		return st_reply_error(r, -E2BIG, "N %lu above %d", *n,
				      ST_DUP_MAX);
	return 0;
}

/* Explain an errno of the swap map primitives for one slot. */
static int slot_error(struct st_reply *r, int err, unsigned long slot,
		      const char *einval)
{
	struct st_slot_info info;

	switch (err) {
	case -ENOENT:
		st_swap_query(slot, &info);
		return st_reply_error(r, err, "slot %lu is %s", slot,
				      info.bad ? "bad" : "free");
	case -EEXIST:
		return st_reply_error(r, err,
				      "slot %lu is already in the swap cache",
				      slot);
	case -ENOTDIR:
		return st_reply_error(r, err,
				      "cluster of slot %lu is not huge (split)",
				      slot);
	case -EBUSY:
		return st_reply_error(r, err, "slot %lu is in use", slot);
	case -ENODEV:
		return st_reply_error(r, err, "swap is off");
	case -ENOSPC:
		return st_reply_error(r, err, "no free %s",
				      slot ? "cluster" : "slot");
	case -ENOMEM:
		return st_reply_error(r, err,
				      "no memory for a continuation page");
	case -EINTR:
		return st_reply_error(r, err, "interrupted");
	case -EINVAL:
		return st_reply_error(r, err, "slot %lu: %s", slot, einval);
	default:
		return st_reply_error(r, err, "slot %lu: failed", slot);
	}
}

static void reply_count(struct st_reply *r, unsigned long slot)
{
	struct st_slot_info info;

	st_swap_query(slot, &info);
	st_reply_add(r, "slot=%lu count=%lu", slot, info.count);
}

static int cmd_alloc(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long slot;
	u32 gen;
	int err = st_swap_alloc(&slot, &gen);

	if (err)
		return slot_error(r, err, 0, "");
	st_reply_add(r, "slot=%lu gen=%u", slot, gen);
	return 0;
}

static int cmd_alloc_pmd(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	unsigned long slot;
	u32 gen;
	int err = st_swap_alloc_pmd(&slot, &gen);

	if (err)
		return slot_error(r, err, 1, "");
	st_reply_add(r, "slot=%lu gen=%u nr=%lu", slot, gen, ST_CLUSTER_NR);
	return 0;
}

/* Repeat a per-slot operation N times, staying preemptible and killable. */
static int repeat(unsigned long slot, unsigned long n,
		  int (*op)(unsigned long slot))
{
	unsigned long i;
	int err = 0;

	for (i = 0; i < n && !err; i++) {
		err = op(slot);
		if (!(i & 1023)) {
			cond_resched();
			if (!err && fatal_signal_pending(current))
				err = -EINTR;
		}
	}
	return err;
}

static int dup_one(unsigned long slot)
{
	return st_swap_duplicate(slot, GFP_KERNEL);
}

static int cmd_dup(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	unsigned long slot, n;
	int err;

	err = parse_slot(r, argv[0], &slot) ?: parse_repeat(r, argc, argv, &n);
	if (err)
		return err;
	err = repeat(slot, n, dup_one);
	if (err)
		return slot_error(r, err, slot, "count cannot take a reference");
	reply_count(r, slot);
	return 0;
}

static int cmd_free(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	unsigned long slot, n;
	int err;

	err = parse_slot(r, argv[0], &slot) ?: parse_repeat(r, argc, argv, &n);
	if (err)
		return err;
	err = repeat(slot, n, st_swap_free);
	if (err)
		return slot_error(r, err, slot, "no map count to free");
	reply_count(r, slot);
	return 0;
}

/*
 * "slot VERB SLOT" for a primitive that takes the slot alone: @einval
 * explains its -EINVAL, and the reply names the slot (and the cluster's
 * slot count for a PMD-wide primitive).
 */
static int slot_op(struct st_reply *r, const char *arg,
		   int (*op)(unsigned long slot), const char *einval,
		   bool pmd)
{
	unsigned long slot;
	int err;

	err = parse_slot(r, arg, &slot);
	if (err)
		return err;
	err = op(slot);
	if (err)
		return slot_error(r, err, slot, einval);
	if (pmd)
		st_reply_add(r, "slot=%lu nr=%lu", slot, ST_CLUSTER_NR);
	else
		st_reply_add(r, "slot=%lu", slot);
	return 0;
}

static int dup_pmd_one(unsigned long slot)
{
	return st_swap_duplicate_pmd(slot, GFP_KERNEL);
}

static int uncache_one(unsigned long slot)
{
	return st_swapcache_clear(slot, 1);
}

static int uncache_pmd_one(unsigned long slot)
{
	return st_swapcache_clear(slot, ST_CLUSTER_NR);
}

static int cmd_dup_pmd(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	return slot_op(r, argv[0], dup_pmd_one,
		       "not cluster-aligned, or a slot is full", true);
}

static int cmd_free_pmd(struct st_ctl_file *f, int argc, char **argv,
			struct st_reply *r)
{
	return slot_op(r, argv[0], st_swap_free_pmd,
		       "not cluster-aligned, or a slot has no map count", true);
}

static int cmd_cache(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	return slot_op(r, argv[0], st_swapcache_prepare,
		       "count cannot take the cache", false);
}

static int cmd_uncache(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	return slot_op(r, argv[0], uncache_one, "not in the swap cache", false);
}

static int cmd_uncache_pmd(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	return slot_op(r, argv[0], uncache_pmd_one,
		       "not cluster-aligned, or a slot is not in the swap cache",
		       false);
}

static int cmd_bad(struct st_ctl_file *f, int argc, char **argv,
		   struct st_reply *r)
{
	return slot_op(r, argv[0], st_swap_mark_bad, "", false);
}

static int cmd_split(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	return slot_op(r, argv[0], st_swap_split_cluster,
		       "cluster is not huge", false);
}

static int cmd_cont(struct st_ctl_file *f, int argc, char **argv,
		    struct st_reply *r)
{
	unsigned long slot;
	int ret;

	ret = parse_slot(r, argv[0], &slot);
	if (ret)
		return ret;
	ret = st_swap_add_continuation(slot, GFP_KERNEL);
	if (ret < 0)
		return slot_error(r, ret, slot, "");
	st_reply_add(r, "slot=%lu added=%d", slot, ret);
	return 0;
}

static int cmd_query(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	struct st_slot_info info;
	unsigned long slot;
	int err;

	err = parse_slot(r, argv[0], &slot);
	if (err)
		return err;
	st_swap_query(slot, &info);
	st_reply_add(r, "slot=%lu map=0x%02x count=%lu cache=%d bad=%d",
		     slot, info.map, info.count, info.cache, info.bad);
	st_reply_add(r, "continued=%d shmem=%d gen=%u cluster=%s conts=%u",
		     info.continued, info.shmem, info.gen,
		     cluster_names[info.cluster], info.conts);
	st_reply_add(r, "parked=%d", info.parked);
	return 0;
}

/* The real encodings of this arch: what a page table would hold. */
static int cmd_entry(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	unsigned long slot;
	swp_entry_t entry;
	int err;

	err = parse_slot(r, argv[0], &slot);
	if (err)
		return err;
	entry = swp_entry(ST_SWAP_TYPE, slot);
	st_reply_add(r, "slot=%lu type=%u offset=%lu entry=0x%lx pte=0x%llx pmd=0x%llx",
		     slot, swp_type(entry), swp_offset(entry), entry.val,
		     (unsigned long long)pte_val(swp_entry_to_pte(entry)),
		     (unsigned long long)pmd_val(swp_entry_to_pmd(entry)));
	return 0;
}

static int cmd_swapoff(struct st_ctl_file *f, int argc, char **argv,
		       struct st_reply *r)
{
	struct st_swap_stats stats;
	unsigned long freed, leaked;
	int err = st_swapoff(&freed, &leaked);

	if (err == -EBUSY) {
		st_swap_get_stats(&stats);
		return st_reply_error(r, err, "%lu slots in use", stats.used);
	}
	if (err)
		return st_reply_error(r, err, "swap is already off");
	st_reply_add(r, "conts_freed=%lu leaked=%lu", freed, leaked);
	return 0;
}

/*
 * Fault injection: the next N continuation pages asked for without
 * __GFP_DIRECT_RECLAIM are refused (contpage.c); 0 disarms.
 */
static int cmd_fail_atomic(struct st_ctl_file *f, int argc, char **argv,
			   struct st_reply *r)
{
	unsigned long n;
	int err = st_parse_ulong(r, "N", argv[0], &n);

	if (err)
		return err;
	if (n > ST_FAIL_ATOMIC_MAX)
		return st_reply_error(r, -E2BIG, "N %lu above %d", n,
				      ST_FAIL_ATOMIC_MAX);
	st_cont_fail_atomic(n);
	st_reply_add(r, "fail_atomic=%lu", n);
	return 0;
}

/* drain_slots_cache_cpu(): the parked slots of slot_reuse=deferred. */
static int cmd_drain(struct st_ctl_file *f, int argc, char **argv,
		     struct st_reply *r)
{
	st_reply_add(r, "returned=%u", st_swap_drain());
	return 0;
}

static int cmd_swapon(struct st_ctl_file *f, int argc, char **argv,
		      struct st_reply *r)
{
	int err = st_swapon();

	if (err)
		return st_reply_error(r, err, "swap is already on");
	return 0;
}

/* SWP_SYNCHRONOUS_IO of the device: swapin may skip the swap cache */
static int cmd_swap_sync(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	bool on;

	if (!strcmp(argv[0], "on"))
		on = true;
	else if (!strcmp(argv[0], "off"))
		on = false;
	else
		return st_reply_error(r, -EINVAL, "swap sync '%s': want on or off",
				      argv[0]);
	st_swap_set_sync(on);
	st_reply_add(r, "sync=%s", str_on_off(on));
	return 0;
}

const struct st_cmd st_slot_cmds[] = {
	{ "slot alloc", NULL, 0, 0, cmd_alloc },
	{ "slot alloc-pmd", NULL, 0, 0, cmd_alloc_pmd },
	{ "slot dup", "SLOT [N]", 1, 2, cmd_dup },
	{ "slot dup-pmd", "SLOT", 1, 1, cmd_dup_pmd },
	{ "slot free", "SLOT [N]", 1, 2, cmd_free },
	{ "slot free-pmd", "SLOT", 1, 1, cmd_free_pmd },
	{ "slot cache", "SLOT", 1, 1, cmd_cache },
	{ "slot uncache", "SLOT", 1, 1, cmd_uncache },
	{ "slot uncache-pmd", "SLOT", 1, 1, cmd_uncache_pmd },
	{ "slot bad", "SLOT", 1, 1, cmd_bad },
	{ "slot split", "SLOT", 1, 1, cmd_split },
	{ "slot cont", "SLOT", 1, 1, cmd_cont },
	{ "slot query", "SLOT", 1, 1, cmd_query },
	{ "slot entry", "SLOT", 1, 1, cmd_entry },
	{ "slot fail-atomic", "N", 1, 1, cmd_fail_atomic },
	{ "slot drain", NULL, 0, 0, cmd_drain },
	{ "swapoff", NULL, 0, 0, cmd_swapoff },
	{ "swapon", NULL, 0, 0, cmd_swapon },
	{ "swap sync", "on|off", 1, 1, cmd_swap_sync },
	{ }
};
