package org.siphon.core.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class WorkerPoolTest {

    @Test
    void loadShowsQueuesAndBusyWorkers() throws Exception {
        WorkerPool pool = new WorkerPool(2, 64);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            assertEquals(List.of(new WorkerLoad(1, 0, false, 32), new WorkerLoad(2, 0, false, 32)), pool.load());
            String key = "call-1";
            assertTrue(pool.execute(key, () -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            assertTrue(pool.execute(key, () -> { }));
            assertTrue(pool.execute(key, () -> { }));
            WorkerLoad busy = pool.load().stream().filter(WorkerLoad::busy).findFirst().orElseThrow();
            assertEquals(2, busy.queued(), "the two messages behind the running one wait: " + pool.load());
            assertEquals(32, busy.capacity());
            WorkerLoad idle = pool.load().stream().filter(w -> w.worker() != busy.worker()).findFirst().orElseThrow();
            assertFalse(idle.busy());
            assertEquals(0, idle.queued());
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }

    /** Messages are refused by a full queue; tasks wait in the overflow and run after, in order. */
    @Test
    void aFullQueueRefusesMessagesButKeepsTasks() throws Exception {
        WorkerPool pool = new WorkerPool(1, 16, 8);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> order = new java.util.concurrent.CopyOnWriteArrayList<>();
        try {
            assertTrue(pool.execute("k", () -> {
                running.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(running.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 16; i++) {
                assertTrue(pool.execute("k", () -> { }));
            }
            assertFalse(pool.execute("k", () -> { }), "a message finds the queue full");
            for (int i = 0; i < 8; i++) {
                int n = i;
                assertTrue(pool.executeTask("k", () -> order.add(n)), "task " + i + " waits in the overflow");
            }
            assertFalse(pool.executeTask("k", () -> order.add(99)), "the overflow is full too");
            release.countDown();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (order.size() < 8 && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), order);
        } finally {
            release.countDown();
            pool.shutdown();
        }
    }
}
