#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: the selftests as the kselftest framework installs them
# (KSFT_INSTALL, from lib.sh's mp_build_kselftest; set for one kernel of
# make check only), as /minipipe/kselftest/ for guest.d/55-kselftest.tap.sh.
# The framework's runner.sh runs each test under
# `/usr/bin/timeout --foreground`, which busybox's timeout does not know:
# Debian's own timeout, with its libraries, takes that place.
# Env: STAGING (initramfs root being built), KSFT_INSTALL (may be empty).
set -euo pipefail

[[ -n ${KSFT_INSTALL:-} ]] || exit 0
cp -R "$KSFT_INSTALL" "$STAGING/minipipe/kselftest"
rm -f "$STAGING/usr/bin/timeout"
cp -L /usr/bin/timeout "$STAGING/usr/bin/timeout"
ldd /usr/bin/timeout | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
	while read -r lib; do
		mkdir -p "$STAGING$(dirname "$lib")"
		[[ -e $STAGING$lib ]] || cp -L "$lib" "$STAGING$lib"
	done
