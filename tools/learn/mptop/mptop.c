// SPDX-License-Identifier: GPL-2.0
/*
 * mptop — watch minipipe's rings move.
 *
 *   mptop                      redraw every pipe twice a second (q: Ctrl-C)
 *   mptop minipipe1            only /dev/minipipe1
 *   mptop --once               one frame, plain text, then exit
 *   mptop --plain --count 5    five plain frames, with the rates between them
 *
 * It reads the module's debugfs files, /sys/kernel/debug/minipipe/<name>
 * (root only, as debugfs is), or those of --dir.  Each pipe is drawn as its
 * ring: one cell per slot with the bytes it holds, in braces when its page
 * is not the ring's alone (spliced in or lent out), the head and tail slots
 * marked, the open readers and writers, the tasks asleep in read(), write()
 * and open(), and the bytes/s read and written since the previous frame.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "monotonic.h"
#include "mpstate.h"

/* The previous sample of one pipe, for the rates. */
struct sample {
	char name[STATE_NAME_MAX];
	struct pipe_state st;
	double when;
};

struct options {
	const char *dir;
	double interval;
	long count;		/* frames to draw, 0 for no end */
	bool plain;		/* no escapes: for logs, tests and the demo */
	char **only;		/* instance names to show */
	int nr_only;
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: mptop [--once] [--plain] [--count N] [--interval SECONDS] [--dir DIR] [NAME...]\n"
		"\n"
		"Draw the rings of minipipe's named pipes from their debugfs state files.\n"
		"\n"
		"  --once            print one frame as plain text and exit (same as --plain --count 1)\n"
		"  --plain           plain text frames, one after the other, no terminal escapes\n"
		"  -n, --count N     stop after N frames (default: until interrupted)\n"
		"  -i, --interval S  seconds between frames (default 0.5)\n"
		"  -d, --dir DIR     state files directory (default %s)\n"
		"  NAME...           show only these pipes (minipipe, minipipe1, ...)\n"
		"\n"
		"debugfs is root's: run as root, with debugfs mounted\n"
		"(mount -t debugfs none /sys/kernel/debug).\n", STATE_DIR);
}

static struct sample *find_sample(struct sample *samples, int nr, const char *name)
{
	int i;

	for (i = 0; i < nr; i++)
		if (!strcmp(samples[i].name, name))
			return &samples[i];
	return NULL;
}

/*
 * Draw one frame into @out.  @prev/@nr_prev are the last frame's samples
 * (for the rates) and are replaced by this frame's.  Returns 0, or -1 with
 * a message on stderr when there is nothing to show.
 */
static int frame(FILE *out, const struct options *o, struct sample **prev, int *nr_prev)
{
	struct sample *cur = NULL, *old;
	char **names, err[512];
	int nr, i, nr_cur = 0, ret = 0;

	nr = state_list_dir(o->dir, o->only, o->nr_only, &names);
	if (nr < 0) {
		fprintf(stderr, "mptop: %s: %s%s\n", o->dir, strerror(errno),
			errno == ENOENT ? " (is minipipe loaded and debugfs mounted?)" : "");
		return -1;
	}
	if (!nr) {
		fprintf(stderr, "mptop: no %s in %s\n", o->nr_only ? "such pipe" : "pipe", o->dir);
		free(names);
		return -1;
	}
	cur = calloc(nr, sizeof(*cur));
	if (!cur) {
		fprintf(stderr, "mptop: out of memory\n");
		state_names_free(names, nr);
		return -1;
	}
	for (i = 0; i < nr; i++) {
		struct sample *s = &cur[nr_cur];
		struct pipe_rate rate;
		char *path;

		if (asprintf(&path, "%s/%s", o->dir, names[i]) < 0) {
			ret = -1;
			break;
		}
		if (pipe_state_load(path, &s->st, err, sizeof(err))) {
			fprintf(out, "%s: unreadable: %s\n", names[i], err);
			free(path);
			ret = -1;
			continue;
		}
		free(path);
		snprintf(s->name, sizeof(s->name), "%s", names[i]);
		s->when = monotonic_seconds();
		old = find_sample(*prev, *nr_prev, s->name);
		rate = old ? pipe_rate_between(&old->st, &s->st, s->when - old->when) :
			     (struct pipe_rate){ .valid = false };
		if (i)
			fputc('\n', out);
		pipe_state_render(out, &s->st, old ? &rate : NULL, !o->plain);
		nr_cur++;
	}
	for (i = 0; i < *nr_prev; i++)
		pipe_state_free(&(*prev)[i].st);
	free(*prev);
	*prev = cur;
	*nr_prev = nr_cur;
	state_names_free(names, nr);
	return ret;
}

