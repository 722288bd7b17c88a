/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenario files of the race explorer (selftests/explore.c): a small world
 * built with ctl lines, two operations A and B, and what must hold after
 * both.  The format, selftests/scenarios/README.md:
 *
 *	# a comment
 *	policy:			LABEL NAME VALUE, one switch a line
 *	historical ksm_copy unlock_early
 *	depth: 3		passes of one gate point explored (default 3)
 *	setup:			ctl lines; "VAR = cmd" keeps the reply's first value
 *	a = space new
 *	space map $a 0x7f0000000000 1 anon
 *	A:			operation A, ctl lines run by one thread
 *	space read $a 0x7f0000000000
 *	B:			operation B, the same
 *	? space zap $a 0x7f0000000000 1
 *	expect:			ctl lines that must succeed; a tag read back must be
 *	space read $a 0x7f0000000000	what was last written ("expected="); "audit"
 *	audit			reads the audit file: it must end in "ok"
 *	known:			ORDER POINT LABEL: findings that are model limits
 *	A swapin.ksm_copy#1 historical -- why
 *
 * "?" before a line lets it fail with any errno, "?EFAULT,EPERM" with those.
 */
#ifndef _ST_SCENARIO_H
#define _ST_SCENARIO_H

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "st_ctl.h"

#define SC_LINES_MAX	48
#define SC_VARS_MAX	16
#define SC_NAME_MAX	32
#define SC_POLICY_MAX	16
#define SC_LABELS_MAX	4
#define SC_KNOWN_MAX	16
#define SC_DEPTH	3

struct sc_line {
	char text[ST_LINE_MAX];
	char var[SC_NAME_MAX];		/* "VAR = cmd": where the value goes */
	char allow[64];			/* "?E1,E2": errnos it may fail with */
	bool any;			/* "?": any errno */
	int lineno;
};

struct sc_section {
	struct sc_line l[SC_LINES_MAX];
	int n;
};

struct sc_policy {
	char label[SC_NAME_MAX];
	char name[SC_NAME_MAX];
	char value[SC_NAME_MAX];
};

struct sc_known {
	char order[4];			/* "A", "B" or "*" */
	char point[64];			/* "GATE#K", "GATE" or "*" */
	char label[SC_NAME_MAX];	/* a policy label or "*" */
};

struct sc_scenario {
	char path[256];
	char name[64];
	struct sc_section setup, op[2], expect;
	struct sc_policy pol[SC_POLICY_MAX];
	int npol;
	char labels[SC_LABELS_MAX][SC_NAME_MAX];
	int nlabels;
	unsigned int depth;
	struct sc_known known[SC_KNOWN_MAX];
	int nknown;
};

struct sc_vars {
	char name[SC_VARS_MAX][SC_NAME_MAX];
	char val[SC_VARS_MAX][SC_NAME_MAX];
	int n;
};

/* Cut the blanks off both ends of @s. */
static inline char *sc_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/* Add @label to the scenario's labels if it is new; false when full. */
static inline bool sc_add_label(struct sc_scenario *sc, const char *label)
{
	int i;

	for (i = 0; i < sc->nlabels; i++)
		if (!strcmp(sc->labels[i], label))
			return true;
	if (sc->nlabels == SC_LABELS_MAX)
		return false;
	memmove(sc->labels[sc->nlabels], label, strnlen(label, SC_NAME_MAX - 1));
	sc->labels[sc->nlabels++][strnlen(label, SC_NAME_MAX - 1)] = '\0';
	return true;
}

/* One line of setup, A, B or expect into @sec; false (and @why) if bad. */
static inline bool sc_parse_line(struct sc_section *sec, char *s, int lineno,
				 char *why, size_t len)
{
	struct sc_line *l;
	char *eq, *p;

	if (sec->n == SC_LINES_MAX) {
		snprintf(why, len, "line %d: more than %d lines in a section", lineno,
			 SC_LINES_MAX);
		return false;
	}
	l = &sec->l[sec->n];
	memset(l, 0, sizeof(*l));
	l->lineno = lineno;
	if (*s == '?') {
		p = s + 1;
		s = p + strcspn(p, " \t");
		if (*s)
			*s++ = '\0';
		l->any = !*p;
		snprintf(l->allow, sizeof(l->allow), "%s", p);
		s = sc_trim(s);
	}
	eq = strstr(s, " = ");
	if (eq && eq - s < SC_NAME_MAX && !memchr(s, ' ', eq - s)) {
		snprintf(l->var, sizeof(l->var), "%.*s", (int)(eq - s), s);
		s = sc_trim(eq + 3);
	}
	if (!*s || strlen(s) >= sizeof(l->text)) {
		snprintf(why, len, "line %d: empty or too long a command", lineno);
		return false;
	}
	snprintf(l->text, sizeof(l->text), "%s", s);
	sec->n++;
	return true;
}

/* "LABEL NAME VALUE" of the policy section. */
static inline bool sc_parse_policy(struct sc_scenario *sc, char *s, int lineno,
				   char *why, size_t len)
{
	struct sc_policy *p = &sc->pol[sc->npol];

	if (sc->npol == SC_POLICY_MAX ||
	    sscanf(s, "%31s %31s %31s", p->label, p->name, p->value) != 3 ||
	    !sc_add_label(sc, p->label)) {
		snprintf(why, len, "line %d: want 'LABEL NAME VALUE' (at most %d labels)",
			 lineno, SC_LABELS_MAX);
		return false;
	}
	sc->npol++;
	return true;
}

