#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /minipipe/demo.sh — guest side of `make demo`.
#
# Runs the numbered steps in /minipipe/demo.d/ (tools/project/vm/guest/demo.d/ in
# the tree) in name order.  A step is a plain sh script; its line
#   # title: <text>
# is announced as "== step: <text>" before it runs, and it passes when it
# exits 0.  To add a step, drop a new NN-name.sh there; nothing else changes.
# /init powers the VM off afterwards.

. /minipipe/config
. /minipipe/lib.sh

# A demo step is short; don't let one hang the VM for long.
# shellcheck disable=SC2034 # read by mp_run
MP_TIMEOUT=60
bad=0

echo
echo "== minipipe demo on Linux $(uname -r)"
for step in /minipipe/demo.d/*.sh; do
	[ -f "$step" ] || continue
	title=$(sed -n '/^# title: /{s///p;q}' "$step")
	echo
	echo "== step: ${title:-$(basename "$step" .sh)}"
	if ! mp_run demo "demo.d/$(basename "$step" .sh)" sh -e "$step"; then
		echo "== step FAILED: ${title:-$step}"
		bad=1
	fi
done
echo
[ "$bad" = 0 ] && echo "== demo finished: every step passed" ||
	echo "== demo finished: some steps FAILED"
exit "$bad"
