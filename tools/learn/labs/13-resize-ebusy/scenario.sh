#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Lab 13-resize-ebusy: fill some slots of /dev/minipipe, then ask for a
# capacity of exactly that many slots, of fewer, and of more.  Only fewer
# slots than the data needs is EBUSY.  In the trace, each minipipe_resize
# says slots=old->new and its result (-16 is -EBUSY).
for args in "65536 65536" "65536 32768" "65536 131072" "8192 8192" "4096 4096"; do
	# Non-blocking calls only: 1 s each is plenty, 5 s for all five.
	# shellcheck disable=SC2086 # two words: bytes to write, size to ask for
	timeout 1 mpdemo setsize /dev/minipipe $args
done
