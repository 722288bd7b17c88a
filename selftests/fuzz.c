// SPDX-License-Identifier: GPL-2.0
/*
 * The ctl protocol under a fuzzer: four threads, each on its own
 * descriptor, send commands drawn from the grammar of every command (the
 * right words, arguments from boundary values, live ids and model
 * addresses, and garbage) and byte-level mutations of such lines, over
 * objects the threads share.
 *
 * Whatever the line, the reply must be "ok ..." or "error <ERRNO> <reason>"
 * with the write failing with that errno, the kernel must not splat (the
 * harness fails the run on any oops, WARN or BUG in the log), and every
 * live space and file must have its debugfs file.
 *
 *   registry_churn  spaces and files created and destroyed from four
 *                   threads: each new one has its "spaceN/ptes" or
 *                   "fileN/index" at once, an id is never handed out while
 *                   the old object's directory is still there.
 *   fixed           the operations only (no raw swap map command, no fault
 *                   injection) under the fixed policies: the audit ends ok.
 *   everything      every command, mutated lines, gates, and the historical
 *                   policies switched on and off while it runs; then the
 *                   module is unloaded with what is left and loaded again,
 *                   and starts clean.
 *
 * The seed is printed; ST_FUZZ_SEED=N replays the same command streams
 * (each thread's stream is a function of the seed and its number; the
 * interleaving of the four is the scheduler's).  ST_FUZZ_CMDS=N sets the
 * number of commands of "everything" (default 100000; "fixed" sends a
 * fifth of it).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <pthread.h>
#include <sys/stat.h>
#include <time.h>

#include "st_ctl.h"

#define FZ_THREADS		4
#define FZ_CMDS_DEFAULT		100000
#define FZ_BASE			0x7f0000000000ULL
#define FZ_PAGES		64	/* the model addresses most lines use */
#define FZ_SPACES_MAX		64	/* ids it picks and keeps; the module has more */
#define FZ_FILES_MAX		16
#define FZ_NAMES_MAX		32
#define FZ_WORD_MAX		48
#define FZ_CHURN_ROUNDS		25	/* ST_ROUNDS caps it on a debug kernel */
#define FZ_CHURN_PER_ROUND	20	/* objects a churning thread makes */
#define FZ_GATE_TIMEOUT_MS	"100"
#define FZ_PARAM_DIR		"/sys/module/swaptrack/parameters/"
#define FZ_DIR			ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR

/* xorshift64*: small, and the same stream for the same seed everywhere */
static unsigned long long fz_next(unsigned long long *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static unsigned int fz_below(unsigned long long *s, unsigned int n)
{
	return n ? fz_next(s) % n : 0;
}

static bool fz_chance(unsigned long long *s, unsigned int percent)
{
	return fz_below(s, 100) < percent;
}

/* The switches and gates the module has, read from its files. */
struct fz_names {
	char policy[FZ_NAMES_MAX][FZ_WORD_MAX];
	char values[FZ_NAMES_MAX][8][FZ_WORD_MAX];
	unsigned int nr_values[FZ_NAMES_MAX];
	unsigned int nr_policies;
	char gate[FZ_NAMES_MAX][FZ_WORD_MAX];
	unsigned int nr_gates;
};

/* What the threads share: the ids of the objects they know to be live. */
struct fz_world {
	pthread_mutex_t lock;
	int spaces[FZ_SPACES_MAX];
	unsigned int nr_spaces;
	int files[FZ_FILES_MAX];
	unsigned int nr_files;
	struct fz_names names;
	unsigned long long nr_slots;
	unsigned long long seed;
	unsigned int cmds;	/* per thread */
	bool everything;	/* raw swap map, injection, policies, mutation */
};

struct fz_thread {
	struct fz_world *w;
	pthread_t tid;
	unsigned int nr;
	unsigned long long rng;
	unsigned long long sent, ok, mutated;
	char failure[512];	/* the first protocol violation seen */
	char current[ST_SHOW_MAX];	/* the line in flight, for a hang */
	unsigned long long progress;	/* __atomic: read by fz_watch() */
	int done;
};

static void fz_add(int *ids, unsigned int *n, unsigned int max, int id)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (ids[i] == id)
			return;
	if (*n < max)
		ids[(*n)++] = id;
}

static void fz_del(int *ids, unsigned int *n, int id)
{
	unsigned int i;

	for (i = 0; i < *n; i++) {
		if (ids[i] == id) {
			ids[i] = ids[--*n];
			return;
		}
	}
}

