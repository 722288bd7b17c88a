// SPDX-License-Identifier: GPL-2.0
/*
 * A text built once, in chunks, then flattened for read() (report.h).
 * Nothing here is ever re-run: a line that does not fit its chunk starts
 * the next one.
 */
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "race/report.h"

/* The longest line a report takes; findings are well below it. */
#define ST_REPORT_LINE	256

struct report_chunk {
	struct list_head list;
	size_t len;
	char text[PAGE_SIZE - sizeof(struct list_head) - sizeof(size_t)];
};

/* Locking: none. */
void st_report_init(struct st_report *r)
{
	INIT_LIST_HEAD(&r->chunks);
	r->len = 0;
	r->lost = 0;
	r->gfp = GFP_KERNEL;
}

/* A chunk with room for one more line, or NULL.  Locking: as st_report_add(). */
static struct report_chunk *room(struct st_report *r)
{
	struct report_chunk *c;

	if (!list_empty(&r->chunks)) {
		c = list_last_entry(&r->chunks, struct report_chunk, list);
		if (sizeof(c->text) - c->len >= ST_REPORT_LINE)
			return c;
	}
	c = kmalloc(sizeof(*c), r->gfp | __GFP_NOWARN);
	if (!c)
		return NULL;
	c->len = 0;
	list_add_tail(&c->list, &r->chunks);
	return c;
}

/*
 * One line (the newline added).  Locking: any; allocates with r->gfp, so
 * the caller sets GFP_ATOMIC around a walk under a spinlock.
 */
void st_report_add(struct st_report *r, const char *fmt, ...)
{
	struct report_chunk *c = room(r);
	va_list args;
	size_t n;

	if (!c) {
		r->lost++;
		return;
	}
	va_start(args, fmt);
	n = vscnprintf(c->text + c->len, ST_REPORT_LINE - 1, fmt, args);
	va_end(args);
	c->text[c->len + n++] = '\n';
	c->len += n;
	r->len += n;
}

/*
 * The whole text in one kvmalloc()ed buffer (kvfree() it), the chunks
 * freed; NULL if there is no memory for it.  Locking: none held; sleeps.
 */
char *st_report_flatten(struct st_report *r, size_t *len)
{
	struct report_chunk *c;
	char *buf = kvmalloc(max_t(size_t, r->len, 1), GFP_KERNEL);
	size_t pos = 0;

	if (buf)
		list_for_each_entry(c, &r->chunks, list) {
			memcpy(buf + pos, c->text, c->len);
			pos += c->len;
		}
	*len = pos;
	st_report_free(r);
	return buf;
}

/* Locking: none. */
void st_report_free(struct st_report *r)
{
	struct report_chunk *c, *next;

	list_for_each_entry_safe(c, next, &r->chunks, list)
		kfree(c);
	INIT_LIST_HEAD(&r->chunks);
	r->len = 0;
}
