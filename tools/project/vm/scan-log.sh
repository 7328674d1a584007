#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/vm/scan-log.sh — judge one minipipe VM console log.
#
# Usage: scan-log.sh [--label LABEL] [--expect "PROG..."] [--context N] LOG
#
#   --label    prefix for every report line, e.g. the kernel version
#   --expect   programs that must have run (the test programs put in the VM)
#   --context  console lines to show when the run broke off (default 50)
#
# Reads the console protocol described in tools/project/vm/guest/lib.sh and prints:
#   [LABEL] PROG: ok 1 ...           every TAP result line of every program
#   [LABEL] guest.d/NAME: ok         a step (rc 0) / "not ok (exit N)"
#   [LABEL] runner: not ok - WHY     a failure of the run itself: insmod or
#                                    rmmod failed, a timeout, a missing
#                                    marker, a panic, a kernel splat, a bad
#                                    taint, an exit status that contradicts
#                                    the program's TAP, a host watchdog kill
# and, last, the machine-readable line
#   SCAN-RESULT passed=N failed=N skipped=N
# Counting: "ok" = passed, "ok ... # SKIP" = skipped, "not ok" = failed,
# a step = passed or failed, every runner failure = 1 failed.
# Exit status: 0 when failed=0, 1 otherwise, 2 on bad usage.

set -euo pipefail

usage() {
	echo "usage: $0 [--label LABEL] [--expect \"PROG...\"] [--context N] LOG" >&2
	exit 2
}

label=vm
expect=
context=50
while (($#)); do
	case $1 in
	--label) label=${2?}; shift 2 ;;
	--expect) expect=${2?}; shift 2 ;;
	--context) context=${2?}; shift 2 ;;
	-h|--help) usage ;;
	--) shift; break ;;
	-*) usage ;;
	*) break ;;
	esac
