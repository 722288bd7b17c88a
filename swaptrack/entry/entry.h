/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The model's syscall and fault entry: what the protocol calls.
 *
 * Each st_sys_*() is what a system call (or the access that faults) does
 * before it reaches mm code: it finds its objects by id, referenced; takes
 * the locks the kernel's own entry would, in the order written at the top
 * of mm/space.h (two spaces always lower id first); checks that what it
 * found is still alive; calls the model; drops it all again.  It returns 0
 * or a negative errno, and on failure says why in @e, in the words the
 * reply carries ("error <ERRNO> <why>").  Nothing is held on return.
 *
 * The caller has parsed its arguments: addresses are page-aligned model
 * addresses and [addr, addr + nr pages) lies in the model's span.
 */
#ifndef _ST_ENTRY_H
#define _ST_ENTRY_H

#include <linux/compiler.h>
#include <linux/types.h>

#include "entry/err.h"
#include "swaptrack.h"

/* "space pte": room for the decoded entry (ST_PTE_FMT_MAX of the model) */
#define ST_SYS_PTE_FMT_MAX	224

/* "space map": what is mapped */
enum st_sys_map_kind {
	ST_SYS_MAP_ANON,
	ST_SYS_MAP_SHARED,
	ST_SYS_MAP_PRIVATE,
};

int st_sys_space_new(int *id, struct st_err *e);
int st_sys_space_destroy(unsigned long id, struct st_err *e);
int st_sys_mmap(unsigned long id, unsigned long addr, unsigned long nr,
		enum st_sys_map_kind kind, unsigned long file,
		unsigned long pgoff, struct st_err *e);
int st_sys_touch(unsigned long id, unsigned long addr, bool write,
		 struct st_err *e);
int st_sys_write(unsigned long id, unsigned long addr, u64 tag,
		 struct st_err *e);
int st_sys_read(unsigned long id, unsigned long addr, u64 *tag, u64 *want,
		struct st_err *e);
int st_sys_write_range(unsigned long id, unsigned long addr,
		       unsigned long nr, u64 tag, unsigned long *done,
		       struct st_err *e);
int st_sys_read_range(unsigned long id, unsigned long addr, unsigned long nr,
		      unsigned long *done, unsigned long *matched,
		      unsigned long *first_mismatch, struct st_err *e);
int st_sys_pageout(unsigned long id, unsigned long addr, unsigned long nr,
		   unsigned long *swapped, unsigned long *skipped,
		   struct st_err *e);
int st_sys_zap(unsigned long id, unsigned long addr, unsigned long nr,
	       unsigned long *zapped, struct st_err *e);
int st_sys_fork(unsigned long id, int *child, struct st_err *e);
int st_sys_drop_count(unsigned long id, unsigned long addr,
		      unsigned long *slot, unsigned long *count,
		      struct st_err *e);
int st_sys_pte(unsigned long id, unsigned long addr, char *buf, size_t size,
	       struct st_err *e);
int st_sys_pageout_pmd(unsigned long id, unsigned long addr,
		       unsigned long *slot, struct st_err *e);
int st_sys_split_pmd(unsigned long id, unsigned long addr, struct st_err *e);
int st_sys_uffd_wp(unsigned long id, unsigned long addr, unsigned long nr,
		   bool on, struct st_err *e);
int st_sys_migrate(unsigned long id, unsigned long addr, bool begin,
		   unsigned long *pfn, struct st_err *e);
int st_sys_poison(unsigned long id, unsigned long addr, struct st_err *e);
int st_sys_populate(unsigned long id, unsigned long addr, unsigned long nr,
		    bool write, unsigned long *done, struct st_err *e);
int st_sys_charge_move(unsigned long id, unsigned long addr,
		       unsigned long nr, unsigned long *moved,
		       struct st_err *e);
int st_sys_uffd_missing(unsigned long id, unsigned long addr,
			unsigned long nr, struct st_err *e);
int st_sys_uffd_copy(unsigned long id, unsigned long addr, u64 tag, bool wp,
		     struct st_err *e);
int st_sys_mincore(unsigned long id, unsigned long addr, unsigned long nr,
		   unsigned char *vec, struct st_err *e);
int st_sys_hmm_fault(unsigned long id, unsigned long addr, u64 *tag,
		     u64 *want, struct st_err *e);
int st_sys_ksm_merge(unsigned long id1, unsigned long addr1,
		     unsigned long id2, unsigned long addr2, struct st_err *e);

int st_sys_file_new(unsigned long size, int *id, struct st_err *e);
int st_sys_file_destroy(unsigned long id, struct st_err *e);
int st_sys_file_write(unsigned long id, unsigned long index, u64 tag,
		      struct st_err *e);
int st_sys_file_read(unsigned long id, unsigned long index, u64 *tag,
		     u64 *want, struct st_err *e);
int st_sys_file_swapout(unsigned long id, unsigned long index,
			unsigned long nr, unsigned long *swapped,
			struct st_err *e);
int st_sys_file_truncate(unsigned long id, unsigned long size,
			 struct st_err *e);
int st_sys_file_punch(unsigned long id, unsigned long index,
		      unsigned long nr, struct st_err *e);
int st_sys_file_memcg(unsigned long id, unsigned long index,
		      unsigned int *memcg, struct st_err *e);

#endif /* _ST_ENTRY_H */
