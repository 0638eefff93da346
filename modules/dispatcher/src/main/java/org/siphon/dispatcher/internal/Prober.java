package org.siphon.dispatcher.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.siphon.core.function.EventRoutes;
import org.siphon.core.sip.SipMessage;
import org.siphon.core.sip.SipMessages;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;

/**
 * Keepalives: every {@code ds_ping_interval} seconds, on the module's own thread, sends
 * {@code ds_ping_method} through tm's UAC to the destinations {@code ds_probing_mode} names, and
 * turns each final reply (a local 408 on timeout) into a state change; the dst-down/dst-up
 * event routes run on the same thread. Not thread-safe on its own: used from that thread.
 */
final class Prober {

    private final DispatcherComponent ds;
    private volatile ScheduledFuture<?> task;
    final LongAdder sent = new LongAdder();
    final LongAdder failed = new LongAdder();
    final AtomicInteger inFlight = new AtomicInteger();

    Prober(DispatcherComponent ds) {
        this.ds = ds;
    }

    /** (Re)starts the periodic keepalives at the configured interval; none with interval 0. */
    synchronized void schedule() {
        cancel();
        int s = ds.config.ds__ping__interval();
        if (s > 0) {
            task = ds.timer.scheduleWithFixedDelay(this::round, s, s, TimeUnit.SECONDS);
        }
    }

    synchronized void cancel() {
        ScheduledFuture<?> t = task;
        task = null;
        if (t != null) {
            t.cancel(false);
        }
    }

    /** Which destinations {@code ds_probing_mode} pings now. */
    static boolean pinged(int flags, int mode) {
        if ((flags & Destination.DISABLED) != 0) {
            return false;
        }
        boolean probing = (flags & Destination.PROBING) != 0;
        return switch (mode) {
            case 1 -> true;
            case 2 -> probing && (flags & Destination.INACTIVE) != 0;
            default -> probing;
        };
    }

    /** One round: a keepalive to each destination due. */
    void round() {
        try {
            TmApi t = ds.tm;
            if (t == null || !ds.states.pingActive()) {
                return;
            }
            DispatcherComponent.Config c = ds.config;
            for (Destination d : ds.list().all()) {
                if (pinged(ds.states.flags(d), c.ds__probing__mode())) {
                    ping(t, d, c);
                }
            }
        } catch (RuntimeException e) {
            DispatcherComponent.LOG.warn("dispatcher: keepalive round failed", e);
        }
    }

    private void ping(TmApi t, Destination d, DispatcherComponent.Config c) {
        String from = d.attr("ping_from") != null ? d.attr("ping_from") : c.ds__ping__from();
        String proxy = d.attr("obproxy") != null ? d.attr("obproxy") : c.outbound__proxy().isBlank() ? null : c.outbound__proxy();
        UacRequest req = new UacRequest(c.ds__ping__method(), d.uri(), proxy, from, null, List.of(), null, null);
        long t0 = System.nanoTime();
        sent.increment();
        inFlight.incrementAndGet();
        try {
            t.send(req).whenComplete((reply, err) -> {
                inFlight.decrementAndGet();
                int status = err != null || reply == null ? 503 : reply.status();
                double ms = (System.nanoTime() - t0) / 1e6;
                try {
                    ds.timer.execute(() -> replied(d, status, ms));
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    // the module stopped meanwhile; the new version pings again
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            replied(d, 503, 0);
        }
    }

    /** A keepalive's final reply: the state machine and the latency statistics. */
    void replied(Destination d, int status, double ms) {
        DispatcherComponent.Config c = ds.config;
        if (c.ds__ping__latency__stats() != 0) {
            Latency.sample(ds.states.table, d.key(), status == 408 ? -1 : ms, c.ds__latency__estimator__alpha() / 1000.0);
        }
        if (ds.list().set(d.setid()) == null || !ds.list().all().contains(d)) {
            return; // reloaded away meanwhile
        }
        if (accepted(status, c.ds__ping__reply__codes())) {
            ds.changed(d, ds.states.pingOk(d, c.ds__inactive__threshold(), c.ds__probing__mode() == 0));
        } else {
            failed.increment();
            if (c.ds__probing__mode() == 1 || (ds.states.flags(d) & Destination.PROBING) != 0) {
                ds.changed(d, ds.states.pingFailed(d, c.ds__probing__threshold()));
            }
        }
    }

    /** Whether a reply counts as alive: 200, or a {@code code=} / {@code class=} of {@code ds_ping_reply_codes}. */
    static boolean accepted(int status, String codes) {
        if (status == 200) {
            return true;
        }
        for (String part : codes.split("[;:,]")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String name = p.substring(0, eq).trim();
            int v = Destination.number(p.substring(eq + 1), -1);
            if (name.equals("code") && v == status || name.equals("class") && v == status / 100
                    || name.equals("class") && v >= 100 && v / 100 == status / 100) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code event_route[event]} over a made-up keepalive request to {@code d} ($ru, $rm, $fu as sent). */
    void event(String event, Destination d) {
        EventRoutes routes = ds.eventRoutes;
        if (routes == null || !routes.has(event)) {
            return;
        }
        String from = d.attr("ping_from") != null ? d.attr("ping_from") : ds.config.ds__ping__from();
        String text = ds.config.ds__ping__method() + " " + d.uri() + " SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKdispatcher\r\n"
                + "From: <" + from + ">;tag=dispatcher\r\n"
                + "To: <" + d.uri() + ">\r\n"
                + "Call-ID: dispatcher-" + d.setid() + "-" + Integer.toHexString(d.uri().hashCode()) + "\r\n"
                + "CSeq: 1 " + ds.config.ds__ping__method() + "\r\n"
                + "Content-Length: 0\r\n\r\n";
        SipMessage msg = SipMessages.parse(text.getBytes(StandardCharsets.UTF_8));
        try {
            routes.run(event, msg, Map.of("dispatcher.setid", (long) d.setid(), "dispatcher.uri", d.uri()));
        } catch (RuntimeException e) {
            DispatcherComponent.LOG.warn("dispatcher: event_route[{}] failed", event, e);
        }
    }

    /** For tests: the destinations a round would ping now. */
    List<Destination> due() {
        List<Destination> out = new ArrayList<>();
        for (Destination d : ds.list().all()) {
            if (pinged(ds.states.flags(d), ds.config.ds__probing__mode())) {
                out.add(d);
            }
        }
        return out;
    }
}
