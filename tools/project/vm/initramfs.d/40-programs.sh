#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: put real, dynamically linked Debian programs and the
# LD_PRELOAD shim into the initramfs, so that guest.d/50-programs.tap.sh and
# the demo (demo.d/54-shim.sh) can run unmodified programs over minipipe.
# busybox is static and ignores LD_PRELOAD, hence bash, coreutils and
# stress-ng with their libraries.
# Env: STAGING (initramfs root being built).
set -euo pipefail

top=$(cd "$(dirname "$0")/../../../.." && pwd)
dest=$STAGING/opt/debian
programs=(bash seq sort sha256sum head yes wc tr readlink cat ls stress-ng)

make -s -C "$top/tools/user/lib" OUTPUT="$STAGING/opt/minipipe" >/dev/null
rm -f "$STAGING"/opt/minipipe/*.o
mkdir -p "$dest/bin"
for name in "${programs[@]}"; do
	path=$(command -v "$name") || { echo "40-programs: $name not installed" >&2; exit 1; }
	cp -L "$path" "$dest/bin/$name"
	# Each library at the path the dynamic loader will look for it.
	ldd "$path" | awk '/=> \// { print $3 } /^\t\/lib/ { print $1 }' |
		while read -r lib; do
			mkdir -p "$STAGING$(dirname "$lib")"
			cp -Ln "$lib" "$STAGING$lib" 2>/dev/null || true
		done
done
