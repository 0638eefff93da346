package org.siphon.core.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.siphon.core.proxy.Cancellable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.util.HashedWheelTimer;
import io.netty.util.Timeout;

/**
 * The SIP workers and the one hashed-wheel timer of the server, for work that is not a received
 * message: transaction timers and tasks modules hand to {@code StatefulCore.execute/schedule}, run
 * on the worker of their key (a Call-ID) so they never race that call's messages. A task whose
 * worker's queue is full waits in that worker's bounded overflow ({@link WorkerPool#executeTask})
 * instead of being retried on the timer: nothing re-arms, and a timer is not lost because
 * received messages filled the queue. Only when the overflow is full too is the task dropped,
 * counted ({@code core:dropped_tasks}) and logged (one WARN per 1,000). Thread-safe.
 */
final class SipTasks {

    private static final Logger LOG = LoggerFactory.getLogger(SipTasks.class);

    private final WorkerPool workers;
    private final LongAdder dropped;
    private final AtomicLong dropLogs = new AtomicLong();
    private final HashedWheelTimer timer = new HashedWheelTimer(r -> {
        Thread t = new Thread(r, "siphon-timer");
        t.setDaemon(true);
        return t;
    }, 10, TimeUnit.MILLISECONDS, 1024);

    SipTasks(WorkerPool workers, LongAdder dropped) {
        this.workers = workers;
        this.dropped = dropped;
    }

    /** A received message for the worker of {@code key}; false when its queue is full (the caller sheds it). */
    boolean offer(Object key, Runnable message) {
        return workers.execute(key, message);
    }

    /** Runs {@code task} on the worker of {@code key}: queued, or in its overflow, else dropped and counted. */
    void execute(Object key, Runnable task) {
        if (!workers.executeTask(key, () -> runSafely(task))) {
            dropped.increment();
            if (dropLogs.getAndIncrement() % 1000 == 0) {
                LOG.warn("overload: a SIP worker's queue and overflow are full; dropping a timer or transaction task "
                        + "({} so far, core:dropped_tasks)", dropped.sum());
            }
        }
    }

    /** Runs {@code task} on the worker of {@code key} after {@code delayMillis}, as {@link #execute} does. */
    Cancellable schedule(Object key, long delayMillis, Runnable task) {
        Timeout timeout = timer.newTimeout(t -> execute(key, task), Math.max(0, delayMillis), TimeUnit.MILLISECONDS);
        return timeout::cancel;
    }

    /** Timeouts not yet due (for tests). */
    int pendingTimeouts() {
        return (int) timer.pendingTimeouts();
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | LinkageError e) {
            // LinkageError: a task of a module version that was updated away (its classes are gone)
            LOG.error("a SIP task failed", e);
        }
    }

    /** What {@code core.ps} lists for the workers, then {@code ioThreads} event loops. */
    List<Map<String, Object>> processes(int ioThreads, String ioKind) {
        List<Map<String, Object>> out = new ArrayList<>();
        long pid = ProcessHandle.current().pid();
        for (int i = 0; i < workers.size(); i++) {
            out.add(Map.of("IDX", out.size(), "PID", pid, "DSC", "SIP worker " + (i + 1)));
        }
        for (int i = 0; i < ioThreads; i++) {
            out.add(Map.of("IDX", out.size(), "PID", pid, "DSC", "I/O event loop " + (i + 1) + " (" + ioKind + ")"));
        }
        return out;
    }

    List<WorkerLoad> load() {
        return workers.load();
    }

    /** Stops the timer (pending tasks do not run), then the workers, waiting up to 5 s each for their queue. */
    void shutdown() throws InterruptedException {
        timer.stop();
        workers.shutdown();
    }
}
