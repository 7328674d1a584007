// SPDX-License-Identifier: GPL-2.0
/*
 * Unit test of mptop's parser and renderer (mpstate.c), on the host.
 *
 *   test_mptop TESTDATA_DIR
 *
 * Prints one TAP line per check, "ok - ..." or "not ok - ...", without
 * numbers or plan: test.sh numbers them together with its own checks.
 * Exits 1 if any check failed.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mpstate.h"

static int failures;
static const char *testdata;

static void check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!ok)
		failures++;
}

/* A well-formed state file with @fill as its fill line and @slots slots. */
static char *state_text(const char *slots, const char *extra, const char *fill)
{
	char *text;

	if (asprintf(&text,
		     "name: minipipe1\nslots: %s\ncapacity: 16384\nhead: 5\ntail: 3\n"
		     "occupancy: 2\nbytes: 4196\nreaders: 1\nwriters: 2\nfiles: 3\n"
		     "read_sleepers: 0\nwrite_sleepers: 1\nopen_sleepers: 0\n"
		     "read_spins: 310\nwrite_spins: 12\n"
		     "bytes_read: 100\nbytes_written: 4296\nwakeups: 7\n%sfill: %s\n",
		     slots, extra, fill) < 0)
		exit(2);
	return text;
}

/* Parsing @text fails, with a message containing @want. */
static void expect_error(const char *what, const char *text, const char *want)
{
	struct pipe_state st;
	char err[256] = "";
	int ret = pipe_state_parse(text, &st, err, sizeof(err));

	check(ret == -1 && strstr(err, want), "parse error: %s (\"%s\")", what, err);
	if (!ret)
		pipe_state_free(&st);
}

static char *render(const struct pipe_state *st, const struct pipe_rate *rate, bool color)
{
	char *text = NULL;
	size_t size;
	FILE *out = open_memstream(&text, &size);

	if (!out)
		exit(2);
	pipe_state_render(out, st, rate, color);
	fclose(out);
	return text;
}

static void test_parse_good(void)
{
	char *text = state_text("4", "some_new_key: 12 13\n", "0 0 0 100");
	struct pipe_state st;
	char err[256] = "";
	int ret;

	ret = pipe_state_parse(text, &st, err, sizeof(err));
	check(ret == 0, "parse a full state file (%s)", ret ? err : "no error");
	if (ret) {
		free(text);
		return;
	}
	check(!strcmp(st.name, "minipipe1"), "name is minipipe1");
	check(st.slots == 4 && st.capacity == 16384, "slots 4, capacity 16384");
	check(st.head == 5 && st.tail == 3 && st.occupancy == 2, "head 5, tail 3, occupancy 2");
	check(st.bytes == 4196 && st.readers == 1 && st.writers == 2 && st.files == 3,
	      "bytes, readers, writers, files");
	check(st.read_spins == 310 && st.write_spins == 12, "waits that ended while spinning");
	check(st.read_sleepers == 0 && st.write_sleepers == 1 && st.open_sleepers == 0,
	      "sleepers");
	check(st.bytes_read == 100 && st.bytes_written == 4296 && st.wakeups == 7,
	      "totals since load");
	check(st.fill[0] == 0 && st.fill[3] == 100, "fill by physical slot");
	check(!st.shared, "no shared line (an older module): no shared slots");
	pipe_state_free(&st);
	free(text);

	text = state_text("4", "", "0 0 0 100\nshared: 0 0 0 1");
	ret = pipe_state_parse(text, &st, err, sizeof(err));
	check(ret == 0 && st.shared && !st.shared[0] && st.shared[3] == 1,
	      "shared by physical slot (%s)", ret ? err : "no error");
	if (!ret)
		pipe_state_free(&st);
	free(text);
}

static void test_parse_errors(void)
{
	char *text;

	text = state_text("4", "", "0 0 0");
	expect_error("fill shorter than slots", text, "fill has 3 values for 4 slots");
	free(text);
	text = state_text("4", "", "0 0 0 0 0");
	expect_error("fill longer than slots", text, "more than 4 values");
	free(text);
	text = state_text("4", "", "0 0 x 0");
	expect_error("fill value not a number", text, "fill value 3 is not a number");
	free(text);
	text = state_text("-4", "", "0 0 0 0");
	expect_error("negative slots", text, "line 2: slots: not a number");
	free(text);
	text = state_text("4", "head: 4294967296\n", "0 0 0 0");
	expect_error("head past 32 bits", text, "head: not a number in range");
	free(text);
	text = state_text("4", "garbage line\n", "0 0 0 0");
	expect_error("a line without a colon", text, "line 19: no \"key: value\"");
	free(text);
	text = state_text("4", "", "0 0 0 0\nshared: 0 0 1");
	expect_error("shared shorter than slots", text, "shared has 3 values for 4 slots");
	free(text);
	text = state_text("4", "", "0 0 0 0\nshared: 0 0 2 0");
	expect_error("shared is 0 or 1", text, "shared value 3 is not a number up to 1");
	free(text);
	expect_error("fill before slots", "name: x\nfill: 1 2\nslots: 2\n", "fill before");
	expect_error("shared before slots", "name: x\nshared: 1 0\nslots: 2\n",
		     "shared before");
	expect_error("no name", "slots: 1\nfill: 0\n", "no name");
	text = state_text("4", "", "0 0 0 0");
	*strstr(text, "wakeups") = 'W';
	expect_error("a missing key", text, "no wakeups");
	free(text);
	expect_error("empty file", "", "no name");
}

