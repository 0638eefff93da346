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
 * @param cflags   the branch flags of the REGISTER when it was saved (e.g. a NAT flag), restored by lookup
 * @param methods  the methods the contact accepts (its Allow header, comma-separated, upper case), or null for all
 */
record Contact(String uri, long expires, int q, String callId, long cseq, String path, String received,
        String userAgent, long modified, long cflags, String methods) {

    /** Whether the contact accepts {@code method} (RFC 3261 Allow; method_filtering). */
    boolean accepts(String method) {
        if (methods == null) {
            return true;
        }
        for (String m : methods.split(",")) {
            if (m.equals(method)) {
                return true;
            }
        }
        return false;
    }

    /** The contact with another expiry time. */
    Contact expiring(long at) {
        return new Contact(uri, at, q, callId, cseq, path, received, userAgent, modified, cflags, methods);
    }

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
        m.put("cflags", cflags);
        m.put("methods", methods);
        return m;
    }

    static Contact of(Map<?, ?> m) {
        return new Contact((String) m.get("contact"), ((Number) m.get("expires")).longValue(),
                ((Number) m.get("q")).intValue(), (String) m.get("callid"), ((Number) m.get("cseq")).longValue(),
                (String) m.get("path"), (String) m.get("received"), (String) m.get("user_agent"),
                ((Number) m.get("last_modified")).longValue(),
                m.get("cflags") instanceof Number f ? f.longValue() : 0, (String) m.get("methods"));
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
