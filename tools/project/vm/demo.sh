#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/demo.sh — `make demo`: boot a VM and show minipipe working.
#
# Boots the first kernel of $KERNEL (default 6.1) with mpmode=demo: the
# guest runs tools/project/vm/guest/demo.sh, which narrates the numbered steps of
# tools/project/vm/guest/demo.d/ (load the module, the devices and parameters, a
# write and a read, then a tour: parent -> child, ping-pong, a FIFO server,
# flow control with mptop showing the full ring, EAGAIN, EOF, SIGPIPE,
# PIPE_BUF atomicity, resizing, poll/select, a pipeline under the shim, the
# tracepoints, a file's page spliced in by reference and the Dirty Pipe
# lesson; unload).  The C programs it runs come from tools/learn/examples,
# tools/learn/demo and tools/learn/mptop (initramfs.d/55-tools.sh).  The
# console is shown live; afterwards the log is scanned like `make check`
# does (kernel splats and a bad taint fail the demo too) and the closing
# line "N passed, N failed, N skipped" counts the steps.
#
# Console log: build/<kver>/demo-console.log (and build/last-console.log).
# Environment: see tools/project/vm/lib.sh (KERNEL, KVM, MINIPIPE_*).

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

main() {
	local kernels k out log rc=0 counts
	read -r -a kernels <<<"${KERNEL:-6.1}"
	k=${kernels[0]}

	"$MP_VM_DIR/deps.sh" "$k"
	mp_resolve_kernel "$k" || exit 1
	mp_msg "== building minipipe.ko for $MP_KVER"
	mp_build_module "$MP_KVER" "$MP_KDIR" || exit 1
	out=$MP_BUILD/$MP_KVER
	log=$out/demo-console.log
	mp_build_initramfs "$MP_KVER" "$MP_MODULE_KO" "$out/initramfs-demo.cpio.gz"
	mp_msg "== booting Linux $MP_KVER under qemu ($([[ ${KVM:-0} == 1 ]] && echo kvm || echo tcg));" \
		"full console: build/$MP_KVER/demo-console.log"
	mp_boot "$MP_VMLINUZ" "$out/initramfs-demo.cpio.gz" demo "$log" live

	mp_msg ""
	mp_msg "== VM powered off after ${MP_BOOT_SECONDS}s; checking its console log"
	"$MP_VM_DIR/scan-log.sh" --label "$MP_KVER" "$log" >"$out/demo-scan.out" 2>&1 || rc=$?
	grep -v '^SCAN-RESULT ' "$out/demo-scan.out" || true
	counts=$(grep '^SCAN-RESULT ' "$out/demo-scan.out" | tail -n 1) || counts=
	if [[ $counts =~ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+) ]]; then
		mp_msg ""
		mp_msg "${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed, ${BASH_REMATCH[3]} skipped"
	fi
	((rc == 0)) || { mp_err "the demo failed (see above)"; exit 1; }
}

main "$@"