done
(($# == 1)) || usage
log=$1
[[ -r $log ]] || { echo "scan-log: cannot read $log" >&2; exit 2; }

# Kernel messages that mean something went wrong, wherever they appear
# (the dmesg dump or anything the kernel printed on the console).
splat_re='BUG:|kernel BUG at|WARNING:|Oops|KASAN|UBSAN|possible circular locking|possible recursive locking'
splat_re+='|sleeping function called from invalid context|INFO: task .* blocked|kmemleak'
splat_re+='|refcount_t|list_add corruption|Kernel panic|general protection fault|Call Trace:'
# Lines that match splat_re but report no problem: the debug kernel's
# kmemleak announces itself at boot.
benign_re='kmemleak: Kernel memory leak detector initialized'

# Plain POSIX awk (Debian's default is mawk): no bit operations, no regex
# intervals, no gawk extensions.
awk -v label="$label" -v expect="$expect" -v context="$context" \
	-v splat_re="$splat_re" -v benign_re="$benign_re" -v allowed_taint=$((4096 | 8192)) '
function report(line) { print "[" label "] " line }

function fail(why) {
	report("runner: not ok - " why)
	failed++
}

# bit(v, b): bit b of the non-negative integer v.
function bit(v, b) { return int(v / 2 ^ b) % 2 }

# Letters of the taint flags set in v, as in the kernel'"'"'s taint list.
function taint_letters(v,    letters, b, s) {
	letters = "PFSRMBUDAWCIOELKXTN"
	s = ""
	for (b = 0; b < length(letters); b++)
		if (bit(v, b))
			s = s substr(letters, b + 1, 1)
	return s
}

# A run (program) started: remember it and its kind.
function run_start(kind, name) {
	if (!(name in kind_of))
		order[nruns++] = name
	kind_of[name] = kind
	exited[name] = 0
	nres[name] = 0; nfail[name] = 0; nskip[name] = 0; plan[name] = -1; planwhy[name] = ""
	nout[name] = 0; ndiag[name] = 0
	if (kind == "cmd" || kind == "demo")
		cur_plain = name
}

# Keep the last 20 lines of a run'"'"'s output, to show if it fails.
function keep_output(name, text) {
	out[name, nout[name] % 20] = text
	nout[name]++
}

function show_output(name,    i, start) {
	start = nout[name] > 20 ? nout[name] - 20 : 0
	for (i = start; i < nout[name]; i++)
		report("    " name "| " out[name, i % 20])
}

# One line of a TAP program'"'"'s output.
function tap_line(name, text,    lower, i) {
	keep_output(name, text)
	if (text ~ /^1\.\.[0-9]+/) {
		plan[name] = text
		planwhy[name] = text
		sub(/^1\.\.[0-9]+[ \t]*#?[ \t]*([Ss][Kk][Ii][Pp])?[ \t]*/, "", planwhy[name])
		sub(/^1\.\./, "", plan[name])
		plan[name] = int(plan[name])
	} else if (text ~ /^ok([ \t]|$)/) {
		report(name ": " text)
		nres[name]++
		lower = tolower(text)
		if (lower ~ /#[ \t]*skip/) {
			skipped++
			nskip[name]++
		}
		else
			passed++
		ndiag[name] = 0
	} else if (text ~ /^not ok([ \t]|$)/) {
		report(name ": " text)
		# Show what the test said about it (kselftest "# ..." lines).
		for (i = 0; i < ndiag[name] && i < 15; i++)
			report("    " name "| " diag[name, i])
		nres[name]++
		nfail[name]++
		failed++
		ndiag[name] = 0
	} else if (text ~ /^Bail out!/) {
		fail(name " bailed out: " text)
		nfail[name]++
	} else if (text ~ /^#/ && ndiag[name] < 15) {
		diag[name, ndiag[name]++] = text
	}
}

# A run ended with status r: count it.
function run_end(name, r,    kind, timed_out) {
	exited[name] = 1
	kind = kind_of[name]
	timed_out = (r == 124 || r == 137 || r == 143)
	if (kind == "tap") {
		if (timed_out) {
			fail(name " timed out or was killed (exit " r "); its last output:")
			show_output(name)
		} else if (nres[name] == 0 && plan[name] == 0 && (r == 0 || r == 4)) {
			# Exit 4 is kselftest'"'"'s KSFT_SKIP.
			report(name ": ok # SKIP " (planwhy[name] != "" ? planwhy[name] : \
				"no tests to run (plan 1..0)"))
			skipped++
		} else if (nres[name] == 0) {
			fail(name " printed no TAP result (exit " r ")")
			show_output(name)
		} else if (r != 0 && nfail[name] == 0 && !(r == 4 && nskip[name] == nres[name])) {
			fail(name " exited " r " but its TAP reports no failure")
			show_output(name)
		} else if (plan[name] > nres[name]) {
			fail(name " planned " plan[name] " tests but reported " nres[name])
		}
	} else if (kind == "step" || kind == "demo") {
		if (r == 0) {
			report(name ": ok")
			passed++
		} else {
			report(name ": not ok (exit " r (timed_out ? ", timed out" : "") ")")
			show_output(name)
			failed++
		}
	} else if (r != 0) {
		# cmd (insmod, rmmod): only a failure counts.
		if (name == "insmod")
			insmod_failed = 1
		fail(name " failed (exit " r (timed_out ? ", timed out" : "") ")")
		show_output(name)
	}
}

# A console line without its log level and timestamp.
function bare(text,    norm) {
	norm = text
	sub(/^<[0-9]+>/, "", norm)
	sub(/^\[ *[0-9]+\.[0-9]+\] /, "", norm)
	sub(/[ \t]+$/, "", norm)
	return norm
}

# A kernel splat line: report each distinct one once (timestamps removed,
# so the same line seen on the console and in the dmesg dump counts once).
function splat(text,    norm) {
	norm = bare(text)
	if (norm in splat_seen)
		return
	splat_seen[norm] = 1
	nsplat++
	failed++
	if (nsplat <= 20)
		report("runner: not ok - kernel splat: " norm)
}

BEGIN {
	passed = failed = skipped = 0
	nruns = 0; nsplat = 0; nlines = 0; need_context = 0
	have_boot = have_done = 0; last_stage = "(none)"
	taint_end = ""; taint_boot = ""
	cur_plain = ""
	in_dmesg = 0; nmodmsg = 0; insmod_failed = 0
}

{
	# Drop carriage returns and terminal escape sequences (firmware and
	# the kernel reset the screen on the serial line).
	gsub(/\r/, "")
	gsub(/\033\[[0-9;?]*[A-Za-z]/, "")
	gsub(/\033./, "")
	line = $0

	# Host notes (watchdog kills, qemu errors) are failures by definition.
	if (line ~ /^MINIPIPE-HOST-FAIL: /) {
		sub(/^MINIPIPE-HOST-FAIL: /, "", line)
		fail("host: " line)
		need_context = 1
		next
	}
	if (line == "")
		next

	ring[nlines % context] = line
	nlines++

	# Console markers may follow kernel text on the same line: find them
	# anywhere, and look at what follows.
	if (match(line, /MINIPIPE-[A-Z]+(-[A-Z]+)?/)) {
		m = substr(line, RSTART)
		n = split(m, w, " ")
		if (w[1] == "MINIPIPE-STAGE" && n >= 2) {
			last_stage = w[2]
			if (w[2] == "boot") have_boot = 1
			if (w[2] == "done") have_done = 1
			next
		}
		if (w[1] == "MINIPIPE-RUN" && n >= 3) {
			run_start(w[2], w[3])
			next
		}
		if (w[1] == "MINIPIPE-EXIT" && n >= 3) {
			if ((w[2] in kind_of) && !exited[w[2]])
				run_end(w[2], w[3] + 0)
			if (cur_plain == w[2])
				cur_plain = ""
			next
		}
		if (w[1] == "MINIPIPE-TAINT" && n >= 3) {
			if (w[2] == "end") taint_end = w[3]
			if (w[2] == "boot") taint_boot = w[3]
			next
		}
		if (w[1] == "MINIPIPE-FAIL") {
			sub(/^MINIPIPE-FAIL /, "", m)
			fail("guest: " m)
			next
		}
		if (w[1] == "MINIPIPE-DMESG-BEGIN" || w[1] == "MINIPIPE-DMESG-END") {
			in_dmesg = (w[1] == "MINIPIPE-DMESG-BEGIN")
			next
		}
	}

	# "[name] text": output of a tap or step run, not a kernel message
	# (kernel timestamps "[   1.2]" start with a space or a digit).
	if (line ~ /^\[[A-Za-z_][A-Za-z0-9_.+\/-]*\] / || line ~ /^\[[A-Za-z_][A-Za-z0-9_.+\/-]*\]$/) {
		name = substr(line, 2, index(line, "]") - 2)
		if (name in kind_of) {
			text = substr(line, length(name) + 4)
			if (kind_of[name] == "tap")
				tap_line(name, text)
			else
				keep_output(name, text)
			next
		}
	}

	# What the kernel said about the module, to explain an insmod failure.
	if (in_dmesg && line ~ /minipipe/ && nmodmsg < 10)
		modmsg[nmodmsg++] = line
	# A KCSAN report is judged whole, at its closing "=====" line: it
	# counts against minipipe if any of its frames is minipipe code (a
	# "[minipipe]" module frame or an mp_ function); else it is a race of
	# the kernel with itself, between its own functions, which minipipe can
	# neither cause nor fix: shown, counted as skipped, not failed.
	if (kcsan_head != "") {
		if (line ~ /\[minipipe\]/ || line ~ /[ \/]mp_[a-z0-9_]+[+ ]/)
			kcsan_ours = 1
		if (line ~ /==================/) {
			if (kcsan_ours)
				splat(kcsan_head)
			else if (!(bare(kcsan_head) in splat_seen)) {
				splat_seen[bare(kcsan_head)] = 1
				skipped++
				report("runner: ok # SKIP a data race of the kernel alone, no minipipe frame: " \
				       bare(kcsan_head))
			}
			kcsan_head = ""
		}
	} else if (line ~ /BUG: KCSAN: /) {
		kcsan_head = line
		kcsan_ours = line ~ /[ \/]mp_[a-z0-9_]+( |$)/
	} else if (line ~ splat_re && line !~ benign_re)
		splat(line)
	if (cur_plain != "")
		keep_output(cur_plain, line)
}

END {
	if (!have_boot)
		fail("the guest never started (no \"MINIPIPE-STAGE boot\" on the console)")
	# A KCSAN report cut off before its end counts against minipipe.
	if (kcsan_head != "")
		splat(kcsan_head)

	# Programs still running when the log ended.
	for (i = 0; i < nruns; i++) {
		name = order[i]
		if (!exited[name]) {
			fail(name " did not finish (hung, or the kernel died under it)")
			need_context = 1
		}
	}

	# Programs the host put in the VM but that never started.
	nmiss = split(expect, want, " ")
	missing = ""
	for (i = 1; i <= nmiss; i++)
		if (!(want[i] in kind_of))
			missing = missing " " want[i]
	if (insmod_failed)
		for (i = 0; i < nmodmsg; i++)
			report("    dmesg| " modmsg[i])
	if (missing != "")
		fail("never ran" (insmod_failed ? " (minipipe.ko did not load)" : "") ":" missing)

	if (nsplat > 20)
		report("runner: ... and " (nsplat - 20) " more distinct splat lines (each counted)")

	if (!have_done) {
		fail("no \"MINIPIPE-STAGE done\": the run broke off in stage \"" last_stage "\" (panic, hang or crash)")
		need_context = 1
	} else {
		t = taint_end != "" ? taint_end : taint_boot
		if (t == "") {
			fail("the guest reported no taint value")
		} else {
			t += 0
			masked = t - bit(t, 12) * 4096 - bit(t, 13) * 8192
			if (masked != 0)
				fail("kernel tainted " t " (" taint_letters(t) "); only O (4096) and E (8192) are allowed")
		}
	}

	if (need_context && nlines > 0) {
		n = nlines < context ? nlines : context
		report("---- last " n " console lines ----")
		for (i = nlines - n; i < nlines; i++)
			report("| " ring[i % context])
		report("---- end of console ----")
	}

	printf "SCAN-RESULT passed=%d failed=%d skipped=%d\n", passed, failed, skipped
	exit (failed > 0 ? 1 : 0)
}
' "$log"