static void test_render(void)
{
	char *text = state_text("4", "", "0 0 0 100"), *out;
	struct pipe_rate rate = { .valid = true, .read_bps = 2048, .write_bps = 3.5 * 1048576 };
	struct pipe_state st;
	char err[256];

	if (pipe_state_parse(text, &st, err, sizeof(err))) {
		check(false, "render: parse (%s)", err);
		free(text);
		return;
	}
	/* head 5 -> slot 1, tail 3 -> slot 3. */
	out = render(&st, NULL, false);
	check(strstr(out, "head 5 (slot 1) - tail 3 (slot 3) = 2 slots used") != NULL,
	      "render: head and tail slots");
	check(strstr(out, "  slots 0-3  [      ][      ][      ][  100 ]\n"
			  "                       head            tail\n") != NULL,
	      "render: cells and head/tail markers");
	check(strstr(out, "asleep: 0 in read, 1 in write, 0 in open") != NULL,
	      "render: sleepers");
	check(!strchr(out, '\033'), "render: plain output has no escapes");
	check(!strstr(out, "now:"), "render: no rate line without a rate");
	check(!strstr(out, "shared:"), "render: no legend without a shared slot");
	free(out);

	out = render(&st, &rate, true);
	check(strchr(out, '\033') != NULL, "render: color output has escapes");
	check(strstr(out, "now: 2.0 KiB/s read, 3.5 MiB/s written") != NULL,
	      "render: rate line");
	free(out);
	pipe_state_free(&st);
	free(text);

	text = state_text("4", "", "0 0 0 100\nshared: 0 0 0 1");
	if (pipe_state_parse(text, &st, err, sizeof(err))) {
		check(false, "render: parse with shared (%s)", err);
		free(text);
		return;
	}
	out = render(&st, NULL, false);
	check(strstr(out, "  slots 0-3  [      ][      ][      ]{  100 }\n") != NULL &&
	      strstr(out, "\n             { } shared: ") != NULL,
	      "render: a shared slot in braces, and the legend");
	free(out);
	pipe_state_free(&st);
	free(text);
}

static void test_rate(void)
{
	struct pipe_state a = { .bytes_read = 1000, .bytes_written = 5000 };
	struct pipe_state b = { .bytes_read = 3000, .bytes_written = 5000 };
	struct pipe_rate r;

	r = pipe_rate_between(&a, &b, 0.5);
	check(r.valid && r.read_bps == 4000 && r.write_bps == 0, "rate: bytes/s between samples");
	r = pipe_rate_between(&b, &a, 0.5);
	check(!r.valid, "rate: counters going back (module reloaded) give no rate");
	r = pipe_rate_between(&a, &b, 0);
	check(!r.valid, "rate: no time elapsed gives no rate");
}

static void test_names(void)
{
	static char *const only[] = { "minipipe10", "minipipe", "nosuch" };
	char **names, *dir;
	int n;

	check(state_name_cmp("minipipe", "minipipe1") < 0 &&
	      state_name_cmp("minipipe2", "minipipe10") < 0 &&
	      state_name_cmp("minipipe10", "minipipe9") > 0 &&
	      state_name_cmp("minipipe3", "minipipe3") == 0, "names sort naturally");

	if (asprintf(&dir, "%s/order", testdata) < 0)
		exit(2);
	n = state_list_dir(dir, NULL, 0, &names);
	check(n == 4 && !strcmp(names[0], "minipipe") && !strcmp(names[1], "minipipe1") &&
	      !strcmp(names[2], "minipipe2") && !strcmp(names[3], "minipipe10"),
	      "list a directory in natural order, without the users and borrowed files");
	if (n > 0)
		state_names_free(names, n);
	n = state_list_dir(dir, only, 3, &names);
	check(n == 2 && !strcmp(names[0], "minipipe") && !strcmp(names[1], "minipipe10"),
	      "list only the names asked for");
	if (n > 0)
		state_names_free(names, n);
	free(dir);
}

static void test_load(void)
{
	struct pipe_state st;
	char err[512] = "", *path;
	int ret;

	if (asprintf(&path, "%s/bad/minipipe", testdata) < 0)
		exit(2);
	ret = pipe_state_load(path, &st, err, sizeof(err));
	check(ret == -1 && strstr(err, "bad/minipipe: line 19:"),
	      "a bad file's error names the file and line (\"%s\")", err);
	if (!ret)
		pipe_state_free(&st);
	free(path);
	ret = pipe_state_load("/nonexistent/minipipe", &st, err, sizeof(err));
	check(ret == -1 && strstr(err, "No such file"), "a missing file (\"%s\")", err);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s TESTDATA_DIR\n", argv[0]);
		return 2;
	}
	testdata = argv[1];
	test_parse_good();
	test_parse_errors();
	test_render();
	test_rate();
	test_names();
	test_load();
	return failures ? 1 : 0;
}
