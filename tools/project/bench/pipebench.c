// SPDX-License-Identifier: GPL-2.0
/*
 * pipebench — the kernel's pipes and minipipe, side by side.
 *
 * Four subjects, measured in the same boot and interleaved so that any
 * drift of the machine hits them all alike:
 *
 *   pipe           pipe2(2)
 *   fifo           a mkfifo(3) FIFO in a tmpfs directory
 *   minipipe       the named /dev/minipipe (and /dev/minipipe1 for latency)
 *   minipipe-anon  an anonymous minipipe from minipipe_pipe2()
 *
 * Named ends are opened O_RDONLY|O_NONBLOCK, then O_WRONLY, then the read
 * end is made blocking again, so that no open ever waits.
 *
 * Workloads, each between processes on the first two CPUs (bw and lat pin
 * one process to each, -P not):
 *
 *   bw-N   one writer streams N-byte writes for the measurement's duration,
 *          one reader drains with 64 KiB reads; MB/s (10^6 bytes/s) from the
 *          writer's start to the reader's EOF.  bw-65536 is lmbench's bw_pipe.
 *   vms-65536  the same with vmsplice(2) instead of write(2): the writer's
 *          pages go into the pipe by reference (minipipe_vmsplice(), the
 *          module's ioctl on a minipipe), so only the reader copies.  The
 *          writer's buffer never changes, so reusing it at once is safe.
 *   file-splice-65536  a file through the pipe into another file by
 *          splice(2), 64 KiB at a time: input file to pipe, pipe to output
 *          file.  splice(2) takes only a kernel pipe for one side, so a
 *          minipipe is reached through one on each side (file, kernel
 *          pipe, minipipe, kernel pipe, file), its splice_write and
 *          splice_read passing page references; only the write into the
 *          output's page cache copies.  MB/s as bw's.
 *   file-copy-65536  the same round trip by copying, for comparison:
 *          read(2) from the file, write(2) into the pipe, read(2) from it,
 *          write(2) into the output file.  The files are memfds, the
 *          output rewritten in place (see file_setup()); at the end the
 *          output must hold the input.
 *   lat    1-byte ping-pong over two pipes (lmbench's lat_pipe); µs per
 *          round trip.
 *   m2m    4 writers and 4 readers on one pipe, 100-byte messages
 *          (hackbench-like, not pinned); messages/s.
 *   m2m-16 the same with 16 writers and 16 readers: more tasks than CPUs,
 *          where the wake-up policy and lock contention show.
 *
 * And the limit, with no pipe at all (subject "memcpy"):
 *
 *   copy-1 one process on CPU 0 copies 64 KiB blocks with memcpy(3), from
 *          one buffer to another; MB/s.
 *   copy-2 two such processes at once, one on each of the first two CPUs;
 *          MB/s of both together.  A pipe copies every byte twice (in and
 *          out); with the two copies on two CPUs its bandwidth can at most
 *          reach copy-2 / 2.
 *
 * Every measurement checks the data it moved, cheaply: the byte or message
 * counts of both sides must agree; the byte stream follows a pattern
 * (byte at offset o is o % 251) of which the first and last byte of every
 * read are checked (by the file workloads, every byte of the output file); ping-pong replies must be the request plus one; every
 * message must arrive whole, with its magic, from a known writer, in order
 * per writer.  A failed check or a hung measurement ends the program with
 * status 1: a broken subject cannot look fast.
 *
 * Output (stdout), between "PIPEBENCH-BEGIN" and "PIPEBENCH-END" lines:
 *   info KEY VALUE...
 *   run WORKLOAD SUBJECT REP VALUE UNIT            one per measurement
 *   stat WORKLOAD SUBJECT REP READS VCSW IVCSW SYS USER CPU
 *                                      per operation (a write; for lat a
 *                                      round trip; for file-* 64 KiB
 *                                      moved), over all processes:
 *                                      read calls, voluntary context switches
 *                                      (sleeps), involuntary ones
 *                                      (preemptions), system and user CPU µs
 *                                      (getrusage(), tick-sampled), and CPU µs
 *                                      as the scheduler counts it
 *                                      (CLOCK_PROCESS_CPUTIME_ID, exact: user
 *                                      and system together)
 *   state WORKLOAD minipipe REP WAKEUPS READ_SPINS WRITE_SPINS
 *                                      per operation, from the named
 *                                      minipipes' state files in debugfs
 *                                      (when mounted): wake-ups issued to a
 *                                      queue with a sleeper, waits ended by
 *                                      spinning
 *   result WORKLOAD SUBJECT MEDIAN MIN MAX UNIT    one per workload/subject
 *   cost WORKLOAD SUBJECT READS VCSW IVCSW SYS USER CPU   medians of the stats
 *   ratio WORKLOAD SUBJECT RATIO MIN MAX           SUBJECT / pipe: ratio of
 *                                                  the medians, and the
 *                                                  range of the per-repetition
 *                                                  ratios
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "minipipe_lib.h"
#include "monotonic.h"

#define PATTERN_MOD	251		/* prime: never lines up with a write size */
#define READ_BUF	65536
#define MAX_WRITE	65536
#define MAX_TASKS	16		/* writers (or readers) of m2m-16 */
#define M2M_MSG		100
#define M2M_MAGIC	0x6d706263u	/* "mpbc" */
#define MAX_REPS	100
#define COPY_BLOCK	65536
#define FILE_CHUNK	65536		/* the unit of the file-* workloads */
#define FILE_SIZE	(8 << 20)	/* their input and output files */
#define FILE_FILL	0xff		/* never in the pattern: output not written */
#define DEBUGFS_DIR	"/sys/kernel/debug/minipipe"

enum subject { S_PIPE, S_FIFO, S_MINIPIPE, S_ANON, NR_SUBJECTS };

static const char *const subject_names[NR_SUBJECTS] = {
	[S_PIPE]	= "pipe",
	[S_FIFO]	= "fifo",
	[S_MINIPIPE]	= "minipipe",
	[S_ANON]	= "minipipe-anon",
};

enum kind { K_BW, K_VMSPLICE, K_FILE_SPLICE, K_FILE_COPY, K_LAT, K_M2M, K_COPY };