static int fz_pick(struct fz_thread *t, const int *ids, unsigned int n, int max)
{
	int id;

	pthread_mutex_lock(&t->w->lock);
	id = n ? ids[fz_below(&t->rng, n)] : 1 + (int)fz_below(&t->rng, max);
	pthread_mutex_unlock(&t->w->lock);
	return id;
}

/* An id: mostly a live one, sometimes a boundary or garbage. */
static void fz_id(struct fz_thread *t, char *out, bool file)
{
	static const char *const odd[] = {
		"0", "-1", "65", "17", "4294967297", "0x1", "1x", "", "+1",
		"18446744073709551616",
	};
	struct fz_world *w = t->w;
	int id;

	if (fz_chance(&t->rng, 8)) {
		snprintf(out, FZ_WORD_MAX, "%s", odd[fz_below(&t->rng, ARRAY_SIZE(odd))]);
		return;
	}
	id = file ? fz_pick(t, w->files, w->nr_files, FZ_FILES_MAX) :
		    fz_pick(t, w->spaces, w->nr_spaces, FZ_SPACES_MAX);
	sprintf(out, "%d", id);
}

static void fz_addr(struct fz_thread *t, char *out)
{
	static const char *const odd[] = {
		"0", "0x7effffffffff000", "0x7f0040000000", "0x7f003ffff000",
		"0x7f0000000001", "0x7f0000000800", "-4096", "0xffffffffffffffff",
		"0x7f00001ff000", "0x7f0000200000", "addr",
	};

	if (fz_chance(&t->rng, 6)) {
		snprintf(out, FZ_WORD_MAX, "%s", odd[fz_below(&t->rng, ARRAY_SIZE(odd))]);
		return;
	}
	/* mostly the first 64 pages; now and then a whole PMD apart */
	sprintf(out, "0x%llx", FZ_BASE + 4096ULL *
		(fz_below(&t->rng, FZ_PAGES) +
		 (fz_chance(&t->rng, 10) ? 512 * fz_below(&t->rng, 3) : 0)));
}

static void fz_num(struct fz_thread *t, char *out, unsigned int usual)
{
	static const char *const odd[] = {
		"0", "4096", "4097", "1048577", "-1", "0x", "99999999999999999999",
		"7 ", "one",
	};

	if (fz_chance(&t->rng, 6))
		snprintf(out, FZ_WORD_MAX, "%s", odd[fz_below(&t->rng, ARRAY_SIZE(odd))]);
	else
		sprintf(out, "%u", 1 + fz_below(&t->rng, usual));
}

static void fz_slot(struct fz_thread *t, char *out)
{
	unsigned long long n = t->w->nr_slots;

	switch (fz_below(&t->rng, 8)) {
	case 0:
		sprintf(out, "%llu", n - 1);
		break;
	case 1:
		sprintf(out, "%llu", n);
		break;
	case 2:
		snprintf(out, FZ_WORD_MAX, "%s", fz_chance(&t->rng, 50) ? "0" : "0x200");
		break;
	case 3:
		snprintf(out, FZ_WORD_MAX, "%s", fz_chance(&t->rng, 50) ?
			 "18446744073709551615" : "s");
		break;
	default:
		sprintf(out, "%u", fz_below(&t->rng, 2048));
	}
}

static void fz_tag(struct fz_thread *t, char *out)
{
	if (fz_chance(&t->rng, 5))
		snprintf(out, FZ_WORD_MAX, "%s", fz_chance(&t->rng, 50) ?
			 "0x8000000000000000" : "tag");
	else
		sprintf(out, "0x%llx", fz_next(&t->rng) >> 1);
}

static const char *fz_of(struct fz_thread *t, const char *const *words,
			 unsigned int n)
{
	return words[fz_below(&t->rng, n)];
}

#define FZ_OF(t, ...) ({						\
	static const char *const __w[] = { __VA_ARGS__ };		\
	fz_of(t, __w, ARRAY_SIZE(__w));					\
})

/*
 * One command line from the grammar (Documentation/protocol.md), without
 * its newline.  With !everything: the operations on spaces and files only.
 */
