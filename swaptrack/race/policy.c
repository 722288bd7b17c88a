// SPDX-License-Identifier: GPL-2.0
/*
 * Policy switches.  Each value is named after the code it reproduces; the
 * default is always the fix.  The "policy" file lists every switch as
 * "name=value values=a,b".
 */
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "race/policy.h"
#include "trace/events.h"

struct st_policy_switch {
	const char *name;
	const char *const *values;
	unsigned int nr_values;
	unsigned int fixed;
	unsigned int cur;
};

static const char *const dup_errors_values[] = {
	[ST_DUP_PRE_SERIES] = "pre_series",
	[ST_DUP_SERIES_V5] = "series_v5",
	[ST_DUP_DANIEL] = "daniel",
	[ST_DUP_MAINLINE] = "mainline",
};

static const char *const ksm_copy_values[] = {
	[ST_KSM_UNLOCK_EARLY] = "unlock_early",
	[ST_KSM_HOLD_LOCK] = "hold_lock",
};

static const char *const uptodate_check_values[] = {
	[ST_UPTODATE_AFTER_COPY] = "after_copy",
	[ST_UPTODATE_NO_COPY] = "no_copy",
	[ST_UPTODATE_BEFORE_COPY] = "before_copy",
};

static const char *const swapin_recheck_values[] = {
	[ST_RECHECK_NONE] = "none",
	[ST_RECHECK_SWAPCACHE] = "swapcache",
	[ST_RECHECK_ENTRY] = "swapcache_entry",
};

static const char *const slot_reuse_values[] = {
	[ST_SLOT_REUSE_IMMEDIATE] = "immediate",
	[ST_SLOT_REUSE_DEFERRED] = "deferred",
};

static const char *const swapin_pin_values[] = {
	[ST_PIN_PAGE_LOCK] = "page_lock",
	[ST_PIN_SWAP_DUP] = "swap_dup",
};

static const char *const shmem_conflict_values[] = {
	[ST_SHMEM_EEXIST_ONLY] = "eexist_only",
	[ST_SHMEM_ENOENT_NO_RETRY] = "enoent_no_retry",
	[ST_SHMEM_RETRY] = "retry",
	[ST_SHMEM_ENOENT_RETRY] = "enoent_retry",
};

static const char *const swapin_reconfirm_values[] = {
	[ST_RECONFIRM_OMITTED] = "omitted",
	[ST_RECONFIRM_FAILED_LABEL] = "failed_label",
};

static const char *const marker_none_values[] = {
	[ST_MARKER_STRICT] = "strict",
	[ST_MARKER_MOSTLY] = "mostly",
};

static const char *const zap_details_values[] = {
	[ST_ZAP_SKIP_SWAP] = "skip_swap",
	[ST_ZAP_EVEN_COWS] = "even_cows",
	[ST_ZAP_RFC_V2] = "rfc_v2",
};

/* seed 005, see swapin_sync.c */
static const char *const sync_pin_values[] = {
	[ST_SYNC_PIN_NONE] = "none",
	[ST_SYNC_PIN_SWAPCACHE_PREPARE] = "swapcache_prepare",
};

/* .cur starts at .fixed: st_policy_init() runs st_policy_reset() */
#define ST_SWITCH(_name, _fixed) {				\
	.name = #_name,							\
	.values = _name##_values,					\
	.nr_values = ARRAY_SIZE(_name##_values),			\
	.fixed = _fixed,						\
}

static struct st_policy_switch st_policies[ST_POL_NR] = {
	[ST_POL_DUP_ERRORS] = ST_SWITCH(dup_errors, ST_DUP_MAINLINE),
	[ST_POL_ZAP_DETAILS] = ST_SWITCH(zap_details, ST_ZAP_EVEN_COWS),
	[ST_POL_KSM_COPY] = ST_SWITCH(ksm_copy, ST_KSM_HOLD_LOCK),
	[ST_POL_UPTODATE_CHECK] = ST_SWITCH(uptodate_check,
					    ST_UPTODATE_NO_COPY),
	[ST_POL_SWAPIN_PIN] = ST_SWITCH(swapin_pin, ST_PIN_PAGE_LOCK),
	[ST_POL_SHMEM_CONFLICT] = ST_SWITCH(shmem_conflict, ST_SHMEM_RETRY),
	[ST_POL_MARKER_NONE] = ST_SWITCH(marker_none, ST_MARKER_MOSTLY),
	[ST_POL_SYNC_PIN] = ST_SWITCH(sync_pin, ST_SYNC_PIN_SWAPCACHE_PREPARE),
	[ST_POL_SWAPIN_RECONFIRM] = ST_SWITCH(swapin_reconfirm,
					      ST_RECONFIRM_FAILED_LABEL),
	[ST_POL_SWAPIN_RECHECK] = ST_SWITCH(swapin_recheck, ST_RECHECK_ENTRY),
	/* not a fix but the allocator the model runs: see README */
	[ST_POL_SLOT_REUSE] = ST_SWITCH(slot_reuse, ST_SLOT_REUSE_IMMEDIATE),
};

/*
 * Switch p to value v, traced when it changes.  Locking: none; a switch
 * is one word, read with READ_ONCE() by whoever consults it.
 */
static void policy_switch(struct st_policy_switch *p, unsigned int v)
{
	unsigned int old = READ_ONCE(p->cur);

	if (old != v)
		trace_swaptrack_policy(p->name, p->values[old], p->values[v]);
	WRITE_ONCE(p->cur, v);
}

unsigned int st_policy(enum st_policy_id id)
{
	return READ_ONCE(st_policies[id].cur);
}

/* -ENOENT for an unknown switch, -EINVAL for a value it does not have. */
int st_policy_set(const char *name, const char *value)
{
	struct st_policy_switch *p;
	unsigned int i, v;

	for (i = 0; i < ST_POL_NR; i++) {
		p = &st_policies[i];
		if (strcmp(p->name, name))
			continue;
		for (v = 0; v < p->nr_values; v++) {
			if (!strcmp(p->values[v], value)) {
				policy_switch(p, v);
				return 0;
			}
		}
		return -EINVAL;
	}
	return -ENOENT;
}

void st_policy_reset(void)
{
	unsigned int i;

	for (i = 0; i < ST_POL_NR; i++)
		policy_switch(&st_policies[i], st_policies[i].fixed);
}

static int policy_show(struct seq_file *m, void *v)
{
	struct st_policy_switch *p;
	unsigned int i, j;

	for (i = 0; i < ST_POL_NR; i++) {
		p = &st_policies[i];
		seq_printf(m, "%s=%s values=", p->name, p->values[st_policy(i)]);
		for (j = 0; j < p->nr_values; j++)
			seq_printf(m, "%s%s", j ? "," : "", p->values[j]);
		seq_putc(m, '\n');
	}
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(policy);

int st_policy_init(struct dentry *root)
{
	struct dentry *d;

	st_policy_reset();
	d = debugfs_create_file("policy", 0400, root, NULL, &policy_fops);
	return PTR_ERR_OR_ZERO(d);
}
