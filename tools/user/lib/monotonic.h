/* SPDX-License-Identifier: GPL-2.0 */
/*
 * monotonic.h - the monotonic clock of minipipe's programs (selftests,
 * examples, mptop, pipebench, ringtest), so that they all measure time
 * the same way.  Header-only and not installed: it is not libminipipe's
 * interface, only the place that every one of them already includes from.
 */
#ifndef MINIPIPE_MONOTONIC_H
#define MINIPIPE_MONOTONIC_H

#include <stdint.h>
#include <time.h>

/* CLOCK_MONOTONIC, in nanoseconds. */
static inline uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + ts.tv_nsec;
}

/* CLOCK_MONOTONIC, in seconds. */
static inline double monotonic_seconds(void)
{
	return monotonic_ns() / 1e9;
}

#endif /* MINIPIPE_MONOTONIC_H */
