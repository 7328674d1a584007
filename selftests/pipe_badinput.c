// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input: NULL, unmapped, partly unmapped and kernel-space buffers,
 * bad iovecs, wrong-end I/O, unknown ioctls, mmap, seeking.  After each
 * error the pipe must still hold exactly the data it should.
 * Rules (docs/semantics.md) R10, R17-R19, R30, R40, R41, R43, R90-R92,
 * R110, R113-R117.
 *
 * 6.1 (unlike >= 6.15) can leave a zero-length slot after a failed write
 * (R8).  It is invisible to FIONREAD and read, so after write faults the
 * checks here use only those, and drain with reads larger than the data.
 */
#include <linux/fs.h>
#include <sys/file.h>
#include <sys/uio.h>
#include <sys/vfs.h>
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

/* R113: posix_fadvise() -> ESPIPE on both ends, whatever the advice or range. */
TEST_F(bad, fadvise_espipe)
{
	const int advice[] = {
		POSIX_FADV_NORMAL, POSIX_FADV_RANDOM, POSIX_FADV_SEQUENTIAL,
		POSIX_FADV_WILLNEED, POSIX_FADV_DONTNEED, POSIX_FADV_NOREUSE,
		/* Neither a known advice nor a valid length comes first. */
		99,
	};
	unsigned int i;

	TST_START();
	ASSERT_EQ(6, tst_write_pattern(self->pipe.wfd, 6, 21, 0));
	for (i = 0; i < ARRAY_SIZE(advice); i++) {
		/* posix_fadvise() returns the error number, errno is left alone. */
		EXPECT_EQ(ESPIPE, posix_fadvise(self->pipe.rfd, 0, 0, advice[i]))
			TH_LOG("advice %d", advice[i]);
		EXPECT_EQ(ESPIPE, posix_fadvise(self->pipe.wfd, 0, 0, advice[i]))
			TH_LOG("advice %d", advice[i]);
	}
	EXPECT_EQ(ESPIPE, posix_fadvise(self->pipe.rfd, 0, -1, POSIX_FADV_NORMAL));
	expect_contents(_metadata, self->pipe.rfd, 6, 21, 0);
}

/*
 * R114: fallocate() checks its arguments (EINVAL) and the access mode
 * (EBADF on the read end) on every file; then the VFS answers by file
 * type before any driver is asked: ESPIPE for a FIFO inode (a FIFO,
 * pipe(2), an anonymous minipipe), ENODEV for what is not a regular file
 * or block device, as a named minipipe's node.  The one result here that
 * depends on the kind.
 */
TEST_F(bad, fallocate_answered_by_the_vfs)
{
	/* A named minipipe is a char device; the other three are FIFO inodes. */
	int type_errno = tst_is_minipipe(&self->pipe) && !tst_is_anon(&self->pipe) ?
			 ENODEV : ESPIPE;

	TST_START();
	ASSERT_EQ(6, tst_write_pattern(self->pipe.wfd, 6, 22, 0));
	ASSERT_EQ(-1, fallocate(self->pipe.wfd, 0, 0, 0));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, fallocate(self->pipe.rfd, 0, 0, 4096));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, fallocate(self->pipe.wfd, 0, 0, 4096));
	ASSERT_EQ(type_errno, errno);
	ASSERT_EQ(-1, fallocate(self->pipe.wfd, FALLOC_FL_KEEP_SIZE, 0, 4096));
	ASSERT_EQ(type_errno, errno);
	expect_contents(_metadata, self->pipe.rfd, 6, 22, 0);
}

/*
 * R115: the calls made for regular files: fsync(), fdatasync() -> EINVAL
 * (no ->fsync); sync_file_range() -> ESPIPE, bad flags EINVAL first;
 * readahead() -> EINVAL, EBADF on the write end; ftruncate() -> EINVAL;
 * copy_file_range() to or from a regular file -> EINVAL.  Data intact.
 */
