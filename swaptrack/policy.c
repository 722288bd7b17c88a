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

#include "policy.h"

struct st_policy_switch {
	const char *name;
	const char *const *values;
	unsigned int nr_values;
	unsigned int fixed;
	unsigned int cur;
};

static const char *const zap_details_values[] = {
	[ST_ZAP_SKIP_SWAP] = "skip_swap",
	[ST_ZAP_EVEN_COWS] = "even_cows",
};

static struct st_policy_switch st_policies[ST_POL_NR] = {
	[ST_POL_ZAP_DETAILS] = {
		.name = "zap_details",
		.values = zap_details_values,
		.nr_values = ARRAY_SIZE(zap_details_values),
		.fixed = ST_ZAP_EVEN_COWS,
		.cur = ST_ZAP_EVEN_COWS,
	},
};

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
				WRITE_ONCE(p->cur, v);
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
		WRITE_ONCE(st_policies[i].cur, st_policies[i].fixed);
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

	d = debugfs_create_file("policy", 0400, root, NULL, &policy_fops);
	return PTR_ERR_OR_ZERO(d);
}
