package org.siphon.tm.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipResponse;
import org.siphon.tm.internal.TimerTable.Timer;

/**
 * The non-INVITE client transaction of RFC 3261 §17.1.2: retransmits on Timer E (T1 doubling up
 * to T2, T2 once Proceeding), times out on Timer F (fr_timer), waits Timer K after the final
 * reply. Used on the transaction's thread only.
 */
final class NonInviteClientTransaction extends ClientTransaction {

    enum State { TRYING, PROCEEDING, COMPLETED, TERMINATED }

    private Cancellable timerE;
    private Cancellable timerF;
    private Cancellable timerK;
    private long intervalE;

    NonInviteClientTransaction(String branch, Outgoing request, TimerTable timers, Scheduler scheduler,
            Function<Outgoing, CompletableFuture<Void>> network, Listener listener) {
        super(branch, request, timers, scheduler, network, listener, State.TRYING, State.TERMINATED);
    }

    @Override
    void start() {
        send(request);
        if (!reliable) {
            intervalE = timers.duration(Timer.E, false);
            timerE = scheduler.schedule(intervalE, this::timerE);
        }
        timerF = scheduler.schedule(timers.duration(Timer.F, reliable), this::timerF);
    }

    private void timerE() {
        if (state == State.TRYING || state == State.PROCEEDING) {
            send(request);
            intervalE = state == State.TRYING ? timers.next(intervalE, true) : timers.t2();
            timerE = scheduler.schedule(intervalE, this::timerE);
        }
    }

    private void timerF() {
        if (state == State.TRYING || state == State.PROCEEDING) {
            stop();
            listener.timeout(this);
            listener.terminated(this);
        }
    }

    @Override
    void receive(SipResponse r) {
        if (state != State.TRYING && state != State.PROCEEDING) {
            return;
        }
        if (r.status() < 200) {
            state = State.PROCEEDING;
            listener.response(this, r);
            return;
        }
        state = State.COMPLETED;
        Scheduler.cancel(timerE, timerF);
        timerE = timerF = null; // a completed transaction keeps no spent timers
        release();
        long k = timers.duration(Timer.K, reliable);
        if (k > 0) {
            timerK = scheduler.schedule(k, this::terminate);
        }
        listener.response(this, r);
        if (k == 0) {
            terminate();
        }
    }

    @Override
    void transportFailed(Throwable error) {
        if (state == State.TRYING || state == State.PROCEEDING) {
            stop();
            listener.transportError(this, error);
            listener.terminated(this);
        }
    }

    @Override
    boolean completed() {
        return state == State.COMPLETED || state == State.TERMINATED;
    }

    @Override
    boolean provisionalReceived() {
        return state != State.TRYING;
    }

    @Override
    void cancelTimers() {
        Scheduler.cancel(timerE, timerF, timerK);
        timerE = timerF = timerK = null;
    }
}
