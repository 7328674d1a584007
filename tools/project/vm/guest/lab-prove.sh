#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /minipipe/lab-prove.sh DIR — prove one lab (tools/learn/labs/), as TAP:
# every test the lab names fails on its broken module (DIR/minipipe.ko)
# and passes on the reference module (DIR/reference.ko when the lab has
# kbuild variables of its own, else /minipipe/minipipe.ko).  A test
# "fails" when the harness prints "not ok 1 <its name>" for it and
# "passes" on "ok 1 <its name>": a skip or a crash of the program is
# neither.  Run by /init's labs stage with the reference module loaded;
# leaves /minipipe/minipipe.ko loaded.  Each program run is bounded
# (MP_LAB_TEST_TIMEOUT, 120 s); the harness's own timeout (30 s a test)
# ends a test that hangs on the broken module first.

# shellcheck disable=SC1091 # guest paths, made by mp_build_initramfs
. /minipipe/config
# shellcheck disable=SC1091
. /minipipe/lib.sh

dir=${1%/}
name=$(basename "$dir")
reference=/minipipe/minipipe.ko
[ -f "$dir/reference.ko" ] && reference=$dir/reference.ko
out=/tmp/lab-prove.out

echo "TAP version 13"
echo "# lab $name: $(cat "$dir/title")"
if [ -f "$dir/error" ]; then
	echo "1..1"
	mp_not_ok "lab $name: $(head -n 1 "$dir/error")"
	exit 1
fi
n=$(wc -l <"$dir/tests")
echo "1..$((2 * n + 3))"

# load KO — insmod KO with the run's parameters, wait for /dev/minipipe.
load() {
	# shellcheck disable=SC2086 # MP_MODULE_PARAMS is a word list
	insmod "$1" $MP_MODULE_PARAMS && mp_wait_dev /dev/minipipe
}

# unload — rmmod minipipe; a test the harness killed may still be closing
# its files, so try for up to 10 s.
unload() {
	local i=0
	while ! rmmod minipipe 2>/dev/null; do
		[ "$i" -ge 100 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# run_tests EXPECT MODULE — each named test once; EXPECT is "not ok" (the
# broken module) or "ok" (the reference).
run_tests() {
	local expect=$1 module=$2 prog test
	while read -r prog test; do
		timeout -s KILL "${MP_LAB_TEST_TIMEOUT:-120}" "/minipipe/tests/$prog" -r "$test" \
			>"$out" 2>&1 </dev/null
		# One test ran, so the harness numbers it 1.
		if grep -qxF "$expect 1 $test" "$out"; then
			if [ "$expect" = ok ]; then
				mp_ok "$prog $test passes on the $module module"
			else
				mp_ok "$prog $test fails on the $module module"
			fi
		else
			mp_not_ok "$prog $test: no \"$expect 1 $test\" on the $module module; it printed:"
			tail -n 25 "$out" | sed 's/^/#   /'
		fi
	done <"$dir/tests"
}

if unload && load "$dir/minipipe.ko"; then
	mp_ok "lab $name: the broken module loads"
	run_tests "not ok" broken
else
	mp_not_ok "lab $name: cannot replace the reference module by the broken one"
	i=0
	while [ "$i" -lt "$n" ]; do mp_not_ok "(not run)"; i=$((i + 1)); done
fi
if unload; then
	mp_ok "lab $name: the broken module unloads"
else
	mp_not_ok "lab $name: the broken module does not unload; what is still running:"
	ps | sed 's/^/#   /'
	exit "$MP_TAP_FAILED"
fi
if load "$reference"; then
	mp_ok "lab $name: the reference module loads"
	run_tests ok reference
else
	mp_not_ok "lab $name: cannot load the reference module"
fi
if [ "$reference" != /minipipe/minipipe.ko ]; then
	unload && load /minipipe/minipipe.ko
fi
mp_module_loaded || load /minipipe/minipipe.ko
exit "$MP_TAP_FAILED"