struct workload {
	const char *name;
	enum kind kind;
	size_t size;		/* write size for K_BW */
	int tasks;		/* K_M2M: writers, and as many readers; K_COPY: copiers */
	const char *unit;
};

static const struct workload workloads[] = {
	{ "copy-1",	K_COPY,	COPY_BLOCK, 1,	"MB/s" },
	{ "copy-2",	K_COPY,	COPY_BLOCK, 2,	"MB/s" },
	{ "bw-1",	K_BW,	1,	1,	"MB/s" },
	{ "bw-64",	K_BW,	64,	1,	"MB/s" },
	{ "bw-512",	K_BW,	512,	1,	"MB/s" },
	{ "bw-4096",	K_BW,	4096,	1,	"MB/s" },
	{ "bw-65536",	K_BW,	65536,	1,	"MB/s" },
	{ "vms-65536",	K_VMSPLICE, 65536, 1,	"MB/s" },
	{ "file-splice-65536", K_FILE_SPLICE, FILE_CHUNK, 1, "MB/s" },
	{ "file-copy-65536", K_FILE_COPY, FILE_CHUNK, 1, "MB/s" },
	{ "lat",	K_LAT,	1,	1,	"us" },
	{ "m2m",	K_M2M,	M2M_MSG, 4,	"msg/s" },
	{ "m2m-16",	K_M2M,	M2M_MSG, MAX_TASKS, "msg/s" },
};

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define NR_WORKLOADS	ARRAY_SIZE(workloads)

/* Options. */
static double opt_duration = 1.0;
static double opt_warmup = 0.2;
static int opt_reps = 5;
static bool opt_pin = true;
static const char *opt_dev = "/dev/minipipe";
static const char *opt_fifo_dir = "/tmp";
static bool subject_on[NR_SUBJECTS];
static bool workload_on[NR_WORKLOADS];

static char fifo_path[2][4096];
static int ncpus;

#define MAX_CHILDREN	(2 * MAX_TASKS)

/* What the children report, in memory shared with the parent. */
struct shared {
	double t_start[MAX_TASKS];	/* writer (pinger, copier) start */
	double t_end[MAX_TASKS];	/* reader EOF (pinger, copier end) */
	uint64_t sent[MAX_TASKS];	/* bytes, round trips or messages */
	uint64_t received[MAX_TASKS];
	uint64_t writes[MAX_TASKS];	/* write calls that moved data */
	uint64_t reads[MAX_TASKS];	/* read calls that moved data */
	double cpu[MAX_CHILDREN];	/* each child's CPU seconds, from its start line on */
	char error[256];		/* first failed check, if any */
};

static struct shared *shm;
static volatile sig_atomic_t stop;	/* set by SIGALRM: the time is up */

/*
 * Where the time went in one measurement, over all its processes: system
 * calls, sleeps (voluntary context switches), preemptions and CPU time.
 */
struct cost {
	uint64_t ops;		/* writes (bw, m2m) or round trips (lat) */
	uint64_t reads;
	uint64_t vcsw, ivcsw;
	double user, sys;	/* seconds, getrusage(): tick-sampled */
	double cpu;		/* seconds, CLOCK_PROCESS_CPUTIME_ID: exact */
};

static struct cost cost;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fputs("pipebench: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* In a child: note the first failed check for the parent, then exit 1. */
static void child_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (!shm->error[0])
		vsnprintf(shm->error, sizeof(shm->error), fmt, ap);
	va_end(ap);
	_exit(1);
}

static void on_alarm(int sig)
{
	(void)sig;
	stop = 1;
}

/* In a child: set stop after @seconds. */
static void arm_stop(double seconds)
{
	struct itimerval it = { 0 };
	struct sigaction sa = { 0 };

	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	it.it_value.tv_sec = (time_t)seconds;
	it.it_value.tv_usec = (suseconds_t)((seconds - (time_t)seconds) * 1e6);
	if (!it.it_value.tv_sec && !it.it_value.tv_usec)
		it.it_value.tv_usec = 1;
	stop = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static void pin(int cpu)
{
	cpu_set_t set;

	if (!opt_pin || ncpus < 2)
		return;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		child_fail("sched_setaffinity(cpu %d): %s", cpu, strerror(errno));
}

/* ---------------------------------------------------------------------- */
/* Subjects                                                                */
/* ---------------------------------------------------------------------- */

struct chan {
	int rfd, wfd;
};

static const char *minipipe_path(int instance, char *buf, size_t len)
{
	if (!instance)
		return opt_dev;
	snprintf(buf, len, "%s%d", opt_dev, instance);
	return buf;
}

/* Open a named pipe without waiting: reader first, non-blocking. */
static void open_named(const char *path, struct chan *c)
{
	int flags;

	c->rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (c->rfd < 0)
		die("open %s for reading: %s", path, strerror(errno));
	c->wfd = open(path, O_WRONLY | O_CLOEXEC);
	if (c->wfd < 0)
		die("open %s for writing: %s", path, strerror(errno));
	flags = fcntl(c->rfd, F_GETFL);
	if (flags < 0 || fcntl(c->rfd, F_SETFL, flags & ~O_NONBLOCK))
		die("fcntl %s: %s", path, strerror(errno));
}

/* Instance 0 or 1 of subject @s; checks that it is what it claims to be. */
static void chan_open(enum subject s, int instance, struct chan *c)
{
	char buf[4096];
	int fds[2];
	bool want_mp = s == S_MINIPIPE || s == S_ANON;

	switch (s) {
	case S_PIPE:
		if (pipe2(fds, O_CLOEXEC))
			die("pipe2: %s", strerror(errno));
		c->rfd = fds[0];
		c->wfd = fds[1];
		break;
	case S_FIFO:
		open_named(fifo_path[instance], c);
		break;
	case S_MINIPIPE:
		open_named(minipipe_path(instance, buf, sizeof(buf)), c);
		break;
	case S_ANON:
		if (minipipe_pipe2(fds, O_CLOEXEC))
			die("minipipe_pipe2: %s (is minipipe.ko loaded?)", strerror(errno));
		c->rfd = fds[0];
		c->wfd = fds[1];
		break;
	default:
		die("bad subject %d", s);
	}
	if (minipipe_is_minipipe(c->rfd) != want_mp || minipipe_is_minipipe(c->wfd) != want_mp)
		die("subject %s: its ends are %sminipipes", subject_names[s], want_mp ? "not " : "");
}

static void chan_close(struct chan *c)
{
	close(c->rfd);
	close(c->wfd);
}

/* ---------------------------------------------------------------------- */
/* Processes                                                               */
/* ---------------------------------------------------------------------- */

/* The start line: children block reading it until the parent closes it. */
static int go_pipe[2];
static pid_t children[MAX_CHILDREN];
static int nchildren;
static int child_slot;		/* in a child: its index in children[] and shm->cpu[] */

static double cpu_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * In a child: the CPU time it spent from the start line to now, the only
 * part that is measured (its set-up before the start line is not).
 */
static void count_cpu(double since)
{
	shm->cpu[child_slot] = cpu_seconds() - since;
}

/* Wait for the start line; returns the CPU time so far, for count_cpu(). */
static double wait_go(void)
{
	char c;
	ssize_t n;

	close(go_pipe[1]);
	do
		n = read(go_pipe[0], &c, 1);
	while (n < 0 && errno == EINTR);
	if (n != 0)
		child_fail("start line: unexpected read result %zd", n);
	close(go_pipe[0]);
	return cpu_seconds();
}

/* Fork a child that runs @fn(@arg) after the start signal. */
static void spawn(void (*fn)(struct chan *, int), struct chan *c, int arg)
{
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		child_slot = nchildren;
		signal(SIGPIPE, SIG_DFL);
		fn(c, arg);
		_exit(0);
	}
	children[nchildren++] = pid;
}

