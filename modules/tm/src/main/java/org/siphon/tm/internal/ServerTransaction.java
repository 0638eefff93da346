package org.siphon.tm.internal;

import java.util.function.Consumer;


/**
 * The server side of a transaction (RFC 3261 §17.2): sends the replies the proxy gives it,
 * answers retransmitted requests with the last reply, and ends by its timers. Subclasses hold
 * the state machine. Used on the transaction's thread only.
 */
abstract class ServerTransaction {

    /** Tells the owner that the transaction has ended. */
    interface Listener {
        void terminated(ServerTransaction st);
    }

    final boolean reliable;
    final TimerTable timers;
    final Scheduler scheduler;
    private final Consumer<byte[]> sender;
    final Listener listener;
    byte[] lastProvisional;
    byte[] lastFinal;
    int finalStatus;
    /** The state machine's state: a constant of the subclass's {@code State} enum. */
    Enum<?> state;
    private final Enum<?> terminatedState;

    /** @param initial and {@code terminatedState}: the subclass's first and last state */
    ServerTransaction(boolean reliable, TimerTable timers, Scheduler scheduler, Consumer<byte[]> sender,
            Listener listener, Enum<?> initial, Enum<?> terminatedState) {
        this.state = initial;
        this.terminatedState = terminatedState;
        this.reliable = reliable;
        this.timers = timers;
        this.scheduler = scheduler;
        this.sender = sender;
        this.listener = listener;
    }

    /** The request arrived again: answer it with the last reply, if the state says so. */
    abstract void retransmission();

    /** Sends a reply the proxy chose (relayed or local); returns false when the state allows none. */
    abstract boolean reply(int status, byte[] bytes);

    /** Whether a final reply has been sent. */
    abstract boolean finalSent();

    /** The current state (tests and {@code tm.list}). */
    Enum<?> state() {
        return state;
    }

    /** Whether the state machine has ended. */
    boolean terminated() {
        return state == terminatedState;
    }

    /** The state's name, for {@code tm.list}. */
    String stateName() {
        return state.name();
    }

    /** Stops every timer and ends now (module stopping, lifetime exceeded after the reply). */
    void terminate() {
        if (terminated()) {
            return;
        }
        cancelTimers();
        state = terminatedState;
        listener.terminated(this);
    }

    /** Cancels and forgets every timer of the state machine. */
    abstract void cancelTimers();

    void send(byte[] bytes) {
        sender.accept(bytes);
    }
}
