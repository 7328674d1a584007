#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: /minipipe/mp_unpriv (tools/project/vm/unpriv/mp_unpriv.c),
# with which the guest's /init runs test programs a second time as an
# unprivileged user (docs/semantics.md, R89).  Static, like the tests.
# Env: STAGING (initramfs root being built).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
gcc -static -O2 -Wall -Wextra -Werror -o "$STAGING/minipipe/mp_unpriv" \
	"$top/tools/project/vm/unpriv/mp_unpriv.c"
