#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host hook: the labs (tools/learn/labs/) for the guest.
#
#  * `make check`, on the Debian 6.1 kernel only: every lab's broken module
#    (mp_build_labs), its tests and, for a lab with kbuild variables, its
#    reference module, in /minipipe/labs/<name>/; /init's labs stage then
#    proves each lab (guest/lab-prove.sh).  MINIPIPE_LABS="<name> ..."
#    picks the labs (default: all; "none": no lab).  Skipped when the
#    initramfs has no test programs (make demo, make bench).
#  * `make lab` (MP_LAB_SHOW=<name>, set by tools/learn/labs/lab.sh): that
#    lab's tests, scenario and title in /minipipe/lab/, and the file "fixed"
#    there when the module is the reference or the learner's fix
#    (MP_LAB_FIXED); the module is the initramfs' own minipipe.ko.
# Env: STAGING, KVER, KDIR (see mp_build_initramfs in lib.sh).
set -euo pipefail

# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "$0")/../lib.sh"

# stage_lab NAME DEST — the files of lab NAME the guest reads, in DEST.
stage_lab() {
	mkdir -p "$2"
	mp_lab_tests "$1" >"$2/tests"
	mp_lab_title "$1" >"$2/title"
	if [[ -f $MP_LABS_DIR/$1/scenario.sh ]]; then
		install -m 0755 "$MP_LABS_DIR/$1/scenario.sh" "$2/scenario.sh"
	fi
}

if [[ -n ${MP_LAB_SHOW:-} ]]; then
	stage_lab "$MP_LAB_SHOW" "$STAGING/minipipe/lab"
	echo "$MP_LAB_SHOW" >"$STAGING/minipipe/lab/name"
	# SOLVED=1 or KEEP=1: the guest expects the tests to pass.
	if [[ -n ${MP_LAB_FIXED:-} ]]; then
		: >"$STAGING/minipipe/lab/fixed"
	fi
	exit 0
fi

labs=${MINIPIPE_LABS:-all}
[[ $labs != none ]] || exit 0
[[ $KVER =~ ^6\.1\.[0-9].*-amd64$ ]] || exit 0
compgen -G "$STAGING/minipipe/tests/*" >/dev/null || exit 0
if [[ $labs == all ]]; then
	labs=$(mp_lab_names)
fi
[[ -n $labs ]] || exit 0

out=$MP_BUILD/$KVER/labs
# shellcheck disable=SC2086 # a list of names
mp_build_labs "$KVER" "$KDIR" "$out" $labs
for name in $labs; do
	dest=$STAGING/minipipe/labs/$name
	stage_lab "$name" "$dest"
	for f in minipipe.ko reference.ko error; do
		if [[ -f $out/$name/$f ]]; then
			cp "$out/$name/$f" "$dest/$f"
		fi
	done
	# A test of a program that was not built would prove nothing.
	while read -r prog _; do
		[[ -x $STAGING/minipipe/tests/$prog ]] && continue
		echo "the test program $prog is not in this run" >>"$dest/error"
	done <"$dest/tests"
done