static void fz_line(struct fz_thread *t, char *line, size_t size)
{
	struct fz_world *w = t->w;
	struct fz_names *nm = &w->names;
	char a[FZ_WORD_MAX], b[FZ_WORD_MAX], c[FZ_WORD_MAX], d[FZ_WORD_MAX];
	const char *word;
	unsigned int op, i;

again:
	op = fz_below(&t->rng, 44);
	fz_id(t, a, false);
	fz_addr(t, b);
	fz_num(t, c, 8);
	switch (op) {
	case 0:
		snprintf(line, size, "space new");
		break;
	case 1:
		if (!fz_chance(&t->rng, 20))
			goto again;
		snprintf(line, size, "space destroy %s", a);
		break;
	case 2:
	case 3:
		fz_id(t, d, true);
		switch (fz_below(&t->rng, 3)) {
		case 0:
			snprintf(line, size, "space map %s %s %s anon", a, b, c);
			break;
		default:
			snprintf(line, size, "space map %s %s %s %s %s %u", a, b, c,
				 FZ_OF(t, "shared", "private", "both"), d,
				 fz_below(&t->rng, 8));
		}
		break;
	case 4:
		snprintf(line, size, "space touch %s %s %s", a, b,
			 FZ_OF(t, "read", "write", "exec"));
		break;
	case 5:
	case 6:
		fz_tag(t, c);
		snprintf(line, size, "space write %s %s %s", a, b, c);
		break;
	case 7:
	case 8:
		snprintf(line, size, "space read %s %s", a, b);
		break;
	case 9:
	case 10:
		snprintf(line, size, "space swapout %s %s %s", a, b, c);
		break;
	case 11:
		snprintf(line, size, "space zap %s %s %s", a, b, c);
		break;
	case 12:
		if (!fz_chance(&t->rng, 30))
			goto again;
		snprintf(line, size, "space fork %s", a);
		break;
	case 13:
		snprintf(line, size, "space pte %s %s", a, b);
		break;
	case 14:
		snprintf(line, size, "space %s %s %s",
			 FZ_OF(t, "swapout-pmd", "split-pmd"), a, b);
		break;
	case 15:
		snprintf(line, size, "space uffd-wp %s %s %s %s", a, b, c,
			 FZ_OF(t, "on", "off", "maybe"));
		break;
	case 16:
		/*
		 * A migration holds its page locked from begin to end, as
		 * migrate_pages() does within one call: fz_run() sends the end
		 * of every begin next.  Left open, it would block for good
		 * whatever waits for that page lock (a kernel migration always
		 * ends; a fuzzed one need not).
		 */
		snprintf(line, size, "space migrate %s %s %s", a, b,
			 FZ_OF(t, "end", "end", "begin", "middle"));
		break;
	case 17:
		snprintf(line, size, "space poison %s %s", a, b);
		break;
	case 18:
		snprintf(line, size, "space populate %s %s %s %s", a, b, c,
			 FZ_OF(t, "read", "write", "rw"));
		break;
	case 19:
		snprintf(line, size, "space %s %s %s %s",
			 FZ_OF(t, "charge-move", "migrate-collect"), a, b, c);
		break;
	case 20:
		fz_id(t, c, false);
		fz_addr(t, d);
		snprintf(line, size, "ksm merge %s %s %s %s", a, b, c, d);
		break;
	case 21:
		snprintf(line, size, "reclaim");
		break;
	case 22:
		snprintf(line, size, "file new %u", fz_chance(&t->rng, 5) ?
			 0 : 1 + fz_below(&t->rng, 64));
		break;
	case 23:
		if (!fz_chance(&t->rng, 20))
			goto again;
		fz_id(t, a, true);
		snprintf(line, size, "file destroy %s", a);
		break;
	case 24:
	case 25:
		fz_id(t, a, true);
		fz_tag(t, d);
		snprintf(line, size, "file write %s %u %s", a,
			 fz_below(&t->rng, 70), d);
		break;
	case 26:
		fz_id(t, a, true);
		snprintf(line, size, "file read %s %u", a, fz_below(&t->rng, 70));
		break;
	case 27:
		fz_id(t, a, true);
		snprintf(line, size, "file swapout %s %u %s", a,
			 fz_below(&t->rng, 70), c);
		break;
	case 28:
		fz_id(t, a, true);
		snprintf(line, size, "file truncate %s %u", a, fz_below(&t->rng, 70));
		break;
	case 29:
		fz_id(t, a, true);
		snprintf(line, size, "file punch %s %u %s", a,
			 fz_below(&t->rng, 70), c);
		break;
	case 30:
		fz_id(t, a, true);
		snprintf(line, size, "file rmap %s %u", a, fz_below(&t->rng, 70));
		break;
	case 31:
		fz_slot(t, a);
		snprintf(line, size, "slot %s %s", FZ_OF(t, "query", "entry"), a);
		break;
	case 32:
		word = FZ_OF(t, "0x7f0000400000", "0x7f0000000000",
			     "0x7f0040001000");
		snprintf(line, size, "lens %d %s %s", fz_chance(&t->rng, 90) ?
			 getpid() : 1 << 30, b, word);
		break;
	case 33:
		i = fz_below(&t->rng, nm->nr_gates + 1);
		snprintf(line, size, "gate %s %s %s",
			 FZ_OF(t, "arm", "open", "wait", "shut"),
			 i < nm->nr_gates ? nm->gate[i] : "no.such",
			 FZ_OF(t, "", "0", "20", "60001", "x"));
		break;
	default:
		if (!w->everything)
			goto again;
		fz_slot(t, a);
		switch (op) {
		case 34:
			word = FZ_OF(t, "alloc", "alloc-pmd");
			snprintf(line, size, "slot %s", word);
			break;
		case 35:
			word = FZ_OF(t, "dup", "free");
			snprintf(line, size, "slot %s %s %s", word, a, c);
			break;
		case 36:
			word = FZ_OF(t, "dup-pmd", "free-pmd", "uncache-pmd",
				     "split", "cont");
			snprintf(line, size, "slot %s %s", word, a);
			break;
		case 37:
			word = FZ_OF(t, "cache", "uncache", "bad");
			snprintf(line, size, "slot %s %s", word, a);
			break;
		case 38:
			snprintf(line, size, "slot ioerr %s %s", a,
				 FZ_OF(t, "on", "off", "no"));
			break;
		case 39:
			snprintf(line, size, "slot reread %s", a);
			break;
		case 40:
			snprintf(line, size, "%s", FZ_OF(t, "swapoff", "swapon"));
			break;
		case 41:
			i = fz_below(&t->rng, nm->nr_policies + 1);
			if (i == nm->nr_policies) {
				word = FZ_OF(t, "reset", "set", "set no_such x");
				snprintf(line, size, "policy %s", word);
				break;
			}
			snprintf(line, size, "policy set %s %s", nm->policy[i],
				 nm->values[i][fz_below(&t->rng,
							nm->nr_values[i])]);
			break;
		default:
			word = FZ_OF(t, "", " ", "slot", "space", "file frob 1",
				     "SLOT ALLOC", "slot alloc extra",
				     "space new 1 2 3 4 5 6 7 8 9", "\t",
				     "policy", "gate", "lens 1");
			snprintf(line, size, "%s", word);
		}
	}
}

