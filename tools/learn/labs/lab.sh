#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/learn/labs/lab.sh — `make lab`: the labs of tools/learn/labs/.
#
#   lab.sh list          every lab, with its title (make lab)
#   lab.sh run NAME      one lab in a VM (make lab LAB=NAME):
#     1. a scratch copy of Kbuild and module/ in build/lab/NAME/src, with
#        the lab's patch applied (SOLVED=1: without it, the reference);
#        KEEP=1 keeps the copy there from the last run instead, so that a
#        learner's fix in build/lab/NAME/src/module/ is what runs;
#     2. minipipe.ko built from it (W=1), and the test programs the lab
#        names;
#     3. a boot of the first kernel of KERNEL (default 6.1) that loads the
#        module, runs the named tests, runs the lab's scenario with the
#        tracepoints on and shows the trace, narrated (guest/lab.sh);
#     4. the trace kept as build/lab/NAME/trace-broken.txt (or
#        trace-solved.txt, or trace-keep.txt with KEEP=1) and drawn as
#        build/lab/NAME/ring-*.png by tools/learn/ringplot, and beside the
#        other run's when both exist (ring-compare.png);
#     5. "N passed, N failed, N skipped" over the steps: the tests step
#        passes when every named test failed on the broken module (passed
#        on the reference or on a fix).
# Environment: see tools/project/vm/lib.sh (KERNEL, KVM, MINIPIPE_*).

set -euo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../project/vm/lib.sh"

RINGPLOT=$MP_ROOT/tools/learn/ringplot/ringplot

list() {
	local name
	mp_msg "The labs (tools/learn/labs/<name>/sheet.md is each one's sheet):"
	mp_msg ""
	while read -r name; do
		printf '  %-24s %s\n' "$name" "$(mp_lab_title "$name")"
	done < <(mp_lab_names)
	mp_msg ""
	mp_msg "  make lab LAB=<name>           the broken module: its tests fail"
	mp_msg "  make lab LAB=<name> SOLVED=1  the reference module: the same tests pass"
	mp_msg "  make lab LAB=<name> KEEP=1    your fix in build/lab/<name>/src/module/"
}

# cut_trace LOG OUT — the trace the guest printed between its markers.
cut_trace() {
	awk '{ sub(/\r$/, "") } /^MINIPIPE-TRACE-END/ { on = 0 } on { print }
		/^MINIPIPE-TRACE-BEGIN/ { on = 1 }' "$1" >"$2"
}

run() {
	local name=$1 kernels k scratch src kind=broken flags=() progs=() log counts rc=0 names
	# Captured, not piped: grep -q exiting first would fail mp_lab_names (pipefail).
	names=$(mp_lab_names)
	if ! grep -qxF -- "$name" <<<"$names"; then
		mp_err "no lab named '$name'"
		list >&2
		exit 1
	fi
	[[ ${SOLVED:-0} == 1 ]] && kind=solved
	[[ ${KEEP:-0} == 1 ]] && kind=keep
	read -r -a kernels <<<"${KERNEL:-6.1}"
	k=${kernels[0]}
	scratch=$MP_BUILD/lab/$name
	src=$scratch/src

	"$MP_VM_DIR/deps.sh" "$k"
	mp_resolve_kernel "$k" || exit 1
	mp_msg ""
	mp_msg "== lab $name: $(mp_lab_title "$name")"
	mp_msg "   the sheet: tools/learn/labs/$name/sheet.md"
	case $kind in
	keep)
		[[ -d $src/module ]] || mp_die "KEEP=1: no $src/module from an earlier make lab LAB=$name"
		mp_msg "== your copy of the module: $src/module (KEEP=1)"
		;;
	solved)
		mp_copy_module_src "$src"
		mp_msg "== the reference module (SOLVED=1): $src/module, as in module/"
		;;
	*)
		mp_copy_module_src "$src"
		mp_lab_apply "$name" "$src"
		mp_msg "== the broken module: $src/module, with the lab's mistake in it"
		mp_msg "   (it is somewhere in: $(mp_lab_patch_files "$name" | tr '\n' ' '))"
		;;
	esac
	mp_msg "== building minipipe.ko for $MP_KVER"
	mapfile -t flags < <(mp_lab_kbuild "$name")
	find "$src" -name '*.ko' -delete
	# A debug kernel's own variables too (the race windows).
	mp_kbuild "$src" "$MP_KDIR" "$scratch/build.log" "${MP_MODULE_FLAGS[@]}" "${flags[@]}" || exit 1
	mp_msg "== building the test programs"
	mp_build_selftests "$MP_BUILD/selftests" || exit 1
	mapfile -t progs < <(mp_lab_tests "$name" | awk '!seen[$1]++ { print $1 }')
	log=$scratch/console-$kind.log
	# The reference and a fix must pass the tests, the broken module fail them.
	MP_LAB_SHOW=$name MP_LAB_FIXED=$([[ $kind == broken ]] || echo 1) \
		mp_build_initramfs "$MP_KVER" "$src/minipipe.ko" \
		"$scratch/initramfs.cpio.gz" "$MP_BUILD/selftests" "${progs[@]}"
	mp_msg "== booting Linux $MP_KVER under qemu ($([[ ${KVM:-0} == 1 ]] && echo kvm || echo tcg));" \
		"full console: ${log#"$MP_ROOT"/}"
	mp_boot "$MP_VMLINUZ" "$scratch/initramfs.cpio.gz" "lab" "$log" live

	mp_msg ""
	"$MP_VM_DIR/scan-log.sh" --label "$MP_KVER" "$log" >"$scratch/scan.out" 2>&1 || rc=$?
	grep -v '^SCAN-RESULT ' "$scratch/scan.out" || true
	cut_trace "$log" "$scratch/trace-$kind.txt"
	if [[ -s $scratch/trace-$kind.txt && -x $RINGPLOT ]]; then
		if "$RINGPLOT" --title "lab $name ($kind)" "$scratch/ring-$kind.png" \
			"$scratch/trace-$kind.txt"; then
			mp_msg "the ring over time: ${scratch#"$MP_ROOT"/}/ring-$kind.png"
		fi
		if [[ -s $scratch/trace-broken.txt && -s $scratch/trace-solved.txt ]] &&
			"$RINGPLOT" --title "lab $name: broken" --title2 "reference" \
				"$scratch/ring-compare.png" "$scratch/trace-broken.txt" \
				"$scratch/trace-solved.txt"; then
			mp_msg "broken beside the reference: ${scratch#"$MP_ROOT"/}/ring-compare.png"
		fi
	fi
	counts=$(grep '^SCAN-RESULT ' "$scratch/scan.out" | tail -n 1) || counts=
	if [[ $counts =~ passed=([0-9]+)\ failed=([0-9]+)\ skipped=([0-9]+) ]]; then
		mp_msg ""
		mp_msg "${BASH_REMATCH[1]} passed, ${BASH_REMATCH[2]} failed, ${BASH_REMATCH[3]} skipped"
	fi
	((rc == 0)) || { mp_err "the lab did not run as it should (see above)"; exit 1; }
}

case ${1:-list} in
list) list ;;
run)
	(($# == 2)) || mp_die "usage: $0 run NAME"
	run "$2"
	;;
*) mp_die "usage: $0 list | run NAME" ;;
esac
