# title: an unmodified pipeline over minipipe: bash with the LD_PRELOAD shim
shim=/opt/minipipe/minipipe-shim.so
bin=/opt/debian/bin
echo "Debian's own bash and coreutils; the shim makes bash's pipe() calls return"
echo "anonymous minipipes (MINIPIPE_SHIM_STRICT=1: fail rather than fall back)."
echo
echo "\$ LD_PRELOAD=$shim bash -c 'ls / | wc -l'"
n=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/bash -c "$bin/ls / | $bin/wc -l")
echo "$n"
# shellcheck disable=SC2012 # counting names, as the pipeline does
test "$n" = "$(ls / | wc -l)"
echo
echo "What is ls's standard output in such a pipeline?"
echo "\$ LD_PRELOAD=$shim bash -c 'readlink /proc/self/fd/1 | cat'"
link=$(LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/bash -c "$bin/readlink /proc/self/fd/1 | $bin/cat")
echo "$link"
test "$link" = "anon_inode:[minipipe]"
echo
echo "\$ LD_PRELOAD=$shim bash -c 'seq 100000 | sort -r | sha256sum'"
LD_PRELOAD=$shim MINIPIPE_SHIM_STRICT=1 $bin/bash -c "$bin/seq 100000 | $bin/sort -r | $bin/sha256sum"
