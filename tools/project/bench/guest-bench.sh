#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /minipipe/bench.sh — guest side of `make bench` (tools/project/bench/bench.sh).
#
# Run by /init in mpmode=bench with the module loaded.  Prints a few facts
# about the VM as "PIPEBENCH-INFO key value" lines, then runs pipebench
# with the arguments the host left in /minipipe/bench/args; pipebench
# prints its results between PIPEBENCH-BEGIN and PIPEBENCH-END.  Both
# files are put into the initramfs by tools/project/vm/initramfs.d/60-bench.sh.

bin=/minipipe/bench/pipebench
args=$(cat /minipipe/bench/args 2>/dev/null)

echo "PIPEBENCH-INFO cpu $(sed -n '/^model name[[:space:]]*: /{s///p;q}' /proc/cpuinfo)"
echo "PIPEBENCH-INFO cpuflags $(grep -ow -m 1 -e monitor -e constant_tsc -e hypervisor /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "PIPEBENCH-INFO cpuidle $(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none)"
echo "PIPEBENCH-INFO cmdline $(cat /proc/cmdline)"
echo "PIPEBENCH-INFO clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "PIPEBENCH-INFO args $args"
cd /tmp || exit 1
# shellcheck disable=SC2086 # args is a word list
exec "$bin" $args
