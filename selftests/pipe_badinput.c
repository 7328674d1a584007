// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: NULL, unmapped, partly unmapped and kernel-space buffers,
 * bad iovecs, wrong-end I/O, unknown ioctls, mmap, seeking.  After each
 * error the pipe must still hold exactly the data it should.
 * Rules (docs/semantics.md) R10, R17-R19, R30, R40, R41, R43, R90-R92,
 * R110.
 *
 * 6.1 (unlike >= 6.15) can leave a zero-length slot after a failed write
 * (R8).  It is invisible to FIONREAD and read, so after write faults the
 * checks here use only those, and drain with reads larger than the data.
 */
#include <linux/fs.h>
#include <sys/uio.h>
#include <termios.h>

#include "minipipe_test.h"

TST_FIXTURE(bad)

/*
 * Raw system calls: the compiler rejects the deliberately bad arguments
 * (NULL with a size, oversized counts) when they go through libc.
 */
static ssize_t sys_read(int fd, void *buf, size_t len)
{
	return syscall(SYS_read, fd, buf, len);
}

static ssize_t sys_write(int fd, const void *buf, size_t len)
{
	return syscall(SYS_write, fd, buf, len);
}

static ssize_t sys_readv(int fd, const struct iovec *iov, int cnt)
{
	return syscall(SYS_readv, fd, iov, cnt);
}

static ssize_t sys_writev(int fd, const struct iovec *iov, int cnt)
{
	return syscall(SYS_writev, fd, iov, cnt);
}

/* A user address the kernel never lets user copies touch. */
#define KERNEL_ADDR	((void *)0xffffffff81000000ul)

/* Read back everything (non-blocking) and compare with the pattern. */
static void expect_contents(struct __test_metadata *_metadata, int rfd,
			    ssize_t len, unsigned int seed, size_t off)
{
	static char buf[2 * TST_CAPACITY];
	bool nb = tst_is_nonblock(rfd);

	ASSERT_EQ(len, tst_nread(rfd));
	ASSERT_EQ(0, tst_set_nonblock(rfd, true));
	if (len) {
		ASSERT_EQ(len, read(rfd, buf, sizeof(buf)));
		ASSERT_EQ(-1, tst_check_pattern(buf, len, seed, off));
	}
	ASSERT_EQ(-1, read(rfd, buf, sizeof(buf)));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, tst_set_nonblock(rfd, nb));
}

/* R17: read into NULL -> EFAULT; the data stays. */
TEST_F(bad, read_null_efault)
{
	TST_START();
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 1, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.rfd, NULL, 100));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 100, 1, 0);
}

/* R40: write from NULL -> EFAULT; nothing is queued; the pipe works on. */
TEST_F(bad, write_null_efault)
{
	TST_START();
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, NULL, 5));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 0, 0, 0);
	ASSERT_EQ(50, tst_write_pattern(self->pipe.wfd, 50, 2, 0));
	/* Also into a non-empty pipe (the merge path). */
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, NULL, 5));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 50, 2, 0);
}

/* R10, R30: zero-length I/O with a NULL buffer is fine and returns 0. */
TEST_F(bad, zero_length_null_ok)
{
	TST_START();
	ASSERT_EQ(0, write(self->pipe.wfd, NULL, 0));
	ASSERT_EQ(0, read(self->pipe.rfd, NULL, 0));
	ASSERT_EQ(7, tst_write_pattern(self->pipe.wfd, 7, 3, 0));
	ASSERT_EQ(0, read(self->pipe.rfd, NULL, 0));
	expect_contents(_metadata, self->pipe.rfd, 7, 3, 0);
}

/* R17: read into a PROT_NONE page -> EFAULT; the data stays. */
TEST_F(bad, read_prot_none_efault)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(100, tst_write_pattern(self->pipe.wfd, 100, 4, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.rfd, hole + TST_PAGE, 100));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 100, 4, 0);
}

/*
 * R17: data in two slots, read of 8192 into a buffer whose second page
 * is PROT_NONE: the first slot is copied and counted (4096), the second
 * stays in the pipe.
 */
TEST_F(bad, read_partly_unmapped_short)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(8192, tst_write_pattern(self->pipe.wfd, 8192, 5, 0));
	ASSERT_EQ(4096, read(self->pipe.rfd, hole, 8192));
	ASSERT_EQ(-1, tst_check_pattern(hole, 4096, 5, 0));
	expect_contents(_metadata, self->pipe.rfd, 4096, 5, 4096);
}

