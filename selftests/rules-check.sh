#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# selftests/rules-check.sh [TOP] — do the rule numbers that the selftests
# cite agree with what docs/semantics.md says about them?  TOP is the
# repository, by default the directory above this script.
#
# Every rule of docs/semantics.md ("**Rnn.**" at the start of a line) is
# followed, before the next rule or heading, by one paragraph
#	*Tests:* `fixture.test`, `fixture.test`, ...
# or
#	*Tests:* none: why no test checks it.
# A test cites a rule in a comment inside its body or in the comment
# right above it (blank lines and other comments may come between, code
# may not): "R32", "R100-R103" (every rule from R100 to R103), "R17, R43".
# A citation anywhere else (a file's opening comment, a helper) belongs
# to no test; its rule numbers must exist all the same.
#
# Silent and exit 0 when the lists and the citations agree; otherwise
# one line per difference, the list a rule should have, and exit 1.

set -eu

top=${1:-$(dirname "$0")/..}
cd "$top"

# shellcheck disable=SC2016 # the backquotes are awk's text, not a command
exec awk -v doc=docs/semantics.md '
function fail(msg) {
	print msg
	errors++
}

# Split one line into its C comment text (returned) and, in "code", what
# is outside comments.  "incomment" carries a /* ... */ across lines.
function comment_text(line,	out, i, j) {
	out = ""
	code = ""
	while (line != "") {
		if (incomment) {
			i = index(line, "*/")
			if (!i)
				return out " " line
			out = out " " substr(line, 1, i - 1)
			line = substr(line, i + 2)
			incomment = 0
			continue
		}
		i = index(line, "/*")
		j = index(line, "//")
		if (j && (!i || j < i)) {
			code = code substr(line, 1, j - 1)
			return out " " substr(line, j + 2)
		}
		if (!i) {
			code = code line
			return out
		}
		code = code substr(line, 1, i - 1)
		line = substr(line, i + 2)
		incomment = 1
	}
	return out
}

# Note the rules cited in @text, found at @where: for test @test, or for
# no test (@test "") when they only have to exist.
function cite(text, where, test,	c, a, b, r, dash) {
	while (match(text, /R[0-9]+((-|–)R[0-9]+)?/)) {
		c = substr(text, RSTART, RLENGTH)
		if ((RSTART > 1 && substr(text, RSTART - 1, 1) ~ /[A-Za-z0-9_]/) ||
		    substr(text, RSTART + RLENGTH, 1) ~ /[A-Za-z0-9_]/) {
			text = substr(text, RSTART + RLENGTH)
			continue
		}
		text = substr(text, RSTART + RLENGTH)
		dash = index(c, "-R")
		if (!dash)
			dash = index(c, "–R")
		if (dash) {
			a = substr(c, 2, dash - 2) + 0
			b = substr(c, index(substr(c, dash), "R") + dash) + 0
		} else {
			a = b = substr(c, 2) + 0
		}
		if (!(a in defined) || !(b in defined) || a > b) {
			fail(where ": cites " c ", but " doc " has no " \
			     (a in defined && b in defined ? "such range" : \
			      "R" (a in defined ? b : a)))
			continue
		}
		if (test == "")
			continue
		for (r = a; r <= b; r++)
			if (r in defined && !((r, test) in cited)) {
				cited[r, test] = where
				citers[r] = citers[r] " " test
			}
	}
}

# The comments waiting for a test that did not come: their rules must
# only exist.
function flush(	i) {
	for (i = 1; i <= npend; i++)
		cite(pend[i], pend_at[i], "")
	npend = 0
}

