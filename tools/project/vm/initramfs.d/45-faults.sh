#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: put mpfault (tools/project/faults), the fault-injection test, into the
# initramfs as /usr/bin/mpfault for guest.d/80-faults.tap.sh.  It is static
# and built for every kernel; it skips itself on kernels without fault
# injection.  Env: STAGING (initramfs root being built).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

make -s -C "$top/tools/project/faults" OUTPUT="$tmp" >/dev/null
install -m 0755 "$tmp/mpfault" "$STAGING/usr/bin/mpfault"
