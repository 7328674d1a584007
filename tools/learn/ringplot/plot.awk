# SPDX-License-Identifier: GPL-2.0
#
# tools/learn/ringplot/plot.awk — one column of ringplot's picture: reads
# the series of trace.awk (ringplot --data), writes the data files
# DIR/ring.dat, DIR/bars.dat and DIR/marks.dat and prints the gnuplot
# commands of three panels that share the time axis:
#
#   1. head and tail, in slots from the first tail traced (unwrapped);
#   2. the slots in use, head - tail, after each read and write;
#   3. a lane per task (comm and pid): a bar while it sleeps, coloured by
#      the queue (read, write, open); marks for its sleeps, wake-ups and
#      spins, and for open, release (last close), EOF, EPIPE and resize.
#
#   RP_TITLE=T awk -v dir=DIR -v col=C -v ncols=N -f plot.awk SERIES
#
# Column C (from 0) of N side by side.  The title comes from the
# environment (awk -v would read its backslashes).

# q(S) — S as a gnuplot double-quoted string (a newline as \n).
function q(s,    out, i, c) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\n")
			c = "\\n"
		else if (c == "\\" || c == "\"")
			out = out "\\"
		out = out c
	}
	return "\"" out "\""
}

function lane(pid, comm) {
	if (!(pid in lanes)) {
		lanes[pid] = ++nlanes
		label[nlanes] = comm " " pid
	}
	return lanes[pid]
}

# mark(T, LANE, KIND, COLOUR) — a point of kind KIND (see kinds below).
function mark(t, l, k, c) {
	printf "%s %d %d %d\n", t, l, k, c > marks
	seen[k] = 1
}

function bar(from, to, l, qu) {
	# Translucent (alpha 0x99), so that the marks on the bar show.
	printf "%s %d %.3f %.0f\n", from, l, to - from, colour[qu] + 2566914048 > bars
	asleep[qu] = 1
	nbars++
}

BEGIN {
	x0 = col / ncols
	w = 1 / ncols
	ring = dir "/ring.dat"
	bars = dir "/bars.dat"
	marks = dir "/marks.dat"
	printf "" > ring
	printf "" > bars
	printf "" > marks
	colour["read"] = 2062260	# #1f77b4
	colour["write"] = 14034728	# #d62728
	colour["open"] = 2924588	# #2ca02c
	black = 0
	# kind: point type, legend
	nk = split("sleep wake spin_got spin_gave open release eof epipe resize", kinds, " ")
	pt["sleep"] = 11;	key["sleep"] = "goes to sleep"
	pt["wake"] = 9;		key["wake"] = "wakes up"
	pt["spin_got"] = 6;	key["spin_got"] = "spun, and got it"
	pt["spin_gave"] = 1;	key["spin_gave"] = "spun, gave up"
	pt["open"] = 5;		key["open"] = "open"
	pt["release"] = 4;	key["release"] = "release (last close)"
	pt["eof"] = 7;		key["eof"] = "EOF"
	pt["epipe"] = 3;	key["epipe"] = "EPIPE"
	pt["resize"] = 13;	key["resize"] = "resize"
	for (i = 1; i <= nk; i++)
		code[kinds[i]] = i
}

/^# ringplot --data: pipe / {
	pipe = $5
	sub(/,$/, "", pipe)
}
/^#/ { next }

{
	t = $1
	tmax = t
	events++
	l = lane($3, $4)
	if ($2 == "read" || $2 == "write") {
		if (!ios++)
			base = $6
		h = $5 - base
		if (h < 0)
			h += 4294967296
		tl = $6 - base
		if (tl < 0)
			tl += 4294967296
		printf "%s %.0f %.0f %s\n", t, h, tl, $7 > ring
		if (h > maxhead)
			maxhead = h
		last = sprintf("%.0f %.0f %s", h, tl, $7)
		if ($7 + 0 > maxused)
			maxused = $7 + 0
		if ($2 == "write")
			writes++
		else
			reads++
		did[l] = (did[l] == "" || did[l] == $2) ? $2 : "both"
		next
	}
	qu = ""
	if ($8 ~ /^queue=/) {
		qu = substr($8, 7)
		if (!(qu in colour))
			colour[qu] = black
	}
	if ($2 == "sleep") {
		if ($3 in slept)
			bar(slept[$3], t, l, squeue[$3])
		slept[$3] = t
		squeue[$3] = qu
		sleeps++
		mark(t, l, code["sleep"], colour[qu])
	} else if ($2 == "wake") {
		if ($3 in slept) {
			bar(slept[$3], t, l, squeue[$3])
			delete slept[$3]
		}
		mark(t, l, code["wake"], colour[qu])
	} else if ($2 == "spin") {
		mark(t, l, code[$9 == "result=1" ? "spin_got" : "spin_gave"], colour[qu])
	} else if ($2 in code) {
		mark(t, l, code[$2], black)
	}
}

