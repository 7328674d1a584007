/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mp_clock.h - the monotonic clock of minipipe's programs (selftests,
 * examples, mptop, pipebench, ringtest), so that they all measure time
 * the same way.  Header-only and not installed: it is not libminipipe's
 * interface, only the place that every one of them already includes from.
 */
#ifndef MP_CLOCK_H
#define MP_CLOCK_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC, in nanoseconds. */
static inline uint64_t mp_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* CLOCK_MONOTONIC, in seconds. */
static inline double mp_clock_seconds(void)
{
	return mp_clock_ns() / 1e9;
}

#endif /* MP_CLOCK_H */
