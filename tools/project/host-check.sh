#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/host-check.sh — the checks `make check` runs on the host, next to
# tools/project/lint.sh, printed as TAP:
#
#   - mptop: its parser/renderer unit test and the --once frames of the
#     canned state files (tools/learn/mptop/test.sh, one line per check);
#   - the exercises (tools/learn/examples) and the demo helper (tools/learn/demo) build
#     warning-free and static, and hold on the host's kernel pipes (--kernel:
#     the host has no minipipe, the VM runs them on minipipe);
#   - make tools builds the shim, libminipipe and mptop into build/, and
#     the README's LD_PRELOAD example runs with it;
#   - the man pages render without a warning (groff -ww, man --warnings);
#   - tools/project/bench/report.sh turns a canned pipebench run into its tables
#     and chart, and a run without bandwidth workloads into tables alone;
#   - tools/learn/ringplot draws its canned trace (one, and two side by
#     side), --data gives the expected series, and its errors are clear;
#   - make install into a DESTDIR puts every file in place, a program
#     builds against the installed header and library (static and shared)
#     and runs, and make uninstall removes them all again;
#   - every lab (tools/learn/labs) is well-formed, and make lab lists at
#     least 12 of them;
#   - DKMS: dkms add and dkms build of a `make dkms-src` tree against the
#     headers of the first kernel of $KERNEL, in private dkms/source trees
#     (nothing is installed or loaded).  Skipped when dkms is missing
#     (tools/project/vm/deps.sh installs it, see tools/project/vm/deps.d/host-check.list).
#
# Everything runs on a snapshot of the sources in build/host-check/, so a
# concurrent build in the tree is never disturbed.  The last line is
# "SCAN-RESULT passed= failed= skipped=", which `make check` adds to its
# totals.

set -uo pipefail
# shellcheck source=tools/project/vm/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/vm/lib.sh"

# shellcheck source=tools/project/tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/tap.sh"
TAP_PREFIX="host: "
work=$MP_BUILD/host-check

# snapshot — the sources, without build outputs, in $work/src.
snapshot() {
	rm -rf "$work"
	mkdir -p "$work/src"
	tar -C "$MP_ROOT" -cf - --exclude=./build --exclude=./.git --exclude='*.o' \
		--exclude='*.ko' --exclude='*.mod' --exclude='*.mod.c' --exclude='*.cmd' \
		--exclude='*.a' --exclude='.*.d' --exclude='*.symvers' --exclude='*.order' \
		--exclude=./selftests/out --exclude=.tmp_versions . | tar -C "$work/src" -xf -
}

check_mptop() {
	local out line
	out=$(make -s -C "$work/src/tools/learn/mptop" OUTPUT="$work/mptop" check 2>&1)
	if ! grep -q '^SCAN-RESULT ' <<<"$out"; then
		tap_result "mptop: build and test (tools/learn/mptop)" "$out"
		return
	fi
	# Fold its TAP lines into ours.
	while IFS= read -r line; do
		case $line in
		"ok "*) tap_result "${line#ok [0-9]* - }" "" ;;
		"not ok "*) tap_result "${line#not ok [0-9]* - }" "(tools/learn/mptop/test.sh; its details follow)" ;;
		"# "*) echo "$line" ;;
		esac
	done <<<"$out"
}

check_examples() {
	local out p progs=() f rc
	out=$( { make -C "$work/src/tools/learn/examples" OUTPUT="$work/examples" &&
		make -C "$work/src/tools/learn/demo" OUTPUT="$work/demo"; } 2>&1)
	rc=$?
	if ((rc != 0)) || grep -qiE 'warning:|error:' <<<"$out"; then
		tap_result "examples and mpdemo build (-Wall -Wextra -Werror)" "$out"
		return
	fi
	read -r -a progs <<<"$(make -s --no-print-directory -C "$work/src/tools/learn/examples" print-progs | tr '\n' ' ')"
	out=
	for f in "${progs[@]/#/$work/examples/}" "$work/demo/mpdemo"; do
		if [[ $(readelf -l "$f") == *'program interpreter'* ]]; then
			out+="$f is dynamically linked; the VM needs static binaries"$'\n'
		fi
	done
	tap_result "examples and mpdemo build warning-free and static" "$out"

	for p in "${progs[@]/#/examples/}" demo/mpdemo\ {nonblock,eof,epipe,poll}; do
		# shellcheck disable=SC2086 # "demo/mpdemo poll" is a command and its argument
		if out=$(timeout 60 "$work/"$p --kernel 2>&1); then
			out=
		fi
		tap_result "${p##*/} --kernel holds on the host's pipes" "$out"
	done
}