/* "ORDER POINT LABEL [-- why]" of the known section. */
static inline bool sc_parse_known(struct sc_scenario *sc, char *s, int lineno,
				  char *why, size_t len)
{
	struct sc_known *k = &sc->known[sc->nknown];

	if (sc->nknown == SC_KNOWN_MAX ||
	    sscanf(s, "%3s %63s %31s", k->order, k->point, k->label) != 3) {
		snprintf(why, len, "line %d: want 'A|B|* POINT LABEL'", lineno);
		return false;
	}
	sc->nknown++;
	return true;
}

/*
 * Read the scenario at @path.  Every scenario runs under the label
 * "fixed" (its own fixed values, or the defaults); false and @why if the
 * file is bad.
 */
static inline bool sc_load(struct sc_scenario *sc, const char *path, char *why,
			   size_t len)
{
	struct sc_section *sec = NULL;
	char buf[ST_LINE_MAX + 64], *s;
	enum { NONE, POLICY, KNOWN, LINES } kind = NONE;
	const char *base;
	int lineno = 0;
	bool ok = true;
	FILE *f;

	memset(sc, 0, sizeof(*sc));
	sc->depth = SC_DEPTH;
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	base = strrchr(path, '/');
	snprintf(sc->name, sizeof(sc->name), "%s", base ? base + 1 : path);
	s = strstr(sc->name, ".txt");
	if (s)
		*s = '\0';
	f = fopen(path, "r");
	if (!f) {
		snprintf(why, len, "cannot open: %s", strerror(errno));
		return false;
	}
	while (ok && fgets(buf, sizeof(buf), f)) {
		lineno++;
		s = sc_trim(buf);
		if (!*s || *s == '#')
			continue;
		if (!strcmp(s, "setup:") || !strcmp(s, "A:") || !strcmp(s, "B:") ||
		    !strcmp(s, "expect:")) {
			kind = LINES;
			sec = *s == 's' ? &sc->setup : *s == 'A' ? &sc->op[0] :
			      *s == 'B' ? &sc->op[1] : &sc->expect;
		} else if (!strcmp(s, "policy:")) {
			kind = POLICY;
		} else if (!strcmp(s, "known:")) {
			kind = KNOWN;
		} else if (!strncmp(s, "depth:", 6)) {
			sc->depth = strtoul(s + 6, NULL, 10);
			if (!sc->depth) {
				snprintf(why, len, "line %d: depth must be 1 or more", lineno);
				ok = false;
			}
		} else if (kind == LINES) {
			ok = sc_parse_line(sec, s, lineno, why, len);
		} else if (kind == POLICY) {
			ok = sc_parse_policy(sc, s, lineno, why, len);
		} else if (kind == KNOWN) {
			ok = sc_parse_known(sc, s, lineno, why, len);
		} else {
			snprintf(why, len, "line %d: '%s' before any section", lineno, s);
			ok = false;
		}
	}
	fclose(f);
	if (ok && (!sc->op[0].n || !sc->op[1].n)) {
		snprintf(why, len, "no A: or no B: section");
		ok = false;
	}
	if (ok && !sc_add_label(sc, "fixed")) {
		snprintf(why, len, "more than %d labels", SC_LABELS_MAX);
		ok = false;
	}
	return ok;
}

/* Replace each $VAR of @in by its value into @out; false if unknown. */
static inline bool sc_expand(const struct sc_vars *v, const char *in, char *out,
			     size_t len, char *why, size_t wlen)
{
	size_t o = 0, n;
	int i;

	while (*in && o + 1 < len) {
		if (*in != '$') {
			out[o++] = *in++;
			continue;
		}
		in++;
		n = strspn(in, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");
		for (i = 0; i < v->n; i++)
			if (strlen(v->name[i]) == n && !strncmp(v->name[i], in, n))
				break;
		if (i == v->n) {
			snprintf(why, wlen, "no variable '$%.*s'", (int)n, in);
			return false;
		}
		o += snprintf(out + o, len - o, "%s", v->val[i]);
		in += n;
	}
	out[o < len ? o : len - 1] = '\0';
	return true;
}

/* Keep the first value of @reply ("ok space=3 ..." gives 3) as @var. */
static inline bool sc_keep(struct sc_vars *v, const char *var, const char *reply)
{
	const char *p = strchr(reply, '=');
	int i;

	if (!p || v->n == SC_VARS_MAX)
		return false;
	for (i = 0; i < v->n && strcmp(v->name[i], var); i++)
		;
	if (i == v->n)
		v->n++;
	snprintf(v->name[i], SC_NAME_MAX, "%s", var);
	snprintf(v->val[i], SC_NAME_MAX, "%.*s", (int)strcspn(p + 1, " "), p + 1);
	return true;
}

/* May @l fail with @err? */
static inline bool sc_allowed(const struct sc_line *l, int err)
{
	const char *name = st_errname(err);
	const char *p = l->allow;
	size_t n;

	if (l->any)
		return true;
	if (!name)
		return false;
	n = strlen(name);
	while (*p) {
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return true;
		p += strcspn(p, ",");
		if (*p)
			p++;
	}
	return false;
}

#endif /* _ST_SCENARIO_H */
