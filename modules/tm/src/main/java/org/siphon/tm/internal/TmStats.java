package org.siphon.tm.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** tm's counters, named as Kamailio's {@code tm.stats} and tmx statistics. Thread-safe. */
final class TmStats {

    final LongAdder uas = new LongAdder();
    final LongAdder uac = new LongAdder();
    final LongAdder freed = new LongAdder();
    final LongAdder rplReceived = new LongAdder();
    final LongAdder rplGenerated = new LongAdder();
    final LongAdder rplRelayed = new LongAdder();
    final LongAdder[] finals = { new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder() };

    /** A final reply left a server transaction. */
    void finalReply(int status) {
        int cls = status / 100;
        if (cls >= 2 && cls <= 6) {
            finals[cls - 2].increment();
        }
    }

    /** {@code tm.stats}: Kamailio's keys. */
    Map<String, Object> rpc(int current, int waiting) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("current", current);
        m.put("waiting", waiting);
        m.put("total", uas.sum() + uac.sum());
        m.put("total_local", uac.sum());
        m.put("rpl_received", rplReceived.sum());
        m.put("rpl_generated", rplGenerated.sum());
        m.put("rpl_sent", rplGenerated.sum() + rplRelayed.sum());
        for (int cls = 6; cls >= 2; cls--) {
            m.put(cls + "xx", finals[cls - 2].sum());
        }
        m.put("created", uas.sum() + uac.sum());
        m.put("freed", freed.sum());
        m.put("delayed_free", 0);
        return m;
    }

    /** The tmx statistics ({@code stats.get_statistics tmx:}). */
    Map<String, Object> tmx(int current, int waiting) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("tmx:UAS_transactions", uas.sum());
        m.put("tmx:UAC_transactions", uac.sum());
        for (int cls = 2; cls <= 6; cls++) {
            m.put("tmx:" + cls + "xx_transactions", finals[cls - 2].sum());
        }
        m.put("tmx:inuse_transactions", current);
        m.put("tmx:active_transactions", current - waiting);
        m.put("tmx:rpl_received", rplReceived.sum());
        m.put("tmx:rpl_generated", rplGenerated.sum());
        m.put("tmx:rpl_sent", rplGenerated.sum() + rplRelayed.sum());
        m.put("tmx:local_replies", rplGenerated.sum());
        m.put("tmx:relayed_replies", rplRelayed.sum());
        return m;
    }
}
