#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 08: write(fd, buf, 0), first with a reader, then with none left.
# A shell never makes a write of 0 bytes, so the test program does it.
cd /tmp || exit 1
echo "write(wfd, buf, 0) with a reader, then again once the reader is closed:"
timeout -s KILL 8 /minipipe/tests/pipe_rw -r rw.minipipe.write_zero_length
