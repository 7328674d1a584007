#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 09: one non-blocking write of 100000 bytes into an empty pipe of
# 65536: the test program makes it (a shell cannot set O_NONBLOCK).
cd /tmp || exit 1
echo "write(wfd, buf, 100000) with O_NONBLOCK into an empty 64 KiB pipe:"
timeout -s KILL 8 /minipipe/tests/pipe_rw -r rw.minipipe.capacity_is_64k
