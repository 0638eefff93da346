package org.siphon.core.internal.message;

import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipSource;

/** The parser behind the API's {@link SipMessages} (META-INF/services): the default limits. Thread-safe. */
public final class SipMessagesParser implements SipMessages.Parser {

    @Override
    public SipMessage parse(byte[] bytes, SipSource source) {
        SipMessageImpl m = SipMessageParser.DEFAULT.parse(bytes, false);
        if (source != null) {
            m.source(source);
        }
        return m;
    }
}
