#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The pipe benchmark (tools/project/bench/, `make bench`) run once, tiny, so that
# it cannot rot: every workload on every subject for a few milliseconds.
# Passes when pipebench exits 0 (it checks the data it moves) and prints a
# well-formed result and cost line (ending in the exact CPU per operation)
# for each workload and subject, a ratio line for each workload and subject
# other than pipe, and a result for each copy workload of the limit.

bin=/minipipe/bench/pipebench
out=/tmp/bench-smoke.out

"$bin" -t 0.05 -r 1 -W 0 >"$out" 2>&1
rc=$?
cat "$out"
if [ "$rc" != 0 ]; then
	echo "pipebench exited $rc"
	exit 1
fi
awk '
	BEGIN {
		nw = split("bw-1 bw-64 bw-512 bw-4096 bw-65536 vms-65536 file-splice-65536 file-copy-65536 lat m2m m2m-16", w, " ")
		ns = split("pipe fifo minipipe minipipe-anon", s, " ")
		num = "^[0-9]+(\\.[0-9]*)?(e[+-]?[0-9]+)?$"
	}
	$1 == "result" && NF == 7 && $4 ~ num && $5 ~ num && $6 ~ num && $4 > 0 {
		result[$2 " " $3] = 1
	}
	$1 == "cost" && NF == 9 && $4 ~ num && $8 ~ num && $9 ~ num && $9 > 0 {
		cost[$2 " " $3] = 1
	}
	$1 == "ratio" && NF == 6 && $4 ~ num && $4 > 0 { ratio[$2 " " $3] = 1 }
	$1 == "PIPEBENCH-BEGIN" { begin = 1 }
	$1 == "PIPEBENCH-END" && $2 == "ok" { end = 1 }
	END {
		bad = 0
		if (!begin || !end) {
			print "no PIPEBENCH-BEGIN / PIPEBENCH-END ok"
			bad = 1
		}
		for (i = 1; i <= 2; i++)
			if (!(("copy-" i " memcpy") in result)) {
				print "no well-formed result for copy-" i
				bad = 1
			}
		for (i = 1; i <= nw; i++)
			for (j = 1; j <= ns; j++) {
				if (!((w[i] " " s[j]) in result)) {
					print "no well-formed result for " w[i] " on " s[j]
					bad = 1
				}
				if (!((w[i] " " s[j]) in cost)) {
					print "no well-formed cost line for " w[i] " on " s[j]
					bad = 1
				}
				if (j > 1 && !((w[i] " " s[j]) in ratio)) {
					print "no ratio for " w[i] " on " s[j]
					bad = 1
				}
			}
		if (!bad)
			print "every workload and subject gave a result"
		exit bad
	}
' "$out"
