// SPDX-License-Identifier: GPL-2.0
/*
 * ctl commands on the race gates: "gate arm", "gate wait", "gate open",
 * "gate trace".
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/threads.h>

#include "proto/ctl.h"
#include "race/gate.h"

#define ST_GATE_WAIT_DEFAULT_MS	10000
#define ST_GATE_WAIT_MAX_MS	60000
#define ST_GATE_NTH_MAX		100000

static int parse_gate(struct st_reply *r, const char *name)
{
	int id = st_gate_lookup(name);

	if (id < 0)
		return st_reply_error(r, -EINVAL, "no gate '%s'", name);
	return id;
}

/*
 * "pid=TID" or "nth=K" of gate arm, into *pid or *nth.
 * Locking: none.
 */
static int parse_arm_option(struct st_reply *r, const char *s, pid_t *pid,
			    unsigned int *nth)
{
	unsigned long v;
	int err;

	if (!strncmp(s, "pid=", 4)) {
		err = st_parse_ulong(r, "pid", s + 4, &v);
		if (err)
			return err;
		if (!v || v > PID_MAX_LIMIT)
			return st_reply_error(r, -EINVAL,
					      "pid %lu is not in 1..%lu", v,
					      (unsigned long)PID_MAX_LIMIT);
		*pid = v;
		return 0;
	}
	if (!strncmp(s, "nth=", 4)) {
		err = st_parse_ulong(r, "nth", s + 4, &v);
		if (err)
			return err;
		if (!v || v > ST_GATE_NTH_MAX)
			return st_reply_error(r, -EINVAL,
					      "nth %lu is not in 1..%d", v,
					      ST_GATE_NTH_MAX);
		*nth = v;
		return 0;
	}
	return st_reply_error(r, -EINVAL, "'%s' is neither pid=TID nor nth=K",
			      s);
}

/*
 * gate arm NAME [pid=TID] [nth=K]
 * Locking: none here; the gate's own lock inside st_gate_arm().
 */
static int cmd_gate_arm(struct st_ctl_file *f, int argc, char **argv,
			struct st_reply *r)
{
	int id = parse_gate(r, argv[0]);
	unsigned int nth = 0;
	pid_t pid = 0;
	int err, i;

	if (id < 0)
		return id;
	for (i = 1; i < argc; i++) {
		err = parse_arm_option(r, argv[i], &pid, &nth);
		if (err)
			return err;
	}
	err = st_gate_arm(id, f, pid, nth);
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

/*
 * gate trace on|off: the replies of this descriptor's commands carry the
 * gate points they passed.  Locking: none (the descriptor's mutex is held
 * by line.c).
 */
static int cmd_gate_trace(struct st_ctl_file *f, int argc, char **argv,
			  struct st_reply *r)
{
	if (!strcmp(argv[0], "on"))
		f->trace = true;
	else if (!strcmp(argv[0], "off"))
		f->trace = false;
	else
		return st_reply_error(r, -EINVAL, "trace '%s' is not on or off",
				      argv[0]);
	return 0;
}

/*
 * Append " gates=NAME#K,..." to the reply, and " gates_more=1" when the
 * trace or the reply had no room for every pass.  Locking: none.
 */
void st_ctl_trace_reply(struct st_reply *r, const struct st_gate_trace *t)
{
	/* room for " gates_more=1" and the newline, in every case */
	size_t room = sizeof(r->text) - 16;
	bool more = t->more;
	unsigned int i;
	int n;

	if (r->len >= room)
		return;
	n = scnprintf(r->text + r->len, room - r->len, " gates=");
	r->len += n;
	for (i = 0; i < t->nr; i++) {
		const char *name = st_gate_name(t->id[i]);
		/* the name, '#', up to 6 digits, ',' */
		size_t need = strlen(name) + 8;

		if (r->len + need >= room) {
			more = true;
			break;
		}
		r->len += scnprintf(r->text + r->len, room - r->len, "%s%s#%u",
				    i ? "," : "", name, t->nth[i]);
	}
	if (more)
		r->len += scnprintf(r->text + r->len,
				    sizeof(r->text) - r->len, " gates_more=1");
}

const struct st_cmd st_gate_cmds[] = {
	{ "gate arm", "NAME [pid=TID] [nth=K]", 1, 3, cmd_gate_arm },
	{ "gate trace", "on|off", 1, 1, cmd_gate_trace },
	{ "gate wait", "NAME [TIMEOUT_MS]", 1, 2, cmd_gate_wait },
	{ "gate open", "NAME", 1, 1, cmd_gate_open },
	{ }
};