static void hung(int sig)
{
	(void)sig;
}

/*
 * Start the children, wait for all of them (at most @limit seconds) and
 * return false, with a reason in shm->error, if any failed.
 */
static bool run_children(double limit)
{
	struct sigaction sa = { 0 };
	struct rusage ru;
	bool ok = true;
	int i, status;

	sa.sa_handler = hung;	/* no SA_RESTART: waitpid returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	alarm((unsigned int)limit + 1);

	close(go_pipe[0]);
	close(go_pipe[1]);
	for (i = 0; i < nchildren; i++) {
		while (wait4(children[i], &status, 0, &ru) < 0) {
			if (errno != EINTR)
				die("wait4: %s", strerror(errno));
			/* The time is up: whatever still runs is hung. */
			if (!shm->error[0])
				snprintf(shm->error, sizeof(shm->error),
					 "hung: still running after %.0f s", limit);
			for (int j = 0; j < nchildren; j++)
				kill(children[j], SIGKILL);
		}
		cost.vcsw += ru.ru_nvcsw;
		cost.ivcsw += ru.ru_nivcsw;
		cost.user += ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6;
		cost.sys += ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
		cost.cpu += shm->cpu[i];
		if (!WIFEXITED(status) || WEXITSTATUS(status)) {
			ok = false;
			if (!shm->error[0] && WIFSIGNALED(status))
				snprintf(shm->error, sizeof(shm->error), "a child died of signal %d",
					 WTERMSIG(status));
		}
	}
	alarm(0);
	nchildren = 0;
	return ok && !shm->error[0];
}

static void prepare(void)
{
	memset(shm, 0, sizeof(*shm));
	memset(&cost, 0, sizeof(cost));
	nchildren = 0;
	if (pipe2(go_pipe, O_CLOEXEC))
		die("pipe2: %s", strerror(errno));
}

/* ---------------------------------------------------------------------- */
/* Bandwidth                                                               */
/* ---------------------------------------------------------------------- */

static size_t bw_size;
static bool bw_vmsplice;	/* the writer vmsplices instead of writing */
static double run_seconds;

static void bw_writer(struct chan *c, int arg)
{
	static unsigned char pattern[MAX_WRITE + PATTERN_MOD];
	uint64_t off = 0;
	double cpu0;
	ssize_t n;
	size_t i;

	(void)arg;
	close(c->rfd);
	pin(1);
	for (i = 0; i < sizeof(pattern); i++)
		pattern[i] = i % PATTERN_MOD;
	cpu0 = wait_go();
	shm->t_start[0] = monotonic_seconds();
	arm_stop(run_seconds);
	while (!stop) {
		struct iovec iov = { pattern + off % PATTERN_MOD, bw_size };

		if (bw_vmsplice)
			n = minipipe_vmsplice(c->wfd, &iov, 1, 0);
		else
			n = write(c->wfd, iov.iov_base, bw_size);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			child_fail("%s: %s", bw_vmsplice ? "vmsplice" : "write", strerror(errno));
		}
		off += n;
		shm->writes[0]++;
	}
	shm->sent[0] = off;
	close(c->wfd);
	count_cpu(cpu0);
}

static void bw_reader(struct chan *c, int arg)
{
	static unsigned char buf[READ_BUF];
	uint64_t off = 0;
	double cpu0;
	ssize_t n;

	(void)arg;
	close(c->wfd);
	pin(0);
	memset(buf, 0, sizeof(buf));
	cpu0 = wait_go();
	for (;;) {
		n = read(c->rfd, buf, sizeof(buf));
		if (n < 0) {
			if (errno == EINTR)
				continue;
			child_fail("read: %s", strerror(errno));
		}
		if (!n)
			break;
		if (buf[0] != off % PATTERN_MOD ||
		    buf[n - 1] != (off + n - 1) % PATTERN_MOD)
			child_fail("data corrupted in the %zd bytes read at offset %llu",
				   n, (unsigned long long)off);
		off += n;
		shm->reads[0]++;
	}
	shm->t_end[0] = monotonic_seconds();
	shm->received[0] = off;
	count_cpu(cpu0);
}

static bool measure_bw(enum subject s, size_t size, bool vmsplice, double *value)
{
	struct chan c;

	bw_size = size;
	bw_vmsplice = vmsplice;
	prepare();
	chan_open(s, 0, &c);
	spawn(bw_reader, &c, 0);
	spawn(bw_writer, &c, 0);
	chan_close(&c);
	if (!run_children(run_seconds * 20 + 30))
		return false;
	if (shm->sent[0] != shm->received[0] || !shm->sent[0]) {
		snprintf(shm->error, sizeof(shm->error), "wrote %llu bytes, read %llu",
			 (unsigned long long)shm->sent[0], (unsigned long long)shm->received[0]);
		return false;
	}
	cost.ops = shm->writes[0];
	cost.reads = shm->reads[0];
	*value = shm->received[0] / (shm->t_end[0] - shm->t_start[0]) / 1e6;
	return true;
}

