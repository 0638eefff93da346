package org.siphon.xcap_server.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * HTTP conditional requests on an XCAP document's entity tag (RFC 4825 section 7.11, RFC 9110
 * section 13): {@code If-Match} and {@code If-None-Match} with {@code *} or a list of tags.
 * Weak tags ({@code W/"x"}) compare by their value. Stateless.
 */
final class Conditions {

    /** No condition failed. */
    static final int PASS = 0;

    private Conditions() {
    }

    /**
     * The status the conditions give: {@link #PASS}, {@code 412} or, for a GET whose
     * {@code If-None-Match} holds, {@code 304}.
     *
     * @param current the document's ETag, null when there is no document
     */
    static int check(boolean get, String current, String ifMatch, String ifNoneMatch) {
        if (ifMatch != null && !ifMatch.isBlank()) {
            if (current == null || !matches(ifMatch, current)) {
                return 412;
            }
        }
        if (ifNoneMatch != null && !ifNoneMatch.isBlank() && current != null && matches(ifNoneMatch, current)) {
            return get ? 304 : 412;
        }
        return PASS;
    }

    /** Whether the header's list ({@code *} or tags) names {@code etag}. */
    static boolean matches(String header, String etag) {
        for (String t : tags(header)) {
            if (t.equals("*") || t.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    /** The tags of an If-Match / If-None-Match value, unquoted. */
    static List<String> tags(String header) {
        List<String> out = new ArrayList<>();
        for (String part : header.split(",")) {
            String t = part.trim();
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"")) {
                t = t.substring(1, t.length() - 1);
            }
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
