#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The five exercises of tools/learn/examples (put in /usr/bin by
# initramfs.d/55-tools.sh), one TAP line each.  Each exercise checks the
# property it teaches and exits non-zero when it does not hold; a line
# passes when the exercise holds on minipipe and also on the kernel's own
# pipes (--kernel), so that a wrong exercise cannot pass by accident.

# shellcheck disable=SC1091 # guest path, made by mp_build_initramfs
. /minipipe/lib.sh

echo "TAP version 13"
echo "1..5"
for prog in ex1_parent_child "ex2_ping_pong 5000" ex3_fifo_server ex4_flow_control \
	ex5_atomic_writers; do
	name=${prog%% *}
	args=${prog#"$name"}
	# shellcheck disable=SC2086 # $args is a word list
	mini=$($name $args 2>&1)
	rc_mini=$?
	# shellcheck disable=SC2086
	kern=$($name --kernel $args 2>&1)
	rc_kern=$?
	if [ "$rc_mini" = 0 ] && [ "$rc_kern" = 0 ]; then
		mp_ok "$name: $(echo "$mini" | sed -n 's/^=> holds: //p')"
	else
		echo "# on minipipe (exit $rc_mini):"
		echo "$mini" | sed 's/^/#   /'
		echo "# on the kernel's pipes (exit $rc_kern):"
		echo "$kern" | sed 's/^/#   /'
		mp_not_ok "$name"
	fi
done
exit "$MP_TAP_FAILED"
