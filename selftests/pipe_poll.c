// SPDX-License-Identifier: GPL-2.0
/*
 * poll/select/epoll on pipes: the exact revents table, per-slot POLLOUT,
 * the FIFO POLLHUP suppression, EPOLLET edges and wakeups.
 * docs/semantics.md section 4 (and R5, R64, R83).
 */
#include <sys/epoll.h>
#include <sys/select.h>

#include "minipipe_test.h"

TST_FIXTURE(poll)

#define RD_IN	(POLLIN | POLLRDNORM)			/* 0x041 */
#define WR_OUT	(POLLOUT | POLLWRNORM)			/* 0x104 */

/* Level-triggered epoll events of one fd, asked for TST_POLL_ALL. */
static int epoll_events(int fd)
{
	struct epoll_event ev = { .events = TST_POLL_ALL }, out;
	int ep = epoll_create1(EPOLL_CLOEXEC);
	int n;

	if (ep < 0)
		return -1;
	if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev)) {
		close(ep);
		return -1;
	}
	n = epoll_wait(ep, &out, 1, 0);
	close(ep);
	if (n < 0)
		return -1;
	return n ? (int)out.events : 0;
}

/* select() with timeout 0: bit 0 readable, bit 1 writable, bit 2 except. */
static int select_bits(int fd)
{
	struct timeval tv = { 0, 0 };
	fd_set r, w, e;
	int bits = 0;

	FD_ZERO(&r);
	FD_ZERO(&w);
	FD_ZERO(&e);
	FD_SET(fd, &r);
	FD_SET(fd, &w);
	FD_SET(fd, &e);
	if (select(fd + 1, &r, &w, &e, &tv) < 0)
		return -1;
	if (FD_ISSET(fd, &r))
		bits |= 1;
	if (FD_ISSET(fd, &w))
		bits |= 2;
	if (FD_ISSET(fd, &e))
		bits |= 4;
	return bits;
}

/* Number of events an epoll set reports right now. */
static int ep_ready(int ep)
{
	struct epoll_event out[4];

	return epoll_wait(ep, out, 4, 0);
}

