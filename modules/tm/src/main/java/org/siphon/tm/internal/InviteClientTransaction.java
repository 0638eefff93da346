package org.siphon.tm.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipResponse;
import org.siphon.tm.internal.TimerTable.Timer;

/**
 * The INVITE client transaction of RFC 3261 §17.1.1 with RFC 6026's Accepted state:
 * retransmits on Timer A while Calling, times out on Timer B (fr_timer, then fr_inv_timer once
 * a provisional reply arrived, as Kamailio does), ACKs negative final replies itself (and their
 * retransmissions, in Completed), and passes every 2xx on while Accepted. Used on the
 * transaction's thread only.
 */
final class InviteClientTransaction extends ClientTransaction {

    enum State { CALLING, PROCEEDING, COMPLETED, ACCEPTED, TERMINATED }

    private final boolean restartFrOnEachReply;
    private Function<SipResponse, Outgoing> ackBuilder;
    private Cancellable timerA;
    private Cancellable timerB;
    private Cancellable timerEnd;
    private long intervalA;
    private Outgoing ack;

    /** @param ackBuilder the ACK for a negative final reply (RFC 3261 §17.1.1.3) */
    InviteClientTransaction(String branch, Outgoing request, TimerTable timers, Scheduler scheduler,
            Function<Outgoing, CompletableFuture<Void>> network, Listener listener, boolean restartFrOnEachReply,
            Function<SipResponse, Outgoing> ackBuilder) {
        super(branch, request, timers, scheduler, network, listener, State.CALLING, State.TERMINATED);
        this.restartFrOnEachReply = restartFrOnEachReply;
        this.ackBuilder = ackBuilder;
    }

    @Override
    void start() {
        send(request);
        if (!reliable) {
            intervalA = timers.duration(Timer.A, false);
            timerA = scheduler.schedule(intervalA, this::timerA);
        }
        timerB = scheduler.schedule(timers.duration(Timer.B, reliable), this::timerB);
    }

    private void timerA() {
        if (state == State.CALLING) {
            send(request);
            intervalA = timers.next(intervalA, false);
            timerA = scheduler.schedule(intervalA, this::timerA);
        }
    }

    private void timerB() {
        if (state == State.CALLING || state == State.PROCEEDING) {
            stop();
            listener.timeout(this);
            listener.terminated(this);
        }
    }

    @Override
    void receive(SipResponse r) {
        int status = r.status();
        switch ((State) state) {
            case CALLING, PROCEEDING -> {
                if (status < 200) {
                    boolean first = state == State.CALLING;
                    state = State.PROCEEDING;
                    Scheduler.cancel(timerA);
                    timerA = null;
                    if (first || restartFrOnEachReply) {
                        Scheduler.cancel(timerB);
                        long left = timers.maxInvLifetime() - (scheduler.now() - started);
                        timerB = scheduler.schedule(Math.max(0, Math.min(timers.frInvTimer(), left)), this::timerB);
                    }
                    listener.response(this, r);
                } else if (status < 300) {
                    state = State.ACCEPTED;
                    Scheduler.cancel(timerA, timerB);
                    timerA = timerB = null; // a settled transaction keeps no spent timers
                    ackBuilder = null;
                    release();
                    timerEnd = scheduler.schedule(timers.duration(Timer.M, reliable), this::terminate);
                    listener.response(this, r);
                } else {
                    state = State.COMPLETED;
                    Scheduler.cancel(timerA, timerB);
                    timerA = timerB = null; // a settled transaction keeps no spent timers
                    ack = ackBuilder.apply(r);
                    ackBuilder = null;
                    release();
                    send(ack);
                    long d = timers.duration(Timer.D, reliable);
                    if (d > 0) {
                        timerEnd = scheduler.schedule(d, this::terminate);
                    }
                    listener.response(this, r);
                    if (d == 0) {
                        terminate();
                    }
                }
            }
            case COMPLETED -> {
                if (status >= 300) {
                    send(ack);
                }
            }
            case ACCEPTED -> {
                if (status >= 200 && status < 300) {
                    listener.response(this, r);
                }
            }
            default -> {
                // TERMINATED: nothing left to do
            }
        }
    }

    @Override
    void transportFailed(Throwable error) {
        if (state == State.CALLING || state == State.PROCEEDING) {
            stop();
            listener.transportError(this, error);
            listener.terminated(this);
        }
    }

    @Override
    boolean completed() {
        return state != State.CALLING && state != State.PROCEEDING;
    }

    @Override
    boolean provisionalReceived() {
        return state != State.CALLING;
    }

    @Override
    void cancelTimers() {
        Scheduler.cancel(timerA, timerB, timerEnd);
        timerA = timerB = timerEnd = null;
    }
}
