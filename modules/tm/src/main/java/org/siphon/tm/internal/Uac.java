package org.siphon.tm.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.function.ActionContext;
import org.siphon.core.function.RouteType;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipHeaderNames;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.uri.Uri;
import org.siphon.core.sip.uri.UriParser;
import org.siphon.tm.UacRequest;

/**
 * Requests the server sends itself (the {@link org.siphon.tm.TmApi}, RPC {@code tm.t_uac_start}):
 * built, routed by the core like a forwarded request, sent through a client transaction whose
 * final reply completes a future. Thread-safe; the transaction runs on its Call-ID's worker.
 */
final class Uac {

    private final Tm tm;
    private final AtomicInteger active = new AtomicInteger();
    private final UacRoutes routes = new UacRoutes();

    Uac(Tm tm) {
        this.tm = tm;
    }

    int active() {
        return active.get();
    }

    CompletableFuture<SipResponse> send(UacRequest r) {
        return send(r, null);
    }

    /**
     * {@link org.siphon.tm.TmApi#requestWithin}: written straight to the wire ({@link UacWriter}) when
     * the request carries its dialog and the core's route to its target is known ({@link UacRoutes});
     * else the {@link #send} path, which learns the route.
     */
    CompletableFuture<SipResponse> requestWithin(UacRequest r) {
        if (!UacWriter.eligible(r)) {
            return send(r, null);
        }
        String target = r.nextHop() == null || r.nextHop().isBlank() ? r.requestUri() : r.nextHop();
        UacRoutes.Route route = routes.get(target, System.nanoTime() / 1_000_000);
        if (route == null) {
            return send(r, target);
        }
        String branch = tm.branchId(tm.nextId(), 0);
        byte[] bytes;
        try {
            bytes = UacWriter.write(r, route.via(), branch);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!route.fits(bytes.length)) {
            return send(r, target); // perhaps over TCP (udp_mtu): the core decides
        }
        Outgoing out = route.outgoing(bytes, branch);
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        Scheduler scheduler = tm.scheduler(UacWriter.callId(r));
        scheduler.execute(() -> begin(out, branch, r.method(), () -> sentRequest(bytes), null, scheduler, result));
        return result;
    }

