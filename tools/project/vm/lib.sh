# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash disable=SC2034 # variables set here are used by callers
#
# tools/project/vm/lib.sh — helpers shared by the minipipe VM scripts.
#
# Sourced (never executed) by deps.sh, check.sh, demo.sh and shell.sh.
# Everything here is a variable or a function prefixed with mp_/MP_.
#
# Environment knobs (all optional):
#   KERNEL                 VM kernel(s): any of "6.1 6.12 6.12-rt" (the
#                          default) and "debug-kasan debug-kcsan" (make
#                          check-debug)
#   KVM=1                  use -accel kvm (default is TCG: /dev/kvm may hang)
#   MINIPIPE_CACHE         cache dir for extracted kernel sources
#                          (default /var/cache/minipipe)
#   MINIPIPE_BUILD         build output dir (default <repo>/build)
#   MINIPIPE_MODULE_SRC    dir holding Kbuild + module/ (default: the repo);
#                          development override only
#   MINIPIPE_SELFTESTS_SRC dir holding the selftests Makefile + settings
#                          (default <repo>/selftests); development override
#   MINIPIPE_TEST_TIMEOUT  per-program timeout in the guest, seconds
#                          (default: selftests/settings "timeout=", else 300)
#   MINIPIPE_BOOT_TIMEOUT  seconds to wait for the guest's boot marker (120)
#   MINIPIPE_VM_TIMEOUT    hard deadline for a whole VM run, seconds (1500)
#   MINIPIPE_MODULE_PARAMS parameters passed to insmod in the guest
#   MINIPIPE_APPEND        extra kernel command line words
#   MINIPIPE_QEMU_ARGS     extra qemu arguments (word-split)

# ---------------------------------------------------------------------------
# Paths and defaults
# ---------------------------------------------------------------------------

MP_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MP_ROOT=$(cd "$MP_VM_DIR/../../.." && pwd)
MP_BUILD=${MINIPIPE_BUILD:-$MP_ROOT/build}
MP_CACHE=${MINIPIPE_CACHE:-/var/cache/minipipe}
MP_SRC61=$MP_CACHE/src-6.1
MP_KSFT_INC=$MP_SRC61/tools/testing/selftests
MP_MODULE_SRC=${MINIPIPE_MODULE_SRC:-$MP_ROOT}
MP_SELFTESTS_SRC=${MINIPIPE_SELFTESTS_SRC:-$MP_ROOT/selftests}
MP_KERNELS=${KERNEL:-6.1 6.12 6.12-rt}
MP_BOOT_TIMEOUT=${MINIPIPE_BOOT_TIMEOUT:-120}
MP_VM_TIMEOUT=${MINIPIPE_VM_TIMEOUT:-1500}
# Once the guest has printed its "done" marker it only has to reboot.
MP_SHUTDOWN_GRACE=30

# The linux-source tarball and the files we take from it.
MP_LINUX_SOURCE_TAR=/usr/src/linux-source-6.1.tar.xz
# The kselftest framework's Makefile, lib.mk and runner let make check show
# selftests/ built and run the kernel's way (mp_build_kselftest).
MP_SRC_FILES=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/Makefile
	tools/testing/selftests/lib.mk
	tools/testing/selftests/run_kselftest.sh
	tools/testing/selftests/kselftest/runner.sh
	tools/testing/selftests/kselftest/prefix.pl
	tools/testing/selftests/kselftest/module.sh
	scripts/subarch.include
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
	scripts/kernel-doc
)

# Packages needed whatever the kernel.
# rsync: lib.mk's install (mp_build_kselftest).
MP_BASE_PKGS=(qemu-system-x86 busybox-static cpio linux-source-6.1 gcc make libc6-dev sparse
	rsync)

# The scripts run kbuild and the selftests Makefile themselves; a `make`
# that started us (make check) must not leak its command-line variables or
# jobserver into those builds.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

# ---------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------

mp_msg() { printf '%s\n' "$*"; }
mp_err() { printf 'minipipe: %s\n' "$*" >&2; }
mp_die() { mp_err "$*"; exit 1; }

# mp_shquote STRING — STRING single-quoted for any POSIX sh (busybox too).
mp_shquote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# mp_elapsed START — seconds since START (a $SECONDS value).
mp_elapsed() { echo $((SECONDS - $1)); }

# ---------------------------------------------------------------------------
# Kernels and packages
# ---------------------------------------------------------------------------

