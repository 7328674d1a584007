# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash: POSIX sh plus local
#
# /minipipe/lib.sh — helpers for the guest side of the minipipe VM.
# Sourced by /init, /minipipe/demo.sh and any step script that wants them.
# Runs under busybox ash: POSIX sh plus `local`.
#
# Console protocol, read by tools/project/vm/scan-log.sh on the host.  Every marker
# starts a line:
#   MINIPIPE-STAGE <stage> [words]   progress: boot, insmod, tests, unpriv, hooks,
#                                    rmmod, dmesg, done (and demo, shell)
#   MINIPIPE-RUN <kind> <name>       a program starts; kind is one of
#       tap   its output is TAP, every line echoed as "[<name>] <line>"
#       step  passes when it exits 0; output echoed as "[<name>] <line>"
#       demo  like step, output shown as is (for people to read)
#       cmd   only a non-zero exit counts (a failure); output as is
#   MINIPIPE-EXIT <name> <rc>        it ended with status rc
#                                    (124: killed by its timeout)
#   MINIPIPE-FAIL <text>             a failure outside any program
#   MINIPIPE-TAINT <when> <value>    /proc/sys/kernel/tainted
#   MINIPIPE-DMESG-BEGIN / MINIPIPE-DMESG-END   the kernel log between them

# Per-program timeout in seconds (from the selftests' settings file).
MP_TIMEOUT=${MP_TEST_TIMEOUT:-300}
# Grace after the timeout's SIGTERM before SIGKILL.
MP_KILL_GRACE=10

# mp_kill_session SID SIGNAL — send SIGNAL to every process of session SID.
# (A process group is not enough: the kselftest harness puts each test in
# a process group of its own.)
mp_kill_session() {
	local sid=$1 sig=$2 f st
	for f in /proc/[0-9]*/stat; do
		# The process may be gone already: no message then.
		{ read -r st <"$f"; } 2>/dev/null || continue
		# After "pid (comm) ": state ppid pgrp session ...
		# shellcheck disable=SC2086 # split into fields on purpose
		set -- ${st##*) }
		[ "${4:-}" = "$sid" ] || continue
		f=${f#/proc/}
		kill -"$sig" "${f%/stat}" 2>/dev/null
	done
}

# mp_exec PROGRAM [ARG...] — run PROGRAM with stdin from /dev/null under
# the timeout; write its exit status to /tmp/.mp-rc.  PROGRAM runs in a
# session of its own: at the timeout every process of that session gets
# SIGTERM, then SIGKILL after a grace period, and once PROGRAM has ended
# whatever it left behind is killed too.  (busybox timeout would signal
# PROGRAM alone, and a forked child still holding the output pipe would
# then hang the run.)  A timeout is reported as status 124.
mp_exec() {
	local pid watcher rc flag
	setsid "$@" </dev/null &
	pid=$!
	# The flag is this run's own: a watcher that outlived its run (below)
	# can never mark a later one as timed out.
	flag=/tmp/.mp-timedout.$pid
	rm -f "$flag"
	# The watcher writes nowhere, so it never keeps the output pipe open.
	setsid sh -c ". /minipipe/lib.sh; sleep $MP_TIMEOUT; touch $flag
		mp_kill_session $pid TERM; sleep $MP_KILL_GRACE; mp_kill_session $pid KILL" \
		>/dev/null 2>&1 </dev/null &
	watcher=$!
	wait "$pid"
	rc=$?
	# The watcher's whole process group at once: killed one process at a
	# time (mp_kill_session() goes in the glob's order, "100" before "99"),
	# its sleep could die first and let it touch the flag of a timeout
	# that never was.  Before its setsid() it has no group of its own:
	# kill it alone.  (This assumes no job control, as /init runs it.)
	kill -KILL -"$watcher" 2>/dev/null || kill -KILL "$watcher" 2>/dev/null
	mp_kill_session "$pid" KILL
	[ -e "$flag" ] && rc=124
	rm -f "$flag"
	echo "$rc" >/tmp/.mp-rc
}

# mp_run KIND NAME PROGRAM [ARG...] — run PROGRAM via mp_exec, framed by
# RUN/EXIT markers; returns its status.
mp_run() {
	local kind=$1 name=$2 rc
	shift 2
	echo "MINIPIPE-RUN $kind $name"
	case $kind in
	tap|step)
		# awk prints every line whole, newline included, so the EXIT
		# marker always starts its own line.
		mp_exec "$@" 2>&1 | awk -v p="[$name] " '{ print p $0; fflush() }'
		;;
	*)
		mp_exec "$@" 2>&1
		;;
	esac
	rc=$(cat /tmp/.mp-rc)
	echo "MINIPIPE-EXIT $name $rc"
	return "$rc"
}

