package org.siphon.core.sip;

import org.osgi.annotation.versioning.ProviderType;
import org.siphon.core.sip.uri.Uri;

/**
 * The edit list of a message (Kamailio's lumps): changes made by the script and the modules,
 * applied in one pass when the message is written. Reads of the message keep seeing what was
 * received; {@link #apply()} ({@code msg_apply_changes()}) makes a message that shows them.
 * Unlike Kamailio's lumps, changing the same part twice keeps only the last change: replacing a
 * header's value twice writes the second value, not both.
 * <p>Used by one thread at a time, like its message.
 */
@ProviderType
public interface SipEdits {

    /** Sets the Request-URI to write (requests only); the last call wins. */
    void setRequestUri(Uri uri);

    /** The Request-URI to write: the last one set, else the received one; null for responses. */
    Uri requestUri();

    /** Sets the status line of a response to write; the last call wins. */
    void setStatus(int status, String reason);

    /** Removes a received header field (or one added by an earlier edit). */
    void remove(SipHeader header);

    /** Removes every field named {@code name}; returns how many. */
    int removeAll(String name);

    /** Writes {@code value} instead of the field's value; the last call wins. */
    void replace(SipHeader header, String value);

    /** Adds a field before the first header ({@code insert_hf}). */
    SipHeader insertFirst(String name, String value);

    /** Adds a field just before {@code header}. */
    SipHeader insertBefore(SipHeader header, String name, String value);

    /** Adds a field after the last header ({@code append_hf}). */
    SipHeader append(String name, String value);

    /** Replaces the body (and Content-Type when {@code contentType} is not null); Content-Length follows. */
    void setBody(byte[] body, String contentType);

    /** The value the first field named {@code name} will have when written (edits applied), or null if none will. */
    String valueOf(String name);

    /** Whether a field named {@code name} was replaced, removed or added by an edit. */
    boolean changes(String name);

    /** Whether any change is pending. */
    boolean isEmpty();

    /** The message with every change applied, parsed anew ({@code msg_apply_changes()}). */
    SipMessage apply();
}
