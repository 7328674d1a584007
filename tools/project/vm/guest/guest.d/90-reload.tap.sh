#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unload and load minipipe 100 times (MP_RELOAD_CYCLES), with the
# module's parameters, and move a line through /dev/minipipe after each
# load; then check that rmmod is refused while a file of the module is
# open and works once it is closed, that out-of-range parameters are
# refused at load time and that max_size is rounded as pipe-max-size.
# Runs last of the guest.d steps and leaves the module loaded, for /init's
# own rmmod (and, on the debug kernel, its kmemleak scan).

# shellcheck disable=SC1091 # guest paths, made by mp_build_initramfs
. /minipipe/config
# shellcheck disable=SC1091
. /minipipe/lib.sh

ko=/minipipe/minipipe.ko
cycles=${MP_RELOAD_CYCLES:-100}

# wait_gone PATH — wait up to 5 s for a device node to go away (devtmpfs
# removes it asynchronously after the driver unregisters).
wait_gone() {
	local i=0
	while [ -e "$1" ]; do
		[ "$i" -ge 50 ] && return 1
		sleep 0.1
		i=$((i + 1))
	done
}

load() {
	# shellcheck disable=SC2086 # MP_MODULE_PARAMS is a word list
	insmod "$ko" $MP_MODULE_PARAMS || return 1
	mp_wait_dev /dev/minipipe || { echo "# /dev/minipipe did not appear"; return 1; }
}

unload() {
	rmmod minipipe || return 1
	wait_gone /dev/minipipe || { echo "# /dev/minipipe still there after rmmod"; return 1; }
}

# traffic WORDS — WORDS through /dev/minipipe: a writer and a reader, each
# of whose FIFO opens waits for the other; never more than 10 s.  The
# reader is the shell's read(2), not cat: busybox cat uses sendfile(2),
# which on 6.1 goes through splice (tested by the selftests, not here).
traffic() {
	local want="$* $$" got
	# shellcheck disable=SC2016 # expanded by the inner shell
	timeout 10 sh -c 'echo "$1" >/dev/minipipe' sh "$want" &
	# shellcheck disable=SC2016
	got=$(timeout 10 sh -c 'read -r line </dev/minipipe && echo "$line"')
	wait $!
	[ "$got" = "$want" ] && return 0
	echo "# sent '$want', read '$got'"
	return 1
}

echo "TAP version 13"
echo "1..8"

if ! mp_module_loaded; then
	echo "Bail out! minipipe is not loaded at the start"
	exit 1
fi

start=$(date +%s)
i=0
why=
while [ "$i" -lt "$cycles" ]; do
	i=$((i + 1))
	if ! unload; then why="rmmod failed"; break; fi
	if ! load; then why="insmod failed"; break; fi
	if ! traffic "cycle $i"; then why="no traffic"; break; fi
done
if [ -z "$why" ]; then
	mp_ok "$cycles rmmod/insmod cycles with traffic after each ($(($(date +%s) - start)) s)"
else
	mp_not_ok "rmmod/insmod cycles: $why in cycle $i"
	mp_module_loaded || load
fi

# A file of the module is open: the module is in use, rmmod must fail.
exec 3<>/dev/minipipe
if out=$(rmmod minipipe 2>&1); then
	mp_not_ok "rmmod succeeded while /dev/minipipe was open"
	exec 3>&-
	load
else
	if mp_module_loaded; then
		mp_ok "rmmod refused while /dev/minipipe is open: $out"
	else
		mp_not_ok "rmmod failed but minipipe is gone: $out"
	fi
	exec 3>&-
fi

if unload; then
	mp_ok "rmmod works once the file is closed"
else
	mp_not_ok "rmmod after the file was closed"
fi

# Out-of-range parameters: insmod fails and leaves nothing loaded
# (max_size above 2^31, as /proc/sys/fs/pipe-max-size refuses it).
for bad in spin_us=1001 nr_pipes=0 nr_pipes=65 max_size=2147483649 max_size=-1; do
	if insmod "$ko" "$bad" 2>/dev/null; then
		mp_not_ok "insmod $bad was accepted"
		unload
	elif mp_module_loaded; then
		mp_not_ok "insmod $bad failed but minipipe is loaded"
	else
		mp_ok "insmod $bad refused"
	fi
done

# max_size is rounded at load time as the sysctl rounds a write (R106).
if insmod "$ko" max_size=5000 2>/dev/null; then
	got=$(cat /sys/module/minipipe/parameters/max_size)
	if [ "$got" = 8192 ]; then
		mp_ok "insmod max_size=5000 reads back 8192"
	else
		mp_not_ok "insmod max_size=5000 reads back $got, expected 8192"
	fi
	unload
else
	mp_not_ok "insmod max_size=5000 refused"
fi

# Loaded again, for /init's rmmod at the end.
if mp_module_loaded || load; then
	if traffic "reloaded"; then
		mp_ok "loaded again and working"
	else
		mp_not_ok "loaded again but no traffic"
	fi
else
	mp_not_ok "insmod after the test"
fi
exit "$MP_TAP_FAILED"
