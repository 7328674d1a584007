#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /minipipe/lab.sh — guest side of `make lab LAB=<name>` (mpmode=lab).
#
# /minipipe/minipipe.ko is the lab's broken module, or the reference
# (SOLVED=1) or the learner's fix (KEEP=1): /minipipe/lab/fixed then
# exists.  Narrated, like the demo: load it, run each test the lab names
# (/minipipe/lab/tests) with its output shown, run the failing scenario (/minipipe/lab/scenario.sh) with
# minipipe's tracepoints on and show the trace, unload.  The whole trace
# is also printed between MINIPIPE-TRACE-BEGIN and MINIPIPE-TRACE-END,
# which the live console hides and the host cuts out for its picture
# (tools/learn/ringplot).  Each step counts as one test: the tests step
# passes when every named test failed on the broken module (or passed on
# the fixed one), as the lab expects.

# shellcheck disable=SC1091 # guest paths, made by mp_build_initramfs
. /minipipe/config
# shellcheck disable=SC1091
. /minipipe/lib.sh

lab=/minipipe/lab
name=$(cat "$lab/name")
module=broken expect="not ok"
if [ -f "$lab/fixed" ]; then
	module=fixed expect=ok
fi
# shellcheck disable=SC2034 # read by mp_run
MP_TIMEOUT=300
t=/sys/kernel/tracing

# The named tests, each on its own; the output of the harness as it is.
run_named() {
	local prog test caught=0 total=0 out=/tmp/lab.out
	cd /tmp || return 1
	export MINIPIPE_DEV=/dev/minipipe MINIPIPE_REQUIRE=1
	while read -r prog test; do
		total=$((total + 1))
		echo
		echo "\$ $prog -r $test"
		timeout -s KILL 120 "/minipipe/tests/$prog" -r "$test" >"$out" 2>&1 </dev/null
		grep -v '^TAP version\|^1\.\.' "$out"
		grep -qxF "$expect 1 $test" "$out" && caught=$((caught + 1))
	done <"$lab/tests"
	echo
	if [ "$module" = broken ]; then
		echo "$caught of the $total tests failed on the broken module (the lab expects all of them to)."
		echo "Read each failing test in selftests/ (its comment cites the rule of docs/semantics.md)."
	else
		echo "$caught of the $total tests passed on the fixed module (the lab expects all of them to)."
	fi
	[ "$caught" = "$total" ]
}

# The scenario under the tracepoints: on screen the first lines, and all
# of it for the host between the markers.
trace_scenario() {
	[ -d "$t/events" ] || mount -t tracefs nodev "$t" || return 1
	echo 0 >"$t/tracing_on"
	echo >"$t/trace"
	echo 4096 >"$t/buffer_size_kb"
	echo 1 >"$t/events/minipipe/enable"
	echo 1 >"$t/tracing_on"
	echo "\$ sh scenario.sh      # tools/learn/labs/$name/scenario.sh"
	# In a process group of its own, killed once it ends: what it leaves
	# behind there (a reader still asleep) must not keep the module busy.
	# (A busybox timeout's watcher makes a session of its own; it ends
	# with its timer, and unload_module waits for that.)
	# shellcheck disable=SC2016 # $$ and $0 are the inner shell's
	timeout -s KILL 30 setsid sh -c 'echo $$ >/tmp/scenario.pgid; exec sh "$0"' \
		"$lab/scenario.sh" </dev/null
	echo "(the scenario exited with status $?)"
	if pgid=$(cat /tmp/scenario.pgid 2>/dev/null); then
		kill -KILL -"$pgid" 2>/dev/null
	fi
	echo 0 >"$t/tracing_on"
	echo 0 >"$t/events/minipipe/enable"
	echo
	echo "\$ grep -v '^#' $t/trace | head -n 40      # $(grep -vc '^#' "$t/trace") events in all"
	grep -v '^#' "$t/trace" | head -n 40
	echo MINIPIPE-TRACE-BEGIN
	cat "$t/trace"
	echo MINIPIPE-TRACE-END
}

load_module() {
	# shellcheck disable=SC2086 # MP_MODULE_PARAMS is a word list
	insmod /minipipe/minipipe.ko $MP_MODULE_PARAMS && mp_wait_dev /dev/minipipe &&
		ls -l /dev/minipipe*
}

# What the scenario left may hold a pipe open for a few seconds more (a
# timeout's watcher, until its timer ends; scenarios use timers of under
# 10 s): tries a second apart, before rmmod's "in use" is an answer.
unload_module() {
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmmod minipipe 2>/dev/null && return 0
		sleep 1
	done
	rmmod minipipe
}

# A step runs in a program of its own (mp_run): this script again, told
# which function to run.
case ${1:-} in
load_module | run_named | trace_scenario | unload_module)
	"$1"
	exit
	;;
esac

# step ID TITLE COMMAND... — one narrated step, counted as lab/<name>/ID.
step() {
	local id=$1 title=$2
	shift 2
	echo
	echo "== step: $title"
	mp_run demo "lab/$name/$id" "$@" || echo "== step FAILED: $title"
}

echo
echo "== lab $name: $(cat "$lab/title")"
echo "== on Linux $(uname -r), with the $module module"
step load "load the $module module" sh "$0" load_module
step tests "run the tests that must catch the mistake" sh "$0" run_named
if [ -f "$lab/scenario.sh" ]; then
	step trace "trace the failing scenario" sh "$0" trace_scenario
fi
step unload "unload the module" sh "$0" unload_module
echo
echo "== lab finished"
