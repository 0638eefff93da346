package org.siphon.textops.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;

/**
 * textops' raw-text functions ({@code search_append}, {@code replace}, {@code subst}) on the
 * message as received, mapped to the edit list: a match inside a header line ({@code Name: value})
 * rewrites that line — into several lines when the replacement adds CRLFs, which is how
 * {@code search_append} adds headers — and a match in the body rewrites the body. The start line
 * is left alone (use {@code subst_uri}/{@code $ru} for the Request-URI) and a match cannot span two
 * header lines; Content-Length always follows the body. Stateless.
 */
final class TextRewrite {

    private TextRewrite() {
    }

    /**
     * Replaces the first match of {@code pattern} (every match with {@code all}) by
     * {@code replacement} ({@link Matcher} syntax: {@code $0}, {@code $1} …).
     *
     * @return 1 when something was rewritten, -1 when nothing matched or a header line would break
     */
    static int rewrite(SipMessage m, Pattern pattern, String replacement, boolean all) {
        boolean changed = false;
        for (SipHeader h : m.headers()) {
            if (h.is(SipHeaderNames.CONTENT_LENGTH)) {
                continue;
            }
            String line = h.name() + ": " + h.value();
            Matcher matcher = pattern.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            matcher.reset();
            if (!rewriteHeader(m, h, all ? matcher.replaceAll(replacement) : matcher.replaceFirst(replacement))) {
                return -1;
            }
            changed = true;
            if (!all) {
                return 1;
            }
        }
        byte[] body = m.body();
        if (body != null && body.length > 0) {
            Matcher matcher = pattern.matcher(new String(body, StandardCharsets.UTF_8));
            if (matcher.find()) {
                matcher.reset();
                String next = all ? matcher.replaceAll(replacement) : matcher.replaceFirst(replacement);
                m.edits().setBody(next.getBytes(StandardCharsets.UTF_8), null);
                changed = true;
            }
        }
        return changed ? 1 : -1;
    }

    /** Writes {@code text} (one or more {@code Name: value} lines) instead of header {@code h}. */
    private static boolean rewriteHeader(SipMessage m, SipHeader h, String text) {
        List<String[]> lines = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (line.isBlank()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return false;
            }
            lines.add(new String[] { line.substring(0, colon).trim(), line.substring(colon + 1).trim() });
        }
        if (lines.size() == 1 && h.is(lines.get(0)[0])) {
            m.edits().replace(h, lines.get(0)[1]);
            return true;
        }
        for (String[] l : lines) {
            m.edits().insertBefore(h, l[0], l[1]);
        }
        m.edits().remove(h);
        return true;
    }
}
