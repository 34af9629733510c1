/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: natkeep:natkeep_send, one event per keep-alive sent (or
 * failed), with when it was due and when it left, for `perf trace` and
 * ftrace; make bench takes each flow's schedule from it.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM natkeep

#if !defined(_NK_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _NK_TRACE_H

#include <linux/ktime.h>
#include <linux/tracepoint.h>

#include "flow.h"

TRACE_EVENT(natkeep_send,
	TP_PROTO(const struct nk_flow *flow, ktime_t due, ktime_t sent, int err),
	TP_ARGS(flow, due, sent, err),
	TP_STRUCT__entry(
		__field(u32, netns)
		__field(u32, id)
		__field(u16, sport)
		__field(s64, due)
		__field(s64, late)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->netns = flow->nn->net->ns.inum;
		__entry->id = flow->id;
		__entry->sport = ntohs(flow->params.key.local_port);
		__entry->due = ktime_to_ns(due);
		__entry->late = ktime_to_ns(ktime_sub(sent, due));
		__entry->err = err;
	),
	TP_printk("netns=%u flow=%u sport=%u due=%lld late=%lld err=%d",
		  __entry->netns, __entry->id, __entry->sport, __entry->due,
		  __entry->late, __entry->err)
);

#endif /* _NK_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
