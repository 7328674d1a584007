# title: 3 writers, 4096-byte records: never interleaved (exercise 5)
echo "Three processes write 4096-byte (PIPE_BUF) records into one pipe at once, a"
echo "reader checks that each record is one writer's, whole.  A write of at most"
echo "PIPE_BUF bytes fits in one slot or merges whole into the last one: it is"
echo "never split.   (source: tools/learn/examples/ex5_atomic_writers.c)"
echo
echo '$ ex5_atomic_writers'
ex5_atomic_writers
echo
echo "For contrast, 10000-byte records (more than PIPE_BUF, so nothing is promised):"
echo
echo '$ ex5_atomic_writers 10000'
ex5_atomic_writers 10000
