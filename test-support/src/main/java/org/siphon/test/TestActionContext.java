package org.siphon.test;

import org.siphon.core.function.RouteType;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;

/**
 * The context a function gets from the script engine — the message, its destination, flags, AVPs,
 * the send socket — exactly as the core makes it, for calling a module's function handlers in a
 * unit test. Subclass it to stub what the engine would fill in (e.g. AVPs). Not thread-safe, one per
 * message, as in the core.
 */
public class TestActionContext extends CoreActionContext {

    public TestActionContext(SipMessage message, RouteType routeType) {
        super(message, routeType);
    }

    /** A request route over the message in {@code text} (see {@link TestMessages#parse(String)}). */
    public static TestActionContext request(String text) {
        return new TestActionContext(TestMessages.parse(text), RouteType.REQUEST);
    }

    /** A request route over the message in {@code text}, received as {@code source} says. */
    public static TestActionContext request(String text, SipSource source) {
        return new TestActionContext(TestMessages.parse(text, source), RouteType.REQUEST);
    }

    /** An onreply route over the reply in {@code text}. */
    public static TestActionContext reply(String text) {
        return new TestActionContext(TestMessages.parse(text), RouteType.ONREPLY);
    }

    /** The message as the core would now send it, with the edits made through this context. */
    public String written() {
        return TestMessages.text(message());
    }
}
