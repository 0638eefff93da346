package org.siphon.tm.internal;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import org.siphon.core.proxy.Outgoing;
import org.siphon.core.sip.SipResponse;

/**
 * The client side of a transaction (RFC 3261 §17.1): sends one request on one branch,
 * retransmits it over unreliable transports, passes the replies that matter to its listener,
 * and ends by its timers. Subclasses hold the state machine. Used on the transaction's thread
 * only.
 */
abstract class ClientTransaction {

    /** The transaction user: a branch of a proxied transaction, or a local request. */
    interface Listener {
        /** A reply the transaction user must see (not the retransmissions the state machine absorbs). */
        void response(ClientTransaction ct, SipResponse response);

        /** Timer B or F fired before a final reply. */
        void timeout(ClientTransaction ct);

        /** The request could not be sent. */
        void transportError(ClientTransaction ct, Throwable error);

        /** The state machine has ended: forget it. */
        void terminated(ClientTransaction ct);
    }

    final String branch;
    /** The request sent; once a final reply arrived only its destination and Via are kept ({@link #release()}). */
    Outgoing request;
    final boolean reliable;
    final TimerTable timers;
    final Scheduler scheduler;
    private final Function<Outgoing, CompletableFuture<Void>> network;
    final Listener listener;
    final long started;
    /** The state machine's state: a constant of the subclass's {@code State} enum. */
    Enum<?> state;
    private final Enum<?> terminatedState;

    /** @param initial and {@code terminatedState}: the subclass's first and last state */
    ClientTransaction(String branch, Outgoing request, TimerTable timers, Scheduler scheduler,
            Function<Outgoing, CompletableFuture<Void>> network, Listener listener, Enum<?> initial,
            Enum<?> terminatedState) {
        this.state = initial;
        this.terminatedState = terminatedState;
        this.branch = branch;
        this.request = request;
        this.reliable = !request.destination().transport().equals("udp");
        this.timers = timers;
        this.scheduler = scheduler;
        this.network = network;
        this.listener = listener;
        this.started = scheduler.now();
    }

    /**
     * Forgets the request's bytes once they cannot be sent again (a final reply arrived): a
     * completed transaction waits seconds for retransmissions and should weigh little meanwhile.
     */
    void release() {
        Outgoing r = request;
        if (r.bytes().length > 0) {
            request = new Outgoing(NO_BYTES, r.destination(), r.via(), r.socket(), r.connect());
        }
    }

    private static final byte[] NO_BYTES = new byte[0];

    /** Sends the request and starts the timers. */
    abstract void start();

    /** A reply matched to this transaction arrived. */
    abstract void receive(SipResponse response);

    /** Whether a final reply arrived (or the transaction timed out or failed). */
    abstract boolean completed();

    /** Whether any provisional reply arrived. */
    abstract boolean provisionalReceived();

    /** The current state (tests and {@code tm.list}). */
    Enum<?> state() {
        return state;
    }

    /** The state's name, for {@code tm.list}. */
    String stateName() {
        return state.name();
    }

    boolean terminated() {
        return state == terminatedState;
    }

    /** Ends now, silently (module stopping); the listener hears that it ended. */
    void terminate() {
        if (!terminated()) {
            stop();
            listener.terminated(this);
        }
    }

    /** Ends the state machine without telling anyone yet (the caller reports why, then the end). */
    void stop() {
        cancelTimers();
        state = terminatedState;
    }

    /** Cancels and forgets every timer of the state machine. */
    abstract void cancelTimers();

    void send(Outgoing out) {
        network.apply(out).whenComplete((v, e) -> {
            if (e != null) {
                scheduler.execute(() -> transportFailed(e));
            }
        });
    }

    /** The transport refused the request (RFC 3261 §17.1.4): the transaction ends and its user is told. */
    abstract void transportFailed(Throwable error);
}