/*
 * R17: a slot whose copy faults half way is not consumed at all: EFAULT
 * if it was the first, the count so far otherwise.
 */
TEST_F(bad, read_fault_inside_slot)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	/* One slot of 4096 copied to [2048, 6144): faults after 2048. */
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 6, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.rfd, hole + 2048, 4096));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(4096, tst_nread(self->pipe.rfd));
	/* Slot A (1000) fits before the hole, slot B (4096) does not. */
	ASSERT_EQ(4096, read(self->pipe.rfd, hole, 4096));
	ASSERT_EQ(-1, tst_check_pattern(hole, 4096, 6, 0));
	ASSERT_EQ(1000, tst_write_pattern(self->pipe.wfd, 1000, 7, 0));
	ASSERT_EQ(4096, tst_write_pattern(self->pipe.wfd, 4096, 7, 1000));
	ASSERT_EQ(1000, read(self->pipe.rfd, hole + TST_PAGE - 1500, 5096));
	ASSERT_EQ(-1, tst_check_pattern(hole + TST_PAGE - 1500, 1000, 7, 0));
	expect_contents(_metadata, self->pipe.rfd, 4096, 7, 1000);
}

/* R40: write from a PROT_NONE page -> EFAULT; nothing is queued. */
TEST_F(bad, write_prot_none_efault)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, hole + TST_PAGE, 100));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 0, 0, 0);
	ASSERT_EQ(3, write(self->pipe.wfd, "abc", 3));
	ASSERT_EQ(3, tst_drain(self->pipe.rfd));
}

/*
 * R40 (P56): an 8192-byte write whose second page is PROT_NONE returns
 * 4096, and exactly the first page is queued.
 */
TEST_F(bad, write_partly_unmapped_short)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	tst_fill_pattern(hole, TST_PAGE, 8, 0);
	ASSERT_EQ(4096, write(self->pipe.wfd, hole, 8192));
	expect_contents(_metadata, self->pipe.rfd, 4096, 8, 0);
}

/*
 * R40: a page whose copy faults half way is thrown away: from offset 2048
 * of two good pages, 8192 bytes fault at 6144 -> only the first (whole)
 * page counts; a fault in the first page -> EFAULT, nothing queued.
 */
TEST_F(bad, write_fault_inside_page)
{
	char *hole = tst_hole_buf(2);

	TST_START();
	ASSERT_NE(NULL, hole);
	tst_fill_pattern(hole, 2 * TST_PAGE, 9, 0);
	ASSERT_EQ(4096, write(self->pipe.wfd, hole + 2048, 8192));
	expect_contents(_metadata, self->pipe.rfd, 4096, 9, 2048);
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, hole + 2 * TST_PAGE - 2048, 8192));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 0, 0, 0);
}

/*
 * R40: when the merge into the last slot faults part way, the partial
 * copy is dropped and the write fails with EFAULT.
 */
TEST_F(bad, write_fault_in_merge)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(10, tst_write_pattern(self->pipe.wfd, 10, 10, 0));
	tst_fill_pattern(hole + TST_PAGE - 10, 10, 10, 10);
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, hole + TST_PAGE - 10, 100));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(10, tst_nread(self->pipe.rfd));
	/* The next good write lands right after the 10 bytes. */
	ASSERT_EQ(10, write(self->pipe.wfd, hole + TST_PAGE - 10, 10));
	expect_contents(_metadata, self->pipe.rfd, 20, 10, 0);
}

/* R17, R40: kernel addresses -> EFAULT (access_ok), data intact. */
TEST_F(bad, kernel_address_efault)
{
	TST_START();
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, KERNEL_ADDR, 10));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(30, tst_write_pattern(self->pipe.wfd, 30, 11, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.rfd, KERNEL_ADDR, 10));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 30, 11, 0);
}

/* R17, R19: a count reaching past the user address space -> EFAULT. */
TEST_F(bad, huge_count_efault)
{
	static char buf[64];

	TST_START();
	ASSERT_EQ(30, tst_write_pattern(self->pipe.wfd, 30, 12, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.rfd, buf, SSIZE_MAX));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, sys_write(self->pipe.wfd, buf, SSIZE_MAX));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 30, 12, 0);
}

