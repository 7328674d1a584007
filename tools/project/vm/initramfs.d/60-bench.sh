#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: the pipe benchmark (tools/project/bench/) in the initramfs.
#   /minipipe/bench/pipebench   the static benchmark binary
#   /minipipe/bench/args        its arguments for `make bench`, from
#                               MINIPIPE_BENCH_ARGS (empty: its defaults)
#   /minipipe/bench.sh          what /init runs in mpmode=bench
# `make check` only runs the binary once, tiny (guest.d/60-bench-smoke.sh).
# Env: STAGING (initramfs root being built), MINIPIPE_BENCH_ARGS (optional).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
dest=$STAGING/minipipe/bench

mkdir -p "$dest"
make -s -C "$top/tools/project/bench" OUTPUT="$dest" >/dev/null
install -m 0755 "$top/tools/project/bench/guest-bench.sh" "$STAGING/minipipe/bench.sh"
printf '%s\n' "${MINIPIPE_BENCH_ARGS:-}" >"$dest/args"
