#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/user/install.sh — what `make install`, `make uninstall` and the DKMS
# targets of the top Makefile do.
#
#   install.sh install         minipipe.ko (modules_install + depmod against
#                              KDIR), <minipipe.h>, libminipipe, the shim,
#                              mptop and the man pages
#   install.sh uninstall       remove all of that again
#   install.sh dkms-src [DIR]  a DKMS source tree (dkms.conf, Kbuild, module/)
#                              in DIR, default $DESTDIR/usr/src/minipipe-VERSION
#   install.sh dkms-install    dkms-src into /usr/src, then dkms add, build
#                              and install for the kernel of KDIR
#   install.sh dkms-uninstall  dkms remove --all, and the tree in /usr/src
#
# Environment (the Makefile passes them): KDIR (kernel build tree, needed
# for the module), DESTDIR (staging root, default none), PREFIX (default
# /usr/local).  The module goes to $DESTDIR/lib/modules/<release>/extra/,
# which is where the kernel's modules_install puts external modules; user
# space files go under $DESTDIR$PREFIX:
#   bin/mptop  include/minipipe.h  include/minipipe_lib.h
#   lib/libminipipe.a  lib/libminipipe.so.1 (+ libminipipe.so link)
#   lib/minipipe-shim.so  share/man/man4/minipipe.4  share/man/man1/mptop.1

set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DESTDIR=${DESTDIR:-}
PREFIX=${PREFIX:-/usr/local}
KDIR=${KDIR:-}
build=$root/build
dkms_conf=$root/tools/user/dkms/dkms.conf
version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$dkms_conf")

# The top Makefile's command-line variables must not reach kbuild.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

die() { echo "minipipe: $*" >&2; exit 1; }

# The release of the kernel KDIR builds for, e.g. 6.1.0-56-amd64: the
# modules directory and vermagic use UTS_RELEASE (Debian's
# include/config/kernel.release says 6.1.192 instead).
krelease() {
	local h=$KDIR/include/generated/utsrelease.h
	[[ -n $KDIR && -f $h ]] ||
		die "no kernel build tree in KDIR='$KDIR' (install linux-headers-... or pass KDIR=)"
	sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$h"
}

# run COMMAND... — show it, then run it.
run() {
	echo "  $*"
	"$@"
}

# depmod_for RELEASE — update the module index, unless staging into DESTDIR
# (an index there would hold only minipipe: the target system makes its own).
depmod_for() {
	if [[ -n $DESTDIR ]]; then
		echo "  (DESTDIR is set: run depmod $1 on the target system)"
	else
		run depmod "$1"
	fi
}

# The installed module: kbuild compresses it where the kernel's config says
# so (Debian's 6.12: minipipe.ko.xz).
installed_module() {
	local f
	for f in "$DESTDIR/lib/modules/$1/extra/minipipe.ko"{,.gz,.xz,.zst}; do
		[[ -f $f ]] && echo "$f" && return
	done
	return 1
}

user_files() {
	local d=$DESTDIR$PREFIX
	echo "$d/bin/mptop $d/include/minipipe.h $d/include/minipipe_lib.h" \
		"$d/lib/libminipipe.a $d/lib/libminipipe.so.1 $d/lib/libminipipe.so" \
		"$d/lib/minipipe-shim.so $d/share/man/man4/minipipe.4 $d/share/man/man1/mptop.1"
}