# check_make_tools — `make tools` (part of `make`) builds what the README's
# LD_PRELOAD example and mptop need, where the README says, and the example
# runs: the shim falls back to the kernel's pipes here (no module), so the
# pipeline's result must be the one without it.
check_make_tools() {
	local src=$work/src out f want got missing=
	out=$(make -C "$src" tools 2>&1) || {
		tap_result "make tools" "$out"
		return
	}
	for f in build/lib/minipipe-shim.so build/lib/libminipipe.so build/lib/libminipipe.a \
		build/mptop/mptop; do
		[[ -e $src/$f ]] || missing+=" $f"
	done
	want=$(seq 100000 | sort -r | sha256sum)
	got=$(cd "$src" && LD_PRELOAD=build/lib/minipipe-shim.so \
		bash -c 'seq 100000 | sort -r | sha256sum' 2>/dev/null)
	if [[ -n $missing ]]; then
		tap_result "make tools builds build/lib and build/mptop" "missing:$missing"
	elif [[ $got != "$want" ]]; then
		tap_result "make tools builds build/lib and build/mptop" \
			"LD_PRELOAD=build/lib/minipipe-shim.so: '$got', want '$want'"
	else
		tap_result "make tools builds build/lib and build/mptop; the README's LD_PRELOAD line runs" ""
	fi
}

check_man() {
	local page out
	for page in "$work/src"/tools/user/man/*.[1-9]; do
		out=$(groff -man -ww -z "$page" 2>&1)
		out+=$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		tap_result "man page ${page##*/} renders without warnings" "$out"
	done
}

# $1, or $1 with the suffix of the compression the kernel's config asks
# kbuild and DKMS for (Debian's 6.12 installs minipipe.ko.xz).
compressed_or_not() {
	local f
	for f in "$1"{,.gz,.xz,.zst}; do
		[[ -f $f ]] && echo "$f" && return
	done
	return 1
}

check_install() {
	local dest=$work/dest out f ko missing='' left prog=$work/uses-lib.c rc
	local files=(
		usr/local/bin/mptop usr/local/include/minipipe.h usr/local/include/minipipe_lib.h
		usr/local/lib/libminipipe.a usr/local/lib/libminipipe.so.1
		usr/local/lib/libminipipe.so usr/local/lib/minipipe-shim.so
		usr/local/share/man/man4/minipipe.4 usr/local/share/man/man1/mptop.1
	)
	out=$(make -C "$work/src" install DESTDIR="$dest" KDIR="$MP_KDIR" 2>&1)
	rc=$?
	if ((rc != 0)); then
		tap_result "make install DESTDIR=... (KDIR $MP_KDIR)" "$out"
		return
	fi
	ko=$(compressed_or_not "$dest/lib/modules/$MP_KVER/extra/minipipe.ko") ||
		missing+=" lib/modules/$MP_KVER/extra/minipipe.ko"
	for f in "${files[@]}"; do
		[[ -e $dest/$f ]] || missing+=" $f"
	done
	if [[ -n $missing ]]; then
		tap_result "make install DESTDIR=...: every file in place" "missing:$missing"$'\n'"$out"
	elif [[ $(modinfo -F vermagic "$ko") != "$MP_KVER "* ]]; then
		tap_result "make install DESTDIR=...: every file in place" \
			"minipipe.ko vermagic: $(modinfo -F vermagic "$ko")"
	else
		tap_result "make install DESTDIR=...: every file in place (module for $MP_KVER)" ""
	fi

	# A user of the installed header and library; without the module loaded
	# minipipe_pipe2() fails with ENOENT, which proves the library ran.
	cat >"$prog" <<-'EOF'
		#include <errno.h>
		#include <stdio.h>
		#include <minipipe.h>
		#include <minipipe_lib.h>

		int main(void)
		{
			int fd[2];

			if (minipipe_pipe2(fd, 0) == 0)
				printf("minipipe %s\n", MINIPIPE_CTL_PATH);
			else
				printf("errno %d\n", errno);
			return 0;
		}
	EOF
	out=$( { gcc -Wall -Werror -I"$dest/usr/local/include" -o "$work/uses-lib-static" "$prog" \
			"$dest/usr/local/lib/libminipipe.a" &&
		gcc -Wall -Werror -I"$dest/usr/local/include" -o "$work/uses-lib-shared" "$prog" \
			-L"$dest/usr/local/lib" -lminipipe &&
		"$work/uses-lib-static" &&
		LD_LIBRARY_PATH=$dest/usr/local/lib "$work/uses-lib-shared" &&
		libs=$(LD_LIBRARY_PATH=$dest/usr/local/lib ldd "$work/uses-lib-shared") &&
		grep -qF "libminipipe.so.1 => $dest/usr/local/lib/libminipipe.so.1" <<<"$libs"; } 2>&1)
	rc=$?
	if [[ $rc == 0 && $(grep -c -E '^(errno [0-9]+|minipipe /dev/minipipe-ctl)$' <<<"$out") == 2 ]]; then
		tap_result "a program builds and runs against the installed <minipipe.h> and -lminipipe" ""
	else
		tap_result "a program builds and runs against the installed <minipipe.h> and -lminipipe" \
			"$out"
	fi

	out=$(make -C "$work/src" uninstall DESTDIR="$dest" KDIR="$MP_KDIR" 2>&1)
	left=$(find "$dest" ! -type d)
	if [[ -n $left ]]; then
		tap_result "make uninstall DESTDIR=... removes every file" "left:"$'\n'"$left"$'\n'"$out"
	else
		tap_result "make uninstall DESTDIR=... removes every file" ""
	fi
}