# mp_kernel_pkgs NAME — print the Debian packages for VM kernel NAME.
# debug-kasan and debug-kcsan are not Debian kernels but the ones
# tools/project/vm/debug-kernel.sh builds from linux-source-6.1 (make check-debug):
# their packages are what that build needs, and deps.sh then builds them
# (once, cached).
mp_kernel_pkgs() {
	case $1 in
	6.1)     echo linux-image-amd64 linux-headers-amd64 ;;
	6.12)    echo linux-image-6.12-amd64 linux-headers-6.12-amd64 ;;
	6.12-rt) echo linux-image-6.12-rt-amd64 linux-headers-6.12-rt-amd64 ;;
	debug-kasan | debug-kcsan) echo "${MP_DEBUG_KERNEL_PKGS[*]}" ;;
	*)       mp_err "unknown kernel '$1' (supported: 6.1 6.12 6.12-rt debug-kasan debug-kcsan)"
		 return 1 ;;
	esac
}

# mp_is_debug_kernel NAME — true for the kernels that debug-kernel.sh builds.
mp_is_debug_kernel() { [[ $1 == debug-kasan || $1 == debug-kcsan ]]; }

# The debug kernels (make check-debug): the config fragment they share,
# and the packages their build needs.  No dwarves: the kernels have no BTF.
# Each flavour adds tools/project/vm/debug-<flavour>.config (kasan, kcsan).
MP_DEBUG_BASE_CONFIG=$MP_VM_DIR/debug-base.config
MP_DEBUG_KERNEL_PKGS=(linux-source-6.1 xz-utils gcc make bc flex bison libelf-dev libssl-dev)

# mp_debug_kernel_config NAME — the flavour fragment of debug kernel NAME.
mp_debug_kernel_config() { echo "$MP_VM_DIR/${1}.config"; }

# mp_debug_kernel_dir NAME — print the cache directory of debug kernel
# NAME: $MINIPIPE_CACHE/NAME-<hash>, the hash taken over both config
# fragments, the linux-source-6.1 version and the compiler, so that a
# change of any of them builds a new kernel.  The directory holds linux/
# (the built tree: arch/x86/boot/bzImage, Module.symvers, ready for M=
# builds) and .done once the build has finished.
mp_debug_kernel_dir() {
	local hash
	hash=$({
		cat "$MP_DEBUG_BASE_CONFIG" "$(mp_debug_kernel_config "$1")"
		dpkg-query -W -f='${Version}\n' linux-source-6.1 2>/dev/null || true
		gcc --version 2>/dev/null | sed -n 1p
	} | sha256sum | cut -c1-16)
	echo "$MP_CACHE/$1-$hash"
}

# mp_pkg_installed PKG — true when dpkg reports PKG as installed.
mp_pkg_installed() {
	local status
	status=$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) || return 1
	[[ $status == "install ok installed" ]]
}

