package org.siphon.acc.internal;

import java.time.Instant;
import java.util.List;

/**
 * One accounting record, as Kamailio's acc writes it: the request's method, tags and Call-ID,
 * the reply's code and reason, the time, and the values of {@code log_extra}/{@code db_extra}.
 *
 * @param extras name and value (null when the pseudo-variable had none) of each extra, in order
 */
record AccRecord(String method, String fromTag, String toTag, String callId, String code, String reason, Instant time,
        List<Extra> extras) {

    /** One extra attribute: its name (the column) and value. */
    record Extra(String name, String value) {
    }

    /**
     * The log line after Kamailio's lead text ({@code ACC: transaction answered: }):
     * {@code timestamp=…;method=…;from_tag=…;to_tag=…;call_id=…;code=…;reason=…;extra=…}; an
     * extra without value shows {@code n/a}.
     */
    String logText() {
        StringBuilder sb = new StringBuilder(160);
        sb.append("timestamp=").append(time.getEpochSecond()).append(";method=").append(method).append(";from_tag=")
                .append(orEmpty(fromTag)).append(";to_tag=").append(orEmpty(toTag)).append(";call_id=").append(orEmpty(callId))
                .append(";code=").append(code).append(";reason=").append(reason);
        for (Extra e : extras) {
            sb.append(';').append(e.name()).append('=').append(e.value() == null ? "n/a" : e.value());
        }
        return sb.toString();
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
