#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/debug-kernel.sh — build a debug kernel of `make check-debug`,
# once, into the cache.
#
# Usage: debug-kernel.sh NAME          build NAME (debug-kasan or
#                                      debug-kcsan) unless the cache has it
#        debug-kernel.sh NAME --dir    print its cache directory
#
# The kernel: Debian's linux-source-6.1 (/usr/src/linux-source-6.1.tar.xz),
# `make tinyconfig`, the settings of tools/project/vm/debug-base.config and then of
# tools/project/vm/NAME.config applied with scripts/config, `make olddefconfig`,
# then `make` (bzImage, and Module.symvers for out-of-tree modules).  The
# tree is built in place in $MINIPIPE_CACHE/NAME-<hash>/linux (see
# mp_debug_kernel_dir in lib.sh), so it is also the KDIR that minipipe.ko
# is built against; .done next to it marks a finished build, and a
# directory without it (an interrupted build) is started over.  Build log:
# <dir>/build.log.  The packages it needs are installed by `deps.sh NAME`,
# which calls this.

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# apply_fragment CONFIG FRAGMENT — each setting of FRAGMENT via scripts/config.
apply_fragment() {
	local cfg=$1 frag=$2 line sym val args=()
	while IFS= read -r line; do
		if [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			args+=(--disable "${BASH_REMATCH[1]}")
		elif [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]} val=${BASH_REMATCH[2]}
			case $val in
			y) args+=(--enable "$sym") ;;
			m) args+=(--module "$sym") ;;
			n) args+=(--disable "$sym") ;;
			\"*\") val=${val#\"}; args+=(--set-str "$sym" "${val%\"}") ;;
			*) args+=(--set-val "$sym" "$val") ;;
			esac
		fi
	done <"$frag"
	scripts/config --file "$cfg" "${args[@]}"
}

# check_fragment CONFIG FRAGMENT — every setting of FRAGMENT is in CONFIG
# after olddefconfig; print the ones that are not.
check_fragment() {
	local cfg=$1 frag=$2 line sym bad=0
	while IFS= read -r line; do
		if [[ $line =~ ^#\ CONFIG_([A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			if grep -q "^CONFIG_$sym=" "$cfg"; then
				mp_err "debug kernel: CONFIG_$sym should be off but is $(grep "^CONFIG_$sym=" "$cfg")"
				bad=1
			fi
		elif [[ $line == CONFIG_* ]]; then
			if ! grep -qxF -- "$line" "$cfg"; then
				sym=${line%%=*}
				mp_err "debug kernel: wanted $line, got: $(grep -E "^(# )?${sym}[= ]" "$cfg" || echo unset)"
				bad=1
			fi
		fi
	done <"$frag"
	return "$bad"
}

build() {
	local name=$1 dir=$2 src=$2/linux log=$2/build.log start=$SECONDS jobs frag
	[[ -f $MP_LINUX_SOURCE_TAR ]] ||
		mp_die "$MP_LINUX_SOURCE_TAR is missing (package linux-source-6.1; run tools/project/vm/deps.sh debug)"
	rm -rf "$dir"
	mkdir -p "$src"
	frag=$(mp_debug_kernel_config "$name")
	mp_msg "debug kernel $name: building in $dir (log: $log); this takes a few minutes"
	tar -xJf "$MP_LINUX_SOURCE_TAR" -C "$src" --strip-components=1
	jobs=$(nproc)
	(
		cd "$src"
		make tinyconfig
		apply_fragment .config "$MP_DEBUG_BASE_CONFIG"
		apply_fragment .config "$frag"
		make olddefconfig
	) >"$log" 2>&1 || { tail -n 30 "$log" >&2; mp_die "debug kernel $name: configuration failed"; }
	check_fragment "$src/.config" "$MP_DEBUG_BASE_CONFIG" &&
		check_fragment "$src/.config" "$frag" ||
		mp_die "debug kernel $name: $MP_DEBUG_BASE_CONFIG or $frag does not hold after olddefconfig"
	# `make` builds vmlinux, bzImage and (no) modules, and writes
	# Module.symvers; modules_prepare is part of it.
	if ! make -C "$src" -j"$jobs" >>"$log" 2>&1 ||
		! make -C "$src" modules_prepare >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		mp_die "debug kernel: build failed (log: $log)"
	fi
	for f in arch/x86/boot/bzImage Module.symvers include/config/kernel.release; do
		[[ -f $src/$f ]] || mp_die "debug kernel: the build made no $f (log: $log)"
	done
	touch "$dir/.done"
	mp_msg "debug kernel $name ($(cat "$src/include/config/kernel.release")) built in $(mp_elapsed "$start")s"
}

main() {
	local name=${1:-} dir
	mp_is_debug_kernel "$name" || mp_die "usage: $0 debug-kasan|debug-kcsan [--dir]"
	dir=$(mp_debug_kernel_dir "$name")
	if [[ ${2:-} == --dir ]]; then
		echo "$dir"
		return 0
	fi
	mkdir -p "$MP_CACHE" || mp_die "cannot create $MP_CACHE (set MINIPIPE_CACHE)"
	# One build at a time; a second caller waits and then finds it done.
	exec 9>"$MP_CACHE/.debug-kernel.lock"
	flock 9
	[[ -f $dir/.done ]] || build "$name" "$dir"
}

main "$@"
