#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 11-fifo-open: exercise 3 first opens /dev/minipipe with
# O_WRONLY | O_NONBLOCK while nobody reads it, and expects ENXIO; then a
# server and a client meet at the FIFO.  The same on the kernel's FIFOs,
# for comparison.  In the trace, look for a minipipe_open of a writer
# ("end=w") with readers=0.
echo "== on /dev/minipipe"
timeout 4 ex3_fifo_server
echo "== the same on a kernel FIFO (not traced)"
timeout 4 ex3_fifo_server --kernel
