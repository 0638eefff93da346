package org.siphon.core.internal.proxy;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The SIP workers ({@code children}): one thread per worker, each with its own bounded queue.
 * A message goes to the worker chosen by its Call-ID, so the messages of one call are processed
 * in the order they arrived (a 180 is never forwarded after the 200 that followed it), while
 * different calls run in parallel. A full queue refuses the message: the caller sheds load.
 * Thread-safe.
 */
final class WorkerPool {

    private final ThreadPoolExecutor[] workers;

    /**
     * @param threads       number of workers
     * @param queueCapacity messages that may wait, in all (split evenly between the workers)
     */
    WorkerPool(int threads, int queueCapacity) {
        workers = new ThreadPoolExecutor[Math.max(1, threads)];
        int perWorker = Math.max(16, queueCapacity / workers.length);
        for (int i = 0; i < workers.length; i++) {
            String name = "siphon-worker-" + (i + 1);
            workers[i] = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(perWorker), r -> {
                Thread t = new Thread(r, name);
                t.setDaemon(true);
                return t;
            });
        }
    }

    /** Queues {@code task} on the worker for {@code key}; false when that worker's queue is full. */
    boolean execute(Object key, Runnable task) {
        int h = key == null ? 0 : key.hashCode();
        h ^= h >>> 16;
        try {
            workers[Math.floorMod(h, workers.length)].execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    int size() {
        return workers.length;
    }

    /** Each worker's queue and whether it is busy, now (a moment's view, not a consistent snapshot). */
    java.util.List<WorkerLoad> load() {
        java.util.List<WorkerLoad> out = new java.util.ArrayList<>(workers.length);
        for (int i = 0; i < workers.length; i++) {
            ThreadPoolExecutor w = workers[i];
            int queued = w.getQueue().size();
            out.add(new WorkerLoad(i + 1, queued, w.getActiveCount() > 0, queued + w.getQueue().remainingCapacity()));
        }
        return out;
    }

    void shutdown() throws InterruptedException {
        for (ThreadPoolExecutor w : workers) {
            w.shutdown();
        }
        for (ThreadPoolExecutor w : workers) {
            w.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