check_dkms() {
	local version src=$work/dkms-src tree=$work/dkms-tree out ko opts rc
	if ! command -v dkms >/dev/null; then
		tap_skip "DKMS add + build for $MP_KVER" "dkms is not installed (tools/project/vm/deps.sh)"
		return
	fi
	version=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$work/src/tools/user/dkms/dkms.conf")
	mkdir -p "$tree"
	opts=(--sourcetree "$src" --dkmstree "$tree")
	out=$( { make -s -C "$work/src" dkms-src DKMS_SRC="$src/minipipe-$version" &&
		dkms add -m minipipe -v "$version" "${opts[@]}" &&
		dkms build -m minipipe -v "$version" -k "$MP_KVER" --kernelsourcedir "$MP_KDIR" \
			"${opts[@]}"; } 2>&1)
	rc=$?
	ko=$(compressed_or_not "$tree/minipipe/$version/$MP_KVER/x86_64/module/minipipe.ko")
	if [[ $rc == 0 && -n $ko && $(modinfo -F vermagic "$ko") == "$MP_KVER "* ]] &&
		grep -q "$MP_KVER.*: built" <<<"$(dkms status -m minipipe "${opts[@]}")"; then
		tap_result "DKMS: dkms add + dkms build of minipipe/$version for $MP_KVER" ""
	else
		tap_result "DKMS: dkms add + dkms build of minipipe/$version for $MP_KVER" \
			"$out"$'\n'"$(cat "$tree/minipipe/$version/build/make.log" 2>/dev/null)"
	fi
	out=$(dkms remove -m minipipe -v "$version" --all "${opts[@]}" 2>&1)
	rc=$?
	if [[ $rc == 0 && ! -e $tree/minipipe/$version ]]; then
		tap_result "DKMS: dkms remove --all" ""
	else
		tap_result "DKMS: dkms remove --all" "$out"
	fi
}

