package org.siphon.msilo.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.siphon.core.function.ActionContext;
import org.siphon.core.sip.SipHeader;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;
import org.siphon.core.sip.SipResponse;
import org.siphon.core.sip.SipSource;
import org.siphon.core.sip.header.NameAddress;
import org.siphon.core.sip.uri.SipUri;
import org.siphon.tm.TmApi;
import org.siphon.tm.UacRequest;

/**
 * {@code m_dump} and the reminders: stored messages go out through tm's UAC one after the other,
 * in arrival order, each claimed in the table first (so that two REGISTERs of one user, or two
 * nodes on one database, never send a row twice) and deleted only when its final reply is a 2xx;
 * any other outcome (a negative reply, tm's 408 on timeout, 503 on a transport failure) frees the
 * row for the next REGISTER. A reminder that fails becomes an ordinary offline message. The SIP
 * worker that runs {@code m_dump} only checks the REGISTER and queues the job; the database work
 * runs on the module's thread, the replies come on tm's threads and are handed back to it.
 * Thread-safe.
 */
final class Delivery {

    /** How long a claim holds (seconds): longer than any tm transaction. */
    static final long CLAIM_SECONDS = 120;

    /** A delivery job: the rows of one owner, to one target. */
    private record Job(String user, String host, String target, String nextHop, List<SipHeader> extra, int max) {
    }

    private final MsiloComponent m;
    private final Executor thread;
    /** Jobs queued or under way (SiphonModule.inFlight). */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean remindersRunning = new AtomicBoolean();

