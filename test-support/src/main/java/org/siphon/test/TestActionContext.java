package org.siphon.test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;

/**
 * The context a function gets from the script engine — the message, its destination, flags, AVPs,
 * the send socket — exactly as the core makes it, for calling a module's function handlers in a
 * unit test. What the script engine adds is stubbed here: {@code $avp(name)} values are kept in a
 * map ({@link #avps()}), and once a test sets the run's flags ({@link #flags(long)}) or a
 * pseudo-variable ({@link #pv}), {@link #scriptHandle()} answers them (no routes; {@code run}
 * refuses). Subclass it for more. Not thread-safe, one per message, as in the core.
 */
public class TestActionContext extends CoreActionContext {

    private final Map<String, Object> avps = new HashMap<>();
    private final Map<String, Function<SipMessage, Object>> pvs = new HashMap<>();
    private long flags;
    private boolean scripted;

    public TestActionContext(SipMessage message, RouteType routeType) {
        super(message, routeType);
    }

    /** The {@code $avp} values of this message, live (a function's writes show here). */
    public Map<String, Object> avps() {
        return avps;
    }

    @Override public Object avp(String name) {
        return avps.get(name);
    }

    @Override public void avp(String name, Object value) {
        if (value == null) {
            avps.remove(name);
        } else {
            avps.put(name, value);
        }
    }

    /** The message flags of the run ({@code isflagset}), as {@link ScriptHandle#flags()} gives them. */
    public TestActionContext flags(long flags) {
        this.flags = flags;
        this.scripted = true;
        return this;
    }

    /** What the script's {@code pseudoVariable} (e.g. {@code "$rU"}) evaluates to, for any message. */
    public TestActionContext pv(String pseudoVariable, Object value) {
        return pv(pseudoVariable, m -> value);
    }

    /** What {@code pseudoVariable} evaluates to over the message it is asked about (e.g. {@code m -> m.callId()}). */
    public TestActionContext pv(String pseudoVariable, Function<SipMessage, Object> value) {
        pvs.put(pseudoVariable, value);
        this.scripted = true;
        return this;
    }

    /** Null (no script runs this message) until {@link #flags(long)} or {@link #pv} is called. */
    @Override public ScriptHandle scriptHandle() {
        if (!scripted) {
            return null;
        }
        return new ScriptHandle() {
            @Override public boolean hasRoute(String block) {
                return false;
            }

            @Override public ActionContext run(String block, RouteType type, SipMessage m, Map<String, Object> attributes) {
                throw new UnsupportedOperationException("a test context runs no route (" + block + ")");
            }

            @Override public long flags() {
                return flags;
            }

            @Override public Object value(String pseudoVariable, SipMessage m) {
                Function<SipMessage, Object> f = pvs.get(pseudoVariable);
                return f == null ? null : f.apply(m);
            }
        };
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