# mp_resolve_kernel NAME — find the newest installed kernel for NAME
# ("6.1", "6.12" or "6.12-rt") that has both an image and a headers tree.
# Sets MP_KVER (e.g. 6.1.0-56-amd64), MP_VMLINUZ, MP_KDIR,
# MP_MODULE_FLAGS (kbuild variables for mp_build_module) and
# MP_KERNEL_APPEND (kernel command line words this kernel needs).  NAME
# debug-kasan or debug-kcsan is the cached build of tools/project/vm/debug-kernel.sh
# (bzImage and its tree).
mp_resolve_kernel() {
	local name=$1 re ver cand base flavour dir
	mp_kernel_pkgs "$name" >/dev/null || return 1
	MP_KVER='' MP_VMLINUZ='' MP_KDIR='' MP_MODULE_FLAGS=() MP_KERNEL_APPEND=''
	if mp_is_debug_kernel "$name"; then
		# Debug kernels get the module's race windows (module/race.h).
		MP_MODULE_FLAGS=(MINIPIPE_RACE_POINTS=y)
		# KCSAN slows the boot's clock calibration so much that, with no
		# HPET or ACPI timer in a tinyconfig kernel, the guest's clock runs
		# wrong (sleep 600 ends early); the guest's /init turns KCSAN on
		# once booted (echo on > /sys/kernel/debug/kcsan).
		if [[ $name == debug-kcsan ]]; then
			MP_KERNEL_APPEND=kcsan.early_enable=0
		fi
		dir=$(mp_debug_kernel_dir "$name")
		if [[ ! -f $dir/.done ]]; then
			mp_err "the debug kernel $name is not built ($dir); run tools/project/vm/deps.sh $name"
			return 1
		fi
		MP_KVER=$(cat "$dir/linux/include/config/kernel.release")
		MP_VMLINUZ=$dir/linux/arch/x86/boot/bzImage
		MP_KDIR=$dir/linux
		return 0
	fi
	# NAME is a version and maybe a flavour: 6.1, 6.12, 6.12-rt.
	base=${name%%-*}
	flavour=${name#"$base"}
	# 6.1 -> ^6\.1\.<digits...>[-<abi>]-amd64$; this matches
	# 6.1.0-56-amd64 and 6.12.117+deb12-amd64 but not -rt/-cloud flavours;
	# 6.12-rt -> ...-rt-amd64$, which matches 6.12.117+deb12-rt-amd64.
	re="^${base//./\\.}\\.[0-9][^-]*(-[0-9]+)?${flavour}-amd64\$"
	# ls -v sorts versions naturally; walk from the newest down.
	# shellcheck disable=SC2012 # kernel file names are plain
	while read -r cand; do
		ver=${cand#/boot/vmlinuz-}
		[[ $ver =~ $re ]] || continue
		if [[ -f /usr/src/linux-headers-$ver/Makefile ]]; then
			MP_KVER=$ver
			MP_VMLINUZ=$cand
			MP_KDIR=/usr/src/linux-headers-$ver
			return 0
		fi
	done < <(ls -v /boot/vmlinuz-"$base".* 2>/dev/null | tac)
	mp_err "no installed kernel $name with headers (want /boot/vmlinuz-$base.*$flavour-amd64" \
		"and /usr/src/linux-headers-<same version>); run tools/project/vm/deps.sh $name"
	return 1
}

# ---------------------------------------------------------------------------
# Builds
# ---------------------------------------------------------------------------

# mp_scan_build_log LOG — print every warning/error line of a build log;
# true when there are none.  modpost says "WARNING:", so match any case.
mp_scan_build_log() {
	! grep -iE 'warning:|error:' "$1"
}

# kbuild variables for every module build, and the kernel command line
# words of the kernel (both set by mp_resolve_kernel).
MP_MODULE_FLAGS=()
MP_KERNEL_APPEND=

# mp_copy_module_src DEST — Kbuild and module/ of MP_MODULE_SRC into DEST
# (made afresh), sources only: objects left by an in-tree `make` are for
# another kernel and must not be reused.
mp_copy_module_src() {
	local dest=$1
	if [[ ! -f $MP_MODULE_SRC/Kbuild || ! -d $MP_MODULE_SRC/module ]]; then
		mp_err "no Kbuild or module/ in $MP_MODULE_SRC"
		return 1
	fi
	rm -rf "$dest"
	mkdir -p "$dest"
	tar -C "$MP_MODULE_SRC" -cf - --exclude='*.o' --exclude='*.ko' \
		--exclude='*.mod' --exclude='*.mod.c' --exclude='*.cmd' \
		--exclude='*.a' --exclude='.*.d' --exclude='*.symvers' \
		--exclude='*.order' --exclude='.tmp_versions' Kbuild module |
		tar -C "$dest" -xf -
}

# mp_kbuild SRC KDIR LOG [VAR=value...] — build SRC/minipipe.ko against
# KDIR with W=1 (the extra compiler warnings) and the VARs, output in LOG;
# fails on an error, on any warning and when no minipipe.ko comes out.
mp_kbuild() {
	local src=$1 kdir=$2 log=$3
	shift 3
	if ! make -C "$kdir" M="$src" W=1 -j"$(nproc)" "$@" modules >"$log" 2>&1; then
		mp_err "module build in $src failed (log: $log):"
		tail -n 40 "$log" >&2
		return 1
	fi
	if ! mp_scan_build_log "$log"; then
		mp_err "module build in $src has warnings (log: $log)"
		return 1
	fi
	if [[ ! -f $src/minipipe.ko ]]; then
		mp_err "module build in $src made no minipipe.ko (log: $log)"
		return 1
	fi
}

# mp_build_module KVER KDIR — build minipipe.ko for one kernel, with the
# kbuild variables of MP_MODULE_FLAGS, in a fresh copy of the sources
# (build/<kver>/module-src), so that each kernel gets its own objects and
# a matching vermagic, and every warning is seen on every run.  C=2 runs
# sparse on every file.  Sets MP_MODULE_KO.
mp_build_module() {
	local kver=$1 kdir=$2 src
	src=$MP_BUILD/$kver/module-src
	MP_MODULE_KO=$src/minipipe.ko
	mp_copy_module_src "$src" || return 1
	mp_kbuild "$src" "$kdir" "$MP_BUILD/$kver/module-build.log" C=2 "${MP_MODULE_FLAGS[@]}" ||
		{ mp_err "(minipipe.ko for $kver)"; return 1; }
}

# ---------------------------------------------------------------------------
# Labs (tools/learn/labs/<name>/: lab.patch, sheet.md, tests, scenario.sh,
# kbuild; see its README.md)
# ---------------------------------------------------------------------------

MP_LABS_DIR=$MP_ROOT/tools/learn/labs

# mp_lab_names — every lab's name, in order.
mp_lab_names() {
	local d
	for d in "$MP_LABS_DIR"/*/; do
		if [[ -f $d/lab.patch ]]; then
			basename "$d"
		fi
	done
}

# mp_lab_title NAME — the title of a lab's sheet ("# Lab: <title>").
mp_lab_title() {
	sed -n '1s/^# Lab: *//p' "$MP_LABS_DIR/$1/sheet.md" 2>/dev/null
}

# mp_lab_tests NAME — the lab's tests, "<program> <full name>" per line.
mp_lab_tests() {
	sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' \
		"$MP_LABS_DIR/$1/tests"
}

# mp_lab_kbuild NAME — the lab's extra kbuild variables, one per line.
mp_lab_kbuild() {
	[[ -f $MP_LABS_DIR/$1/kbuild ]] || return 0
	sed -e 's/#.*//' -e 's/[[:space:]]//g' -e '/^$/d' "$MP_LABS_DIR/$1/kbuild"
}

# mp_lab_patch_files NAME — the files lab.patch changes (paths from the
# tree's top); fails if one is not in module/: a lab breaks the module, not
# the tests that must catch it.
mp_lab_patch_files() {
	local f
	while read -r f; do
		f=${f#b/}
		[[ $f == module/* && $f != *..* ]] ||
			{ mp_err "lab $1: lab.patch changes $f, outside module/"; return 1; }
		echo "$f"
	done < <(sed -n 's/^+++ \([^[:space:]]*\).*/\1/p' "$MP_LABS_DIR/$1/lab.patch")
}

# mp_lab_apply NAME SRC — apply lab NAME's patch to the sources in SRC;
# exactly, with no fuzz, so that a lab whose context changed is noticed.
mp_lab_apply() {
	mp_lab_patch_files "$1" >/dev/null || return 1
	if ! patch -d "$2" -p1 -F0 -N --no-backup-if-mismatch -s <"$MP_LABS_DIR/$1/lab.patch" >&2; then
		mp_err "lab $1: lab.patch does not apply to today's module/"
		return 1
	fi
}

# mp_build_lab NAME KVER KDIR OUT [solved] — the broken module of lab NAME
# (with "solved", the reference module) for one kernel: OUT/minipipe.ko,
# built in OUT/src from a fresh copy of the sources, patched, with the lab's
# kbuild variables (W=1, no warning allowed).  Log: OUT/build.log.
mp_build_lab() {
	local name=$1 kver=$2 kdir=$3 out=$4 solved=${5:-} flags=()
	mapfile -t flags < <(mp_lab_kbuild "$name")
	rm -rf "$out"
	mkdir -p "$out"
	mp_copy_module_src "$out/src" || return 1
	if [[ $solved != solved ]]; then
		mp_lab_apply "$name" "$out/src" || return 1
	fi
	mp_kbuild "$out/src" "$kdir" "$out/build.log" "${flags[@]}" || return 1
	cp "$out/src/minipipe.ko" "$out/minipipe.ko"
}

# mp_build_labs KVER KDIR OUT NAME... — the broken modules of many labs for
# one kernel, quickly: in one tree built once with the reference sources,
# each lab's patch is applied, the tree rebuilt (kbuild recompiles only the
# files the patch touched), the module kept as OUT/<name>/minipipe.ko, and
# the touched files put back (with a new time, so that the next build
# recompiles them).  A lab with kbuild variables of its own gets a tree of
# its own (mp_build_lab), and a reference module built the same way as
# OUT/<name>/reference.ko.  A lab that fails gets OUT/<name>/error, the
# reason in one line, instead of a module.
mp_build_labs() {
	local kver=$1 kdir=$2 out=$3 tree name f files
	shift 3
	tree=$out/.tree
	rm -rf "$out"
	mkdir -p "$out"
	mp_copy_module_src "$tree" || return 1
	cp -R "$tree" "$out/.pristine"
	mp_kbuild "$tree" "$kdir" "$out/.tree.log" || return 1
	for name in "$@"; do
		mkdir -p "$out/$name"
		if [[ -n $(mp_lab_kbuild "$name") ]]; then
			if ! mp_build_lab "$name" "$kver" "$kdir" "$out/$name/broken" 2>"$out/$name/log"; then
				echo "the broken module does not build: $(tail -n 1 "$out/$name/log")" >"$out/$name/error"
			elif ! mp_build_lab "$name" "$kver" "$kdir" "$out/$name/solved" solved \
				2>"$out/$name/log"; then
				echo "the reference module does not build with $(mp_lab_kbuild "$name" | tr '\n' ' ')" \
					>"$out/$name/error"
			else
				mv "$out/$name/broken/minipipe.ko" "$out/$name/minipipe.ko"
				mv "$out/$name/solved/minipipe.ko" "$out/$name/reference.ko"
				rm -rf "$out/$name/broken" "$out/$name/solved"
			fi
			continue
		fi
		if ! files=$(mp_lab_patch_files "$name" 2>"$out/$name/log"); then
			echo "$(tail -n 1 "$out/$name/log")" >"$out/$name/error"
			continue
		fi
		if ! mp_lab_apply "$name" "$tree" 2>"$out/$name/log"; then
			echo "lab.patch does not apply to today's module/" >"$out/$name/error"
		elif ! mp_kbuild "$tree" "$kdir" "$out/$name/build.log" 2>>"$out/$name/log"; then
			echo "the broken module does not build cleanly (W=1): $(grep -m1 -iE 'warning:|error:' \
				"$out/$name/build.log")" >"$out/$name/error"
		else
			cp "$tree/minipipe.ko" "$out/$name/minipipe.ko"
		fi
		# Put back every file the patch names, whether or not it applied.
		for f in $files; do
			rm -f "$tree/$f"
			if [[ -f $out/.pristine/$f ]]; then
				cp "$out/.pristine/$f" "$tree/$f"
			fi
		done
	done
}

# mp_read_settings DIR — print the kselftest "timeout=" of DIR/settings,
# or 300 when there is none; MINIPIPE_TEST_TIMEOUT wins over both.
mp_read_settings() {
	local t=
	if [[ -n ${MINIPIPE_TEST_TIMEOUT:-} ]]; then
		t=$MINIPIPE_TEST_TIMEOUT
	elif [[ -f $1/settings ]]; then
		t=$(sed -n 's/^[[:space:]]*timeout[[:space:]]*=[[:space:]]*\([0-9][0-9]*\).*/\1/p' \
			"$1/settings" | tail -n 1)
	fi
	echo "${t:-300}"
}

# mp_build_selftests OUTDIR — build the selftests into OUTDIR.
# Sets MP_TEST_PROGS (program names, in order) and MP_TEST_TIMEOUT.
mp_build_selftests() {
	local outdir=$1 log progs name f
	MP_TEST_PROGS=()
	MP_TEST_TIMEOUT=$(mp_read_settings "$MP_SELFTESTS_SRC")
	if [[ ! -f $MP_SELFTESTS_SRC/Makefile ]]; then
		mp_err "no selftests Makefile at $MP_SELFTESTS_SRC/Makefile"
		return 1
	fi
	log=$MP_BUILD/selftests-build.log
	mkdir -p "$MP_BUILD"
	rm -rf "$outdir"
	mkdir -p "$outdir"
	if ! make -C "$MP_SELFTESTS_SRC" OUTPUT="$outdir" KSFT_INC="$MP_KSFT_INC" \
		-j"$(nproc)" >"$log" 2>&1; then
		mp_err "selftests build failed (log: $log):"
		tail -n 40 "$log" >&2
		return 1
	fi
	if ! mp_scan_build_log "$log"; then
		mp_err "selftests build has warnings (log: $log)"
		return 1
	fi
	# Prefer the Makefile's own list; fall back to every executable file.
	if progs=$(make --no-print-directory -s -C "$MP_SELFTESTS_SRC" \
		OUTPUT="$outdir" KSFT_INC="$MP_KSFT_INC" print-progs 2>/dev/null) &&
		[[ -n $progs ]]; then
		for name in $progs; do
			name=${name##*/}
			if [[ ! -x $outdir/$name ]]; then
				mp_err "selftests: print-progs names $name, but $outdir/$name was not built"
				return 1
			fi
			MP_TEST_PROGS+=("$name")
		done
	else
		while IFS= read -r f; do
			MP_TEST_PROGS+=("${f##*/}")
		done < <(find "$outdir" -maxdepth 1 -type f -perm -u+x | sort)
	fi
	for name in "${MP_TEST_PROGS[@]}"; do
		# Names end up in console markers: keep them to one plain word.
		if [[ ! $name =~ ^[A-Za-z0-9_][A-Za-z0-9_.+-]*$ ]]; then
			mp_err "selftests: unusable program name '$name'"
			return 1
		fi
		# The initramfs has no C library: every program must be static.
		# Captured, not piped: grep -q exiting first would fail readelf.
		if [[ $(readelf -l "$outdir/$name" 2>/dev/null) == *'program interpreter'* ]]; then
			mp_err "selftests: $name is dynamically linked; the VM needs static binaries"
			return 1
		fi
	done
	if ((${#MP_TEST_PROGS[@]} == 0)); then
		mp_err "selftests: the build produced no test programs"
		return 1
	fi
}

# mp_build_kselftest OUTDIR — selftests/ the kernel's way: copied as
# tools/testing/selftests/minipipe/ into a copy of the 6.1 kselftest
# framework (OUTDIR/tree), then `make -C tools/testing/selftests
# TARGETS=minipipe install`, which builds it with lib.mk and installs it
# with run_kselftest.sh into OUTDIR/install.  Log: OUTDIR/build.log.
mp_build_kselftest() {
	local outdir=$1 tree=$1/tree log=$1/build.log list
	rm -rf "$outdir"
	mkdir -p "$tree"
	cp -R "$MP_SRC61/tools" "$MP_SRC61/scripts" "$tree/"
	tar -C "$MP_SELFTESTS_SRC" -cf - --exclude=./out . |
		{ mkdir "$tree/tools/testing/selftests/minipipe" &&
			tar -C "$tree/tools/testing/selftests/minipipe" -xf -; }
	if ! make -C "$tree/tools/testing/selftests" TARGETS=minipipe MINIPIPE_TOP="$MP_ROOT" 		FORCE_TARGETS=1 INSTALL_PATH="$outdir/install" -j"$(nproc)" install >"$log" 2>&1; then
		mp_err "kselftest install failed (log: $log):"
		tail -n 40 "$log" >&2
		return 1
	fi
	if ! mp_scan_build_log "$log"; then
		mp_err "kselftest build has warnings (log: $log)"
		return 1
	fi
	list=$(cat "$outdir/install/kselftest-list.txt" 2>/dev/null) || true
	if [[ $'\n'$list$'\n' != *$'\n'minipipe:pipe_rw$'\n'* ]]; then
		mp_err "kselftest install: no minipipe:pipe_rw in $outdir/install/kselftest-list.txt"
		return 1
	fi
}

# mp_build_initramfs KVER KO OUT [TESTDIR PROG...] — pack the guest:
# busybox, /init, the guest scripts, minipipe.ko and (optionally) the test
# programs.  Host hooks in tools/project/vm/initramfs.d/*.sh, if any, run with
# STAGING, KVER, KDIR and KSFT_INSTALL (MP_KSFT_INSTALL: the installed
# kselftests of mp_build_kselftest, or empty) in the environment and may
# add files (e.g. example programs that a guest.d step then runs).
mp_build_initramfs() {
	local kver=$1 ko=$2 out=$3 testdir=${4:-} stage applet hook name
	shift 4 || shift $#
	stage=$MP_BUILD/$kver/initramfs.d
	rm -rf "$stage"
	mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,root,etc} \
		"$stage"/minipipe/{tests,guest.d,demo.d}

	# busybox, with a symlink per applet made here on the host.
	cp /bin/busybox "$stage/bin/busybox"
	while read -r applet; do
		[[ $applet == bin/busybox ]] && continue
		ln -sf /bin/busybox "$stage/$applet"
	done < <(/bin/busybox --list-full)

	# Guest scripts.  demo.d and guest.d take numbered *.sh steps.
	install -m 0755 "$MP_VM_DIR/guest/init" "$stage/init"
	install -m 0644 "$MP_VM_DIR/guest/lib.sh" "$stage/minipipe/lib.sh"
	install -m 0755 "$MP_VM_DIR/guest/demo.sh" "$stage/minipipe/demo.sh"
	install -m 0755 "$MP_VM_DIR/guest/lab.sh" "$stage/minipipe/lab.sh"
	install -m 0755 "$MP_VM_DIR/guest/lab-prove.sh" "$stage/minipipe/lab-prove.sh"
	for name in demo.d guest.d; do
		if compgen -G "$MP_VM_DIR/guest/$name/*.sh" >/dev/null; then
			install -m 0755 "$MP_VM_DIR/guest/$name"/*.sh "$stage/minipipe/$name/"
		fi
	done

	install -m 0644 "$ko" "$stage/minipipe/minipipe.ko"

	# Test programs, in the order given.
	for name in "$@"; do
		install -m 0755 "$testdir/$name" "$stage/minipipe/tests/$name"
	done

	# Settings for the guest, read by /init.
	{
		printf 'MP_TEST_TIMEOUT=%s\n' "$(mp_shquote "${MP_TEST_TIMEOUT:-300}")"
		printf 'MP_TESTS=%s\n' "$(mp_shquote "$*")"
		printf 'MP_MODULE_PARAMS=%s\n' "$(mp_shquote "${MINIPIPE_MODULE_PARAMS:-}")"
	} >"$stage/minipipe/config"

	if compgen -G "$MP_VM_DIR/initramfs.d/*.sh" >/dev/null; then
		for hook in "$MP_VM_DIR"/initramfs.d/*.sh; do
			STAGING=$stage KVER=$kver KDIR=${MP_KDIR:-} \
				KSFT_INSTALL=${MP_KSFT_INSTALL:-} bash "$hook" ||
				{ mp_err "initramfs hook $hook failed"; return 1; }
		done
	fi

	# newc is the format the kernel unpacks; owners are forced to root.
	(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
		cpio --quiet -o -H newc -R 0:0) | gzip -6 >"$out.tmp"
	mv "$out.tmp" "$out"
}

# ---------------------------------------------------------------------------
# Booting
# ---------------------------------------------------------------------------

# mp_qemu_cmd VMLINUZ INITRD MODE — fill the array MP_QEMU with the qemu
# command line for one boot.  MODE (check, demo, lab, shell or bench) tells the
# guest's /init what to do; it reads it from /proc/cmdline.
mp_qemu_cmd() {
	local vmlinuz=$1 initrd=$2 mode=$3 accel=(-accel tcg) extra=()
	if [[ ${KVM:-0} == 1 ]]; then
		accel=(-accel kvm -cpu host)
	fi
	if [[ -n ${MINIPIPE_QEMU_ARGS:-} ]]; then
		read -r -a extra <<<"$MINIPIPE_QEMU_ARGS"
	fi
	# No network card: nothing uses it, and its boot ROM costs time.
	MP_QEMU=(qemu-system-x86_64 "${accel[@]}" -smp 2 -m 1024 -no-reboot -nic none
		-kernel "$vmlinuz" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 oops=panic loglevel=4 mpmode=$mode $MP_KERNEL_APPEND ${MINIPIPE_APPEND:-}"
		"${extra[@]}")
}

# Process id of the running qemu, for the signal trap.
MP_QEMU_PID=

mp_kill_qemu() {
	local pid=$MP_QEMU_PID i
	[[ -n $pid ]] || return 0
	kill "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 10; i++)); do
		kill -0 "$pid" 2>/dev/null || return 0
		sleep 0.5
	done
	kill -9 "$pid" 2>/dev/null || true
}

# mp_host_fail LOG MSG — append a host-side failure note to a console log;
# scan-log.sh reports each one as a failure.
mp_host_fail() {
	printf '\nMINIPIPE-HOST-FAIL: %s\n' "$2" >>"$1"
}

# mp_live_filter — the console as a person wants to watch it: from the
# guest's boot marker on, without the protocol markers, the kernel log dump,
# a lab's whole trace (guest/lab.sh) or terminal control sequences.  Kernel messages printed on the console
# (warnings and worse) still show.
mp_live_filter() {
	awk '
		{ gsub(/\r/, ""); gsub(/\033\[[0-9;?]*[A-Za-z]/, ""); gsub(/\033./, "") }
		/MINIPIPE-STAGE boot/   { started = 1; next }
		!started                { next }
		/^MINIPIPE-DMESG-BEGIN/ { hide = 1; next }
		/^MINIPIPE-DMESG-END/   { hide = 0; next }
		/^MINIPIPE-TRACE-BEGIN/ { hide = 1; next }
		/^MINIPIPE-TRACE-END/   { hide = 0; next }
		hide || /^MINIPIPE-/    { next }
		{ print; fflush() }
	'
}

# mp_boot VMLINUZ INITRD MODE LOG [live] — mp_boot_once, and once more if
# the kernel never reached /init.  Nothing of ours has run by then (the
# module is loaded by /init), and under TCG Debian's kernel now and then
# dies early on its own: an int3 oops while it patches its code on one
# vCPU as the other runs it.  The first console log is kept as LOG.first,
# and the scanner judges the second boot as usual.
mp_boot() {
	mp_boot_once "$@"
	grep -q 'MINIPIPE-STAGE boot' "$4" && return 0
	mv "$4" "$4.first"
	mp_msg "the kernel never reached /init (console: $4.first); booting once more"
	mp_boot_once "$@"
}

# mp_boot_once VMLINUZ INITRD MODE LOG [live] — boot the VM without a terminal,
# serial console captured in LOG, under a watchdog:
#   * no "MINIPIPE-STAGE boot" within MINIPIPE_BOOT_TIMEOUT s -> kill;
#   * the whole run over MINIPIPE_VM_TIMEOUT s                 -> kill;
#   * "MINIPIPE-STAGE done" seen, but no exit 30 s later         -> kill.
# Each kill is noted in LOG for the scanner.  With "live", LOG is also
# shown on stdout as it grows (demo).  Sets MP_BOOT_SECONDS.
mp_boot_once() {
	local vmlinuz=$1 initrd=$2 mode=$3 log=$4 live=${5:-} start booted=0 \
		done_at=0 el rc=0 tail_pid=
	mp_qemu_cmd "$vmlinuz" "$initrd" "$mode"
	: >"$log"
	start=$SECONDS
	# -nographic puts the serial console on stdout; the monitor is off
	# since nobody types into it.
	"${MP_QEMU[@]}" -nographic -monitor none </dev/null >"$log" 2>"$log.qemu-stderr" &
	MP_QEMU_PID=$!
	trap 'mp_kill_qemu; exit 130' INT TERM
	if [[ $live == live ]]; then
		tail -n +1 -f --pid="$MP_QEMU_PID" "$log" | mp_live_filter &
		tail_pid=$!
	fi
	while kill -0 "$MP_QEMU_PID" 2>/dev/null; do
		sleep 1
		el=$(mp_elapsed "$start")
		if ((!booted)) && grep -q 'MINIPIPE-STAGE boot' "$log"; then
			booted=1
		fi
		if ((!booted && el >= MP_BOOT_TIMEOUT)); then
			mp_kill_qemu
			mp_host_fail "$log" "no boot marker after ${el}s (limit ${MP_BOOT_TIMEOUT}s, MINIPIPE_BOOT_TIMEOUT); VM killed"
			break
		fi
		if ((el >= MP_VM_TIMEOUT)); then
			mp_kill_qemu
			mp_host_fail "$log" "VM still running after ${el}s (limit ${MP_VM_TIMEOUT}s, MINIPIPE_VM_TIMEOUT); VM killed"
			break
		fi
		if ((done_at == 0)) && grep -q 'MINIPIPE-STAGE done' "$log"; then
			done_at=$SECONDS
		fi
		if ((done_at && SECONDS - done_at >= MP_SHUTDOWN_GRACE)); then
			mp_kill_qemu
			mp_host_fail "$log" "guest did not power off ${MP_SHUTDOWN_GRACE}s after its done marker; VM killed"
			break
		fi
	done
	wait "$MP_QEMU_PID" || rc=$?
	MP_QEMU_PID=
	trap - INT TERM
	if [[ -n $tail_pid ]]; then wait "$tail_pid" 2>/dev/null || true; fi
	MP_BOOT_SECONDS=$(mp_elapsed "$start")
	# 143/137: killed by the watchdog above, already noted.
	if ((rc != 0 && rc != 143 && rc != 137)); then
		mp_host_fail "$log" "qemu exited with status $rc: $(tr '\n' ' ' <"$log.qemu-stderr")"
	fi
	cp "$log" "$MP_BUILD/last-console.log"
	return 0
}

# mp_prepare_kernel NAME — resolve kernel NAME and build its module.
# Sets MP_KVER, MP_VMLINUZ, MP_KDIR and MP_MODULE_KO.
mp_prepare_kernel() {
	mp_resolve_kernel "$1" || return 1
	mp_build_module "$MP_KVER" "$MP_KDIR"
}