# docs/semantics.md: the rules and their *Tests:* paragraphs.
FILENAME == doc {
	if (match($0, /^\*\*R[0-9]+\./)) {
		rule = substr($0, 4, RLENGTH - 4) + 0
		if (rule in defined)
			fail(doc ":" FNR ": R" rule " is defined twice")
		defined[rule] = FNR
		rules[++nrules] = rule
		inlist = 0
		next
	}
	if ($0 ~ /^(#|---)/) {
		rule = ""
		inlist = 0
		next
	}
	if ($0 ~ /^\*Tests:\*/) {
		if (rule == "") {
			fail(doc ":" FNR ": a *Tests:* line outside any rule")
			next
		}
		if (rule in listed_at)
			fail(doc ":" FNR ": R" rule " has a second *Tests:* line")
		listed_at[rule] = FNR
		inlist = 1
		text = $0
		sub(/^\*Tests:\* */, "", text)
		if (text ~ /^none/) {
			none[rule] = 1
			if (text !~ /^none: [^ ]/)
				fail(doc ":" FNR ": R" rule ": \"*Tests:* none\" needs \": why\"")
			inlist = 0
			next
		}
	} else if (inlist && $0 ~ /^[ \t]*$/) {
		inlist = 0
		next
	} else if (inlist) {
		text = $0
	} else {
		next
	}
	n = split(text, part, "`")
	for (i = 2; i <= n; i += 2) {
		if (part[i] !~ /^[a-z0-9_]+\.[a-z0-9_]+$/) {
			fail(doc ":" FNR ": R" rule ": `" part[i] "` is not fixture.test")
			continue
		}
		if ((rule, part[i]) in listed)
			fail(doc ":" FNR ": R" rule " lists " part[i] " twice")
		listed[rule, part[i]] = FNR
		lists[rule] = lists[rule] " " part[i]
	}
	next
}

FNR == 1 {
	flush()
	incomment = 0
	test = ""
	npend = 0
}

# A test starts: TEST(name), TEST_F(fixture, name), TEST_F_TIMEOUT(...), ...
!incomment && test == "" && /^TEST(_F)?(_[A-Z]+)?\(/ {
	s = $0
	sub(/^[A-Z_]+\( */, "", s)
	split(s, arg, / *[,)] */)
	test = $0 ~ /^TEST_F/ ? arg[1] "." arg[2] : "global." arg[1]
	if (test in tests)
		fail(FILENAME ":" FNR ": " test " is defined twice")
	tests[test] = FILENAME ":" FNR
	for (i = 1; i <= npend; i++)
		cite(pend[i], pend_at[i], test)
	npend = 0
	next
}

{
	text = comment_text($0)
	if (test != "") {
		cite(text, FILENAME ":" FNR, test)
		if ($0 ~ /^}/)
			test = ""
		next
	}
	# Code between a comment and the next test: the comment is not about
	# a test.
	if (code ~ /[^ \t]/)
		flush()
	if (text ~ /R[0-9]/) {
		pend[++npend] = text
		pend_at[npend] = FILENAME ":" FNR
	}
}

END {
	flush()
	for (i = 1; i <= nrules; i++) {
		rule = rules[i]
		bad = errors
		if (!(rule in listed_at)) {
			fail(doc ":" defined[rule] ": R" rule " has no *Tests:* line")
		} else if (!(rule in none) && lists[rule] == "") {
			fail(doc ":" listed_at[rule] ": R" rule ": an empty *Tests:* line")
		}
		n = split(citers[rule], t, " ")
		for (j = 1; j <= n; j++)
			if (!((rule, t[j]) in listed))
				fail(cited[rule, t[j]] ": " t[j] " cites R" rule \
				     ", but " doc " does not list it there")
		n = split(lists[rule], t, " ")
		for (j = 1; j <= n; j++)
			if (!(t[j] in tests))
				fail(doc ":" listed[rule, t[j]] ": R" rule " lists " t[j] \
				     ", which is no test in selftests/")
			else if (!((rule, t[j]) in cited))
				fail(doc ":" listed[rule, t[j]] ": R" rule " lists " t[j] \
				     ", which does not cite it (" tests[t[j]] ")")
		if (errors > bad) {
			s = citers[rule]
			gsub(/ /, "`, `", s)
			print "  R" rule " should say: *Tests:* " \
			      (s == "" ? "none: <why>" : substr(s, 4) "`")
		}
	}
	if (errors) {
		print "rules-check: " errors " difference(s) between the rule citations" \
		      " of selftests/ and " doc
		exit 1
	}
}
' docs/semantics.md selftests/*.c selftests/*.h
