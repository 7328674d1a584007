// SPDX-License-Identifier: GPL-2.0
/*
 * Packet mode (O_DIRECT): pipe2(O_DIRECT) for the anonymous variants,
 * fcntl(F_SETFL, O_DIRECT) on the write end for the named ones (and for
 * every variant in the "setfl" tests).  Rules (docs/semantics.md)
 * R120-R122, R3, R30, R33, R90, R111 (LTP pipe2_03).
 */
#include "minipipe_test.h"

TST_FIXTURE(packet)

/*
 * Make the fixture's pair a packet-mode pair: a new pipe2(O_DIRECT) pair
 * where there is a pipe2(), else O_DIRECT set on the write end.
 */
static int packet_pair(struct tst_pipe *m)
{
	int fds[2];

	if (!tst_is_anon(m))
		return tst_set_direct(m->wfd, true);
	if (tst_pipe2(m, fds, O_DIRECT))
		return -1;
	tst_close_pair(m);
	m->rfd = fds[0];
	m->wfd = fds[1];
	return 0;
}

#define TST_START_PACKET() do {						\
	TST_START();							\
	ASSERT_EQ(0, packet_pair(&self->pipe));				\
	ASSERT_EQ(O_DIRECT, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);	\
} while (0)

/* Free slots: non-blocking page writes until EAGAIN (<= 64 tries). */
static int free_slots(int wfd)
{
	static char page[TST_PAGE];
	bool nb = tst_is_nonblock(wfd);
	int n = 0;
	ssize_t r = 0;

	tst_set_nonblock(wfd, true);
	while (n <= 64 && (r = write(wfd, page, sizeof(page))) == TST_PAGE)
		n++;
	if (r != -1 || errno != EAGAIN)
		n = -1;
	tst_set_nonblock(wfd, nb);
	return n;
}

/*
 * R120, R121 (P50, LTP pipe2_03): a write is cut into packets of at most
 * PIPE_BUF bytes, and a read returns at most one packet: 5000 -> 4096 +
 * 904, 10000 -> 4096 + 4096 + 1808.
 */
TEST_F(packet, write_split_into_packets)
{
	static char buf[16384];

	TST_START_PACKET();
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 1, 0));
	ASSERT_EQ(5000, tst_nread(self->pipe.rfd));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(904, read(self->pipe.rfd, buf + 4096, sizeof(buf) - 4096));
	ASSERT_EQ(-1, tst_check_pattern(buf, 5000, 1, 0));
	ASSERT_EQ(10000, tst_write_pattern(self->pipe.wfd, 10000, 2, 0));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf + 4096, sizeof(buf) - 4096));
	ASSERT_EQ(1808, read(self->pipe.rfd, buf + 8192, sizeof(buf) - 8192));
	ASSERT_EQ(-1, tst_check_pattern(buf, 10000, 2, 0));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/*
 * R121 (P50): a read shorter than the packet returns its start and
 * discards the rest; the next read starts at the next packet.
 */
TEST_F(packet, short_read_discards_rest)
{
	char buf[16] = "";

	TST_START_PACKET();
	ASSERT_EQ(5, write(self->pipe.wfd, "abcde", 5));
	ASSERT_EQ(3, write(self->pipe.wfd, "fgh", 3));
	ASSERT_EQ(8, tst_nread(self->pipe.rfd));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, 2));
	ASSERT_EQ(0, memcmp(buf, "ab", 2));
	ASSERT_EQ(3, tst_nread(self->pipe.rfd));
	ASSERT_EQ(3, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "fgh", 3));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	/* A one-byte read of a page-sized packet drops 4095 bytes. */
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 3, 0));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, 1));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
}

/* R121, R90 (P50): FIONREAD counts every queued byte of every packet. */
TEST_F(packet, fionread_counts_all)
{
	char buf[8];

	TST_START_PACKET();
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 4, 0));
	ASSERT_EQ(8, write(self->pipe.wfd, "12345678", 8));
	ASSERT_EQ(5008, tst_nread(self->pipe.rfd));
	ASSERT_EQ(5008, tst_nread(self->pipe.wfd));
	ASSERT_EQ(8, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(904 + 8, tst_nread(self->pipe.rfd));
}

/*
 * R122 (P51): capacity is 16 packets: 16 one-byte writes fill a default
 * pipe (no POLLOUT), the 17th gets EAGAIN; a read frees one packet.
 */
