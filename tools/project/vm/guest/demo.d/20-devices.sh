# title: the device nodes it created
. /minipipe/lib.sh
mp_wait_dev /dev/minipipe
set -x
ls -l /dev/minipipe*
