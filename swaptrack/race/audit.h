/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The auditor: every invariant of the model, checked on demand.
 */
#ifndef _ST_AUDIT_H
#define _ST_AUDIT_H

struct dentry;

int st_audit_init(struct dentry *root);

#endif /* _ST_AUDIT_H */