# check_bench_report — tools/project/bench/report.sh on a canned pipebench run
# (tools/project/bench/testdata): the tables and the chart, and a run with no
# bandwidth workload, which has tables but nothing to draw.
check_bench_report() {
	local out=$work/bench-report report=$work/src/tools/project/bench/report.sh
	local raw=$work/src/tools/project/bench/testdata/raw-bw64-m2m.txt msg
	mkdir -p "$out"
	msg=$("$report" "$raw" "$out/full.md" "$out/full.png" 2>&1) ||
		msg="report.sh failed: $msg"
	if [[ -z $msg ]]; then
		grep -q '^| bandwidth, 64-byte writes | MB/s | 10 |' "$out/full.md" ||
			msg+="no bw-64 row with 10 repetitions; "
		grep -q '^| 4 writers × 4 readers, 100-byte messages |' "$out/full.md" ||
			msg+="no many-to-many row; "
		grep -q '^!\[bandwidth against write size\](full.png)' "$out/full.md" ||
			msg+="no chart link; "
		[[ $(head -c 4 "$out/full.png" | tail -c 3) == PNG ]] || msg+="no PNG chart"
	fi
	tap_result "bench report: tables and chart of a canned run" "$msg"

	grep -v ' bw-' "$raw" >"$out/m2m.raw"
	msg=$("$report" "$out/m2m.raw" "$out/m2m.md" "$out/m2m.png" 2>&1) ||
		msg="report.sh failed: $msg"
	if [[ -z $msg ]]; then
		grep -q '^| 4 writers × 4 readers, 100-byte messages |' "$out/m2m.md" ||
			msg+="no many-to-many row; "
		grep -q 'so there is no chart' "$out/m2m.md" || msg+="no 'no chart' line; "
		[[ ! -e $out/m2m.png ]] || msg+="a chart was drawn without bandwidth data"
	fi
	tap_result "bench report: a run without bandwidth workloads has tables, no chart" "$msg"

	# A full run: the CPU column and targets, the limit, the named pipe's counters.
	raw=$work/src/tools/project/bench/testdata/raw-full.txt
	msg=$("$report" "$raw" "$out/all.md" "$out/all.png" 2>&1) ||
		msg="report.sh failed: $msg"
	if [[ -z $msg ]]; then
		grep -q '^| 16 writers × 16 readers, 100-byte messages | 10³ messages/s | [0-9]' "$out/all.md" ||
			msg+="no 16 x 16 row; "
		[[ $(grep -c '^| [a-z0-9].* | [0-9.]* [✓✗] ([0-9.–]*) | [0-9.]* [✓✗] ([0-9.–]*) |$' "$out/all.md") == 8 ]] ||
			msg+="not 8 result rows ending in two CPU ratios; "
		grep -q '^| ceiling of a pipe: copy-2 ÷ 2 | | [0-9]' "$out/all.md" || msg+="no ceiling; "
		grep -q '^| /dev/minipipe | [0-9.]* | [0-9.]* [✓✗] | ≥ 0.50 |$' "$out/all.md" ||
			msg+="no fraction of the ceiling for /dev/minipipe; "
		[[ $(grep -c '^- CPU per operation, ' "$out/all.md") == 16 ]] || msg+="not 16 CPU targets; "
		grep -q '^[0-9]* of 34 targets met\.$' "$out/all.md" || msg+="not 34 targets; "
		grep -q '^| m2m-16 | [0-9.e-]* | [0-9.e-]* | [0-9.e-]* |$' "$out/all.md" ||
			msg+="no state-file counters of m2m-16; "
	fi
	tap_result "bench report: CPU per operation, the limit and the state counters of a full run" "$msg"
}

# png_msg FILE WIDTH HEIGHT — why FILE is not a WIDTHxHEIGHT PNG of a
# sensible size (10 KiB to 4 MiB), or nothing.
png_msg() {
	local b size w h
	[[ -f $1 ]] || { echo "no $1"; return; }
	read -r -a b <<<"$(od -An -tu1 -N24 "$1" | tr '\n' ' ')"
	if [[ ${b[*]:0:8} != "137 80 78 71 13 10 26 10" ]]; then
		echo "$1 is not a PNG"
		return
	fi
	w=$((b[16] << 24 | b[17] << 16 | b[18] << 8 | b[19]))
	h=$((b[20] << 24 | b[21] << 16 | b[22] << 8 | b[23]))
	[[ $w == "$2" && $h == "$3" ]] || echo "$1 is ${w}x$h, not $2x$3"
	size=$(stat -c %s "$1")
	((size >= 10240 && size <= 4194304)) || echo "$1 has $size bytes"
}

