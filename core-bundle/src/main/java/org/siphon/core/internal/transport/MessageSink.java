package org.siphon.core.internal.transport;

import org.siphon.core.internal.message.SipMessageImpl;

/** Where transports deliver parsed messages. Called on an event loop: must hand off and return at once. */
@FunctionalInterface
public interface MessageSink {

    void received(SipMessageImpl message, Transport transport);
}