static void sleep_seconds(double s)
{
	struct timespec ts = { .tv_sec = (time_t)s };

	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	/* A signal ends the sleep early: the loop then sees @stop. */
	nanosleep(&ts, NULL);
}

static int run(const struct options *o)
{
	struct sample *prev = NULL;
	int nr_prev = 0, ret = 0, i;
	char *text = NULL;
	size_t size;
	long n;

	if (!o->plain)
		fputs("\033[?25l\033[H\033[2J", stdout);
	for (n = 0; !stop && (!o->count || n < o->count); n++) {
		FILE *mem;

		if (n)
			sleep_seconds(o->interval);
		if (stop)
			break;
		/* Build the frame first, then show it at once: no flicker. */
		mem = open_memstream(&text, &size);
		if (!mem) {
			ret = 1;
			break;
		}
		ret = frame(mem, o, &prev, &nr_prev) ? 1 : 0;
		fclose(mem);
		if (o->plain) {
			if (n)
				fputs("\n", stdout);
			fputs(text, stdout);
		} else {
			char *line = text, *eol;

			fputs("\033[H", stdout);
			/* Clear the rest of each line, then below the frame. */
			while ((eol = strchr(line, '\n'))) {
				fwrite(line, 1, eol - line, stdout);
				fputs("\033[K\n", stdout);
				line = eol + 1;
			}
			fprintf(stdout, "\033[J(every %gs; Ctrl-C quits)", o->interval);
		}
		fflush(stdout);
		free(text);
		text = NULL;
		if (ret && (o->plain || !nr_prev))
			break;
	}
	if (!o->plain)
		fputs("\033[?25h\n", stdout);
	for (i = 0; i < nr_prev; i++)
		pipe_state_free(&prev[i].st);
	free(prev);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once",	no_argument,		NULL, '1' },
		{ "plain",	no_argument,		NULL, 'p' },
		{ "count",	required_argument,	NULL, 'n' },
		{ "interval",	required_argument,	NULL, 'i' },
		{ "dir",	required_argument,	NULL, 'd' },
		{ "help",	no_argument,		NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct options o = { .dir = STATE_DIR, .interval = 0.5 };
	struct sigaction sa = { .sa_handler = on_signal };
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "1pn:i:d:h", longopts, NULL)) != -1) {
		switch (c) {
		case '1':
			o.plain = true;
			o.count = 1;
			break;
		case 'p':
			o.plain = true;
			break;
		case 'n':
			errno = 0;
			o.count = strtol(optarg, &end, 10);
			if (errno || *end || o.count < 1) {
				fprintf(stderr, "mptop: --count wants a positive number\n");
				return 2;
			}
			break;
		case 'i':
			errno = 0;
			o.interval = strtod(optarg, &end);
			if (errno || *end || !(o.interval >= 0.01 && o.interval <= 3600)) {
				fprintf(stderr, "mptop: --interval wants seconds, 0.01 to 3600\n");
				return 2;
			}
			break;
		case 'd':
			o.dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	o.only = argv + optind;
	o.nr_only = argc - optind;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	return run(&o);
}
