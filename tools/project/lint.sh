#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/lint.sh — `make lint`: the module's static checks, printed as TAP.
#
#   - a W=1 build with sparse (C=2) against each kernel of $KERNEL
#     (default "6.1 6.12 6.12-rt"), race windows (module/race.c) included:
#     zero compiler, modpost or sparse warnings;
#   - scripts/checkpatch.pl --strict on every module file: zero errors,
#     warnings and checks.  One deliberate exception: module/compat.h is
#     the compat header, the one place allowed to test LINUX_VERSION_CODE
#     (checkpatch's LINUX_VERSION_CODE warning is ignored there only), and
#     module/mp_trace.h is written in the TRACE_EVENT() macro language,
#     whose layout checkpatch's C rules do not fit: OPEN_ENDED_LINE and
#     PARENTHESIS_ALIGNMENT are ignored there only, as for the kernel's own
#     include/trace/events/ headers;
#   - scripts/kernel-doc on every module file: every kernel-doc comment
#     renders without a warning.
#
# checkpatch.pl and kernel-doc come from Debian's linux-source-6.1, unpacked
# by tools/project/vm/deps.sh.  The last line is "SCAN-RESULT passed= failed=
# skipped=", which `make check` adds to its totals.

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/vm/lib.sh"

# shellcheck source=tools/project/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
TAP_PREFIX="lint: "

main() {
	local kernels k f files=() out
	read -r -a kernels <<<"$MP_KERNELS"
	cd "$MP_ROOT"
	for f in module/*.c module/*.h module/uapi/*.h; do
		[[ $f == module/compat.h || $f == module/mp_trace.h ]] || files+=("$f")
	done

	for k in "${kernels[@]}"; do
		if ! mp_resolve_kernel "$k" >/dev/null 2>&1; then
			tap_result "W=1 + sparse build for $k" "kernel $k is not installed (tools/project/vm/deps.sh $k)"
			continue
		fi
		# mp_build_module runs W=1 C=2 and fails on any warning line.
		# In its own directory, so that it never races a `make check` build.
		# With the debug builds' race windows, so that module/race.c is
		# checked against every kernel too.
		out=$(MP_BUILD=$MP_BUILD/lint MP_MODULE_FLAGS=(MINIPIPE_RACE_POINTS=y) &&
			mp_build_module "$MP_KVER" "$MP_KDIR" 2>&1) || true
		tap_result "W=1 + sparse build for $MP_KVER" "$out"
	done

	out=$(perl "$MP_SRC61/scripts/checkpatch.pl" --strict --no-tree --terse --no-summary \
		--show-types -f "${files[@]}" 2>&1) || true
	tap_result "checkpatch --strict (module/)" "$out"
	out=$(perl "$MP_SRC61/scripts/checkpatch.pl" --strict --no-tree --terse --no-summary \
		--show-types --ignore LINUX_VERSION_CODE -f module/compat.h 2>&1) || true
	tap_result "checkpatch --strict (module/compat.h, LINUX_VERSION_CODE allowed)" "$out"
	out=$(perl "$MP_SRC61/scripts/checkpatch.pl" --strict --no-tree --terse --no-summary \
		--show-types --ignore OPEN_ENDED_LINE,PARENTHESIS_ALIGNMENT -f module/mp_trace.h 2>&1) ||
		true
	tap_result "checkpatch --strict (module/mp_trace.h, TRACE_EVENT layout allowed)" "$out"

	out=$(perl "$MP_SRC61/scripts/kernel-doc" -none -v "${files[@]}" module/compat.h 2>&1 |
		grep -iE 'warning|error') || true
	tap_result "kernel-doc comments" "$out"

	tap_end
}

main "$@"
