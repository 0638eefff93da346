package org.siphon.tm.internal;

import java.util.function.Consumer;

import org.siphon.core.proxy.Cancellable;
import org.siphon.tm.internal.TimerTable.Timer;

/**
 * The non-INVITE server transaction of RFC 3261 §17.2.2: retransmissions get the last
 * provisional or the final reply; after the final reply it waits Timer J. Used on the
 * transaction's thread only.
 */
final class NonInviteServerTransaction extends ServerTransaction {

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private Cancellable timerJ;

    NonInviteServerTransaction(boolean reliable, TimerTable timers, Scheduler scheduler, Consumer<byte[]> sender,
            Listener listener) {
        super(reliable, timers, scheduler, sender, listener, State.TRYING, State.TERMINATED);
    }

    @Override
    boolean finalSent() {
        return state == State.COMPLETED || state == State.TERMINATED;
    }

    @Override
    void retransmission() {
        if (state == State.PROCEEDING) {
            send(lastProvisional);
        } else if (state == State.COMPLETED) {
            send(lastFinal);
        }
    }

    @Override
    boolean reply(int status, byte[] bytes) {
        if (state != State.TRYING && state != State.PROCEEDING) {
            return false;
        }
        send(bytes);
        if (status < 200) {
            lastProvisional = bytes;
            state = State.PROCEEDING;
            return true;
        }
        finalStatus = status;
        lastFinal = bytes;
        state = State.COMPLETED;
        long j = timers.duration(Timer.J, reliable);
        if (j == 0) {
            terminate();
        } else {
            timerJ = scheduler.schedule(j, () -> {
                if (state == State.COMPLETED) {
                    terminate();
                }
            });
        }
        return true;
    }

    @Override
    void cancelTimers() {
        Scheduler.cancel(timerJ);
        timerJ = null;
    }
}
