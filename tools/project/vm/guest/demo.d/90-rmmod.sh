# title: unload the module (rmmod minipipe)
set -x
rmmod minipipe
if grep -q '^minipipe ' /proc/modules; then
	echo "minipipe is still loaded"
	exit 1
fi
ls -l /dev/minipipe* 2>&1 || true
