package org.siphon.permissions.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One row of the {@code trusted} table, checked: a source address (compared as text, IP literals
 * in one form: {@link TrustedTable#key}), a transport ({@code any}, {@code udp}, {@code tcp}, {@code tls}, {@code sctp}, {@code ws},
 * {@code wss} or {@code none}), From and Request-URI patterns (regular expressions found anywhere in
 * the URI; empty or NULL matches every URI), a tag and a priority. Patterns are compiled once, by
 * {@link #of}. Immutable.
 */
record TrustedRow(String srcIp, String proto, String fromPattern, String ruriPattern, String tag, int priority,
        Pattern from, Pattern ruri) {

    static final Set<String> PROTOS = Set.of("any", "udp", "tcp", "tls", "sctp", "ws", "wss", "none");

    /**
     * A checked row.
     *
     * @throws IllegalArgumentException naming what is wrong (no source, unknown transport, bad pattern)
     */
    static TrustedRow of(String srcIp, String proto, String fromPattern, String ruriPattern, String tag, long priority) {
        if (srcIp == null || srcIp.isBlank()) {
            throw new IllegalArgumentException("no source address");
        }
        String p = proto == null ? "" : proto.trim().toLowerCase(Locale.ROOT);
        if (!PROTOS.contains(p)) {
            throw new IllegalArgumentException("transport \"" + proto + "\" is not one of " + new java.util.TreeSet<>(PROTOS));
        }
        String f = empty(fromPattern);
        String r = empty(ruriPattern);
        return new TrustedRow(srcIp.trim(), p, f, r, empty(tag), (int) priority, compile(f, "from_pattern"),
                compile(r, "ruri_pattern"));
    }

    private static String empty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    private static Pattern compile(String regex, String what) {
        if (regex == null) {
            return null;
        }
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(what + " \"" + regex + "\" is not a regular expression: "
                    + e.getDescription());
        }
    }

    /**
     * Whether the row trusts a request from {@code srcIp} over {@code transport} with these URIs;
     * {@code transport} {@code any} accepts every transport of the row except {@code none}.
     */
    boolean matches(String srcIp, String transport, String fromUri, String requestUri) {
        if (proto.equals("none") || !TrustedTable.key(this.srcIp).equals(TrustedTable.key(srcIp))) {
            return false;
        }
        if (!proto.equals("any") && !transport.equalsIgnoreCase("any") && !proto.equalsIgnoreCase(transport)) {
            return false;
        }
        return found(from, fromUri) && found(ruri, requestUri);
    }

    private static boolean found(Pattern p, String uri) {
        return p == null || uri != null && p.matcher(uri).find();
    }

    /** As JDK data for the core's store: {@code [src_ip, proto, from_pattern, ruri_pattern, tag, priority]}. */
    List<Object> plain() {
        return Collections.unmodifiableList(new ArrayList<>(Arrays.asList(srcIp, proto, fromPattern, ruriPattern, tag,
                (long) priority)));
    }

    /** The row {@link #plain} gave. */
    static TrustedRow fromPlain(List<?> l) {
        return of((String) l.get(0), (String) l.get(1), (String) l.get(2), (String) l.get(3), (String) l.get(4),
                (Long) l.get(5));
    }

    @Override
    public String toString() {
        return srcIp + " " + proto + (fromPattern == null ? "" : " from " + fromPattern)
                + (ruriPattern == null ? "" : " ruri " + ruriPattern) + (tag == null ? "" : " tag " + tag)
                + " priority " + priority;
    }
}
