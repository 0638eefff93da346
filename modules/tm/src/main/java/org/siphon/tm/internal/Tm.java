package org.siphon.tm.internal;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

import org.siphon.core.proxy.Cancellable;
import org.siphon.core.proxy.SipCore;
import org.siphon.core.proxy.StatefulCore;

/**
 * What every transaction of one tm instance shares: the core, the timer table and behaviour
 * parameters, the transaction table and statistics, and the source of branch identifiers.
 * Thread-safe.
 */
final class Tm {

    /** Behaviour parameters (Kamailio's names in {@link TmComponent.Config}). */
    record Settings(boolean autoInv100, String autoInv100Reason, boolean restartFrOnEachReply, int failureReplyMode,
            boolean unmatchedCancelStateless) {
    }

    final SipCore core;
    final StatefulCore stateful;
    /** Replaced when the parameters change live; a transaction keeps the table it started with. */
    volatile TimerTable timers;
    volatile Settings settings;
    final TransactionTable table = new TransactionTable();
    final TmStats stats = new TmStats();
    /** The {@link org.siphon.core.proxy.TransactionObserver} services (acc), told how transactions end. */
    final java.util.List<org.siphon.core.proxy.TransactionObserver> observers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final String prefix = "z9hG4bK" + HexFormat.of().formatHex(SecureRandom.getSeed(3));
    private final AtomicLong ids = new AtomicLong();
    private final java.util.function.Function<Object, Scheduler> schedulers;

    Tm(SipCore core, StatefulCore stateful, TimerTable timers, Settings settings,
            java.util.function.Function<Object, Scheduler> schedulers) {
        this.core = core;
        this.stateful = stateful;
        this.timers = timers;
        this.settings = settings;
        this.schedulers = schedulers;
    }

    /** The server's own scheduler for a Call-ID: the core's timer, on that Call-ID's worker. */
    static Scheduler coreScheduler(StatefulCore core, Object key) {
        return new Scheduler() {
            @Override
            public Cancellable schedule(long delayMillis, Runnable task) {
                return core.schedule(key, delayMillis, task);
            }

            @Override
            public void execute(Runnable task) {
                core.execute(key, task);
            }

            @Override
            public long now() {
                return System.nanoTime() / 1_000_000;
            }
        };
    }

    Scheduler scheduler(Object callId) {
        return schedulers.apply(callId);
    }

    /** A fresh transaction label; branches are {@code <prefix><label>.<index>}. */
    long nextId() {
        return ids.incrementAndGet();
    }

    String branchId(long id, int index) {
        return prefix + Long.toHexString(id) + "." + index;
    }

    /** Tells every observer of an end-to-end ACK that was relayed. */
    void acknowledged(org.siphon.core.sip.SipRequest ack, org.siphon.core.function.ScriptHandle script) {
        for (org.siphon.core.proxy.TransactionObserver o : observers) {
            try {
                o.acknowledged(ack, script);
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Tm.class).error("transaction observer {} failed", o.getClass().getName(), e);
            }
        }
    }

    /** Tells every observer; one that throws is logged and does not stop the others or the transaction. */
    void tell(org.siphon.core.proxy.TransactionOutcome outcome, boolean provisional) {
        for (org.siphon.core.proxy.TransactionObserver o : observers) {
            try {
                if (provisional) {
                    o.provisional(outcome);
                } else {
                    o.completed(outcome);
                }
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Tm.class).error("transaction observer {} failed", o.getClass().getName(), e);
            }
        }
    }
}
