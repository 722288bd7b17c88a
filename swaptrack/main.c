// SPDX-License-Identifier: GPL-2.0
/*
 * swaptrack: a faithful model of the kernel's swap-entry subsystem, for
 * staging the races of swap entries one named gate at a time.
 *
 * This file only brings the parts up and down, and owns the debugfs root.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "mm/hwpoison.h"
#include "mm/migrate.h"
#include "mm/mmap.h"
#include "mm/shmem.h"
#include "mm/space.h"
#include "proto/ctl.h"
#include "proto/stats.h"
#include "race/audit.h"
#include "race/gate.h"
#include "race/policy.h"
#include "swapdev/page.h"
#include "swapdev/swapcache.h"
#include "swapdev/swapio.h"
#include "swapdev/swapmap.h"

static unsigned long nr_slots = ST_SLOTS_DEFAULT;
module_param(nr_slots, ulong, 0400);
MODULE_PARM_DESC(nr_slots, "slots of the model swap device (a multiple of the cluster size)");

static struct dentry *st_root;

static int __init swaptrack_init(void)
{
	int err;

	err = st_swapmap_init(nr_slots);
	if (err) {
		pr_err("cannot set up %lu slots: %d\n", nr_slots, err);
		return err;
	}
	err = st_swapio_init(nr_slots);
	if (err)
		goto out_swapmap;
	st_root = debugfs_create_dir(ST_DEBUGFS_DIR, NULL);
	if (IS_ERR(st_root)) {
		err = PTR_ERR(st_root);
		goto out_swapio;
	}
	err = st_spaces_init(st_root) ?: st_files_init(st_root) ?:
	      st_ctl_init(st_root) ?:
	      st_stats_init(st_root) ?: st_audit_init(st_root) ?:
	      st_policy_init(st_root) ?: st_gates_init(st_root) ?:
	      st_lens_init(st_root);
	if (err)
		goto out_debugfs;
	pr_info("loaded: %lu slots, cluster %lu\n", nr_slots, ST_CLUSTER_NR);
	return 0;

out_debugfs:
	debugfs_remove_recursive(st_root);
out_swapio:
	st_swapio_exit();
out_swapmap:
	st_swapmap_exit();
	return err;
}

static void __exit swaptrack_exit(void)
{
	/* no file can be open: each open holds a module reference */
	st_gates_exit();
	st_spaces_exit();
	st_files_exit();
	st_migrate_exit();
	st_poison_exit();
	debugfs_remove_recursive(st_root);
	st_swapcache_exit();
	st_pages_exit();
	st_swapio_exit();
	st_swapmap_exit();
	pr_info("unloaded\n");
}

module_init(swaptrack_init);
module_exit(swaptrack_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A faithful swap-entry subsystem for staging swap races");
MODULE_AUTHOR("The swaptrack authors");
/* git describe of the tree built (scripts/build-module.sh, dkms.conf) */
MODULE_VERSION(ST_VERSION);
