package org.siphon.core.sip.header;

import org.siphon.core.sip.Parameters;

/** The Event header (RFC 6665 §8.2.1): a package name, optionally with template, and parameters such as {@code id}. */
public record EventHeader(String eventPackage, Parameters params) {

    public static EventHeader parse(String value) {
        Lexer lx = new Lexer(value.trim());
        String name = lx.token();
        Parameters params = HeaderParams.parse(lx);
        HeaderParams.requireEnd(lx, "Event");
        return new EventHeader(name, params);
    }

    /** The {@code id} parameter, or null. */
    public String id() {
        return params.get("id");
    }

    @Override
    public String toString() {
        return params.appendTo(new StringBuilder(eventPackage)).toString();
    }
}
