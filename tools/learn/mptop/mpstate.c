// SPDX-License-Identifier: GPL-2.0
/*
 * mptop — parse a minipipe debugfs state file and draw it.
 *
 * The picture, for a 16-slot pipe holding 3 slots (tail at slot 8):
 *
 *   minipipe: 16 slots x 4096 bytes = 65536 bytes, 8999 bytes unread
 *     head 123 (slot 11) - tail 120 (slot 8) = 3 slots used
 *     open: 1 reader, 1 writer (2 files)   asleep: 0 in read, 1 in write, 0 in open
 *     since load: 120000 bytes read, 128999 written, 42 wake-ups
 *     waits that ended while spinning: 310 in read, 12 in write
 *     slots 0-7   [      ][      ][      ][      ][      ][      ][      ][      ]
 *     slots 8-15  [ 4095 ][ 4096 ][  808 ][      ][      ][      ][      ][      ]
 *                   tail                    head
 *
 * Each cell is a slot and shows the bytes it holds.  A ring of more than
 * MAX_CELLS slots is drawn with several slots per cell, shown in
 * percent of what the cell can hold.  A cell whose slot holds a page
 * that is not the ring's alone ("shared:" in the state file: a page
 * spliced in by reference, or lent out) has braces, "{ 4096 }", and
 * then a legend follows the ring.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mpstate.h"

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Width of the inside of a cell: "[ 4096 ]" is 6 characters between the brackets. */
#define CELL_INNER	6
#define CELL_WIDTH	(CELL_INNER + 2)

