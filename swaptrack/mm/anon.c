// SPDX-License-Identifier: GPL-2.0
/*
 * Anon lineages: the model's anon_vma, reduced to its root.  Every space
 * starts a lineage of its own (anon_vma_prepare()); a fork child joins
 * its parent's (anon_vma_fork(), which links the child's vmas into the
 * parent's anon_vma tree).  An anonymous page names its lineage by id
 * (st_page->anon_root, folio->mapping) and the address it was first
 * mapped at (st_page->index, folio->index), so that try_to_unmap() and
 * the other rmap walks visit one pte in each member space and no other
 * (rmap_walk_anon()).
 *
 * A lineage is refcounted by its members and by walkers; the last member
 * to leave drops the list's reference.  Walkers find it by id under RCU
 * (kref_get_unless_zero()), as folio_lock_anon_vma_read() does, and it is
 * freed a grace period after the last put.
 */
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/rcupdate.h>
#include <linux/rwsem.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "mm/anon.h"
#include "mm/space.h"

struct st_anon {
	u64 id;
	struct kref kref;		/* members (one for all) and walkers */
	struct rw_semaphore rwsem;	/* anon_vma->root->rwsem: the list */
	struct list_head spaces;	/* st_space->anon_node */
	struct rcu_head rcu;
};

static DEFINE_XARRAY(st_anons);		/* id -> lineage */
static atomic64_t st_anon_ids = ATOMIC64_INIT(0);

static void anon_release(struct kref *kref)
{
	struct st_anon *av = container_of(kref, struct st_anon, kref);

	xa_erase(&st_anons, av->id);
	kfree_rcu(av, rcu);
}

static void anon_put(struct st_anon *av)
{
	kref_put(&av->kref, anon_release);
}

/* The lineage of id, referenced; NULL when its last member is gone. */
static struct st_anon *anon_get(u64 id)
{
	struct st_anon *av;

	rcu_read_lock();
	av = xa_load(&st_anons, id);
	if (av && !kref_get_unless_zero(&av->kref))
		av = NULL;
	rcu_read_unlock();
	return av;
}

/* Put s on av's list; the list holds one reference for all its members. */
static void anon_link(struct st_anon *av, struct st_space *s)
{
	down_write(&av->rwsem);
	if (list_empty(&av->spaces))
		kref_get(&av->kref);
	list_add_tail(&s->anon_node, &av->spaces);
	s->anon = av;
	s->anon_root = av->id;
	up_write(&av->rwsem);
}

/*
 * A lineage of its own for a new space, which becomes its first member.
 *
 * Locking: nothing held; takes the new lineage's rwsem.
 */
int st_anon_new(struct st_space *s)
{
	struct st_anon *av = kzalloc(sizeof(*av), GFP_KERNEL);
	int err;

	if (!av)
		return -ENOMEM;
	av->id = atomic64_inc_return(&st_anon_ids);
	kref_init(&av->kref);
	init_rwsem(&av->rwsem);
	INIT_LIST_HEAD(&av->spaces);
	err = xa_err(xa_store(&st_anons, av->id, av, GFP_KERNEL));
	if (err) {
		kfree(av);
		return err;
	}
	anon_link(av, s);
	anon_put(av);		/* the list's reference stays */
	return 0;
}

/*
 * Take s off its lineage; the lineage goes with its last member.
 *
 * Locking: the caller holds s's mmap_lock for write (or s is not yet
 * visible) and no ptl; takes the lineage's rwsem.
 */
void st_anon_unlink(struct st_space *s)
{
	struct st_anon *av = s->anon;
	bool last;

	if (!av)
		return;
	down_write(&av->rwsem);
	list_del_init(&s->anon_node);
	s->anon = NULL;
	last = list_empty(&av->spaces);
	up_write(&av->rwsem);
	if (last)
		anon_put(av);
}

/*
 * anon_vma_fork(): dst, a new space, leaves the lineage it was made with
 * and joins src's, before any of src's ptes is copied into it.
 *
 * Locking: the caller holds both mmap_locks for write; takes the
 * lineages' rwsems, one at a time.
 */
void st_anon_fork(struct st_space *dst, struct st_space *src)
{
	struct st_anon *av = src->anon;

	lockdep_assert_held_write(&src->mmap_lock);
	lockdep_assert_held_write(&dst->mmap_lock);
	if (dst->anon == av)
		return;
	st_anon_unlink(dst);
	if (av)
		anon_link(av, dst);
}

/*
 * Whether s is listed on the lineage root, as a page of that lineage
 * mapped in s needs it to be (the auditor's rmap check).
 *
 * Locking: the caller holds s's mmap_lock (s->anon stays); takes the
 * lineage's rwsem for read.
 */
bool st_anon_linked(struct st_space *s, u64 root)
{
	struct st_anon *av = s->anon;
	bool linked;

	if (!av || av->id != root)
		return false;
	down_read(&av->rwsem);
	linked = !list_empty(&s->anon_node) && s->anon == av;
	up_read(&av->rwsem);
	return linked;
}

/*
 * rmap_walk_anon(): fn on the pte at addr of every member of the lineage
 * root that has one, the member's ptl held around it.  Stops at the first
 * non-zero return of fn and returns it.  A lineage whose members are all
 * gone maps nothing.
 *
 * Locking: the caller holds the page lock of the page looked for, no
 * ptl; takes the lineage's rwsem for read, then each member's ptl.
 */
int st_anon_walk(u64 root, unsigned long addr, st_pte_fn fn, void *arg)
{
	struct st_anon *av = anon_get(root);
	struct st_space *s;
	pte_t *ptep;
	int ret = 0;

	if (!av)
		return 0;
	down_read(&av->rwsem);
	list_for_each_entry(s, &av->spaces, anon_node) {
		spin_lock(&s->ptl);
		ptep = s->pt.pmd ? st_pte_offset(&s->pt, addr) : NULL;
		if (ptep)
			ret = fn(s, addr, ptep, arg);
		spin_unlock(&s->ptl);
		if (ret)
			break;
	}
	up_read(&av->rwsem);
	anon_put(av);
	return ret;
}

/* Lineages alive, for the stats file. */
unsigned long st_anon_live(void)
{
	unsigned long id, n = 0;
	void *av;

	xa_for_each(&st_anons, id, av)
		n++;
	return n;
}
