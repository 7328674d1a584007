# SPDX-License-Identifier: GPL-2.0
#
# tools/learn/ringplot/trace.awk — a minipipe trace (the text of
# /sys/kernel/tracing/trace or trace_pipe) as the series of one pipe:
# what `ringplot --data` prints and what its picture is drawn from.
#
#   awk -v want=NAME -f trace.awk TRACE TRACE    (the file twice: one pass
#                                                 counts, one prints)
#
# want="" picks the busiest pipe (most events; the first seen on a tie).
# Output: three "# " header lines, then one line per event of that pipe:
#
#   time_ms event pid comm head tail used info
#
# time_ms from the pipe's first event, exact to the microsecond of the
# trace; head and tail as traced (free-running u32) and used = head - tail
# mod 2^32, or "-" for an event that does not snapshot the ring (all but
# read and write); info the event's other fields, or "-".  comm has its
# blanks made "_".  Plain POSIX awk (Debian's mawk).  Exit status 3: no
# minipipe event; 4: no event of pipe want (the pipes seen go to stderr).

# parse(LINE) — 1 if LINE is a minipipe event: ev, us (the timestamp in
# microseconds), pid, comm, pipe, head, tail and info are set.
function parse(s,    pre, rest, n, tok, ts, frac, task, a, i, eq, k) {
	if (!match(s, / minipipe_[a-z]+: /))
		return 0
	ev = substr(s, RSTART + 10, RLENGTH - 12)
	pre = substr(s, 1, RSTART - 1)
	rest = substr(s, RSTART + RLENGTH)

	# "comm-pid [ (tgid)] [cpu] flags  secs.usecs:" (record-tgid adds "(tgid)")
	n = split(pre, tok, " ")
	ts = tok[n]
	sub(/:$/, "", ts)
	if (ts !~ /^[0-9]+\.[0-9]+$/ || !match(pre, /\[[0-9]+\]/))
		return 0
	frac = substr(ts, index(ts, ".") + 1) "000000"
	us = substr(ts, 1, index(ts, ".") - 1) * 1000000 + substr(frac, 1, 6)
	task = substr(pre, 1, RSTART - 1)
	sub(/[ \t]*\([ 0-9-]*\)[ \t]*$/, "", task)
	sub(/[ \t]+$/, "", task)
	sub(/^[ \t]+/, "", task)
	if (!match(task, /-[0-9]+$/))
		return 0
	pid = substr(task, RSTART + 1)
	comm = substr(task, 1, RSTART - 1)
	gsub(/[ \t]/, "_", comm)
	if (comm == "")
		comm = "?"

	pipe = head = tail = info = ""
	n = split(rest, a, " ")
	for (i = 1; i <= n; i++) {
		eq = index(a[i], "=")
		k = eq ? substr(a[i], 1, eq - 1) : ""
		if (k == "pipe")
			pipe = substr(a[i], eq + 1)
		else if (k == "head")
			head = substr(a[i], eq + 1)
		else if (k == "tail")
			tail = substr(a[i], eq + 1)
		else
			info = info (info == "" ? "" : " ") a[i]
	}
	if (info == "")
		info = "-"
	return pipe != ""
}

# Pass 1: the events of each pipe, and any events the ring buffer lost.
FNR == NR {
	sub(/\r$/, "")
	if ($0 ~ /^CPU:?[0-9]+ \[LOST [0-9]+ EVENTS\]/)
		lost = lost (lost == "" ? "" : ", ") $0
	if (parse($0)) {
		total++
		if (!(pipe in count))
			order[++npipes] = pipe
		count[pipe]++
	}
	next
}

FNR == 1 {
	if (total == 0)
		exit 3
	if (want == "") {
		for (i = 1; i <= npipes; i++)
			if (want == "" || count[order[i]] > count[want])
				want = order[i]
	} else if (!(want in count)) {
		for (i = 1; i <= npipes; i++)
			printf "  %s (%d events)\n", order[i], count[order[i]] > "/dev/stderr"
		exit 4
	}
	list = ""
	for (i = 1; i <= npipes; i++)
		list = list (i > 1 ? " " : "") order[i] "=" count[order[i]]
	printf "# ringplot --data: pipe %s, %d of %d minipipe events (pipes: %s)\n",
	       want, count[want], total, list
	printf "# %s\n", lost == "" ? "no events lost" : "the trace lost events: " lost
	print "# time_ms event pid comm head tail used info"
}

{
	sub(/\r$/, "")
	if (!parse($0) || pipe != want)
		next
	if (!started) {
		t0 = us
		started = 1
	}
	d = us - t0
	if (head != "" && tail != "") {
		used = head - tail
		if (used < 0)
			used += 4294967296
		used = sprintf("%.0f", used)
	} else {
		head = tail = used = "-"
	}
	printf "%d.%03d %s %s %s %s %s %s %s\n", int(d / 1000), d % 1000, ev, pid, comm,
	       head, tail, used, info
}

END {
	if (total == 0)
		exit 3
}