/*
 * R17, R43: readv whose second iovec is bad, with the data in one slot:
 * the slot's copy faults part way, so nothing is consumed -> EFAULT.
 */
TEST_F(bad, readv_bad_iovec)
{
	char a[10];
	struct iovec iov[2] = { { a, sizeof(a) }, { NULL, 10 } };

	TST_START();
	ASSERT_EQ(20, tst_write_pattern(self->pipe.wfd, 20, 13, 0));
	ASSERT_EQ(-1, sys_readv(self->pipe.rfd, iov, 2));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, sys_readv(self->pipe.rfd, NULL, 1));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, sys_readv(self->pipe.rfd, iov, IOV_MAX + 1));
	ASSERT_EQ(EINVAL, errno);
	expect_contents(_metadata, self->pipe.rfd, 20, 13, 0);
}

/* R40, R43: writev with a bad second iovec -> EFAULT, nothing queued. */
TEST_F(bad, writev_bad_iovec)
{
	char a[10] = "0123456789";
	struct iovec iov[2] = { { a, sizeof(a) }, { NULL, 10 } };

	TST_START();
	/* Empty pipe: new-slot path. */
	ASSERT_EQ(-1, sys_writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 0, 0, 0);
	/* Non-empty pipe: merge path. */
	ASSERT_EQ(5, tst_write_pattern(self->pipe.wfd, 5, 14, 0));
	ASSERT_EQ(-1, sys_writev(self->pipe.wfd, iov, 2));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, sys_writev(self->pipe.wfd, NULL, 1));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 5, 14, 0);
}

/* R18 (LTP pipe03): read on the write end -> EBADF. */
TEST_F(bad, read_write_end_ebadf)
{
	char buf[8];

	TST_START();
	ASSERT_EQ(3, tst_write_pattern(self->pipe.wfd, 3, 15, 0));
	ASSERT_EQ(-1, sys_read(self->pipe.wfd, buf, sizeof(buf)));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, sys_read(self->pipe.wfd, buf, 0));
	ASSERT_EQ(EBADF, errno);
	expect_contents(_metadata, self->pipe.rfd, 3, 15, 0);
}

/* R41 (LTP pipe03): write on the read end -> EBADF. */
TEST_F(bad, write_read_end_ebadf)
{
	TST_START();
	ASSERT_EQ(3, tst_write_pattern(self->pipe.wfd, 3, 16, 0));
	ASSERT_EQ(-1, sys_write(self->pipe.rfd, "x", 1));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, sys_write(self->pipe.rfd, "x", 0));
	ASSERT_EQ(EBADF, errno);
	expect_contents(_metadata, self->pipe.rfd, 3, 16, 0);
}

/* R90: FIONREAD with a bad pointer -> EFAULT, on both ends. */
TEST_F(bad, fionread_bad_pointer)
{
	char *hole = tst_hole_buf(1);

	TST_START();
	ASSERT_NE(NULL, hole);
	ASSERT_EQ(9, tst_write_pattern(self->pipe.wfd, 9, 17, 0));
	ASSERT_EQ(-1, ioctl(self->pipe.rfd, FIONREAD, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->pipe.wfd, FIONREAD, hole + TST_PAGE));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_EQ(-1, ioctl(self->pipe.rfd, FIONREAD, KERNEL_ADDR));
	ASSERT_EQ(EFAULT, errno);
	expect_contents(_metadata, self->pipe.rfd, 9, 17, 0);
}

/* R91: any other ioctl -> ENOTTY, on both ends; isatty() is false. */
TEST_F(bad, unknown_ioctl_enotty)
{
	const unsigned long cmds[] = {
		/* Commands of other drivers, never a pipe's. */
		TCGETS, TIOCGWINSZ, TIOCOUTQ, BLKGETSIZE64, SIOCGIFNAME,
		FS_IOC_GETVERSION,
	};
	struct termios tio;
	unsigned int i;
	int arg = 0, fds[2];

	TST_START();
	ASSERT_EQ(4, tst_write_pattern(self->pipe.wfd, 4, 18, 0));
	fds[0] = self->pipe.rfd;
	fds[1] = self->pipe.wfd;
	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		ASSERT_EQ(-1, ioctl(fds[i & 1], cmds[i], &arg));
		ASSERT_EQ(ENOTTY, errno) TH_LOG("cmd 0x%lx", cmds[i]);
		ASSERT_EQ(-1, ioctl(fds[!(i & 1)], cmds[i], &arg));
		ASSERT_EQ(ENOTTY, errno) TH_LOG("cmd 0x%lx", cmds[i]);
	}
	ASSERT_EQ(0, isatty(self->pipe.rfd));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, tcgetattr(self->pipe.wfd, &tio));
	ASSERT_EQ(ENOTTY, errno);
	expect_contents(_metadata, self->pipe.rfd, 4, 18, 0);
}

