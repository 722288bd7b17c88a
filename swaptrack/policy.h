/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy switches: for each seed mistake, the historical code or the fix.
 */
#ifndef _ST_POLICY_H
#define _ST_POLICY_H

struct dentry;

enum st_policy_id {
	ST_POL_ZAP_DETAILS,	/* seed 001 */
	ST_POL_NR,
};

/* zap_details: what zap_pte_range() does with non-present entries */
enum {
	ST_ZAP_SKIP_SWAP,	/* <= 5.17: details set, every one is left */
	ST_ZAP_EVEN_COWS,	/* 5.18+: only COWs, and only unless even_cows */
};

unsigned int st_policy(enum st_policy_id id);
int st_policy_set(const char *name, const char *value);
void st_policy_reset(void);
int st_policy_init(struct dentry *root);

#endif /* _ST_POLICY_H */