/* The numeric keys, in the order the module prints them. */
static const struct {
	const char *key;
	size_t offset;
	unsigned long long max;
} state_keys[] = {
	{ "slots",		offsetof(struct pipe_state, slots),		1ULL << 31 },
	{ "capacity",		offsetof(struct pipe_state, capacity),		ULLONG_MAX },
	{ "head",		offsetof(struct pipe_state, head),		UINT32_MAX },
	{ "tail",		offsetof(struct pipe_state, tail),		UINT32_MAX },
	{ "occupancy",		offsetof(struct pipe_state, occupancy),		UINT32_MAX },
	{ "bytes",		offsetof(struct pipe_state, bytes),		ULLONG_MAX },
	{ "readers",		offsetof(struct pipe_state, readers),		ULLONG_MAX },
	{ "writers",		offsetof(struct pipe_state, writers),		ULLONG_MAX },
	{ "files",		offsetof(struct pipe_state, files),		ULLONG_MAX },
	{ "read_sleepers",	offsetof(struct pipe_state, read_sleepers),	ULLONG_MAX },
	{ "write_sleepers",	offsetof(struct pipe_state, write_sleepers),	ULLONG_MAX },
	{ "open_sleepers",	offsetof(struct pipe_state, open_sleepers),	ULLONG_MAX },
	{ "read_spins",		offsetof(struct pipe_state, read_spins),		ULLONG_MAX },
	{ "write_spins",	offsetof(struct pipe_state, write_spins),		ULLONG_MAX },
	{ "bytes_read",		offsetof(struct pipe_state, bytes_read),		ULLONG_MAX },
	{ "bytes_written",	offsetof(struct pipe_state, bytes_written),	ULLONG_MAX },
	{ "wakeups",		offsetof(struct pipe_state, wakeups),		ULLONG_MAX },
};

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* One unsigned decimal number, nothing else: no sign, no blanks, no overflow. */
static int parse_ull(const char *s, const char *end, unsigned long long max,
		     unsigned long long *val)
{
	unsigned long long v = 0;

	if (s == end)
		return -1;
	for (; s < end; s++) {
		unsigned int digit;

		if (*s < '0' || *s > '9')
			return -1;
		digit = *s - '0';
		/* digit > max first: (max - digit) would wrap for a small max. */
		if (digit > max || v > (max - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*val = v;
	return 0;
}

/*
 * One number per slot, as "fill: 4096 808 0 ..." or "shared: 0 1 0 ...":
 * must come after "slots:" and have that many numbers, each at most @max.
 */
static int parse_per_slot(const char *key, unsigned long long max, const char *s,
			  const char *end, struct pipe_state *st, unsigned long long **values,
			  int lineno, char *err, size_t errlen)
{
	unsigned long long n = 0;

	if (!st->slots) {
		set_err(err, errlen, "line %d: %s before a non-zero slots", lineno, key);
		return -1;
	}
	free(*values);
	*values = calloc(st->slots, sizeof(**values));
	if (!*values) {
		set_err(err, errlen, "line %d: out of memory for %llu slots", lineno, st->slots);
		return -1;
	}
	for (;;) {
		const char *word;

		while (s < end && *s == ' ')
			s++;
		if (s == end)
			break;
		word = s;
		while (s < end && *s != ' ')
			s++;
		if (n == st->slots) {
			set_err(err, errlen, "line %d: %s has more than %llu values", lineno, key,
				st->slots);
			return -1;
		}
		if (parse_ull(word, s, max, &(*values)[n])) {
			set_err(err, errlen, "line %d: %s value %llu is not a number up to %llu",
				lineno, key, n + 1, max);
			return -1;
		}
		n++;
	}
	if (n != st->slots) {
		set_err(err, errlen, "line %d: %s has %llu values for %llu slots", lineno, key, n,
			st->slots);
		return -1;
	}
	return 0;
}

int pipe_state_parse(const char *text, struct pipe_state *st, char *err, size_t errlen)
{
	bool seen[ARRAY_SIZE(state_keys)] = { false };
	bool have_name = false;
	const char *line = text;
	int lineno = 0;
	size_t i;

	memset(st, 0, sizeof(*st));
	while (*line) {
		const char *eol = strchrnul(line, '\n'), *colon, *value;
		size_t keylen;

		lineno++;
		colon = memchr(line, ':', eol - line);
		if (!colon) {
			if (eol != line) {
				set_err(err, errlen, "line %d: no \"key: value\"", lineno);
				goto fail;
			}
			goto next;
		}
		keylen = colon - line;
		value = colon + 1;
		if (value < eol && *value == ' ')
			value++;

		if (keylen == 4 && !memcmp(line, "name", 4)) {
			if (eol == value || (size_t)(eol - value) >= sizeof(st->name)) {
				set_err(err, errlen, "line %d: bad name", lineno);
				goto fail;
			}
			memcpy(st->name, value, eol - value);
			st->name[eol - value] = '\0';
			have_name = true;
			goto next;
		}
		if (keylen == 4 && !memcmp(line, "fill", 4)) {
			if (parse_per_slot("fill", UINT32_MAX, value, eol, st, &st->fill,
					   lineno, err, errlen))
				goto fail;
			goto next;
		}
		/* Optional: a module older than the line has none (st->shared stays NULL). */
		if (keylen == 6 && !memcmp(line, "shared", 6)) {
			if (parse_per_slot("shared", 1, value, eol, st, &st->shared, lineno, err,
					   errlen))
				goto fail;
			goto next;
		}
		for (i = 0; i < ARRAY_SIZE(state_keys); i++) {
			unsigned long long *field;

			if (strlen(state_keys[i].key) != keylen ||
			    memcmp(line, state_keys[i].key, keylen))
				continue;
			field = (unsigned long long *)((char *)st + state_keys[i].offset);
			if (parse_ull(value, eol, state_keys[i].max, field)) {
				set_err(err, errlen, "line %d: %s: not a number in range",
					lineno, state_keys[i].key);
				goto fail;
			}
			seen[i] = true;
			break;
		}
		/* Keys this mptop does not know (a newer module) are ignored. */
next:
		line = *eol ? eol + 1 : eol;
	}

	if (!have_name) {
		set_err(err, errlen, "no name");
		goto fail;
	}
	for (i = 0; i < ARRAY_SIZE(state_keys); i++) {
		if (!seen[i]) {
			set_err(err, errlen, "no %s", state_keys[i].key);
			goto fail;
		}
	}
	if (!st->fill) {
		set_err(err, errlen, "no fill");
		goto fail;
	}
	if (!st->slots) {
		set_err(err, errlen, "slots is 0");
		goto fail;
	}
	return 0;
fail:
	pipe_state_free(st);
	return -1;
}

void pipe_state_free(struct pipe_state *st)
{
	free(st->fill);
	st->fill = NULL;
	free(st->shared);
	st->shared = NULL;
}

int pipe_state_load(const char *path, struct pipe_state *st, char *err, size_t errlen)
{
	char *text = NULL, msg[256];
	size_t size = 0;
	FILE *mem, *in;
	char buf[4096];
	size_t n;
	int ret;

	in = fopen(path, "r");
	if (!in) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	mem = open_memstream(&text, &size);
	if (!mem) {
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		fclose(in);
		return -1;
	}
	/* seq_file hands out a page at a time: read to the end. */
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, mem);
	ret = ferror(in) ? -1 : 0;
	if (ret)
		set_err(err, errlen, "%s: %s", path, strerror(errno));
	fclose(in);
	if (fclose(mem)) {
		free(text);
		set_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (!ret) {
		ret = pipe_state_parse(text, st, msg, sizeof(msg));
		if (ret)
			set_err(err, errlen, "%s: %s", path, msg);
	}
	free(text);
	return ret;
}

struct pipe_rate pipe_rate_between(const struct pipe_state *prev, const struct pipe_state *cur,
			       double seconds)
{
	struct pipe_rate rate = { .valid = false };

	if (seconds <= 0 || cur->bytes_read < prev->bytes_read ||
	    cur->bytes_written < prev->bytes_written)
		return rate;
	rate.valid = true;
	rate.read_bps = (double)(cur->bytes_read - prev->bytes_read) / seconds;
	rate.write_bps = (double)(cur->bytes_written - prev->bytes_written) / seconds;
	return rate;
}

/* "1 reader" / "2 readers" */
static const char *plural(unsigned long long n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static void format_rate(char *buf, size_t len, double bps)
{
	static const char *const units[] = { "B/s", "KiB/s", "MiB/s", "GiB/s" };
	size_t u = 0;

	while (bps >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		bps /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bps, units[u]);
}

/* Put @s into the marker line @line at column @col, if that part is still free. */
static void place_marker(char *line, size_t len, size_t col, const char *s)
{
	size_t n = strlen(s), i;

	if (col + n >= len)
		return;
	for (i = 0; i < n; i++)
		if (line[col + i] != ' ')
			return;
	memcpy(line + col, s, n);
}

static void render_cell(FILE *out, unsigned long long sum, unsigned long long cap,
			bool percent, bool shared, bool color)
{
	char open = shared ? '{' : '[', close = shared ? '}' : ']';
	char text[32];
	unsigned long long shade = 0;

	if (!sum) {
		snprintf(text, sizeof(text), "%*s", CELL_INNER, "");
	} else if (percent) {
		unsigned long long pct = cap ? sum * 100 / cap : 100;

		snprintf(text, sizeof(text), "%4llu%% ", pct < 1 ? 1 : pct > 999 ? 999 : pct);
	} else if (sum < 100000) {
		snprintf(text, sizeof(text), "%5llu ", sum);
	} else if (sum < 1000000) {
		snprintf(text, sizeof(text), "%6llu", sum);
	} else {
		/* Not a page any architecture has: keep the cell's width. */
		snprintf(text, sizeof(text), "  >1M ");
	}
	if (!color) {
		fprintf(out, "%c%s%c", open, text, close);
		return;
	}
	/* Shade the inside of the cell in proportion to its fill, at least one column. */
	if (sum) {
		shade = cap ? (sum * CELL_INNER + cap / 2) / cap : CELL_INNER;
		if (!shade)
			shade = 1;
		if (shade > CELL_INNER)
			shade = CELL_INNER;
	}
	/* Shared: cyan, as the page is someone else's too; else green when full. */
	fprintf(out, "%c\033[30;%dm%.*s\033[0m%s%c", open, shared ? 46 : sum >= cap ? 42 : 43,
		(int)shade, text, text + shade, close);
}

/* Under the ring, when a cell has braces. */
static const char shared_legend[] =
	"{ } shared: a page not the ring's alone (spliced in, or lent out)";

void pipe_state_render(FILE *out, const struct pipe_state *st, const struct pipe_rate *rate, bool color)
{
	unsigned long long slot_size, per, cells, head_slot, tail_slot, c, s;
	const char *bold = color ? "\033[1m" : "", *off = color ? "\033[0m" : "";
	const char *hot = color ? "\033[1;31m" : "", *status = "";
	char label[64], marks[ROW_CELLS * CELL_WIDTH + 16];
	bool any_shared = false;
	int label_width;

	slot_size = st->capacity / st->slots;
	head_slot = st->head % st->slots;
	tail_slot = st->tail % st->slots;
	cells = st->slots < MAX_CELLS ? st->slots : MAX_CELLS;
	per = (st->slots + cells - 1) / cells;
	cells = (st->slots + per - 1) / per;

	if (!st->files)
		status = " (not open: no ring allocated)";
	else if (!st->occupancy)
		status = " (empty)";
	else if (st->occupancy >= st->slots)
		status = " (full)";
	fprintf(out, "%s%s%s: %llu slot%s x %llu bytes = %llu bytes, %llu byte%s unread%s\n",
		bold, st->name, off, st->slots, plural(st->slots, "", "s"), slot_size,
		st->capacity, st->bytes, plural(st->bytes, "", "s"), status);
	fprintf(out, "  head %llu (slot %llu) - tail %llu (slot %llu) = %llu slot%s used\n",
		st->head, head_slot, st->tail, tail_slot, st->occupancy,
		plural(st->occupancy, "", "s"));
	fprintf(out, "  open: %llu %s, %llu %s (%llu file%s)   asleep: %s%llu in read, %llu in write, %llu in open%s\n",
		st->readers, plural(st->readers, "reader", "readers"),
		st->writers, plural(st->writers, "writer", "writers"),
		st->files, plural(st->files, "", "s"),
		st->read_sleepers || st->write_sleepers || st->open_sleepers ? hot : "",
		st->read_sleepers, st->write_sleepers, st->open_sleepers, off);
	fprintf(out, "  since load: %llu bytes read, %llu written, %llu wake-up%s\n",
		st->bytes_read, st->bytes_written, st->wakeups, plural(st->wakeups, "", "s"));
	fprintf(out, "  waits that ended while spinning: %llu in read, %llu in write\n",
		st->read_spins, st->write_spins);
	if (rate && rate->valid) {
		char r[32], w[32];

		format_rate(r, sizeof(r), rate->read_bps);
		format_rate(w, sizeof(w), rate->write_bps);
		fprintf(out, "  now: %s read, %s written\n", r, w);
	}
	if (per > 1)
		fprintf(out, "  (%llu slots per cell, fill in percent)\n", per);

	/* Every row label as wide as the last, the longest. */
	c = (cells - 1) / ROW_CELLS * ROW_CELLS;
	label_width = snprintf(label, sizeof(label), "slots %llu-%llu", c * per,
			       st->slots - 1);
	if (c * per == st->slots - 1)
		label_width = snprintf(label, sizeof(label), "slot %llu", st->slots - 1);

	for (c = 0; c < cells; c += ROW_CELLS) {
		unsigned long long row_end = c + ROW_CELLS < cells ? c + ROW_CELLS : cells;
		unsigned long long last_slot = row_end * per - 1;
		size_t col;

		if (last_slot >= st->slots)
			last_slot = st->slots - 1;
		if (last_slot == c * per)
			snprintf(label, sizeof(label), "slot %llu", last_slot);
		else
			snprintf(label, sizeof(label), "slots %llu-%llu", c * per, last_slot);
		fprintf(out, "  %-*s  ", label_width, label);
		memset(marks, ' ', sizeof(marks) - 1);
		marks[sizeof(marks) - 1] = '\0';
		for (col = 0; c + col < row_end; col++) {
			unsigned long long first = (c + col) * per, sum = 0, cap = 0;
			bool has_head, has_tail, shared = false;

			for (s = first; s < first + per && s < st->slots; s++) {
				sum += st->fill[s];
				cap += slot_size;
				if (st->shared && st->shared[s])
					shared = true;
			}
			any_shared |= shared;
			render_cell(out, sum, cap, per > 1, shared, color);
			has_head = head_slot >= first && head_slot < first + per;
			has_tail = tail_slot >= first && tail_slot < first + per;
			if (has_head && has_tail)
				place_marker(marks, sizeof(marks), col * CELL_WIDTH + 1, "head+tail");
			else if (has_head)
				place_marker(marks, sizeof(marks), col * CELL_WIDTH + 2, "head");
			else if (has_tail)
				place_marker(marks, sizeof(marks), col * CELL_WIDTH + 2, "tail");
		}
		fputc('\n', out);
		/* The marker line, without trailing blanks; none when it is empty. */
		col = strlen(marks);
		while (col && marks[col - 1] == ' ')
			col--;
		marks[col] = '\0';
		if (col)
			fprintf(out, "  %-*s  %s\n", label_width, "", marks);
	}
	if (any_shared)
		fprintf(out, "  %-*s  %s\n", label_width, "", shared_legend);
}

int state_name_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), da = la, db = lb;

	/* Split each name into a prefix and a numeric suffix. */
	while (da && a[da - 1] >= '0' && a[da - 1] <= '9')
		da--;
	while (db && b[db - 1] >= '0' && b[db - 1] <= '9')
		db--;
	if (da != db || memcmp(a, b, da))
		return strcmp(a, b);
	/* Same prefix: no suffix first, then shorter (smaller) numbers. */
	if (la - da != lb - db)
		return (la - da) < (lb - db) ? -1 : 1;
	return strcmp(a + da, b + db);
}

static int name_qsort_cmp(const void *a, const void *b)
{
	return state_name_cmp(*(char *const *)a, *(char *const *)b);
}

void state_names_free(char **names, int count)
{
	while (count > 0)
		free(names[--count]);
	free(names);
}

int state_list_dir(const char *dir, char *const *only, int nr_only, char ***names)
{
	struct dirent *de;
	char **list = NULL, **bigger;
	int count = 0, alloc = 0, i, saved;
	DIR *d;

	d = opendir(dir);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		bool wanted = nr_only == 0;

		/* Not a pipe's: the users' totals, the pages borrowed, the race windows' directory. */
		if (de->d_name[0] == '.' || !strcmp(de->d_name, STATE_USERS) ||
		    !strcmp(de->d_name, STATE_BORROWED) ||
		    (de->d_type != DT_REG && de->d_type != DT_UNKNOWN))
			continue;
		for (i = 0; i < nr_only; i++)
			if (!strcmp(only[i], de->d_name))
				wanted = true;
		if (!wanted)
			continue;
		if (count == alloc) {
			alloc = alloc ? alloc * 2 : 8;
			bigger = realloc(list, alloc * sizeof(*list));
			if (!bigger)
				goto nomem;
			list = bigger;
		}
		list[count] = strdup(de->d_name);
		if (!list[count])
			goto nomem;
		count++;
	}
	closedir(d);
	if (count)
		qsort(list, count, sizeof(*list), name_qsort_cmp);
	*names = list;
	return count;
nomem:
	saved = errno;
	closedir(d);
	state_names_free(list, count);
	errno = saved ? saved : ENOMEM;
	return -1;
}