/*
 * R92: FIONBIO, FIOCLEX and FIONCLEX are done by the VFS for any file;
 * FIONBIO with a bad pointer is EFAULT.
 */
TEST_F(bad, vfs_ioctls)
{
	int on = 1;

	TST_START();
	ASSERT_EQ(-1, ioctl(self->pipe.rfd, FIONBIO, NULL));
	ASSERT_EQ(EFAULT, errno);
	ASSERT_FALSE(tst_is_nonblock(self->pipe.rfd));
	ASSERT_EQ(0, ioctl(self->pipe.wfd, FIONBIO, &on));
	ASSERT_TRUE(tst_is_nonblock(self->pipe.wfd));
	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIOCLEX));
	ASSERT_EQ(FD_CLOEXEC, fcntl(self->pipe.rfd, F_GETFD));
	ASSERT_EQ(0, ioctl(self->pipe.rfd, FIONCLEX));
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_GETFD));
}

/*
 * No rule number (docs/semantics.md section 10, mm/mmap.c do_mmap): mmap() gets what a FIFO
 * gives: ENODEV on the read end (pipefifo_fops has no ->mmap), EACCES
 * where the access mode forbids the mapping.
 */
TEST_F(bad, mmap_fails_like_fifo)
{
	TST_START();
	ASSERT_EQ(5, tst_write_pattern(self->pipe.wfd, 5, 19, 0));
	ASSERT_EQ(MAP_FAILED, mmap(NULL, TST_PAGE, PROT_READ, MAP_SHARED,
				   self->pipe.rfd, 0));
	ASSERT_EQ(ENODEV, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, TST_PAGE, PROT_READ, MAP_PRIVATE,
				   self->pipe.rfd, 0));
	ASSERT_EQ(ENODEV, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, TST_PAGE, PROT_READ | PROT_WRITE,
				   MAP_SHARED, self->pipe.rfd, 0));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, TST_PAGE, PROT_WRITE, MAP_SHARED,
				   self->pipe.wfd, 0));
	ASSERT_EQ(EACCES, errno);
	ASSERT_EQ(MAP_FAILED, mmap(NULL, TST_PAGE, PROT_READ, MAP_PRIVATE,
				   self->pipe.wfd, 0));
	ASSERT_EQ(EACCES, errno);
	expect_contents(_metadata, self->pipe.rfd, 5, 19, 0);
}

/* R110: lseek, pread, pwrite, preadv, pwritev -> ESPIPE, data intact. */
TEST_F(bad, seek_and_positional_io_espipe)
{
	char buf[16];
	struct iovec iov = { buf, sizeof(buf) };
	int fds[2], i;

	TST_START();
	ASSERT_EQ(8, tst_write_pattern(self->pipe.wfd, 8, 20, 0));
	fds[0] = self->pipe.rfd;
	fds[1] = self->pipe.wfd;
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(-1, lseek(fds[i], 0, SEEK_SET));
		ASSERT_EQ(ESPIPE, errno);
		ASSERT_EQ(-1, lseek(fds[i], 0, SEEK_CUR));
		ASSERT_EQ(ESPIPE, errno);
		ASSERT_EQ(-1, lseek(fds[i], 0, SEEK_END));
		ASSERT_EQ(ESPIPE, errno);
	}
	ASSERT_EQ(-1, pread(self->pipe.rfd, buf, sizeof(buf), 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, preadv(self->pipe.rfd, &iov, 1, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, pwrite(self->pipe.wfd, "x", 1, 0));
	ASSERT_EQ(ESPIPE, errno);
	ASSERT_EQ(-1, pwritev(self->pipe.wfd, &iov, 1, 0));
	ASSERT_EQ(ESPIPE, errno);
	expect_contents(_metadata, self->pipe.rfd, 8, 20, 0);
}

TEST_HARNESS_MAIN
