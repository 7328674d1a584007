#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# tools/project/bench/bench.sh — `make bench`: minipipe against the kernel's pipes.
#
# For each kernel of $KERNEL (default 6.1): build minipipe.ko, pack an
# initramfs with pipebench (tools/project/vm/initramfs.d/60-bench.sh), boot it with
# mpmode=bench (the guest's /init loads the module and runs
# /minipipe/bench.sh), take pipebench's output out of the console log
# (between PIPEBENCH-BEGIN and PIPEBENCH-END), and write
#   build/bench/results.md, build/bench/bandwidth.png      the last kernel's
#   build/bench/bench-<K>.md, build/bench/bandwidth-<K>.png per kernel K
#   build/bench/raw-<K>.txt                                 what they come from
#   docs/bench-<K>.md, docs/bandwidth-<K>.png               the committed copy
# and print the report.  The run fails, and writes no report, when the
# console log shows a kernel splat, a bad taint, a failed insmod/rmmod or
# a failed pipebench check.
#
# Everything of the VM goes to build/bench/vm/ (MINIPIPE_BUILD is set to
# it): a `make check` running at the same time keeps its build/<kver>/.
#
# Environment (besides tools/project/vm/lib.sh's KERNEL, KVM, MINIPIPE_*):
#   MINIPIPE_BENCH_SECONDS  seconds per measurement (1)
#   MINIPIPE_BENCH_REPS     repetitions (8: each subject goes first twice)
#   MINIPIPE_BENCH_WARMUP   warm-up seconds per workload and subject (0.2)
#   MINIPIPE_BENCH_ARGS     more pipebench arguments, e.g. "-w bw-4096,lat"
#   MINIPIPE_BENCH_REV      build the module from this git revision rather
#                           than from the work tree (before/after figures)
#   MINIPIPE_BENCH_DOCS=0   do not copy the report into docs/
#   MINIPIPE_BENCH_WAIT     seconds to wait for other QEMU VMs on this host
#                           to end before booting (600)
#
# Other VMs take host CPU from ours, and then every wake-up in the guest
# costs milliseconds: the host is sampled every second while the VM runs,
# and the report leaves out the repetitions during which others used more
# than a quarter of a host CPU (build/bench/vm/<kver>/host-samples).

set -euo pipefail

bench_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$bench_dir/../../.." && pwd)
out_dir=$root/build/bench
export MINIPIPE_BUILD=$out_dir/vm
# shellcheck source=tools/project/vm/lib.sh
. "$root/tools/project/vm/lib.sh"

seconds=${MINIPIPE_BENCH_SECONDS:-1}
reps=${MINIPIPE_BENCH_REPS:-8}
warmup=${MINIPIPE_BENCH_WARMUP:-0.2}
export MINIPIPE_BENCH_ARGS="-t $seconds -r $reps -W $warmup ${MINIPIPE_BENCH_ARGS:-}"

# The guest's limit for pipebench, and the VM's: 34 measurements (8
# workloads x 4 subjects, and the 2 copy workloads) of reps x seconds plus
# warm-up, three times over for process start-up and draining under TCG,
# plus a margin.
guest_limit=$(awk -v s="$seconds" -v r="$reps" -v w="$warmup" \
	'BEGIN { printf "%d", 34 * (r * s + w) * 3 + 300 }')
MP_TEST_TIMEOUT=$guest_limit
[[ -n ${MINIPIPE_VM_TIMEOUT:-} ]] || MP_VM_TIMEOUT=$((guest_limit + 300))

# other_vms — how many QEMU VMs run on this host, counting a `make check`
# or `make demo` between two boots as one.
other_vms() {
	local vms runners
	vms=$(pgrep -c -f '^qemu-system-' || true)
	runners=$(pgrep -c -f 'tools/project/vm/(check|demo)\.sh' || true)
	echo $((vms > runners ? vms : runners))
}

# wait_for_quiet — give other VMs MINIPIPE_BENCH_WAIT seconds to end.  Quiet
# means no other VM for 60 s in a row.
wait_for_quiet() {
	local limit=${MINIPIPE_BENCH_WAIT:-600} start=$SECONDS quiet_since=$SECONDS said=0
	while ((SECONDS - quiet_since < 60 && SECONDS - start < limit)); do
		if (($(other_vms) > 0)); then
			quiet_since=$SECONDS
			if ((!said)); then
				mp_msg "== other QEMU VMs run on this host; waiting up to ${limit}s" \
					"(MINIPIPE_BENCH_WAIT) until none has run for 60s"
				said=1
			fi
		elif ((!said)); then
			# Nobody around at the start: no need to wait.
			return 0
		fi
		sleep 5
	done
	(($(other_vms) == 0)) || mp_msg "== other VMs still run: measuring anyway; the report will say so"
}

