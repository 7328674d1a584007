#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/shell.sh — `make vm`: an interactive shell in a VM with
# minipipe loaded.
#
# Boots the first kernel of $KERNEL (default 6.1) with mpmode=shell: /init
# loads minipipe.ko and starts a busybox shell on the serial console, which
# is this terminal.  The selftests are in /minipipe/tests/ when they build.
# Leave with `reboot -f` (or exit the shell); Ctrl-A x kills qemu at once.
# Ctrl-C goes to the guest.  No watchdog: the VM runs until you leave.
#
# Console log: build/<kver>/shell-console.log.
# Environment: see tools/project/vm/lib.sh (KERNEL, KVM, MINIPIPE_*).

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
	local kernels k out log progs=()
	read -r -a kernels <<<"${KERNEL:-6.1}"
	k=${kernels[0]}

	"$MP_VM_DIR/deps.sh" "$k"
	mp_resolve_kernel "$k" || exit 1
	mp_msg "== building minipipe.ko for $MP_KVER"
	mp_build_module "$MP_KVER" "$MP_KDIR" || exit 1
	# The tests are a convenience here: go on without them.
	if mp_build_selftests "$MP_BUILD/selftests"; then
		progs=("${MP_TEST_PROGS[@]}")
	else
		mp_err "the selftests did not build; the VM will have none"
	fi
	out=$MP_BUILD/$MP_KVER
	log=$out/shell-console.log
	mp_build_initramfs "$MP_KVER" "$MP_MODULE_KO" "$out/initramfs-shell.cpio.gz" \
		"$MP_BUILD/selftests" "${progs[@]}"

	mp_qemu_cmd "$MP_VMLINUZ" "$out/initramfs-shell.cpio.gz" shell
	mp_msg "== booting Linux $MP_KVER; leave with 'reboot -f' (Ctrl-A x kills qemu)"
	mp_msg "   console log: build/$MP_KVER/shell-console.log"
	# The serial console and the qemu monitor share this terminal
	# (Ctrl-A c switches); signal=off hands Ctrl-C to the guest.
	"${MP_QEMU[@]}" -display none \
		-chardev "stdio,id=con0,mux=on,signal=off,logfile=$log" \
		-serial chardev:con0 -mon chardev=con0
}

main "$@"