    /** @param learn the target whose route the core's preparation teaches {@link #routes}, or null */
    private CompletableFuture<SipResponse> send(UacRequest r, String learn) {
        SipRequest req;
        try {
            req = build(r);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<SipResponse> result = new CompletableFuture<>();
        Scheduler scheduler = tm.scheduler(req.callId());
        scheduler.execute(() -> start(req, r, learn, scheduler, result));
        return result;
    }

    private void start(SipRequest req, UacRequest r, String learn, Scheduler scheduler,
            CompletableFuture<SipResponse> result) {
        String branch = tm.branchId(tm.nextId(), 0);
        Outgoing out;
        try {
            Uri target = r.nextHop() == null || r.nextHop().isBlank() ? null : UriParser.parse(r.nextHop());
            out = tm.stateful.prepare(new LocalContext(req), req, target, branch);
        } catch (Exception e) {
            result.completeExceptionally(e);
            return;
        }
        if (learn != null) {
            routes.learn(learn, out, branch, scheduler.now());
        }
        begin(out, branch, req.method(), () -> req,
                SipMethods.INVITE.equals(req.method()) ? Requests.Sent.of(req) : null, scheduler, result);
    }

    /**
     * Runs the client transaction of a prepared request on its worker.
     *
     * @param request the request as a model, asked only for the locally made 408 and 503
     * @param invite  what the ACK of a non-2xx is built from, for an INVITE; null otherwise
     */
    private void begin(Outgoing out, String branch, String method, java.util.function.Supplier<SipRequest> request,
            Requests.Sent invite, Scheduler scheduler, CompletableFuture<SipResponse> result) {
        ClientTransaction.Listener listener = new ClientTransaction.Listener() {
            @Override
            public void response(ClientTransaction ct, SipResponse response) {
                tm.stats.rplReceived.increment();
                if (response.status() >= 200) {
                    result.complete(response);
                }
            }

            @Override
            public void timeout(ClientTransaction ct) {
                local(result, request, 408, "Request Timeout");
            }

            @Override
            public void transportError(ClientTransaction ct, Throwable error) {
                local(result, request, 503, "Service Unavailable");
            }

            @Override
            public void terminated(ClientTransaction ct) {
                if (!result.isDone()) { // the usual end follows a final reply: no exception to build then
                    result.completeExceptionally(new IllegalStateException("the transaction ended without a final reply"));
                }
                tm.table.remove(ct, method);
                active.decrementAndGet();
                tm.stats.freed.increment();
            }
        };
        ClientTransaction ct;
        if (invite != null) {
            ct = new InviteClientTransaction(branch, out, tm.timers, scheduler, tm.stateful::send, listener,
                    tm.settings.restartFrOnEachReply(), resp -> Requests.ack(invite, out, resp));
        } else {
            ct = new NonInviteClientTransaction(branch, out, tm.timers, scheduler, tm.stateful::send, listener);
        }
        active.incrementAndGet();
        tm.stats.uac.increment();
        tm.table.add(ct, method);
        ct.start();
    }

    /** The request written by {@link UacWriter}, as the model a local reply is built from (our Via left out, as on the other path). */
    private static SipRequest sentRequest(byte[] bytes) {
        if (!(SipMessages.parse(bytes) instanceof SipRequest req) || req.error() != null) {
            return null;
        }
        req.edits().remove(req.header(SipHeaderNames.VIA));
        return req;
    }

    /** Completes {@code result} with a reply made here (timeout, transport failure). */
    private void local(CompletableFuture<SipResponse> result, java.util.function.Supplier<SipRequest> request, int status,
            String reason) {
        try {
            SipRequest req = request.get();
            if (req == null) {
                result.completeExceptionally(new IllegalStateException(status + " " + reason + " (no reply made: the "
                        + "request sent cannot be read back)"));
            } else {
                result.complete(local(req, status, reason));
            }
        } catch (RuntimeException e) {
            result.completeExceptionally(e);
        }
    }

    private SipResponse local(SipRequest req, int status, String reason) {
        return (SipResponse) SipMessages.parse(tm.stateful.buildReply(req, status, reason, List.of(), null, null, null));
    }

    static SipRequest build(UacRequest r) {
        UriParser.parse(r.requestUri());
        Map<String, String> given = new HashMap<>();
        for (SipHeader h : r.headers()) {
            given.put(h.name().toLowerCase(java.util.Locale.ROOT), h.value());
        }
        StringBuilder sb = new StringBuilder(512);
        sb.append(r.method()).append(' ').append(r.requestUri()).append(" SIP/2.0\r\n");
        sb.append("Via: SIP/2.0/UDP 0.0.0.0;branch=z9hG4bKplaceholder\r\n"); // the parser wants one; removed below
        if (!given.containsKey("from")) {
            sb.append("From: ").append(r.from() != null ? r.from() : "<sip:siphon@localhost>").append(";tag=")
                    .append(Long.toHexString(ThreadLocalRandom.current().nextLong())).append("\r\n");
        }
        if (!given.containsKey("to")) {
            sb.append("To: ").append(r.to() != null ? r.to() : "<" + r.requestUri() + ">").append("\r\n");
        }
        if (!given.containsKey("call-id")) {
            sb.append("Call-ID: ").append(UUID.randomUUID()).append("\r\n");
        }
        if (!given.containsKey("cseq")) {
            sb.append("CSeq: ").append(1 + ThreadLocalRandom.current().nextInt(1000)).append(' ').append(r.method())
                    .append("\r\n");
        }
        if (!given.containsKey("max-forwards")) {
            sb.append("Max-Forwards: 71\r\n"); // the core decrements it once when sending: 70 on the wire
        }
        for (SipHeader h : r.headers()) {
            if (!h.name().equalsIgnoreCase("Content-Length") && !h.name().equalsIgnoreCase("Content-Type")) {
                sb.append(h.name()).append(": ").append(h.value()).append("\r\n");
            }
        }
        byte[] body = r.body() == null ? new byte[0] : r.body();
        if (r.contentType() != null && body.length > 0) {
            sb.append("Content-Type: ").append(r.contentType()).append("\r\n");
        }
        sb.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        byte[] head = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        SipMessage m = SipMessages.parse(all);
        if (m.error() != null || !(m instanceof SipRequest req)) {
            throw new IllegalArgumentException("the request is malformed: " + (m.error() == null ? "not a request"
                    : m.error().reason()));
        }
        req.edits().remove(req.header(SipHeaderNames.VIA)); // the core puts its own Via on top when sending
        return req;
    }

    /** The context a locally generated request is routed with: nothing set. */
    static final class LocalContext implements ActionContext {
        private final SipMessage message;
        private final Map<String, Object> attributes = new HashMap<>();
        private Uri destination;

        LocalContext(SipMessage message) {
            this.message = message;
        }

        @Override public RouteType routeType() { return RouteType.LOCAL; }
        @Override public SipMessage message() { return message; }
        @Override public Uri destination() { return destination; }
        @Override public void setDestination(Uri d) { destination = d; }
        @Override public Object attribute(String key) { return attributes.get(key); }
        @Override public void attribute(String key, Object value) { attributes.put(key, value); }
    }
}