do_install() {
	local rel d=$DESTDIR$PREFIX
	rel=$(krelease)
	[[ -f $root/minipipe.ko ]] || die "minipipe.ko is not built (make modules)"
	echo "minipipe.ko -> ${DESTDIR}/lib/modules/$rel/extra/"
	# A headers tree has neither the signing key nor System.map: kbuild
	# then leaves the module unsigned (as DKMS would without a MOK) and
	# skips depmod, saying so; we run depmod ourselves.  DEPMOD=true keeps
	# kbuild from running it with a full tree (say the debug kernel of
	# make check-debug), which would leave its index files in DESTDIR.
	make -s -C "$KDIR" M="$root" INSTALL_MOD_PATH="$DESTDIR" INSTALL_MOD_DIR=extra \
		DEPMOD=true modules_install 2>&1 | grep -v -e 'System.map' -e 'sign-file' -e 'SSL error' \
		-e '^At main.c' || true
	installed_module "$rel" >/dev/null || die "modules_install failed"
	depmod_for "$rel"

	make -s -C "$root/tools/user/lib" OUTPUT="$build/lib" >/dev/null
	make -s -C "$root/tools/learn/mptop" OUTPUT="$build/mptop" >/dev/null
	echo "user space -> $d"
	install -d "$d/bin" "$d/include" "$d/lib" "$d/share/man/man4" "$d/share/man/man1"
	install -m 0755 "$build/mptop/mptop" "$d/bin/mptop"
	install -m 0644 "$root/module/uapi/minipipe.h" "$d/include/minipipe.h"
	install -m 0644 "$root/tools/user/lib/minipipe_lib.h" "$d/include/minipipe_lib.h"
	install -m 0644 "$build/lib/libminipipe.a" "$d/lib/libminipipe.a"
	# The library's soname is libminipipe.so.1; -lminipipe finds the link.
	install -m 0755 "$build/lib/libminipipe.so" "$d/lib/libminipipe.so.1"
	ln -sf libminipipe.so.1 "$d/lib/libminipipe.so"
	install -m 0755 "$build/lib/minipipe-shim.so" "$d/lib/minipipe-shim.so"
	install -m 0644 "$root/tools/user/man/minipipe.4" "$d/share/man/man4/minipipe.4"
	install -m 0644 "$root/tools/user/man/mptop.1" "$d/share/man/man1/mptop.1"
	if [[ -z $DESTDIR ]] && command -v ldconfig >/dev/null; then
		ldconfig || true
	fi
}

do_uninstall() {
	local rel f
	rel=$(krelease)
	for f in "$DESTDIR/lib/modules/$rel/extra/minipipe.ko"{,.gz,.xz,.zst} $(user_files); do
		if [[ -e $f || -L $f ]]; then
			run rm -f "$f"
		fi
	done
	if [[ -d $DESTDIR/lib/modules/$rel ]]; then
		depmod_for "$rel"
	fi
	if [[ -z $DESTDIR ]] && command -v ldconfig >/dev/null; then
		ldconfig || true
	fi
}

# dkms_src DIR — the sources DKMS builds from: dkms.conf, Kbuild, module/.
dkms_src() {
	local dir=$1
	rm -rf "$dir"
	mkdir -p "$dir/module/uapi"
	install -m 0644 "$dkms_conf" "$dir/dkms.conf"
	install -m 0644 "$root/Kbuild" "$dir/Kbuild"
	install -m 0644 "$root"/module/*.[ch] "$dir/module/"
	install -m 0644 "$root"/module/uapi/*.h "$dir/module/uapi/"
	echo "DKMS source tree: $dir"
}

main() {
	[[ -n $version ]] || die "no PACKAGE_VERSION in $dkms_conf"
	case ${1:-} in
	install) do_install ;;
	uninstall) do_uninstall ;;
	dkms-src) dkms_src "${2:-$DESTDIR/usr/src/minipipe-$version}" ;;
	dkms-install)
		local rel
		rel=$(krelease)
		dkms_src "/usr/src/minipipe-$version"
		run dkms add -m minipipe -v "$version"
		run dkms build -m minipipe -v "$version" -k "$rel" --kernelsourcedir "$KDIR"
		run dkms install -m minipipe -v "$version" -k "$rel"
		;;
	dkms-uninstall)
		if [[ -n $(dkms status -m minipipe -v "$version") ]]; then
			run dkms remove -m minipipe -v "$version" --all
		fi
		run rm -rf "/usr/src/minipipe-$version"
		;;
	*)
		echo "usage: $0 install|uninstall|dkms-src [DIR]|dkms-install|dkms-uninstall" >&2
		exit 2
		;;
	esac
}

main "$@"
