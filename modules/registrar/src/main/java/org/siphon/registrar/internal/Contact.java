package org.siphon.registrar.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Map;

/**
 * One registered contact (a binding, RFC 3261 §10). Kept in the core's store as an array of
 * plain values ({@link #toStored()}), so that the location table outlives an update of this module.
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
 * @param socket   the listening socket the REGISTER arrived on ({@code udp:10.0.0.1:5060}, Kamailio's
 *                 {@code socket} column): lookup sends through it; null when unknown
 */
record Contact(String uri, long expires, int q, String callId, long cseq, String path, String received,
        String userAgent, long modified, long cflags, String methods, String socket) {

    Contact(String uri, long expires, int q, String callId, long cseq, String path, String received,
            String userAgent, long modified, long cflags, String methods) {
        this(uri, expires, q, callId, cseq, path, received, userAgent, modified, cflags, methods, null);
    }

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

    /**
     * This contact, with the text values that equal {@code old}'s taken from {@code old}: a refresh
     * repeats the URI, Call-ID, source, User-Agent and methods, and reusing the stored strings keeps
     * a refresh from leaving a second copy of each in the old generation of the heap.
     */
    Contact sharing(Contact old) {
        return new Contact(same(uri, old.uri), expires, q, same(callId, old.callId), cseq, same(path, old.path),
                same(received, old.received), same(userAgent, old.userAgent), modified, cflags,
                same(methods, old.methods), same(socket, old.socket));
    }

    private static String same(String mine, String theirs) {
        return mine != null && mine.equals(theirs) ? theirs : mine;
    }

    /** The contact with another expiry time. */
    Contact expiring(long at) {
        return new Contact(uri, at, q, callId, cseq, path, received, userAgent, modified, cflags, methods, socket);
    }

    /**
     * The contact as stored in the core's store: an array of JDK values (compact, and free of
     * this bundle's classes, so the table outlives an update of the module). Read by {@link #of}.
     */
    Object[] toStored() {
        return new Object[] { uri, new long[] { expires, cseq, modified, cflags }, q, callId, path, received,
                userAgent, methods, socket };
    }

    /** The numbers of a stored contact ({@link #toStored}): expires, cseq, modified, cflags. */
    private static final VarHandle NUMBER = MethodHandles.arrayElementVarHandle(long[].class);

    /** The Call-ID slot of a stored contact ({@link #toStored}), written in place by a refresh. */
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);

    /**
     * Whether {@code stored} (from {@link #toStored}) holds this contact's very strings and q, the
     * Call-ID aside, so that only its Call-ID and numbers differ (a refresh, after {@link #sharing}).
     */
    boolean refreshes(Object stored) {
        return stored instanceof Object[] a && a.length == 9 && a[0] == uri && a[2] instanceof Integer sq
                && sq == q && a[4] == path && a[5] == received && a[6] == userAgent && a[7] == methods && a[8] == socket;
    }

    /**
     * Writes this contact's Call-ID and numbers into {@code stored}, a contact it {@link #refreshes}:
     * a refresh then allocates nothing that outlives the request but a new Call-ID (a new stored
     * contact would be promoted by the next young collection and die in the old generation). A UA
     * that picks a new Call-ID for each REGISTER (RFC 3261 says it SHOULD NOT, many do) costs one
     * string. Readers outside the store's lock may see some values of the refresh before others;
     * each one is whole.
     */
    void storeInto(Object stored) {
        Object[] a = (Object[]) stored;
        if (a[3] != callId) {
            SLOT.setRelease(a, 3, callId);
        }
        long[] n = (long[]) a[1];
        NUMBER.setRelease(n, 1, cseq);
        NUMBER.setRelease(n, 2, modified);
        NUMBER.setRelease(n, 3, cflags);
        NUMBER.setRelease(n, 0, expires);
    }

    /** A stored contact: an array from {@link #toStored}, or an array or map written by an earlier version of the module. */
    static Contact of(Object stored) {
        if (stored instanceof Object[] a && (a.length == 9 || a.length == 8)) { // 8: before the socket was kept
            long[] n = (long[]) a[1];
            return new Contact((String) a[0], (long) NUMBER.getAcquire(n, 0), (Integer) a[2],
                    (String) SLOT.getAcquire(a, 3),
                    (long) NUMBER.getAcquire(n, 1), (String) a[4], (String) a[5], (String) a[6],
                    (long) NUMBER.getAcquire(n, 2), (long) NUMBER.getAcquire(n, 3), (String) a[7],
                    a.length == 9 ? (String) a[8] : null);
        }
        if (stored instanceof Object[] a) { // as stored by module versions before the numbers were a long[]
            return new Contact((String) a[0], (Long) a[1], (Integer) a[2], (String) a[3], (Long) a[4], (String) a[5],
                    (String) a[6], (String) a[7], (Long) a[8], (Long) a[9], (String) a[10]);
        }
        Map<?, ?> m = (Map<?, ?>) stored;
        return new Contact((String) m.get("contact"), ((Number) m.get("expires")).longValue(),
                ((Number) m.get("q")).intValue(), (String) m.get("callid"), ((Number) m.get("cseq")).longValue(),
                (String) m.get("path"), (String) m.get("received"), (String) m.get("user_agent"),
                ((Number) m.get("last_modified")).longValue(),
                m.get("cflags") instanceof Number f ? f.longValue() : 0, (String) m.get("methods"), (String) m.get("socket"));
    }

    /** When a stored contact expires, epoch ms, without building it. */
    static long expiresOf(Object stored) {
        if (stored instanceof Object[] a) {
            return a[1] instanceof long[] n ? (long) NUMBER.getAcquire(n, 0) : (Long) a[1];
        }
        return ((Number) ((Map<?, ?>) stored).get("expires")).longValue();
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
