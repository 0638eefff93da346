package org.siphon.core.internal.proxy;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SIP workers ({@code children}): one thread per worker, each with its own bounded queue.
 * A message goes to the worker chosen by its Call-ID, so the messages of one call are processed
 * in the order they arrived (a 180 is never forwarded after the 200 that followed it), while
 * different calls run in parallel. A full queue refuses a message: the caller sheds load.
 * A task (a timer, a module's work) that finds the queue full waits instead in the worker's
 * overflow, a second bounded queue the worker empties after each task it runs, so a full queue
 * neither loses timers nor makes anyone poll it; only an overflow full as well refuses a task.
 * Thread-safe.
 */
final class WorkerPool {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

    /** Tasks that may wait in one worker's overflow by default. */
    static final int OVERFLOW = 4096;

    private final Worker[] workers;

    /**
     * @param threads       number of workers
     * @param queueCapacity messages that may wait, in all (split evenly between the workers)
     */
    WorkerPool(int threads, int queueCapacity) {
        this(threads, queueCapacity, OVERFLOW);
    }

    /** @param overflow tasks that may wait in each worker's overflow once its queue is full */
    WorkerPool(int threads, int queueCapacity, int overflow) {
        workers = new Worker[Math.max(1, threads)];
        int perWorker = Math.max(16, queueCapacity / workers.length);
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker("siphon-worker-" + (i + 1), perWorker, overflow);
        }
    }

    /** Queues message {@code task} on the worker for {@code key}; false when that worker's queue is full. */
    boolean execute(Object key, Runnable task) {
        try {
            worker(key).execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * Queues {@code task} on the worker for {@code key}, in its overflow when its queue is full;
     * false only when the overflow is full too (or the pool is shut down).
     */
    boolean executeTask(Object key, Runnable task) {
        Worker w = worker(key);
        try {
            w.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return !w.isShutdown() && w.overflow(task);
        }
    }

    private Worker worker(Object key) {
        int h = key == null ? 0 : key.hashCode();
        h ^= h >>> 16;
        return workers[Math.floorMod(h, workers.length)];
    }

    int size() {
        return workers.length;
    }

    /** Each worker's queue and whether it is busy, now (a moment's view, not a consistent snapshot). */
    List<WorkerLoad> load() {
        List<WorkerLoad> out = new ArrayList<>(workers.length);
        for (int i = 0; i < workers.length; i++) {
            Worker w = workers[i];
            int queued = w.getQueue().size();
            out.add(new WorkerLoad(i + 1, queued, w.getActiveCount() > 0, queued + w.getQueue().remainingCapacity()));
        }
        return out;
    }

    void shutdown() throws InterruptedException {
        for (Worker w : workers) {
            w.shutdown();
        }
        for (Worker w : workers) {
            w.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /** One worker thread, its queue, and the overflow of tasks it runs after each one. */
    private static final class Worker extends ThreadPoolExecutor {

        private final Queue<Runnable> overflow = new ConcurrentLinkedQueue<>();
        private final AtomicInteger overflowed = new AtomicInteger();
        private final int overflowCapacity;

        Worker(String name, int capacity, int overflowCapacity) {
            super(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(capacity), r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
            this.overflowCapacity = overflowCapacity;
        }

        boolean overflow(Runnable task) {
            if (overflowed.incrementAndGet() > overflowCapacity) {
                overflowed.decrementAndGet();
                return false;
            }
            overflow.add(task);
            // the queue may have emptied since it refused the task: then nothing would run the
            // overflow, so queue a drain; while it is still full, a task behind this one drains it
            try {
                execute(this::drain);
            } catch (RejectedExecutionException e) {
                // full (some queued task drains the overflow after it runs) or shut down
            }
            return true;
        }

        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            drain();
        }

        private void drain() {
            Runnable task;
            while ((task = overflow.poll()) != null) {
                overflowed.decrementAndGet();
                try {
                    task.run();
                } catch (RuntimeException | LinkageError e) {
                    LOG.error("a SIP task failed", e);
                }
            }
        }
    }
}
