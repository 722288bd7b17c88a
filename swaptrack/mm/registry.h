/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The registry of model objects found by id: spaces and files (registry.c).
 */
#ifndef _ST_REGISTRY_H
#define _ST_REGISTRY_H

#include <linux/idr.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/stddef.h>

/*
 * Ids 1..max, each mapped to an object holding a struct kref at
 * kref_offset.  The registry holds one reference on each object it lists.
 * An id taken out (st_registry_unlist()) stays allocated, mapped to NULL,
 * until st_registry_forget(): the object's "<name>N" debugfs directory must
 * be gone before a new object may take the id.
 */
struct st_registry {
	struct idr idr;
	struct mutex lock;	/* the idr; nothing else is taken under it */
	int max;
	size_t kref_offset;
};

void st_registry_init(struct st_registry *reg, int max, size_t kref_offset);
int st_registry_add(struct st_registry *reg, void *obj,
		    void (*publish)(void *obj, int id));
void *st_registry_get(struct st_registry *reg, int id);
void *st_registry_next(struct st_registry *reg, int *id);
void *st_registry_unlist(struct st_registry *reg, int id,
			 unsigned int max_refs, int *err);
void st_registry_forget(struct st_registry *reg, int id);
void st_registry_destroy(struct st_registry *reg);

#endif /* _ST_REGISTRY_H */
