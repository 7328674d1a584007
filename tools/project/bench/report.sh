#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/bench/report.sh — turn pipebench's output into a Markdown report
# and a bandwidth chart.
#
# Usage: report.sh RAW MD PNG
#
# RAW is what tools/project/bench/bench.sh kept of one run: its own "host KEY VALUE"
# lines, the guest's "PIPEBENCH-INFO KEY VALUE" lines and pipebench's
# output from PIPEBENCH-BEGIN to PIPEBENCH-END (see pipebench.c).  Writes
# the report to MD (it shows the chart as the file name of PNG, so keep the
# two side by side) and renders PNG with gnuplot: bandwidth against write
# size, median and min-max of every subject.  Can be re-run on a kept RAW.

set -euo pipefail

(($# == 3)) || { echo "usage: $0 RAW MD PNG" >&2; exit 2; }
raw=$1 md=$2 png=$3
[[ -r $raw ]] || { echo "report: cannot read $raw" >&2; exit 2; }
command -v gnuplot >/dev/null || { echo "report: gnuplot is not installed (gnuplot-nox)" >&2; exit 1; }

dat=$(mktemp)
trap 'rm -f "$dat" "$md.tmp"' EXIT

# The tables.  Plain POSIX awk (Debian's mawk).
awk -v png="$(basename "$png")" -v dat="$dat" '
function fmt(v) {
	if (v >= 100) return sprintf("%.0f", v)
	if (v >= 10) return sprintf("%.1f", v)
	if (v >= 1) return sprintf("%.2f", v)
	return sprintf("%.3f", v)
}

# A cell: median (min–max), in the unit of the table.
function cell(w, s,    k) {
	k = w SUBSEP s
	if (!(k in med)) return "–"
	return fmt(med[k] * scale[w]) " (" fmt(lo[k] * scale[w]) "–" fmt(hi[k] * scale[w]) ")"
}

# Is ratio r of workload w on target?
function met(w, r) { return op[w] == ">=" ? r >= target[w] : r <= target[w] }

function ratio_cell(w, s,    k) {
	k = w SUBSEP s
	if (!(k in rmed)) return "–"
	return sprintf("%.2f%s (%.2f–%.2f)", rmed[k], (w in target) ? (met(w, rmed[k]) ? " ✓" : " ✗") : "",
		       rlo[k], rhi[k])
}

# CPU per operation of subject s over that of pipe(2): target <= 1.00.
function cpu_ratio_cell(w, s,    k) {
	k = w SUBSEP s
	if (!(k in cpu_rmed)) return "–"
	return sprintf("%.2f%s (%.2f–%.2f)", cpu_rmed[k], cpu_rmed[k] <= cpu_target ? " ✓" : " ✗",
		       cpu_rlo[k], cpu_rhi[k])
}

# One line of the target list; counts it.
function verdict(what, r, o, t, lo, hi,    v, noise) {
	ntot++
	if (o == ">=" ? r >= t : r <= t) {
		nmet++
		v = "met"
	} else {
		v = sprintf("missed by %.2f", o == ">=" ? t - r : r - t)
	}
	noise = ""
	if ((o == ">=" && lo < t && hi >= t) || (o == "<=" && hi > t && lo <= t))
		noise = " (within the noise: the per-repetition ratios straddle the target)"
	printf "- %s: %.2f, target %s %.2f: **%s**%s\n", what, r, o == ">=" ? "≥" : "≤", t, v, noise
}

BEGIN {
	nw = split("bw-1 bw-64 bw-512 bw-4096 bw-65536 vms-65536 file-splice-65536 file-copy-65536 lat m2m m2m-16", wl, " ")
	label["bw-1"] = "bandwidth, 1-byte writes"
	label["bw-64"] = "bandwidth, 64-byte writes"
	label["bw-512"] = "bandwidth, 512-byte writes"
	label["bw-4096"] = "bandwidth, 4096-byte writes"
	label["bw-65536"] = "bandwidth, 65536-byte writes (bw_pipe)"
	label["vms-65536"] = "bandwidth, 65536-byte vmsplice (by reference) then read"
	label["file-splice-65536"] = "file to file through the pipe, 64 KiB splices (by reference)"
	label["file-copy-65536"] = "file to file through the pipe, 64 KiB read and write (copied)"
	label["lat"] = "latency, 1-byte ping-pong (lat_pipe)"
	label["m2m"] = "4 writers × 4 readers, 100-byte messages"
	label["m2m-16"] = "16 writers × 16 readers, 100-byte messages"
	for (i = 1; i <= nw; i++) {
		unit[wl[i]] = "MB/s"; scale[wl[i]] = 1; op[wl[i]] = ">="; target[wl[i]] = 1.0
	}
	target["bw-4096"] = target["bw-65536"] = 1.10
	unit["lat"] = "µs per round trip"; op["lat"] = "<="
	unit["m2m"] = unit["m2m-16"] = "10³ messages/s"; scale["m2m"] = scale["m2m-16"] = 0.001
	cpu_target = 1.00
	# The limit: bw-65536 over half the bandwidth of two copies at once.
	limit_target = 0.50
	ns = split("pipe fifo minipipe minipipe-anon", subj, " ")
	title["pipe"] = "pipe(2)"; title["fifo"] = "FIFO"
	title["minipipe"] = "/dev/minipipe"; title["minipipe-anon"] = "anonymous minipipe"
	# The subject of the limit workloads (copy-1, copy-2): no pipe at all.
	nas = ns + 1; subj[nas] = "memcpy"
	scale["copy-1"] = scale["copy-2"] = 1
}

{ sub(/\r$/, "") }
$1 == "host" { k = $2; $1 = $2 = ""; sub(/^ +/, ""); v = (k in host) ? host[k] "; " $0 : $0; host[k] = v; next }
$1 == "PIPEBENCH-INFO" { k = $2; $1 = $2 = ""; sub(/^ +/, ""); ginfo[k] = $0; next }
$1 == "PIPEBENCH-END" { status = $2; next }
$1 == "info" { k = $2; $1 = $2 = ""; sub(/^ +/, ""); info[k] = $0; next }
$1 == "run" && NF == 6 {
	runs[nruns++] = $0
	val[$2, $3, $4] = $5
	if (!(($2, $4) in seen)) { seen[$2, $4] = 1; reps[$2, ++nrep[$2]] = $4 }
	next
}
# The exact CPU time (field 10) came later: without it, system + user.
$1 == "stat" && (NF == 9 || NF == 10) {
	stats[nstats++] = $0
	for (i = 5; i <= 9; i++) st[$2, $3, $4, i - 4] = $i
	st[$2, $3, $4, 6] = NF == 10 ? $10 : $8 + $9
	next
}
$1 == "state" && NF == 7 {
	stats[nstats++] = $0
	for (i = 5; i <= 7; i++) sf[$2, $4, i - 4] = $i
	have_state[$2] = 1
	next
}
$1 == "contended" && NF == 4 { contended[$2, $4] = 1; next }

# Median of a[1..n] (sorts a).
function median(a, n,    i, j, t) {
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && a[j - 1] > a[j]; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

# The statistics of workload w over its repetitions: those that no other
# VM disturbed, when at least 3 are left, else all of them.
function compute(w,    i, j, r, n, nclean, use, k, a, b, c, m, q) {
	nclean = 0
	for (i = 1; i <= nrep[w]; i++)
		if (!((w, reps[w, i]) in contended))
			nclean++
	used[w] = 0
	for (i = 1; i <= nrep[w]; i++) {
		r = reps[w, i]
		if (nclean >= 3 && ((w, r) in contended))
			continue
		use[++used[w]] = r
	}
	ncontended[w] = nrep[w] - nclean
	for (j = 1; j <= nas; j++) {
		k = w SUBSEP subj[j]
		n = 0
		for (i = 1; i <= used[w]; i++)
			if ((w, subj[j], use[i]) in val)
				a[++n] = val[w, subj[j], use[i]]
		if (!n)
			continue
		lo[k] = hi[k] = a[1]
		for (i = 2; i <= n; i++) {
			if (a[i] < lo[k]) lo[k] = a[i]
			if (a[i] > hi[k]) hi[k] = a[i]
		}
		med[k] = median(a, n)
		for (c = 1; c <= 6; c++) {
			n = 0
			for (i = 1; i <= used[w]; i++)
				if ((w, subj[j], use[i], c) in st)
					b[++n] = st[w, subj[j], use[i], c]
			if (n) {
				cost[k, c] = median(b, n)
				have_cost[k] = 1
			}
		}
	}
	for (j = 2; j <= ns; j++) {
		k = w SUBSEP subj[j]
		if (!(k in med) || !((w SUBSEP "pipe") in med))
			continue
		rmed[k] = med[k] / med[w SUBSEP "pipe"]
		n = 0
		for (i = 1; i <= used[w]; i++)
			if ((w, subj[j], use[i]) in val && (w, "pipe", use[i]) in val)
				m[++n] = val[w, subj[j], use[i]] / val[w, "pipe", use[i]]
		rlo[k] = rhi[k] = m[1]
		for (i = 2; i <= n; i++) {
			if (m[i] < rlo[k]) rlo[k] = m[i]
			if (m[i] > rhi[k]) rhi[k] = m[i]
		}
		# CPU per operation, the same way.
		if (!((k, 6) in cost) || !((w SUBSEP "pipe", 6) in cost) || !cost[w SUBSEP "pipe", 6])
			continue
		cpu_rmed[k] = cost[k, 6] / cost[w SUBSEP "pipe", 6]
		n = 0
		for (i = 1; i <= used[w]; i++)
			if ((w, subj[j], use[i], 6) in st && (w, "pipe", use[i], 6) in st &&
			    st[w, "pipe", use[i], 6])
				q[++n] = st[w, subj[j], use[i], 6] / st[w, "pipe", use[i], 6]
		cpu_rlo[k] = cpu_rhi[k] = q[1]
		for (i = 2; i <= n; i++) {
			if (q[i] < cpu_rlo[k]) cpu_rlo[k] = q[i]
			if (q[i] > cpu_rhi[k]) cpu_rhi[k] = q[i]
		}
	}
	# The state file counters of /dev/minipipe, per operation.
	if (w in have_state)
		for (c = 1; c <= 3; c++) {
			n = 0
			for (i = 1; i <= used[w]; i++)
				if ((w, use[i], c) in sf)
					a[++n] = sf[w, use[i], c]
			if (n)
				state_med[w, c] = median(a, n)
		}
}

END {
	if (status != "ok") {
		print "report: the run did not end with PIPEBENCH-END ok" > "/dev/stderr"
		exit 1
	}
	accel = host["accel"] == "kvm" ? "KVM" : "TCG"
	ncont = 0
	for (i = 1; i <= nw; i++) {
		compute(wl[i])
		ncont += ncontended[wl[i]]
	}
	for (i = 1; i <= 2; i++) {
		compute("copy-" i)
		ncont += ncontended["copy-" i]
	}
	printf "# minipipe against the kernel'"'"'s pipes: Linux %s\n\n", info["kernel"]
	printf "Measured by `make bench` (tools/project/bench/) on %s.\n\n", host["date"]
	print "| | |"
	print "|---|---|"
	printf "| kernel | Debian %s in QEMU (%s), %s vCPUs, 1 GiB |\n", info["kernel"],
		host["qemu"] " " accel, info["cpus"]
	printf "| host | %s |\n", host["cpu"]
	printf "| module | %s |\n", host["module"]
	printf "| method | %s s per measurement, %s repetitions after a %s s warm-up, subjects interleaved; bandwidth and latency processes %s |\n",
		info["duration"], info["reps"], info["warmup"],
		info["pin"] ? "pinned to vCPUs 0 and 1" : "not pinned"
	printf "| guest clocksource | %s |\n", ginfo["clocksource"]
	if ("note" in host)
		printf "| note | %s |\n", host["note"]
	if ("warning" in host)
		printf "| **warning** | %s |\n", host["warning"]
	if (ncont)
		printf "| **host busy** | other processes (VMs) took host CPU during %d of the repetitions, which are left out (all kept for a workload with fewer than 3 left: its row says so) |\n", ncont
	print ""
	if (accel == "TCG") {
		print "> **TCG emulation, not hardware speeds.**  QEMU translated every guest"
		print "> instruction here; absolute figures are many times below what the same"
		print "> kernel does on real CPUs, and the emulator distorts the relative cost of"
		print "> system calls, page copies, IPIs and context switches.  The figure that"
		print "> counts is the ratio between subjects measured in the same boot, interleaved."
		print "> `KVM=1 make bench` gives real speeds where KVM works."
	} else {
		print "> KVM: real CPU speeds, but inside a 2-vCPU virtual machine."
	}
	print ""
	print "## Results"
	print ""
	print "Median of the repetitions (reps: how many), (min–max).  Ratios: the subject'"'"'s median over"
	print "pipe(2)'"'"'s (for latency, lower is better), then the range of the"
	print "per-repetition ratios; ✓ / ✗: the target met or missed.  CPU: the CPU time"
	print "per operation (user and system, summed over the processes, as the scheduler"
	print "counts it) over pipe(2)'"'"'s, target ≤ " sprintf("%.2f", cpu_target) ": spinning must pay for the CPU it uses."
	print ""
	print "| workload | unit | reps | pipe(2) | FIFO | /dev/minipipe | anonymous minipipe | /dev/minipipe ÷ pipe(2) | anonymous ÷ pipe(2) | target | CPU, /dev/minipipe ÷ pipe(2) | CPU, anonymous ÷ pipe(2) |"
	print "|---|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|"
	for (i = 1; i <= nw; i++) {
		w = wl[i]
		if (!((w SUBSEP "pipe") in med) && !((w SUBSEP "minipipe") in med))
			continue
		printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s %.2f | %s | %s |\n", label[w], unit[w],
			used[w] (ncontended[w] && used[w] == nrep[w] ? " (**disturbed: host busy**)" : ""),
			cell(w, "pipe"), cell(w, "fifo"), cell(w, "minipipe"), cell(w, "minipipe-anon"),
			ratio_cell(w, "minipipe"), ratio_cell(w, "minipipe-anon"),
			op[w] == ">=" ? "≥" : "≤", target[w],
			cpu_ratio_cell(w, "minipipe"), cpu_ratio_cell(w, "minipipe-anon")
	}
	# The limit: what the guest can copy, and bw-65536 as a fraction of it.
	have_limit = ("copy-2" SUBSEP "memcpy") in med
	if (have_limit) {
		ceiling = med["copy-2" SUBSEP "memcpy"] / 2
		print ""
		print "## How far from the limit"
		print ""
		print "The memory-copy bandwidth of the guest, measured in the same boot: memcpy(3) of"
		print "64 KiB blocks between two buffers of one process, on one vCPU (copy-1) and on both"
		print "vCPUs at once (copy-2, the two added).  A pipe copies every byte twice, into the"
		print "pipe and out of it; with the writer on one vCPU and the reader on the other, each"
		print "vCPU makes one copy of every byte, so the ceiling of a pipe'"'"'s bandwidth is the"
		print "copy bandwidth of one vCPU while the other copies too: copy-2 ÷ 2."
		print ""
		print "| measurement | reps | MB/s |"
		print "|---|---|---:|"
		for (i = 1; i <= 2; i++)
			if (("copy-" i SUBSEP "memcpy") in med)
				printf "| copy-%d: memcpy, 64 KiB blocks, %s | %s | %s |\n", i,
					i == 1 ? "one vCPU" : "two vCPUs at once", used["copy-" i],
					cell("copy-" i, "memcpy")
		printf "| ceiling of a pipe: copy-2 ÷ 2 | | %s |\n", fmt(ceiling)
		print ""
		if (("bw-65536" SUBSEP "pipe") in med) {
			print "| bw-65536 | MB/s | fraction of the ceiling | target |"
			print "|---|---:|---:|---|"
			for (j = 1; j <= ns; j++) {
				k = "bw-65536" SUBSEP subj[j]
				if (!(k in med))
					continue
				mark = j < 3 ? "" : (med[k] / ceiling >= limit_target ? " ✓" : " ✗")
				goal = j < 3 ? "" : sprintf("≥ %.2f", limit_target)
				printf "| %s | %s | %.2f%s | %s |\n", title[subj[j]], fmt(med[k]), med[k] / ceiling,
					mark, goal
			}
		}
	}
	# Zero-copy against copying: each pair of workloads on the same subject.
	nzc = split("file-splice-65536 file-copy-65536 vms-65536 bw-65536", zc, " ")
	have_zc = 0
	for (i = 1; i < nzc; i += 2)
		for (j = 1; j <= ns; j++)
			if (((zc[i] SUBSEP subj[j]) in med) && ((zc[i + 1] SUBSEP subj[j]) in med))
				have_zc = 1
	if (have_zc) {
		print ""
		print "## Zero-copy against copying"
		print ""
		print "The same transfer by page reference and by copying, on the same subject: file to"
		print "file by splice(2) (on a minipipe through a kernel pipe on each side, which"
		print "splice(2) needs) against read(2) and write(2), and vmsplice(2) then read(2)"
		print "against write(2) then read(2).  Bandwidth (median MB/s) and exact CPU µs per"
		print "64 KiB moved (median, all processes); ratios: by reference ÷ copied."
		print ""
		print "| subject | by reference | copied | MB/s, by reference | MB/s, copied | bandwidth ratio | CPU µs / 64 KiB, by reference | CPU µs / 64 KiB, copied | CPU ratio |"
		print "|---|---|---|---:|---:|---:|---:|---:|---:|"
		for (i = 1; i < nzc; i += 2)
			for (j = 1; j <= ns; j++) {
				a = zc[i] SUBSEP subj[j]
				b = zc[i + 1] SUBSEP subj[j]
				if (!(a in med) || !(b in med) || !((a, 6) in cost) || !((b, 6) in cost))
					continue
				printf "| %s | %s | %s | %s | %s | %.2f | %.3g | %.3g | %.2f |\n", title[subj[j]],
					zc[i], zc[i + 1], fmt(med[a]), fmt(med[b]), med[a] / med[b],
					cost[a, 6], cost[b, 6], cost[b, 6] ? cost[a, 6] / cost[b, 6] : 0
			}
	}
	print ""
	print "## Targets"
	print ""
	print "Ratios to pipe(2) (CPU: per operation), and the fraction of the ceiling."
	print ""
	nmet = ntot = 0
	for (i = 1; i <= nw; i++) {
		w = wl[i]
		for (j = 3; j <= 4; j++) {
			k = w SUBSEP subj[j]
			if (k in rmed)
				verdict(label[w] ", " title[subj[j]], rmed[k], op[w], target[w], rlo[k], rhi[k])
			if (k in cpu_rmed)
				verdict("CPU per operation, " label[w] ", " title[subj[j]], cpu_rmed[k], "<=",
					cpu_target, cpu_rlo[k], cpu_rhi[k])
		}
	}
	if (have_limit)
		for (j = 3; j <= 4; j++) {
			k = "bw-65536" SUBSEP subj[j]
			if (k in med)
				verdict("bw-65536 as a fraction of the ceiling, " title[subj[j]], med[k] / ceiling,
					">=", limit_target, lo[k] / ceiling, hi[k] / ceiling)
		}
	print ""
	printf "%d of %d targets met.\n", nmet, ntot
	print ""
	print "## Where the time goes"
	print ""
	print "Per operation (a write; for latency a round trip), summed over the"
	print "processes of a measurement, median of the repetitions: read calls, sleeps"
	print "(voluntary context switches), preemptions (involuntary ones), and the"
	print "system and user CPU time from getrusage() (tick-sampled: rough), and the CPU"
	print "time as the scheduler counts it (CLOCK_PROCESS_CPUTIME_ID: exact, user and"
	print "system together; the figure of the CPU targets)."
	print ""
	print "| workload | subject | reads | sleeps | preemptions | system µs | user µs | CPU µs |"
	print "|---|---|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nw; i++) {
		w = wl[i]
		for (j = 1; j <= ns; j++) {
			k = w SUBSEP subj[j]
			if (!(k in have_cost))
				continue
			printf "| %s | %s | %.3g | %.3g | %.3g | %.3g | %.3g | %.3g |\n", w, title[subj[j]],
				cost[k, 1], cost[k, 2], cost[k, 3], cost[k, 4], cost[k, 5], cost[k, 6]
		}
	}
	nstate = 0
	for (i = 1; i <= nw; i++)
		if ((wl[i], 1) in state_med)
			nstate++
	if (nstate) {
		print ""
		print "The named minipipe'"'"'s own counters (its state file in debugfs, read before and"
		print "after each measurement), per operation, median of the repetitions: wake-ups"
		print "issued to a queue with a sleeper on it, and the waits of readers and of writers"
		print "that spinning ended, with no sleep."
		print ""
		print "| workload | wake-ups | reader waits ended spinning | writer waits ended spinning |"
		print "|---|---:|---:|---:|"
		for (i = 1; i <= nw; i++) {
			w = wl[i]
			if ((w, 1) in state_med)
				printf "| %s | %.3g | %.3g | %.3g |\n", w, state_med[w, 1], state_med[w, 2],
					state_med[w, 3]
		}
	}
	print ""
	print "## Bandwidth against write size"
	print ""
	nbw = 0
	for (i = 1; i <= nw; i++)
		if (wl[i] ~ /^bw-/ && (wl[i] SUBSEP "pipe") in med)
			nbw++
	if (nbw)
		printf "![bandwidth against write size](%s)\n", png
	else
		print "No bandwidth workload was measured, so there is no chart."
	print ""
	print "<details><summary>Every measurement</summary>"
	print ""
	print "```"
	for (i = 0; i < nruns; i++)
		print runs[i]
	for (i = 0; i < nstats; i++)
		print stats[i]
	print "```"
	print ""
	print "</details>"

	# gnuplot data: size, then median min max of each subject.
	for (i = 1; i <= nw; i++) {
		w = wl[i]
		if (w !~ /^bw-/ || !((w SUBSEP "pipe") in med))
			continue
		line = substr(w, 4)
		for (j = 1; j <= ns; j++) {
			k = w SUBSEP subj[j]
			line = line ((k in med) ? " " med[k] " " lo[k] " " hi[k] : " NaN NaN NaN")
		}
		print line > dat
	}
	close(dat)
	printf "%s, %s\n", info["kernel"], accel > (dat ".title")
}
' "$raw" >"$md.tmp"
mv "$md.tmp" "$md"

title=$(cat "$dat.title")
rm -f "$dat.title"
# Only latency or many-to-many measured: nothing to draw.
if [[ ! -s $dat ]]; then
	rm -f "$png"
	exit 0
fi
gnuplot <<EOF
set terminal pngcairo size 960,900 font "sans,11"
set output "$png"
set multiplot layout 2,1 title "Pipe bandwidth against write size — Linux $title"
set logscale x 2
set xrange [0.7:90000]
set xtics ("1" 1, "64" 64, "512" 512, "4096" 4096, "65536" 65536)
set grid
set key left top
set logscale y 10
set ylabel "MB/s (median, min–max)"
plot "$dat" using (\$1*0.94):2:3:4 with yerrorlines lw 2 title "pipe(2)", \
     "$dat" using (\$1*0.98):5:6:7 with yerrorlines lw 2 title "FIFO", \
     "$dat" using (\$1*1.02):8:9:10 with yerrorlines lw 2 title "/dev/minipipe", \
     "$dat" using (\$1*1.06):11:12:13 with yerrorlines lw 2 title "anonymous minipipe"
unset logscale y
set xlabel "write size (bytes)"
set ylabel "median ÷ pipe(2)'s median"
plot 1 with lines lc "gray" dt 2 notitle, \
     "$dat" using 1:(\$5/\$2) with linespoints lw 2 lc 2 title "FIFO", \
     "$dat" using 1:(\$8/\$2) with linespoints lw 2 lc 3 title "/dev/minipipe", \
     "$dat" using 1:(\$11/\$2) with linespoints lw 2 lc 4 title "anonymous minipipe"
unset multiplot
EOF
