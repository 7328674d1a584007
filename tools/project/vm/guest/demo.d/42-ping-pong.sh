# title: both directions with two pipes: ping-pong (exercise 2)
echo "A pipe goes one way; a conversation needs two.  The parent sends \"ping N\","
echo "the child answers \"pong N\", thousands of times, each side sleeping in read()"
echo "until the other has written.   (source: tools/learn/examples/ex2_ping_pong.c)"
echo
echo '$ ex2_ping_pong 5000'
ex2_ping_pong 5000
