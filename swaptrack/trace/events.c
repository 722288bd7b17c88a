// SPDX-License-Identifier: GPL-2.0
/*
 * The one translation unit that defines the tracepoints of
 * trace/events.h; every other file only includes the header.
 */
#define CREATE_TRACE_POINTS
#include "trace/events.h"
