package org.siphon.auth.internal;

import java.util.List;
import java.util.function.LongSupplier;

import org.siphon.core.function.ActionContext;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;
import org.siphon.core.sip.SipMethods;
import org.siphon.core.sip.SipRequest;

/**
 * What auth does about failed checks (the {@code failed_auth_*} parameters): counts a wrong
 * password or an unknown user per source address and user in {@link Guard}, refuses a banned
 * address (403, or nothing with {@code failed_auth_action=drop}) and holds back the challenge for
 * a user being guessed from many addresses. Thread-safe.
 */
final class FailedAuth {

    /** Attribute: how long the challenge of this request waits, ms. */
    static final String DELAY = "auth.delay";

    private final Guard guard;

    FailedAuth(LongSupplier clock) {
        guard = new Guard(clock);
    }

    /** The failures and bans, for RPC. */
    Guard guard() {
        return guard;
    }

    /** Whether the request's source address is banned now. */
    boolean banned(ActionContext c) {
        String ip = sourceIp(c);
        return ip != null && guard.banned(ip);
    }

    /**
     * A failed check of {@code user} (null when the credentials had none): counted; the user's
     * next challenge may wait ({@link #DELAY}).
     *
     * @return whether this failure banned the source address (then it gets no challenge either)
     */
    boolean failed(ActionContext c, String user, AuthComponent.Config cf) {
        String ip = sourceIp(c);
        if (ip == null) {
            return false;
        }
        long delay = guard.failed(ip, user, cf.failed__auth__limit(), cf.failed__auth__window() * 1000L,
                cf.failed__auth__ban() * 1000L);
        if (delay > 0) {
            c.attribute(DELAY, delay);
        }
        return guard.banned(ip);
    }

    /** A banned address: 403 (or nothing with failed_auth_action=drop); 0, the script stops. */
    int refuse(SipCore core, ActionContext c, AuthComponent.Config cf) {
        if (c.message() instanceof SipRequest r && !r.isMethod(SipMethods.ACK) && !cf.failed__auth__action().equals("drop")) {
            if (r.isHttp()) {
                HttpReplies.send(core, c, r, 403, "Forbidden", List.of());
            } else {
                core.reply(r, 403, "Forbidden", List.of());
            }
        }
        return 0;
    }

    /**
     * Sends the challenge later when {@link #failed} asked for a delay (a user being guessed from
     * many addresses slows down instead of being locked out).
     *
     * @return whether it was scheduled (false: send it now)
     */
    boolean delayed(StatefulCore timers, ActionContext c, SipRequest r, Runnable challenge) {
        if (c.attribute(DELAY) instanceof Long delay && delay > 0 && timers != null) {
            timers.schedule(r.callId(), delay, challenge);
            return true;
        }
        return false;
    }

    private static String sourceIp(ActionContext c) {
        var src = c.message().source();
        return src == null || src.remote() == null ? null : src.remote().getAddress().getHostAddress();
    }
}
