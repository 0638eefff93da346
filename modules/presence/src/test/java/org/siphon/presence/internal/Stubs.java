package org.siphon.presence.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.uri.Uri;
import org.siphon.presence.PresenceEvent;
import org.siphon.tm.TmApi;
import org.siphon.test.TestActionContext;
import org.siphon.test.TestConfigs;
import org.siphon.tm.UacRequest;

/** Stand-ins for the core's and tm's services, through their API only: H2, maps, lists. */
final class Stubs {

    private static final AtomicInteger N = new AtomicInteger();

    private Stubs() {
    }

    /** The configuration: defaults, with {@code overrides} by method name (e.g. {@code subs__db__mode}). */
    static PresenceComponent.Config config(Object... overrides) {
        return TestConfigs.of(PresenceComponent.Config.class, overrides);
    }

    /** tm's UAC: every request kept with the future the test completes. */
    static final class Tm implements TmApi {
        record Sent(UacRequest request, CompletableFuture<SipResponse> reply) {
            String header(String name) {
                for (SipHeader h : request.headers()) {
                    if (h.name().equalsIgnoreCase(name)) {
                        return h.value();
                    }
                }
                return null;
            }

            String body() {
                return request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8);
            }

            long cseq() {
                return Long.parseLong(header("CSeq").split(" ")[0]);
            }
        }

        final List<Sent> sent = new CopyOnWriteArrayList<>();

        @Override public CompletableFuture<SipResponse> send(UacRequest request) {
            CompletableFuture<SipResponse> f = new CompletableFuture<>();
            sent.add(new Sent(request, f));
            return f;
        }
        @Override public int transactionCount() { return 0; }

        Sent last() {
            return sent.get(sent.size() - 1);
        }
    }

    /** The replies the component sends (statelessly: no tm in these tests): status, reason, headers. */
    static final class Core implements StatefulCore {
        record Reply(int status, String reason, List<SipHeader> headers) {
            String header(String name) {
                for (SipHeader h : headers) {
                    if (h.name().equalsIgnoreCase(name)) {
                        return h.value();
                    }
                }
                return null;
            }
        }

        final List<Reply> replies = new CopyOnWriteArrayList<>();

        @Override public Outgoing prepare(ActionContext ctx, SipRequest request, Uri target, String branch) {
            throw new UnsupportedOperationException();
        }
        @Override public CompletableFuture<Void> send(Outgoing outgoing) { throw new UnsupportedOperationException(); }
        @Override public byte[] buildReply(SipRequest request, int status, String reason, List<SipHeader> extraHeaders,
                String toTag, String contentType, byte[] body) {
            replies.add(new Reply(status, reason, List.copyOf(extraHeaders)));
            return new byte[0];
        }
        @Override public String toTag(SipRequest request) { return "srv" + Integer.toHexString(request.callId().hashCode()); }
        @Override public CompletableFuture<Void> sendReply(SipRequest request, byte[] bytes) {
            return CompletableFuture.completedFuture(null);
        }
        @Override public byte[] relayBytes(SipResponse response) { throw new UnsupportedOperationException(); }
        @Override public void execute(Object key, Runnable task) { task.run(); }
        @Override public Cancellable schedule(Object key, long delayMillis, Runnable task) { return () -> { }; }
        @Override public String advertised(SipSource source) { return "127.0.0.1:5060"; }

        Reply last() {
            return replies.get(replies.size() - 1);
        }
    }

    /** A PIDF-like package: bodies of any XML-ish text, the NOTIFY body their concatenation. */
    static final class Event implements PresenceEvent {
        @Override public String name() { return "presence"; }
        @Override public String contentType() { return "application/pidf+xml"; }
        @Override public boolean requiresAuthorisation() { return true; }
        @Override public Rejection check(byte[] body, String type) {
            return new String(body, StandardCharsets.UTF_8).startsWith("<") ? null : new Rejection(400, "Bad PIDF: not XML");
        }
        @Override public byte[] notifyBody(String uri, List<Publication> pubs) {
            if (pubs.isEmpty()) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            for (Publication p : pubs) {
                b.append(new String(p.body(), StandardCharsets.UTF_8));
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    static final class Winfo implements PresenceEvent {
        @Override public String name() { return "presence.winfo"; }
        @Override public String contentType() { return "application/watcherinfo+xml"; }
        @Override public boolean publishable() { return false; }
        @Override public String watcherInfoOf() { return "presence"; }
        @Override public byte[] notifyBody(String uri, List<Publication> pubs) { return null; }
        @Override public byte[] watcherInfoBody(String uri, List<Watcher> ws, long version, boolean full) {
            StringBuilder b = new StringBuilder("v=" + version + (full ? " full" : " partial"));
            for (Watcher w : ws) {
                b.append(' ').append(w.watcherUri()).append('/').append(w.status()).append('/').append(w.event());
            }
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    static TestActionContext request(String text) {
        return TestActionContext.request(text, new SipSource("udp",
                new InetSocketAddress("127.0.0.1", 5071), new InetSocketAddress("127.0.0.1", 5060)));
    }

    static TestActionContext publish(String uri, String callId, int cseq, String ifMatch, int expires, String body) {
        String b = body == null ? "" : body;
        return request("PUBLISH " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bKp" + N.incrementAndGet()
                + "\r\nFrom: <" + uri + ">;tag=p1\r\nTo: <" + uri + ">\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " PUBLISH\r\nEvent: presence\r\n" + (ifMatch == null ? "" : "SIP-If-Match: " + ifMatch + "\r\n")
                + (expires >= 0 ? "Expires: " + expires + "\r\n" : "")
                + (b.isEmpty() ? "" : "Content-Type: application/pidf+xml\r\n") + "Content-Length: "
                + b.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + b);
    }

    static TestActionContext subscribe(String uri, String watcher, String event, String callId, String toTag, int cseq,
            int expires) {
        return request("SUBSCRIBE " + uri + " SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5071;branch=z9hG4bKs"
                + N.incrementAndGet() + "\r\nFrom: <" + watcher + ">;tag=w" + callId + "\r\nTo: <" + uri + ">"
                + (toTag == null ? "" : ";tag=" + toTag) + "\r\nCall-ID: " + callId + "\r\nCSeq: " + cseq
                + " SUBSCRIBE\r\nContact: <sip:w@127.0.0.1:5071>\r\nRecord-Route: <sip:10.0.0.9;lr>\r\nEvent: " + event
                + "\r\nExpires: " + expires + "\r\nContent-Length: 0\r\n\r\n");
    }

    static SipResponse response(int code) {
        String text = "SIP/2.0 " + code + " R\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKx\r\n"
                + "From: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 1 NOTIFY\r\nContent-Length: 0\r\n\r\n";
        return (SipResponse) SipMessages.parse(text.getBytes(StandardCharsets.UTF_8),
                new SipSource("udp", new InetSocketAddress("127.0.0.1", 5070), new InetSocketAddress("127.0.0.1", 5060)));
    }

    static List<String> names(List<PresenceEvent> l) {
        List<String> out = new ArrayList<>();
        l.forEach(e -> out.add(e.name()));
        return out;
    }
}
