package org.siphon.tm.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.function.ScriptHandle;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.Destination;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.test.StubSipCore;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestMessages;

/**
 * A tm instance over a recording {@link StatefulCore} on a {@link VirtualClock}, and a script
 * stand-in: proxy tests drive {@link Transaction}s through {@code t_relay} and replies as the
 * core would, and see what left ({@link #sent}, {@link #replies}) and which routes ran with which
 * branch flags ({@link #runs}).
 */
final class ProxyFixture {

    /** A route run: block, route type, branch index, the branch flags it started with. */
    record Run(String block, RouteType type, int branch, long flags) {
    }

    final VirtualClock clock = new VirtualClock();
    final TimerTable timers = new TimerTable(500, 4000, 5000, 30_000, 120_000, 180_000, 32_000);
    /** First lines of the requests sent, with their branch. */
    final List<String> sent = new ArrayList<>();
    /** The requests sent, whole, in order. */
    final List<String> sentText = new ArrayList<>();
    final List<String> replies = new ArrayList<>();
    final List<Run> runs = new ArrayList<>();
    /** What a route does besides being recorded: given the run and its context, may change it. */
    java.util.function.BiConsumer<Run, Context> script = (r, c) -> { };

    final StatefulCore stateful = new StatefulCore() {
        @Override
        public Outgoing prepare(ActionContext ctx, SipRequest request, Uri target, String branch) {
            String text = new String(request.edits().apply().bytes(), StandardCharsets.UTF_8);
            int eol = text.indexOf("\r\n");
            String via = "SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch;
            byte[] bytes = (text.substring(0, eol + 2) + "Via: " + via + "\r\n" + text.substring(eol + 2))
                    .getBytes(StandardCharsets.UTF_8);
            return new Outgoing(bytes, new Destination("udp", new InetSocketAddress("127.0.0.1", 5070)), via,
                    new InetSocketAddress("127.0.0.1", 5060), true);
        }

        @Override
        public CompletableFuture<Void> send(Outgoing outgoing) {
            sent.add(Wire.firstLine(outgoing.bytes()) + " " + outgoing.via().substring(outgoing.via().indexOf("branch=") + 7));
            sentText.add(new String(outgoing.bytes(), StandardCharsets.UTF_8));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders, String toTag,
                String contentType, byte[] body) {
            return ("SIP/2.0 " + status + " " + reason + "\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toTag(SipRequest request) {
            return "t1";
        }

        @Override
        public CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes) {
            replies.add(Wire.firstLine(bytes));
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public byte[] relayBytes(SipResponse response) {
            return response.bytes();
        }

        @Override
        public void execute(Object key, Runnable task) {
            clock.execute(task);
        }

        @Override
        public Cancellable schedule(Object key, long delayMillis, Runnable task) {
            return clock.schedule(delayMillis, task);
        }

        @Override
        public String advertised(SipSource source) {
            return "127.0.0.1:5060";
        }
    };

    final Tm tm = new Tm(new StubSipCore("127.0.0.1:5060"), stateful, timers,
            new Tm.Settings(true, "Trying", true, 3, false), key -> clock);

    /** A route's context: what the script engine gives a module, with branch flags. */
    static class Context extends TestActionContext {
        long branchFlags;
        ScriptHandle handle;

        Context(SipMessage message, RouteType type) {
            super(message, type);
        }

        @Override public long branchFlags() { return branchFlags; }
        @Override public void setBranchFlags(long flags) { branchFlags = flags; }
        @Override public ScriptHandle scriptHandle() { return handle; }
    }

    /** The script the transaction keeps: records each run and lets {@link #script} act on it. */
    final ScriptHandle handle = new ScriptHandle() {
        @Override
        public boolean hasRoute(String block) {
            return true;
        }

        @Override
        public ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes) {
            throw new AssertionError("tm runs a transaction's routes with the branch's flags");
        }

        @Override
        public ActionContext run(String block, RouteType type, SipMessage message, Map<String, Object> attributes,
                long branchFlags) {
            Context c = new Context(message, type);
            c.handle = this;
            attributes.forEach(c::attribute);
            c.branchFlags = branchFlags;
            Run r = new Run(block, type, (Integer) attributes.get(Transaction.ATTR_BRANCH), branchFlags);
            runs.add(r);
            script.accept(r, c);
            return c;
        }

        @Override
        public Object value(String pseudoVariable, SipMessage message) {
            return null;
        }
    };

    static final String INVITE = "INVITE sip:bob@127.0.0.1 SIP/2.0\r\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKcaller1\r\n"
            + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>\r\nCall-ID: call-1\r\n"
            + "CSeq: 1 INVITE\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    /** The request route's context over {@code text}, as received from 127.0.0.1:5090 over UDP. */
    Context request(String text) {
        Context c = new Context(TestMessages.parse(text, TestMessages.udpFrom("127.0.0.1", 5090)), RouteType.REQUEST);
        c.handle = handle;
        return c;
    }

    /** {@code t_relay()} in {@code ctx}'s route: the transaction made and entered as TmFunctions does. */
    Transaction relay(Context ctx) {
        Transaction t = new Transaction(tm, (SipRequest) ctx.message());
        if (tm.table.putIfAbsent(t) != null) {
            throw new AssertionError("a transaction is already there");
        }
        tm.stats.uas.increment();
        ctx.attribute(Transaction.ATTR, t);
        t.relay(ctx, null);
        return t;
    }

    /** A reply on branch {@code index} of {@code t}, as the wire brings it (matched by its Via). */
    void reply(Transaction t, int index, int status, String toTag) {
        String branch = tm.branchId(t.id, index);
        String text = "SIP/2.0 " + status + " R" + status + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5060;branch=" + branch + "\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1:5090;branch=z9hG4bKcaller1\r\n"
                + "From: <sip:alice@127.0.0.1>;tag=a\r\nTo: <sip:bob@127.0.0.1>" + (toTag == null ? "" : ";tag=" + toTag)
                + "\r\nCall-ID: " + t.callId + "\r\nCSeq: " + t.cseq + " " + t.method + "\r\nContent-Length: 0\r\n\r\n";
        SipResponse r = (SipResponse) TestMessages.parse(text);
        ClientTransaction ct = tm.table.match(r);
        if (ct == null) {
            throw new AssertionError("no client transaction for branch " + index);
        }
        ct.receive(r);
    }

    /** The runs of routes of {@code type}, in order. */
    List<Run> runs(RouteType type) {
        return runs.stream().filter(r -> r.type() == type).toList();
    }
}
