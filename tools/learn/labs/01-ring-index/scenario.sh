#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 01: fill an anonymous minipipe with O_NONBLOCK writes of a page
# until EAGAIN, read it all back; the trace shows head and tail.
timeout -s KILL 5 mpdemo nonblock
