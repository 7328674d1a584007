#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unmodified Debian programs over minipipe: each pipeline runs once on the
# kernel's pipes and once under the LD_PRELOAD shim, and both must give
# the same result.  MINIPIPE_SHIM_STRICT=1 makes the shim fail rather than
# fall back, so a pass really went through minipipe.

# shellcheck disable=SC1091 # guest path, made by mp_build_initramfs
. /minipipe/lib.sh

bin=/opt/debian/bin
shim=/opt/minipipe/minipipe-shim.so

# run_both NAME SCRIPT — run SCRIPT with bash on pipes, then on minipipes.
run_both() {
	name=$1 script=$2
	real=$($bin/bash -c "$script" 2>&1)
	rc_real=$?
	mini=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/bash -c "$script" 2>&1)
	rc_mini=$?
	if [ "$rc_real" = 0 ] && [ "$rc_mini" = 0 ] && [ -n "$real" ] && [ "$real" = "$mini" ]; then
		mp_ok "$name: $mini"
	else
		echo "# pipes (rc $rc_real): $real"
		echo "# minipipe (rc $rc_mini): $mini"
		mp_not_ok "$name"
	fi
}

echo "TAP version 13"
echo "1..7"

# The shim is really in use: the stdout of the pipeline's first command is
# an anonymous minipipe, not a kernel pipe.
link=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/bash -c "$bin/readlink /proc/self/fd/1 | $bin/cat")
if [ "$link" = "anon_inode:[minipipe]" ]; then
	mp_ok "shim in use: stdout of a pipeline is $link"
else
	mp_not_ok "shim in use: stdout of a pipeline is '$link'"
fi

# About 64 MB through two pipes, then a sort, each checksummed.
run_both "64 MB pipeline" "$bin/seq 8000000 | $bin/tr 0-9 a-j | $bin/sha256sum"
run_both "sort pipeline" "$bin/seq 300000 | $bin/sort -r | $bin/sha256sum"

# yes only stops because of SIGPIPE (status 141) once head has had enough.
run_both "yes | head" \
	"$bin/yes minipipe | $bin/head -c 50000000 | $bin/wc -c; echo \"status \${PIPESTATUS[*]}\""

# stress-ng's own pipe stressors, verifying the data they move.
for stressor in "--pipe 2 --pipe-ops 20000 --verify" "--pipeherd 2 --pipeherd-ops 20000"; do
	# shellcheck disable=SC2086 # $stressor is a word list
	out=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/stress-ng $stressor --timeout 120s \
		--metrics-brief 2>&1)
	rc=$?
	if [ $rc = 0 ] && ! echo "$out" | grep -iE 'fail|error' >/dev/null; then
		mp_ok "stress-ng $stressor"
	else
		echo "$out" | sed 's/^/# /'
		mp_not_ok "stress-ng $stressor (exit $rc)"
	fi
done

# stress-ng sizes its pipes with fcntl(F_SETPIPE_SZ), reads the size back
# with F_GETPIPE_SZ and says "cannot set (desired) pipe size" / "cannot get
# pipe size" when either fails or disagrees: through the shim's fcntl, the
# size ioctls of the minipipe answer.
out=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/stress-ng --pipe 1 --pipe-size 8192 \
	--pipe-ops 20000 --verify --timeout 120s 2>&1)
rc=$?
if [ $rc = 0 ] && ! echo "$out" | grep -iE 'pipe size|fail|error' >/dev/null; then
	mp_ok "stress-ng --pipe-size 8192: F_SETPIPE_SZ/F_GETPIPE_SZ on minipipes"
else
	echo "$out" | sed 's/^/# /'
	mp_not_ok "stress-ng --pipe-size 8192 (exit $rc)"
fi
exit "$MP_TAP_FAILED"
