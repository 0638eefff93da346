package org.siphon.core.internal.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;

class SipTasksTest {

    /**
     * One worker, 16 places and an overflow of 50, held busy: a flood of 100 tasks fills both,
     * the other 34 are dropped and counted at once, no timer is armed to retry them, and the 66
     * kept all run once the worker is free.
     */
    @Test
    void aFullQueueAndOverflowShedTasksWithoutRearming() throws Exception {
        LongAdder dropped = new LongAdder();
        SipTasks tasks = new SipTasks(new WorkerPool(1, 16, 50), dropped);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            tasks.execute("call", () -> {
                running.countDown();
                await(release);
            });
            assertTrue(running.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 100; i++) {
                tasks.execute("call", ran::incrementAndGet);
            }
            assertEquals(34, dropped.sum(), "16 in the queue, 50 in the overflow, the rest shed");
            assertEquals(0, tasks.pendingTimeouts(), "nothing is re-armed to try again");
            assertEquals(0, ran.get(), "the worker is still held");
            release.countDown();
            assertTrue(waitFor(() -> ran.get() == 66), "ran " + ran.get());
            assertEquals(34, dropped.sum());
        } finally {
            release.countDown();
            tasks.shutdown();
        }
    }

    /** Timers that find the queue full of messages wait in the overflow: none is lost, none polls. */
    @Test
    void tasksBehindAFullQueueAreNotLost() throws Exception {
        LongAdder dropped = new LongAdder();
        SipTasks tasks = new SipTasks(new WorkerPool(1, 16), dropped);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger ran = new AtomicInteger();
        try {
            tasks.execute("call", () -> {
                running.countDown();
                await(release);
            });
            assertTrue(running.await(5, TimeUnit.SECONDS));
            for (int i = 0; i < 1000; i++) {
                tasks.execute("call", ran::incrementAndGet);
            }
            assertEquals(0, tasks.pendingTimeouts(), "nothing waits on the timer");
            release.countDown();
            assertTrue(waitFor(() -> ran.get() == 1000), "ran " + ran.get());
            assertEquals(0, dropped.sum());
        } finally {
            release.countDown();
            tasks.shutdown();
        }
    }

    /** A task that throws is logged; the worker goes on with the next one. */
    @Test
    void aFailingTaskDoesNotStopTheWorker() throws Exception {
        SipTasks tasks = new SipTasks(new WorkerPool(1, 16), new LongAdder());
        CountDownLatch next = new CountDownLatch(1);
        try {
            tasks.execute("k", () -> {
                throw new IllegalStateException("on purpose");
            });
            tasks.schedule("k", 1, next::countDown);
            assertTrue(next.await(5, TimeUnit.SECONDS));
        } finally {
            tasks.shutdown();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean waitFor(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }
}
