/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Policy switches: for each seed mistake, the historical code or the fix.
 */
#ifndef _ST_POLICY_H
#define _ST_POLICY_H

struct dentry;

enum st_policy_id {
	ST_POL_DUP_ERRORS,	/* seed 000 */
	ST_POL_ZAP_DETAILS,	/* seed 001 */
	ST_POL_KSM_COPY,	/* seed 002 */
	ST_POL_UPTODATE_CHECK,	/* seed 002 */
	ST_POL_SWAPIN_PIN,	/* seed 002 */
	ST_POL_SHMEM_CONFLICT,	/* seed 003 */
	ST_POL_MARKER_NONE,	/* seed 004 */
	ST_POL_SYNC_PIN,	/* seed 005 */
	ST_POL_SWAPIN_RECONFIRM, /* seed 003 */
	ST_POL_SWAPIN_RECHECK,	/* seed 002 */
	ST_POL_SLOT_REUSE,	/* seed 002 */
	ST_POL_NR,
};

/* dup_errors: swap_duplicate()'s errors in copy_pte_range() (fork.c) */
enum {
	ST_DUP_PRE_SERIES,	/* 570a335b8e22 (2.6.34) to 4.19: swallowed */
	ST_DUP_SERIES_V5,	/* -V5 RESEND 03/21: any error, "continuation" */
	ST_DUP_DANIEL,		/* reading of the thread: only -ENOMEM continues */
	ST_DUP_MAINLINE,	/* 6.12: swallowed, copy_nonpresent_pte() -EIO */
};

/* zap_details: what zap_pte_range() does with non-present entries */
enum {
	ST_ZAP_SKIP_SWAP,	/* <= 5.17: details set, every one is left */
	ST_ZAP_EVEN_COWS,	/* 5.18+: only COWs, and only unless even_cows */
	ST_ZAP_RFC_V2,		/* RFC v2 1/2: every one zapped, COWs too */
};

/* ksm_copy: the page lock across ksm_does_need_to_copy() */
enum {
	ST_KSM_UNLOCK_EARLY,	/* 2.6.35: unlock_page() before the copy */
	ST_KSM_HOLD_LOCK,	/* Andrea's fix: locked until pte_same() */
};

/* uptodate_check: what the KSM copy makes of a !PageUptodate page */
enum {
	ST_UPTODATE_AFTER_COPY,	/* 2.6.35-3.8: copied, then checked on the copy */
	ST_UPTODATE_NO_COPY,	/* 3.9+: not copied, SIGBUS after pte_same() */
	ST_UPTODATE_BEFORE_COPY, /* Hugh's 2010 mail: SIGBUS before the copy */
};

/* swapin_pin: what keeps the swap entry from reuse until pte_same() */
enum {
	ST_PIN_PAGE_LOCK,	/* the swap-cache page lock (Andrea) */
	ST_PIN_SWAP_DUP,	/* swap_duplicate() + swap_free() (Hugh) */
};

/* swapin_recheck: do_swap_page()'s check once the page is locked */
enum {
	ST_RECHECK_NONE,	/* 2.6.35: none, pte_same() trusted */
	ST_RECHECK_SWAPCACHE,	/* 2.6.36-rc: !PageSwapCache(page) */
	ST_RECHECK_ENTRY,	/* 2.6.36 final .. 6.12: and the entry */
};

/* slot_reuse: when a freed swap slot can be allocated again */
enum {
	ST_SLOT_REUSE_IMMEDIATE, /* model: at once, lowest free slot first */
	ST_SLOT_REUSE_DEFERRED,	/* 6.12 swap_slots.c: after the return batch */
};

/* shmem_conflict: shmem_add_to_page_cache() finding another entry */
enum {
	ST_SHMEM_EEXIST_ONLY,	/* 3.7-5.7: -EEXIST, page deleted, retried */
	ST_SHMEM_ENOENT_NO_RETRY, /* v2 series: -ENOENT, deleted, not retried */
	ST_SHMEM_RETRY,		/* 5.8+: -EEXIST retried, the page left */
	ST_SHMEM_ENOENT_RETRY,	/* the delta fix: -ENOENT deleted, retried */
};

/* swapin_reconfirm: shmem_swapin_folio()'s "failed:" label */
enum {
	ST_RECONFIRM_OMITTED,	/* a reading of the thread: no re-check */
	ST_RECONFIRM_FAILED_LABEL, /* entry gone: the error becomes -EEXIST */
};

/*
 * marker_none: the pte_none_mostly() callers of 6.12 (marker.c, and
 * userfaultfd_must_wait() in fault.c) asking plain pte_none() or
 * pte_none_mostly() (5.19, "mm: teach core mm about pte markers")
 */
enum {
	ST_MARKER_STRICT,	/* plain pte_none(): false for a marker */
	ST_MARKER_MOSTLY,	/* pte_none_mostly(): none or a marker */
};

/* sync_pin: what pins the entry of a swapin that skips the swap cache */
enum {
	ST_SYNC_PIN_NONE,		/* 4.15 (0bcac06f27d7) .. 6.7: nothing */
	ST_SYNC_PIN_SWAPCACHE_PREPARE,	/* 13ddaf26be32 (6.8): SWAP_HAS_CACHE */
};

unsigned int st_policy(enum st_policy_id id);
int st_policy_set(const char *name, const char *value);
void st_policy_reset(void);
int st_policy_init(struct dentry *root);

#endif /* _ST_POLICY_H */
