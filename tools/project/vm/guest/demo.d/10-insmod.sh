# title: load the module (insmod /minipipe/minipipe.ko)
. /minipipe/config
set -x
# shellcheck disable=SC2086 # MP_MODULE_PARAMS is a word list
insmod /minipipe/minipipe.ko $MP_MODULE_PARAMS
grep '^minipipe ' /proc/modules