END {
	if (tmax + 0 <= 0)
		tmax = 1
	# The ring stays as last traced until the trace ends.
	if (ios)
		printf "%s %s\n", tmax, last > ring
	# A task still asleep when the trace ends.
	for (p in slept)
		bar(slept[p], tmax, lanes[p], squeue[p])
	close(ring)
	close(bars)
	close(marks)

	L = x0 + 0.2 * w
	R = x0 + w - 0.03 * w
	print "set lmargin at screen " L
	print "set rmargin at screen " R
	print "set xrange [0:" tmax "]"
	print "set grid xtics ytics"
	print "set format x \"\""
	print "unset xlabel"

	# 1. head and tail
	print "set tmargin at screen 0.90"
	print "set bmargin at screen 0.69"
	printf "set title %s\n", q(ENVIRON["RP_TITLE"] "\npipe " pipe ": " events " events in " tmax \
		" ms; writes " writes + 0 ", reads " reads + 0 ", sleeps " sleeps + 0)
	print "set ylabel \"slots from the first tail\""
	print "set key default"
	print "set key inside top left opaque box"
	print "set yrange [0:" int(maxhead * 1.05) + 1 "]"
	print "set ytics autofreq"
	if (ios) {
		print "plot " q(ring) " using 1:2 with steps lw 2 lc rgb \"#ff7f0e\" title \"head (a write moves it)\", \\"
		print "     " q(ring) " using 1:3 with steps lw 2 lc rgb \"#9467bd\" title \"tail (a read moves it)\""
	} else {
		print "set yrange [0:1]"
		print "set label 1 \"no read or write traced\" at graph 0.5, 0.5 center"
		print "plot NaN notitle"
		print "unset label 1"
	}
	print "unset title"

	# 2. occupancy
	print "set tmargin at screen 0.66"
	print "set bmargin at screen 0.47"
	print "set ylabel \"slots in use\""
	print "set yrange [0:" maxused + 1 "]"
	if (ios) {
		print "plot " q(ring) " using 1:4 with fillsteps fs solid 0.25 noborder lc rgb \"#1f77b4\" notitle, \\"
		print "     " q(ring) " using 1:4 with steps lw 1.5 lc rgb \"#1f77b4\" title " \
			q("head - tail (at most " maxused ")")
	} else {
		print "plot NaN notitle"
	}

	# 3. the tasks
	print "set tmargin at screen 0.44"
	print "set bmargin at screen 0.17"
	print "set format x \"%g\""
	print "set xlabel \"ms from the pipe's first event\""
	print "unset ylabel"
	print "set grid noytics"
	print "set yrange [" nlanes + 0.5 ":0.5]"
	s = ""
	role["read"] = " (reads)"
	role["write"] = " (writes)"
	role["both"] = " (reads, writes)"
	for (i = 1; i <= nlanes; i++)
		s = s (i > 1 ? ", " : "") q(label[i] role[did[i]]) " " i
	print "set ytics (" s ")"
	print "set key default"
	print "set key at screen " x0 + 0.02 * w ", screen 0.11 left top horizontal maxrows 4 width -2"
	s = ""
	nq = split("read write open", queues, " ")
	for (i = 1; i <= nq; i++) {
		qu = queues[i]
		if (!(qu in asleep))
			continue
		s = s ", \\\n     NaN with lines lw 6 lc rgb " sprintf("\"#99%06x\"", colour[qu]) \
			" title " q("asleep on the " qu " queue")
	}
	for (i = 1; i <= nk; i++) {
		if (!(i in seen))
			continue
		s = s ", \\\n     " q(marks) " using 1:($3 == " i " ? $2 : NaN):4 with points pt " \
			pt[kinds[i]] " ps 1.2 lc rgb variable notitle" \
			", \\\n     NaN with points pt " pt[kinds[i]] " ps 1.2 lc rgb \"black\" title " \
			q(key[kinds[i]])
	}
	if (nbars)
		s = q(bars) " using 1:2:3:(0):4 with vectors nohead lw 6 lc rgb variable notitle" s
	else
		s = "NaN notitle" s
	print "plot " s
	print "unset ytics"
	print "set ytics autofreq"
}
