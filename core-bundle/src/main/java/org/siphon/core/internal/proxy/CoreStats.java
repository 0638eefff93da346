package org.siphon.core.internal.proxy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** The core's SIP counters, named as Kamailio's {@code core:} statistics. Thread-safe. */
final class CoreStats {

    final LongAdder receivedRequests = new LongAdder();
    final LongAdder receivedReplies = new LongAdder();
    final LongAdder forwardedRequests = new LongAdder();
    final LongAdder forwardedReplies = new LongAdder();
    final LongAdder droppedRequests = new LongAdder();
    final LongAdder droppedReplies = new LongAdder();
    final LongAdder badMessages = new LongAdder();
    final LongAdder sentReplies = new LongAdder();
    final LongAdder overloadRejects = new LongAdder();
    /** Timer and transaction tasks dropped because their worker's queue stayed full (Siphon's own). */
    final LongAdder droppedTasks = new LongAdder();

    /** {@code core:name = value}, in a stable order. */
    Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("core:rcv_requests", receivedRequests.sum());
        m.put("core:rcv_replies", receivedReplies.sum());
        m.put("core:fwd_requests", forwardedRequests.sum());
        m.put("core:fwd_replies", forwardedReplies.sum());
        m.put("core:drop_requests", droppedRequests.sum());
        m.put("core:drop_replies", droppedReplies.sum());
        m.put("core:bad_msg", badMessages.sum());
        m.put("core:sl_replies", sentReplies.sum());
        m.put("core:overload_rejects", overloadRejects.sum());
        m.put("core:dropped_tasks", droppedTasks.sum());
        return m;
    }
}