# mp_stage NAME [WORDS] — announce a stage.
mp_stage() { echo "MINIPIPE-STAGE $*"; }

# mp_fail TEXT — report a failure that is not a program's exit status.
mp_fail() { echo "MINIPIPE-FAIL $*"; }

# mp_taint WHEN — report the kernel's taint value.
mp_taint() { echo "MINIPIPE-TAINT $1 $(cat /proc/sys/kernel/tainted)"; }

# mp_wait_until TENTHS COMMAND... — run COMMAND every tenth of a second
# until it succeeds, at most TENTHS times; fails if it never did.  The
# labs' scenarios wait this way for a state (a reader asleep, a pipe
# closed) instead of sleeping for a guess.
mp_wait_until() {
	local i=0 max=$1
	shift
	until "$@"; do
		[ "$i" -ge "$max" ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# mp_wait_dev PATH [TENTHS] — wait for a device node (devtmpfs creates it
# asynchronously after the driver registers); default 5 s.
mp_wait_dev() {
	mp_wait_until "${2:-50}" test -c "$1"
}

# mp_module_loaded — true while minipipe is in the module list.
mp_module_loaded() { grep -q '^minipipe ' /proc/modules; }

# mp_run_dir KIND DIR — run every DIR/*.sh in name order (numbered names
# like 10-foo.sh set the order), each as one mp_run of kind KIND named
# "<dir>/<file without .sh>".  With KIND step, a script named *.tap.sh is
# run as kind tap instead, so its TAP lines are counted one by one.
# Returns non-zero if any failed.
mp_run_dir() {
	local kind=$1 dir=$2 f k n bad=0
	for f in "$dir"/*.sh; do
		[ -f "$f" ] || continue
		k=$kind
		n=$(basename "$f" .sh)
		case $f in
		*.tap.sh) [ "$kind" = step ] && k=tap && n=${n%.tap} ;;
		esac
		mp_run "$k" "$(basename "$dir")/$n" sh "$f" || bad=1
	done
	return "$bad"
}

# mp_kmemleak_check — on a kernel with kmemleak (the debug kernel of make
# check-debug), after rmmod: let the last objects age past kmemleak's
# 5 s grace, scan twice (an object is reported once two scans agree it is
# unreferenced), print the report; fails when there is anything in it.
mp_kmemleak_check() {
	local f=/sys/kernel/debug/kmemleak report
	sleep 6
	if ! echo scan >"$f" || ! echo scan >"$f"; then
		echo "cannot trigger a kmemleak scan"
		return 1
	fi
	report=$(cat "$f")
	if [ -n "$report" ]; then
		echo "$report"
		echo "kmemleak reports the suspected leaks above"
		return 1
	fi
	echo "kmemleak: no suspected leaks"
}

# TAP for guest steps (NN-name.tap.sh): mp_ok / mp_not_ok DESCRIPTION
# number the lines; a step ends with `exit "$MP_TAP_FAILED"`.
MP_TAP_N=0
MP_TAP_FAILED=0
mp_ok() {
	MP_TAP_N=$((MP_TAP_N + 1))
	echo "ok $MP_TAP_N $*"
}
mp_not_ok() {
	MP_TAP_N=$((MP_TAP_N + 1))
	MP_TAP_FAILED=1
	echo "not ok $MP_TAP_N $*"
}
