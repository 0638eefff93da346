package org.siphon.test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.internal.proxy.CoreActionContext;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipSource;

/**
 * The context a function gets from the script engine — the message, its destination, branches,
 * attributes, the send socket — exactly as the core makes it, for calling a module's function
 * handlers in a unit test. What the script engine adds is stood in for here:
 * <ul>
 * <li>{@code $avp(name)} values in a map ({@link #avps()}), other script values ({@code $var},
 * {@code $xavp}, written through {@link TestPseudoVariables}) in {@link #values()};</li>
 * <li>the branch flags of the Request-URI's branch ({@code $bf}): {@link #setbflag(int)},
 * {@link #resetbflag(int)}, {@link #isbflagset(int)} as the script's functions of those names, and
 * {@link #branchFlags()} / {@link #setBranchFlags(long)} as modules see them;</li>
 * <li>the script: once a test sets the run's flags ({@link #flags(long)}), a pseudo-variable
 * ({@link #pv}) or a route ({@link #onRoute}), {@link #scriptHandle()} answers them. Running a
 * route through the handle is recorded ({@link #routeCalls()}) and runs what the test gave for
 * that block on a new context over the message the caller passed (the caller's attributes,
 * branch flags, a copy of the {@code $avp}s and script values, the same flags, pseudo-variables and
 * routes); a block the test gave nothing for runs as an empty route: the new context is returned
 * unchanged, as Kamailio runs a missing route.</li>
 * </ul>
 * Subclass it for more. Not thread-safe, one per message, as in the core.
 */
public class TestActionContext extends CoreActionContext {

    /** What running a route does, given the context the route runs on (set its destination, drop, …). */
    @FunctionalInterface
    public interface Route {
        void run(TestActionContext route) throws Exception;
    }

    /**
     * One run of a route through {@link #scriptHandle()}: the block, its type, the message and
     * attributes the caller passed, the branch flags it started with, and the context it ran on.
     */
    public record RouteCall(String block, RouteType type, SipMessage message, Map<String, Object> attributes,
            long branchFlags, TestActionContext context) {
    }

    private Map<String, Object> avps = new HashMap<>();
    private Map<String, Object> values = new HashMap<>();
    private Map<String, Function<SipMessage, Object>> pvs = new HashMap<>();
    private Map<String, Route> routes = new HashMap<>();
    private List<RouteCall> routeCalls = new ArrayList<>();
    private long flags;
    private long branchFlags;
    private boolean scripted;
    private boolean dropped;

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

    /**
     * Script values other than {@code $avp}, live, keyed as the core keys them: {@code "var:NAME"}
     * for {@code $var(NAME)}, {@code "xavp:ROOT=>FIELD"} (or {@code "xavp:ROOT[i]=>FIELD"}) for
     * {@code $xavp(...)}, as written with spaces removed. {@link TestPseudoVariables} reads and writes them.
     */
    public Map<String, Object> values() {
        return values;
    }

    @Override public long branchFlags() {
        return branchFlags;
    }

    @Override public void setBranchFlags(long flags) {
        this.branchFlags = flags;
    }

    /** {@code setbflag(flag)}: sets bit {@code flag} (0-63) of the branch flags; returns 1. */
    public long setbflag(int flag) {
        branchFlags |= bit(flag);
        return 1;
    }

    /** {@code resetbflag(flag)}: clears bit {@code flag}; returns 1. */
    public long resetbflag(int flag) {
        branchFlags &= ~bit(flag);
        return 1;
    }

    /** {@code isbflagset(flag)}: 1 when bit {@code flag} is set, else -1 (the script's true and false). */
    public long isbflagset(int flag) {
        return (branchFlags & bit(flag)) != 0 ? 1 : -1;
    }

    private static long bit(int flag) {
        if (flag < 0 || flag > 63) {
            throw new IllegalArgumentException("branch flag " + flag + " is not in 0-63");
        }
        return 1L << flag;
    }

    /** What a route body does for {@code drop}: {@link #isDropped()} is true from then on. */
    public void drop() {
        dropped = true;
    }

    @Override public boolean isDropped() {
        return dropped;
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

    /**
     * The script has {@code block} (e.g. {@code "failure_route[voicemail]"}, written as the module
     * asks for it), and running it does what {@code body} does on the route's context.
     */
    public TestActionContext onRoute(String block, Route body) {
        routes.put(block, body);
        this.scripted = true;
        return this;
    }

    /** Every route run through {@link #scriptHandle()} of this context and of the contexts routes ran on, in order. */
    public List<RouteCall> routeCalls() {
        return routeCalls;
    }

    /** Null (no script runs this message) until {@link #flags(long)}, {@link #pv} or {@link #onRoute} is called. */
    @Override public ScriptHandle scriptHandle() {
        if (!scripted) {
            return null;
        }
        return new ScriptHandle() {
            @Override public boolean hasRoute(String block) {
                return routes.containsKey(block);
            }

            @Override public ActionContext run(String block, RouteType type, SipMessage m, Map<String, Object> attributes)
                    throws Exception {
                return runRoute(block, type, m, attributes, branchFlags);
            }

            @Override public ActionContext run(String block, RouteType type, SipMessage m, Map<String, Object> attributes,
                    long startFlags) throws Exception {
                return runRoute(block, type, m, attributes, startFlags);
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

    private TestActionContext runRoute(String block, RouteType type, SipMessage m, Map<String, Object> attributes,
            long startFlags) throws Exception {
        TestActionContext r = new TestActionContext(m, type);
        r.inherit(this);
        attributes.forEach(r::attribute);
        r.branchFlags = startFlags;
        r.avps = new HashMap<>(avps);
        r.values = new HashMap<>(values);
        r.flags = flags;
        r.pvs = pvs;
        r.routes = routes;
        r.routeCalls = routeCalls;
        r.scripted = true;
        routeCalls.add(new RouteCall(block, type, m, java.util.Collections.unmodifiableMap(new HashMap<>(attributes)), startFlags, r));
        Route body = routes.get(block);
        if (body != null) {
            body.run(r);
        }
        return r;
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
