#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: put the user-facing tools into the initramfs, for the demo
# steps (guest/demo.d) and the guest.d steps 70-examples and
# 75-observability:
#   /usr/bin/mptop             the ring viewer (tools/learn/mptop)
#   /usr/bin/ex1_parent_child  ... ex5_atomic_writers: the exercises (tools/learn/examples)
#   /usr/bin/mpdemo            the demo's C helper (tools/learn/demo)
# All of ours are static.  Env: STAGING (initramfs root being built).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$top/tools/learn/mptop" OUTPUT="$tmp/mptop" >/dev/null
make -s -C "$top/tools/learn/examples" OUTPUT="$tmp/examples" >/dev/null
make -s -C "$top/tools/learn/demo" OUTPUT="$tmp/demo" >/dev/null
install -m 0755 "$tmp/mptop/mptop" "$tmp/demo/mpdemo" "$STAGING/usr/bin/"
for prog in $(make -s --no-print-directory -C "$top/tools/learn/examples" print-progs); do
	install -m 0755 "$tmp/examples/$prog" "$STAGING/usr/bin/"
done