/* Byte-level damage to a valid line: the parser must hold anyway. */
static size_t fz_mutate(struct fz_thread *t, char *line, size_t len, size_t size)
{
	unsigned int n = 1 + fz_below(&t->rng, 3), i, at;

	for (i = 0; i < n; i++) {
		at = len ? fz_below(&t->rng, len) : 0;
		switch (fz_below(&t->rng, 6)) {
		case 0:		/* flip a byte */
			if (len)
				line[at] ^= 1 << fz_below(&t->rng, 8);
			break;
		case 1:		/* insert an odd byte */
			if (len + 1 < size) {
				memmove(line + at + 1, line + at, len - at);
				line[at] = FZ_OF(t, "\0", "\n", "\t", " ",
						 "\xff", "\r")[0];
				len++;
			}
			break;
		case 2:		/* delete a byte */
			if (len) {
				memmove(line + at, line + at + 1, len - at - 1);
				len--;
			}
			break;
		case 3:		/* cut it short */
			len = at;
			break;
		case 4:		/* past the line limit */
			while (len < ST_LINE_MAX + 8 && len + 1 < size)
				line[len++] = 'A';
			break;
		default:	/* past the word limit */
			while (len + 3 < size && len < ST_LINE_MAX - 4) {
				line[len++] = ' ';
				line[len++] = '7';
			}
		}
	}
	return len;
}

/*
 * The protocol's promise, without the harness's ASSERTs (they are not for
 * threads): the first violation is kept in t->failure.
 */
static void fz_check(struct fz_thread *t, const char *line, size_t len,
		     ssize_t ret, int err, const char *reply, ssize_t n)
{
	char shown[ST_SHOW_MAX], *f = t->failure;
	const char *name, *nl;
	size_t nlen;

	if (*f)
		return;
	st_show(line, len, shown, sizeof(shown));
	nl = n > 0 ? memchr(reply, '\n', n) : NULL;
	if (n <= 0 || nl != reply + n - 1) {
		snprintf(f, sizeof(t->failure), "'%s': reply is not one line (%zd bytes)",
			 shown, n);
		return;
	}
	if (ret >= 0) {
		if ((size_t)ret != len)
			snprintf(f, sizeof(t->failure), "'%s': short write %zd", shown, ret);
		else if (strncmp(reply, "ok", 2) || (reply[2] != '\n' && reply[2] != ' '))
			snprintf(f, sizeof(t->failure), "'%s': write ok, reply '%.*s'",
				 shown, (int)n - 1, reply);
		return;
	}
	name = st_errname(err);
	nlen = name ? strlen(name) : 0;
	if (!name || strncmp(reply, "error ", 6) || strncmp(reply + 6, name, nlen) ||
	    reply[6 + nlen] != ' ' || reply[7 + nlen] == '\n' || reply[7 + nlen] == ' ')
		snprintf(f, sizeof(t->failure), "'%s': write failed with %d (%s), reply '%.*s'",
			 shown, err, name ? name : "unnamed", (int)n - 1, reply);
}

