// SPDX-License-Identifier: GPL-2.0
/*
 * Exercise 3 — a FIFO server and its client, through /dev/minipipe.
 *
 * Unrelated processes cannot share an anonymous pipe; they meet at a name.
 * The server opens the well-known request FIFO (/dev/minipipe) for reading:
 * that open() blocks until a client opens it for writing.  The client
 * sends a request and then opens the reply FIFO (/dev/minipipe1) for
 * reading, which blocks until the server opens it for writing and answers.
 * Before anyone is there, a non-blocking open for writing fails with ENXIO:
 * there is no reader to write to.
 *
 * Shows: open(O_WRONLY | O_NONBLOCK) with no reader is ENXIO; the server's
 * open(O_RDONLY) sleeps until the client comes; request and reply arrive.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define CLIENT_DELAY_MS	500

static char request_path[256] = "/dev/minipipe";
static char reply_path[256] = "/dev/minipipe1";

static int client(void)
{
	char request[128], reply[128] = "";
	ssize_t n;
	int fd;

	ex_msleep(CLIENT_DELAY_MS);
	fd = open(request_path, O_WRONLY);
	if (fd < 0) {
		perror("client: open request FIFO");
		return 1;
	}
	snprintf(request, sizeof(request), "hello from client %d", (int)getpid());
	printf("   client: opened %s after %d ms, sends \"%s\"\n", request_path,
	       CLIENT_DELAY_MS, request);
	if (ex_write_all(fd, request, strlen(request)))
		return 1;
	close(fd);		/* the server's read() sees EOF: the request is complete */

	fd = open(reply_path, O_RDONLY);
	if (fd < 0) {
		perror("client: open reply FIFO");
		return 1;
	}
	n = read(fd, reply, sizeof(reply) - 1);
	close(fd);
	if (n <= 0)
		return 1;
	reply[n] = '\0';
	printf("   client: reply \"%s\"\n", reply);
	for (n = 0; request[n]; n++)
		request[n] = toupper((unsigned char)request[n]);
	return strcmp(reply, request) ? 1 : 0;
}

/* With --kernel the two FIFOs are made with mkfifo(3) in a private directory. */
static void make_kernel_fifos(void)
{
	char dir[] = "/tmp/ex3-XXXXXX";

	if (!mkdtemp(dir))
		ex_die("mkdtemp: %m");
	snprintf(request_path, sizeof(request_path), "%s/request", dir);
	snprintf(reply_path, sizeof(reply_path), "%s/reply", dir);
	if (mkfifo(request_path, 0600) || mkfifo(reply_path, 0600))
		ex_die("mkfifo: %m");
}

static void remove_kernel_fifos(void)
{
	char *slash;

	unlink(request_path);
	unlink(reply_path);
	slash = strrchr(request_path, '/');
	*slash = '\0';
	rmdir(request_path);
}

int main(int argc, char **argv)
{
	char request[128];
	size_t have = 0;
	double t0, waited;
	int fd, first, i;
	ssize_t n;
	pid_t pid;

	ex_start(argc, argv, "exercise 3: a FIFO server and client (open blocks until the peer comes)",
		 "[REQUEST_FIFO REPLY_FIFO]", &first);
	if (ex_kernel)
		make_kernel_fifos();
	if (argc - first == 2) {
		snprintf(request_path, sizeof(request_path), "%s", argv[first]);
		snprintf(reply_path, sizeof(reply_path), "%s", argv[first + 1]);
	} else if (argc != first) {
		ex_die("give both FIFOs or none (try --help)");
	}
	printf("   requests through %s, replies through %s\n", request_path, reply_path);

	fd = open(request_path, O_WRONLY | O_NONBLOCK);
	ex_check(fd < 0 && errno == ENXIO,
		 "open(O_WRONLY | O_NONBLOCK) with no reader: %s (ENXIO expected)",
		 fd < 0 ? strerror(errno) : "succeeded");
	if (fd >= 0)
		close(fd);

	pid = fork();
	if (pid < 0)
		ex_die("fork: %m");
	if (pid == 0)
		exit(client());

	printf("   server: open(%s, O_RDONLY) ... (sleeps until a writer opens)\n", request_path);
	t0 = monotonic_seconds();
	fd = open(request_path, O_RDONLY);
	waited = monotonic_seconds() - t0;
	if (fd < 0)
		ex_die("server: open: %m");
	printf("   server: open() returned after %.2f s\n", waited);
	ex_check(waited >= (CLIENT_DELAY_MS - 50) / 1000.0,
		 "the server's open() slept until the client opened the other end (%.2f s)", waited);

	while ((n = read(fd, request + have, sizeof(request) - 1 - have)) > 0)
		have += n;
	close(fd);
	request[have] = '\0';
	printf("   server: request \"%s\", then EOF\n", request);
	ex_check(strncmp(request, "hello from client ", 18) == 0, "the request arrived whole");

	for (i = 0; request[i]; i++)
		request[i] = toupper((unsigned char)request[i]);
	fd = open(reply_path, O_WRONLY);	/* the client is opening it for reading */
	if (fd < 0)
		ex_die("server: open reply FIFO: %m");
	if (ex_write_all(fd, request, strlen(request)))
		ex_die("server: write reply: %m");
	close(fd);

	ex_check(ex_wait_ok(pid, "the client"), "the client got its reply");
	if (ex_kernel)
		remove_kernel_fifos();
	return ex_verdict("a FIFO's open blocks until the peer comes; requests and replies flow");
}
