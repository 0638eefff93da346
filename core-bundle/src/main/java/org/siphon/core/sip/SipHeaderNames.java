package org.siphon.core.sip;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Header names as RFC 3261 and its extensions spell them, with the compact forms of RFC 3261
 * §7.3.3 and later RFCs. {@link #canonical} maps any spelling (any case, compact form) to the
 * constant, so that lookups compare constants. Unknown names are kept as written.
 */
public final class SipHeaderNames {

    public static final String ACCEPT = "Accept";
    public static final String ALLOW = "Allow";
    public static final String ALLOW_EVENTS = "Allow-Events";
    public static final String AUTHORIZATION = "Authorization";
    public static final String CALL_ID = "Call-ID";
    public static final String CONTACT = "Contact";
    public static final String CONTENT_DISPOSITION = "Content-Disposition";
    public static final String CONTENT_ENCODING = "Content-Encoding";
    public static final String CONTENT_LENGTH = "Content-Length";
    public static final String CONTENT_TYPE = "Content-Type";
    public static final String CSEQ = "CSeq";
    public static final String EVENT = "Event";
    public static final String EXPIRES = "Expires";
    public static final String FROM = "From";
    public static final String MAX_FORWARDS = "Max-Forwards";
    public static final String MIN_EXPIRES = "Min-Expires";
    public static final String PATH = "Path";
    public static final String PROXY_AUTHENTICATE = "Proxy-Authenticate";
    public static final String PROXY_AUTHORIZATION = "Proxy-Authorization";
    public static final String PROXY_REQUIRE = "Proxy-Require";
    public static final String RECORD_ROUTE = "Record-Route";
    public static final String REFER_TO = "Refer-To";
    public static final String REFERRED_BY = "Referred-By";
    public static final String REQUIRE = "Require";
    public static final String RETRY_AFTER = "Retry-After";
    public static final String ROUTE = "Route";
    public static final String SERVER = "Server";
    public static final String SESSION_EXPIRES = "Session-Expires";
    public static final String SUBJECT = "Subject";
    public static final String SUBSCRIPTION_STATE = "Subscription-State";
    public static final String SUPPORTED = "Supported";
    public static final String TO = "To";
    public static final String UNSUPPORTED = "Unsupported";
    public static final String USER_AGENT = "User-Agent";
    public static final String VIA = "Via";
    public static final String WARNING = "Warning";
    public static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    public static final String ACCEPT_CONTACT = "Accept-Contact";
    public static final String REJECT_CONTACT = "Reject-Contact";
    public static final String REQUEST_DISPOSITION = "Request-Disposition";
    public static final String IDENTITY = "Identity";
    public static final String IDENTITY_INFO = "Identity-Info";

    private static final Map<String, String> BY_LOWER = new HashMap<>();
    private static final Map<String, String> COMPACT = new HashMap<>();

    static {
        for (String n : new String[] { ACCEPT, ALLOW, ALLOW_EVENTS, AUTHORIZATION, CALL_ID, CONTACT,
                CONTENT_DISPOSITION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, CSEQ, EVENT, EXPIRES, FROM,
                MAX_FORWARDS, MIN_EXPIRES, PATH, PROXY_AUTHENTICATE, PROXY_AUTHORIZATION, PROXY_REQUIRE, RECORD_ROUTE,
                REFER_TO, REFERRED_BY, REQUIRE, RETRY_AFTER, ROUTE, SERVER, SESSION_EXPIRES, SUBJECT,
                SUBSCRIPTION_STATE, SUPPORTED, TO, UNSUPPORTED, USER_AGENT, VIA, WARNING, WWW_AUTHENTICATE,
                ACCEPT_CONTACT, REJECT_CONTACT, REQUEST_DISPOSITION, IDENTITY, IDENTITY_INFO }) {
            BY_LOWER.put(n.toLowerCase(Locale.ROOT), n);
            BY_LOWER.put(n, n);
        }
        String[][] compact = { { "i", CALL_ID }, { "m", CONTACT }, { "e", CONTENT_ENCODING }, { "l", CONTENT_LENGTH },
            { "c", CONTENT_TYPE }, { "f", FROM }, { "s", SUBJECT }, { "k", SUPPORTED }, { "t", TO }, { "v", VIA },
            { "o", EVENT }, { "r", REFER_TO }, { "b", REFERRED_BY }, { "u", ALLOW_EVENTS }, { "a", ACCEPT_CONTACT },
            { "j", REJECT_CONTACT }, { "d", REQUEST_DISPOSITION }, { "x", SESSION_EXPIRES }, { "y", IDENTITY },
            { "n", IDENTITY_INFO } };
        for (String[] c : compact) {
            BY_LOWER.put(c[0], c[1]);
            COMPACT.put(c[1], c[0]);
        }
    }

    private SipHeaderNames() {
    }

    /** The canonical spelling of a known header name in any case or compact form; unknown names as given. */
    public static String canonical(String name) {
        String known = BY_LOWER.get(name);
        if (known != null) {
            return known;
        }
        known = BY_LOWER.get(name.toLowerCase(Locale.ROOT));
        return known != null ? known : name;
    }

    /**
     * The canonical name of a known header whose name is {@code buf[from, to)} (ASCII, any case,
     * compact forms), or null when it is not a known one; allocates nothing.
     */
    public static String canonical(byte[] buf, int from, int to) {
        int len = to - from;
        if (len <= 0 || len > 31) {
            return null;
        }
        int slot = len << 5 | (buf[from] | 0x20) & 0x1f;
        byte[][] candidates = BY_SLOT[slot];
        if (candidates == null) {
            return null;
        }
        outer:
        for (int c = 0; c < candidates.length; c++) {
            byte[] name = candidates[c];
            for (int i = 1; i < len; i++) {
                int b = buf[from + i];
                if (b != name[i] && ((b | 0x20) != name[i] || name[i] < 'a' || name[i] > 'z')) {
                    continue outer;
                }
            }
            int first = buf[from];
            if (first != name[0] && ((first | 0x20) != name[0] || name[0] < 'a' || name[0] > 'z')) {
                continue;
            }
            return CANONICAL_BY_SLOT[slot][c];
        }
        return null;
    }

    /** Known names and compact forms in lower case as bytes, by (length, first letter), and their canonical forms. */
    private static final byte[][][] BY_SLOT = new byte[32 * 32][][];
    private static final String[][] CANONICAL_BY_SLOT = new String[32 * 32][];

    static {
        Map<Integer, java.util.List<String>> m = new HashMap<>();
        for (String k : BY_LOWER.keySet()) {
            if (k.equals(k.toLowerCase(Locale.ROOT)) && k.length() <= 31) {
                m.computeIfAbsent(k.length() << 5 | (k.charAt(0) | 0x20) & 0x1f, x -> new java.util.ArrayList<>()).add(k);
            }
        }
        m.forEach((slot, names) -> {
            BY_SLOT[slot] = names.stream().map(n -> n.getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                    .toArray(byte[][]::new);
            CANONICAL_BY_SLOT[slot] = names.stream().map(BY_LOWER::get).toArray(String[]::new);
        });
    }

    /**
     * Whether {@code canonical} is the canonical name of a known header, as the very constant of
     * this class. Parsed and built headers carry these constants for known names, and an unknown
     * name never equals a known one in any case, so such a name can be matched by identity.
     */
    public static boolean isKnownConstant(String canonical) {
        return BY_LOWER.get(canonical) == canonical;
    }

    /** The compact form of a canonical name, or null when it has none. */
    public static String compactForm(String canonical) {
        return COMPACT.get(canonical);
    }

    /** Whether two names denote the same header (case-insensitive, compact forms equal to long ones). */
    public static boolean same(String a, String b) {
        return canonical(a).equalsIgnoreCase(canonical(b));
    }
}
