// SPDX-License-Identifier: GPL-2.0
/*
 * KSM: two identical anonymous pages of two spaces become one, mapped
 * read-only in both and marked KSM.
 */
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "mm/compat.h"
#include "mm/ksm.h"
#include "mm/rmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "swapdev/page.h"

static pte_t to_readonly(struct st_page *p, pte_t pte, void *arg)
{
	return pte_wrprotect(pte);
}

/*
 * try_to_merge_one_page(): write-protect the page that stays, make it KSM,
 * and replace_page() the other space's pte with it.
 */
int st_ksm_merge(struct st_space *s1, unsigned long a1,
		 struct st_space *s2, unsigned long a2)
{
	struct st_page *kpage, *p;
	struct st_pte_info info;
	u64 t1, t2;
	pte_t *ptep;
	int err = -EINVAL;

	kpage = st_present_anon_page(s1, a1);
	p = st_present_anon_page(s2, a2);
	if (!kpage || !p || kpage == p) {
		err = -ENOENT;
		goto out;
	}
	if (st_page_tag(kpage, &t1) || st_page_tag(p, &t2) || t1 != t2)
		goto out;		/* not identical */
	err = -EAGAIN;
	if (!st_page_trylock(kpage))
		goto out;
	if (!st_page_trylock(p)) {
		st_page_unlock(kpage);
		goto out;
	}
	err = -EBUSY;
	if (st_page_test(kpage, ST_PG_SWAPCACHE) ||
	    st_page_test(p, ST_PG_SWAPCACHE))
		goto unlock;
	st_rmap_replace(kpage, st_page_pfn(kpage), ST_PTE_PRESENT, to_readonly,
			NULL);
	set_bit(ST_PG_KSM, &kpage->flags);
	err = -EAGAIN;
	spin_lock(&s2->ptl);
	ptep = st_pte_offset(&s2->pt, a2);
	if (ptep) {
		st_pte_decode(ptep_get(ptep), &info);
		if (info.kind == ST_PTE_PRESENT &&
		    info.pfn == st_page_pfn(p)) {
			atomic_inc(&kpage->mapcount);
			st_page_get(kpage);
			st_set_pte(ptep, pte_wrprotect(st_mk_present(st_page_pfn(kpage),
								     false)));
			atomic_dec(&p->mapcount);
			st_page_put(p);		/* the old pte's reference */
			err = 0;
		}
	}
	spin_unlock(&s2->ptl);
unlock:
	st_page_unlock(p);
	st_page_unlock(kpage);
out:
	if (p)
		st_page_put(p);
	if (kpage)
		st_page_put(kpage);
	return err;
}
