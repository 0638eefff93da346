package org.siphon.core.sip.header;

import java.util.Locale;

import org.siphon.core.sip.Parameters;

/** A Content-Type value (RFC 3261 §20.15): {@code type/subtype;params}. Immutable. */
public record MediaType(String type, String subtype, Parameters params) {

    public static MediaType parse(String value) {
        Lexer lx = new Lexer(value.trim());
        String type = lx.token();
        lx.expect('/');
        String subtype = lx.token();
        Parameters params = HeaderParams.parse(lx);
        HeaderParams.requireEnd(lx, "media type");
        return new MediaType(type, subtype, params);
    }

    /** Whether it is {@code type/subtype}, ignoring case and parameters. */
    public boolean is(String type, String subtype) {
        return this.type.equalsIgnoreCase(type) && this.subtype.equalsIgnoreCase(subtype);
    }

    /** {@code type/subtype} in lower case. */
    public String essence() {
        return (type + "/" + subtype).toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return params.appendTo(new StringBuilder(type).append('/').append(subtype)).toString();
    }
}