/* R51: empty pipe, both ends open. */
TEST_F(poll, table_empty)
{
	TST_START();
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(WR_OUT, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R51: one byte queued. */
TEST_F(poll, table_data)
{
	TST_START();
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(RD_IN, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(WR_OUT, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R51: all slots used. */
TEST_F(poll, table_full)
{
	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(RD_IN, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R51: writers gone, data still queued: 0x51. */
TEST_F(poll, table_no_writers_data)
{
	TST_START();
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(RD_IN | POLLHUP, tst_revents(self->pipe.rfd, TST_POLL_ALL));
}

/* R51: writers gone, empty: POLLHUP only. */
TEST_F(poll, table_no_writers_empty)
{
	TST_START();
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(POLLHUP, tst_revents(self->pipe.rfd, TST_POLL_ALL));
}

/* R51: readers gone, empty: 0x10c. */
TEST_F(poll, table_no_readers_empty)
{
	TST_START();
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(WR_OUT | POLLERR, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R51: readers gone, full: POLLERR only. */
TEST_F(poll, table_no_readers_full)
{
	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(POLLERR, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R51: level-triggered epoll reports the same bits, read end. */
TEST_F(poll, epoll_table_read_end)
{
	TST_START();
	ASSERT_EQ(0, epoll_events(self->pipe.rfd));
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(RD_IN, epoll_events(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY - 4096, tst_fill(self->pipe.wfd));
	ASSERT_EQ(RD_IN, epoll_events(self->pipe.rfd));
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(RD_IN | POLLHUP, epoll_events(self->pipe.rfd));
	ASSERT_EQ(TST_CAPACITY - 4095, tst_drain(self->pipe.rfd));
	ASSERT_EQ(POLLHUP, epoll_events(self->pipe.rfd));
}

/* R51: level-triggered epoll reports the same bits, write end. */
TEST_F(poll, epoll_table_write_end)
{
	TST_START();
	ASSERT_EQ(WR_OUT, epoll_events(self->pipe.wfd));
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(0, epoll_events(self->pipe.wfd));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(POLLERR, epoll_events(self->pipe.wfd));
	/* Emptying needs a reader: do it from a new pair. */
	ASSERT_EQ(0, tst_open_pair(&self->pipe));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(WR_OUT | POLLERR, epoll_events(self->pipe.wfd));
}

/*
 * R53: poll() always adds POLLERR|POLLHUP, even to events = 0; other
 * bits are only reported when asked for.
 */
TEST_F(poll, hup_err_always_reported)
{
	TST_START();
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, 0));
	ASSERT_EQ(POLLIN, tst_revents(self->pipe.rfd, POLLIN));
	ASSERT_EQ(POLLRDNORM, tst_revents(self->pipe.rfd, POLLRDNORM));
	ASSERT_EQ(POLLOUT, tst_revents(self->pipe.wfd, POLLOUT));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, POLLIN));
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(POLLHUP, tst_revents(self->pipe.rfd, 0));
	ASSERT_EQ(0, tst_open_pair(&self->pipe));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(POLLERR, tst_revents(self->pipe.wfd, 0));
}

/*
 * R52, R5: POLLOUT means "a slot is free", not "a byte is free".  After a
 * 61441-byte write every slot is used: no POLLOUT, yet write(1) merges.
 * Reading part of a slot does not give POLLOUT back; freeing it does.
 */
TEST_F(poll, pollout_is_per_slot)
{
	static char buf[61441];

	TST_START();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(61441, write(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(1, write(self->pipe.wfd, buf, 1));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(4095, read(self->pipe.rfd, buf, 4095));
	ASSERT_EQ(WR_OUT, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	/* POLLOUT guarantees a PIPE_BUF write goes through at once. */
	ASSERT_EQ(4096, write(self->pipe.wfd, buf, 4096));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
}

/* R53: select() readable/writable follow the poll mask; never "except". */
TEST_F(poll, select_states)
{
	TST_START();
	ASSERT_EQ(0, select_bits(self->pipe.rfd));
	ASSERT_EQ(2, select_bits(self->pipe.wfd));
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(1, select_bits(self->pipe.rfd));
	ASSERT_EQ(2, select_bits(self->pipe.wfd));
	ASSERT_EQ(TST_CAPACITY - 4096, tst_fill(self->pipe.wfd));
	ASSERT_EQ(1, select_bits(self->pipe.rfd));
	ASSERT_EQ(0, select_bits(self->pipe.wfd));
}

/* R53: no writers -> "readable", and read returns 0. */
TEST_F(poll, select_no_writers_readable)
{
	char c;

	TST_START();
	tst_close(&self->pipe.wfd);
	ASSERT_EQ(1, select_bits(self->pipe.rfd));
	tst_watchdog(TST_WATCHDOG_SECS);
	ASSERT_EQ(0, read(self->pipe.rfd, &c, 1));
	tst_watchdog(0);
}

/*
 * R53: no readers -> "writable" (even when full), and write gets EPIPE.
 * POLLERR is in both POLLIN_SET and POLLOUT_SET, so select() also marks
 * the write end "readable".
 */
TEST_F(poll, select_no_readers_writable)
{
	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ASSERT_EQ(0, select_bits(self->pipe.wfd));
	tst_close(&self->pipe.rfd);
	ASSERT_EQ(3, select_bits(self->pipe.wfd));
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EPIPE, errno);
}

/*
 * R54, R81: a FIFO reader opened O_RDONLY|O_NONBLOCK with no writer gets
 * no POLLHUP (poll 0, select not readable) although read() returns 0,
 * until a writer has opened; after that writer closes, POLLHUP.
 */
TEST_F(poll, fifo_hup_suppressed_until_writer)
{
	char c;
	int r, w;

	TST_START_NAMED();
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	ASSERT_EQ(0, tst_revents(r, TST_POLL_ALL));
	ASSERT_EQ(0, select_bits(r));
	ASSERT_EQ(0, epoll_events(r));
	ASSERT_EQ(0, read(r, &c, 1));
	ASSERT_EQ(0, tst_revents(r, TST_POLL_ALL));

	w = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	ASSERT_EQ(0, tst_revents(r, TST_POLL_ALL));
	ASSERT_EQ(1, write(w, "x", 1));
	ASSERT_EQ(RD_IN, tst_revents(r, TST_POLL_ALL));
	ASSERT_EQ(1, read(r, &c, 1));
	close(w);
	ASSERT_EQ(POLLHUP, tst_revents(r, TST_POLL_ALL));
	ASSERT_EQ(1, select_bits(r));
	close(r);
}

/*
 * R54: the suppression is a per-open snapshot of the writer counter.
 * r1 (no writer yet) and r2 (opened while a writer is there) both get
 * POLLHUP once that writer leaves; r3, opened after it left, does not.
 */
TEST_F(poll, fifo_hup_snapshot_per_open)
{
	int r1, r2, r3, w;

	TST_START_NAMED();
	r1 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r1);
	w = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	r2 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r2);
	ASSERT_EQ(0, tst_revents(r1, TST_POLL_ALL));
	ASSERT_EQ(0, tst_revents(r2, TST_POLL_ALL));
	close(w);
	ASSERT_EQ(POLLHUP, tst_revents(r1, TST_POLL_ALL));
	ASSERT_EQ(POLLHUP, tst_revents(r2, TST_POLL_ALL));
	r3 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r3);
	ASSERT_EQ(0, tst_revents(r3, TST_POLL_ALL));
	ASSERT_EQ(0, select_bits(r3));
	ASSERT_EQ(POLLHUP, tst_revents(r1, TST_POLL_ALL));
	close(r1);
	close(r2);
	close(r3);
}

/*
 * R54: a reader that opened while a writer existed (here: a blocking
 * O_RDONLY open next to an O_RDWR fd) gets POLLHUP as soon as the
 * writers are gone.
 */
TEST_F(poll, fifo_reader_with_writer_gets_hup)
{
	int h, r;

	TST_START_NAMED();
	h = open(self->pipe.path, O_RDWR);
	ASSERT_LE(0, h);
	r = tst_open_timeout(self->pipe.path, O_RDONLY, TST_WATCHDOG_SECS);
	ASSERT_LE(0, r) TH_LOG("open O_RDONLY blocked with a writer present");
	ASSERT_EQ(0, tst_revents(r, TST_POLL_ALL));
	close(h);
	ASSERT_EQ(POLLHUP, tst_revents(r, TST_POLL_ALL));
	close(r);
}

/*
 * R54: while suppressed, poll() really blocks (it does not return
 * POLLHUP); it wakes when a writer comes and writes.
 */
TEST_F(poll, fifo_suppressed_poll_blocks)
{
	struct pollfd pfd;
	pid_t pid;
	int r, w;

	TST_START_NAMED();
	r = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r);
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		pfd.fd = r;
		pfd.events = POLLIN;
		tst_ready(&self->pipe);
		if (poll(&pfd, 1, -1) != 1)
			_exit(1);
		_exit(pfd.revents == POLLIN ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_TRUE(tst_stays_blocked(pid));
	w = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w);
	ASSERT_EQ(1, write(w, "x", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	close(w);
	close(r);
}

/*
 * R50, R83: an O_RDWR FIFO fd gets the union of both ends' bits and
 * never POLLHUP/POLLERR, since it is its own reader and writer.
 */
TEST_F(poll, fifo_rdwr_fd)
{
	int fd, r2, w2;

	TST_START_NAMED();
	fd = open(self->pipe.path, O_RDWR);
	ASSERT_LE(0, fd);
	ASSERT_EQ(WR_OUT, tst_revents(fd, TST_POLL_ALL));
	ASSERT_EQ(2, select_bits(fd));
	ASSERT_EQ(1, write(fd, "x", 1));
	ASSERT_EQ(RD_IN | WR_OUT, tst_revents(fd, TST_POLL_ALL));
	ASSERT_EQ(RD_IN | WR_OUT, epoll_events(fd));
	ASSERT_EQ(3, select_bits(fd));
	ASSERT_EQ(TST_CAPACITY - 4096, tst_fill(fd));
	ASSERT_EQ(RD_IN, tst_revents(fd, TST_POLL_ALL));
	/* Other readers/writers come and go: still no HUP/ERR. */
	r2 = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, r2);
	w2 = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w2);
	close(w2);
	close(r2);
	ASSERT_EQ(RD_IN, tst_revents(fd, TST_POLL_ALL));
	ASSERT_EQ(TST_CAPACITY - 4095, tst_drain(fd));
	ASSERT_EQ(WR_OUT, tst_revents(fd, TST_POLL_ALL));
	close(fd);
}

/*
 * R55 (P29): with EPOLLET on the read end every write is a new EPOLLIN
 * edge, even into a pipe that is not empty.
 */
TEST_F(poll, epollet_read_edge_every_write)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int ep;

	TST_START();
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->pipe.rfd, &ev));
	ASSERT_EQ(0, ep_ready(ep));
	ASSERT_EQ(1, write(self->pipe.wfd, "a", 1));
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	ASSERT_EQ(1, write(self->pipe.wfd, "b", 1));
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 1, 0));
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	close(ep);
}

/*
 * R55: on a FIFO a writer's open wakes the read end's queue
 * (wake_up_partner() in fifo_open()), so an EPOLLET reader gets a new
 * EPOLLIN edge when a writer comes while data waits.
 */
TEST_F(poll, epollet_read_edge_when_a_writer_opens)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	int ep, rfd, wfd;

	TST_START_NAMED();
	rfd = open(self->pipe.path, O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, rfd);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, rfd, &ev));
	wfd = open(self->pipe.path, O_WRONLY);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(1, write(wfd, "a", 1));
	close(wfd);
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	wfd = open(self->pipe.path, O_WRONLY);
	ASSERT_LE(0, wfd);
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	close(wfd);
	close(rfd);
	close(ep);
}