/* Learn the objects a reply created or a line destroyed. */
static void fz_learn(struct fz_thread *t, const char *line, const char *reply)
{
	struct fz_world *w = t->w;
	unsigned long long id;
	int arg;

	pthread_mutex_lock(&w->lock);
	if (st_field_u64(reply, "space", &id))
		fz_add(w->spaces, &w->nr_spaces, FZ_SPACES_MAX, (int)id);
	else if (st_field_u64(reply, "file", &id))
		fz_add(w->files, &w->nr_files, FZ_FILES_MAX, (int)id);
	else if (sscanf(line, "space destroy %d", &arg) == 1)
		fz_del(w->spaces, &w->nr_spaces, arg);
	else if (sscanf(line, "file destroy %d", &arg) == 1)
		fz_del(w->files, &w->nr_files, arg);
	pthread_mutex_unlock(&w->lock);
}

static void *fz_run(void *arg)
{
	struct fz_thread *t = arg;
	char line[ST_LINE_MAX * 2], reply[ST_REPLY_BUF], pending[ST_LINE_MAX];
	unsigned int i;
	size_t len;
	ssize_t ret, n;
	int fd, err;

	fd = open(ST_CTL_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		snprintf(t->failure, sizeof(t->failure), "open ctl: %s", strerror(errno));
		return NULL;
	}
	*pending = '\0';
	for (i = 0; i < t->w->cmds && !*t->failure; i++) {
		if (*pending) {
			snprintf(line, sizeof(line), "%s", pending);
			*pending = '\0';
		} else {
			fz_line(t, line, sizeof(line));
		}
		len = strlen(line);
		if (!strncmp(line, "space migrate ", 14) && len > 6 &&
		    !strcmp(line + len - 6, " begin"))
			snprintf(pending, sizeof(pending), "%.*s end",
				 (int)len - 6, line);
		else if (t->w->everything && fz_chance(&t->rng, 15)) {
			len = fz_mutate(t, line, len, sizeof(line) - 1);
			t->mutated++;
		}
		if (len < sizeof(line) - 1 && fz_chance(&t->rng, 97))
			line[len++] = '\n';
		st_show(line, len, t->current, sizeof(t->current));
		ret = write(fd, line, len);
		err = ret < 0 ? errno : 0;
		__atomic_add_fetch(&t->progress, 1, __ATOMIC_RELAXED);
		n = read(fd, reply, ST_REPLY_MAX);
		reply[n > 0 ? n : 0] = '\0';
		if (!len) {
			/* an empty write is no command: nothing to read back */
			if (ret != 0 || n != 0)
				snprintf(t->failure, sizeof(t->failure),
					 "empty write: ret %zd, read %zd", ret, n);
			continue;
		}
		fz_check(t, line, len, ret, err, reply, n);
		t->sent++;
		if (ret >= 0) {
			t->ok++;
			line[len - (line[len - 1] == '\n')] = '\0';
			fz_learn(t, line, reply);
		}
	}
	close(fd);
	__atomic_store_n(&t->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

#define FZ_STALL_SECONDS	30

/*
 * A command that does not come back within FZ_STALL_SECONDS is a hang (no
 * command waits that long: gates park for 100 ms here, a migration wait
 * gives up after 10 s): say which lines were in flight, and have the kernel
 * show its blocked tasks, before the harness's timeout kills the test.
 */
static void fz_watch(struct fz_thread *t)
{
	unsigned long long last[FZ_THREADS] = { 0 };
	unsigned int i, still[FZ_THREADS] = { 0 }, running;
	int fd;

	do {
		sleep(1);
		for (i = 0, running = 0; i < FZ_THREADS; i++) {
			unsigned long long now;

			if (__atomic_load_n(&t[i].done, __ATOMIC_ACQUIRE))
				continue;
			running++;
			now = __atomic_load_n(&t[i].progress, __ATOMIC_RELAXED);
			still[i] = now == last[i] ? still[i] + 1 : 0;
			last[i] = now;
			if (still[i] != FZ_STALL_SECONDS)
				continue;
			ksft_print_msg("thread %u stuck for %d s in '%s' (seed %llu)\n",
				       i, FZ_STALL_SECONDS, t[i].current, t[i].w->seed);
			fd = open("/proc/sysrq-trigger", O_WRONLY);
			if (fd >= 0 && write(fd, "w", 1) < 0)
				ksft_print_msg("sysrq-w: %s\n", strerror(errno));
			if (fd >= 0)
				close(fd);
		}
	} while (running);
}

/* The policy file's "name=value values=a,b,c" lines, and the gates file. */
static void fz_read_names(struct fz_names *nm)
{
	char buf[256], vals[200], *v;
	unsigned int i;
	FILE *fp;

	memset(nm, 0, sizeof(*nm));
	fp = fopen(ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/policy", "r");
	while (fp && fgets(buf, sizeof(buf), fp) && nm->nr_policies < FZ_NAMES_MAX) {
		i = nm->nr_policies;
		if (sscanf(buf, "%47[^=]=%*s values=%199s", nm->policy[i], vals) != 2)
			continue;
		for (v = strtok(vals, ","); v && nm->nr_values[i] < 8; v = strtok(NULL, ","))
			snprintf(nm->values[i][nm->nr_values[i]++], FZ_WORD_MAX, "%s", v);
		nm->nr_policies++;
	}
	if (fp)
		fclose(fp);
	fp = fopen(ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/gates", "r");
	while (fp && fgets(buf, sizeof(buf), fp) && nm->nr_gates < FZ_NAMES_MAX)
		if (sscanf(buf, "%47s", nm->gate[nm->nr_gates]) == 1)
			nm->nr_gates++;
	if (fp)
		fclose(fp);
}

static bool fz_param(const char *name, const char *val, char *old, size_t size)
{
	char path[128];
	FILE *fp;
	bool ok;

	snprintf(path, sizeof(path), FZ_PARAM_DIR "%s", name);
	fp = fopen(path, old ? "r+" : "w");
	if (!fp)
		return false;
	if (old && !fgets(old, size, fp))
		old[0] = '\0';
	if (old)
		old[strcspn(old, "\n")] = '\0';
	rewind(fp);
	ok = fputs(val, fp) >= 0;
	return !fclose(fp) && ok;
}

static unsigned long long fz_seed(void)
{
	const char *s = getenv("ST_FUZZ_SEED");

	return s ? strtoull(s, NULL, 0) : (unsigned long long)time(NULL) ^
		((unsigned long long)getpid() << 32);
}

static unsigned int fz_cmds(void)
{
	const char *s = getenv("ST_FUZZ_CMDS");

	return s && atoi(s) > 0 ? (unsigned int)atoi(s) : FZ_CMDS_DEFAULT;
}

static void fz_init(struct __test_metadata *_metadata, struct fz_world *w,
		    bool everything, unsigned int cmds)
{
	char buf[64];
	FILE *fp;

	memset(w, 0, sizeof(*w));
	pthread_mutex_init(&w->lock, NULL);
	fz_read_names(&w->names);
	ASSERT_LT(0U, w->names.nr_policies);
	ASSERT_LT(0U, w->names.nr_gates);
	fp = fopen(FZ_PARAM_DIR "nr_slots", "r");
	ASSERT_NE(NULL, fp);
	ASSERT_NE(NULL, fgets(buf, sizeof(buf), fp));
	fclose(fp);
	w->nr_slots = strtoull(buf, NULL, 0);
	w->seed = fz_seed();
	w->everything = everything;
	w->cmds = cmds / FZ_THREADS;
	ksft_print_msg("seed %llu (replay: ST_FUZZ_SEED=%llu), %u commands\n",
		       w->seed, w->seed, w->cmds * FZ_THREADS);
}

/* Run the four threads to the end; fail with the first violation seen. */
static void fz_go(struct __test_metadata *_metadata, struct fz_world *w)
{
	struct fz_thread t[FZ_THREADS];
	unsigned long long sent = 0, ok = 0, mutated = 0;
	char old[32];
	unsigned int i;

	/* a fuzzed gate parks a thread for 100 ms, not 10 s */
	ASSERT_TRUE(fz_param("gate_timeout_ms", FZ_GATE_TIMEOUT_MS, old, sizeof(old)));
	for (i = 0; i < FZ_THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].w = w;
		t[i].nr = i;
		t[i].rng = w->seed * 0x9e3779b97f4a7c15ULL + i + 1;
		ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, fz_run, &t[i]));
	}
	fz_watch(t);
	for (i = 0; i < FZ_THREADS; i++)
		pthread_join(t[i].tid, NULL);
	fz_param("gate_timeout_ms", old, NULL, 0);
	for (i = 0; i < FZ_THREADS; i++) {
		EXPECT_STREQ("", t[i].failure) {
			TH_LOG("thread %u, seed %llu", i, w->seed);
		}
		sent += t[i].sent;
		ok += t[i].ok;
		mutated += t[i].mutated;
	}
	ksft_print_msg("%llu commands sent, %llu ok, %llu mutated\n", sent, ok,
		       mutated);
}

/*
 * One round trip outside the fuzzing proper (set-up, checks, clean-up):
 * the reply into @reply (ST_REPLY_BUF bytes), the write's errno returned.
 */
static int __printf(3, 4) fz_send(int fd, char *reply, const char *fmt, ...)
{
	char line[64];
	va_list ap;
	ssize_t n;
	int err;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	err = write(fd, line, n) < 0 ? errno : 0;
	n = read(fd, reply, ST_REPLY_MAX);
	reply[n > 0 ? n : 0] = '\0';
	return err;
}

/* ENOENT "no space N" / "no file N": the id names nothing live. */
static bool fz_live(int fd, const char *fmt, int id)
{
	char reply[ST_REPLY_BUF];

	if (fz_send(fd, reply, fmt, id) != ENOENT)
		return true;
	return !strstr(reply, "no space") && !strstr(reply, "no file");
}

static bool fz_exists(const char *kind, int id, const char *file)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), FZ_DIR "/%s%d/%s", kind, id, file);
	return !stat(path, &st);
}

