package org.siphon.core.sip;

import java.nio.charset.StandardCharsets;

/**
 * One header field: its canonical name and its value, kept as a slice of the received bytes
 * until first asked for (folded lines are joined with a single space then). Headers made by the
 * script or a module carry their value as text. Immutable from outside; the lazy value cache
 * is written by the one thread processing the message.
 */
public final class SipHeader {

    private final String name;
    private final byte[] buf;
    private final int valueStart;
    private final int valueEnd;
    private final boolean folded;
    private String value;

    private SipHeader(String name, byte[] buf, int valueStart, int valueEnd, boolean folded, String value) {
        this.name = name;
        this.buf = buf;
        this.valueStart = valueStart;
        this.valueEnd = valueEnd;
        this.folded = folded;
        this.value = value;
    }

    /** A header made from text, e.g. by {@code append_hf}. The name is made canonical. */
    public static SipHeader of(String name, String value) {
        return new SipHeader(SipHeaderNames.canonical(name.trim()), null, 0, 0, false, value.trim());
    }

    /**
     * A header whose value is bytes {@code [start, end)} of a received message; {@code folded} says
     * that it spans several lines. For the decoder.
     */
    public static SipHeader slice(String canonicalName, byte[] buf, int start, int end, boolean folded) {
        return new SipHeader(canonicalName, buf, start, end, folded, null);
    }

    /** The canonical name ({@code Via} for {@code v} or {@code VIA}). */
    public String name() {
        return name;
    }

    /** Whether this header has {@code name} (any case, compact forms equal). */
    public boolean is(String otherName) {
        return name.equals(otherName) || SipHeaderNames.same(name, otherName);
    }

    /** The value, trimmed, with folding replaced by single spaces. */
    public String value() {
        String v = value;
        if (v == null) {
            v = new String(buf, valueStart, valueEnd - valueStart, StandardCharsets.UTF_8);
            if (folded) {
                v = v.replaceAll("[ \t]*\r?\n[ \t]+", " ");
            }
            value = v;
        }
        return v;
    }

    /** {@code Name: value} as it is written on the wire (without CRLF). */
    @Override
    public String toString() {
        return name + ": " + value();
    }
}
