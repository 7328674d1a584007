#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/check-debug.sh — `make check-debug`: `make check` on the two
# debug kernels.
#
# Both are Debian's linux-source-6.1 built from tinyconfig plus
# tools/project/vm/debug-base.config (lockdep (PROVE_LOCKING), DEBUG_ATOMIC_SLEEP,
# DEBUG_LIST, fault injection: failslab, fail_page_alloc, fail-nth;
# userfaultfd) and a flavour of their own:
#   debug-kasan  KASAN and kmemleak              (debug-kasan.config)
#   debug-kcsan  KCSAN, strict                   (debug-kcsan.config)
# KCSAN and KASAN exclude each other, hence two kernels.  `deps.sh` (run by
# check.sh) installs what the builds need and builds each once into
# $MINIPIPE_CACHE/<name>-<hash>/ (tools/project/vm/debug-kernel.sh).  Then check.sh
# does what it does for any kernel: minipipe.ko built against that tree
# (W=1, and with the race windows of module/race.c compiled in), the
# selftests (on these kernels also selftests/pipe_fault, the fault
# injection, which skips itself elsewhere), the guest.d steps, rmmod, a kmemleak scan, and a failure for any
# splat or KCSAN report.
#
# Everything runs slower under KASAN, KCSAN and lockdep, so the VM's
# deadline is longer (MINIPIPE_VM_TIMEOUT, default here 5400 s).

set -euo pipefail
export KERNEL=${KERNEL:-debug-kasan debug-kcsan}
export MINIPIPE_VM_TIMEOUT=${MINIPIPE_VM_TIMEOUT:-5400}
exec "$(dirname "${BASH_SOURCE[0]}")/check.sh" "$@"