# check_ringplot — tools/learn/ringplot on its canned trace (testdata/, a
# real one of ex4_flow_control): the picture of one trace and of two side
# by side are PNGs of the size it draws, drawn without a warning; --data
# is the expected series exactly and tells the story of the scenario; a
# trace without minipipe lines, a pipe it does not hold and a wrong
# command line fail with a clear message.
check_ringplot() {
	local dir=$work/src/tools/learn/ringplot out=$work/ringplot msg err rc nl=$'\n'
	local trace=$dir/testdata/flow-control.trace
	if ! command -v gnuplot >/dev/null; then
		tap_skip "ringplot: the canned trace drawn" "gnuplot is not installed (gnuplot-nox, tools/project/vm/deps.sh)"
		return
	fi
	mkdir -p "$out"
	msg=
	err=$("$dir/ringplot" --title "flow control" "$out/one.png" "$trace" 2>&1) ||
		msg="ringplot failed: "
	msg+="$err${err:+$nl}$(png_msg "$out/one.png" 1100 900)"
	tap_result "ringplot: the canned trace drawn as a 1100x900 PNG, without a warning" "$msg"
	msg=
	err=$("$dir/ringplot" --title "one" --title2 "two" "$out/two.png" "$trace" "$trace" 2>&1) ||
		msg="ringplot failed: "
	msg+="$err${err:+$nl}$(png_msg "$out/two.png" 2200 900)"
	tap_result "ringplot: two traces drawn side by side (2200x900)" "$msg"

	msg=
	if ! "$dir/ringplot" --data "$trace" >"$out/data" 2>"$out/data.err"; then
		msg="ringplot --data failed: $(cat "$out/data.err")"
	elif ! err=$(diff -u "$dir/testdata/flow-control.data" "$out/data"); then
		msg="--data is not testdata/flow-control.data:"$'\n'"$err"
	fi
	tap_result "ringplot --data: the canned trace's series is testdata/flow-control.data" "$msg"
	# What the picture is meant to show, asserted on the series itself: one
	# line per minipipe event; the writer fills 16 slots, then sleeps on
	# the write queue; never more than 16 in use; the reader's last read
	# returns 0 after EOF.
	msg=$(awk -v events="$(grep -c ': minipipe_' "$trace")" '
		/^#/ { next }
		{ n++ }
		$2 == "write" && !slept { filled = $7 }
		$2 == "sleep" && !slept++ && ($8 != "queue=write" || filled != 16) {
			print "the first sleep is not the writer on the write queue at 16 slots: " $0
		}
		$7 != "-" && $7 + 0 > max { max = $7 + 0 }
		$2 == "eof" { eof = 1 }
		$2 == "read" { last = $0; eof_before = eof }
		END {
			if (n != events) print n " lines of series for " events " events"
			if (max != 16) print "at most " max " slots in use, not 16"
			if (last !~ / done=0$/ || !eof_before) print "the last read is not 0 after EOF: " last
		}' "$out/data")
	tap_result "ringplot --data: one line per event; 16 slots filled, then the writer sleeps on the write queue; 0 after EOF" "$msg"

	# The line formats of testdata/formats.trace (hand-made): the busiest
	# of two pipes, or the other one with --pipe.
	msg=
	if ! err=$("$dir/ringplot" --data "$dir/testdata/formats.trace" 2>&1 |
		diff -u "$dir/testdata/formats.data" - 2>&1); then
		msg="--data is not testdata/formats.data:"$'\n'"$err"
	fi
	err=$("$dir/ringplot" --pipe minipipe2 --data "$dir/testdata/formats.trace" 2>&1 | tail -n +4)
	[[ $err == "0.000 read 203 sh 5 4 1 asked=1 done=1" ]] || msg+="--pipe minipipe2: '$err'; "
	err=$("$dir/ringplot" "$out/formats.png" "$dir/testdata/formats.trace" 2>&1) || msg+="ringplot failed: "
	msg+="$err${err:+$nl}$(png_msg "$out/formats.png" 1100 900)"
	tap_result "ringplot: the line formats of testdata/formats.trace (tgid, lost events, two pipes, u32 wrap), read and drawn" "$msg"

	msg=
	grep '^#' "$trace" >"$out/empty.trace"
	err=$("$dir/ringplot" "$out/empty.png" "$out/empty.trace" 2>&1) && rc=0 || rc=$?
	[[ $rc == 1 && $err == *"no minipipe trace lines"* ]] ||
		msg+="a trace without minipipe lines: exit $rc, '$err'; "
	[[ ! -e $out/empty.png ]] || msg+="a picture was drawn of no events; "
	err=$("$dir/ringplot" --pipe nosuch --data "$trace" 2>&1) && rc=0 || rc=$?
	[[ $rc == 1 && $err == *"no events of pipe 'nosuch'"*"anon1 (633 events)"* ]] ||
		msg+="--pipe nosuch: exit $rc, '$err'; "
	err=$("$dir/ringplot" "$out/x.png" 2>&1) && rc=0 || rc=$?
	[[ $rc == 2 && $err == *"usage: ringplot"* ]] || msg+="no trace: exit $rc, '$err'; "
	tap_result "ringplot: no minipipe lines, an unknown --pipe and no trace fail, saying why" "$msg"
}

# check_lab NAME — lab NAME is what tools/learn/labs/README.md says a lab
# is; whether its tests catch its mistake is proven in the VM (70-labs.sh).
check_lab() {
	local name=$1 dir=$work/src/tools/learn/labs/$1 msg='' sections want prog test progs
	[[ $name =~ ^[0-9][0-9]-[a-z0-9-]+$ ]] || msg+="the name is not NN-words; "
	for f in lab.patch sheet.md tests scenario.sh; do
		[[ -s $dir/$f ]] || msg+="no $f; "
	done
	if [[ -s $dir/sheet.md ]]; then
		[[ $(sed -n 1p "$dir/sheet.md") == "# Lab: "?* ]] || msg+="sheet.md does not open with '# Lab: <title>'; "
		sections=$(sed -n 's/^## //p' "$dir/sheet.md" | tr '\n' '|')
		want="The idea|What to do|What you will see|Questions|Hint|Answer|"
		[[ $sections == "$want" ]] ||
			msg+="sheet.md's sections are '$sections', not '$want'; "
		grep -q 'fs/pipe\.c' <<<"$(sed -n '/^## Hint/,/^## Answer/p' "$dir/sheet.md")" ||
			msg+="the hint names no fs/pipe.c function; "
	fi
	if [[ -s $dir/tests ]]; then
		progs=" $(make --no-print-directory -s -C "$work/src/selftests" print-progs \
			KSFT_INC="$MP_KSFT_INC" OUTPUT="$work/labs-progs" 2>/dev/null | xargs -n1 basename | tr '\n' ' ')"
		while read -r prog test; do
			[[ $progs == *" $prog "* ]] || msg+="tests: $prog is not a test program; "
			[[ $test =~ ^[a-z_0-9]+\.(minipipe|minipipe_pair)\.[a-z_0-9]+$ ]] ||
				msg+="tests: '$test' is not fixture.minipipe[_pair].test; "
		done < <(MP_LABS_DIR=$work/src/tools/learn/labs mp_lab_tests "$name")
	fi
	if [[ -s $dir/lab.patch ]]; then
		MP_LABS_DIR=$work/src/tools/learn/labs mp_lab_patch_files "$name" >/dev/null 2>&1 ||
			msg+="lab.patch changes files outside module/; "
		patch -d "$work/src" -p1 -F0 -N --dry-run -s <"$dir/lab.patch" >/dev/null 2>&1 ||
			msg+="lab.patch does not apply to module/ without fuzz; "
	fi
	[[ ! -s $dir/scenario.sh ]] || sh -n "$dir/scenario.sh" 2>/dev/null || msg+="scenario.sh: syntax error; "
	if [[ -f $dir/kbuild ]] && grep -v '^[[:space:]]*\(#.*\)\?$' "$dir/kbuild" |
		grep -qv '^[A-Z_][A-Z_0-9]*=[^[:space:]]*$'; then
		msg+="kbuild: a line is not NAME=value; "
	fi
	tap_result "lab $name: lab.patch, sheet, tests and scenario as tools/learn/labs/README.md says" "$msg"
}

# check_labs — every lab well-formed, and at least 12 of them (issue 14).
check_labs() {
	local names=() n
	mapfile -t names < <(MP_LABS_DIR=$work/src/tools/learn/labs mp_lab_names)
	n=$(make --no-print-directory -s -C "$work/src" lab 2>&1 | grep -c '^  [0-9][0-9]-') || true
	if ((n == ${#names[@]} && n >= 12)); then
		tap_result "make lab lists the $n labs (at least 12)" ""
	else
		tap_result "make lab lists the labs" "it lists $n of ${#names[@]} labs (at least 12 wanted)"
	fi
	for n in "${names[@]}"; do
		check_lab "$n"
	done
}

main() {
	local kernels
	read -r -a kernels <<<"$MP_KERNELS"
	snapshot
	check_mptop
	check_examples
	check_make_tools
	check_man
	check_bench_report
	check_ringplot
	check_labs
	tap_result "rule citations match docs/semantics.md" "$("$work/src/selftests/rules-check.sh" 2>&1 || echo "exit $?")"
	if mp_resolve_kernel "${kernels[0]}" >/dev/null 2>&1; then
		check_install
		check_dkms
	else
		tap_result "make install and DKMS" "kernel ${kernels[0]} is not installed (tools/project/vm/deps.sh)"
	fi
	tap_end
}

main "$@"
