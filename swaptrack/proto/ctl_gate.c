// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on the race gates: "gate arm", "gate wait", "gate open".
 */
#include "proto/ctl.h"
#include "race/gate.h"

#define ST_GATE_WAIT_DEFAULT_MS	10000
#define ST_GATE_WAIT_MAX_MS	60000

static int parse_gate(struct st_reply *r, const char *name)
{
	int id = st_gate_lookup(name);

	if (id < 0)
		return st_reply_error(r, -EINVAL, "no gate '%s'", name);
	return id;
}

static int cmd_gate_arm(struct st_ctl_file *f, int argc, char **argv,
			struct st_reply *r)
{
	int id = parse_gate(r, argv[0]);
	int err;

	if (id < 0)
		return id;
	err = st_gate_arm(id, f);
	if (err == -EBUSY)
		return st_reply_error(r, err, "gate %s is already armed",
				      argv[0]);
	if (err)
		return st_reply_error(r, err, "gates are shut (unloading)");
	return 0;
}

static int cmd_gate_wait(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	unsigned long ms = ST_GATE_WAIT_DEFAULT_MS;
	int id = parse_gate(r, argv[0]);
	int err;

	if (id < 0)
		return id;
	if (argc > 1) {
		err = st_parse_ulong(r, "timeout", argv[1], &ms);
		if (err)
			return err;
		if (!ms || ms > ST_GATE_WAIT_MAX_MS)
			return st_reply_error(r, -ERANGE,
					      "timeout %lu ms is not in 1..%d",
					      ms, ST_GATE_WAIT_MAX_MS);
	}
	err = st_gate_wait(id, ms);
	switch (err) {
	case 0:
		return 0;
	case -EINVAL:
		return st_reply_error(r, err, "gate %s is not armed", argv[0]);
	case -ETIMEDOUT:
		return st_reply_error(r, err, "nobody reached %s in %lu ms",
				      argv[0], ms);
	case -ECANCELED:
		return st_reply_error(r, err, "gate %s was opened meanwhile",
				      argv[0]);
	default:
		return st_reply_error(r, err, "interrupted");
	}
}

static int cmd_gate_open(struct st_ctl_file *f, int argc, char **argv,
			 struct st_reply *r)
{
	int id = parse_gate(r, argv[0]);
	bool parked = false;

	if (id < 0)
		return id;
	if (st_gate_open(id, &parked))
		return st_reply_error(r, -EINVAL, "gate %s is not armed",
				      argv[0]);
	st_reply_add(r, "released=%d", parked);
	return 0;
}

const struct st_cmd st_gate_cmds[] = {
	{ "gate arm", "NAME", 1, 1, cmd_gate_arm },
	{ "gate wait", "NAME [TIMEOUT_MS]", 1, 2, cmd_gate_wait },
	{ "gate open", "NAME", 1, 1, cmd_gate_open },
	{ }
};
