package org.siphon.core.sip.header;

import java.util.List;

import org.siphon.core.sip.SipParseException;
import org.siphon.core.sip.Parameters;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;

/**
 * A name-addr or addr-spec header value with its parameters (RFC 3261 §20.10, §20.20, §20.39,
 * §20.30, §20.34): From, To, Contact, Route, Record-Route, Reply-To, Refer-To, Path. In the
 * addr-spec form (no angle brackets) everything after the first {@code ;} belongs to the header,
 * not the URI. The Contact wildcard {@code *} has {@link #isWildcard()} true and no URI. Immutable.
 *
 * @param displayName the display name as written (quoted strings keep their quotes), or null
 * @param uri         the URI, or null for the wildcard
 * @param params      header parameters ({@code tag}, {@code expires}, {@code q}, ...)
 */
public record NameAddress(String displayName, Uri uri, Parameters params) {

    /** The Contact wildcard {@code *}. */
    public static final NameAddress WILDCARD = new NameAddress(null, null, Parameters.NONE);

    /** Parses one value. */
    public static NameAddress parse(String value) {
        String v = value.trim();
        if (v.equals("*")) {
            return WILDCARD;
        }
        Lexer lx = new Lexer(v);
        String display = null;
        Uri uri;
        if (lx.peek() == '"') {
            int start = lx.pos();
            lx.quoted();
            display = v.substring(start, lx.pos());
            lx.skipWs();
        } else if (v.indexOf('<') > 0) {
            int lt = v.indexOf('<');
            display = v.substring(0, lt).trim();
            for (int i = 0; i < display.length(); i++) {
                char c = display.charAt(i);
                if (c != ' ' && c != '\t' && !Lexer.isTokenChar(c)) {
                    throw new SipParseException("bad display name \"" + display + "\"");
                }
            }
            lx.pos(lt);
        }
        if (lx.peek() == '<') {
            lx.next();
            int start = lx.pos();
            int close = v.indexOf('>', start);
            if (close < 0) {
                throw lx.error("missing '>'");
            }
            uri = UriParser.parse(v.substring(start, close).trim());
            lx.pos(close + 1);
        } else {
            if (display != null) {
                throw lx.error("display name without <URI>");
            }
            int start = lx.pos();
            while (!lx.atEnd() && lx.peek() != ';' && lx.peek() != ' ' && lx.peek() != '\t') {
                lx.next();
            }
            String text = v.substring(start, lx.pos());
            if (text.indexOf('?') >= 0 || text.indexOf(',') >= 0) {
                throw new SipParseException("URI with '?' or ',' must be in <> in \"" + v + "\"");
            }
            uri = UriParser.parse(text);
        }
        Parameters params = HeaderParams.parse(lx);
        HeaderParams.requireEnd(lx, "address");
        return new NameAddress(display == null || display.isEmpty() ? null : display, uri, params);
    }

    /** Parses a header value that may hold several comma-separated addresses (Contact, Route, ...). */
    public static List<NameAddress> parseAll(String value) {
        List<String> parts = HeaderParams.splitCommas(value);
        NameAddress[] list = new NameAddress[parts.size()];
        for (int i = 0; i < list.length; i++) {
            list[i] = parse(parts.get(i));
        }
        return List.of(list);
    }

    public boolean isWildcard() {
        return uri == null;
    }

    /** The {@code tag} parameter, or null. */
    public String tag() {
        return params.get("tag");
    }

    /** The display name without quotes and escapes, or null. */
    public String displayNameUnquoted() {
        if (displayName == null || !displayName.startsWith("\"")) {
            return displayName;
        }
        return new Lexer(displayName).quoted();
    }

    public NameAddress withUri(Uri newUri) {
        return new NameAddress(displayName, newUri, params);
    }

    public NameAddress withParams(Parameters newParams) {
        return new NameAddress(displayName, uri, newParams);
    }

    /** Always in name-addr form ({@code <uri>}), so that URI parameters cannot be mistaken for header ones. */
    @Override
    public String toString() {
        if (uri == null) {
            return "*";
        }
        StringBuilder sb = new StringBuilder(80);
        if (displayName != null) {
            sb.append(displayName).append(' ');
        }
        sb.append('<').append(uri).append('>');
        return params.appendTo(sb).toString();
    }
}