# Host CPU time (in 1/100 s per second) that others may take from our VM
# before its measurements count as disturbed.
MP_BENCH_NOISE=25

# monitor_host LOG INITRD — every second, one line "RUNS OTHERS": how many
# measurements the guest has finished ("run" lines in LOG) and how much CPU
# time everything but our qemu (the one booted with INITRD) used on the
# host in that second, in 1/100 s.
monitor_host() {
	local log=$1 initrd=$2 pid="" busy last_busy=0 q last_q=0 user nice sys irq sirq steal f
	while :; do
		read -r _ user nice sys _ _ irq sirq steal _ </proc/stat
		busy=$((user + nice + sys + irq + sirq + steal))
		[[ -n $pid ]] || pid=$(pgrep -f "^qemu-system-.*-initrd $initrd" | sed -n 1p) || true
		q=0
		if [[ -n $pid && -r /proc/$pid/stat ]]; then
			# utime and stime: fields 14 and 15, after "pid (comm) ".
			read -r -a f <"/proc/$pid/stat" || true
			q=$((f[13] + f[14]))
		fi
		if ((last_busy)); then
			printf '%s %s\n' "$(grep -c '^run ' "$log" || true)" \
				$((busy - last_busy - (q >= last_q ? q - last_q : 0)))
		fi
		last_busy=$busy last_q=$q
		sleep 1
	done
}

# contended_runs LOG SAMPLES — a "contended WORKLOAD SUBJECT REP" line for
# every measurement of LOG during or right after which SAMPLES (of
# monitor_host) saw others use the host's CPUs: report.sh leaves those
# repetitions out.  While measurement i runs, i - 1 "run" lines are on the
# console.
contended_runs() {
	tr -d '\r' <"$1" | awk -v samples="$2" -v noise="$MP_BENCH_NOISE" '
		BEGIN {
			while ((getline line < samples) > 0) {
				split(line, f, " ")
				if (f[2] > noise) {
					bad[f[1] + 1] = 1
					bad[f[1]] = 1
				}
			}
		}
		/^run / && bad[++i] { print "contended", $2, $3, $4 }
	'
}

# ensure_gnuplot — the chart is drawn on the host, by Debian's gnuplot.
ensure_gnuplot() {
	mp_pkg_installed gnuplot-nox && return 0
	((EUID == 0)) || mp_die "gnuplot-nox is missing; as root: apt-get install --no-install-recommends gnuplot-nox"
	mp_msg "installing: gnuplot-nox"
	export DEBIAN_FRONTEND=noninteractive
	apt-get install -y --no-install-recommends gnuplot-nox >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 &&
			apt-get install -y --no-install-recommends gnuplot-nox >/dev/null; } ||
		mp_die "could not install gnuplot-nox"
}

# module_source — set MP_MODULE_SRC and MODULE_DESC: the work tree, or
# MINIPIPE_BENCH_REV exported from git.
module_source() {
	local rev=${MINIPIPE_BENCH_REV:-} src commit
	if [[ -n $rev ]]; then
		commit=$(git -C "$root" rev-parse --short "$rev^{commit}") ||
			mp_die "MINIPIPE_BENCH_REV=$rev is not a git revision"
		src=$out_dir/module-rev
		rm -rf "$src"
		mkdir -p "$src"
		git -C "$root" archive "$commit" Kbuild module | tar -C "$src" -xf -
		MP_MODULE_SRC=$src
		MODULE_DESC="git $commit (MINIPIPE_BENCH_REV=$rev)"
	elif [[ -n ${MINIPIPE_MODULE_SRC:-} ]]; then
		MODULE_DESC="$MINIPIPE_MODULE_SRC (MINIPIPE_MODULE_SRC)"
	elif commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null); then
		MODULE_DESC="git $commit"
		if [[ -n $(git -C "$root" status --porcelain -- Kbuild module) ]]; then
			MODULE_DESC+=" + uncommitted changes in Kbuild/module/"
		fi
	else
		MODULE_DESC="work tree (not a git checkout)"
	fi
}

