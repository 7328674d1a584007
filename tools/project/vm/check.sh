#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/check.sh — `make check`: every minipipe test, in VMs.
#
#   1. tools/project/vm/deps.sh for $KERNEL (default "6.1 6.12")
#   2. the runner's own self-test (tools/project/vm/test-scan.sh), the static
#      checks of tools/project/lint.sh (make lint), the host-side checks of
#      tools/project/host-check.sh (mptop, examples, man pages, install, DKMS) and
#      the ring's protocol test (tools/project/ringtest/check.sh)
#   3. the selftests, built once (static binaries, build/selftests/); with
#      kernel 6.1, also the kernel's way (lib.mk, make install with
#      run_kselftest.sh, build/kselftest/), which the 6.1 guest then runs
#      (guest.d/55-kselftest.tap.sh)
#   4. per kernel: build minipipe.ko against its headers, pack an initramfs,
#      boot it under qemu (console: build/<kver>/console.log, and
#      build/last-console.log for the last boot), judge the console log
#      with tools/project/vm/scan-log.sh
#   5. the closing line "N passed, N failed, N skipped", summed over all
#      of the above; exit status 1 when anything failed.
#
# Environment: see tools/project/vm/lib.sh (KERNEL, KVM, MINIPIPE_*).

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

passed=0
failed=0
skipped=0

# Every "not ok" line (and the context lines under it) is also kept here,
# so that the end of the output repeats what failed: a log cut to its last
# lines still says why.
failures=()

# runner_fail LABEL WHY — one failure of the runner itself.
runner_fail() {
	mp_msg "[$1] runner: not ok - $2"
	failures+=("[$1] runner: not ok - $2")
	failed=$((failed + 1))
}

# add_result OUTFILE — print a scanner's report (all but its last line)
# and add the counts of its "SCAN-RESULT passed= failed= skipped=" line.
add_result() {
	local last p f s
	last=$(grep '^SCAN-RESULT ' "$1" | tail -n 1) || true
	grep -v '^SCAN-RESULT ' "$1" || true
	mapfile -t -O "${#failures[@]}" failures < <(awk '
		/ not ok /                   { print; ctx = 1; next }
		ctx && /^\[[^]]*\]     [^ ]/ { print; next }
		                             { ctx = 0 }' "$1")
	if [[ $last =~ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+) ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]} s=${BASH_REMATCH[3]}
		passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	else
		runner_fail scan "no SCAN-RESULT line in $1"
	fi
}

finish() {
	local i
	if ((${#failures[@]})); then
		mp_msg ""
		mp_msg "== what failed (${#failures[@]} lines, the first 60)"
		for ((i = 0; i < ${#failures[@]} && i < 60; i++)); do
			mp_msg "${failures[i]}"
		done
	fi
	mp_msg ""
	mp_msg "$passed passed, $failed failed, $skipped skipped"
	((failed == 0)) && exit 0
	exit 1
}

main() {
	local kernels k out label progs=() ksft=
	read -r -a kernels <<<"$MP_KERNELS"
	mkdir -p "$MP_BUILD"

	mp_msg "== dependencies (kernels: ${kernels[*]})"
	if ! "$MP_VM_DIR/deps.sh" "${kernels[@]}"; then
		runner_fail deps "tools/project/vm/deps.sh failed"
		finish
	fi

	mp_msg "== runner self-test (tools/project/vm/test-scan.sh)"
	out=$MP_BUILD/test-scan.out
	"$MP_VM_DIR/test-scan.sh" >"$out" 2>&1 || true
	add_result "$out"

	mp_msg "== lint (tools/project/lint.sh: W=1 + sparse, checkpatch, kernel-doc)"
	out=$MP_BUILD/lint.out
	"$MP_ROOT/tools/project/lint.sh" >"$out" 2>&1 || true
	add_result "$out"

	mp_msg "== host checks (tools/project/host-check.sh: mptop, examples, man pages, install, DKMS)"
	out=$MP_BUILD/host-check.out
	"$MP_ROOT/tools/project/host-check.sh" >"$out" 2>&1 || true
	add_result "$out"

	mp_msg "== ring protocol (tools/project/ringtest: ring.c in user space, ThreadSanitizer)"
	out=$MP_BUILD/ringtest.out
	"$MP_ROOT/tools/project/ringtest/check.sh" "$MP_BUILD/ringtest" >"$out" 2>&1 || true
	add_result "$out"

	mp_msg "== selftests (build/selftests/)"
	if mp_build_selftests "$MP_BUILD/selftests"; then
		progs=("${MP_TEST_PROGS[@]}")
		mp_msg "test programs: ${progs[*]} (timeout ${MP_TEST_TIMEOUT}s each)"
	else
		# Still boot: insmod, the guest.d steps and rmmod are checked.
		runner_fail selftests "the selftests did not build (see above)"
	fi

	if [[ " ${kernels[*]} " == *" 6.1 "* ]]; then
		mp_msg "== kselftest install (selftests/ as tools/testing/selftests/minipipe, build/kselftest/)"
		if mp_build_kselftest "$MP_BUILD/kselftest"; then
			ksft=$MP_BUILD/kselftest/install
		else
			runner_fail kselftest "selftests/ did not build or install the kselftest way (see above)"
		fi
	fi

	for k in "${kernels[@]}"; do
		mp_msg ""
		mp_msg "== kernel $k"
		# Once is enough to show run_kselftest.sh finding the tests.
		MP_KSFT_INSTALL=
		[[ $k == 6.1 ]] && MP_KSFT_INSTALL=$ksft
		if ! mp_resolve_kernel "$k"; then
			runner_fail "$k" "no usable kernel $k"
			continue
		fi
		label=$MP_KVER
		mp_msg "kernel: $MP_VMLINUZ, headers: $MP_KDIR"
		if ! mp_build_module "$MP_KVER" "$MP_KDIR"; then
			runner_fail "$label" "minipipe.ko did not build cleanly for $MP_KVER (see above)"
			continue
		fi
		out=$MP_BUILD/$MP_KVER
		if ! mp_build_initramfs "$MP_KVER" "$MP_MODULE_KO" "$out/initramfs.cpio.gz" \
			"$MP_BUILD/selftests" "${progs[@]}"; then
			runner_fail "$label" "could not pack the initramfs"
			continue
		fi
		mp_msg "booting $MP_KVER ($([[ ${KVM:-0} == 1 ]] && echo kvm || echo tcg))," \
			"console: build/$MP_KVER/console.log (also build/last-console.log)"
		mp_boot "$MP_VMLINUZ" "$out/initramfs.cpio.gz" check "$out/console.log"
		mp_msg "boot finished in ${MP_BOOT_SECONDS}s"
		"$MP_VM_DIR/scan-log.sh" --label "$label" --expect "${progs[*]}" \
			"$out/console.log" >"$out/scan.out" 2>&1 || true
		add_result "$out/scan.out"
	done
	mp_msg "(total ${SECONDS}s)"
	finish
}

main "$@"
