package org.siphon.core.proxy;

import org.siphon.core.function.ScriptHandle;
import org.siphon.core.sip.SipRequest;

/**
 * How a transaction answered, for {@link TransactionObserver}s.
 *
 * @param request the request as the script routed it (its edits applied: {@code $ru}, {@code $rU})
 * @param status  the reply's status code
 * @param reason  the reply's reason phrase
 * @param toTag   the To tag of the reply (a dialog's tag on 2xx), or null
 * @param script  the script run that relayed the request: its flags ({@link ScriptHandle#flags()})
 *                and pseudo-variables ({@link ScriptHandle#value}); null when no script ran
 * @param local   whether the server made the reply itself (408 on timeout, t_reply, 487)
 */
public record TransactionOutcome(SipRequest request, int status, String reason, String toTag, ScriptHandle script,
        boolean local) {

    /** The run's message flags ({@code setflag}), 0 without a script. */
    public long flags() {
        return script == null ? 0 : script.flags();
    }

    /** Whether flag {@code flag} (0..63) was set; false for a negative flag (a module parameter left at -1). */
    public boolean flag(int flag) {
        return flag >= 0 && flag < 64 && (flags() & (1L << flag)) != 0;
    }
}
