package org.siphon.tm.internal;

import java.util.function.Consumer;

import org.siphon.core.proxy.Cancellable;
import org.siphon.tm.internal.TimerTable.Timer;

/**
 * The INVITE server transaction of RFC 3261 §17.2.1 with RFC 6026's Accepted state: provisional
 * replies pass, a 2xx moves to Accepted (further 2xx still pass, INVITE retransmissions are
 * absorbed), a negative final reply is retransmitted on Timer G until the ACK comes or Timer H
 * fires. Used on the transaction's thread only.
 */
final class InviteServerTransaction extends ServerTransaction {

    enum State { PROCEEDING, COMPLETED, CONFIRMED, ACCEPTED, TERMINATED }

    private Cancellable timerG;
    private Cancellable timerH;
    private Cancellable timerEnd;
    private long intervalG;

    InviteServerTransaction(boolean reliable, TimerTable timers, Scheduler scheduler, Consumer<byte[]> sender,
            Listener listener) {
        super(reliable, timers, scheduler, sender, listener, State.PROCEEDING, State.TERMINATED);
    }

    @Override
    boolean finalSent() {
        return state != State.PROCEEDING;
    }

    @Override
    void retransmission() {
        if (state == State.PROCEEDING && lastProvisional != null) {
            send(lastProvisional);
        } else if (state == State.COMPLETED) {
            send(lastFinal);
        }
    }

    @Override
    boolean reply(int status, byte[] bytes) {
        if (state == State.ACCEPTED && status >= 200 && status < 300) {
            send(bytes);
            return true;
        }
        if (state != State.PROCEEDING) {
            return false;
        }
        send(bytes);
        if (status < 200) {
            lastProvisional = bytes;
        } else if (status < 300) {
            finalStatus = status;
            lastProvisional = null; // Accepted absorbs retransmitted INVITEs (RFC 6026): no bytes are kept
            state = State.ACCEPTED;
            timerEnd = scheduler.schedule(timers.duration(Timer.L, reliable), this::terminate);
        } else {
            finalStatus = status;
            lastFinal = bytes;
            lastProvisional = null;
            state = State.COMPLETED;
            if (!reliable) {
                intervalG = timers.duration(Timer.G, false);
                timerG = scheduler.schedule(intervalG, this::timerG);
            }
            timerH = scheduler.schedule(timers.duration(Timer.H, reliable), this::terminate);
        }
        return true;
    }

    /** An ACK for the negative final reply; true when it belonged here (absorbed). */
    boolean ack() {
        if (state == State.COMPLETED) {
            state = State.CONFIRMED;
            Scheduler.cancel(timerG, timerH);
            timerG = timerH = null;
            long i = timers.duration(Timer.I, reliable);
            if (i == 0) {
                terminate();
            } else {
                timerEnd = scheduler.schedule(i, this::terminate);
            }
            return true;
        }
        return state == State.CONFIRMED;
    }

    private void timerG() {
        if (state == State.COMPLETED) {
            send(lastFinal);
            intervalG = timers.next(intervalG, true);
            timerG = scheduler.schedule(intervalG, this::timerG);
        }
    }

    @Override
    void cancelTimers() {
        Scheduler.cancel(timerG, timerH, timerEnd);
        timerG = timerH = timerEnd = null;
    }
}