TEST_F(packet, one_byte_packets_fill)
{
	char buf[64];
	int i;

	TST_START_PACKET();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	for (i = 0; i < TST_SLOTS; i++)
		ASSERT_EQ(1, write(self->pipe.wfd, "0123456789abcdef" + i, 1));
	ASSERT_EQ(TST_SLOTS, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(-1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(EAGAIN, errno);
	/* One packet per read, whatever the buffer size. */
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('0', buf[0]);
	ASSERT_EQ(POLLOUT | POLLWRNORM, tst_revents(self->pipe.wfd, TST_POLL_ALL));
	ASSERT_EQ(1, write(self->pipe.wfd, "x", 1));
	ASSERT_EQ(-1, write(self->pipe.wfd, "y", 1));
	ASSERT_EQ(EAGAIN, errno);
	for (i = 1; i < TST_SLOTS; i++) {
		ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
		ASSERT_EQ("0123456789abcdef"[i], buf[0]);
	}
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('x', buf[0]);
}

/*
 * R33, R122: a non-blocking packet write larger than the room takes the
 * whole pages that fit (16 packets), and each read then takes one.
 */
TEST_F(packet, nonblock_large_write_partial)
{
	static char buf[8192];

	TST_START_PACKET();
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.wfd, true));
	ASSERT_EQ(TST_CAPACITY, tst_write_pattern(self->pipe.wfd, 70000, 5, 0));
	ASSERT_EQ(TST_CAPACITY, tst_nread(self->pipe.rfd));
	ASSERT_EQ(100, read(self->pipe.rfd, buf, 100));
	ASSERT_EQ(-1, tst_check_pattern(buf, 100, 5, 0));
	ASSERT_EQ(TST_CAPACITY - 4096, tst_nread(self->pipe.rfd));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 4096, 5, 4096));
}

/*
 * R121, R30: a zero-length write makes no packet (no POLLIN, nothing to
 * read), also between two packets.
 */
TEST_F(packet, zero_length_write_no_packet)
{
	char buf[8];

	TST_START_PACKET();
	ASSERT_EQ(0, write(self->pipe.wfd, "z", 0));
	ASSERT_EQ(0, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_revents(self->pipe.rfd, TST_POLL_ALL));
	ASSERT_EQ(0, tst_set_nonblock(self->pipe.rfd, true));
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(1, write(self->pipe.wfd, "a", 1));
	ASSERT_EQ(0, write(self->pipe.wfd, "z", 0));
	ASSERT_EQ(1, write(self->pipe.wfd, "b", 1));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('a', buf[0]);
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('b', buf[0]);
	ASSERT_EQ(-1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	/* 16 packets still fit: the empty writes took no slot. */
	ASSERT_EQ(TST_SLOTS, free_slots(self->pipe.wfd));
}

/*
 * R120, R3 (P52): O_DIRECT set later with F_SETFL makes the following
 * writes packets; cleared again, writes merge again.  The merge step of
 * a write looks only at the last slot (pipe_write() tests its
 * PIPE_BUF_FLAG_CAN_MERGE, not the writer's mode), so a packet write's
 * n % PAGE_SIZE head still joins a stream slot before it; a packet slot
 * takes nothing.  A read that reaches a packet ends with it.
 */
TEST_F(packet, setfl_later_and_back)
{
	static char buf[8192];

	TST_START();
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);
	ASSERT_EQ(2, write(self->pipe.wfd, "ab", 2));
	ASSERT_EQ(1, write(self->pipe.wfd, "c", 1));
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(O_DIRECT, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);
	ASSERT_EQ(2, write(self->pipe.wfd, "de", 2));		/* joins "abc" */
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 6, 0)); /* packet */
	ASSERT_EQ(2, write(self->pipe.wfd, "fg", 2));		/* packet */
	ASSERT_EQ(2, write(self->pipe.wfd, "hi", 2));		/* packet */
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, false));
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_GETFL) & O_DIRECT);
	ASSERT_EQ(2, write(self->pipe.wfd, "jk", 2));		/* new slot */
	ASSERT_EQ(2, write(self->pipe.wfd, "lm", 2));		/* joins "jk" */
	ASSERT_EQ(4096 + 13, tst_nread(self->pipe.rfd));
	/* Slots "abcde", the page, "fg", "hi", "jklm": 11 pages still fit. */
	ASSERT_EQ(TST_SLOTS - 5, free_slots(self->pipe.wfd));
	ASSERT_EQ(5, read(self->pipe.rfd, buf, 5));
	ASSERT_EQ(0, memcmp(buf, "abcde", 5));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 4096, 6, 0));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "fg", 2));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "hi", 2));
	ASSERT_EQ(4, read(self->pipe.rfd, buf, 4));
	ASSERT_EQ(0, memcmp(buf, "jklm", 4));
	ASSERT_EQ((TST_SLOTS - 5) * TST_PAGE, tst_nread(self->pipe.rfd));
}

/*
 * R3, R120: a 5000-byte packet write after stream data: its 904-byte
 * head joins the stream slot, the other 4096 bytes make one packet.
 */