/* Every live space and file has its debugfs file; no other is there. */
static void fz_check_files(struct __test_metadata *_metadata)
{
	int fd = st_open_ctl(), id, max;
	bool live;

	ASSERT_LE(0, fd);
	max = st_max_id("space", FZ_SPACES_MAX);
	for (id = 1; id <= max; id++) {
		live = fz_live(fd, "space pte %d 0x7f0000000000\n", id);
		EXPECT_EQ(live, fz_exists("space", id, "ptes")) {
			TH_LOG("space %d is %slive but its ptes file is %s", id,
			       live ? "" : "not ", live ? "missing" : "there");
		}
	}
	max = st_max_id("file", FZ_FILES_MAX);
	for (id = 1; id <= max; id++) {
		live = fz_live(fd, "file read %d 0\n", id);
		EXPECT_EQ(live, fz_exists("file", id, "index")) {
			TH_LOG("file %d is %slive but its index file is %s", id,
			       live ? "" : "not ", live ? "missing" : "there");
		}
	}
	close(fd);
}

/* Destroy every space, then every file (spaces hold their files). */
static void fz_destroy_all(void)
{
	char reply[ST_REPLY_BUF];
	int fd = st_open_ctl(), id, max;

	if (fd < 0)
		return;
	max = st_max_id("space", FZ_SPACES_MAX);
	for (id = 1; id <= max; id++)
		fz_send(fd, reply, "space destroy %d\n", id);
	max = st_max_id("file", FZ_FILES_MAX);
	for (id = 1; id <= max; id++)
		fz_send(fd, reply, "file destroy %d\n", id);
	fz_send(fd, reply, "policy reset\n");
	close(fd);
}

