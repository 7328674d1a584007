#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 14-packet-merge: three small packets (O_DIRECT writes) through
# /dev/minipipe, then reads with a page-sized buffer: each read should
# return one packet.  In the trace, compare each minipipe_write's head
# (the slots filled so far) with the number of packets written.
timeout 5 mpdemo packets /dev/minipipe 3