TEST_F(packet, packet_head_joins_stream_slot)
{
	static char buf[8192];

	TST_START();
	ASSERT_EQ(2, write(self->pipe.wfd, "ab", 2));
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(5000, tst_write_pattern(self->pipe.wfd, 5000, 7, 0));
	ASSERT_EQ(5002, tst_nread(self->pipe.rfd));
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, false));
	ASSERT_EQ(TST_SLOTS - 2, free_slots(self->pipe.wfd));
	ASSERT_EQ(906, read(self->pipe.rfd, buf, 906));
	ASSERT_EQ(0, memcmp(buf, "ab", 2));
	ASSERT_EQ(-1, tst_check_pattern(buf + 2, 904, 7, 0));
	ASSERT_EQ(4096, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(-1, tst_check_pattern(buf, 4096, 7, 904));
}

/*
 * R3, R120, R121: nothing merges into a packet; a read that runs out of
 * room inside a packet after stream bytes takes the packet's start and
 * drops its rest.  (The stream slot is made full first, so that the
 * packet cannot join it.)
 */
TEST_F(packet, stream_and_packets_mixed)
{
	static char buf[TST_PAGE];

	TST_START();
	memset(buf, 'f', sizeof(buf));
	memcpy(buf + TST_PAGE - 2, "xy", 2);
	ASSERT_EQ(TST_PAGE, write(self->pipe.wfd, buf, TST_PAGE));
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	ASSERT_EQ(4, write(self->pipe.wfd, "PQRS", 4));
	ASSERT_EQ(1, write(self->pipe.wfd, "T", 1));
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, false));
	ASSERT_EQ(2, write(self->pipe.wfd, "zz", 2));
	ASSERT_EQ(2, write(self->pipe.wfd, "ww", 2));
	/* Slots: the page, "PQRS", "T", "zzww". */
	ASSERT_EQ(TST_SLOTS - 4, free_slots(self->pipe.wfd));
	ASSERT_EQ(TST_PAGE - 2, read(self->pipe.rfd, buf, TST_PAGE - 2));
	ASSERT_EQ(3, read(self->pipe.rfd, buf, 3));
	ASSERT_EQ(0, memcmp(buf, "xyP", 3));
	ASSERT_EQ(1, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ('T', buf[0]);
	ASSERT_EQ(4, read(self->pipe.rfd, buf, 4));
	ASSERT_EQ(0, memcmp(buf, "zzww", 4));
	ASSERT_EQ((TST_SLOTS - 4) * TST_PAGE, tst_nread(self->pipe.rfd));
}

/* R121: the reader's own O_DIRECT changes nothing: stream writes merge. */
TEST_F(packet, reader_odirect_irrelevant)
{
	char buf[16] = "";

	TST_START();
	ASSERT_EQ(0, tst_set_direct(self->pipe.rfd, true));
	ASSERT_EQ(O_DIRECT, fcntl(self->pipe.rfd, F_GETFL) & O_DIRECT);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	ASSERT_EQ(3, write(self->pipe.wfd, "def", 3));
	ASSERT_EQ(TST_SLOTS - 1, free_slots(self->pipe.wfd));
	ASSERT_EQ(4, read(self->pipe.rfd, buf, 4));
	ASSERT_EQ(2, read(self->pipe.rfd, buf + 4, 2));
	ASSERT_EQ(0, memcmp(buf, "abcdef", 6));
}

/*
 * R120: packet mode belongs to the open file the write goes through: a
 * second writer opened without O_DIRECT writes a stream meanwhile.
 */
TEST_F(packet, per_open_file)
{
	char buf[16] = "";
	int w2;

	TST_START();
	if (!self->pipe.v->has_path)
		SKIP(return, "%s: no second writer can be opened", self->pipe.v->name);
	ASSERT_EQ(0, tst_set_direct(self->pipe.wfd, true));
	w2 = open(self->pipe.path, O_WRONLY | O_NONBLOCK);
	ASSERT_LE(0, w2);
	ASSERT_EQ(0, fcntl(w2, F_GETFL) & O_DIRECT);
	ASSERT_EQ(3, write(self->pipe.wfd, "pkt", 3));
	ASSERT_EQ(2, write(w2, "s1", 2));
	ASSERT_EQ(2, write(w2, "s2", 2));
	/* Joins the stream slot (R3: the last slot decides), then more stream. */
	ASSERT_EQ(3, write(self->pipe.wfd, "PKT", 3));
	ASSERT_EQ(2, write(w2, "s3", 2));
	ASSERT_EQ(3, write(self->pipe.wfd, "pk2", 3));
	ASSERT_EQ(2, read(self->pipe.rfd, buf, 2));
	ASSERT_EQ(0, memcmp(buf, "pk", 2));
	ASSERT_EQ(12, read(self->pipe.rfd, buf, sizeof(buf)));
	ASSERT_EQ(0, memcmp(buf, "s1s2PKTs3pk2", 12));
	close(w2);
}

TEST_HARNESS_MAIN
