#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/vm/check-debug.sh — `make check-debug`: `make check` on the debug
# kernel.
#
# The debug kernel is Debian's linux-source-6.1 built from tinyconfig plus
# tools/vm/debug-kernel.config: KASAN, lockdep (PROVE_LOCKING),
# DEBUG_ATOMIC_SLEEP, DEBUG_LIST, kmemleak and fault injection (failslab,
# fail_page_alloc).  `deps.sh debug` (run by check.sh) installs what the
# build needs and builds it once into $MINIPIPE_CACHE/debug-kernel-<hash>/
# (tools/vm/debug-kernel.sh).  Then check.sh does what it does for any
# kernel: minipipe.ko built against that tree (W=1), the selftests, the
# guest.d steps (on this kernel also guest.d/80-faults, the fault
# injection), rmmod, a kmemleak scan, and a failure for any splat.
#
# Everything runs slower under KASAN and lockdep, so the VM's deadline is
# longer (MINIPIPE_VM_TIMEOUT, default here 5400 s).

set -euo pipefail
export KERNEL=debug
export MINIPIPE_VM_TIMEOUT=${MINIPIPE_VM_TIMEOUT:-5400}
exec "$(dirname "${BASH_SOURCE[0]}")/check.sh" "$@"
