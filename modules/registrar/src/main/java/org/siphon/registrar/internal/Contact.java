package org.siphon.registrar.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One registered contact (a binding, RFC 3261 §10). Kept in the core's store as a plain map
 * ({@link #toMap()}), so that the location table outlives an update of this module.
 *
 * @param uri      the Contact URI
 * @param expires  when it expires, epoch ms
 * @param q        q times 1000, -1 when not given
 * @param callId   Call-ID of the REGISTER that set it
 * @param cseq     its CSeq number
 * @param path     Path header values (RFC 3327), or null
 * @param received where the REGISTER came from ({@code sip:ip:port;transport=x}), for NATed contacts
 * @param userAgent the User-Agent, or null
 * @param modified when it was last set, epoch ms
 */
record Contact(String uri, long expires, int q, String callId, long cseq, String path, String received,
        String userAgent, long modified) {

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("contact", uri);
        m.put("expires", expires);
        m.put("q", (long) q);
        m.put("callid", callId);
        m.put("cseq", cseq);
        m.put("path", path);
        m.put("received", received);
        m.put("user_agent", userAgent);
        m.put("last_modified", modified);
        return m;
    }

    static Contact of(Map<?, ?> m) {
        return new Contact((String) m.get("contact"), ((Number) m.get("expires")).longValue(),
                ((Number) m.get("q")).intValue(), (String) m.get("callid"), ((Number) m.get("cseq")).longValue(),
                (String) m.get("path"), (String) m.get("received"), (String) m.get("user_agent"),
                ((Number) m.get("last_modified")).longValue());
    }

    /** The q value as written in a Contact header ({@code 0.5}, {@code 1}). */
    String qText() {
        if (q < 0) {
            return null;
        }
        if (q >= 1000) {
            return "1";
        }
        String s = String.format("0.%03d", q);
        return s.replaceAll("0+$", "").replaceAll("\\.$", ".0");
    }
}
