package org.siphon.core.sip;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.header.CSeq;
import org.siphon.core.sip.header.MediaType;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.header.Via;

/**
 * A SIP request or response as received: its bytes, its header fields in order, typed views of
 * the headers routing needs (parsed on arrival) and of others (parsed on first use), and the edit
 * list of changes to apply when it is sent ({@link #edits()}). Reads always see the message as
 * received, as in Kamailio, until {@link SipEdits#apply()} makes a new message with the changes.
 * Typed views of headers parsed on first use throw {@link IllegalArgumentException} when the
 * header is malformed.
 * <p>Used by one thread at a time (the worker routing it).
 */
@ProviderType
public interface SipMessage {

    boolean isRequest();

    /** Why the message is malformed, or null for a well-formed one. */
    SipParseError error();

    /** Where it came from, or null for a message made locally. */
    SipSource source();

    /** Every header field, in order. */
    List<SipHeader> headers();

    /** The first field named {@code name} (any case or compact form), or null. */
    SipHeader header(String name);

    /** Every field named {@code name}, in order. */
    List<SipHeader> headers(String name);

    /** The value of the first field named {@code name}, or null. */
    default String headerValue(String name) {
        SipHeader h = header(name);
        return h == null ? null : h.value();
    }

    /** Every Via value, top first (comma lists split). */
    List<Via> vias();

    /** The topmost Via. */
    default Via topVia() {
        List<Via> v = vias();
        return v.isEmpty() ? null : v.get(0);
    }

    /** From, parsed on first use; null when absent. */
    NameAddress from();

    /** To, parsed on first use; null when absent. */
    NameAddress to();

    /** The From tag (checked on arrival), or null. */
    String fromTag();

    /** The To tag (checked on arrival), or null: a request without one is not in a dialog. */
    String toTag();

    String callId();

    CSeq cseq();

    /** Max-Forwards, or -1 when absent. */
    int maxForwards();

    /** Route values in order (comma lists split); empty when none. */
    List<NameAddress> routes();

    List<NameAddress> recordRoutes();

    List<NameAddress> contacts();

    /** The Expires header in seconds, or -1 when absent. */
    long expires();

    /** Content-Type, or null when absent. */
    MediaType contentType();

    /** The body (exactly Content-Length bytes). */
    byte[] body();

    /** The message as it was received (bytes after Content-Length on a datagram excluded). */
    byte[] bytes();

    /** The changes to apply when the message is written. */
    SipEdits edits();
}
