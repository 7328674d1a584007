#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 10: a FIFO reader opened with O_NONBLOCK while no writer exists
# polls; then a writer comes, writes a byte and goes, and it polls again.
# The test program does the opens and the polls (a shell cannot).
cd /tmp || exit 1
echo "open(O_RDONLY | O_NONBLOCK) with no writer, poll(); a writer comes and goes, poll():"
timeout -s KILL 8 /minipipe/tests/pipe_poll -r poll.minipipe.fifo_hup_suppressed_until_writer
