package org.siphon.tm.internal;

import org.siphon.core.proxy.Cancellable;

/**
 * Time for transactions: timers and the thread that runs their events. In the server, tasks of
 * one transaction run on the SIP worker of its Call-ID (see {@code StatefulCore.schedule}); tests
 * use a virtual clock.
 */
interface Scheduler {

    /** Runs {@code task} after {@code delayMillis} (now when 0, still through the scheduler). */
    Cancellable schedule(long delayMillis, Runnable task);

    /** Runs {@code task} soon on the transaction's thread (e.g. after a transport failure reported elsewhere). */
    void execute(Runnable task);

    /** Milliseconds of this scheduler's clock. */
    long now();

    /** Stops the given timers; null ones (never started) are skipped. */
    static void cancel(Cancellable... timers) {
        for (Cancellable c : timers) {
            if (c != null) {
                c.cancel();
            }
        }
    }
}
