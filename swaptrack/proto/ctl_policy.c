// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on the policy switches: "policy set", "policy reset".
 */
#include "proto/ctl.h"
#include "race/policy.h"

static int cmd_policy_set(struct st_ctl_file *f, int argc, char **argv,
			  struct st_reply *r)
{
	int err = st_policy_set(argv[0], argv[1]);

	if (err == -ENOENT)
		return st_reply_error(r, -EINVAL, "no policy '%s'", argv[0]);
	if (err)
		return st_reply_error(r, err, "policy %s has no value '%s'",
				      argv[0], argv[1]);
	st_reply_add(r, "%s=%s", argv[0], argv[1]);
	return 0;
}

static int cmd_policy_reset(struct st_ctl_file *f, int argc, char **argv,
			    struct st_reply *r)
{
	st_policy_reset();
	return 0;
}

const struct st_cmd st_policy_cmds[] = {
	{ "policy set", "NAME VALUE", 2, 2, cmd_policy_set },
	{ "policy reset", NULL, 0, 0, cmd_policy_reset },
	{ }
};