# bench_kernel NAME — one boot, one report.
bench_kernel() {
	local name=$1 vmdir log raw md png monitor
	mp_resolve_kernel "$name" || exit 1
	mp_msg "== building minipipe.ko for $MP_KVER from $MODULE_DESC"
	mp_build_module "$MP_KVER" "$MP_KDIR" || exit 1
	vmdir=$MP_BUILD/$MP_KVER
	log=$vmdir/bench-console.log
	mp_build_initramfs "$MP_KVER" "$MP_MODULE_KO" "$vmdir/initramfs-bench.cpio.gz"

	# Another VM on this host takes CPU from ours: say so in the report.
	wait_for_quiet
	: >"$log"
	monitor_host "$log" "$vmdir/initramfs-bench.cpio.gz" >"$vmdir/host-samples" &
	monitor=$!
	trap 'kill "$monitor" 2>/dev/null || true' EXIT
	mp_msg "== booting Linux $MP_KVER under qemu ($ACCEL), pipebench $MINIPIPE_BENCH_ARGS" \
		"(at most ${guest_limit}s); console: ${log#"$root"/}"
	mp_boot "$MP_VMLINUZ" "$vmdir/initramfs-bench.cpio.gz" bench "$log" live
	kill "$monitor" 2>/dev/null || true
	wait "$monitor" 2>/dev/null || true
	trap - EXIT
	mp_msg "== VM powered off after ${MP_BOOT_SECONDS}s"
	[[ -s $vmdir/host-samples ]] || mp_die "no host samples: the monitor did not run"

	if ! "$MP_VM_DIR/scan-log.sh" --label "$MP_KVER" "$log" >"$vmdir/bench-scan.out" 2>&1; then
		grep -v '^SCAN-RESULT ' "$vmdir/bench-scan.out" >&2 || true
		mp_die "the bench run failed (console: $log); no report written"
	fi

	raw=$out_dir/raw-$name.txt
	{
		printf 'host date %s\n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
		printf 'host accel %s\n' "$ACCEL"
		printf 'host qemu %s\n' "$(qemu-system-x86_64 --version | sed -n '1s/^QEMU emulator version //p')"
		printf 'host cpu %s, %s CPUs\n' \
			"$(sed -n '/^model name[[:space:]]*: /{s///p;q}' /proc/cpuinfo)" "$(nproc)"
		printf 'host module %s\n' "$MODULE_DESC"
		contended_runs "$log" "$vmdir/host-samples"
		# The console may carry CRs; kernel messages may interleave.
		tr -d '\r' <"$log" | awk '
			/^PIPEBENCH-INFO / { print; next }
			/^PIPEBENCH-BEGIN/ { on = 1 }
			on && /^(PIPEBENCH-|info |run |stat |state |result |cost |ratio |error )/ { print }
			/^PIPEBENCH-END/ { on = 0 }
		'
	} >"$raw"
	grep -q '^PIPEBENCH-END ok' "$raw" || mp_die "no complete pipebench output in $log"

	md=$out_dir/bench-$name.md
	png=$out_dir/bandwidth-$name.png
	# A run without bandwidth workloads has no chart: no stale one stays.
	rm -f "$png" "$out_dir/bandwidth.png"
	"$bench_dir/report.sh" "$raw" "$md" "$png"
	cp "$md" "$out_dir/results.md"
	[[ ! -e $png ]] || cp "$png" "$out_dir/bandwidth.png"
	if [[ ${MINIPIPE_BENCH_DOCS:-1} != 0 ]]; then
		mkdir -p "$root/docs"
		cp "$md" "$root/docs/bench-$name.md"
		[[ ! -e $png ]] || cp "$png" "$root/docs/bandwidth-$name.png"
	fi
	mp_msg ""
	cat "$md"
	mp_msg ""
	mp_msg "== report: ${md#"$root"/}, chart: ${png#"$root"/}" \
		"(also build/bench/results.md, build/bench/bandwidth.png$(
			[[ ${MINIPIPE_BENCH_DOCS:-1} != 0 ]] && echo ", docs/bench-$name.md"))"
}

main() {
	local kernels k
	read -r -a kernels <<<"${KERNEL:-6.1}"
	ACCEL=$([[ ${KVM:-0} == 1 ]] && echo kvm || echo tcg)
	mkdir -p "$out_dir"
	"$MP_VM_DIR/deps.sh" "${kernels[@]}"
	ensure_gnuplot
	module_source
	for k in "${kernels[@]}"; do
		bench_kernel "$k"
	done
}

main "$@"
