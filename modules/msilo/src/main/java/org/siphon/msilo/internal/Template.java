package org.siphon.msilo.internal;

import java.util.List;

import org.siphon.core.function.ScriptHandle;
import org.siphon.core.pv.PvText;
import org.siphon.core.sip.SipMessage;

/**
 * A parameter that may hold pseudo-variables ({@code from_address}, {@code offline_message},
 * {@code contact_hdr}, {@code extra_hdrs} …): split once into literal text and pseudo-variables
 * ({@code $rU}, {@code $avp(x)}, {@code $(ci)}), evaluated per message through the script that
 * routes it. Also turns the literal {@code \r\n} that Kamailio configs write into CRLF.
 * Immutable, thread-safe.
 */
final class Template {

    static final Template EMPTY = new Template("");

    private final String text;
    private final List<String> parts;

    Template(String spec) {
        this.text = spec == null ? "" : spec.replace("\\r\\n", "\r\n").replace("\\n", "\n");
        this.parts = parts(text);
    }

    boolean isEmpty() {
        return text.isEmpty();
    }

    /** The parameter as configured (escapes turned into CRLF). */
    String text() {
        return text;
    }

    /** The text for {@code message}; pseudo-variables are empty when no script can read them. */
    String expand(ScriptHandle script, SipMessage message) {
        return PvText.expand(parts, script, message);
    }

    /** {@code spec} split into literal text and pseudo-variables. */
    static List<String> parts(String spec) {
        return PvText.split(spec);
    }
}
