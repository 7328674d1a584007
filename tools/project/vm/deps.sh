#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/deps.sh — make sure this Debian 12 machine can build and boot
# the minipipe VMs.
#
# Usage: deps.sh [KERNEL...]      install what is missing for these VM
#                                 kernels (default: $KERNEL, else 6.1 6.12
#                                 6.12-rt)
#        deps.sh --resolve NAME   print KVER=, VMLINUZ= and KDIR= for the
#                                 newest installed kernel NAME (6.1, 6.12,
#                                 6.12-rt, debug-kasan, debug-kcsan)
#
# Installs, when missing: qemu-system-x86 busybox-static cpio
# linux-source-6.1 gcc make libc6-dev, and per kernel
#   6.1     -> linux-image-amd64 linux-headers-amd64
#   6.12    -> linux-image-6.12-amd64 linux-headers-6.12-amd64
#   6.12-rt -> linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64
#   debug-kasan, debug-kcsan
#           -> what building a kernel needs (bc flex bison libelf-dev ...),
#              then builds that debug kernel of `make check-debug` once
#              (tools/project/vm/debug-kernel.sh, cached in $MINIPIPE_CACHE)
# plus every package named in tools/project/vm/deps.d/*.list (one per line, "#"
# comments), so that a step which needs more (say an initramfs.d hook that
# copies host programs into the VM) can list them there.
# Then takes the kselftest headers and checkpatch files out of
# /usr/src/linux-source-6.1.tar.xz into $MINIPIPE_CACHE/src-6.1/ (default
# /var/cache/minipipe), keeping their paths in the kernel tree.
# Prints nothing much when everything is already there.

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# install_pkgs PKG... — apt-get install; on failure refresh the package
# lists once and try again (a fresh machine may have stale or no lists).
install_pkgs() {
	local log
	log=$(mktemp)
	mp_msg "installing: $*"
	export DEBIAN_FRONTEND=noninteractive
	if apt-get install -y --no-install-recommends "$@" >"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	mp_msg "apt-get install failed; running apt-get update and retrying"
	if apt-get update >>"$log" 2>&1 &&
		apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	tail -n 30 "$log" >&2
	rm -f "$log"
	mp_die "could not install: $*"
}

# ensure_packages KERNEL... — install whatever of the needed set is missing.
ensure_packages() {
	local pkgs=("${MP_BASE_PKGS[@]}") missing=() k p list
	for k in "$@"; do
		list=$(mp_kernel_pkgs "$k") || exit 1
		read -r -a p <<<"$list"
		pkgs+=("${p[@]}")
	done
	if compgen -G "$MP_VM_DIR/deps.d/*.list" >/dev/null; then
		read -r -a p <<<"$(sed 's/#.*//' "$MP_VM_DIR"/deps.d/*.list | tr -s '[:space:]' ' ')"
		pkgs+=("${p[@]}")
	fi
	for p in "${pkgs[@]}"; do
		mp_pkg_installed "$p" || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if ((EUID != 0)); then
		mp_die "missing Debian packages: ${missing[*]}
  install them as root:  apt-get install --no-install-recommends ${missing[*]}"
	fi
	install_pkgs "${missing[@]}"
}

# extract_sources — copy the few kernel-tree files we use out of the
# linux-source tarball, once.  Extracted into a temporary directory first
# and moved into place, so an interrupted run leaves no half cache behind.
extract_sources() {
	local f have=1 tmp members=()
	for f in "${MP_SRC_FILES[@]}"; do
		[[ -f $MP_SRC61/$f ]] || have=0
		members+=("*/$f")
	done
	((have)) && return 0
	[[ -f $MP_LINUX_SOURCE_TAR ]] || mp_die "$MP_LINUX_SOURCE_TAR is missing (package linux-source-6.1)"
	mkdir -p "$MP_CACHE" || mp_die "cannot create $MP_CACHE (set MINIPIPE_CACHE)"
	mp_msg "extracting kselftest and checkpatch files from $MP_LINUX_SOURCE_TAR"
	tmp=$(mktemp -d "$MP_CACHE/.src-6.1.XXXXXX")
	# The tarball's top directory is linux-source-6.1/: drop it.
	if ! tar -xJf "$MP_LINUX_SOURCE_TAR" -C "$tmp" --strip-components=1 \
		--wildcards "${members[@]}"; then
		rm -rf "$tmp"
		mp_die "could not extract ${MP_SRC_FILES[*]} from $MP_LINUX_SOURCE_TAR"
	fi
	for f in "${MP_SRC_FILES[@]}"; do
		[[ -f $tmp/$f ]] || { rm -rf "$tmp"; mp_die "$f is not in $MP_LINUX_SOURCE_TAR"; }
	done
	rm -rf "$MP_SRC61"
	mv "$tmp" "$MP_SRC61"
	chmod 0755 "$MP_SRC61"
}

main() {
	local kernels=() k
	if [[ ${1:-} == --resolve ]]; then
		(($# == 2)) || mp_die "usage: $0 --resolve 6.1|6.12|6.12-rt|debug-kasan|debug-kcsan"
		mp_resolve_kernel "$2" || exit 1
		printf 'KVER=%s\nVMLINUZ=%s\nKDIR=%s\n' "$MP_KVER" "$MP_VMLINUZ" "$MP_KDIR"
		return 0
	fi
	if (($#)); then
		kernels=("$@")
	else
		read -r -a kernels <<<"$MP_KERNELS"
	fi
	ensure_packages "${kernels[@]}"
	extract_sources
	# The debug kernels are built, not installed: once, then cached.
	for k in "${kernels[@]}"; do
		if mp_is_debug_kernel "$k"; then
			"$MP_VM_DIR/debug-kernel.sh" "$k" || exit 1
		fi
	done
	# The packages are there: each kernel must now resolve.
	for k in "${kernels[@]}"; do
		mp_resolve_kernel "$k" || exit 1
	done
}

main "$@"
