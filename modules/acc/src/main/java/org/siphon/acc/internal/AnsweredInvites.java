package org.siphon.acc.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.siphon.core.sip.SipRequest;

/**
 * For acc's {@code report_ack}: the INVITEs whose 2xx was accounted, by Call-ID, From tag and
 * CSeq number (what their end-to-end ACK repeats), until the ACK comes or {@link #KEEP_MILLIS}
 * pass (Timer H's 32 s); at most {@link #MAX} at once, the oldest dropped first. Thread-safe.
 */
final class AnsweredInvites {

    /** What is remembered of one answered INVITE. */
    record Answer(int status, String reason, long flags, long at) {
    }

    static final long KEEP_MILLIS = 32_000;
    static final int MAX = 100_000;

    private final LinkedHashMap<String, Answer> answers = new LinkedHashMap<>();

    private static String key(SipRequest r) {
        return r.callId() + '\n' + r.fromTag() + '\n' + (r.cseq() == null ? -1 : r.cseq().number());
    }

    synchronized void remember(SipRequest invite, int status, String reason, long flags, long now) {
        answers.put(key(invite), new Answer(status, reason, flags, now));
        var it = answers.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, Answer> oldest = it.next();
            if (answers.size() <= MAX && now - oldest.getValue().at() < KEEP_MILLIS) {
                break;
            }
            it.remove();
        }
    }

    /** The INVITE this ACK acknowledges, forgotten now; null when none is remembered. */
    synchronized Answer take(SipRequest ack, long now) {
        Answer a = answers.remove(key(ack));
        return a == null || now - a.at() >= KEEP_MILLIS ? null : a;
    }
}