/*
 * R56 (P30): with EPOLLET on the write end of a full pipe, a read that
 * takes part of a slot gives no edge; the read that frees it does.
 */
TEST_F(poll, epollet_write_edge_on_free_slot)
{
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLET };
	char buf[4096];
	int ep;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->pipe.wfd, &ev));
	ASSERT_EQ(0, ep_ready(ep));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_EQ(0, ep_ready(ep));
	ASSERT_EQ(4095, read(self->pipe.rfd, buf, 4095));
	ASSERT_EQ(1, ep_ready(ep));
	ASSERT_EQ(0, ep_ready(ep));
	close(ep);
}

/* R57, R61: a poll() sleeping on an empty read end wakes on a write. */
TEST_F(poll, poll_wakes_on_write)
{
	struct pollfd pfd;
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		pfd.fd = self->pipe.rfd;
		pfd.events = POLLIN | POLLRDNORM;
		tst_ready(&self->pipe);
		if (poll(&pfd, 1, -1) != 1)
			_exit(1);
		_exit(pfd.revents == RD_IN ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R57, R64: a poll() sleeping on the read end wakes with POLLHUP. */
TEST_F(poll, poll_wakes_on_last_writer_close)
{
	struct pollfd pfd;
	pid_t pid;

	TST_START();
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.wfd);
		pfd.fd = self->pipe.rfd;
		pfd.events = POLLIN;
		tst_ready(&self->pipe);
		if (poll(&pfd, 1, -1) != 1)
			_exit(1);
		_exit(pfd.revents == POLLHUP ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.wfd);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/*
 * R57, R56, R62: a poll() sleeping on a full write end stays asleep while
 * a read only shortens a slot, and wakes when a slot is freed.
 */
TEST_F(poll, poll_wakes_on_free_slot)
{
	struct pollfd pfd;
	char buf[4096];
	pid_t pid;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		pfd.fd = self->pipe.wfd;
		pfd.events = POLLOUT | POLLWRNORM;
		tst_ready(&self->pipe);
		if (poll(&pfd, 1, -1) != 1)
			_exit(1);
		_exit(pfd.revents == WR_OUT ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_TRUE(tst_stays_blocked(pid));
	ASSERT_EQ(4095, read(self->pipe.rfd, buf, 4095));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R57, R64: a poll() sleeping on a full write end wakes with POLLERR. */
TEST_F(poll, poll_wakes_on_last_reader_close)
{
	struct pollfd pfd;
	pid_t pid;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		pfd.fd = self->pipe.wfd;
		pfd.events = POLLOUT;
		tst_ready(&self->pipe);
		if (poll(&pfd, 1, -1) != 1)
			_exit(1);
		_exit(pfd.revents == POLLERR ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	tst_close(&self->pipe.rfd);
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

/* R55, R57: an epoll_wait() sleeping on the read end wakes on a write. */
TEST_F(poll, epoll_wait_wakes_on_write)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	pid_t pid;
	int ep;

	TST_START();
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, self->pipe.rfd, &ev));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		tst_ready(&self->pipe);
		if (epoll_wait(ep, &out, 1, -1) != 1)
			_exit(1);
		_exit(out.events == EPOLLIN ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
	close(ep);
}

/* R53, R57: select() sleeping on a full write end wakes when a slot frees. */
TEST_F(poll, select_wakes_on_free_slot)
{
	char buf[4096];
	fd_set w;
	pid_t pid;

	TST_START();
	ASSERT_EQ(TST_CAPACITY, tst_fill(self->pipe.wfd));
	pid = tst_fork(&self->pipe);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(self->pipe.rfd);
		FD_ZERO(&w);
		FD_SET(self->pipe.wfd, &w);
		tst_ready(&self->pipe);
		if (select(self->pipe.wfd + 1, NULL, &w, NULL, NULL) != 1)
			_exit(1);
		_exit(FD_ISSET(self->pipe.wfd, &w) ? 0 : 2);
	}
	TST_ASSERT_BLOCKED(&self->pipe, pid);
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	TST_ASSERT_EXIT(&self->pipe, pid, 0);
}

TEST_HARNESS_MAIN
