// SPDX-License-Identifier: GPL-2.0
/*
 * The registry of model objects found by id, written once for spaces and
 * files.
 */
#include <linux/err.h>
#include <linux/gfp.h>

#include "mm/registry.h"

/* Before any other call: ids 1..max, the kref at kref_offset of an object. */
void st_registry_init(struct st_registry *reg, int max, size_t kref_offset)
{
	idr_init(&reg->idr);
	mutex_init(&reg->lock);
	reg->max = max;
	reg->kref_offset = kref_offset;
}

static struct kref *obj_kref(struct st_registry *reg, void *obj)
{
	return (struct kref *)((char *)obj + reg->kref_offset);
}

/*
 * List obj under the lowest free id; publish(obj, id) runs under the
 * registry's lock (it names the object and creates its debugfs
 * directory, which a destroy of the same id must find).  The registry
 * takes a reference of its own: the caller's stays the caller's.  Returns
 * the id, or -ENOSPC when every id is taken.
 */
int st_registry_add(struct st_registry *reg, void *obj,
		    void (*publish)(void *obj, int id))
{
	int id;

	mutex_lock(&reg->lock);
	id = idr_alloc(&reg->idr, obj, 1, reg->max + 1, GFP_KERNEL);
	if (id >= 0) {
		publish(obj, id);
		kref_get(obj_kref(reg, obj));
	}
	mutex_unlock(&reg->lock);
	return id;
}

/* The object of id, referenced; NULL if none is listed there. */
void *st_registry_get(struct st_registry *reg, int id)
{
	void *obj;

	mutex_lock(&reg->lock);
	obj = idr_find(&reg->idr, id);
	if (obj)
		kref_get(obj_kref(reg, obj));
	mutex_unlock(&reg->lock);
	return obj;
}

/*
 * The listed object of the lowest id at or above *id, referenced, its id
 * in *id; NULL when there is none.  A walk over what is live costs what
 * is live: idr_get_next() skips the empty ids.
 *
 * Locking: takes the registry's lock.
 */
void *st_registry_next(struct st_registry *reg, int *id)
{
	void *obj;
	int next = *id;

	/* an unlisted id, mapped to NULL, is skipped as an empty one */
	mutex_lock(&reg->lock);
	obj = idr_get_next(&reg->idr, &next);
	if (obj)
		kref_get(obj_kref(reg, obj));
	mutex_unlock(&reg->lock);
	*id = next;
	return obj;
}

/*
 * Take the object of id out of the registry, with the registry's
 * reference: st_registry_get() finds nothing from now on.  -ENOENT in
 * *err if none is listed; -EBUSY, and the object stays, if max_refs is not
 * zero and the object holds more references than that.
 */
void *st_registry_unlist(struct st_registry *reg, int id,
			 unsigned int max_refs, int *err)
{
	void *obj;

	*err = 0;
	mutex_lock(&reg->lock);
	obj = idr_find(&reg->idr, id);
	if (obj && max_refs && kref_read(obj_kref(reg, obj)) > max_refs)
		*err = -EBUSY;
	else if (obj)
		idr_replace(&reg->idr, NULL, id);
	else
		*err = -ENOENT;
	mutex_unlock(&reg->lock);
	return *err ? NULL : obj;
}

/* Release the id of an unlisted object, its debugfs directory removed. */
void st_registry_forget(struct st_registry *reg, int id)
{
	mutex_lock(&reg->lock);
	idr_remove(&reg->idr, id);
	mutex_unlock(&reg->lock);
}

void st_registry_destroy(struct st_registry *reg)
{
	idr_destroy(&reg->idr);
}