TEST_F(bad, regular_file_calls_rejected)
{
	int fds[2], i, memfd;

	TST_START();
	ASSERT_EQ(6, tst_write_pattern(self->pipe.wfd, 6, 23, 0));
	fds[0] = self->pipe.rfd;
	fds[1] = self->pipe.wfd;
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(-1, fsync(fds[i]));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, fdatasync(fds[i]));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, sync_file_range(fds[i], 0, 0, SYNC_FILE_RANGE_WRITE));
		ASSERT_EQ(ESPIPE, errno);
		ASSERT_EQ(-1, sync_file_range(fds[i], 0, 0, ~0u));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, ftruncate(fds[i], 0));
		ASSERT_EQ(EINVAL, errno);
		ASSERT_EQ(-1, ftruncate(fds[i], -1));
		ASSERT_EQ(EINVAL, errno);
	}
	ASSERT_EQ(-1, readahead(self->pipe.rfd, 0, 4096));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, readahead(self->pipe.wfd, 0, 4096));
	ASSERT_EQ(EBADF, errno);

	memfd = memfd_create("bad-regular", 0);
	ASSERT_LE(0, memfd);
	ASSERT_EQ(4, write(memfd, "abcd", 4));
	ASSERT_EQ(0, lseek(memfd, 0, SEEK_SET));
	EXPECT_EQ(-1, copy_file_range(self->pipe.rfd, NULL, memfd, NULL, 6, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, copy_file_range(memfd, NULL, self->pipe.wfd, NULL, 4, 0));
	EXPECT_EQ(EINVAL, errno);
	close(memfd);
	expect_contents(_metadata, self->pipe.rfd, 6, 23, 0);
}

/*
 * R116: flock(), POSIX and OFD locks work as on any file and lock the
 * inode, which both ends of a pipe share: a lock on one end conflicts
 * with one on the other.  Two anonymous pipes have two inodes, so a lock
 * on one never conflicts with a lock on the other.
 */
TEST_F(bad, locks_like_a_pipe)
{
	struct flock rd = { .l_type = F_RDLCK, .l_whence = SEEK_SET };
	struct flock wr = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int other[2];

	TST_START();
	ASSERT_EQ(0, flock(self->pipe.rfd, LOCK_EX));
	ASSERT_EQ(-1, flock(self->pipe.wfd, LOCK_EX | LOCK_NB));
	ASSERT_EQ(EWOULDBLOCK, errno);
	if (tst_is_anon(&self->pipe)) {
		ASSERT_EQ(0, tst_pipe2(&self->pipe, other, O_CLOEXEC));
		EXPECT_EQ(0, flock(other[0], LOCK_EX | LOCK_NB));
		close(other[0]);
		close(other[1]);
	}
	ASSERT_EQ(0, flock(self->pipe.rfd, LOCK_UN));
	ASSERT_EQ(0, flock(self->pipe.wfd, LOCK_EX | LOCK_NB));
	ASSERT_EQ(0, flock(self->pipe.wfd, LOCK_UN));

	/* POSIX locks need the matching access mode. */
	ASSERT_EQ(-1, fcntl(self->pipe.rfd, F_SETLK, &wr));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(-1, fcntl(self->pipe.wfd, F_SETLK, &rd));
	ASSERT_EQ(EBADF, errno);
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_SETLK, &rd));
	/* Open file description locks: the two ends are two of them. */
	ASSERT_EQ(-1, fcntl(self->pipe.wfd, F_OFD_SETLK, &wr));
	ASSERT_EQ(EAGAIN, errno);
	rd.l_type = F_UNLCK;
	ASSERT_EQ(0, fcntl(self->pipe.rfd, F_SETLK, &rd));
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_OFD_SETLK, &wr));
	wr.l_type = F_UNLCK;
	ASSERT_EQ(0, fcntl(self->pipe.wfd, F_OFD_SETLK, &wr));
}

/* R117: fstatfs() succeeds on both ends; FIOQSIZE is for regular files only. */
TEST_F(bad, fstatfs_and_fioqsize)
{
	struct statfs sfs;
	long long size;

	TST_START();
	ASSERT_EQ(0, fstatfs(self->pipe.rfd, &sfs));
	ASSERT_EQ(0, fstatfs(self->pipe.wfd, &sfs));
	ASSERT_EQ(-1, ioctl(self->pipe.rfd, FIOQSIZE, &size));
	ASSERT_EQ(ENOTTY, errno);
	ASSERT_EQ(-1, ioctl(self->pipe.wfd, FIOQSIZE, &size));
	ASSERT_EQ(ENOTTY, errno);
}

TEST_HARNESS_MAIN
