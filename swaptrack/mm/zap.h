/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Zapping ranges of model address spaces, with or without zap_details.
 */
#ifndef _ST_ZAP_H
#define _ST_ZAP_H

#include <linux/types.h>

struct st_file;
struct st_space;
struct st_vma;

/* struct zap_details of 5.18+, as far as the model needs it */
struct st_zap_details {
	bool mapping;		/* from unmap_mapping_range() */
	bool even_cows;		/* zap private COWed pages too (truncate) */
	bool drop_markers;	/* ZAP_FLAG_DROP_MARKER */
};

/*
 * Locking: st_zap_range() wants the mmap_lock held (for read: MADV_DONTNEED)
 * and takes the ptl; st_zap_vma_range() runs under the ptl its caller
 * holds; st_unmap_mapping_range() wants the file lock and takes each
 * mapping space's ptl, without its mmap_lock.
 */
bool st_zap_keeps_swap(const struct st_zap_details *d);
unsigned long st_zap_vma_range(struct st_space *s, struct st_vma *v,
			       unsigned long start, unsigned long end,
			       const struct st_zap_details *details);
unsigned long st_zap_range(struct st_space *s, unsigned long start,
			   unsigned long end);
void st_unmap_mapping_range(struct st_file *f, unsigned long start,
			    unsigned long nr, bool even_cows);

#endif /* _ST_ZAP_H */