    Delivery(MsiloComponent m, Executor thread) {
        this.m = m;
        this.thread = thread;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** {@code m_dump([owner[, maxmsgs]])} on a REGISTER: 1 when a delivery is queued, -1 when nothing can be sent. */
    int dump(ActionContext ctx, String ownerArg, int max) {
        if (!(ctx.message() instanceof SipRequest req) || !req.isMethod(SipMethods.REGISTER)) {
            MsiloComponent.LOG.error("msilo: m_dump works on REGISTER requests only");
            return -1;
        }
        SipUri owner;
        if (ownerArg != null) {
            owner = Store.owner(req, ownerArg);
        } else {
            NameAddress to = req.to();
            owner = to != null && to.uri() instanceof SipUri u && u.user() != null && !u.user().isEmpty() ? u : null;
            if (owner == null) {
                MsiloComponent.LOG.error("msilo: m_dump: bad owner To URI ({}) of {}", to == null ? null : to.uri(),
                        req.callId());
            }
        }
        if (owner == null) {
            return -1;
        }
        NameAddress contact = contact(req);
        if (contact == null) {
            MsiloComponent.LOG.debug("msilo: m_dump: no Contact with expires > 0 in {}", req.callId());
            return -1;
        }
        if (!messageSupported(req, contact)) {
            MsiloComponent.LOG.debug("msilo: MESSAGE method not supported by {}", contact.uri());
            return -1;
        }
        if (m.tm() == null) {
            MsiloComponent.LOG.error("msilo: m_dump: module tm is not active: nothing sent");
            return -1;
        }
        MsiloComponent.Settings s = m.settings();
        String nextHop = s.outboundProxy().isEmpty() ? sourceUri(req.source()) : s.outboundProxy();
        List<SipHeader> extra = Messages.headers(s.extraHdrs().expand(ctx.scriptHandle(), req));
        return queue(new Job(owner.user(), owner.host(), contact.uri().toString(), nextHop, extra, Math.max(0, max)), s)
                ? 1 : -1;
    }

    /** The first Contact the REGISTER binds (not {@code *}, expires not 0), or null. */
    static NameAddress contact(SipRequest req) {
        for (NameAddress c : req.contacts()) {
            if (c.isWildcard() || c.uri() == null) {
                return null;
            }
            String e = c.params().get("expires");
            long expires = -1;
            if (e != null) {
                try {
                    expires = Long.parseLong(e.trim());
                } catch (NumberFormatException x) {
                    expires = -1;
                }
            }
            if (expires < 0) {
                expires = req.expires();
            }
            if (expires != 0) {
                return c;
            }
        }
        return null;
    }

    /** No Allow header or one listing MESSAGE, and no Contact {@code methods} parameter without it. */
    static boolean messageSupported(SipRequest req, NameAddress contact) {
        String methods = contact.params().unquoted("methods");
        if (methods != null && !lists(methods, "MESSAGE")) {
            return false;
        }
        List<SipHeader> allow = req.headers("Allow");
        if (allow.isEmpty()) {
            return true;
        }
        for (SipHeader h : allow) {
            if (lists(h.value(), "MESSAGE")) {
                return true;
            }
        }
        return false;
    }

    private static boolean lists(String commaList, String method) {
        for (String p : commaList.split(",")) {
            if (p.trim().equalsIgnoreCase(method)) {
                return true;
            }
        }
        return false;
    }

    /** Where the REGISTER came from, as a SIP URI for tm's next hop (its NAT binding, or the edge proxy). */
    static String sourceUri(SipSource src) {
        if (src == null || src.remote() == null) {
            return null;
        }
        String ip = src.remote().getAddress().getHostAddress();
        if (ip.indexOf(':') >= 0) {
            ip = "[" + ip + "]";
        }
        String t = src.transport() == null ? "udp" : src.transport().toLowerCase(Locale.ROOT);
        return "sip:" + ip + ":" + src.remote().getPort() + (t.equals("udp") ? "" : ";transport=" + t);
    }

    private boolean queue(Job job, MsiloComponent.Settings s) {
        inFlight.incrementAndGet();
        try {
            thread.execute(() -> start(job, s));
            return true;
        } catch (RejectedExecutionException e) {
            inFlight.decrementAndGet();
            MsiloComponent.LOG.error("msilo: m_dump: the module is stopping: nothing sent for {}@{}", job.user(),
                    job.host());
            return false;
        }
    }

    private void start(Job job, MsiloComponent.Settings s) {
        List<SiloDb.Stored> rows;
        try {
            rows = s.db().offline(job.user(), job.host(), m.now() / 1000, job.max());
        } catch (SQLException | RuntimeException e) {
            MsiloComponent.LOG.error("msilo: m_dump: stored messages of {}@{} not read: {}", job.user(), job.host(),
                    e.getMessage());
            inFlight.decrementAndGet();
            return;
        }
        if (rows.isEmpty()) {
            MsiloComponent.LOG.debug("msilo: no stored message for <{}@{}>", job.user(), job.host());
            inFlight.decrementAndGet();
            return;
        }
        MsiloComponent.LOG.debug("msilo: dumping [{}] messages for <{}@{}>", rows.size(), job.user(), job.host());
        next(rows, 0, s, row -> request(row, job, s), false, inFlight::decrementAndGet);
    }

    /** The reminders due now, sent from {@code reminder} to their destination. One round at a time. */
    void reminders(MsiloComponent.Settings s) {
        if (m.tm() == null || !remindersRunning.compareAndSet(false, true)) {
            return;
        }
        List<SiloDb.Stored> rows;
        try {
            rows = s.db().dueReminders(m.now() / 1000);
        } catch (SQLException | RuntimeException e) {
            MsiloComponent.LOG.error("msilo: reminders not read: {}", e.getMessage());
            remindersRunning.set(false);
            return;
        }
        if (rows.isEmpty()) {
            remindersRunning.set(false);
            return;
        }
        inFlight.incrementAndGet();
        next(rows, 0, s, row -> new UacRequest("MESSAGE", row.to(), s.outboundProxy().isEmpty() ? null : s.outboundProxy(),
                s.reminder(), row.to(), headers(row, List.of(), s), row.ctype(),
                Messages.body(row.body(), row.ctype(), row.incTime(), true, s.config().add__date() != 0, m.zone())), true,
                () -> {
                    remindersRunning.set(false);
                    inFlight.decrementAndGet();
                });
    }

    private UacRequest request(SiloDb.Stored row, Job job, MsiloComponent.Settings s) {
        return new UacRequest("MESSAGE", job.target(), job.nextHop(), row.from(), row.to(), headers(row, job.extra(), s),
                row.ctype(), Messages.body(row.body(), row.ctype(), row.incTime(), false, s.config().add__date() != 0,
                        m.zone()));
    }

    /** Date ({@code add_date}), Contact ({@code add_contact}), {@code extra_hdrs}, then the headers stored with the row. */
    private static List<SipHeader> headers(SiloDb.Stored row, List<SipHeader> extra, MsiloComponent.Settings s) {
        List<SipHeader> h = new ArrayList<>();
        if (s.config().add__date() != 0) {
            h.add(SipHeader.of("Date", Messages.sipDate(row.incTime())));
        }
        if (s.config().add__contact() != 0) {
            h.add(SipHeader.of("Contact", "<" + row.from() + ">"));
        }
        h.addAll(extra);
        h.addAll(Messages.headers(row.extraHdrs()));
        return h;
    }

    /**
     * Sends {@code rows[i]} (claimed first; skipped when another delivery holds it) and, when its
     * final reply is in, the next one; runs {@code done} after the last. Runs on the module's thread.
     */
    private void next(List<SiloDb.Stored> rows, int i, MsiloComponent.Settings s,
            java.util.function.Function<SiloDb.Stored, UacRequest> build, boolean reminder, Runnable done) {
        for (int k = i; k < rows.size(); k++) {
            SiloDb.Stored row = rows.get(k);
            long now = m.now() / 1000;
            long claim = now + CLAIM_SECONDS;
            TmApi tm = m.tm();
            try {
                if (tm == null) {
                    MsiloComponent.LOG.warn("msilo: module tm went away: {} message(s) stay stored", rows.size() - k);
                    break;
                }
                if (!s.db().claim(row.id(), now, claim)) {
                    MsiloComponent.LOG.debug("msilo: message[{}] mid={} already being sent", k, row.id());
                    continue;
                }
            } catch (SQLException | RuntimeException e) {
                MsiloComponent.LOG.error("msilo: message {} not claimed: {}", row.id(), e.getMessage());
                continue;
            }
            int nextIndex = k + 1;
            try {
                tm.send(build.apply(row)).whenComplete((reply, err) -> {
                    Runnable after = () -> {
                        finish(row, claim, reply, err, reminder, s);
                        next(rows, nextIndex, s, build, reminder, done);
                    };
                    try {
                        thread.execute(after);
                    } catch (RejectedExecutionException e) { // stopping: settle this row here, leave the rest stored
                        finish(row, claim, reply, err, reminder, s);
                        done.run();
                    }
                });
                return;
            } catch (RuntimeException e) {
                finish(row, claim, null, e, reminder, s);
            }
        }
        done.run();
    }

    private void finish(SiloDb.Stored row, long claim, SipResponse reply, Throwable err, boolean reminder,
            MsiloComponent.Settings s) {
        int code = reply == null ? 0 : reply.status();
        try {
            if (code >= 200 && code < 300) {
                s.db().delete(row.id());
                (reminder ? m.dumpedReminders : m.dumped).increment();
                MsiloComponent.LOG.debug("msilo: message <{}> was sent successfully", row.id());
                return;
            }
            (reminder ? m.failedReminders : m.failed).increment();
            if (reminder) {
                s.db().toOffline(row.id());
            } else {
                s.db().release(row.id(), claim);
            }
            MsiloComponent.LOG.info("msilo: {} <{}> for {} not delivered ({}): kept{}", reminder ? "reminder" : "message",
                    row.id(), row.to(), err != null ? err.toString() : code + " " + reply.reason(),
                    reminder ? " as an offline message" : " for the next REGISTER");
        } catch (SQLException | RuntimeException e) {
            MsiloComponent.LOG.error("msilo: message <{}> (reply {}): table not updated: {}; the claim runs out in {} s",
                    row.id(), code, e.getMessage(), CLAIM_SECONDS);
        }
    }
}
