package org.siphon.dispatcher.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.siphon.core.sip.uri.SipUri;

/**
 * One destination of a set, as a line of Kamailio's list file or a row of its {@code dispatcher}
 * table: set id, SIP URI, flags (1 inactive, 2 trying, 4 disabled, 8 probing, 16 no DNS), priority
 * and attributes, with the special attributes read out. Immutable.
 *
 * @param setid    the set (group) id
 * @param uri      the URI as written
 * @param sipUri   the parsed URI
 * @param flags    the flags as loaded
 * @param priority the priority (higher first in the set)
 * @param attrs    the attribute text as written ({@code name=value;…})
 * @param origin   where it came from ({@code file:line}, {@code table:id}, {@code rpc})
 */
record Destination(int setid, String uri, SipUri sipUri, int flags, int priority, String attrs, String origin) {

    static final int INACTIVE = 1;
    static final int TRYING = 2;
    static final int DISABLED = 4;
    static final int PROBING = 8;
    static final int NODNS = 16;

    /** The attributes as name to value, in the order written. */
    Map<String, String> attributes() {
        Map<String, String> m = new LinkedHashMap<>();
        if (attrs == null || attrs.isEmpty()) {
            return m;
        }
        for (String part : attrs.split(";")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            m.put(eq < 0 ? p : p.substring(0, eq).trim(), eq < 0 ? "" : p.substring(eq + 1).trim());
        }
        return m;
    }

    String attr(String name) {
        return attributes().get(name);
    }

    /** {@code weight} 1–100, else 0 (ignored by algorithm 9), as Kamailio. */
    int weight() {
        return range(attr("weight"));
    }

    /** {@code rweight} 1–100, else 0 (left out of algorithm 11). */
    int rweight() {
        return range(attr("rweight"));
    }

    int maxload() {
        return number(attr("maxload"), 0);
    }

    String duid() {
        String d = attr("duid");
        return d == null ? "" : d;
    }

    /** Whether {@code cc=1} (congestion control for algorithms 11 and 13). */
    boolean congestionControl() {
        return "1".equals(attr("cc"));
    }

    private static int range(String v) {
        int n = number(v, 0);
        return n >= 1 && n <= 100 ? n : 0;
    }

    static int number(String v, int otherwise) {
        if (v == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** The key of this destination's runtime state in the store: {@code setid uri}. */
    String key() {
        return setid + " " + uri;
    }

    /** The line of a list file that gives this destination back. */
    String line() {
        return setid + " " + uri + " " + flags + " " + priority + (attrs == null || attrs.isEmpty() ? "" : " " + attrs);
    }
}
