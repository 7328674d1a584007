# title: module parameters (/sys/module/minipipe/parameters)
cd /sys/module/minipipe/parameters 2>/dev/null || {
	echo "(the module has no parameters)"
	exit 0
}
for p in *; do
	[ -f "$p" ] && echo "$p = $(cat "$p")"
done