static char *fz_audit(void)
{
	static char text[256 * 1024];
	ssize_t n, len = 0;
	int fd = open(ST_DEBUGFS_MNT "/" ST_DEBUGFS_DIR "/audit", O_RDONLY);

	if (fd < 0)
		return NULL;
	while ((n = read(fd, text + len, sizeof(text) - 1 - len)) > 0)
		len += n;
	close(fd);
	text[len] = '\0';
	return text;
}

/*
 * The audit's "bad" lines, but for the lost-wp that 6.12's own window
 * makes (by=truncate_inode_folio: a fault mapped the page during a hole
 * punch, whose second unmap drops markers), counted in @kernel: the fixed
 * policies are 6.12, which has that window.
 */
static unsigned int fz_bad_lines(const char *audit, unsigned int *kernel)
{
	const char *line = audit, *end;
	unsigned int bad = 0;

	for (; *line; line = *end ? end + 1 : end) {
		end = strchrnul(line, '\n');
		if (strncmp(line, "bad ", 4))
			continue;
		if (!strncmp(line, "bad lost-wp ", 12) &&
		    memmem(line, end - line, " by=truncate_inode_folio", 24))
			++*kernel;
		else
			bad++;
	}
	return bad;
}

#define FZ_KEEP		3	/* objects each churning thread keeps live */

/* a count, not a time: a slow (debug) kernel makes as many, or fewer rounds */
static unsigned long long fz_churn_quota(void)
{
	return (unsigned long long)FZ_CHURN_PER_ROUND *
	       st_env_cap("ST_ROUNDS", FZ_CHURN_ROUNDS);
}

/*
 * Each thread makes objects and drops the oldest of the few it keeps: a
 * new one must have its file at once, and keeps it while it lives (an id
 * handed out before the old directory went would find "spaceN" there).
 */