/* ---------------------------------------------------------------------- */
/* File round trip                                                         */
/* ---------------------------------------------------------------------- */

/*
 * The files of the file-* workloads, memfds (tmpfs: no disk, and no file
 * system needed in the VM), made once and kept for the whole run.  The
 * input holds the pattern from offset 0; the writer reads it round and
 * round.  The reader writes the output in place, from offset 0 to
 * FILE_SIZE and then from 0 again, and it is never truncated: its pages
 * are allocated once, by the first fill, so the measurements time the
 * pipe and the copies, not the page cache's allocations and frees.
 */
static int file_in = -1, file_out = -1;
static bool file_splice;	/* splice(2), else read(2) and write(2) */
static unsigned char file_pattern[FILE_CHUNK + PATTERN_MOD];
static unsigned char file_fill[FILE_CHUNK];

/* The 64 KiB of the input from offset @off on. */
static const unsigned char *pattern_from(uint64_t off)
{
	return file_pattern + off % PATTERN_MOD;
}

/* What byte @off of the output must be once @done bytes went through. */
static unsigned char file_expected(uint64_t off, uint64_t done)
{
	return off < done ? off % PATTERN_MOD : FILE_FILL;
}

static void pwrite_all(int fd, const void *buf, size_t len, off_t pos, const char *what)
{
	ssize_t n;

	while (len) {
		n = pwrite(fd, buf, len, pos);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			die("write %s: %s", what, n < 0 ? strerror(errno) : "wrote nothing");
		buf = (const char *)buf + n;
		len -= n;
		pos += n;
	}
}

static int make_memfd(const char *name)
{
	int fd = memfd_create(name, MFD_CLOEXEC);

	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	return fd;
}

static void file_setup(void)
{
	off_t pos;
	size_t i;

	if (file_in >= 0)
		return;
	for (i = 0; i < sizeof(file_pattern); i++)
		file_pattern[i] = i % PATTERN_MOD;
	memset(file_fill, FILE_FILL, sizeof(file_fill));
	file_in = make_memfd("pipebench-in");
	file_out = make_memfd("pipebench-out");
	for (pos = 0; pos < FILE_SIZE; pos += FILE_CHUNK)
		pwrite_all(file_in, pattern_from(pos), FILE_CHUNK, pos, "the input");
}

/*
 * The output after @bytes went through: its first @bytes (all of it once
 * they reach FILE_SIZE) are the input's, the rest is still the fill.
 */
static bool file_check(uint64_t bytes)
{
	static unsigned char buf[FILE_CHUNK];
	uint64_t done = bytes < FILE_SIZE ? bytes : FILE_SIZE;
	size_t i, head;
	off_t pos;
	ssize_t n;

	for (pos = 0; pos < FILE_SIZE; pos += FILE_CHUNK) {
		n = pread(file_out, buf, FILE_CHUNK, pos);
		if (n != FILE_CHUNK)
			die("read the output: %s", n < 0 ? strerror(errno) : "short");
		head = done > (uint64_t)pos ? done - pos : 0;
		if (head > FILE_CHUNK)
			head = FILE_CHUNK;
		if (memcmp(buf, pattern_from(pos), head) ||
		    memcmp(buf + head, file_fill, FILE_CHUNK - head)) {
			for (i = 0; buf[i] == file_expected(pos + i, done); i++)
				;
			snprintf(shm->error, sizeof(shm->error),
				 "after %llu bytes, the output differs from the input at offset %llu",
				 (unsigned long long)bytes, (unsigned long long)(pos + i));
			return false;
		}
	}
	return true;
}

/* In a child: a kernel pipe between the subject and a file that splice(2) needs. */
static void make_via(int via[2])
{
	if (pipe2(via, O_CLOEXEC))
		child_fail("pipe2: %s", strerror(errno));
}

/* Splice exactly @len bytes from kernel pipe @from to @fd (at *@pos if a file). */
static void splice_all(int from, int fd, loff_t *pos, size_t len)
{
	ssize_t n;

	while (len) {
		n = splice(from, NULL, fd, pos, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			child_fail("splice out of a pipe: %s", n < 0 ? strerror(errno) : "EOF");
		len -= n;
	}
}

static void write_all(int fd, const unsigned char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			child_fail("write: %s", n < 0 ? strerror(errno) : "wrote nothing");
		buf += n;
		len -= n;
	}
}

/*
 * Input to the subject, 64 KiB at a time.  splice(2) wants a kernel pipe
 * on one side, so into a minipipe the pages go through one (@via): the
 * file's splice_read puts references to its page cache into it, and the
 * minipipe's splice_write takes those references over, no byte copied.
 * Into a kernel pipe, the file splices straight in.  The copying baseline
 * reads the file into a buffer and writes that into the subject.
 */
