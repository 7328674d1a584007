# The flow-control scenario of tools/learn/examples/ex4_flow_control.c: a
# fast writer, a reader that does not read at first, then reads one page,
# then drains.  The scenario of flow-control.trace (capture.sh).
timeout -s KILL 25 ex4_flow_control