static void *fz_churn(void *arg)
{
	struct fz_thread *t = arg;
	char reply[ST_REPLY_BUF];
	unsigned long long quota = fz_churn_quota(), tries = 0;
	int kept[FZ_KEEP], kind[FZ_KEEP], fd = st_open_ctl(), i;
	unsigned long long id;
	bool file;

	if (fd < 0)
		return NULL;
	memset(kept, 0, sizeof(kept));
	reply[0] = '\0';
	for (i = 0; t->sent < quota && !*t->failure;
	     i = (i + 1) % FZ_KEEP) {
		if (++tries > 4 * quota) {
			snprintf(t->failure, sizeof(t->failure),
				 "%llu objects made in %llu tries: %.80s",
				 t->sent, tries - 1, reply);
			break;
		}
		if (kept[i])
			fz_send(fd, reply, "%s destroy %d\n",
				kind[i] ? "file" : "space", kept[i]);
		kept[i] = 0;
		file = fz_chance(&t->rng, 50);
		fz_send(fd, reply, file ? "file new 4\n" : "space new\n");
		if (!st_field_u64(reply, file ? "file" : "space", &id))
			continue;	/* ENOSPC: all ids taken */
		t->sent++;
		kept[i] = (int)id;
		kind[i] = file;
		if (!fz_exists(file ? "file" : "space", (int)id,
			       file ? "index" : "ptes"))
			snprintf(t->failure, sizeof(t->failure),
				 "new %s %llu has no debugfs file",
				 file ? "file" : "space", id);
	}
	close(fd);
	return NULL;
}

/* No state of its own: a fixture for the per-test time limits only. */
FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, registry_churn, 60)
{
	struct fz_world w = { .seed = fz_seed() };
	struct fz_thread t[FZ_THREADS];
	unsigned long long made = 0;
	unsigned int i;

	for (i = 0; i < FZ_THREADS; i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].w = &w;
		t[i].rng = w.seed + i + 1;
		ASSERT_EQ(0, pthread_create(&t[i].tid, NULL, fz_churn, &t[i]));
	}
	for (i = 0; i < FZ_THREADS; i++)
		pthread_join(t[i].tid, NULL);
	for (i = 0; i < FZ_THREADS; i++) {
		EXPECT_STREQ("", t[i].failure);
		made += t[i].sent;
	}
	ksft_print_msg("%llu objects made and destroyed from %d threads\n",
		       made, FZ_THREADS);
	ASSERT_EQ(FZ_THREADS * fz_churn_quota(), made);
	fz_check_files(_metadata);
	fz_destroy_all();
}

TEST_F_TIMEOUT(fuzz, fixed, 120)
{
	unsigned int kernel = 0;
	struct fz_world w;
	char *audit;

	fz_init(_metadata, &w, false, fz_cmds() / 5);
	fz_go(_metadata, &w);
	fz_check_files(_metadata);
	audit = fz_audit();
	ASSERT_NE(NULL, audit);
	/* the last line is "ok" or "violations N"; notes may come before */
	EXPECT_EQ(0U, fz_bad_lines(audit, &kernel)) {
		TH_LOG("seed %llu, audit under the fixed policies:\n%.2000s",
		       w.seed, audit);
	}
	if (kernel)
		ksft_print_msg("%u lost-wp by=truncate_inode_folio: %s\n", kernel,
			       "6.12's own window (a fault mapped the page during a punch)");
	fz_destroy_all();
}

TEST_F_TIMEOUT(fuzz, everything, 240)
{
	char params[256] = "", cmd[400], *audit;
	struct fz_world w;
	FILE *fp;

	fz_init(_metadata, &w, true, fz_cmds());
	fz_go(_metadata, &w);
	fz_check_files(_metadata);
	fz_destroy_all();

	/*
	 * Raw swap map commands and injected faults may have left any state:
	 * the module goes with it, and comes back clean for the next test.
	 */
	fp = fopen("/etc/swaptrack.params", "r");
	if (fp) {
		if (!fgets(params, sizeof(params), fp))
			params[0] = '\0';
		fclose(fp);
	}
	params[strcspn(params, "\n")] = '\0';
	if (access("/swaptrack.ko", R_OK))
		SKIP(return, "no /swaptrack.ko to load again (not in the test VM)");
	snprintf(cmd, sizeof(cmd), "rmmod swaptrack && insmod /swaptrack.ko %s",
		 params);
	ASSERT_EQ(0, system(cmd));
	audit = fz_audit();
	ASSERT_NE(NULL, audit);
	EXPECT_STREQ("ok\n", audit);
}

TEST_HARNESS_MAIN