static void file_writer(struct chan *c, int arg)
{
	static unsigned char buf[FILE_CHUNK];
	int via[2] = { -1, -1 };
	bool through = file_splice && minipipe_is_minipipe(c->wfd);
	loff_t pos = 0;
	uint64_t off = 0;
	double cpu0;
	ssize_t n;

	(void)arg;
	close(c->rfd);
	pin(1);
	if (through)
		make_via(via);
	cpu0 = wait_go();
	shm->t_start[0] = monotonic_seconds();
	arm_stop(run_seconds);
	while (!stop) {
		size_t len = FILE_SIZE - pos < FILE_CHUNK ? FILE_SIZE - pos : FILE_CHUNK;

		/* The splices move *pos on, pread(2) does not. */
		if (!file_splice)
			n = pread(file_in, buf, len, pos);
		else
			n = splice(file_in, &pos, through ? via[1] : c->wfd, NULL, len, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			child_fail("%s the input: %s", file_splice ? "splice" : "read",
				   n < 0 ? strerror(errno) : "EOF");
		/* Once taken from the input, it all goes into the subject. */
		if (!file_splice) {
			write_all(c->wfd, buf, n);
			pos += n;
		} else if (through) {
			splice_all(via[0], c->wfd, NULL, n);
		}
		if (pos == FILE_SIZE)
			pos = 0;
		off += n;
		shm->writes[0]++;
	}
	shm->sent[0] = off;
	close(c->wfd);
	count_cpu(cpu0);
}

/*
 * The subject to the output, the mirror of file_writer(): out of a
 * minipipe through a kernel pipe (the minipipe's splice_read hands it
 * references to the ring's pages), out of a kernel pipe straight into
 * the file, or read into a buffer and written from it.  Writing into the
 * file's page cache is a copy in every case: tmpfs takes no pages.
 */
static void file_reader(struct chan *c, int arg)
{
	static unsigned char buf[FILE_CHUNK];
	int via[2] = { -1, -1 };
	bool through = file_splice && minipipe_is_minipipe(c->rfd);
	loff_t pos = 0;
	uint64_t off = 0;
	double cpu0;
	ssize_t n;

	(void)arg;
	close(c->wfd);
	pin(0);
	if (through)
		make_via(via);
	cpu0 = wait_go();
	for (;;) {
		size_t len = FILE_SIZE - pos < FILE_CHUNK ? FILE_SIZE - pos : FILE_CHUNK;

		if (!file_splice)
			n = read(c->rfd, buf, len);
		else if (through)
			n = splice(c->rfd, NULL, via[1], NULL, len, 0);
		else
			n = splice(c->rfd, NULL, file_out, &pos, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			child_fail("%s: %s", file_splice ? "splice" : "read", strerror(errno));
		}
		if (!n)
			break;
		if (!file_splice) {
			pwrite_all(file_out, buf, n, pos, "the output");
			pos += n;
		} else if (through) {
			splice_all(via[0], file_out, &pos, n);
		}
		if (pos == FILE_SIZE)
			pos = 0;
		off += n;
		shm->reads[0]++;
	}
	shm->t_end[0] = monotonic_seconds();
	shm->received[0] = off;
	count_cpu(cpu0);
}

static bool measure_file(enum subject s, bool splice, double *value)
{
	struct chan c;
	off_t pos;

	file_splice = splice;
	file_setup();
	for (pos = 0; pos < FILE_SIZE; pos += FILE_CHUNK)
		pwrite_all(file_out, file_fill, FILE_CHUNK, pos, "the output");
	prepare();
	chan_open(s, 0, &c);
	spawn(file_reader, &c, 0);
	spawn(file_writer, &c, 0);
	chan_close(&c);
	if (!run_children(run_seconds * 20 + 30))
		return false;
	if (shm->sent[0] != shm->received[0] || !shm->sent[0]) {
		snprintf(shm->error, sizeof(shm->error), "sent %llu bytes, received %llu",
			 (unsigned long long)shm->sent[0], (unsigned long long)shm->received[0]);
		return false;
	}
	if (!file_check(shm->received[0]))
		return false;
	/* Per 64 KiB moved, as bw-65536 counts per 64 KiB write. */
	cost.ops = (shm->received[0] + FILE_CHUNK - 1) / FILE_CHUNK;
	cost.reads = shm->reads[0];
	*value = shm->received[0] / (shm->t_end[0] - shm->t_start[0]) / 1e6;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Latency                                                                 */
/* ---------------------------------------------------------------------- */

static struct chan lat_ping, lat_pong;

static void xwrite1(int fd, unsigned char b)
{
	ssize_t n;

	do
		n = write(fd, &b, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		child_fail("write: %s", n < 0 ? strerror(errno) : "short");
}

/* Returns false at EOF. */
static bool xread1(int fd, unsigned char *b)
{
	ssize_t n;

	do
		n = read(fd, b, 1);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		child_fail("read: %s", strerror(errno));
	return n == 1;
}

/* Sends a byte on ping, expects it plus one on pong, until the time is up. */
static void lat_pinger(struct chan *unused, int arg)
{
	uint64_t rounds = 0;
	unsigned char b;
	double cpu0;

	(void)unused;
	(void)arg;
	close(lat_ping.rfd);
	close(lat_pong.wfd);
	pin(0);
	cpu0 = wait_go();
	shm->t_start[0] = monotonic_seconds();
	arm_stop(run_seconds);
	while (!stop) {
		xwrite1(lat_ping.wfd, (unsigned char)rounds);
		if (!xread1(lat_pong.rfd, &b))
			child_fail("pong: EOF after %llu round trips", (unsigned long long)rounds);
		if (b != (unsigned char)(rounds + 1))
			child_fail("pong: got %u, want %u", b, (unsigned char)(rounds + 1));
		rounds++;
	}
	shm->t_end[0] = monotonic_seconds();
	shm->sent[0] = rounds;
	close(lat_ping.wfd);
	/* Wait for the ponger's EOF so that it has counted the last round. */
	if (xread1(lat_pong.rfd, &b))
		child_fail("pong: a reply nobody asked for");
	count_cpu(cpu0);
}

static void lat_ponger(struct chan *unused, int arg)
{
	uint64_t rounds = 0;
	unsigned char b;
	double cpu0;

	(void)unused;
	(void)arg;
	close(lat_ping.wfd);
	close(lat_pong.rfd);
	pin(1);
	cpu0 = wait_go();
	while (xread1(lat_ping.rfd, &b)) {
		xwrite1(lat_pong.wfd, (unsigned char)(b + 1));
		rounds++;
	}
	shm->received[0] = rounds;
	count_cpu(cpu0);
}

static bool measure_lat(enum subject s, double *value)
{
	prepare();
	chan_open(s, 0, &lat_ping);
	chan_open(s, 1, &lat_pong);
	spawn(lat_ponger, NULL, 0);
	spawn(lat_pinger, NULL, 0);
	chan_close(&lat_ping);
	chan_close(&lat_pong);
	if (!run_children(run_seconds * 20 + 30))
		return false;
	if (shm->sent[0] != shm->received[0] || !shm->sent[0]) {
		snprintf(shm->error, sizeof(shm->error), "pinged %llu times, ponged %llu",
			 (unsigned long long)shm->sent[0], (unsigned long long)shm->received[0]);
		return false;
	}
	cost.ops = shm->sent[0];
	cost.reads = 2 * shm->sent[0];
	*value = (shm->t_end[0] - shm->t_start[0]) / shm->sent[0] * 1e6;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Many to many                                                            */
/* ---------------------------------------------------------------------- */

struct message {
	uint32_t magic;
	uint32_t writer;
	uint32_t seq;		/* a run of seconds never wraps it */
	unsigned char pad[M2M_MSG - 12];
};

_Static_assert(sizeof(struct message) == M2M_MSG, "a message is 100 bytes");

static int m2m_tasks;		/* writers, and as many readers */

static void m2m_writer(struct chan *c, int id)
{
	struct message msg;
	double cpu0;
	ssize_t n;

	close(c->rfd);
	memset(&msg, 0, sizeof(msg));
	msg.magic = M2M_MAGIC;
	msg.writer = id;
	cpu0 = wait_go();
	shm->t_start[id] = monotonic_seconds();
	arm_stop(run_seconds);
	while (!stop) {
		n = write(c->wfd, &msg, sizeof(msg));
		if (n < 0 && errno == EINTR)
			continue;
		/* PIPE_BUF atomicity: all or nothing. */
		if (n != sizeof(msg))
			child_fail("writer %d: write returned %zd: %s", id, n,
				   n < 0 ? strerror(errno) : "short");
		msg.seq++;
	}
	shm->sent[id] = msg.seq;
	close(c->wfd);
	count_cpu(cpu0);
}

static void m2m_reader(struct chan *c, int id)
{
	uint32_t next[MAX_TASKS] = { 0 };
	uint64_t count = 0;
	struct message msg;
	double cpu0;
	ssize_t n;

	close(c->wfd);
	cpu0 = wait_go();
	for (;;) {
		n = read(c->rfd, &msg, sizeof(msg));
		if (n < 0 && errno == EINTR)
			continue;
		if (!n)
			break;
		/* Every slot holds whole messages: a read of 100 gets one whole. */
		if (n != sizeof(msg))
			child_fail("reader %d: read returned %zd: %s", id, n,
				   n < 0 ? strerror(errno) : "torn message");
		if (msg.magic != M2M_MAGIC || msg.writer >= (uint32_t)m2m_tasks ||
		    msg.seq < next[msg.writer])
			child_fail("reader %d: bad message (magic %#x, writer %u, seq %u)", id,
				   msg.magic, msg.writer, msg.seq);
		next[msg.writer] = msg.seq + 1;
		count++;
	}
	shm->t_end[id] = monotonic_seconds();
	shm->received[id] = count;
	count_cpu(cpu0);
}

static bool measure_m2m(enum subject s, int tasks, double *value)
{
	uint64_t sent = 0, received = 0;
	double start, end;
	struct chan c;
	int i;

	m2m_tasks = tasks;
	prepare();
	chan_open(s, 0, &c);
	for (i = 0; i < tasks; i++)
		spawn(m2m_reader, &c, i);
	for (i = 0; i < tasks; i++)
		spawn(m2m_writer, &c, i);
	chan_close(&c);
	if (!run_children(run_seconds * 20 + 30))
		return false;
	start = shm->t_start[0];
	end = shm->t_end[0];
	for (i = 0; i < tasks; i++) {
		sent += shm->sent[i];
		if (shm->t_start[i] < start)
			start = shm->t_start[i];
	}
	for (i = 0; i < tasks; i++) {
		received += shm->received[i];
		if (shm->t_end[i] > end)
			end = shm->t_end[i];
	}
	if (sent != received || !sent) {
		snprintf(shm->error, sizeof(shm->error), "sent %llu messages, received %llu",
			 (unsigned long long)sent, (unsigned long long)received);
		return false;
	}
	cost.ops = sent;
	cost.reads = received;
	*value = received / (end - start);
	return true;
}

/* ---------------------------------------------------------------------- */
/* The limit: memory copy                                                  */
/* ---------------------------------------------------------------------- */

/* Copies 64 KiB blocks between two buffers of its own until the time is up. */
static void copier(struct chan *unused, int id)
{
	unsigned char *src = aligned_alloc(4096, COPY_BLOCK);
	unsigned char *dst = aligned_alloc(4096, COPY_BLOCK);
	uint64_t blocks = 0;
	double cpu0;
	size_t i;

	(void)unused;
	if (!src || !dst)
		child_fail("copier %d: out of memory", id);
	pin(id);
	for (i = 0; i < COPY_BLOCK; i++)
		src[i] = i % PATTERN_MOD;
	memset(dst, 0, COPY_BLOCK);
	cpu0 = wait_go();
	shm->t_start[id] = monotonic_seconds();
	arm_stop(run_seconds);
	while (!stop) {
		memcpy(dst, src, COPY_BLOCK);
		/* The copy is used: the compiler may not drop it. */
		__asm__ __volatile__("" : : "r"(dst) : "memory");
		blocks++;
	}
	shm->t_end[id] = monotonic_seconds();
	if (memcmp(dst, src, COPY_BLOCK))
		child_fail("copier %d: the copy differs from its source", id);
	shm->sent[id] = blocks * COPY_BLOCK;
	count_cpu(cpu0);
}

/* @copiers processes copying at once, on CPUs 0, 1, ...: MB/s of all. */
static bool measure_copy(int copiers, double *value)
{
	double start, end;
	uint64_t bytes = 0;
	int i;

	if (copiers > ncpus) {
		snprintf(shm->error, sizeof(shm->error), "%d copiers need %d CPUs, there are %d",
			 copiers, copiers, ncpus);
		return false;
	}
	prepare();
	for (i = 0; i < copiers; i++)
		spawn(copier, NULL, i);
	if (!run_children(run_seconds * 20 + 30))
		return false;
	start = shm->t_start[0];
	end = shm->t_end[0];
	for (i = 0; i < copiers; i++) {
		bytes += shm->sent[i];
		if (shm->t_start[i] < start)
			start = shm->t_start[i];
		if (shm->t_end[i] > end)
			end = shm->t_end[i];
	}
	cost.ops = bytes / COPY_BLOCK;
	*value = bytes / (end - start) / 1e6;
	return true;
}

/* ---------------------------------------------------------------------- */
/* The named minipipes' own counters                                       */
/* ---------------------------------------------------------------------- */

enum { N_WAKEUPS, N_READ_SPINS, N_WRITE_SPINS, NR_STATE };

static const char *const state_keys[NR_STATE] = {
	[N_WAKEUPS]	= "wakeups",
	[N_READ_SPINS]	= "read_spins",
	[N_WRITE_SPINS]	= "write_spins",
};

/*
 * Add the totals of the state file of named minipipe @instance to @sum;
 * false if there is none (debugfs not mounted, or another device).
 */
static bool read_state(int instance, uint64_t sum[NR_STATE])
{
	char dev[4096], path[sizeof(dev) + sizeof(DEBUGFS_DIR)], line[256];
	const char *name;
	unsigned long long v;
	int i, found = 0;
	FILE *f;

	name = strrchr(minipipe_path(instance, dev, sizeof(dev)), '/');
	snprintf(path, sizeof(path), DEBUGFS_DIR "/%s", name ? name + 1 : dev);
	f = fopen(path, "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f)) {
		for (i = 0; i < NR_STATE; i++) {
			size_t len = strlen(state_keys[i]);

			if (!strncmp(line, state_keys[i], len) && line[len] == ':' &&
			    sscanf(line + len + 1, "%llu", &v) == 1) {
				sum[i] += v;
				found++;
			}
		}
	}
	fclose(f);
	return found == NR_STATE;
}

/* The totals of the named minipipes that workload @w uses (lat uses two). */
static bool read_states(const struct workload *w, uint64_t sum[NR_STATE])
{
	memset(sum, 0, NR_STATE * sizeof(*sum));
	return read_state(0, sum) && (w->kind != K_LAT || read_state(1, sum));
}

/* ---------------------------------------------------------------------- */
/* Driver                                                                  */
/* ---------------------------------------------------------------------- */

static const char *subject_label(const struct workload *w, enum subject s)
{
	return w->kind == K_COPY ? "memcpy" : subject_names[s];
}

static double measure(const struct workload *w, enum subject s, double seconds)
{
	double value = 0;
	bool ok = false;

	run_seconds = seconds;
	switch (w->kind) {
	case K_BW:
	case K_VMSPLICE:
		ok = measure_bw(s, w->size, w->kind == K_VMSPLICE, &value);
		break;
	case K_FILE_SPLICE:
	case K_FILE_COPY:
		ok = measure_file(s, w->kind == K_FILE_SPLICE, &value);
		break;
	case K_LAT:
		ok = measure_lat(s, &value);
		break;
	case K_M2M:
		ok = measure_m2m(s, w->tasks, &value);
		break;
	case K_COPY:
		ok = measure_copy(w->tasks, &value);
		break;
	}
	if (!ok) {
		printf("error %s %s %s\n", w->name, subject_label(w, s), shm->error);
		printf("PIPEBENCH-END failed\n");
		fflush(stdout);
		die("%s on %s: %s", w->name, subject_label(w, s),
		    shm->error[0] ? shm->error : "a child failed");
	}
	return value;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double median(const double *v, int n)
{
	double s[MAX_REPS];

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void min_max(const double *v, int n, double *lo, double *hi)
{
	int i;

	*lo = *hi = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < *lo)
			*lo = v[i];
		if (v[i] > *hi)
			*hi = v[i];
	}
}

/* The cost figures of one measurement, per operation. */
enum { C_READS, C_VCSW, C_IVCSW, C_SYS, C_USER, C_CPU, NR_COSTS };

static void cost_per_op(double c[NR_COSTS])
{
	double ops = cost.ops;

	c[C_READS] = cost.reads / ops;
	c[C_VCSW] = cost.vcsw / ops;
	c[C_IVCSW] = cost.ivcsw / ops;
	c[C_SYS] = cost.sys * 1e6 / ops;
	c[C_USER] = cost.user * 1e6 / ops;
	c[C_CPU] = cost.cpu * 1e6 / ops;
}

/* The limit workloads: no subjects, one measurement per repetition. */
static void run_copy_workload(const struct workload *w)
{
	double v[MAX_REPS], lo, hi;
	int rep;

	if (opt_warmup > 0)
		measure(w, S_PIPE, opt_warmup);
	for (rep = 0; rep < opt_reps; rep++) {
		v[rep] = measure(w, S_PIPE, opt_duration);
		printf("run %s memcpy %d %.6g %s\n", w->name, rep + 1, v[rep], w->unit);
	}
	min_max(v, opt_reps, &lo, &hi);
	printf("result %s memcpy %.6g %.6g %.6g %s\n", w->name, median(v, opt_reps), lo, hi,
	       w->unit);
	fflush(stdout);
}

static void run_workload(const struct workload *w)
{
	double v[NR_SUBJECTS][MAX_REPS], lo, hi, ratios[MAX_REPS];
	double c[NR_SUBJECTS][NR_COSTS][MAX_REPS], one[NR_COSTS];
	uint64_t before[NR_STATE], after[NR_STATE];
	bool have_state;
	int rep, k, s, i;

	if (w->kind == K_COPY) {
		run_copy_workload(w);
		return;
	}

	/* Warm-up: page allocations, caches; not counted. */
	if (opt_warmup > 0)
		for (s = 0; s < NR_SUBJECTS; s++)
			if (subject_on[s])
				measure(w, s, opt_warmup);

	/* A B C D, B C D A, ...: interleaved, and nobody always goes first. */
	for (rep = 0; rep < opt_reps; rep++) {
		for (k = 0; k < NR_SUBJECTS; k++) {
			s = (rep + k) % NR_SUBJECTS;
			if (!subject_on[s])
				continue;
			have_state = s == S_MINIPIPE && read_states(w, before);
			v[s][rep] = measure(w, s, opt_duration);
			cost_per_op(one);
			for (i = 0; i < NR_COSTS; i++)
				c[s][i][rep] = one[i];
			printf("run %s %s %d %.6g %s\n", w->name, subject_names[s], rep + 1,
			       v[s][rep], w->unit);
			printf("stat %s %s %d %.4g %.4g %.4g %.4g %.4g %.4g\n", w->name,
			       subject_names[s], rep + 1, one[C_READS], one[C_VCSW], one[C_IVCSW],
			       one[C_SYS], one[C_USER], one[C_CPU]);
			if (have_state && read_states(w, after))
				printf("state %s %s %d %.4g %.4g %.4g\n", w->name, subject_names[s],
				       rep + 1, (double)(after[N_WAKEUPS] - before[N_WAKEUPS]) / cost.ops,
				       (double)(after[N_READ_SPINS] - before[N_READ_SPINS]) / cost.ops,
				       (double)(after[N_WRITE_SPINS] - before[N_WRITE_SPINS]) / cost.ops);
			fflush(stdout);
		}
	}
	for (s = 0; s < NR_SUBJECTS; s++) {
		if (!subject_on[s])
			continue;
		min_max(v[s], opt_reps, &lo, &hi);
		printf("result %s %s %.6g %.6g %.6g %s\n", w->name, subject_names[s],
		       median(v[s], opt_reps), lo, hi, w->unit);
		printf("cost %s %s", w->name, subject_names[s]);
		for (i = 0; i < NR_COSTS; i++)
			printf(" %.4g", median(c[s][i], opt_reps));
		printf("\n");
	}
	if (subject_on[S_PIPE]) {
		for (s = 0; s < NR_SUBJECTS; s++) {
			if (s == S_PIPE || !subject_on[s])
				continue;
			for (rep = 0; rep < opt_reps; rep++)
				ratios[rep] = v[s][rep] / v[S_PIPE][rep];
			min_max(ratios, opt_reps, &lo, &hi);
			printf("ratio %s %s %.4f %.4f %.4f\n", w->name, subject_names[s],
			       median(v[s], opt_reps) / median(v[S_PIPE], opt_reps), lo, hi);
		}
	}
	fflush(stdout);
}

static const char *subject_name(size_t i)
{
	return subject_names[i];
}

static const char *workload_name(size_t i)
{
	return workloads[i].name;
}

/* Parse a comma-separated list of names into @on; false on an unknown one. */
static bool parse_list(char *list, const char *(*name)(size_t), size_t n, bool *on)
{
	char *tok, *save = NULL;
	size_t i;

	memset(on, 0, n * sizeof(*on));
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < n && strcmp(tok, name(i)); i++)
			;
		if (i == n)
			return false;
		on[i] = true;
	}
	return true;
}

static void usage(void)
{
	size_t i;

	fprintf(stderr,
		"usage: pipebench [-t SECONDS] [-r REPS] [-W SECONDS] [-s SUBJECTS] [-w WORKLOADS]\n"
		"                 [-d DEVICE] [-f FIFO_DIR] [-P]\n"
		"  -t  seconds per measurement (default 1)\n"
		"  -r  repetitions per subject and workload, 1-%d (default 5)\n"
		"  -W  warm-up seconds per subject and workload, not counted (default 0.2)\n"
		"  -s  subjects, comma-separated (default all):", MAX_REPS);
	for (i = 0; i < NR_SUBJECTS; i++)
		fprintf(stderr, " %s", subject_names[i]);
	fprintf(stderr, "\n  -w  workloads, comma-separated (default all):");
	for (i = 0; i < NR_WORKLOADS; i++)
		fprintf(stderr, " %s", workloads[i].name);
	fprintf(stderr,
		"\n  -d  first named minipipe (default /dev/minipipe; latency also uses <DEVICE>1)\n"
		"  -f  directory for the FIFOs (default /tmp)\n"
		"  -P  do not pin the processes of bw and lat to CPUs 0 and 1\n");
	exit(2);
}

static double parse_seconds(const char *arg)
{
	char *end;
	double v = strtod(arg, &end);

	if (*end || !(v >= 0) || v > 3600)
		usage();
	return v;
}

static void remove_fifos(void)
{
	unlink(fifo_path[0]);
	unlink(fifo_path[1]);
}

int main(int argc, char **argv)
{
	struct utsname u;
	size_t i;
	int opt, s;

	for (i = 0; i < NR_SUBJECTS; i++)
		subject_on[i] = true;
	for (i = 0; i < NR_WORKLOADS; i++)
		workload_on[i] = true;
	while ((opt = getopt(argc, argv, "t:r:W:s:w:d:f:Ph")) != -1) {
		switch (opt) {
		case 't':
			opt_duration = parse_seconds(optarg);
			if (opt_duration <= 0)
				usage();
			break;
		case 'r':
			opt_reps = atoi(optarg);
			if (opt_reps < 1 || opt_reps > MAX_REPS)
				usage();
			break;
		case 'W':
			opt_warmup = parse_seconds(optarg);
			break;
		case 's':
			if (!parse_list(optarg, subject_name, NR_SUBJECTS, subject_on))
				usage();
			break;
		case 'w':
			if (!parse_list(optarg, workload_name, NR_WORKLOADS, workload_on))
				usage();
			break;
		case 'd':
			opt_dev = optarg;
			break;
		case 'f':
			opt_fifo_dir = optarg;
			break;
		case 'P':
			opt_pin = false;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();

	setvbuf(stdout, NULL, _IOLBF, 0);
	ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	shm = mmap(NULL, sizeof(*shm), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	/* A reader that dies must not take the parent with it. */
	signal(SIGPIPE, SIG_IGN);

	if (subject_on[S_FIFO]) {
		for (i = 0; i < 2; i++) {
			snprintf(fifo_path[i], sizeof(fifo_path[i]), "%s/pipebench-%d-%zu",
				 opt_fifo_dir, (int)getpid(), i);
			if (mkfifo(fifo_path[i], 0600))
				die("mkfifo %s: %s", fifo_path[i], strerror(errno));
		}
		atexit(remove_fifos);
	}

	uname(&u);
	printf("PIPEBENCH-BEGIN 1\n");
	printf("info kernel %s\n", u.release);
	printf("info cpus %d\n", ncpus);
	printf("info duration %g\n", opt_duration);
	printf("info warmup %g\n", opt_warmup);
	printf("info reps %d\n", opt_reps);
	printf("info pin %d\n", opt_pin && ncpus >= 2);
	printf("info subjects");
	for (s = 0; s < NR_SUBJECTS; s++)
		if (subject_on[s])
			printf(" %s", subject_names[s]);
	printf("\n");
	for (i = 0; i < NR_WORKLOADS; i++)
		if (workload_on[i])
			run_workload(&workloads[i]);
	printf("PIPEBENCH-END ok\n");
	return 0;
}
