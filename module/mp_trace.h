/* SPDX-License-Identifier: GPL-2.0 */
/*
 * minipipe — tracepoints, at the moments a course talks about.
 *
 *   cd /sys/kernel/tracing
 *   echo 1 > events/minipipe/enable
 *   cat trace_pipe
 *
 * Every event names its pipe: "minipipe", "minipipe1", ... for the named
 * pipes, "anon<N>" for anonymous ones.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM minipipe

#if !defined(MINIPIPE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define MINIPIPE_TRACE_H

#include <linux/tracepoint.h>

#include "pipe.h"

DECLARE_EVENT_CLASS(minipipe_end,
	TP_PROTO(const struct minipipe *pipe, fmode_t mode),
	TP_ARGS(pipe, mode),
	TP_STRUCT__entry(
		__array(char, name, MP_NAME_LEN)
		__field(bool, reader)
		__field(bool, writer)
		__field(unsigned int, readers)
		__field(unsigned int, writers)
	),
	TP_fast_assign(
		memcpy(__entry->name, pipe->name, MP_NAME_LEN);
		__entry->reader = mode & FMODE_READ;
		__entry->writer = mode & FMODE_WRITE;
		__entry->readers = pipe->readers;
		__entry->writers = pipe->writers;
	),
	TP_printk("pipe=%s end=%s%s readers=%u writers=%u",
		  __entry->name,
		  __entry->reader ? "r" : "", __entry->writer ? "w" : "",
		  __entry->readers, __entry->writers)
);

/* A file of the pipe was opened (after any wait for the partner), or an anonymous end made. */
DEFINE_EVENT(minipipe_end, minipipe_open,
	TP_PROTO(const struct minipipe *pipe, fmode_t mode),
	TP_ARGS(pipe, mode));

/* A file of the pipe was closed for the last time. */
DEFINE_EVENT(minipipe_end, minipipe_release,
	TP_PROTO(const struct minipipe *pipe, fmode_t mode),
	TP_ARGS(pipe, mode));

DECLARE_EVENT_CLASS(minipipe_io,
	TP_PROTO(const struct minipipe *pipe, size_t asked, ssize_t done),
	TP_ARGS(pipe, asked, done),
	TP_STRUCT__entry(
		__array(char, name, MP_NAME_LEN)
		__field(size_t, asked)
		__field(ssize_t, done)
		__field(unsigned int, head)
		__field(unsigned int, tail)
	),
	TP_fast_assign(
		memcpy(__entry->name, pipe->name, MP_NAME_LEN);
		__entry->asked = asked;
		__entry->done = done;
		/* One snapshot: a trace never shows a head and tail of two moments. */
		{
			union mp_ring_indices now = mp_ring_snapshot(&pipe->ring);

			__entry->head = now.head;
			__entry->tail = now.tail;
		}
	),
	TP_printk("pipe=%s asked=%zu done=%zd head=%u tail=%u",
		  __entry->name,
		  __entry->asked, __entry->done, __entry->head, __entry->tail)
);

/* read() returns: done is the byte count or -errno. */
DEFINE_EVENT(minipipe_io, minipipe_read,
	TP_PROTO(const struct minipipe *pipe, size_t asked, ssize_t done),
	TP_ARGS(pipe, asked, done));

/* write() returns: done is the byte count or -errno. */
DEFINE_EVENT(minipipe_io, minipipe_write,
	TP_PROTO(const struct minipipe *pipe, size_t asked, ssize_t done),
	TP_ARGS(pipe, asked, done));

TRACE_DEFINE_ENUM(MP_QUEUE_READ);
TRACE_DEFINE_ENUM(MP_QUEUE_WRITE);
TRACE_DEFINE_ENUM(MP_QUEUE_OPEN);

DECLARE_EVENT_CLASS(minipipe_wait,
	TP_PROTO(const struct minipipe *pipe, enum mp_queue queue, int result),
	TP_ARGS(pipe, queue, result),
	TP_STRUCT__entry(
		__array(char, name, MP_NAME_LEN)
		__field(int, queue)
		__field(int, result)
	),
	TP_fast_assign(
		memcpy(__entry->name, pipe->name, MP_NAME_LEN);
		__entry->queue = queue;
		__entry->result = result;
	),
	TP_printk("pipe=%s queue=%s result=%d",
		  __entry->name,
		  __print_symbolic(__entry->queue, { MP_QUEUE_READ, "read" },
				   { MP_QUEUE_WRITE, "write" }, { MP_QUEUE_OPEN, "open" }),
		  __entry->result)
);

/* A task goes to sleep on the "read", "write" or "open" queue. */
DEFINE_EVENT(minipipe_wait, minipipe_sleep,
	TP_PROTO(const struct minipipe *pipe, enum mp_queue queue, int result),
	TP_ARGS(pipe, queue, result));

/* The task woke up: result 0, or -ERESTARTSYS (-512) for a signal. */
DEFINE_EVENT(minipipe_wait, minipipe_wake,
	TP_PROTO(const struct minipipe *pipe, enum mp_queue queue, int result),
	TP_ARGS(pipe, queue, result));

/*
 * A reader or writer spun for the other side before sleeping (spin_us):
 * result 1 if what it waited for came while it spun, so it did not sleep;
 * 0 if it gave up (time, another task, a signal) and goes on to sleep.
 */
DEFINE_EVENT(minipipe_wait, minipipe_spin,
	TP_PROTO(const struct minipipe *pipe, enum mp_queue queue, int result),
	TP_ARGS(pipe, queue, result));

DECLARE_EVENT_CLASS(minipipe_event,
	TP_PROTO(const struct minipipe *pipe),
	TP_ARGS(pipe),
	TP_STRUCT__entry(
		__array(char, name, MP_NAME_LEN)
	),
	TP_fast_assign(
		memcpy(__entry->name, pipe->name, MP_NAME_LEN);
	),
	TP_printk("pipe=%s", __entry->name)
);

/* A read found the pipe empty and no writer: end of file. */
DEFINE_EVENT(minipipe_event, minipipe_eof,
	TP_PROTO(const struct minipipe *pipe),
	TP_ARGS(pipe));

/* A write found no reader: SIGPIPE, and EPIPE or a short count. */
DEFINE_EVENT(minipipe_event, minipipe_epipe,
	TP_PROTO(const struct minipipe *pipe),
	TP_ARGS(pipe));

/* MINIPIPE_IOC_SET_SIZE: capacity in slots before and after, or -errno. */
TRACE_EVENT(minipipe_resize,
	TP_PROTO(const struct minipipe *pipe, unsigned int old_slots, long result),
	TP_ARGS(pipe, old_slots, result),
	TP_STRUCT__entry(
		__array(char, name, MP_NAME_LEN)
		__field(unsigned int, old_slots)
		__field(unsigned int, new_slots)
		__field(long, result)
	),
	TP_fast_assign(
		memcpy(__entry->name, pipe->name, MP_NAME_LEN);
		__entry->old_slots = old_slots;
		__entry->new_slots = READ_ONCE(pipe->ring.nr_slots);
		__entry->result = result;
	),
	TP_printk("pipe=%s slots=%u->%u result=%ld",
		  __entry->name,
		  __entry->old_slots, __entry->new_slots, __entry->result)
);

#endif /* MINIPIPE_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE mp_trace
#include <trace/define_trace.h>
